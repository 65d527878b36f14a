"""Confirmation statuses: per student and category, 免確認 rules, 視為已確認 at period end, progress."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.national_id import mask_id
from desktop_app.domain.receipts import (
    CATEGORIES,
    CONFIRMED,
    DEEMED,
    EXEMPT,
    EXEMPTION_SCOPES,
    OBJECTION,
    TOTAL_CLASS,
    UNCONFIRMED,
    ConfirmationStatus,
    ProgressRow,
    StudentStatus,
    batch_term_title,
    confirmation_label,
    is_exempt,
)
from desktop_app.domain.roc_date import format_roc
from desktop_app.services.audit import record
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts.batches import get_batch
from desktop_app.services.receipts.students import apply_pua_map, pua_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    Confirmation,
    ReceiptBatch,
    ReceiptExemption,
    SlipReturn,
    Student,
)


@dataclass(frozen=True)
class StudentRow:
    id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    national_id: str


def sort_seat(seat: int | None) -> int:
    return seat if seat is not None else 10**6


def confirmation_rows(
    s: Session, batch_id: int, class_name: str | None, student_ids: list[int] | None
) -> tuple[dict[int, dict[str, ConfirmationStatus]], dict[int, StudentRow]]:
    """The batch's confirmation statuses per student (id -> category -> status) and those students.

    Args:
        class_name: only this class (all when empty).
        student_ids: only these students (database ids; all when None).
    """
    stmt = (
        select(
            Confirmation.student_id,
            Confirmation.category,
            Confirmation.status,
            Student.class_name,
            Student.seat,
            Student.student_no,
            Student.name,
            Student.national_id,
        )
        .join(Student, Student.id == Confirmation.student_id)
        .where(Confirmation.batch_id == batch_id)
    )
    if class_name:
        stmt = stmt.where(Student.class_name == class_name)
    if student_ids is not None:
        stmt = stmt.where(Student.id.in_(student_ids))
    statuses: dict[int, dict[str, ConfirmationStatus]] = defaultdict(dict)
    students: dict[int, StudentRow] = {}
    for sid, category, status, class_name_, seat, student_no, name, national_id in s.execute(stmt):
        statuses[sid][category] = ConfirmationStatus(status)
        if sid not in students:
            students[sid] = StudentRow(sid, class_name_, seat, student_no, name, national_id)
    return statuses, students


# === exemptions (免確認) =========================================================================
def get_exemptions(db: Database, batch_id: int) -> list[tuple[str, str]]:
    with db.read() as s:
        return [
            (e.category, e.scope)
            for e in s.scalars(
                select(ReceiptExemption)
                .where(ReceiptExemption.batch_id == batch_id)
                .order_by(ReceiptExemption.id)
            )
        ]


def check_exemptions(rules: list[tuple[str, str]]) -> None:
    """Refuse a 免確認 rule naming an unknown category or scope."""
    for category, scope in rules:
        if category not in CATEGORIES or scope not in EXEMPTION_SCOPES:
            raise ServiceError(f"免確認設定「{category}／{scope}」不正確。")


def set_exemptions(db: Database, batch_id: int, rules: list[tuple[str, str]]) -> int:
    """Replace a batch's 免確認 rules and re-apply them; returns how many statuses changed.

    Only 未確認 ↔ 免確認 change: a category already confirmed or under objection is left as it is.
    """
    check_exemptions(rules)
    scopes: dict[str, set[str]] = defaultdict(set)
    for category, scope in rules:
        scopes[category].add(scope)
    changed = 0
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        before = [
            (e.category, e.scope)
            for e in s.scalars(select(ReceiptExemption).where(ReceiptExemption.batch_id == batch_id))
        ]
        for e in s.scalars(select(ReceiptExemption).where(ReceiptExemption.batch_id == batch_id)):
            s.delete(e)
        s.flush()
        for category, scope in sorted(set(rules)):
            s.add(ReceiptExemption(batch_id=batch_id, category=category, scope=scope))
        now = datetime.now().replace(microsecond=0)
        rows = s.execute(
            select(Confirmation, Student.status, Student.grade)
            .join(Student, Student.id == Confirmation.student_id)
            .where(Confirmation.batch_id == batch_id, Confirmation.status.in_((UNCONFIRMED, EXEMPT)))
        )
        for conf, status, grade in rows:
            wanted = EXEMPT if is_exempt(scopes.get(conf.category, set()), status, grade) else UNCONFIRMED
            if conf.status != wanted:
                conf.status, conf.changed_at = wanted, now
                changed += 1
        record(
            s,
            "receipts.exemptions",
            "receipt_batch",
            batch_id,
            summary=f"批次「{batch.name}」免確認設定（{changed} 項狀態改變）",
            before=before,
            after=sorted(set(rules)),
        )
    return changed


def list_student_statuses(
    db: Database, batch_id: int, *, class_name: str | None = None, student_id: int | None = None
) -> list[StudentStatus]:
    pattern = mask_pattern(db)
    mapping = pua_map(db)
    with db.read() as s:
        statuses, students = confirmation_rows(
            s, batch_id, class_name, None if student_id is None else [student_id]
        )
        returns_stmt = select(SlipReturn.student_id, SlipReturn.scanned_at).where(
            SlipReturn.batch_id == batch_id
        )
        if student_id is not None:
            returns_stmt = returns_stmt.where(SlipReturn.student_id == student_id)
        returns = dict(s.execute(returns_stmt).all())
    out = [
        StudentStatus(
            st.id,
            st.class_name,
            st.seat,
            st.student_no,
            apply_pua_map(st.name, mapping),
            mask_id(st.national_id, pattern),
            {c: statuses[st.id][c] for c in CATEGORIES if c in statuses[st.id]},
            returns.get(st.id),
        )
        for st in students.values()
    ]
    out.sort(key=lambda r: (r.class_name, sort_seat(r.seat), r.student_no))
    return out


def set_confirmation(
    db: Database, batch_id: int, student_id: int, category: str, status: ConfirmationStatus
) -> ConfirmationStatus:
    """Record a student's answer for one category: 已確認, or back to 未確認 (a correction).

    有疑義 goes through :func:`open_objection`; 免確認 through the exemptions.
    """
    if status not in (CONFIRMED, UNCONFIRMED):
        raise ServiceError(
            f"狀態「{confirmation_label(status)}」不能直接設定：有疑義請用「登記疑義」，免確認請用免確認設定。"
        )
    wanted = ConfirmationStatus(status)
    with db.transaction() as s:
        conf = s.scalar(
            select(Confirmation).where(
                Confirmation.batch_id == batch_id,
                Confirmation.student_id == student_id,
                Confirmation.category == category,
            )
        )
        if conf is None:
            raise ServiceError(f"這位學生在此批次沒有「{category}」的資料，不需確認。")
        if conf.status == EXEMPT:
            raise ServiceError(f"「{category}」在此批次為免確認，不需登記。")
        before = confirmation_label(conf.status)
        if conf.status == wanted:
            return wanted
        conf.status, conf.changed_at = wanted, datetime.now().replace(microsecond=0)
        st = s.get(Student, student_id)
        record(
            s,
            "receipts.confirm",
            "receipt_confirmation",
            conf.id,
            summary=f"批次 #{batch_id} {st.class_name if st else ''} {st.name if st else ''}「{category}」{before} → {wanted.label}",
            before=before,
            after=wanted.label,
        )
    return wanted


@dataclass(frozen=True)
class DeemedRow:
    student_id: int
    class_name: str
    seat: int | None
    name: str
    category: str


def deemed_preview(db: Database, batch_id: int) -> list[DeemedRow]:
    """Who would become 視為已確認: every category still 未確認 in the batch."""
    return [
        DeemedRow(st.student_id, st.class_name, st.seat, st.name, cat)
        for st in list_student_statuses(db, batch_id)
        for cat, status in st.statuses.items()
        if status == UNCONFIRMED
    ]


def apply_deemed(db: Database, batch_id: int, *, today: date | None = None) -> int:
    """After the period: every 未確認 becomes 視為已確認 (one audit entry with the date)."""
    today = today or date.today()
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        if today <= batch.period_end:
            raise ServiceError(
                f"確認期間到 {format_roc(batch.period_end)} 才結束，期間結束後（{format_roc(batch.period_end + timedelta(days=1))} 起）"
                "才能將未確認者視為已確認。"
            )
        now = datetime.combine(today, datetime.now().time()).replace(microsecond=0)
        confs = list(
            s.scalars(
                select(Confirmation).where(
                    Confirmation.batch_id == batch_id, Confirmation.status == UNCONFIRMED
                )
            )
        )
        for conf in confs:
            conf.status, conf.changed_at = DEEMED, now
        batch.deemed_confirmed_at = now
        record(
            s,
            "receipts.deemed",
            "receipt_batch",
            batch_id,
            summary=(
                f"批次「{batch.name}」確認期間於 {format_roc(batch.period_end)} 結束，"
                f"{format_roc(today)} 將 {len(confs)} 項未確認改為視為已確認"
            ),
            after={"date": today, "count": len(confs), "confirmation_ids": [c.id for c in confs]},
        )
    return len(confs)


def batch_progress(db: Database, batch_id: int) -> list[ProgressRow]:
    """Per class × category counts (then 合計 rows per category), sorted by class."""
    with db.read() as s:
        if s.get(ReceiptBatch, batch_id) is None:
            raise ServiceError(
                f"找不到收訖明細批次 #{batch_id}，請確認批次編號（可用的批次見「收訖批次」頁）。"
            )
        rows = s.execute(
            select(Student.class_name, Confirmation.category, Confirmation.status, func.count())
            .join(Student, Student.id == Confirmation.student_id)
            .where(Confirmation.batch_id == batch_id)
            .group_by(Student.class_name, Confirmation.category, Confirmation.status)
        ).all()
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for class_name, category, status, n in rows:
        counts[(class_name, category)][status] += n
        counts[(TOTAL_CLASS, category)][status] += n

    def make(key: tuple[str, str]) -> ProgressRow:
        c = counts[key]
        return ProgressRow(
            key[0],
            key[1],
            sum(c.values()),
            c[CONFIRMED] + c[DEEMED],
            c[DEEMED],
            c[OBJECTION],
            c[UNCONFIRMED],
            c[EXEMPT],
        )

    order = {c: i for i, c in enumerate(CATEGORIES)}
    keys = sorted(counts, key=lambda k: (k[0] == TOTAL_CLASS, k[0], order.get(k[1], 99)))
    return [make(k) for k in keys]


def progress_json(db: Database, batch_id: int) -> dict[str, object]:
    batch = get_batch(db, batch_id)
    return {
        "batch": {
            "id": batch.id,
            "name": batch.name,
            "term": batch_term_title(batch),
            "file": batch.file_name,
            "sha256": batch.sha256,
            "period_start": format_roc(batch.period_start),
            "period_end": format_roc(batch.period_end),
            "deadline": format_roc(batch.deadline),
            "doc_no": batch.deadline_doc_no,
        },
        "rows": [
            {
                "class": r.class_name,
                "category": r.category,
                "students": r.students,
                "confirmed": r.confirmed,
                "deemed": r.deemed,
                "objection": r.objection,
                "pending": r.pending,
                "exempt": r.exempt,
            }
            for r in batch_progress(db, batch_id)
        ],
    }
