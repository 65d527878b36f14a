"""Run a service off the GUI thread with progress and cancel.

The service gets a plain ``progress(done, total)`` callback; the worker turns it into a Qt signal
and raises :class:`~desktop_app.domain.progress.Cancelled` inside it once cancel is asked.
Widgets are only touched from the GUI thread, through the signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.domain.progress import Cancelled, ProgressFn


class Worker(QObject):
    """Signals: ``progress(done, total)``, ``finished(result)``, ``failed(message)``, ``cancelled()``."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _report(self, done: int, total: int) -> None:
        if self._cancel:
            raise Cancelled()
        self.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self._fn(self._report)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # shown to the user; an unexpected one goes to the log file
            self.failed.emit(worker_error_message(exc))
        else:
            self.finished.emit(result)


def worker_error_message(exc: BaseException) -> str:
    """The message the tab shows. Refusals (ServiceError, read-only, disk full …) are their own
    zh-TW text; anything else is logged with its traceback and the message names the log file."""
    from desktop_app.services import ServiceError
    from desktop_app.storage.db import DatabaseFileError, ReadOnlyError, describe_storage_error

    if isinstance(exc, (ServiceError, ReadOnlyError, DatabaseFileError)):
        return str(exc)
    from desktop_app.log import current_log_path, log_exception, log_path

    described = describe_storage_error(exc)
    log_exception("error in a worker thread", exc)
    if described:
        return f"{described}。"
    return (
        f"發生未預期的錯誤（{type(exc).__name__}: {exc}），這個動作已取消，資料未受影響。\n"
        f"詳細資料已寫入記錄檔：{current_log_path() or log_path()}"
    )


def start_worker(parent: QObject, fn: Callable[[ProgressFn], Any]) -> tuple[QThread, Worker]:
    """Start ``fn`` in a new thread; the caller connects the worker's signals.

    The thread and worker are cleaned up when the work ends.
    """
    thread = QThread(parent)
    worker = Worker(fn)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for signal in (worker.finished, worker.failed, worker.cancelled):
        signal.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread, worker
