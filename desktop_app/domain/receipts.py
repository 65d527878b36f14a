"""Rules of the 收訖明細 confirmation (guideline §6): categories, statuses, the period rule,
default offices for objections, category names as files spell them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from desktop_app.domain.roc_date import Term, format_roc

CATEGORIES = ("修課紀錄", "幹部經歷", "課程學習成果", "多元表現")



class ConfirmationStatus(StrEnum):
    """A category's confirmation in a batch, stored as its code; :attr:`label` is what people read."""

    PENDING = "pending"  # 未確認
    CONFIRMED = "confirmed"
    OBJECTION = "objection"
    EXEMPT = "exempt"
    DEEMED = "deemed"

    @property
    def label(self) -> str:
        return CONFIRMATION_LABELS[self]


class ObjectionStatus(StrEnum):
    """An objection's progress (受理 → 處理中 → 已更正(重新提交) | 查無誤(已回覆)), stored as its code."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    CORRECTED = "corrected"
    NO_ERROR = "no_error"

    @property
    def label(self) -> str:
        return OBJECTION_LABELS[self]


# the zh-TW labels: every screen, export and CLI line shows these (the database stores the codes)
CONFIRMATION_LABELS: dict[ConfirmationStatus, str] = {
    ConfirmationStatus.PENDING: "未確認",
    ConfirmationStatus.CONFIRMED: "已確認",
    ConfirmationStatus.OBJECTION: "有疑義",
    ConfirmationStatus.EXEMPT: "免確認",
    ConfirmationStatus.DEEMED: "視為已確認",
}
OBJECTION_LABELS: dict[ObjectionStatus, str] = {
    ObjectionStatus.RECEIVED: "受理",
    ObjectionStatus.IN_PROGRESS: "處理中",
    ObjectionStatus.CORRECTED: "已更正(重新提交)",
    ObjectionStatus.NO_ERROR: "查無誤(已回覆)",
}

UNCONFIRMED = ConfirmationStatus.PENDING
CONFIRMED = ConfirmationStatus.CONFIRMED
OBJECTION = ConfirmationStatus.OBJECTION
EXEMPT = ConfirmationStatus.EXEMPT
DEEMED = ConfirmationStatus.DEEMED
STATUSES = tuple(ConfirmationStatus)
DONE_STATUSES = (CONFIRMED, DEEMED)

OBJECTION_STATUSES = tuple(ObjectionStatus)  # in the order an objection moves forward
CLOSED_OBJECTION_STATUSES = (ObjectionStatus.CORRECTED, ObjectionStatus.NO_ERROR)


def confirmation_label(status: str | None) -> str:
    """The zh-TW label of a confirmation status code ("" for none; unknown text as it is)."""
    if not status:
        return ""
    try:
        return ConfirmationStatus(status).label
    except ValueError:
        return status


def objection_label(status: str) -> str:
    """The zh-TW label of an objection status code (unknown text as it is)."""
    try:
        return ObjectionStatus(status).label
    except ValueError:
        return status


DEFAULT_OFFICES = {
    "修課紀錄": "教務處註冊組",
    "課程學習成果": "教務處教學組",
    "幹部經歷": "學務處",
    "多元表現": "學務處",
}

MIN_PERIOD_DAYS = 3
PERIOD_RULE = "確認期間不得少於 3 日（要點第4點之3：開始日與結束日都算，至少 3 天）"

# Exemption scopes: who needs no confirmation of a category in a batch.
EXEMPTION_SCOPES = {
    "graduated": "已畢業學生（學籍狀態為畢業）",
    "grade3": "三年級學生",
    "all": "全部學生",
}

_CATEGORY_ALIASES = {
    "修課紀錄": "修課紀錄",
    "修課記錄": "修課紀錄",
    "修課": "修課紀錄",
    "成績": "修課紀錄",
    "學期成績": "修課紀錄",
    "幹部經歷": "幹部經歷",
    "校內幹部經歷": "幹部經歷",
    "幹部": "幹部經歷",
    "課程學習成果": "課程學習成果",
    "學習成果": "課程學習成果",
    "學生課程學習成果": "課程學習成果",
    "多元表現": "多元表現",
    "多元學習表現": "多元表現",
    # 名冊別 codes (formats.md: 41/42 修課紀錄名冊 日間/進修部, 24 校內幹部經歷名冊, 25 多元學習表現,
    # 26/28 課程學習成果 日間/進修部): an export that labels rows by roster number, not by name
    "41": "修課紀錄",
    "42": "修課紀錄",
    "24": "幹部經歷",
    "25": "多元表現",
    "26": "課程學習成果",
    "28": "課程學習成果",
}


def normalize_category(text: str) -> str | None:
    """The canonical category for a file's spelling (``多元學習表現`` → ``多元表現``), or None."""
    value = "".join(unicodedata.normalize("NFKC", text or "").split())
    if value in _CATEGORY_ALIASES:
        return _CATEGORY_ALIASES[value]
    for alias, canonical in _CATEGORY_ALIASES.items():
        if len(alias) >= 4 and alias in value:
            return canonical
    return None


class PeriodError(ValueError):
    """A confirmation period that cannot be saved; the message quotes the rule."""


def check_period(
    start: date, end: date, deadline: date | None = None, *, today: date | None = None
) -> list[str]:
    """Validate a confirmation period; return warnings (zh-TW), raise :class:`PeriodError` if refused."""
    days = (end - start).days + 1
    if end < start:
        raise PeriodError(
            f"確認期間結束日 {format_roc(end)} 早於開始日 {format_roc(start)}，無法儲存：{PERIOD_RULE}。"
            "請檢查兩個日期是否填反。"
        )
    if days < MIN_PERIOD_DAYS:
        raise PeriodError(
            f"確認期間 {format_roc(start)}–{format_roc(end)} 只有 {days} 日，無法儲存：{PERIOD_RULE}。"
            "請延後結束日或提前開始日。"
        )
    warnings = []
    if deadline is not None and end > deadline:
        warnings.append(
            f"確認期間結束日 {format_roc(end)} 晚於國教署期限 {format_roc(deadline)}，請確認是否要提前結束。"
        )
    if today is not None and end < today:
        warnings.append(
            f"確認期間 {format_roc(start)}–{format_roc(end)} 已全部在今天（{format_roc(today)}）之前。"
        )
    return warnings


def month_day(d: date) -> str:
    """``10月15日`` (the reminder's form)."""
    return f"{d.month}月{d.day}日"


def reminder_points(
    period_end: date, confirmed: list[str], pending: list[str], objections: list[str]
) -> list[str]:
    """The deck's reminder as separate points, addressed with 你 (as the slip is).

    A student with something still 未確認 gets the deck's three points 「1.收訖明細請於O月O日前完成確認。
    2.你已完成確認：…。3.你尚未完成確認：…。」 (and 4. for categories under objection); a student with
    nothing left to do gets one line saying so, never 「尚未完成確認：無」.
    """
    if pending:
        points = [
            f"1.收訖明細請於{month_day(period_end)}前完成確認。",
            f"2.你已完成確認：{'、'.join(confirmed) or '尚無'}。",
            f"3.你尚未完成確認：{'、'.join(pending)}。",
        ]
        if objections:
            points.append(f"4.你已提出疑義（處理中）：{'、'.join(objections)}。")
        return points
    points = []
    if confirmed:
        # 「全部」 only when nothing is under objection: a 導師 reads it as 「this student is done」
        done = "已完成確認" if objections else "已全部完成確認"
        points.append(f"{done}：{'、'.join(confirmed)}。")
    elif not objections:
        points.append("本批次沒有需要你確認的資料。")
    if objections:
        points.append(f"已提出疑義（處理中）：{'、'.join(objections)}，請等候承辦單位回覆。")
    return points


def reminder_text(period_end: date, confirmed: list[str], pending: list[str], objections: list[str]) -> str:
    """The reminder points, one per line (see :func:`reminder_points`)."""
    return "\n".join(reminder_points(period_end, confirmed, pending, objections))



def is_exempt(scopes: set[str], student_status: str | None, grade: int | None) -> bool:
    """Whether a student needs no confirmation of a category whose 免確認 scopes are ``scopes``."""
    return (
        "all" in scopes
        or ("graduated" in scopes and "畢業" in (student_status or ""))
        or ("grade3" in scopes and grade == 3)
    )


# --- value types the services return and the exports print ------------------------------------
@dataclass(frozen=True)
class ReceiptBatchInfo:
    id: int
    name: str
    year: int | None
    term: int | None
    file_name: str
    sha256: str
    imported_at: datetime
    period_start: date
    period_end: date
    deadline: date | None
    deadline_doc_no: str
    objections_total: int
    objections_open: int
    deemed_confirmed_at: datetime | None

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1


class TermNamed(Protocol):
    """Anything with a batch's 學年度, 學期 and name (a :class:`ReceiptBatchInfo`, a stored batch)."""

    @property
    def year(self) -> int | None: ...

    @property
    def term(self) -> int | None: ...

    @property
    def name(self) -> str: ...


def batch_term_title(batch: TermNamed) -> str:
    """「113學年度第1學期」 for a batch with 學年度 and 學期, else the 學年度 or the batch's name."""
    if batch.year and batch.term in (1, 2):
        return Term(batch.year, batch.term).title
    if batch.year:
        return f"{batch.year}學年度"
    return batch.name


@dataclass(frozen=True)
class StudentStatus:
    """One student's statuses in a batch (the scan view and the confirmation list)."""

    student_id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    masked_id: str
    statuses: dict[str, ConfirmationStatus]  # category -> status (only categories with items)
    returned_at: datetime | None

    def status(self, category: str) -> ConfirmationStatus | None:
        """The category's status; None when the student has no item of it in the batch."""
        return self.statuses.get(category)


TOTAL_CLASS = "合計"


@dataclass(frozen=True)
class ProgressRow:
    class_name: str  # TOTAL_CLASS for the whole batch
    category: str
    students: int
    confirmed: int  # 已確認 + 視為已確認
    deemed: int  # of which 視為已確認
    objection: int
    pending: int  # 未確認
    exempt: int

    @property
    def done_ratio(self) -> float:
        need = self.students - self.exempt
        return 1.0 if need <= 0 else (self.confirmed + self.objection) / need
