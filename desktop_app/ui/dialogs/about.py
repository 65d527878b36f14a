"""說明 menu: 關於 (version, where the data and backups are, licences) and opening the user guide."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_TITLE, __version__
from desktop_app.config import BACKUP_DAILY_DAYS, BACKUPS_KEPT, backup_dir_for, backup_mirror_dir, data_dir
from desktop_app.log import current_log_path, log_path
from desktop_app.resources import app_root, guide_path, icon_path, is_frozen, license_files
from desktop_app.storage.backup import list_backups
from desktop_app.storage.db import Database


def open_folder(path: Path) -> bool:
    """Show a folder in the file manager (created first, so a not-yet-used backup folder opens too)."""
    path.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_user_guide(parent: QWidget | None = None) -> bool:
    """Open the shipped Chinese user guide in the default browser; a message if it is missing."""
    path = guide_path()
    if not path.is_file():
        QMessageBox.warning(
            parent,
            "使用說明",
            f"找不到使用說明檔案：\n{path}\n安裝可能不完整，請重新安裝本程式（資料不會遺失）。",
        )
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        QMessageBox.information(parent, "使用說明", f"無法自動開啟瀏覽器，請手動開啟：\n{path}")
        return False
    return True


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class AboutDialog(QDialog):
    """Version, database path, backup folder, and the licence texts of the bundled parts."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("關於")
        layout = QVBoxLayout(self)

        layout.addLayout(self._build_header())
        layout.addLayout(self._build_paths_form(db))
        layout.addLayout(self._build_folder_buttons(db))
        layout.addWidget(self._build_licence_box(), 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("關閉")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(920, 640)


    @staticmethod
    def _build_header() -> QHBoxLayout:
        """The icon, the app's name and its version."""
        header = QHBoxLayout()
        icon = QLabel()
        pixmap = QPixmap(str(icon_path()))
        if not pixmap.isNull():
            icon.setPixmap(
                pixmap.scaled(
                    64, 64, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        header.addWidget(icon)
        title = QLabel(f"<b style='font-size:15pt'>{APP_TITLE}</b><br>版本 {__version__}")
        title.setTextFormat(Qt.TextFormat.RichText)
        header.addWidget(title, 1)
        return header

    def _build_paths_form(self, db: Database) -> QFormLayout:
        """Where things are: database (and its journal mode), backups, log, data folder, runtime."""
        backups = backup_dir_for(db.path)
        count = len(list_backups(db.path))
        form = QFormLayout()
        self.db_label = _selectable(str(db.path) + ("（唯讀）" if db.read_only else ""))
        mirror = backup_mirror_dir()
        self.backup_label = _selectable(
            f"{backups}\n每次開啟時檢查後自動備份，保留最近 {BACKUPS_KEPT} 份及 {BACKUP_DAILY_DAYS} 天內每天一份；"
            f"手動與變更前的備份一律保留；目前有 {count} 份。"
            + (f"\n第二備份資料夾：{mirror}" if mirror else "")
        )
        if db.location.network:
            journal = (
                f"網路資料夾（{db.location.detail}）：使用 DELETE 日誌模式。SQLite 的 WAL 模式在網路檔案系統上不安全，"
                "因此在網路資料夾上改用傳統日誌；請勿讓兩台電腦同時修改。"
            )
        else:
            journal = "本機磁碟：使用 WAL 日誌模式。"
        self.journal_label = _selectable(journal)
        log_file = current_log_path() or log_path()
        form.addRow("資料庫", self.db_label)
        form.addRow("資料庫位置", self.journal_label)
        form.addRow("備份資料夾", self.backup_label)
        form.addRow("記錄檔", _selectable(str(log_file)))
        form.addRow("使用者資料夾", _selectable(str(data_dir())))
        mode = "安裝版" if is_frozen() else "原始碼執行"
        form.addRow(
            "執行環境",
            _selectable(
                f"{mode}（{app_root()}）\nPython {platform.python_version()}，Qt {qVersion()}，"
                f"PySide6 {pyside_version}，{platform.system()} {platform.release()}"
            ),
        )
        return form

    @staticmethod
    def _build_folder_buttons(db: Database) -> QHBoxLayout:
        """Buttons that open the database folder and the backup folder."""
        backups = backup_dir_for(db.path)
        folders = QHBoxLayout()
        open_db = QPushButton("開啟資料庫所在資料夾")
        open_db.clicked.connect(lambda: open_folder(db.path.parent))
        open_backups = QPushButton("開啟備份資料夾")
        open_backups.clicked.connect(lambda: open_folder(backups))
        folders.addWidget(open_db)
        folders.addWidget(open_backups)
        folders.addStretch(1)
        return folders

    def _build_licence_box(self) -> QGroupBox:
        """The licences of the bundled parts: a list and the chosen text."""
        box = QGroupBox("本程式附帶元件的授權")
        box_layout = QHBoxLayout(box)
        self.license_list = QListWidget()
        self.license_list.setMaximumWidth(190)
        self.license_text = QPlainTextEdit()
        self.license_text.setReadOnly(True)
        self.license_text.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.NoWrap
        )  # licence texts are hard-wrapped
        self.license_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._license_paths = license_files()
        for path in self._license_paths:
            self.license_list.addItem("總覽" if path.name == "README.txt" else path.stem)
        self.license_list.currentRowChanged.connect(self._show_license)
        box_layout.addWidget(self.license_list)
        box_layout.addWidget(self.license_text, 1)
        if self._license_paths:
            self.license_list.setCurrentRow(0)
        else:
            self.license_text.setPlainText("找不到授權檔案（resources/licenses）。")
        return box

    def _show_license(self, row: int) -> None:
        if 0 <= row < len(self._license_paths):
            self.license_text.setPlainText(
                self._license_paths[row].read_text(encoding="utf-8", errors="replace")
            )
