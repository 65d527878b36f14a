"""作業期程 services: plan a 學年度 from the template, edit tasks, official deadlines, deadline items.

``list_tasks`` is the contract the self-check evidence reads; ``deadline_items`` is the one function
that answers "which items of the 作業期程 are done, on time, overdue or due soon" (planned tasks,
official 國教署 deadlines and the deadlines that come from the data: the 1st 開課比對 of each 學期,
a 工作小組 meeting in each 學期, each 收訖明細 batch's confirmation period).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.calendar import (
    ANCHOR_END,
    ANCHORS,
    SOURCE_MEETING,
    SOURCE_PRECHECK,
    SOURCE_RECEIPTS,
    STATE_DONE,
    STATE_DUE_SOON,
    STATE_OVERDUE,
    STATE_TITLES,
    UPLOAD_AFTER_END_DAYS,
    PlannedTask,
    Template,
    TemplateError,
    TermAnchors,
    TimingRule,
    deadline_state,
    first_precheck_deadline,
    parse_template,
    plan_tasks,
    upload_deadline_floor,
)
from desktop_app.domain.roc_date import Term, format_roc, school_year_of, term_of
from desktop_app.resources import resource_path
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.precheck import counts_as_done, list_runs
from desktop_app.services.profile import get_term_dates
from desktop_app.services.receipts import list_batches
from desktop_app.services.working_group import list_meetings
from desktop_app.storage.db import Database
from desktop_app.storage.models import CalendarTask, CalendarTiming, TermDates

STATUSES = ("未開始", "進行中", "完成", "不適用")
STATUS_DONE = "完成"
STATUS_NA = "不適用"
TEMPLATE_FILE = "task_template.yaml"
# the timing word of Q&A (九) (students upload until ≥ 2 weeks after the 休業式)
UPLOAD_RULE_WORD = "休業式後2週"
DOC_NO_RE = re.compile(r"^\S*字第\s*\d+\s*號(函)?$")


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
    source: str = ""  # "precheck" | "meeting": status comes from that data
    rosters: str = ""
    dates_locked: bool = False
    template_key: str = ""
    sort_order: int = 0
    done_by_data: bool = False  # 完成 because the record (run, meeting) exists

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

    @property
    def title(self) -> str:
        """``操作訓練：系統操作`` (work and content, short)."""
        return f"{self.work}：{self.content}" if self.content and len(self.content) <= 20 else self.work


# --- template and timing words ---------------------------------------------------------------


def load_template(path: Path | None = None) -> Template:
    """The shipped task template (``resources/task_template.yaml``) or ``path``."""
    path = path or resource_path(TEMPLATE_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"找不到作業期程範本「{path}」，請重新安裝程式") from None
    except yaml.YAMLError as exc:
        raise ServiceError(f"作業期程範本「{path}」格式錯誤：{exc}") from None
    try:
        return parse_template(data)
    except TemplateError as exc:
        raise ServiceError(f"{exc}（檔案：{path}）") from None


@dataclass(frozen=True)
class TimingRuleInfo:
    rule: TimingRule
    overridden: bool  # the school changed the template's default
    default: TimingRule | None  # the template's rule (None: a word the school added)


def list_timing_rules(db: Database, template: Template | None = None) -> list[TimingRuleInfo]:
    """The timing words: the template's defaults with the school's overrides applied."""
    template = template or load_template()
    with db.read() as s:
        overrides = {o.word: _rule_of(o) for o in s.scalars(select(CalendarTiming))}
    out = [TimingRuleInfo(overrides.get(r.word, r), r.word in overrides, r) for r in template.timings]
    defaults = template.timing_map()
    out += [TimingRuleInfo(r, True, None) for w, r in sorted(overrides.items()) if w not in defaults]
    return out


def timing_map(db: Database, template: Template | None = None) -> dict[str, TimingRule]:
    return {info.rule.word: info.rule for info in list_timing_rules(db, template)}


def _rule_of(row: CalendarTiming) -> TimingRule:
    return TimingRule(
        row.word, row.start_anchor, row.start_days, row.due_anchor, row.due_days, row.description
    )


def validate_timing_rule(rule: TimingRule) -> TimingRule:
    word = rule.word.strip()
    if not word:
        raise ServiceError("請輸入時程用語（例如 開學初）")
    for anchor in (rule.start_anchor, rule.due_anchor):
        if anchor not in ANCHORS:
            raise ServiceError(f"時程「{word}」的基準「{anchor}」應為開學日、休業式或無")
    if (rule.start_anchor == "none") != (rule.due_anchor == "none"):
        raise ServiceError(f"時程「{word}」的開始與截止基準必須同為「無（待公告）」或同為日期")
    if abs(rule.start_days) > 200 or abs(rule.due_days) > 200:
        raise ServiceError(f"時程「{word}」的天數應在 ±200 天內")
    if (
        rule.start_anchor == rule.due_anchor
        and rule.start_anchor != "none"
        and rule.start_days > rule.due_days
    ):
        raise ServiceError(
            f"時程「{word}」的開始（{rule.start_days:+d} 天）晚於截止（{rule.due_days:+d} 天）"
        )
    if word == UPLOAD_RULE_WORD and not (
        rule.due_anchor == ANCHOR_END and rule.due_days >= UPLOAD_AFTER_END_DAYS
    ):
        raise ServiceError(
            f"時程「{word}」的截止不得早於休業式後 {UPLOAD_AFTER_END_DAYS} 天"
            "（國教署 Q&A（九）：除高三第2學期外，學生上傳課程學習成果至少至休業式後2週）"
        )
    return replace(rule, word=word, description=rule.description.strip())


def save_timing_rule(db: Database, rule: TimingRule) -> TimingRule:
    """Store the school's mapping of one timing word (used by the next planning)."""
    rule = validate_timing_rule(rule)
    with db.transaction() as s:
        row = s.get(CalendarTiming, rule.word)
        before = None if row is None else asdict(_rule_of(row))
        if row is None:
            row = CalendarTiming(word=rule.word)
            s.add(row)
        row.start_anchor = rule.start_anchor
        row.start_days = rule.start_days
        row.due_anchor = rule.due_anchor
        row.due_days = rule.due_days
        row.description = rule.description
        record(
            s,
            "calendar.timing.save",
            "calendar_timing",
            rule.word,
            summary=f"時程對照「{rule.word}」：{rule.describe()}",
            before=before,
            after=asdict(rule),
        )
    return rule


def reset_timing_rule(db: Database, word: str) -> None:
    """Drop the school's override: the template's default applies again."""
    with db.transaction() as s:
        row = s.get(CalendarTiming, word)
        if row is None:
            return
        before = asdict(_rule_of(row))
        s.delete(row)
        record(
            s,
            "calendar.timing.reset",
            "calendar_timing",
            word,
            summary=f"時程對照「{word}」還原為範本預設",
            before=before,
        )


# --- reading tasks ---------------------------------------------------------------------------


def _first_precheck_run(db: Database, year: int) -> dict[int, date]:
    """Per 學期: the date of the first recorded 開課預檢 run that checked its roster (a failed run,
    F01/F02/F05, compared nothing and does not count)."""
    first: dict[int, date] = {}
    for run in list_runs(db, year):
        if run.term in (1, 2) and run.term not in first and counts_as_done(run):
            first[run.term] = run.run_at.date()
    return first


def _first_meeting(db: Database, year: int) -> dict[int, date]:
    """Per 學期: the date of the first 工作小組 meeting."""
    first: dict[int, date] = {}
    for meeting in list_meetings(db, year):
        if meeting.term in (1, 2):
            held = meeting.held_on
            if meeting.term not in first or held < first[meeting.term]:
                first[meeting.term] = held
    return first


def _info(t: CalendarTask, evidence: dict[str, dict[int, date]]) -> TaskInfo:
    status, done_on, by_data = t.status, t.done_on, False
    if t.source in evidence and t.term in evidence[t.source] and t.status != STATUS_NA:
        status, done_on, by_data = STATUS_DONE, evidence[t.source][t.term], True
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


def _evidence(db: Database, year: int) -> dict[str, dict[int, date]]:
    return {SOURCE_PRECHECK: _first_precheck_run(db, year), SOURCE_MEETING: _first_meeting(db, year)}


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
    evidence = _evidence(db, year)
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


# --- deadline items --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineItem:
    """One dated item of the 作業期程: a task, an official deadline, or a deadline from the data.

    ``state`` is one of ``done`` / ``overdue`` / ``due-soon`` / ``open`` / ``n/a`` (不適用).
    """

    key: str  # "task:12" | "precheck:113-1" | "meeting:113-2" | "receipts:5"
    kind: str  # "task" | "official" | "data"
    year: int
    term: int | None
    item: str  # 項目
    title: str  # 工作
    content: str
    owners: str
    start_date: date | None
    due_date: date | None
    status: str  # 未開始 / 進行中 / 完成 / 不適用
    done_on: date | None
    state: str
    source: str = ""  # precheck / meeting / receipts / ""
    is_official: bool = False
    doc_no: str = ""
    rosters: str = ""
    note: str = ""
    timing: str = ""
    task_id: int | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    template_key: str = ""  # ``wg-meeting@1`` for a task planned from the template

    @property
    def state_title(self) -> str:
        return STATE_TITLES.get(self.state, self.state)

    @property
    def on_time(self) -> bool | None:
        """Done by the due date (True), late or overdue (False), not yet decided (None)."""
        if self.state == STATE_DONE:
            if self.done_on is None or self.due_date is None:
                return True
            return self.done_on <= self.due_date
        if self.state == STATE_OVERDUE:
            return False
        return None

    @property
    def is_data(self) -> bool:
        return bool(self.source)


def _term_anchors(db: Database, year: int) -> dict[int, TermAnchors]:
    out: dict[int, TermAnchors] = {}
    for term in (1, 2):
        td = get_term_dates(db, year, term)
        if td is not None:
            out[term] = TermAnchors(year, term, td.start_date, td.end_date)
    return out


def _batch_year(batch) -> int:  # type: ignore[no-untyped-def]
    return batch.year if batch.year is not None else school_year_of(batch.period_start)


def deadline_items(
    db: Database, year: int, today: date | None = None, soon_days: int = 7
) -> list[DeadlineItem]:
    """All items of a 學年度 with their state on ``today`` (default: today), in date order.

    Planned and hand-added tasks, official 國教署 deadlines (kind ``official``), and deadlines that
    come from the data (kind ``data``): the 1st 開課比對 of each 學期 (due 開學日 + 28 days, done
    when a 開課預檢 run of that 學期 is recorded), a 工作小組 meeting in each 學期 (due at the
    休業式, done when a meeting of that 學期 is recorded) and each 收訖明細 batch's confirmation
    period (done once the period is over with no open objection). A data deadline that a planned
    task already represents is not repeated.
    """
    today = today or date.today()
    items: list[DeadlineItem] = []
    tasks = list_tasks(db, year)
    for t in tasks:
        state = deadline_state(
            done=t.status == STATUS_DONE,
            not_applicable=t.status == STATUS_NA,
            due=t.due_date,
            today=today,
            soon_days=soon_days,
        )
        warnings: list[str] = []
        if t.done_by_data and t.due_date is not None and t.done_on and t.done_on > t.due_date:
            warnings.append(f"逾期完成（{format_roc(t.done_on)}，期限 {format_roc(t.due_date)}）")
        items.append(
            DeadlineItem(
                key=f"task:{t.id}",
                kind="official" if t.is_official else "task",
                year=t.year,
                term=t.term,
                item=t.item,
                title=t.work,
                content=t.content,
                owners=t.owners,
                start_date=t.start_date,
                due_date=t.due_date,
                status=t.status,
                done_on=t.done_on,
                state=state,
                source=t.source,
                is_official=t.is_official,
                doc_no=t.doc_no,
                rosters=t.rosters,
                note=t.note,
                timing=t.timing,
                task_id=t.id,
                warnings=tuple(warnings),
                template_key=t.template_key,
            )
        )
    covered = {(t.source, t.term) for t in tasks if t.source}
    evidence = _evidence(db, year)
    for term, anchors in _term_anchors(db, year).items():
        label = Term(year, term).label
        if (SOURCE_PRECHECK, term) not in covered:
            due = first_precheck_deadline(anchors.start)
            done_on = evidence[SOURCE_PRECHECK].get(term)
            items.append(
                _data_item(
                    f"precheck:{label}",
                    year,
                    term,
                    "三 平台規劃",
                    "開課預檢及比對（第 1 次）",
                    "開學後 4 週內完成第 1 次開課比對",
                    "教學組、註冊組",
                    anchors.start,
                    due,
                    done_on,
                    SOURCE_PRECHECK,
                    today,
                    soon_days,
                )
            )
        if (SOURCE_MEETING, term) not in covered:
            done_on = evidence[SOURCE_MEETING].get(term)
            items.append(
                _data_item(
                    f"meeting:{label}",
                    year,
                    term,
                    "一 行政規劃",
                    "工作小組會議",
                    "每學期至少召開一次會議",
                    "工作小組",
                    anchors.start,
                    anchors.effective_end,
                    done_on,
                    SOURCE_MEETING,
                    today,
                    soon_days,
                )
            )
    for batch in list_batches(db):
        if _batch_year(batch) != year:
            continue
        items.append(_batch_item(batch, year, today, soon_days))
    return sorted(items, key=_item_order)


def _item_order(i: DeadlineItem) -> tuple:  # type: ignore[type-arg]
    return (i.due_date is None, i.due_date or date.min, i.term or 0, i.item, i.key)


def _data_item(
    key: str,
    year: int,
    term: int,
    item: str,
    title: str,
    content: str,
    owners: str,
    start: date | None,
    due: date,
    done_on: date | None,
    source: str,
    today: date,
    soon_days: int,
) -> DeadlineItem:
    warnings = ()
    if done_on is not None and done_on > due:
        warnings = (f"逾期完成（{format_roc(done_on)}，期限 {format_roc(due)}）",)
    return DeadlineItem(
        key=key,
        kind="data",
        year=year,
        term=term,
        item=item,
        title=title,
        content=content,
        owners=owners,
        start_date=start,
        due_date=due,
        status=STATUS_DONE if done_on else "未開始",
        done_on=done_on,
        state=deadline_state(
            done=done_on is not None, not_applicable=False, due=due, today=today, soon_days=soon_days
        ),
        source=source,
        warnings=warnings,
    )


def _batch_item(batch, year: int, today: date, soon_days: int) -> DeadlineItem:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    if batch.period_days < 3:
        warnings.append(f"確認期間僅 {batch.period_days} 天，不得少於 3 天")
    if batch.deadline is not None and batch.period_end > batch.deadline:
        warnings.append(f"確認期間結束於國教署期限 {format_roc(batch.deadline)} 之後")
    over = today > batch.period_end
    done = over and batch.objections_open == 0
    parts = [f"確認期間 {batch.period_days} 天"]
    if batch.deadline is not None:
        parts.append(f"國教署期限 {format_roc(batch.deadline)}")
    parts.append(f"疑義 {batch.objections_total} 件（未結 {batch.objections_open} 件）")
    term = batch.term if batch.term in (1, 2) else term_of(batch.period_start).term
    return DeadlineItem(
        key=f"receipts:{batch.id}",
        kind="data",
        year=year,
        term=term,
        item="三 平台規劃",
        title=f"收訖明細確認期間：{batch.name}",
        content="；".join(parts),
        owners="教務處",
        start_date=batch.period_start,
        due_date=batch.period_end,
        status=STATUS_DONE if done else ("進行中" if today >= batch.period_start else "未開始"),
        done_on=batch.period_end if done else None,
        state=deadline_state(
            done=done, not_applicable=False, due=batch.period_end, today=today, soon_days=soon_days
        ),
        source=SOURCE_RECEIPTS,
        is_official=bool(batch.deadline_doc_no),
        doc_no=batch.deadline_doc_no,
        warnings=tuple(warnings),
    )


def due_items(db: Database, days: int = 7, today: date | None = None) -> list[DeadlineItem]:
    """Overdue items and items due within ``days`` days: this 學年度, the previous one (its late
    leftovers) and any planned later one. Older years are history, not reminders."""
    today = today or date.today()
    current = school_year_of(today)
    years = {y for y in planned_years(db) if y >= current - 1} | {current}
    out = [
        i
        for year in sorted(years)
        for i in deadline_items(db, year, today=today, soon_days=days)
        if i.state in (STATE_OVERDUE, STATE_DUE_SOON)
    ]
    return sorted(out, key=_item_order)


def banner_summary(
    db: Database, today: date | None = None, days: int = 7
) -> tuple[list[DeadlineItem], list[DeadlineItem]]:
    """(overdue, due within ``days``) for the start-up banner."""
    items = due_items(db, days=days, today=today)
    return [i for i in items if i.state == STATE_OVERDUE], [i for i in items if i.state == STATE_DUE_SOON]


# --- planning --------------------------------------------------------------------------------


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
    anchors = _term_anchors(db, year)
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
            s.execute(
                insert(CalendarTask),
                [
                    {
                        "year": p.year,
                        "term": p.term,
                        "item": p.item,
                        "work": p.work,
                        "content": p.content,
                        "timing": p.timing,
                        "owners": p.owners,
                        "start_date": p.start_date,
                        "due_date": p.due_date,
                        "status": "未開始",
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
                    for p in create
                ],
            )
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
    status: str = "未開始"
    done_on: date | None = None
    note: str = ""
    is_official: bool = False
    doc_no: str = ""
    rosters: str = ""


def _validate(data: TaskInput) -> TaskInput:
    work = data.work.strip()
    if not work:
        raise ServiceError("請輸入工作名稱")
    if data.status not in STATUSES:
        raise ServiceError(f"狀態「{data.status}」應為 {'、'.join(STATUSES)} 之一")
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
    if data.status == STATUS_DONE and done_on is None:
        done_on = date.today()
    if data.status != STATUS_DONE:
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
        "status": row.status,
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
            summary=f"刪除工作「{before['work']}」（{format_roc(before['due_date'])}）",  # type: ignore[arg-type]
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
            summary=f"移動工作「{row.work}」：{format_roc(before['due_date'])} → {format_roc(due_date)}",  # type: ignore[arg-type]
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
        row.status = STATUS_DONE
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


def set_status(db: Database, task_id: int, status: str) -> TaskInfo:
    """Set 未開始 / 進行中 / 不適用 (完成 goes through :func:`mark_done`)."""
    if status not in STATUSES:
        raise ServiceError(f"狀態「{status}」應為 {'、'.join(STATUSES)} 之一")
    if status == STATUS_DONE:
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
            summary=f"工作「{row.work}」狀態：{before['status']} → {status}",
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
            status=current.status if not current.done_by_data else "未開始",
            done_on=current.done_on,
            note=note,
            is_official=True,
            doc_no=data.doc_no,
            rosters=data.rosters,
        ),
    )


def owners_of(items: Iterable[DeadlineItem]) -> list[str]:
    """Every owner named in the items, in first-seen order (for the owner filter)."""
    from desktop_app.domain.calendar import split_owners

    seen: list[str] = []
    for i in items:
        for o in split_owners(i.owners):
            if o not in seen:
                seen.append(o)
    return seen
