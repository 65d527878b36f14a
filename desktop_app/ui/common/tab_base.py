"""The base of every tab: holds the database, knows how to refresh and report errors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.common.read_only import lock_read_only


class BaseTab(QWidget):
    """Signals: ``data_changed()`` after the tab changed the database (other tabs refresh);
    ``navigate(tab_key, record)`` asks the window to switch to another tab and show a record."""

    data_changed = Signal()
    navigate = Signal(str, object)

    key = ""  # e.g. "working_group"
    title = ""  # e.g. "工作小組"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db

    def refresh(self) -> None:
        """Reload from the database."""

    def writable_widgets(self) -> list[QWidget]:
        """The widgets that change data (buttons, a scan field): disabled when the database is
        opened read-only. Tabs override this and call :meth:`apply_read_only` after refreshing."""
        return []

    def apply_read_only(self) -> None:
        """When ``db.read_only``: disable :meth:`writable_widgets` with a tooltip saying why."""
        if self.db.read_only:
            lock_read_only(self.writable_widgets())

    def has_unsaved_changes(self) -> bool:
        """True when closing the window would lose edits (the window then asks)."""
        return False

    def save_unsaved(self) -> bool:
        """Save what :meth:`has_unsaved_changes` reported; False when saving failed."""
        return True

    def show_record(self, record: object) -> None:
        """Select a record another tab pointed at (e.g. a meeting id)."""

    def show_error(self, message: str, title: str = "無法完成") -> None:
        QMessageBox.warning(self, title, message)

    def changed(self) -> None:
        self.refresh()
        self.data_changed.emit()
