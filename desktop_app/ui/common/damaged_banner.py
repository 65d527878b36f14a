"""The red banner of a damaged database (its own widget, above the 作業期程 banner)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class DamagedDatabaseBanner(QFrame):
    """Says what is wrong and offers the restore. Signals: ``restore_latest()``, ``restore_other()``."""

    restore_latest = Signal()
    restore_other = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DamagedDatabaseBanner")
        self.setStyleSheet(
            "#DamagedDatabaseBanner {background:#c62828; border-radius:4px;}"
            " QLabel {color:white; background:transparent;}"
            " QPushButton {background:white; color:#8b0000; padding:4px 10px; border-radius:3px;}"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.latest_button = QPushButton("從最近一次完好的備份還原")
        self.latest_button.clicked.connect(self.restore_latest)
        self.other_button = QPushButton("選擇其他備份…")
        self.other_button.clicked.connect(self.restore_other)
        buttons = QVBoxLayout()
        buttons.addWidget(self.latest_button)
        buttons.addWidget(self.other_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label, 1)
        layout.addLayout(buttons)
        self.setVisible(False)

    def show_problem(self, message: str | None, latest_good: str | None) -> None:
        """Show ``message`` (None hides the banner); ``latest_good`` describes the backup offered."""
        if not message:
            self.setVisible(False)
            return
        offer = (
            f"\n最近一次完好的備份：{latest_good}" if latest_good else "\n找不到通過檢查的備份；可用「選擇其他備份…」指定備份檔。"
        )
        self.label.setText(f"⚠ {message}{offer}")
        self.latest_button.setEnabled(latest_good is not None)
        self.setVisible(True)
