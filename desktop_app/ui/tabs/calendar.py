"""The 作業期程 tab (owned by the calendar feature)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.tabs.base import BaseTab


class CalendarTab(BaseTab):
    key = "calendar"
    title = "作業期程"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("作業期程：建置中"))
