"""作業期程 rules: timing words → dates of a 學期, the task template, deadline states.

Pure functions and value types (no Qt, no database). A timing word (開學初, 學期中 …) maps to a
window inside a 學期: each end is an *anchor* (``start`` = 開學日, ``end`` = 休業式, ``none`` = no date
until an official deadline is entered) plus a number of days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from desktop_app.domain.glossary import offset_text

ANCHOR_START = "start"  # 開學日
ANCHOR_END = "end"  # 休業式
ANCHOR_NONE = "none"  # 依國教署公告時間
ANCHORS = (ANCHOR_START, ANCHOR_END, ANCHOR_NONE)
ANCHOR_TITLES = {ANCHOR_START: "開學日", ANCHOR_END: "休業式", ANCHOR_NONE: "無（待公告）"}

SOURCE_PRECHECK = "precheck"  # done when a 開課預檢 run of the 學期 is recorded
SOURCE_MEETING = "meeting"  # done when a 工作小組 meeting of the 學期 is recorded
SOURCE_RECEIPTS = "receipts"  # a 收訖明細 batch's confirmation period
SOURCES = ("", SOURCE_PRECHECK, SOURCE_MEETING)

# The first 開課比對 is due within 4 weeks of 開學 (deck: 開課預檢及比對).
PRECHECK_DAYS = 28
# Q&A (九): students may upload 課程學習成果 until at least 2 weeks after the 休業式.
UPLOAD_AFTER_END_DAYS = 14
# A 學期 whose 休業式 is not set yet is assumed to last 20 weeks.
ASSUMED_TERM_DAYS = 20 * 7

# Deadline states shown in the views and returned by ``services.calendar.deadlines.deadline_items``.
STATE_DONE = "done"
STATE_OVERDUE = "overdue"
STATE_DUE_SOON = "due-soon"
STATE_OPEN = "open"
STATE_NA = "n/a"
STATE_TITLES = {
    STATE_DONE: "完成",
    STATE_OVERDUE: "逾期",
    STATE_DUE_SOON: "即將到期",
    STATE_OPEN: "未到期",
    STATE_NA: "不適用",
}


class TaskStatus(StrEnum):
    """A task's status as stored (English codes); :attr:`label` is the zh-TW word every screen,
    export and CLI output shows (``TASK_STATUS_LABELS``, the one place the words live)."""

    NOT_STARTED = "todo"
    IN_PROGRESS = "doing"
    DONE = "done"
    NOT_APPLICABLE = "na"

    @property
    def label(self) -> str:
        return TASK_STATUS_LABELS[self]

    @classmethod
    def parse(cls, value: str) -> TaskStatus:
        """The status named by a code (``done``) or a zh-TW label (``完成``); ValueError otherwise."""
        text = str(value).strip()
        for status in cls:
            if text in (status.value, status.label):
                return status
        raise ValueError(f"狀態「{value}」應為 {'、'.join(TASK_STATUS_LABELS.values())} 之一")


TASK_STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.NOT_STARTED: "未開始",
    TaskStatus.IN_PROGRESS: "進行中",
    TaskStatus.DONE: "完成",
    TaskStatus.NOT_APPLICABLE: "不適用",
}


class TemplateError(ValueError):
    """The template file is malformed; the message says where."""


@dataclass(frozen=True)
class TimingRule:
    """A timing word and the window it stands for inside a 學期."""

    word: str
    start_anchor: str
    start_days: int
    due_anchor: str
    due_days: int
    description: str = ""

    @property
    def is_official(self) -> bool:
        """No date until the 國教署 announces one."""
        return self.due_anchor == ANCHOR_NONE

    def describe(self) -> str:
        """「開學日當天 ～ 開學日後 13 天」 (glossary words, never 「開學日+0 天」)."""
        if self.is_official:
            return "依國教署公告（輸入公告期限後才有日期）"
        return (
            f"{_end_text(self.start_anchor, self.start_days)} ～ {_end_text(self.due_anchor, self.due_days)}"
        )


def _end_text(anchor: str, days: int) -> str:
    return offset_text(ANCHOR_TITLES.get(anchor, anchor), days)


@dataclass(frozen=True)
class TermAnchors:
    """The dates a 學期's timing words count from."""

    year: int
    term: int
    start: date  # 開學日
    end: date | None  # 休業式 (None: not set yet)

    @property
    def effective_end(self) -> date:
        return self.end if self.end is not None else self.start + timedelta(days=ASSUMED_TERM_DAYS)


def resolve_timing(rule: TimingRule, anchors: TermAnchors) -> tuple[date | None, date | None]:
    """The (start, due) dates of ``rule`` in a 學期; ``(None, None)`` for an official-only timing."""

    def at(anchor: str, days: int) -> date | None:
        if anchor == ANCHOR_START:
            return anchors.start + timedelta(days=days)
        if anchor == ANCHOR_END:
            return anchors.effective_end + timedelta(days=days)
        return None

    start = at(rule.start_anchor, rule.start_days)
    due = at(rule.due_anchor, rule.due_days)
    if start is not None and due is not None and start > due:
        start = due
    return start, due


def first_precheck_deadline(term_start: date) -> date:
    """The 1st 開課比對 of a 學期 is due 4 weeks (28 days) after 開學日."""
    return term_start + timedelta(days=PRECHECK_DAYS)


def upload_deadline_floor(term_end: date) -> date:
    """Q&A (九): the student upload deadline may not be earlier than 休業式 + 14 days."""
    return term_end + timedelta(days=UPLOAD_AFTER_END_DAYS)


@dataclass(frozen=True)
class TemplateTask:
    """One row of the task template."""

    key: str
    item: str  # 項目
    work: str  # 工作
    content: str  # 內容
    timing: str  # timing word
    owners: str  # 主責
    terms: tuple[int, ...] = (1, 2)
    source: str = ""

    def planned_key(self, term: int) -> str:
        """The ``template_key`` a planned task carries: ``wg-meeting@1``."""
        return f"{self.key}@{term}"


@dataclass(frozen=True)
class Template:
    timings: tuple[TimingRule, ...]
    tasks: tuple[TemplateTask, ...]
    version: int = 1

    def timing_map(self) -> dict[str, TimingRule]:
        return {t.word: t for t in self.timings}


def _require(entry: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in entry or entry[name] in (None, ""):
        raise TemplateError(f"作業期程範本 {where} 缺少「{name}」")
    return entry[name]


def _end(entry: Mapping[str, Any], name: str, where: str) -> tuple[str, int]:
    raw = _require(entry, name, where)
    if not isinstance(raw, Mapping):
        raise TemplateError(f"作業期程範本 {where} 的「{name}」應寫成 {{anchor: start, days: 0}}")
    anchor = str(raw.get("anchor", ""))
    if anchor not in ANCHORS:
        raise TemplateError(f"作業期程範本 {where} 的 anchor「{anchor}」應為 start、end 或 none")
    try:
        days = int(raw.get("days", 0))
    except (TypeError, ValueError):
        raise TemplateError(f"作業期程範本 {where} 的 days「{raw.get('days')}」不是整數") from None
    return anchor, days


def parse_template(data: Mapping[str, Any]) -> Template:
    """Build a :class:`Template` from the parsed YAML; raises :class:`TemplateError`."""
    if not isinstance(data, Mapping):
        raise TemplateError("作業期程範本格式錯誤：最上層應為 timings 與 tasks")
    timings: list[TimingRule] = []
    for n, entry in enumerate(data.get("timings") or [], start=1):
        where = f"timings 第 {n} 筆"
        word = str(_require(entry, "word", where))
        sa, sd = _end(entry, "start", f"{where}（{word}）")
        da, dd = _end(entry, "due", f"{where}（{word}）")
        timings.append(TimingRule(word, sa, sd, da, dd, str(entry.get("description", ""))))
    words = {t.word for t in timings}
    tasks: list[TemplateTask] = []
    keys: set[str] = set()
    for n, entry in enumerate(data.get("tasks") or [], start=1):
        where = f"tasks 第 {n} 筆"
        key = str(_require(entry, "key", where))
        if key in keys:
            raise TemplateError(f"作業期程範本 {where}：key「{key}」重複")
        keys.add(key)
        timing = str(_require(entry, "timing", where))
        if timing not in words:
            raise TemplateError(f"作業期程範本 {where}（{key}）：時程「{timing}」不在 timings 中")
        terms = tuple(int(t) for t in entry.get("terms", (1, 2)))
        if not terms or any(t not in (1, 2) for t in terms):
            raise TemplateError(f"作業期程範本 {where}（{key}）：terms 只能是 1 或 2")
        source = str(entry.get("source", "") or "")
        if source not in SOURCES:
            raise TemplateError(f"作業期程範本 {where}（{key}）：source「{source}」應為 precheck 或 meeting")
        tasks.append(
            TemplateTask(
                key=key,
                item=str(_require(entry, "item", where)),
                work=str(_require(entry, "work", where)),
                content=str(entry.get("content", "")),
                timing=timing,
                owners=str(entry.get("owners", "")),
                terms=terms,
                source=source,
            )
        )
    return Template(tuple(timings), tuple(tasks), int(data.get("version", 1)))


@dataclass(frozen=True)
class PlannedTask:
    """A template row made concrete for one 學期."""

    template_key: str
    year: int
    term: int
    item: str
    work: str
    content: str
    timing: str
    owners: str
    start_date: date | None
    due_date: date | None
    source: str = ""
    sort_order: int = 0


def plan_tasks(
    template: Template,
    rules: Mapping[str, TimingRule],
    anchors: Iterable[TermAnchors],
) -> list[PlannedTask]:
    """The template's tasks for the given 學期, dated with ``rules`` (word → rule)."""
    planned: list[PlannedTask] = []
    for term_anchors in anchors:
        for order, task in enumerate(template.tasks):
            if term_anchors.term not in task.terms:
                continue
            rule = rules.get(task.timing)
            start, due = (None, None) if rule is None else resolve_timing(rule, term_anchors)
            planned.append(
                PlannedTask(
                    template_key=task.planned_key(term_anchors.term),
                    year=term_anchors.year,
                    term=term_anchors.term,
                    item=task.item,
                    work=task.work,
                    content=task.content,
                    timing=task.timing,
                    owners=task.owners,
                    start_date=start,
                    due_date=due,
                    source=task.source,
                    sort_order=term_anchors.term * 100 + order,
                )
            )
    return planned


def deadline_state(
    *, done: bool, not_applicable: bool, due: date | None, today: date, soon_days: int = 7
) -> str:
    """done / n/a / overdue (due < today) / due-soon (due within ``soon_days``) / open."""
    if not_applicable:
        return STATE_NA
    if done:
        return STATE_DONE
    if due is None:
        return STATE_OPEN
    if due < today:
        return STATE_OVERDUE
    if (due - today).days <= soon_days:
        return STATE_DUE_SOON
    return STATE_OPEN


def split_owners(owners: str) -> list[str]:
    """``教務處、輔導室(課諮師)`` → ``["教務處", "輔導室(課諮師)"]`` (also splits on , and ，)."""
    out: list[str] = []
    for part in owners.replace("，", "、").replace(",", "、").split("、"):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


@dataclass(frozen=True)
class TaskInfo:
    """One task of the 作業期程 as the services return it (planned, added by hand or official)."""

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
    status: TaskStatus
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
        if self.status == TaskStatus.DONE and self.done_on is not None:
            return self.due_date is None or self.done_on <= self.due_date
        if (
            self.due_date is not None
            and self.due_date < date.today()
            and self.status not in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)
        ):
            return False
        return None

    @property
    def title(self) -> str:
        """``操作訓練：系統操作`` (work and content, short)."""
        return f"{self.work}：{self.content}" if self.content and len(self.content) <= 20 else self.work


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
    status: TaskStatus  # shown as its label: 未開始 / 進行中 / 完成 / 不適用
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
    def status_label(self) -> str:
        """未開始 / 進行中 / 完成 / 不適用."""
        return TaskStatus.parse(self.status).label

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


def owners_of(items: Iterable[DeadlineItem]) -> list[str]:
    """Every owner named in the items, in first-seen order (for the owner filter)."""
    seen: list[str] = []
    for i in items:
        for o in split_owners(i.owners):
            if o not in seen:
                seen.append(o)
    return seen
