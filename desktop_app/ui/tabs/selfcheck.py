"""The 自我檢核 tab (owned by the selfcheck feature)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.tabs.base import BaseTab


class SelfCheckTab(BaseTab):
    key = "selfcheck"
    title = "自我檢核"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("自我檢核：建置中"))
