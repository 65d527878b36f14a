"""The school-profile form: 學校代碼 / 校名 / 校長 / 實習處 / 進修部 / the slips' contact line and the 學期 dates of one 學年度.

One widget for the 學校資料 dialog and the first-run wizard's profile page, so both ask the same
questions and save through the same services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roc_date import school_year_of
from desktop_app.services.profile import Profile, get_profile, get_term_dates, save_profile, set_term_dates
from desktop_app.storage.db import Database
from desktop_app.ui.common.roc_date_edit import RocDateEdit

TERMS = (1, 2)


class ProfileForm(QWidget):
    """The profile fields and a 學年度 with the 開學日 / 休業式 of its two 學期.

    Args:
        db: returns the database to read and write, or None while there is none yet (a wizard
            page not yet in its wizard); changing the 學年度 reloads the dates from it.
        terms_title: the title of the 學期 dates box.
    """

    def __init__(
        self, db: Callable[[], Database | None], terms_title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        self.contact_office = QLineEdit()
        self.contact_office.setPlaceholderText("例如 教務處註冊組")
        self.contact_phone = QLineEdit()
        self.contact_phone.setPlaceholderText("例如 (02)2345-6789 分機 123")
        form.addRow("確認單聯絡單位", self.contact_office)
        form.addRow("聯絡電話／分機", self.contact_phone)
        layout.addLayout(form)

        terms = QGroupBox(terms_title)
        grid = QGridLayout(terms)
        self.year = QSpinBox()
        self.year.setRange(100, 200)
        self.year.setSuffix(" 學年度")
        self.year.setValue(school_year_of(date.today()))
        grid.addWidget(QLabel("學年度"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        self.start = {term: RocDateEdit() for term in TERMS}
        self.end = {term: RocDateEdit() for term in TERMS}
        for term in TERMS:
            grid.addWidget(QLabel(f"第{term}學期 開學日"), term, 0)
            grid.addWidget(self.start[term], term, 1)
            grid.addWidget(QLabel("休業式"), term, 2)
            grid.addWidget(self.end[term], term, 3)
        layout.addWidget(terms)
        self._update_hints()
        self.year.valueChanged.connect(lambda _v: self.load_terms())
        self.year.valueChanged.connect(lambda _v: self._update_hints())

    def _update_hints(self) -> None:
        """Each field's hint is a date that makes sense for it in the chosen 學年度 (a 開學日 at the
        end of August, a 休業式 in January, …), not one example for all."""
        year = self.year.value()
        examples = {
            (1, "start"): f"{year}/08/29",
            (1, "end"): f"{year + 1}/01/20",
            (2, "start"): f"{year + 1}/02/11",
            (2, "end"): f"{year + 1}/06/30",
        }
        for term in TERMS:
            self.start[term].setPlaceholderText(f"例：{examples[(term, 'start')]}")
            self.end[term].setPlaceholderText(f"例：{examples[(term, 'end')]}")

    def load(self) -> None:
        """Fill the fields from the stored profile (if any) and the dates of the shown 學年度."""
        db = self._db()
        if db is None:
            return
        profile = get_profile(db)
        if profile is not None:
            self.code.setText(profile.school_code)
            self.name.setText(profile.name)
            self.principal.setText(profile.principal)
            self.practice.setChecked(profile.has_practice_office)
            self.continuing.setChecked(profile.has_continuing_division)
            self.contact_office.setText(profile.contact_office)
            self.contact_phone.setText(profile.contact_phone)
        self.load_terms()

    def load_terms(self) -> None:
        """Show the stored 開學日 / 休業式 of the chosen 學年度 (empty where none is stored)."""
        db = self._db()
        if db is None:
            return
        for term in TERMS:
            td = get_term_dates(db, self.year.value(), term)
            self.start[term].setDate(td.start_date if td else None)
            self.end[term].setDate(td.end_date if td else None)

    def value(self) -> Profile:
        """The profile as typed (checked by the service when saved)."""
        return Profile(
            self.code.text(),
            self.name.text(),
            self.principal.text(),
            self.practice.isChecked(),
            self.continuing.isChecked(),
            self.contact_office.text(),
            self.contact_phone.text(),
        )

    def save_terms(self, db: Database) -> None:
        """Store the dates of each 學期 whose 開學日 is filled in."""
        for term in TERMS:
            start = self.start[term].date()
            if start is not None:
                set_term_dates(db, self.year.value(), term, start, self.end[term].date())

    def save(self) -> None:
        """Save the profile, then the 學期 dates; raises ServiceError (with a zh-TW message) on bad input."""
        db = self._db()
        assert db is not None, "save() needs a database"
        save_profile(db, self.value())
        self.save_terms(db)
