"""Planning a 學年度 from the task template: preview what would change, then create/update tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.calendar import PlannedTask, TaskStatus, TermAnchors, plan_tasks
from desktop_app.domain.errors import ServiceError
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.services.audit import record
from desktop_app.services.calendar.evidence import term_anchors
from desktop_app.services.calendar.timings import load_template, timing_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import CalendarTask


@dataclass(frozen=True)
class PlanChange:
    """An existing planned task whose template dates/text changed."""

    task_id: int
    template_key: str
    label: str  # ``114-1 操作訓練：系統操作``
    changes: tuple[str, ...]  # ``截止 114/09/14 → 114/09/15``


@dataclass(frozen=True)
class PlanPreview:
    year: int
    to_create: tuple[PlannedTask, ...]
    to_update: tuple[PlanChange, ...]
    kept: tuple[str, ...]  # tasks whose dates were set by hand: left alone
    unchanged: int
    missing_terms: tuple[str, ...]  # 學期 without a 開學日: not planned

    @property
    def already_planned(self) -> bool:
        return bool(self.to_update or self.kept or self.unchanged)


@dataclass(frozen=True)
class PlanResult:
    year: int
    created: int
    updated: tuple[PlanChange, ...]
    kept: tuple[str, ...]
    unchanged: int
    missing_terms: tuple[str, ...]


_TEXT_FIELDS = ("item", "work", "content", "timing", "owners", "source")
_FIELD_TITLES = {
    "item": "項目",
    "work": "工作",
    "content": "內容",
    "timing": "時程",
    "owners": "主責",
    "source": "資料來源",
    "start_date": "開始",
    "due_date": "截止",
}


def _show(value: object) -> str:
    if isinstance(value, date):
        return format_roc(value)
    return "（無）" if value in (None, "") else str(value)


def _plan_label(p: PlannedTask) -> str:
    return f"{p.year}-{p.term} {p.work}：{p.content}" if p.content else f"{p.year}-{p.term} {p.work}"


def _anchors_or_fail(db: Database, year: int) -> tuple[list[TermAnchors], tuple[str, ...]]:
    anchors = term_anchors(db, year)
    missing = tuple(Term(year, t).title for t in (1, 2) if t not in anchors)
    if not anchors:
        raise ServiceError(
            f"{year}學年度的開學日尚未設定：請先在「設定 → 學校資料」輸入第1、2學期的開學日與休業式，再規劃作業期程"
        )
    return [anchors[t] for t in sorted(anchors)], missing


def _compare(
    s: Session, year: int, planned: list[PlannedTask]
) -> tuple[list[PlannedTask], list[tuple[CalendarTask, PlannedTask, PlanChange]], list[str], int]:
    existing = {
        t.template_key: t
        for t in s.scalars(
            select(CalendarTask).where(CalendarTask.year == year, CalendarTask.template_key != "")
        )
    }
    create: list[PlannedTask] = []
    update: list[tuple[CalendarTask, PlannedTask, PlanChange]] = []
    kept: list[str] = []
    unchanged = 0
    for p in planned:
        row = existing.get(p.template_key)
        if row is None:
            create.append(p)
            continue
        fields = list(_TEXT_FIELDS)
        date_fields = ["start_date", "due_date"]
        date_diff = [f for f in date_fields if getattr(row, f) != getattr(p, f)]
        if row.dates_locked and date_diff:
            kept.append(f"{_plan_label(p)}（日期已手動設定：{format_roc(row.due_date)}）")
            date_diff = []
        text_diff = [f for f in fields if getattr(row, f) != getattr(p, f)]
        diff = text_diff + date_diff
        if not diff:
            unchanged += 1
            continue
        lines = tuple(f"{_FIELD_TITLES[f]} {_show(getattr(row, f))} → {_show(getattr(p, f))}" for f in diff)
        update.append((row, p, PlanChange(row.id, p.template_key, _plan_label(p), lines)))
    return create, update, kept, unchanged


def _new_task_row(p: PlannedTask) -> dict[str, object]:
    """The row of a task planned from the template: 未開始, no note, dates from the template."""
    return {
        "year": p.year,
        "term": p.term,
        "item": p.item,
        "work": p.work,
        "content": p.content,
        "timing": p.timing,
        "owners": p.owners,
        "start_date": p.start_date,
        "due_date": p.due_date,
        "status": TaskStatus.NOT_STARTED.value,
        "done_on": None,
        "note": "",
        "is_official": False,
        "doc_no": "",
        "template_key": p.template_key,
        "sort_order": p.sort_order,
        "source": p.source,
        "rosters": "",
        "dates_locked": False,
    }


def preview_plan(db: Database, year: int) -> PlanPreview:
    """What planning ``year`` would do: tasks to create, planned tasks whose dates would change."""
    anchors, missing = _anchors_or_fail(db, year)
    planned = plan_tasks(load_template(), timing_map(db), anchors)
    with db.read() as s:
        create, update, kept, unchanged = _compare(s, year, planned)
    return PlanPreview(year, tuple(create), tuple(u[2] for u in update), tuple(kept), unchanged, missing)


def plan_year(db: Database, year: int, *, update_existing: bool = True) -> PlanResult:
    """Plan a 學年度 from the template in one action.

    Creates the tasks not planned yet (matched by ``template_key``); never duplicates. With
    ``update_existing`` the planned tasks whose template dates or text changed (new 開學日, an
    edited timing word) are updated; tasks whose dates were set by hand (moved, official) keep them.
    Status, done date and notes are never touched.
    """
    anchors, missing = _anchors_or_fail(db, year)
    planned = plan_tasks(load_template(), timing_map(db), anchors)
    with db.transaction() as s:
        create, update, kept, unchanged = _compare(s, year, planned)
        if create:
            s.execute(insert(CalendarTask), [_new_task_row(p) for p in create])
        applied: list[PlanChange] = []
        if update_existing:
            for row, p, change in update:
                for f in _TEXT_FIELDS:
                    setattr(row, f, getattr(p, f))
                if not row.dates_locked:
                    row.start_date, row.due_date = p.start_date, p.due_date
                row.sort_order = p.sort_order
                applied.append(change)
        record(
            s,
            "calendar.plan",
            "calendar_task",
            year,
            summary=f"規劃{year}學年度作業期程：新增 {len(create)} 項，更新 {len(applied)} 項",
            after={
                "created": [p.template_key for p in create],
                "updated": [{c.template_key: list(c.changes)} for c in applied],
            },
        )
    return PlanResult(year, len(create), tuple(applied), tuple(kept), unchanged, missing)
