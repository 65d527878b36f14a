"""學校資料: the school profile and the 開學日 / 休業式 of each 學期 (first run and settings)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import ServiceError
from desktop_app.storage.db import Database
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons
from desktop_app.ui.common.profile_form import ProfileForm


class ProfileDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None, *, first_run: bool = False) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("學校資料" + ("（第一次使用）" if first_run else ""))
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel("歡迎使用！請先填寫學校基本資料，工作小組組成檢核與各項期限會依此計算。")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        self.form = ProfileForm(lambda: self.db, "學期日期（開學日、休業式）")
        layout.addWidget(self.form)
        form = self.form  # its fields, under the names callers use
        self.code, self.name, self.principal = form.code, form.name, form.principal
        self.practice, self.continuing = form.practice, form.continuing
        self.year, self.start, self.end = form.year, form.start, form.end

        buttons = ok_cancel_buttons(
            self, "儲存", on_accept=self.save, ok_button=QDialogButtonBox.StandardButton.Save
        )
        layout.addWidget(buttons)
        self.form.load()

    def save(self) -> None:
        try:
            self.form.save()
        except ServiceError as exc:
            QMessageBox.warning(self, "學校資料", str(exc))
            return
        self.accept()
