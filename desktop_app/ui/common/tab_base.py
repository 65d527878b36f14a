"""The base of every tab: holds the database, knows how to refresh and report errors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.common.read_only import lock_read_only
from desktop_app.ui.events import AppEvents, Topic


class BaseTab(QWidget):
    """Signals: ``navigate(tab_key, record)`` asks the window to switch to another tab and show a
    record; ``data_changed()`` the old way to say "changed" (the window publishes :attr:`owns`).

    A tab publishes what it changed (:meth:`publish`, :meth:`changed`) on the window's
    :class:`~desktop_app.ui.events.AppEvents`, and reloads when something it :attr:`shows` changes
    elsewhere: at once when it is the tab on screen, else when it is next shown (:meth:`refresh_if_stale`).
    """

    data_changed = Signal()
    navigate = Signal(str, object)

    key = ""  # e.g. "working_group"
    title = ""  # e.g. "工作小組"
    owns: Topic | None = None  # the data the tab edits: what :meth:`changed` publishes unless told otherwise
    shows: frozenset[Topic] = frozenset()  # the data the tab displays (it reloads when one changes)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.events: AppEvents | None = None
        self._stale = False

    def subscribe(self, events: AppEvents) -> None:
        """Publish on ``events`` and reload when a topic of :attr:`shows` changes (the window calls this)."""
        self.events = events
        self.data_changed.connect(self.publish)  # the old signal still reaches the tabs that care
        for topic in self.shows:
            events.signal(topic).connect(self._shown_data_changed)

    def _shown_data_changed(self, source: object) -> None:
        if source is self:
            return  # the tab that made the change has reloaded itself
        if self.isHidden():  # another tab is on screen: reload when this one is shown again
            self._stale = True
        else:
            self.reload_now()

    def refresh_if_stale(self) -> None:
        """Reload when data it shows changed while the tab was not on screen."""
        if self._stale:
            self.reload_now()

    def reload_now(self) -> None:
        """:meth:`refresh`, and no longer stale."""
        self._stale = False
        self.refresh()

    def publish(self, *topics: Topic) -> None:
        """Say what this tab changed (default: :attr:`owns`); the tabs that show it reload."""
        if self.events is None:
            return
        for topic in topics or ((self.owns,) if self.owns else ()):
            self.events.publish(topic, self)

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

    def changed(self, *topics: Topic) -> None:
        """After this tab changed the database: reload it, then :meth:`publish` ``topics``."""
        self.reload_now()
        self.publish(*topics)
