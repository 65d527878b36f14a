"""Issue 11: the log file — written, rotated, IDs masked; worker and window errors reach it; the
error dialog shows the log path and copies the details."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app import log


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    log.setup_logging(folder, max_bytes=2_000, backup_count=2)
    yield folder
    log.shutdown_logging()


def read_all(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("desktop-app.log*")))


def test_log_file_is_written_masked_and_rotated(log_folder: Path) -> None:
    logger = logging.getLogger("desktop_app.test")
    logger.info("imported row of A123456789 and resident AB12345678, sha 1234A123456789ff")
    try:
        raise ValueError("bad id F131104093")
    except ValueError as exc:
        log.log_exception("unexpected", exc)
    text = (log_folder / "desktop-app.log").read_text(encoding="utf-8")
    assert "A12345****" in text and "A123456789 " not in text and "AB1234****" in text
    assert "1234A123456789ff" in text  # not ID-shaped on its own: left alone
    assert "Traceback" in text and "F13110****" in text and "F131104093" not in text
    for i in range(60):
        logger.info("line %d %s", i, "x" * 80)
    files = sorted(p.name for p in log_folder.glob("desktop-app.log*"))
    assert files == ["desktop-app.log", "desktop-app.log.1", "desktop-app.log.2"]  # capped: 2 old files
    assert all(p.stat().st_size <= 2_200 for p in log_folder.glob("desktop-app.log*"))
    if __import__("os").name == "posix":
        assert (log_folder / "desktop-app.log").stat().st_mode & 0o777 == 0o600


def test_job_exception_reaches_the_log_and_the_error_dialog(qtbot, log_folder: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop_app.ui.dialogs.error_dialog import ErrorDialog
    from desktop_app.ui.jobs import run_with_progress

    def work(progress):  # type: ignore[no-untyped-def]
        progress(1, 2)
        return {}["missing key of A123456789"]

    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[str] = []
    shown: list[str] = []

    def answer() -> None:  # the clerk reads the error dialog and closes it
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ErrorDialog):
            shown.append(dialog.details)
            dialog.accept()
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    job = run_with_progress(parent, "匯入", work, on_done=lambda _r: None, on_error=errors.append)  # the tabs' runner
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert errors == []  # an unexpected error goes to the error dialog, not to the tab's own message
    assert job.failure is not None and job.failure.unexpected
    assert "未預期的錯誤" in job.failure.message and str(log_folder / "desktop-app.log") in job.failure.message
    assert "KeyError" in shown[0] and "A12345****" in shown[0] and "A123456789" not in shown[0]
    text = read_all(log_folder)
    assert "error in a background job" in text and "KeyError" in text and "Traceback" in text
    assert "A12345****" in text and "A123456789" not in text
    assert "Traceback" not in capfd.readouterr().err


def test_python_thread_exception_reaches_the_log(log_folder: Path) -> None:
    import threading

    thread = threading.Thread(target=lambda: 1 / 0, name="export-thread")
    thread.start()
    thread.join()
    assert "unexpected error in thread export-thread" in read_all(log_folder)
    assert "ZeroDivisionError" in read_all(log_folder)


def test_error_dialog_shows_the_log_path_and_copies_details(qtbot, log_folder: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.app import handle_exception
    from desktop_app.ui.dialogs.error_dialog import ErrorDialog

    seen: dict[str, str] = {}

    def inspect_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ErrorDialog)
        seen["label"] = dialog.log_label.text()
        dialog.copy_button.click()
        seen["clipboard"] = QGuiApplication.clipboard().text()
        seen["button"] = dialog.copy_button.text()
        dialog.close_button.click()

    try:
        raise RuntimeError("something broke for A123456789")
    except RuntimeError as exc:
        QTimer.singleShot(50, inspect_and_close)
        handle_exception(type(exc), exc, exc.__traceback__)  # the GUI's excepthook
    log_file = str(log_folder / "desktop-app.log")
    assert log_file in seen["label"]
    assert log_file in seen["clipboard"] and "Traceback" in seen["clipboard"]
    assert "RuntimeError: something broke for A12345****" in seen["clipboard"]
    assert seen["button"] == "已複製"
    assert "unexpected error in the window" in read_all(log_folder)


def test_error_dialog_screenshot(qtbot, log_folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.dialogs.error_dialog import ErrorDialog

    try:
        raise KeyError("column")
    except KeyError as exc:
        dialog = ErrorDialog(exc)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.toggle_button.click()
    assert dialog.text.isVisible() and "KeyError" in dialog.text.toPlainText()
    shot = tmp_path / "error-dialog.png"
    assert dialog.grab().save(str(shot)) and shot.stat().st_size > 5_000
    dialog.close()
