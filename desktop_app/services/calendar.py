"""作業期程 services. ``list_tasks`` is the contract the self-check evidence reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop_app.storage.db import Database
from desktop_app.storage.models import CalendarTask

STATUSES = ("未開始", "進行中", "完成", "不適用")


@dataclass(frozen=True)
class TaskInfo:
    id: int
    year: int
    term: int | None
    item: str
    work: str
    content: str
    timing: str
    owners: str
    start_date: date | None
    due_date: date | None
    status: str
    done_on: date | None
    note: str
    is_official: bool
    doc_no: str

    @property
    def done_on_time(self) -> bool | None:
        """True/False once done (or past due); None while not yet due."""
        if self.status == "完成" and self.done_on is not None:
            return self.due_date is None or self.done_on <= self.due_date
        if (
            self.due_date is not None
            and self.due_date < date.today()
            and self.status not in ("完成", "不適用")
        ):
            return False
        return None


def list_tasks(db: Database, year: int) -> list[TaskInfo]:
    """Tasks of a 學年度 in date order."""
    stmt = (
        select(CalendarTask)
        .where(CalendarTask.year == year)
        .order_by(CalendarTask.due_date, CalendarTask.sort_order, CalendarTask.id)
    )
    with db.read() as s:
        return [
            TaskInfo(
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
                t.status,
                t.done_on,
                t.note,
                t.is_official,
                t.doc_no,
            )
            for t in s.scalars(stmt)
        ]
