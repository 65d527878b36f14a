"""The 收訖明細 tab (owned by the receipts feature)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.storage.db import Database
from desktop_app.ui.tabs.base import BaseTab


class ReceiptsTab(BaseTab):
    key = "receipts"
    title = "收訖明細"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("收訖明細：建置中"))
