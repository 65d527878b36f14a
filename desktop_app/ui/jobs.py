"""One runner for all background work: a queue worked off one job at a time, off the GUI thread.

A job is a function ``fn(progress)``: the service gets a plain ``progress(done, total)`` callback,
which raises :class:`~desktop_app.domain.progress.Cancelled` once cancel is asked, so the service
stops inside its transaction and the database stays as it was. Progress, the result and failures
reach the GUI thread through queued signals; widgets are never touched from the worker thread.

Why one at a time: every job reads or writes the one SQLite file (one writer at a time anyway) on
an office PC with two cores; a second import started while the first runs waits its turn (its
progress dialog says so) instead of racing it for the database.

Errors: a refusal (ServiceError, read-only, disk full …) keeps its own zh-TW text; anything else is
written to the log file with its traceback (in the worker thread, :mod:`desktop_app.log`) and shown
in the error dialog (:class:`~desktop_app.ui.dialogs.error_dialog.ErrorDialog`). Nothing reaches
stderr.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop_app.domain.progress import Cancelled, ProgressFn

QUEUED, RUNNING, FINISHED, FAILED, CANCELLED = "queued", "running", "finished", "failed", "cancelled"
PROGRESS_INTERVAL = 0.05  # seconds between two progress signals (a service may report every row)
CLOSE_WAIT_SECONDS = 10.0  # closing the window waits this long for a cancelled job to stop

_ids = itertools.count(1)


@dataclass
class Failure:
    """What went wrong: the text to show, the exception, and whether it was unexpected (logged)."""

    message: str
    error: BaseException
    unexpected: bool


def describe_failure(exc: BaseException) -> Failure:
    """Refusals (ServiceError, read-only, damaged file) are their own zh-TW text; a storage error
    (disk full …) is logged and described; anything else is logged with its traceback and its
    message names the log file."""
    from desktop_app.domain.errors import ServiceError
    from desktop_app.storage.db import DatabaseFileError, ReadOnlyError, describe_storage_error

    if isinstance(exc, (ServiceError, ReadOnlyError, DatabaseFileError)):
        return Failure(str(exc), exc, unexpected=False)
    from desktop_app.log import current_log_path, log_exception, log_path

    described = describe_storage_error(exc)
    log_exception("error in a background job", exc)
    if described:
        return Failure(f"{described}。", exc, unexpected=False)
    message = (
        f"發生未預期的錯誤（{type(exc).__name__}: {exc}），這個動作已取消，資料未受影響。\n"
        f"詳細資料已寫入記錄檔：{current_log_path() or log_path()}"
    )
    return Failure(message, exc, unexpected=True)


class _Task:
    """The worker thread's side of a job: plain Python (the Qt object may be gone by then)."""

    def __init__(self, fn: Callable[[ProgressFn], Any], emit: Callable[[int, str, object], None]) -> None:
        self.id = next(_ids)
        self.fn: Callable[[ProgressFn], Any] | None = fn  # dropped once run (it may hold big inputs)
        self.cancel_asked = threading.Event()
        self.started = threading.Event()  # taken from the queue by the worker thread
        self.done = threading.Event()  # fn has returned (any way) and its outcome is sent
        self._emit = emit
        self._last_progress = 0.0

    def report(self, done: int, total: int) -> None:
        """The ``progress`` callback the service calls (worker thread)."""
        if self.cancel_asked.is_set():
            raise Cancelled()
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL or done >= total > 0:
            self._last_progress = now
            self._emit(self.id, "progress", (done, total))

    def run(self) -> tuple[str, object]:
        self.started.set()  # before the cancel check: see wait_for
        fn, self.fn = self.fn, None
        if self.cancel_asked.is_set() or fn is None:
            return CANCELLED, None
        self._emit(self.id, RUNNING, None)
        try:
            return FINISHED, fn(self.report)
        except Cancelled:
            return CANCELLED, None
        except Exception as exc:  # every failure is shown; an unexpected one is logged
            return FAILED, describe_failure(exc)


class Job(QObject):
    """One piece of background work, owned by a widget (deleted with it; its job is then cancelled).

    Signals (always on the GUI thread): ``started()``; ``progress(done, total)``;
    ``finished(result)``, ``failed(message)`` or ``cancelled()``; then ``ended()``.
    After ``failed``, :attr:`failure` says what went wrong.
    """

    started = Signal()
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, task: _Task, title: str, owner: QObject | None) -> None:
        super().__init__(owner)
        self.task = task
        self.title = title
        self.state = QUEUED
        self.failure: Failure | None = None
        if owner is not None:
            owner.destroyed.connect(lambda *_: task.cancel_asked.set())

    def cancel(self) -> None:
        """Ask the job to stop: a queued job never starts; a running one stops at its next progress."""
        self.task.cancel_asked.set()

    def is_active(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    def deliver(self, event: str, payload: object) -> None:
        """Turn the worker's report into this job's signals (GUI thread)."""
        if event == "progress":
            done, total = cast(tuple[int, int], payload)
            self.progress.emit(done, total)
            return
        self.state = event
        if event == RUNNING:
            self.started.emit()
            return
        if event == FINISHED:
            self.finished.emit(payload)
        elif event == FAILED:
            assert isinstance(payload, Failure)
            self.failure = payload
            self.failed.emit(payload.message)
        else:
            self.cancelled.emit()
        self.ended.emit()


class JobRunner(QObject):
    """The queue: one worker thread runs the jobs in the order they were submitted."""

    _report = Signal(int, str, object)  # task id, event, payload: emitted in the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[_Task] = queue.Queue()
        self._jobs: dict[int, Job] = {}  # submitted and not yet delivered as ended, in order
        self._thread: threading.Thread | None = None
        self._report.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(self, owner: QObject | None, title: str, fn: Callable[[ProgressFn], Any]) -> Job:
        """Queue ``fn``; the returned job's signals tell what happens (connect them right away)."""
        task = _Task(fn, self._report.emit)
        job = Job(task, title, owner)
        self._jobs[task.id] = job
        self._queue.put(task)
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="jobs", daemon=True)
            self._thread.start()
        return job

    def active_jobs(self) -> list[Job]:
        """Queued and running jobs, oldest first."""
        return [job for job in self._jobs.values() if shiboken6.isValid(job)]

    def _work(self) -> None:  # the worker thread
        while True:
            task = self._queue.get()
            try:
                event, payload = task.run()
            except Exception as exc:  # describing the failure failed (the log?): the queue goes on
                event, payload = FAILED, Failure(f"發生未預期的錯誤（{type(exc).__name__}），這個動作已取消。", exc, True)
            self._report.emit(task.id, event, payload)
            task.done.set()

    @Slot(int, str, object)
    def _deliver(self, task_id: int, event: str, payload: object) -> None:
        job = self._jobs.get(task_id)
        if event not in ("progress", RUNNING):
            self._jobs.pop(task_id, None)
        if job is not None and shiboken6.isValid(job):
            job.deliver(event, payload)

    def stop_jobs_of(self, ancestor: QObject, timeout: float = CLOSE_WAIT_SECONDS) -> bool:
        """Cancel the jobs owned by ``ancestor`` or anything inside it and wait for a running one to
        stop (closing the window, opening another database). Each ends as ``cancelled`` at once (its
        progress dialog closes); whatever it would still deliver is dropped: a job that finished
        just before is committed but its result is not shown. False when one is still running
        after ``timeout`` seconds (it stops at its next progress report)."""
        owned = [job for job in self.active_jobs() if _is_inside(job.parent(), ancestor)]
        for job in owned:
            job.cancel()
            self._jobs.pop(job.task.id, None)
        stopped = wait_for(owned, timeout)
        for job in owned:
            if shiboken6.isValid(job) and job.is_active():
                job.deliver(CANCELLED, None)
        return stopped


def wait_for(jobs: Iterable[Job], timeout: float) -> bool:
    """Block until the jobs' functions have returned (at most ``timeout`` seconds in all)."""
    deadline = time.monotonic() + timeout
    for job in jobs:
        if not job.task.started.is_set() and job.task.cancel_asked.is_set():
            continue  # still queued: the worker will skip it without running it
        if not job.task.done.wait(max(0.0, deadline - time.monotonic())):
            return False
    return True


def _is_inside(obj: QObject | None, ancestor: QObject) -> bool:
    while obj is not None:
        if obj is ancestor:
            return True
        obj = obj.parent()
    return False


def runner() -> JobRunner:
    """The application's one runner (created on first use, owned by the QApplication)."""
    app = QCoreApplication.instance()
    existing = getattr(app, "_job_runner", None)
    if isinstance(existing, JobRunner) and shiboken6.isValid(existing):
        return existing
    created = JobRunner(app)
    if app is not None:
        app._job_runner = created  # type: ignore[attr-defined]  # kept on the app: one per process
    return created


def submit(owner: QObject | None, title: str, fn: Callable[[ProgressFn], Any]) -> Job:
    """Queue ``fn`` on the application's runner (see :meth:`JobRunner.submit`)."""
    return runner().submit(owner, title, fn)


def show_failure(parent: QWidget | None, job: Job, message: str, title: str = "無法完成") -> None:
    """The zh-TW dialog for a failed job: the error dialog (details to copy, the log file) for an
    unexpected error; a warning with the refusal's own text otherwise."""
    failure = job.failure
    if failure is not None and failure.unexpected:
        from desktop_app.ui.dialogs.error_dialog import ErrorDialog

        ErrorDialog(failure.error, failure.error.__traceback__, parent).exec()
        return
    QMessageBox.warning(parent, title, message)


def run_with_progress(
    parent: QWidget,
    title: str,
    fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], object],
    on_error: Callable[[str], object] | None = None,
) -> Job:
    """Run ``fn`` as a job with a progress dialog (取消 cancels it).

    ``on_done(result)`` on success. A refusal goes to ``on_error(message)`` (default: a warning);
    an unexpected error is shown in the error dialog. Connect ``job.ended`` for what must happen
    whatever the outcome.
    """
    job = submit(parent, title, fn)
    waiting = len(runner().active_jobs()) > 1
    dialog = QProgressDialog(f"{title}…" + ("（等待前一個工作完成）" if waiting else ""), "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(job.cancel)
    job.started.connect(lambda: dialog.setLabelText(f"{title}…"))
    job.progress.connect(lambda done, total: _show_progress(dialog, done, total))

    def close_dialog() -> None:  # before on_done / on_error, which may open a dialog of their own
        if shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()

    def finished(result: object) -> None:
        close_dialog()
        on_done(result)

    def failed(message: str) -> None:
        close_dialog()
        if on_error is not None and not (job.failure and job.failure.unexpected):
            on_error(message)
        else:
            show_failure(parent, job, message)

    job.finished.connect(finished)
    job.failed.connect(failed)
    job.cancelled.connect(close_dialog)
    return job


def _show_progress(dialog: QProgressDialog, done: int, total: int) -> None:
    if shiboken6.isValid(dialog):
        dialog.setMaximum(total)
        dialog.setValue(done)
