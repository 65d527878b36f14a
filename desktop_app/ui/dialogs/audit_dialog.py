"""工具 → 操作紀錄: the audit log viewer (completed by the foundation feature)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from desktop_app.storage.db import Database


class AuditDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("操作紀錄")
        QVBoxLayout(self).addWidget(QLabel("建置中"))
