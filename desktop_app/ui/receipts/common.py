"""Shared bits of the 收訖明細 sub-views: the base class, status colours, a table helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMessageBox,
    QProgressDialog,
    QTableView,
    QWidget,
)

from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.receipts import CONFIRMED, DEEMED, EXEMPT, OBJECTION, UNCONFIRMED
from desktop_app.storage.db import Database
from desktop_app.ui.common.list_model import ListTableModel
from desktop_app.ui.common.read_only import lock_read_only
from desktop_app.ui.worker import start_worker

STATUS_COLOURS: dict[str, str] = {  # by status code
    CONFIRMED: "#d9f2d9",
    DEEMED: "#e6f0e6",
    OBJECTION: "#ffd9b3",
    UNCONFIRMED: "#fff3c4",
    EXEMPT: "#e8e8e8",
}


class ReceiptsView(QWidget):
    """A sub-view of the 收訖明細 tab. Signals: ``changed()`` after it wrote to the database."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.batch_id: int | None = None

    def set_batch(self, batch_id: int | None) -> None:
        self.batch_id = batch_id
        self.refresh()
        self.apply_read_only()

    def refresh(self) -> None:
        """Reload from the database."""

    def writable_widgets(self) -> list[QWidget]:
        """Widgets that change data; disabled (with a tooltip) when the database is read-only."""
        return []

    def apply_read_only(self) -> None:
        """Called after anything that may have enabled a writable widget again."""
        if self.db.read_only:
            lock_read_only(self.writable_widgets())

    def show_error(self, message: str, title: str = "無法完成") -> None:
        QMessageBox.warning(self, title, message)


def make_table(model: ListTableModel, parent: QWidget | None = None, *, sortable: bool = True) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(sortable)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def seat_text(seat: int | None) -> str:
    return "" if seat is None else str(seat)


class ProgressRunner(QObject):
    """Runs a service through :func:`start_worker` with a progress dialog and a cancel button.

    The worker's signals are connected to this object's slots (it lives in the GUI thread), so
    they are queued to the GUI thread: widgets are never touched from the worker thread.
    """

    def __init__(
        self,
        parent: QWidget,
        title: str,
        fn: Callable[[ProgressFn], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_error = on_error
        self.dialog = QProgressDialog(f"{title}…", "取消", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(300)
        self.thread, self.worker = start_worker(self, fn)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.dialog.canceled.connect(self.worker.cancel)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def _end(self) -> None:
        # The worker has returned; let its thread wind down before anything else happens (a
        # QThread destroyed while still running aborts the process).
        self.thread.quit()
        self.thread.wait(10_000)
        self.dialog.close()

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end()
        self._on_done(result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._end()
        self._on_error(message)

    @Slot()
    def _cancelled(self) -> None:
        self._end()
