"""The dialog for an unexpected error: what happened in one sentence, 複製詳細資料 (versions, log
file, traceback with IDs masked — for a support mail) and where the log file is."""

from __future__ import annotations

from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.log import current_log_path, format_details, log_path


class ErrorDialog(QDialog):
    """Modal; the program stays usable after it closes."""

    def __init__(
        self, exc: BaseException, tb: TracebackType | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("程式錯誤")
        self.details = format_details(exc, tb)
        self.log_file = current_log_path() or log_path()
        layout = QVBoxLayout(self)
        message = QLabel(
            "發生未預期的錯誤，這個動作已取消；已儲存的資料沒有受到影響，可以繼續使用本程式。\n"
            f"錯誤：{type(exc).__name__}"
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        self.log_label = QLabel(f"詳細資料已寫入記錄檔：\n{self.log_file}")
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setWordWrap(True)
        layout.addWidget(self.log_label)
        hint = QLabel("需要協助時，請按「複製詳細資料」貼到電子郵件寄給資訊人員（身分證號已遮罩）。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.text = QPlainTextEdit(self.details)
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        layout.addWidget(self.text, 1)
        buttons = QHBoxLayout()
        self.toggle_button = QPushButton("顯示詳細資料")
        self.toggle_button.clicked.connect(self._toggle)
        self.copy_button = QPushButton("複製詳細資料")
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = QPushButton("開啟記錄檔資料夾")
        self.folder_button.clicked.connect(self._open_folder)
        self.close_button = QPushButton("關閉")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        for button in (self.toggle_button, self.copy_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(560, 220)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("已複製")

    def _toggle(self) -> None:
        show = not self.text.isVisible()
        self.text.setVisible(show)
        self.toggle_button.setText("隱藏詳細資料" if show else "顯示詳細資料")
        self.resize(self.width(), 480 if show else 220)

    def _open_folder(self) -> None:
        from desktop_app.ui.dialogs.about import open_folder

        open_folder(self.log_file.parent)
