"""The 開課預檢 tab (owned by the precheck feature)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.tabs.base import BaseTab


class PrecheckTab(BaseTab):
    key = "precheck"
    title = "開課預檢"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("開課預檢：建置中"))
