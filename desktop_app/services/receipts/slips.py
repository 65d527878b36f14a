"""Paper slips (紙本確認單), reminder lists for 導師, and the returned slips (回條) scanned back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.national_id import mask_id
from desktop_app.domain.receipts import (
    CATEGORIES,
    DONE_STATUSES,
    EXEMPT,
    OBJECTION,
    UNCONFIRMED,
    StudentStatus,
    batch_term_title,
    reminder_text,
)
from desktop_app.domain.roc_date import RocDateError, format_roc, parse_roc_date
from desktop_app.exports.slips_model import SlipBatch, SlipCategory, SlipItem, SlipStudent, parse_slip_code
from desktop_app.services.audit import record
from desktop_app.services.profile import get_profile, mask_pattern
from desktop_app.services.receipts.confirmation import (
    StudentRow,
    confirmation_rows,
    list_student_statuses,
    sort_seat,
)
from desktop_app.services.receipts.students import apply_pua_map, pua_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    ReceiptBatch,
    ReceiptItem,
    SlipReturn,
)


def _item_date_text(text: str) -> str:
    if not text:
        return ""
    try:
        return format_roc(parse_roc_date(text))
    except RocDateError:
        return text


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
        statuses, students = confirmation_rows(s, batch_id, class_name, student_ids)
        if pending_only:
            students = {k: v for k, v in students.items() if UNCONFIRMED in statuses[k].values()}
        items = _slip_items(s, batch_id, students)
        ordered = sorted(
            students.values(), key=lambda st: (st.class_name, sort_seat(st.seat), st.student_no, st.id)
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
                    SlipCategory(name=cat, items=items.get((st.id, cat), []), exempt=status == EXEMPT, status=status)
                    for cat in CATEGORIES
                    if (status := statuses[st.id].get(cat)) is not None
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
            contact_line=profile.contact_line if profile else "",
        )


def _slip_items(
    s: Session, batch_id: int, students: Mapping[int, StudentRow]
) -> dict[tuple[int, str], list[SlipItem]]:
    """The items of these students in the batch, per (student, category), in 學年度, 學期, file order."""
    items: dict[tuple[int, str], list[SlipItem]] = defaultdict(list)
    if not students:
        return items
    item_stmt = (
        select(
            ReceiptItem.student_id,
            ReceiptItem.category,
            ReceiptItem.year,
            ReceiptItem.term,
            ReceiptItem.title,
            ReceiptItem.credits,
            ReceiptItem.item_date,
        )
        .where(ReceiptItem.batch_id == batch_id)
        .order_by(ReceiptItem.student_id, ReceiptItem.year, ReceiptItem.term, ReceiptItem.source_row)
    )
    if len(students) <= 900:  # a class or a few students: let the database filter
        item_stmt = item_stmt.where(ReceiptItem.student_id.in_(list(students)))
    for sid, category, year, term, title, credits, item_date in s.execute(item_stmt):
        if sid in students:
            items[(sid, category)].append(SlipItem(year, term, title, credits, _item_date_text(item_date)))
    return items


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


# === returned slips (回條) =======================================================================
SCAN_OK = "ok"
SCAN_ALREADY = "already"
SCAN_UNKNOWN = "unknown"
SCAN_OTHER_BATCH = "other_batch"


@dataclass(frozen=True)
class ScanResult:
    outcome: str  # SCAN_OK | SCAN_ALREADY | SCAN_UNKNOWN | SCAN_OTHER_BATCH
    message: str
    code: str
    student: StudentStatus | None = None
    previous_scan: datetime | None = None


def scan_slip(db: Database, batch_id: int, code: str) -> ScanResult:
    """A scanned 回條 code: mark the slip returned, or say loudly why not."""
    text = (code or "").strip()
    parsed = parse_slip_code(text)
    if parsed is None:
        return ScanResult(SCAN_UNKNOWN, f"無法辨識的條碼「{text}」：不是本系統印製的回條。", text)
    code_batch, student_id = parsed
    if code_batch != batch_id:
        with db.read() as s:
            other = s.get(ReceiptBatch, code_batch)
            where = f"批次「{other.name}」" if other else f"批次 #{code_batch}（已不存在）"
        return ScanResult(SCAN_OTHER_BATCH, f"不是這個批次的回條：它屬於{where}。請放到該批次處理。", text)
    found = list_student_statuses(db, batch_id, student_id=student_id)
    if not found:
        return ScanResult(SCAN_UNKNOWN, f"條碼「{text}」的學生不在此批次（學生編號 {student_id}）。", text)
    student = found[0]
    if student.returned_at is not None:
        return ScanResult(
            SCAN_ALREADY,
            f"{student.class_name} {student.seat or ''}號 {student.name} 的回條已掃描過"
            f"（{format_roc(student.returned_at.date())} {student.returned_at:%H:%M}），請勿重複登記。",
            text,
            student,
            student.returned_at,
        )
    now = datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        s.add(SlipReturn(batch_id=batch_id, student_id=student_id, scanned_at=now))
        record(
            s,
            "receipts.slip_return",
            "receipt_slip_return",
            f"{batch_id}/{student_id}",
            summary=f"回條繳回：{student.class_name} {student.seat or ''}號 {student.name}",
        )
    returned = StudentStatus(
        student.student_id,
        student.class_name,
        student.seat,
        student.student_no,
        student.name,
        student.masked_id,
        student.statuses,
        now,
    )
    return ScanResult(
        SCAN_OK, f"已登記回條：{student.class_name} {student.seat or ''}號 {student.name}", text, returned
    )
