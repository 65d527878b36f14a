"""School profile and 學期 dates (開學日 / 休業式); app settings."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.storage.db import Database
from desktop_app.storage.models import SchoolProfile, Setting, TermDates

MASK_PATTERN_KEY = "id_mask_pattern"
FONT_PATH_KEY = "pdf_font_path"


@dataclass(frozen=True)
class Profile:
    school_code: str
    name: str
    principal: str
    has_practice_office: bool = False
    has_continuing_division: bool = False
    contact_office: str = ""  # 承辦單位 printed on the slips, e.g. 教務處註冊組
    contact_phone: str = ""  # 電話／分機 printed on the slips, e.g. (02)2345-6789 分機 123

    @property
    def contact_line(self) -> str:
        """「有疑問請洽：教務處註冊組（電話 … 分機 …）」, or "" when neither is set."""
        office, phone = self.contact_office.strip(), self.contact_phone.strip()
        if not office and not phone:
            return ""
        if office and phone:
            return f"有疑問請洽：{office}（電話 {phone}）"
        return f"有疑問請洽：{office or '電話 ' + phone}"


@dataclass(frozen=True)
class TermDate:
    year: int
    term: int
    start_date: date  # 開學日
    end_date: date | None  # 休業式

    @property
    def as_term(self) -> Term:
        return Term(self.year, self.term)


def validate_profile(profile: Profile) -> Profile:
    code = unicodedata.normalize("NFKC", profile.school_code).strip().upper()
    if not code:
        raise ServiceError("請輸入學校代碼（6 個英數字元，例如 011302）")
    if len(code) != 6 or not code.isalnum() or not code.isascii():
        raise ServiceError(f"學校代碼「{profile.school_code}」應為 6 個英數字元（例如 011302）")
    name = profile.name.strip()
    if not name:
        raise ServiceError("請輸入校名")
    principal = profile.principal.strip()
    if not principal:
        raise ServiceError("請輸入校長姓名")
    return Profile(
        code,
        name,
        principal,
        profile.has_practice_office,
        profile.has_continuing_division,
        " ".join(profile.contact_office.split()),
        " ".join(profile.contact_phone.split()),
    )


def _from_row(row: SchoolProfile) -> Profile:
    return Profile(
        row.school_code,
        row.name,
        row.principal,
        row.has_practice_office,
        row.has_continuing_division,
        row.contact_office or "",
        row.contact_phone or "",
    )


def get_profile(db: Database) -> Profile | None:
    with db.read() as s:
        row = s.get(SchoolProfile, 1)
        if row is None:
            return None
        return _from_row(row)


def save_profile(db: Database, profile: Profile) -> Profile:
    profile = validate_profile(profile)
    with db.transaction() as s:
        row = s.get(SchoolProfile, 1)
        before = None
        if row is None:
            row = SchoolProfile(id=1)
            s.add(row)
        else:
            before = asdict(_from_row(row))
        row.school_code = profile.school_code
        row.name = profile.name
        row.principal = profile.principal
        row.has_practice_office = profile.has_practice_office
        row.has_continuing_division = profile.has_continuing_division
        row.contact_office = profile.contact_office
        row.contact_phone = profile.contact_phone
        record(
            s,
            "profile.save",
            "school_profile",
            1,
            summary=f"學校資料：{profile.name}",
            before=before,
            after=asdict(profile),
        )
    return profile


def list_term_dates(db: Database) -> list[TermDate]:
    with db.read() as s:
        rows = s.scalars(select(TermDates).order_by(TermDates.year, TermDates.term))
        return [TermDate(r.year, r.term, r.start_date, r.end_date) for r in rows]


def get_term_dates(db: Database, year: int, term: int) -> TermDate | None:
    with db.read() as s:
        r = s.scalar(select(TermDates).where(TermDates.year == year, TermDates.term == term))
        return None if r is None else TermDate(r.year, r.term, r.start_date, r.end_date)


def validate_term_dates(year: int, term: int, start_date: date, end_date: date | None) -> Term:
    """Raise ServiceError unless the 開學日 (and 休業式) lie inside the 學期, in order."""
    t = Term(year, term)
    if not t.contains(start_date):
        raise ServiceError(
            f"{t.title}的開學日 {format_roc(start_date)} 不在該學期內（{format_roc(t.start)}–{format_roc(t.end)}）"
        )
    if end_date is not None:
        if end_date < start_date:
            raise ServiceError(
                f"{t.title}的休業式 {format_roc(end_date)} 早於開學日 {format_roc(start_date)}"
            )
        if not t.contains(end_date):
            raise ServiceError(f"{t.title}的休業式 {format_roc(end_date)} 不在該學期內")
    return t


def set_term_dates(db: Database, year: int, term: int, start_date: date, end_date: date | None) -> TermDate:
    """Set the 開學日 (and 休業式) of a 學期; both must lie inside that 學期."""
    t = validate_term_dates(year, term, start_date, end_date)
    with db.transaction() as s:
        row = s.scalar(select(TermDates).where(TermDates.year == year, TermDates.term == term))
        before = None
        if row is None:
            row = TermDates(year=year, term=term)
            s.add(row)
        else:
            before = {"start_date": row.start_date, "end_date": row.end_date}
        row.start_date = start_date
        row.end_date = end_date
        record(
            s,
            "term_dates.set",
            "term_dates",
            t.label,
            summary=f"{t.title} 開學日 {format_roc(start_date)} 休業式 {format_roc(end_date)}",
            before=before,
            after={"start_date": start_date, "end_date": end_date},
        )
    return TermDate(year, term, start_date, end_date)


def get_setting(db: Database, key: str, default: str = "") -> str:
    with db.read() as s:
        row = s.get(Setting, key)
        return default if row is None else row.value


def set_setting(db: Database, key: str, value: str) -> None:
    with db.transaction() as s:
        row = s.get(Setting, key)
        before = None if row is None else row.value
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value
        record(s, "setting.set", "setting", key, summary=f"設定 {key}", before=before, after=value)


def mask_pattern(db: Database) -> str:
    return get_setting(db, MASK_PATTERN_KEY, DEFAULT_MASK_PATTERN) or DEFAULT_MASK_PATTERN
