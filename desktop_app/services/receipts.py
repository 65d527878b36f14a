"""收訖明細 services. ``list_batches`` is the contract other features read (calendar, self-check).

Slips and reminders: :func:`slip_batch` and :func:`reminder_lines` build the plain data the PDF
writers (``exports/slips.py``, ``exports/reminders.py``) print.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from desktop_app.domain.national_id import mask_id
from desktop_app.domain.receipts import (
    CATEGORIES,
    DONE_STATUSES,
    EXEMPT,
    OBJECTION,
    UNCONFIRMED,
    reminder_text,
)
from desktop_app.domain.roc_date import RocDateError, Term, format_roc, parse_roc_date
from desktop_app.exports.slips_model import SlipBatch, SlipCategory, SlipItem, SlipStudent
from desktop_app.services import ServiceError
from desktop_app.services.profile import get_profile, mask_pattern
from desktop_app.services.students import apply_pua_map, pua_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import Confirmation, Objection, ReceiptBatch, ReceiptItem, Student

CLOSED_OBJECTION_STATUSES = ("已更正(重新提交)", "查無誤(已回覆)")


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


def list_batches(db: Database) -> list[ReceiptBatchInfo]:
    """All batches, oldest first, with their objection counts."""
    with db.read() as s:
        totals = dict(s.execute(select(Objection.batch_id, func.count()).group_by(Objection.batch_id)).all())
        open_counts = dict(
            s.execute(
                select(Objection.batch_id, func.count())
                .where(Objection.status.not_in(CLOSED_OBJECTION_STATUSES))
                .group_by(Objection.batch_id)
            ).all()
        )
        rows = s.scalars(select(ReceiptBatch).order_by(ReceiptBatch.imported_at, ReceiptBatch.id))
        return [
            ReceiptBatchInfo(
                b.id,
                b.name,
                b.year,
                b.term,
                b.file_name,
                b.sha256,
                b.imported_at,
                b.period_start,
                b.period_end,
                b.deadline,
                b.deadline_doc_no,
                totals.get(b.id, 0),
                open_counts.get(b.id, 0),
                b.deemed_confirmed_at,
            )
            for b in rows
        ]


def get_batch(db: Database, batch_id: int) -> ReceiptBatchInfo:
    for info in list_batches(db):
        if info.id == batch_id:
            return info
    raise ServiceError(f"找不到收訖明細批次 #{batch_id}，請先匯入收訖明細，或用「收訖批次」頁確認批次編號。")


def batch_term_title(batch: ReceiptBatch | ReceiptBatchInfo) -> str:
    if batch.year and batch.term in (1, 2):
        return Term(batch.year, batch.term).title
    if batch.year:
        return f"{batch.year}學年度"
    return batch.name


def _item_date_text(text: str) -> str:
    if not text:
        return ""
    try:
        return format_roc(parse_roc_date(text))
    except RocDateError:
        return text


def _sort_seat(seat: int | None) -> int:
    return seat if seat is not None else 10**6


# --- slips ---------------------------------------------------------------------------------------
def slip_batch(
    db: Database,
    batch_id: int,
    *,
    class_name: str | None = None,
    student_ids: list[int] | None = None,
    pending_only: bool = False,
) -> SlipBatch:
    """The paper slips of a batch: students sorted by 班級, 座號, with their items per category.

    Args:
        class_name: only this class.
        student_ids: only these students (database ids).
        pending_only: only students with at least one category still 未確認.
    """
    pattern = mask_pattern(db)
    profile = get_profile(db)
    mapping = pua_map(db)
    with db.read() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}，請確認批次編號。")
        stmt = (
            select(Confirmation, Student)
            .join(Student, Student.id == Confirmation.student_id)
            .where(Confirmation.batch_id == batch_id)
        )
        if class_name:
            stmt = stmt.where(Student.class_name == class_name)
        if student_ids is not None:
            stmt = stmt.where(Student.id.in_(student_ids))
        statuses: dict[int, dict[str, str]] = defaultdict(dict)
        students: dict[int, Student] = {}
        for conf, student in s.execute(stmt):
            statuses[student.id][conf.category] = conf.status
            students[student.id] = student
        if pending_only:
            students = {k: v for k, v in students.items() if UNCONFIRMED in statuses[k].values()}
        items: dict[tuple[int, str], list[SlipItem]] = defaultdict(list)
        if students:
            item_stmt = (
                select(ReceiptItem)
                .where(ReceiptItem.batch_id == batch_id)
                .order_by(ReceiptItem.student_id, ReceiptItem.year, ReceiptItem.term, ReceiptItem.source_row)
            )
            for it in s.scalars(item_stmt):
                if it.student_id in students:
                    items[(it.student_id, it.category)].append(
                        SlipItem(it.year, it.term, it.title, it.credits, _item_date_text(it.item_date))
                    )
        ordered = sorted(
            students.values(), key=lambda st: (st.class_name, _sort_seat(st.seat), st.student_no, st.id)
        )
        slip_students = [
            SlipStudent(
                student_id=st.id,
                class_name=st.class_name,
                seat=st.seat,
                student_no=st.student_no,
                name=apply_pua_map(st.name, mapping),
                masked_id=mask_id(st.national_id, pattern),
                categories=[
                    SlipCategory(
                        name=cat,
                        items=items.get((st.id, cat), []),
                        exempt=statuses[st.id][cat] == EXEMPT,
                        status=statuses[st.id][cat],
                    )
                    for cat in CATEGORIES
                    if cat in statuses[st.id]
                ],
            )
            for st in ordered
        ]
        return SlipBatch(
            batch_id=batch.id,
            school_name=profile.name if profile else "",
            batch_name=batch.name,
            term_title=batch_term_title(batch),
            period_start=batch.period_start,
            period_end=batch.period_end,
            deadline=batch.deadline,
            students=slip_students,
        )


# --- reminders -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReminderLine:
    """One student's reminder (「1.收訖明細請於O月O日前完成確認。2.…。3.…。」)."""

    student_id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    masked_id: str
    confirmed: tuple[str, ...]  # 已確認 / 視為已確認
    pending: tuple[str, ...]  # 未確認
    objections: tuple[str, ...]  # 有疑義
    exempt: tuple[str, ...]  # 免確認
    text: str


def reminder_lines(db: Database, batch_id: int, class_name: str | None = None) -> list[ReminderLine]:
    """The reminder text of every student of a batch (or of one class), sorted by 班級, 座號."""
    batch = slip_batch(db, batch_id, class_name=class_name)
    lines = []
    for st in batch.students:
        confirmed = tuple(c.name for c in st.categories if c.status in DONE_STATUSES)
        pending = tuple(c.name for c in st.categories if c.status == UNCONFIRMED)
        objections = tuple(c.name for c in st.categories if c.status == OBJECTION)
        exempt = tuple(c.name for c in st.categories if c.status == EXEMPT)
        lines.append(
            ReminderLine(
                st.student_id,
                st.class_name,
                st.seat,
                st.student_no,
                st.name,
                st.masked_id,
                confirmed,
                pending,
                objections,
                exempt,
                reminder_text(batch.period_end, list(confirmed), list(pending), list(objections)),
            )
        )
    return lines
