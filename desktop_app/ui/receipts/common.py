"""Shared bits of the 收訖明細 sub-views: the base class, status colours, a table helper."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMessageBox,
    QTableView,
    QWidget,
)

from desktop_app.domain.receipts import CONFIRMED, DEEMED, EXEMPT, OBJECTION, UNCONFIRMED
from desktop_app.storage.db import Database
from desktop_app.ui.common.list_model import ListTableModel
from desktop_app.ui.common.read_only import lock_read_only
from desktop_app.ui.jobs import run_with_progress

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


# The old name of the job runner with a progress dialog (same call shape), for callers not yet moved.
ProgressRunner = run_with_progress
