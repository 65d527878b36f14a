"""疑義: opened for a student and category, moved forward to 結案."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.receipts import (
    CATEGORIES,
    CLOSED_OBJECTION_STATUSES,
    DEFAULT_OFFICES,
    OBJECTION,
    OBJECTION_STATUSES,
    ObjectionStatus,
    objection_label,
)
from desktop_app.domain.roc_date import format_roc
from desktop_app.services.audit import record
from desktop_app.services.receipts.batches import parse_date_arg
from desktop_app.services.receipts.students import apply_pua_map, pua_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    Confirmation,
    Objection,
    ReceiptBatch,
    Student,
)


# === objections (疑義) ===========================================================================
@dataclass(frozen=True)
class ObjectionInfo:
    id: int
    batch_id: int
    student_id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    category: str
    items: str
    statement: str
    received_on: date
    office: str
    status: ObjectionStatus
    action_taken: str
    closed_on: date | None
    days_open: int

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_OBJECTION_STATUSES

    @property
    def overdue(self) -> bool:
        """Open for more than 3 days (highlighted)."""
        return self.is_open and self.days_open > 3


def _objection_info(o: Objection, st: Student, mapping: dict[str, str], today: date) -> ObjectionInfo:
    days = ((o.closed_on or today) - o.received_on).days
    return ObjectionInfo(
        o.id,
        o.batch_id,
        o.student_id,
        st.class_name,
        st.seat,
        st.student_no,
        apply_pua_map(st.name, mapping),
        o.category,
        o.items,
        o.statement,
        o.received_on,
        o.office,
        ObjectionStatus(o.status),
        o.action_taken,
        o.closed_on,
        max(days, 0),
    )


def list_objections(
    db: Database, batch_id: int | None = None, *, today: date | None = None
) -> list[ObjectionInfo]:
    today = today or date.today()
    mapping = pua_map(db)
    stmt = select(Objection, Student).join(Student, Student.id == Objection.student_id)
    if batch_id is not None:
        stmt = stmt.where(Objection.batch_id == batch_id)
    with db.read() as s:
        rows = [_objection_info(o, st, mapping, today) for o, st in s.execute(stmt.order_by(Objection.id))]
    return rows


def open_objection(
    db: Database,
    batch_id: int,
    student_id: int,
    category: str,
    *,
    items: str = "",
    statement: str = "",
    received_on: date | str | None = None,
    office: str | None = None,
    today: date | None = None,
) -> ObjectionInfo:
    """Open a 疑義 for one student and category (status 受理); the category becomes 有疑義.

    Refused when received after the confirmation period.
    """
    today = today or date.today()
    received = parse_date_arg(received_on, "收件日") or today
    if category not in CATEGORIES:
        raise ServiceError(f"資料類別「{category}」不正確，應為 {'、'.join(CATEGORIES)} 之一。")
    if not (statement or "").strip():
        raise ServiceError("請填寫學生的說明（哪裡有誤、應該是什麼）。")
    mapping = pua_map(db)
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        st = s.get(Student, student_id)
        if st is None:
            raise ServiceError(f"找不到學生 #{student_id}。")
        if received > batch.period_end:
            raise ServiceError(
                f"確認期間已於 {format_roc(batch.period_end)} 結束（收件日 {format_roc(received)}），"
                f"依規定期間內未提出疑義者視為已確認，無法再受理「{category}」的疑義。"
                "如確有錯誤，請循更正程序向國教署申請。"
            )
        if received < batch.period_start:
            raise ServiceError(
                f"收件日 {format_roc(received)} 早於確認期間開始日 {format_roc(batch.period_start)}，請確認日期。"
            )
        conf = s.scalar(
            select(Confirmation).where(
                Confirmation.batch_id == batch_id,
                Confirmation.student_id == student_id,
                Confirmation.category == category,
            )
        )
        now = datetime.now().replace(microsecond=0)
        if conf is None:
            conf = Confirmation(batch_id=batch_id, student_id=student_id, category=category, status=OBJECTION)
            s.add(conf)
        conf.status, conf.changed_at = OBJECTION, now
        o = Objection(
            batch_id=batch_id,
            student_id=student_id,
            category=category,
            items=(items or "").strip(),
            statement=statement.strip(),
            received_on=received,
            office=(office or "").strip() or DEFAULT_OFFICES[category],
            status=OBJECTION_STATUSES[0],
            action_taken="",
        )
        s.add(o)
        s.flush()
        record(
            s,
            "receipts.objection.open",
            "objection",
            o.id,
            summary=f"受理疑義：{st.class_name} {st.seat or ''}號 {st.name}「{category}」→ {o.office}",
            after={"items": o.items, "statement": o.statement, "office": o.office, "received_on": received},
        )
        return _objection_info(o, st, mapping, today)


def _move_status(o: Objection, status: ObjectionStatus, action_taken: str | None, today: date) -> None:
    """Move ``o`` to ``status``: forward only, never once closed, closing only with what was done."""
    current = ObjectionStatus(o.status)
    if current in CLOSED_OBJECTION_STATUSES:
        raise ServiceError(f"疑義 #{o.id} 已結案（{current.label}），不能再改狀態。")
    if OBJECTION_STATUSES.index(status) < OBJECTION_STATUSES.index(current):
        raise ServiceError(f"疑義狀態只能往前：目前是「{current.label}」，不能改回「{status.label}」。")
    if status in CLOSED_OBJECTION_STATUSES and not ((action_taken or o.action_taken).strip()):
        raise ServiceError("結案前請填寫處理情形（更正了什麼，或查核結果）。")
    o.status = status
    if status in CLOSED_OBJECTION_STATUSES:
        o.closed_on = today


def _audit_view(o: Objection) -> dict[str, object]:
    """What the audit log keeps of an objection (the status as people read it)."""
    return {"status": objection_label(o.status), "action_taken": o.action_taken, "office": o.office}


def update_objection(
    db: Database,
    objection_id: int,
    *,
    status: ObjectionStatus | None = None,
    action_taken: str | None = None,
    office: str | None = None,
    today: date | None = None,
) -> ObjectionInfo:
    """Move an objection forward (受理 → 處理中 → 已更正(重新提交) | 查無誤(已回覆)), record what was done."""
    today = today or date.today()
    if status is not None and status not in OBJECTION_STATUSES:
        labels = " → ".join(s.label for s in OBJECTION_STATUSES)
        raise ServiceError(f"疑義狀態「{objection_label(status)}」不正確，應為 {labels}。")
    mapping = pua_map(db)
    with db.transaction() as s:
        o = s.get(Objection, objection_id)
        if o is None:
            raise ServiceError(f"找不到疑義 #{objection_id}。")
        before = _audit_view(o)
        if status is not None and status != o.status:
            _move_status(o, ObjectionStatus(status), action_taken, today)
        if action_taken is not None:
            o.action_taken = action_taken.strip()
        if office is not None and office.strip():
            o.office = office.strip()
        st = s.get(Student, o.student_id)
        assert st is not None
        record(
            s,
            "receipts.objection.update",
            "objection",
            o.id,
            summary=f"疑義 #{o.id}（{st.name}「{o.category}」）：{objection_label(o.status)}",
            before=before,
            after={**_audit_view(o), "closed_on": o.closed_on},
        )
        return _objection_info(o, st, mapping, today)
