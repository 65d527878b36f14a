"""Run a service off the GUI thread with progress and cancel.

The service gets a plain ``progress(done, total)`` callback; the worker turns it into a Qt signal
and raises :class:`~desktop_app.services.progress.Cancelled` inside it once cancel is asked.
Widgets are only touched from the GUI thread, through the signals.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.services.progress import Cancelled, ProgressFn


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
        except Exception as exc:  # shown to the user; the traceback goes to stderr for support
            traceback.print_exc()
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result)


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
