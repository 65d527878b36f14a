"""Issue 13 point 4: one job runner for background work — a queue run one job at a time, cancel
that leaves the database as it was, results on the GUI thread, a window closed mid-job."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from desktop_app.services.receipts.students import import_students, list_students
from desktop_app.ui.jobs import CANCELLED, FINISHED, QUEUED, RUNNING, run_with_progress, submit

RECEIPTS = Path(__file__).resolve().parents[1] / "data" / "receipts"


def test_jobs_run_one_at_a_time_in_the_order_queued(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QWidget()
    qtbot.addWidget(owner)
    gate = threading.Event()
    lock = threading.Lock()
    running: list[str] = []
    most_at_once = [0]
    delivered_on: list[bool] = []

    def make(name: str):  # type: ignore[no-untyped-def]
        def work(progress):  # type: ignore[no-untyped-def]
            with lock:
                running.append(name)
                most_at_once[0] = max(most_at_once[0], len(running))
            if name == "a":
                gate.wait(10)  # the first job holds the queue until b and c are queued
            progress(1, 1)
            with lock:
                running.remove(name)
            return name

        return work

    results: list[str] = []
    jobs = [submit(owner, name, make(name)) for name in "abc"]
    for job in jobs:
        job.finished.connect(results.append)
        job.finished.connect(lambda _r: delivered_on.append(QThread.currentThread() is QApplication.instance().thread()))
    qtbot.waitUntil(lambda: jobs[0].state == RUNNING, timeout=10_000)
    assert [job.state for job in jobs[1:]] == [QUEUED, QUEUED]  # waiting behind the first
    gate.set()
    qtbot.waitUntil(lambda: len(results) == 3, timeout=10_000)
    assert results == ["a", "b", "c"] and most_at_once[0] == 1
    assert all(job.state == FINISHED for job in jobs) and delivered_on == [True, True, True]


def test_cancel_stops_the_import_and_leaves_the_data_as_it_was(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    import_students(db, RECEIPTS / "students.csv")
    before = list_students(db, include_gone=True)
    owner = QWidget()
    qtbot.addWidget(owner)
    reached, resume = threading.Event(), threading.Event()

    def work(report):  # type: ignore[no-untyped-def]
        def progress(done: int, total: int) -> None:
            if done > 0 and not reached.is_set():  # rows written, not committed: the clerk presses 取消
                reached.set()
                resume.wait(10)
            report(done, total)

        return import_students(db, RECEIPTS / "students_v2.xlsx", progress=progress)

    done: list[object] = []
    job = run_with_progress(owner, "匯入學生名冊", work, done.append)
    qtbot.waitUntil(reached.is_set, timeout=10_000)
    dialog = owner.findChild(QProgressDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)  # shown after its minimum duration
    [cancel] = [b for b in dialog.findChildren(QPushButton) if b.text() == "取消"]
    cancel.click()
    resume.set()
    qtbot.waitUntil(lambda: job.state == CANCELLED, timeout=10_000)
    assert done == [] and not (shiboken6.isValid(dialog) and dialog.isVisible())
    assert list_students(db, include_gone=True) == before  # nothing of students_v2 written


def test_a_refusal_is_the_tabs_own_message(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services import ServiceError

    owner = QWidget()
    qtbot.addWidget(owner)
    errors: list[str] = []

    def work(progress):  # type: ignore[no-untyped-def]
        raise ServiceError("第 3 列「座號」欄不是數字。")

    job = run_with_progress(owner, "匯入", work, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors == ["第 3 列「座號」欄不是數字。"] and job.failure is not None and not job.failure.unexpected


def test_closing_the_window_with_a_job_running_cancels_it_without_hanging(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    tab = window.tab_by_key["working_group"]
    started = threading.Event()
    ran_after: list[str] = []

    def long_work(progress):  # type: ignore[no-untyped-def]
        started.set()
        for i in range(10_000):  # about 100 s unless cancelled
            progress(i, 10_000)
            time.sleep(0.01)
        return "done"

    first = run_with_progress(tab, "長時間的工作", long_work, lambda _r: ran_after.append("done"))
    second = submit(tab, "排隊中的工作", lambda _progress: ran_after.append("second"))
    ended: list[str] = []
    first.cancelled.connect(lambda: ended.append("first"))
    second.cancelled.connect(lambda: ended.append("second"))
    assert started.wait(10)
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 5
    assert not window.isVisible() and first.task.done.is_set()
    assert ended == ["first", "second"] and first.state == second.state == CANCELLED
    qtbot.wait(200)  # anything still queued to the GUI thread is dropped, not shown
    assert ran_after == [] and not [d for d in tab.findChildren(QProgressDialog) if d.isVisible()]
