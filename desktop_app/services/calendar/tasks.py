"""作業期程 tasks: read a 學年度's tasks and add, edit, move, complete or delete them by hand.

``list_tasks`` is the contract the self-check evidence reads. A task linked to data (``source``)
shows 完成 with the record's date once the record exists (see :mod:`.evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.calendar import TaskInfo, TaskStatus, upload_deadline_floor
from desktop_app.domain.errors import ServiceError
from desktop_app.domain.roc_date import format_roc, school_year_of, term_of
from desktop_app.services.audit import record
from desktop_app.services.calendar.evidence import Evidence, task_evidence
from desktop_app.services.calendar.timings import UPLOAD_RULE_WORD
from desktop_app.storage.db import Database
from desktop_app.storage.models import CalendarTask, TermDates

DOC_NO_RE = re.compile(r"^\S*字第\s*\d+\s*號(函)?$")


# --- reading tasks ---------------------------------------------------------------------------


def _info(t: CalendarTask, evidence: Evidence) -> TaskInfo:
    status, done_on, by_data = TaskStatus.parse(t.status), t.done_on, False
    if t.source in evidence and t.term in evidence[t.source] and status != TaskStatus.NOT_APPLICABLE:
        status, done_on, by_data = TaskStatus.DONE, evidence[t.source][t.term], True
    return TaskInfo(
        t.id,
        t.year,
        t.term,
        t.item,
        t.work,
        t.content,
        t.timing,
        t.owners,
        t.start_date,
        t.due_date,
        status,
        done_on,
        t.note,
        t.is_official,
        t.doc_no,
        t.source,
        t.rosters,
        t.dates_locked,
        t.template_key,
        t.sort_order,
        by_data,
    )


def list_tasks(db: Database, year: int) -> list[TaskInfo]:
    """Tasks of a 學年度 in date order (undated last).

    A task linked to data (``source``) shows 完成 with the record's date once the record exists
    (the first 開課預檢 run / 工作小組 meeting of its 學期), unless it is marked 不適用.
    """
    stmt = (
        select(CalendarTask)
        .where(CalendarTask.year == year)
        .order_by(CalendarTask.due_date, CalendarTask.sort_order, CalendarTask.id)
    )
    evidence = task_evidence(db, year)
    with db.read() as s:
        tasks = [_info(t, evidence) for t in s.scalars(stmt)]
    return sorted(tasks, key=lambda t: (t.due_date is None, t.due_date or date.min, t.sort_order, t.id))


def get_task(db: Database, task_id: int) -> TaskInfo:
    with db.read() as s:
        row = s.get(CalendarTask, task_id)
        if row is None:
            raise ServiceError(f"找不到作業期程項目（編號 {task_id}），可能已被刪除；請重新整理")
        year = row.year
    return next(t for t in list_tasks(db, year) if t.id == task_id)


def planned_years(db: Database) -> list[int]:
    with db.read() as s:
        return sorted(set(s.scalars(select(CalendarTask.year).distinct())))


# --- editing tasks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskInput:
    """A task added or edited by hand."""

    year: int
    work: str
    item: str = ""
    content: str = ""
    owners: str = ""
    term: int | None = None
    timing: str = ""
    start_date: date | None = None
    due_date: date | None = None
    status: TaskStatus | str = TaskStatus.NOT_STARTED  # a code, or its label (未開始 …)
    done_on: date | None = None
    note: str = ""
    is_official: bool = False
    doc_no: str = ""
    rosters: str = ""


def parse_status(value: TaskStatus | str) -> TaskStatus:
    """A status given as a code (``done``) or a zh-TW label (``完成``); ServiceError otherwise."""
    try:
        return TaskStatus.parse(value)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _validate(data: TaskInput) -> TaskInput:
    work = data.work.strip()
    if not work:
        raise ServiceError("請輸入工作名稱")
    status = parse_status(data.status)
    if data.start_date and data.due_date and data.start_date > data.due_date:
        raise ServiceError(
            f"「{work}」的開始日 {format_roc(data.start_date)} 晚於截止日 {format_roc(data.due_date)}"
        )
    doc_no = data.doc_no.strip()
    if doc_no and not DOC_NO_RE.match(doc_no.replace(" ", "")):
        raise ServiceError(f"文號「{doc_no}」格式不符，應寫成例如 臺教國署高字第1120113411號")
    term = data.term
    anchor_day = data.due_date or data.start_date
    if term is None and anchor_day is not None and school_year_of(anchor_day) == data.year:
        term = term_of(anchor_day).term
    done_on = data.done_on
    if status == TaskStatus.DONE and done_on is None:
        done_on = date.today()
    if status != TaskStatus.DONE:
        done_on = None
    return replace(
        data,
        work=work,
        item=data.item.strip(),
        content=data.content.strip(),
        owners=data.owners.strip(),
        doc_no=doc_no.replace(" ", ""),
        rosters=data.rosters.strip(),
        note=data.note.strip(),
        term=term,
        status=status,
        done_on=done_on,
    )


def _check_upload_rule(s: Session, row: CalendarTask) -> None:
    """Q&A (九): the upload deadline may not be earlier than 休業式 + 14 days."""
    if row.timing != UPLOAD_RULE_WORD or row.due_date is None or row.term is None:
        return
    td = s.scalar(select(TermDates).where(TermDates.year == row.year, TermDates.term == row.term))
    if td is None or td.end_date is None:
        return
    floor = upload_deadline_floor(td.end_date)
    if row.due_date < floor:
        raise ServiceError(
            f"「{row.work}：{row.content}」的截止日 {format_roc(row.due_date)} 早於休業式"
            f"（{format_roc(td.end_date)}）後 2 週（{format_roc(floor)}）；國教署 Q&A（九）：除高三第2學期外，"
            "學生上傳課程學習成果至少至休業式後 2 週"
        )


def _snapshot(row: CalendarTask) -> dict[str, object]:
    return {
        "work": row.work,
        "item": row.item,
        "content": row.content,
        "owners": row.owners,
        "term": row.term,
        "start_date": row.start_date,
        "due_date": row.due_date,
        "status": TaskStatus.parse(row.status).label,  # the audit log shows what the user saw
        "done_on": row.done_on,
        "note": row.note,
        "is_official": row.is_official,
        "doc_no": row.doc_no,
        "rosters": row.rosters,
    }


def _get_row(s: Session, task_id: int) -> CalendarTask:
    row = s.get(CalendarTask, task_id)
    if row is None:
        raise ServiceError(f"找不到作業期程項目（編號 {task_id}），可能已被刪除；請重新整理")
    return row


def add_task(db: Database, data: TaskInput) -> TaskInfo:
    """Add a task by hand (or an official deadline, with ``is_official``)."""
    data = _validate(data)
    with db.transaction() as s:
        row = CalendarTask(
            year=data.year,
            term=data.term,
            item=data.item,
            work=data.work,
            content=data.content,
            timing=data.timing,
            owners=data.owners,
            start_date=data.start_date,
            due_date=data.due_date,
            status=data.status,
            done_on=data.done_on,
            note=data.note,
            is_official=data.is_official,
            doc_no=data.doc_no,
            template_key="",
            sort_order=900,
            source="",
            rosters=data.rosters,
            dates_locked=True,
        )
        s.add(row)
        s.flush()
        record(
            s,
            "calendar.official.add" if data.is_official else "calendar.task.add",
            "calendar_task",
            row.id,
            summary=f"新增{'國教署期限' if data.is_official else '工作'}「{data.work}」截止 {format_roc(data.due_date)}",
            after=_snapshot(row),
        )
        task_id = row.id
    return get_task(db, task_id)


def update_task(db: Database, task_id: int, data: TaskInput) -> TaskInfo:
    """Edit a task; changed dates are marked as set by hand (re-planning keeps them)."""
    data = _validate(data)
    with db.transaction() as s:
        row = _get_row(s, task_id)
        before = _snapshot(row)
        if (row.start_date, row.due_date) != (data.start_date, data.due_date):
            row.dates_locked = True
        row.term = data.term
        row.item = data.item
        row.work = data.work
        row.content = data.content
        row.owners = data.owners
        row.start_date = data.start_date
        row.due_date = data.due_date
        row.status = data.status
        row.done_on = data.done_on
        row.note = data.note
        row.is_official = data.is_official
        row.doc_no = data.doc_no
        row.rosters = data.rosters
        if data.timing:
            row.timing = data.timing
        _check_upload_rule(s, row)
        record(
            s,
            "calendar.task.update",
            "calendar_task",
            task_id,
            summary=f"修改工作「{row.work}」",
            before=before,
            after=_snapshot(row),
        )
    return get_task(db, task_id)


def delete_task(db: Database, task_id: int) -> None:
    with db.transaction() as s:
        row = _get_row(s, task_id)
        before = _snapshot(row)
        s.delete(row)
        record(
            s,
            "calendar.task.delete",
            "calendar_task",
            task_id,
            summary=f"刪除工作「{before['work']}」（{format_roc(before['due_date'])}）",  # type: ignore[arg-type]  # the audit dict holds the row's date
            before=before,
        )


def move_task(db: Database, task_id: int, due_date: date, start_date: date | None = None) -> TaskInfo:
    """Move a task to a new due date; without ``start_date`` the window keeps its length."""
    with db.transaction() as s:
        row = _get_row(s, task_id)
        before = _snapshot(row)
        if start_date is None and row.start_date is not None and row.due_date is not None:
            start_date = due_date - (row.due_date - row.start_date)
        if start_date is not None and start_date > due_date:
            raise ServiceError(
                f"「{row.work}」的開始日 {format_roc(start_date)} 晚於截止日 {format_roc(due_date)}"
            )
        row.start_date, row.due_date = start_date, due_date
        row.dates_locked = True
        if row.term is None and school_year_of(due_date) == row.year:
            row.term = term_of(due_date).term
        _check_upload_rule(s, row)
        record(
            s,
            "calendar.task.move",
            "calendar_task",
            task_id,
            summary=f"移動工作「{row.work}」：{format_roc(before['due_date'])} → {format_roc(due_date)}",  # type: ignore[arg-type]  # the audit dict holds the row's date
            before=before,
            after=_snapshot(row),
        )
    return get_task(db, task_id)


def mark_done(db: Database, task_id: int, done_on: date | None = None, note: str = "") -> TaskInfo:
    """Mark a task 完成 on ``done_on`` (default today) with a note."""
    done_on = done_on or date.today()
    if done_on > date.today() + timedelta(days=1):
        raise ServiceError(f"完成日期 {format_roc(done_on)} 在未來，請輸入實際完成的日期")
    with db.transaction() as s:
        row = _get_row(s, task_id)
        before = _snapshot(row)
        row.status = TaskStatus.DONE
        row.done_on = done_on
        if note.strip():
            row.note = f"{row.note}\n{note.strip()}".strip() if row.note else note.strip()
        record(
            s,
            "calendar.task.done",
            "calendar_task",
            task_id,
            summary=f"完成工作「{row.work}」於 {format_roc(done_on)}",
            before=before,
            after=_snapshot(row),
        )
    return get_task(db, task_id)


def set_status(db: Database, task_id: int, status: TaskStatus | str) -> TaskInfo:
    """Set 未開始 / 進行中 / 不適用 (完成 goes through :func:`mark_done`); a code or its label."""
    status = parse_status(status)
    if status == TaskStatus.DONE:
        return mark_done(db, task_id)
    with db.transaction() as s:
        row = _get_row(s, task_id)
        before = _snapshot(row)
        row.status = status
        row.done_on = None
        record(
            s,
            "calendar.task.status",
            "calendar_task",
            task_id,
            summary=f"工作「{row.work}」狀態：{before['status']} → {status.label}",
            before=before,
            after=_snapshot(row),
        )
    return get_task(db, task_id)


@dataclass(frozen=True)
class OfficialInput:
    """A 國教署 deadline announced by official letter."""

    year: int
    title: str
    due_date: date
    start_date: date | None = None
    doc_no: str = ""  # 文號, e.g. 臺教國署高字第1120113411號
    rosters: str = ""  # the rosters / data concerned
    note: str = ""
    item: str = "三 平台規劃"
    owners: str = "教務處"
    apply_to_task_id: int | None = None  # a planned task waiting for this date (依國教署公告時間)


def add_official(db: Database, data: OfficialInput) -> TaskInfo:
    """Enter an official deadline; it is shown like a task, marked official.

    With ``apply_to_task_id`` the date goes onto that planned task (a task whose timing is
    依國教署公告時間 has no date until then) instead of a new item.
    """
    if not data.doc_no.strip():
        raise ServiceError("請輸入公文文號（例如 臺教國署高字第1120113411號）")
    if data.apply_to_task_id is None:
        return add_task(
            db,
            TaskInput(
                year=data.year,
                work=data.title,
                item=data.item,
                owners=data.owners,
                start_date=data.start_date,
                due_date=data.due_date,
                note=data.note,
                is_official=True,
                doc_no=data.doc_no,
                rosters=data.rosters,
                timing="依國教署公告時間",
            ),
        )
    current = get_task(db, data.apply_to_task_id)
    note = "\n".join(x for x in (current.note, data.note.strip(), f"國教署公告：{data.title}") if x)
    return update_task(
        db,
        current.id,
        TaskInput(
            year=current.year,
            work=current.work,
            item=current.item,
            content=current.content,
            owners=current.owners,
            term=current.term,
            start_date=data.start_date,
            due_date=data.due_date,
            status=current.status if not current.done_by_data else TaskStatus.NOT_STARTED,
            done_on=current.done_on,
            note=note,
            is_official=True,
            doc_no=data.doc_no,
            rosters=data.rosters,
        ),
    )
