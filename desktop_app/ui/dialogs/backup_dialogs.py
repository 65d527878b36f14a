"""檔案 → 從備份還原 (the backups with date, reason, size and whether they passed their check) and
設定 → 備份 (the optional second backup folder: a USB stick or a network share)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import backup_dir_for, backup_mirror_dir, set_backup_mirror_dir
from desktop_app.storage.backup import BackupEntry, backup_entries
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons

VERIFIED_TEXT = {True: "√ 已驗證", False: "╳ 未通過檢查", None: "未檢查（舊版備份）"}


def human_size(size: int) -> str:
    value: float = size
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return str(value)


class RestoreDialog(QDialog):
    """Pick a backup of ``db_path`` (or another file); ``chosen`` is the path after 還原."""

    COLUMNS = ("日期時間", "原因", "大小", "檢查", "檔名")

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("從備份還原")
        self.db_path = db_path
        self.chosen: Path | None = None
        self.entries: list[BackupEntry] = backup_entries(db_path)
        layout = QVBoxLayout(self)
        info = QLabel(
            f"備份資料夾：{backup_dir_for(db_path)}\n選一份備份後按「還原」；目前的資料會先另外備份一份。"
        )
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(info)
        self.table = QTableWidget(len(self.entries), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, entry in enumerate(self.entries):
            cells = (
                entry.created.strftime("%Y-%m-%d %H:%M:%S"),
                entry.reason_label,
                human_size(entry.size),
                VERIFIED_TEXT[entry.verified],
                entry.path.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemDoubleClicked.connect(lambda _item: self._accept_selected())
        layout.addWidget(self.table, 1)
        if not self.entries:
            layout.addWidget(QLabel("這個資料庫還沒有備份。可用「其他檔案…」選擇備份檔。"))
        else:
            good = next((i for i, e in enumerate(self.entries) if e.verified), 0)
            self.table.selectRow(good)
        buttons = QHBoxLayout()
        self.other_button = QPushButton("其他檔案…")
        self.other_button.clicked.connect(self._choose_file)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        box = ok_cancel_buttons(self, "還原", on_accept=self._accept_selected)
        self.restore_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setEnabled(bool(self.entries))
        buttons.addWidget(box)
        layout.addLayout(buttons)
        self.resize(760, 420)

    def _accept_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.chosen = self.entries[rows[0].row()].path
            self.accept()

    def _choose_file(self) -> None:
        start = backup_dir_for(self.db_path)
        path = file_dialogs.open_file(self, "選擇要還原的備份", file_dialogs.DATABASES, "備份 (*.sqlite3)", start=start)
        if path is not None:
            self.chosen = path
            self.accept()


class BackupSettingsDialog(QDialog):
    """設定 → 備份: a second folder that gets a copy of every verified backup."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("備份設定")
        form = QFormLayout(self)
        explain = QLabel(
            "每次備份通過檢查後，另複製一份到第二備份資料夾（例如隨身碟或學校的網路磁碟），"
            "電腦硬碟故障時資料仍在。保留原則與主要備份相同。留白表示不使用。"
        )
        explain.setWordWrap(True)
        form.addRow(explain)
        current = backup_mirror_dir()
        self.folder = QLineEdit(str(current) if current else "")
        self.folder.setPlaceholderText("不使用第二備份資料夾")
        browse = QPushButton("選擇…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow("第二備份資料夾", row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow("", self.status)
        form.addRow(ok_cancel_buttons(self, "儲存", on_accept=self.save, ok_button=QDialogButtonBox.StandardButton.Save))

    def _browse(self) -> None:
        current = Path(self.folder.text().strip()) if self.folder.text().strip() else None
        path = file_dialogs.choose_folder(self, "選擇第二備份資料夾", current)
        if path is not None:
            self.folder.setText(str(path))

    def save(self) -> None:
        text = self.folder.text().strip()
        if text:
            folder = Path(text)
            if not folder.is_dir():
                self.status.setText(f"找不到資料夾「{folder}」。隨身碟或網路磁碟是否已連線？")
                self.status.setStyleSheet("color:#b00020;")
                return
            if not os.access(folder, os.W_OK):
                self.status.setText(f"資料夾「{folder}」不能寫入，請選擇其他資料夾。")
                self.status.setStyleSheet("color:#b00020;")
                return
        set_backup_mirror_dir(Path(text) if text else None)
        self.accept()
