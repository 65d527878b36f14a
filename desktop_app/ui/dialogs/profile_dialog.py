"""學校資料: the school profile and the 開學日 / 休業式 of each 學期 (first run and settings)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roc_date import school_year_of
from desktop_app.services import ServiceError
from desktop_app.services.profile import Profile, get_profile, get_term_dates, save_profile, set_term_dates
from desktop_app.storage.db import Database
from desktop_app.ui.widgets.roc_date_edit import RocDateEdit


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
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setMaxLength(6)
        self.code.setPlaceholderText("6 碼，例如 011302")
        self.name = QLineEdit()
        self.principal = QLineEdit()
        self.practice = QCheckBox("本校設有實習處")
        self.continuing = QCheckBox("本校設有進修部")
        form.addRow("學校代碼", self.code)
        form.addRow("校名", self.name)
        form.addRow("校長", self.principal)
        form.addRow("", self.practice)
        form.addRow("", self.continuing)
        layout.addLayout(form)

        terms = QGroupBox("學期日期（開學日、休業式）")
        grid = QGridLayout(terms)
        self.year = QSpinBox()
        self.year.setRange(100, 200)
        self.year.setSuffix(" 學年度")
        self.year.setValue(school_year_of(date.today()))
        grid.addWidget(QLabel("學年度"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        self.start = {1: RocDateEdit(), 2: RocDateEdit()}
        self.end = {1: RocDateEdit(), 2: RocDateEdit()}
        for row, term in ((1, 1), (2, 2)):
            grid.addWidget(QLabel(f"第{term}學期 開學日"), row, 0)
            grid.addWidget(self.start[term], row, 1)
            grid.addWidget(QLabel("休業式"), row, 2)
            grid.addWidget(self.end[term], row, 3)
        layout.addWidget(terms)
        self.year.valueChanged.connect(self._load_terms)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("儲存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        profile = get_profile(self.db)
        if profile is not None:
            self.code.setText(profile.school_code)
            self.name.setText(profile.name)
            self.principal.setText(profile.principal)
            self.practice.setChecked(profile.has_practice_office)
            self.continuing.setChecked(profile.has_continuing_division)
        self._load_terms()

    def _load_terms(self) -> None:
        for term in (1, 2):
            td = get_term_dates(self.db, self.year.value(), term)
            self.start[term].setDate(td.start_date if td else None)
            self.end[term].setDate(td.end_date if td else None)

    def save(self) -> None:
        profile = Profile(
            self.code.text(),
            self.name.text(),
            self.principal.text(),
            self.practice.isChecked(),
            self.continuing.isChecked(),
        )
        try:
            save_profile(self.db, profile)
            for term in (1, 2):
                start = self.start[term].date()
                if start is not None:
                    set_term_dates(self.db, self.year.value(), term, start, self.end[term].date())
        except ServiceError as exc:
            QMessageBox.warning(self, "學校資料", str(exc))
            return
        self.accept()
