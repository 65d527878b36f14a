"""The 工作小組 tab (owned by the working_group feature)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.tabs.base import BaseTab


class WorkingGroupTab(BaseTab):
    key = "working_group"
    title = "工作小組"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("工作小組：建置中"))
