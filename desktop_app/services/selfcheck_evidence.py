"""Evidence rules of the self-check form: built-in checks computed from records the app holds.

Each rule reads other features only through their read contracts (``services.working_group``,
``services.calendar.list_tasks``, ``services.precheck.list_runs``, ``services.profile.get_term_dates``,
``services.receipts.list_batches``) and yields a :class:`Finding`: holds / does not hold / no data
yet, a one-line summary, details, and links to the records (tab key + record) it looked at.
Where the data for a rule does not exist yet, the finding says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from desktop_app.domain.calendar import TaskStatus
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.domain.selfcheck import AnswerType, ItemDef
from desktop_app.services import ServiceError, working_group
from desktop_app.storage.db import Database

if TYPE_CHECKING:  # (imported where used: these service modules import this one's package)
    from desktop_app.domain.calendar import TaskInfo
    from desktop_app.services.precheck.runs import PrecheckRunInfo
    from desktop_app.services.receipts import ReceiptBatchInfo
    from desktop_app.services.working_group import RegulationInfo

HOLDS = "holds"
FAILS = "fails"
NO_DATA = "no_data"
STATUS_LABELS = {HOLDS: "符合", FAILS: "不符合", NO_DATA: "尚無資料"}

FIRST_PRECHECK_DAYS = 28  # 開學後4週內完成第1次比對
MIN_PERIOD_DAYS = 3  # 收訖明細確認期間不得少於三日
UPLOAD_AFTER_CLOSING_DAYS = 14  # 休業式後至少2週


@dataclass(frozen=True)
class RecordLink:
    """A record another tab can show: ``tab_key`` for ``BaseTab.navigate`` and the record to select."""

    tab_key: str  # working_group | calendar | precheck | receipts
    # what that tab's show_record() takes: ("meeting", id) / ("regulation", id) / ("members", year)
    # for the working group; the record id (task, run, batch) for the others; None: just the tab
    record: object
    label: str  # zh-TW text of the link


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    status: str  # HOLDS | FAILS | NO_DATA
    summary: str
    details: tuple[str, ...] = ()
    partial: bool = False  # FAILS, but part of it holds (suggests 部分符合)
    links: tuple[RecordLink, ...] = ()

    @property
    def status_label(self) -> str:
        if self.status == FAILS and self.partial:
            return "部分符合"
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "title": self.title,
            "status": self.status,
            "status_label": self.status_label,
            "partial": self.partial,
            "summary": self.summary,
            "details": list(self.details),
            "links": [
                {"tab": link.tab_key, "record": link.record, "label": link.label} for link in self.links
            ],
        }


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    source_tab: str
    check: Callable[[Database, Term, date], Finding] = field(repr=False)


# --- helpers -----------------------------------------------------------------------------------
def _finding(
    rule: str,
    status: str,
    summary: str,
    details: Sequence[str] = (),
    *,
    partial: bool = False,
    links: Sequence[RecordLink] = (),
) -> Finding:
    return Finding(
        rule,
        RULES[rule].title if rule in RULES else rule,
        status,
        summary,
        tuple(details),
        partial,
        tuple(links),
    )


def _has_members(db: Database, year: int) -> bool:
    return bool(working_group.list_members(db, year))


def _members_link(term: Term) -> RecordLink:
    return RecordLink("working_group", ("members", term.year), f"{term.year}學年度工作小組名單")


def check_wg_composition(db: Database, term: Term, today: date) -> Finding:
    rule = "wg_composition"
    link = _members_link(term)
    if not _has_members(db, term.year):
        return _finding(rule, NO_DATA, f"尚未登錄{term.year}學年度的工作小組名單", links=(link,))
    result = working_group.composition_check(db, term.year)
    if result.ok:
        return _finding(rule, HOLDS, f"{term.year}學年度工作小組的必要席次皆已設置", links=(link,))
    return _finding(
        rule,
        FAILS,
        f"{term.year}學年度工作小組組成不完整：{result.summary}",
        list(result.problems),
        partial=True,
        links=(link,),
    )


def check_wg_convener(db: Database, term: Term, today: date) -> Finding:
    rule = "wg_convener"
    link = _members_link(term)
    if not _has_members(db, term.year):
        return _finding(rule, NO_DATA, f"尚未登錄{term.year}學年度的工作小組名單", links=(link,))
    result = working_group.composition_check(db, term.year)
    if result.convener_ok:
        return _finding(rule, HOLDS, "工作小組召集人為校長", links=(link,))
    problems = [p for p in result.problems if "召集人" in p or "校長" in p]
    return _finding(rule, FAILS, "工作小組召集人不是校長（或尚未指定召集人）", problems, links=(link,))


def check_wg_meeting_this_term(db: Database, term: Term, today: date) -> Finding:
    rule = "wg_meeting_this_term"
    meetings = [m for m in working_group.list_meetings(db, term.year) if m.term == term.term]
    if meetings:
        meetings.sort(key=lambda m: m.held_on)
        links = [
            RecordLink("working_group", ("meeting", m.id), f"{format_roc(m.held_on)} {m.title}")
            for m in meetings
        ]
        return _finding(
            rule,
            HOLDS,
            f"本學期已召開 {len(meetings)} 次會議（{format_roc(meetings[0].held_on)} 起）",
            [f"{format_roc(m.held_on)} {m.title}" for m in meetings],
            links=links,
        )
    link = RecordLink("working_group", ("members", term.year), "工作小組會議")
    if not _has_members(db, term.year) and not working_group.list_meetings(db, term.year):
        return _finding(rule, NO_DATA, f"尚未登錄{term.year}學年度的工作小組名單及會議", links=(link,))
    if today <= term.end:
        return _finding(
            rule, NO_DATA, f"本學期尚無會議紀錄（學期至 {format_roc(term.end)} 結束）", links=(link,)
        )
    return _finding(rule, FAILS, f"{term.title}沒有工作小組會議紀錄（每學期至少召開一次）", links=(link,))


MEETING_TOPICS = ("任務分工", "作業期程", "評核管考")  # 作業期程項目一 工作小組會議 內容


def check_wg_meeting_topics(db: Database, term: Term, today: date) -> Finding:
    """This 學期's meetings (agenda + minutes) took up 任務分工、作業期程、評核管考."""
    rule = "wg_meeting_topics"
    meetings = [m for m in working_group.list_meetings(db, term.year) if m.term == term.term]
    link = RecordLink("working_group", ("members", term.year), "工作小組會議")
    if not meetings:
        return _finding(rule, NO_DATA, "本學期尚無工作小組會議紀錄", links=(link,))
    meetings.sort(key=lambda m: m.held_on)
    text = "".join(f"{m.title}{m.agenda}{m.minutes}".replace(" ", "") for m in meetings)
    found = [t for t in MEETING_TOPICS if t in text]
    missing = [t for t in MEETING_TOPICS if t not in found]
    links = [
        RecordLink("working_group", ("meeting", m.id), f"{format_roc(m.held_on)} {m.title}") for m in meetings
    ]
    details = [f"{format_roc(m.held_on)} {m.title}" for m in meetings]
    if not missing:
        return _finding(
            rule, HOLDS, "本學期會議議程／紀錄已包括任務分工、作業期程及評核管考", details, links=links
        )
    return _finding(
        rule,
        FAILS,
        f"本學期會議議程／紀錄未見：{'、'.join(missing)}",
        details,
        partial=bool(found),
        links=links,
    )


def _current_regulation(db: Database, term: Term) -> RegulationInfo | None:
    """The 補充規定 version in force at the end of the 學期 (latest one dated by then)."""
    regs = working_group.list_regulations(db)

    def dated(r: RegulationInfo) -> date | None:
        return r.passed_on or r.drafted_on

    usable = [r for r in regs if (on := dated(r)) is None or on <= term.end]
    if not usable:
        return None
    usable.sort(key=lambda r: (dated(r) or date.min, r.id))
    return usable[-1]


def _reg_link(reg: RegulationInfo) -> RecordLink:
    return RecordLink("working_group", ("regulation", reg.id), f"補充規定 {reg.version}")


COVER_TITLES = (
    "（一）工作小組之組成、運作及督導",
    "（二）學生學習歷程檔案資料建置之方式、人員、期程及內容",
    "（三）學生學習歷程檔案資料相關研習之規劃",
    "（四）辦理成效評核及獎勵",
)


def _regulation_rule(rule: str, judge: Callable[..., Finding]) -> Callable[[Database, Term, date], Finding]:
    def check(db: Database, term: Term, today: date) -> Finding:
        reg = _current_regulation(db, term)
        if reg is None:
            return _finding(
                rule,
                NO_DATA,
                "尚未登錄補充規定",
                links=(RecordLink("working_group", None, "補充規定"),),
            )
        return judge(rule, reg)

    return check


def _judge_complete(rule: str, reg: RegulationInfo) -> Finding:
    covered = [t for t, c in zip(COVER_TITLES, reg.covers, strict=True) if c]
    missing = [t for t, c in zip(COVER_TITLES, reg.covers, strict=True) if not c]
    if not missing:
        return _finding(
            rule, HOLDS, f"補充規定（{reg.version}）內容涵蓋（一）至（四）", links=(_reg_link(reg),)
        )
    return _finding(
        rule,
        FAILS,
        f"補充規定（{reg.version}）內容缺少 {len(missing)} 款",
        [f"未涵蓋{t}" for t in missing],
        partial=bool(covered),
        links=(_reg_link(reg),),
    )


def _judge_passed(rule: str, reg: RegulationInfo) -> Finding:
    if reg.passed_on is not None:
        meeting = f"（{reg.meeting_name}）" if reg.meeting_name else ""
        return _finding(
            rule,
            HOLDS,
            f"補充規定（{reg.version}）於 {format_roc(reg.passed_on)} 經會議通過{meeting}",
            links=(_reg_link(reg),),
        )
    return _finding(rule, FAILS, f"補充規定（{reg.version}）尚無校務會議通過日期", links=(_reg_link(reg),))


def _judge_published(rule: str, reg: RegulationInfo) -> Finding:
    if reg.announced_on is not None and reg.url:
        return _finding(
            rule,
            HOLDS,
            f"補充規定（{reg.version}）於 {format_roc(reg.announced_on)} 公告於學校網站",
            [reg.url],
            links=(_reg_link(reg),),
        )
    if reg.announced_on is not None:
        return _finding(
            rule,
            FAILS,
            f"補充規定已於 {format_roc(reg.announced_on)} 公告，但未登錄學校網站網址",
            partial=True,
            links=(_reg_link(reg),),
        )
    if reg.url:
        return _finding(
            rule,
            FAILS,
            "補充規定已登錄網址，但沒有公告日期",
            [reg.url],
            partial=True,
            links=(_reg_link(reg),),
        )
    return _finding(rule, FAILS, f"補充規定（{reg.version}）尚未公告於學校網站", links=(_reg_link(reg),))


def _judge_covers(index: int) -> Callable[..., Finding]:
    def judge(rule: str, reg: RegulationInfo) -> Finding:
        if reg.covers[index]:
            return _finding(
                rule, HOLDS, f"補充規定（{reg.version}）已包括{COVER_TITLES[index]}", links=(_reg_link(reg),)
            )
        return _finding(
            rule, FAILS, f"補充規定（{reg.version}）未包括{COVER_TITLES[index]}", links=(_reg_link(reg),)
        )

    return judge


# --- calendar ----------------------------------------------------------------------------------
def _term_tasks(db: Database, term: Term) -> list[TaskInfo]:
    from desktop_app.services.calendar.tasks import list_tasks

    def in_term(t: TaskInfo) -> bool:
        if t.term is not None:
            return t.term == term.term
        anchor = t.due_date or t.start_date
        return anchor is not None and term.contains(anchor)

    return [t for t in list_tasks(db, term.year) if in_term(t)]


def _task_text(t: TaskInfo) -> str:
    # work and content only: the 項目 name (二 研習規劃) would match every task of that 項目
    return f"{t.work} {t.content}"


def _is_upload_deadline(t: TaskInfo) -> bool:
    text = _task_text(t)
    if "上傳" not in text or not any(k in text for k in ("截止", "期限", "課程學習成果", "課程成果")):
        return False
    # a task only for 高三 第2學期 follows the 考招 schedule (Q&A (九) exempts it)
    return not ("高三" in text and "休業式" not in text)


def known_date(db: Database, term: Term, source: str) -> date | None:
    """A date the app knows for a date item (see ``domain.selfcheck.PREFILL_SOURCES``), or None.

    - ``wg_meeting_date``: the first 工作小組 meeting of the 學期;
    - ``upload_deadline``: the latest due date of the 學期's student-upload tasks in the 作業期程;
    - ``receipts_period_end``: the latest end of a 收訖明細 confirmation period starting in the 學期.
    """
    if source == "wg_meeting_date":
        held = [m.held_on for m in working_group.list_meetings(db, term.year) if m.term == term.term]
        return min(held) if held else None
    if source == "upload_deadline":
        dues = [t.due_date for t in _term_tasks(db, term) if _is_upload_deadline(t) and t.due_date]
        return max(dues) if dues else None
    if source == "receipts_period_end":
        ends = [b.period_end for b in _term_batches(db, term)]
        return max(ends) if ends else None
    return None


def _task_line(t: TaskInfo) -> str:
    name = f"{t.work}：{t.content}" if t.content and len(t.content) <= 20 else t.work
    due = f"期限 {format_roc(t.due_date)}" if t.due_date else "未訂期限"
    done = f"，{format_roc(t.done_on)} 完成" if t.done_on else ""
    return f"{name}（{due}，{t.status.label}{done}）"


def _calendar_rule(
    rule: str, keywords: tuple[str, ...], what: str
) -> Callable[[Database, Term, date], Finding]:
    """Tasks of the 學期 (matching ``keywords``) done, and done on time."""

    def check(db: Database, term: Term, today: date) -> Finding:
        tasks = _term_tasks(db, term)
        if keywords:
            tasks = [t for t in tasks if any(k in _task_text(t) for k in keywords)]
        link_all = RecordLink("calendar", None, "作業期程")
        if not tasks:
            return _finding(
                rule, NO_DATA, f"作業期程中沒有本學期的{what if keywords else ''}工作", links=(link_all,)
            )
        late = [t for t in tasks if t.done_on_time is False]
        finished = [t for t in tasks if t.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE) and t.done_on_time is not False]
        pending = [t for t in tasks if t not in late and t not in finished]
        links = [RecordLink("calendar", t.id, t.work) for t in (late or pending or tasks)[:5]]
        if late:
            return _finding(
                rule,
                FAILS,
                f"{what}工作有 {len(late)} 項逾期或延後完成（共 {len(tasks)} 項）",
                [_task_line(t) for t in late],
                partial=bool(finished),
                links=links,
            )
        if pending:
            return _finding(
                rule,
                NO_DATA,
                f"{what}工作尚有 {len(pending)} 項未到期、未完成（已完成 {len(finished)} 項）",
                [_task_line(t) for t in pending],
                links=links,
            )
        return _finding(
            rule, HOLDS, f"{what}工作 {len(tasks)} 項均如期完成", [_task_line(t) for t in tasks], links=links
        )

    return check


def check_certification_deadline_set(db: Database, term: Term, today: date) -> Finding:
    rule = "certification_deadline_set"
    tasks = [t for t in _term_tasks(db, term) if "認證" in _task_text(t)]
    link_all = RecordLink("calendar", None, "作業期程")
    dated = [t for t in tasks if t.due_date is not None]
    dues = [t.due_date for t in dated if t.due_date is not None]
    if dated:
        return _finding(
            rule,
            HOLDS,
            f"作業期程已訂本學期教師認證期限（{format_roc(max(dues))}）",
            [_task_line(t) for t in dated],
            links=[RecordLink("calendar", t.id, t.work) for t in dated[:5]],
        )
    if tasks:
        return _finding(
            rule,
            FAILS,
            "作業期程有教師認證工作，但未訂期限",
            [_task_line(t) for t in tasks],
            links=[RecordLink("calendar", t.id, t.work) for t in tasks[:5]],
        )
    return _finding(rule, NO_DATA, "作業期程中沒有本學期的教師認證期限", links=(link_all,))


def check_upload_deadline_after_closing(db: Database, term: Term, today: date) -> Finding:
    rule = "upload_deadline_after_closing"
    from desktop_app.services.profile import get_term_dates

    dates = get_term_dates(db, term.year, term.term)
    if dates is None or dates.end_date is None:
        return _finding(rule, NO_DATA, f"尚未設定{term.title}的休業式日期（設定 → 學校資料）")
    tasks = [(t, t.due_date) for t in _term_tasks(db, term) if _is_upload_deadline(t) and t.due_date is not None]
    if not tasks:
        return _finding(rule, NO_DATA, "作業期程中沒有本學期學生上傳（課程學習成果）的期限")
    required = dates.end_date + timedelta(days=UPLOAD_AFTER_CLOSING_DAYS)
    latest, latest_due = max(tasks, key=lambda pair: pair[1])
    links = (RecordLink("calendar", latest.id, latest.work),)
    detail = [f"休業式 {format_roc(dates.end_date)}，上傳期限至少須至 {format_roc(required)}"]
    if latest_due >= required:
        return _finding(
            rule,
            HOLDS,
            f"學生上傳期限 {format_roc(latest_due)}，已在休業式後2週以上",
            detail,
            links=links,
        )
    return _finding(
        rule,
        FAILS,
        f"學生上傳期限 {format_roc(latest_due)} 早於休業式後2週（{format_roc(required)}）",
        detail,
        links=links,
    )


# --- precheck ----------------------------------------------------------------------------------
def _ok_runs(db: Database, term: Term) -> list[PrecheckRunInfo]:
    from desktop_app.services.precheck.runs import counts_as_done, list_runs

    # a failed run (F01/F02/F05) could not read its file: it compared nothing
    return [r for r in list_runs(db, term.year, term.term) if counts_as_done(r)]


def _run_link(run: PrecheckRunInfo) -> RecordLink:
    return RecordLink(
        "precheck",
        run.id,
        f"{format_roc(run.run_at.date())} {run.run_at:%H:%M} {run.file_name}",
    )


def check_precheck_first_within_4_weeks(db: Database, term: Term, today: date) -> Finding:
    rule = "precheck_first_within_4_weeks"
    from desktop_app.services.profile import get_term_dates

    dates = get_term_dates(db, term.year, term.term)
    if dates is None:
        return _finding(rule, NO_DATA, f"尚未設定{term.title}的開學日（設定 → 學校資料），無法計算4週期限")
    deadline = dates.start_date + timedelta(days=FIRST_PRECHECK_DAYS)
    detail = f"開學日 {format_roc(dates.start_date)}，第1次比對期限 {format_roc(deadline)}"
    runs = _ok_runs(db, term)
    link_all = RecordLink("precheck", None, "預檢紀錄")
    if not runs:
        late = "（期限已過）" if today > deadline else ""
        return _finding(rule, NO_DATA, f"本系統沒有{term.title}的預檢紀錄{late}", [detail], links=(link_all,))
    first = min(runs, key=lambda r: r.run_at)
    when = format_roc(first.run_at.date())
    if first.run_at.date() <= deadline:
        return _finding(
            rule, HOLDS, f"第1次預檢於 {when} 完成，在開學後4週內", [detail], links=(_run_link(first),)
        )
    return _finding(
        rule,
        FAILS,
        f"第1次預檢於 {when} 才完成，超過開學後4週（{format_roc(deadline)}）",
        [detail],
        links=(_run_link(first),),
    )


def check_precheck_latest_clean(db: Database, term: Term, today: date) -> Finding:
    rule = "precheck_latest_clean"
    runs = _ok_runs(db, term)
    if not runs:
        return _finding(
            rule,
            NO_DATA,
            f"本系統沒有{term.title}的預檢紀錄",
            links=(RecordLink("precheck", None, "預檢紀錄"),),
        )
    latest = max(runs, key=lambda r: (r.run_at, r.id))
    when = format_roc(latest.run_at.date())
    if latest.error_count == 0:
        return _finding(
            rule,
            HOLDS,
            f"最近一次預檢（{when}）沒有錯誤（警告 {latest.warning_count} 筆）",
            links=(_run_link(latest),),
        )
    from desktop_app.domain.precheck.rules import RULES

    def is_error(code: str) -> bool:
        info = RULES.get(code)
        return info.severity == "error" if info is not None else code[:1] in ("F", "R")

    # the codes of the errors counted in the summary (warnings such as O01/P01 are not errors)
    errors = sorted(((c, n) for c, n in latest.counts.items() if is_error(c)), key=lambda kv: (-kv[1], kv[0]))
    details = [f"{code}：{n} 筆" for code, n in errors[:5]]
    if len(errors) > 5:
        details.append(f"另有 {len(errors) - 5} 種錯誤代碼，共 {sum(n for _c, n in errors[5:])} 筆")
    return _finding(
        rule,
        FAILS,
        f"最近一次預檢（{when}）仍有 {latest.error_count} 筆錯誤",
        details,
        links=(_run_link(latest),),
    )


# --- receipts ----------------------------------------------------------------------------------
def _term_batches(db: Database, term: Term) -> list[ReceiptBatchInfo]:
    """Batches whose confirmation period starts in this 學期: the work the school did that 學期."""
    from desktop_app.services.receipts import list_batches

    return [b for b in list_batches(db) if term.contains(b.period_start)]


def _batch_link(b: ReceiptBatchInfo) -> RecordLink:
    return RecordLink("receipts", b.id, b.name)


def _batch_period(b: ReceiptBatchInfo) -> str:
    return f"{b.name}：{format_roc(b.period_start)}–{format_roc(b.period_end)}（{b.period_days} 日）"


def _no_batches(rule: str, term: Term) -> Finding:
    return _finding(
        rule,
        NO_DATA,
        f"本學期（{format_roc(term.start)}–{format_roc(term.end)}）沒有收訖明細確認期間的紀錄",
        links=(RecordLink("receipts", None, "收訖明細"),),
    )


def check_receipts_batch_imported(db: Database, term: Term, today: date) -> Finding:
    rule = "receipts_batch_imported"
    batches = _term_batches(db, term)
    if not batches:
        return _no_batches(rule, term)
    return _finding(
        rule,
        HOLDS,
        f"本學期已匯入 {len(batches)} 批收訖明細",
        [_batch_period(b) for b in batches],
        links=[_batch_link(b) for b in batches],
    )


def check_receipts_period_min_3_days(db: Database, term: Term, today: date) -> Finding:
    rule = "receipts_period_min_3_days"
    batches = _term_batches(db, term)
    if not batches:
        return _no_batches(rule, term)
    short = [b for b in batches if b.period_days < MIN_PERIOD_DAYS]
    if short:
        return _finding(
            rule,
            FAILS,
            f"{len(short)} 批的確認期間少於3日",
            [_batch_period(b) for b in short],
            partial=len(short) < len(batches),
            links=[_batch_link(b) for b in short],
        )
    return _finding(
        rule,
        HOLDS,
        f"{len(batches)} 批的確認期間均不少於3日",
        [_batch_period(b) for b in batches],
        links=[_batch_link(b) for b in batches],
    )


def check_receipts_within_deadline(db: Database, term: Term, today: date) -> Finding:
    rule = "receipts_within_deadline"
    batches = _term_batches(db, term)
    if not batches:
        return _no_batches(rule, term)
    with_deadline = [b for b in batches if b.deadline is not None]
    if not with_deadline:
        return _finding(
            rule,
            NO_DATA,
            "收訖明細批次沒有登錄國教署期限，無法檢核",
            [_batch_period(b) for b in batches],
            links=[_batch_link(b) for b in batches],
        )
    after = [b for b in with_deadline if b.deadline is not None and b.period_end > b.deadline]
    lines = [f"{_batch_period(b)}，國教署期限 {format_roc(b.deadline)}" for b in with_deadline]
    missing = len(batches) - len(with_deadline)
    if missing:
        lines.append(f"另有 {missing} 批沒有登錄國教署期限")
    if after:
        return _finding(
            rule,
            FAILS,
            f"{len(after)} 批的確認期間超過國教署期限",
            lines,
            partial=len(after) < len(with_deadline),
            links=[_batch_link(b) for b in after],
        )
    return _finding(
        rule, HOLDS, "確認期間均在國教署期限內", lines, links=[_batch_link(b) for b in with_deadline]
    )


def check_receipts_objections_closed(db: Database, term: Term, today: date) -> Finding:
    rule = "receipts_objections_closed"
    batches = _term_batches(db, term)
    if not batches:
        return _no_batches(rule, term)
    total = sum(b.objections_total for b in batches)
    open_batches = [b for b in batches if b.objections_open]
    if open_batches:
        n_open = sum(b.objections_open for b in open_batches)
        return _finding(
            rule,
            FAILS,
            f"尚有 {n_open} 件疑義未結案（共 {total} 件）",
            [f"{b.name}：未結案 {b.objections_open} 件／共 {b.objections_total} 件" for b in open_batches],
            partial=n_open < total,
            links=[_batch_link(b) for b in open_batches],
        )
    if total == 0:
        return _finding(rule, HOLDS, "本學期沒有學生提出疑義", links=[_batch_link(b) for b in batches])
    return _finding(rule, HOLDS, f"疑義 {total} 件均已結案", links=[_batch_link(b) for b in batches])


def check_receipts_reconciled(db: Database, term: Term, today: date) -> Finding:
    """收訖對照 (issue 14): each batch of the 學期 compared with the final roster, and every 未收訖 item
    of its latest run — a roster course the central database did not receive, or a roster student
    with no receipt at all — explained by a note (e.g. 已重新上傳, 已轉出). 多出 and 不一致 are left to
    the students' confirmation and objections, as the guideline leaves them."""
    from desktop_app.services.reconcile.explanations import latest_run

    rule = "receipts_reconciled"
    batches = _term_batches(db, term)
    if not batches:
        return _no_batches(rule, term)
    runs = [(b, latest_run(db, b.id)) for b in batches]
    lines = [
        f"{b.name}：尚未與期末修課紀錄／成績名冊對照"
        if r is None
        else f"{b.name}：{format_roc(r.run_at.date())} 對照，未收訖（含名冊有、無收訖的學生）{len(r.missing)} 筆，"
        f"尚未說明 {r.unexplained} 筆"
        for b, r in runs
    ]
    not_run = [b for b, r in runs if r is None]
    unexplained = [(b, r) for b, r in runs if r is not None and r.unexplained]
    if not_run or unexplained:
        parts = []
        if not_run:
            parts.append(f"{len(not_run)} 批收訖明細尚未與期末名冊對照")
        if unexplained:
            parts.append(f"{sum(r.unexplained for _b, r in unexplained)} 筆未收訖尚未說明")
        failing = not_run + [b for b, _r in unexplained]
        return _finding(
            rule,
            FAILS,
            "；".join(parts),
            lines,
            partial=len(failing) < len(batches),
            links=[_batch_link(b) for b in failing],
        )
    return _finding(
        rule,
        HOLDS,
        f"{len(batches)} 批收訖明細均已與期末名冊對照，未收訖均已說明",
        lines,
        links=[_batch_link(b) for b in batches],
    )


# --- the registry ------------------------------------------------------------------------------
RULES: dict[str, Rule] = {}


def _add(name: str, title: str, tab: str, check: Callable[[Database, Term, date], Finding]) -> None:
    RULES[name] = Rule(name, title, tab, check)


_add("wg_convener", "工作小組由校長擔任召集人", "working_group", check_wg_convener)
_add("wg_composition", "工作小組本學年度組成完整", "working_group", check_wg_composition)
_add("wg_meeting_this_term", "工作小組本學期召開會議", "working_group", check_wg_meeting_this_term)
_add(
    "wg_meeting_topics",
    "工作小組會議討論任務分工、作業期程及評核管考",
    "working_group",
    check_wg_meeting_topics,
)
_add(
    "regulation_complete",
    "補充規定完整訂定（涵蓋（一）至（四））",
    "working_group",
    _regulation_rule("regulation_complete", _judge_complete),
)
_add(
    "regulation_passed",
    "補充規定經校務會議通過",
    "working_group",
    _regulation_rule("regulation_passed", _judge_passed),
)
_add(
    "regulation_published",
    "補充規定公告於學校網站",
    "working_group",
    _regulation_rule("regulation_published", _judge_published),
)
for _i, _name in enumerate(("composition", "data_building", "training", "evaluation")):
    _add(
        f"regulation_covers_{_name}",
        f"補充規定包括{COVER_TITLES[_i]}",
        "working_group",
        _regulation_rule(f"regulation_covers_{_name}", _judge_covers(_i)),
    )
_add(
    "tasks_on_time", "作業期程本學期工作如期完成", "calendar", _calendar_rule("tasks_on_time", (), "作業期程")
)
_add(
    "calendar_outreach_done",
    "宣導說明已辦理",
    "calendar",
    _calendar_rule("calendar_outreach_done", ("宣導",), "宣導"),
)
_add(
    "calendar_training_done",
    "操作訓練已辦理",
    "calendar",
    _calendar_rule("calendar_training_done", ("操作訓練", "研習"), "操作訓練／研習"),
)
_add(
    "calendar_sharing_done",
    "發表分享已辦理",
    "calendar",
    _calendar_rule("calendar_sharing_done", ("發表",), "發表分享"),
)
_add(
    "calendar_maintenance_done",
    "系統維護如期完成",
    "calendar",
    _calendar_rule("calendar_maintenance_done", ("系統維護", "介接"), "系統維護"),
)
_add(
    "calendar_upload_done",
    "上傳／認證如期完成",
    "calendar",
    _calendar_rule("calendar_upload_done", ("上傳", "認證"), "上傳／認證"),
)
_add(
    "calendar_submission_on_time",
    "資料提交如期完成",
    "calendar",
    _calendar_rule("calendar_submission_on_time", ("提交",), "提交"),
)
_add("certification_deadline_set", "已訂教師認證期限", "calendar", check_certification_deadline_set)
_add(
    "upload_deadline_after_closing",
    "上傳期限至少至休業式後2週",
    "calendar",
    check_upload_deadline_after_closing,
)
_add(
    "precheck_first_within_4_weeks",
    "開學後4週內完成第1次預檢",
    "precheck",
    check_precheck_first_within_4_weeks,
)
_add("precheck_latest_clean", "最近一次預檢沒有錯誤", "precheck", check_precheck_latest_clean)
_add("receipts_batch_imported", "已匯入收訖明細供學生核對", "receipts", check_receipts_batch_imported)
_add("receipts_within_deadline", "確認期間在國教署期限內", "receipts", check_receipts_within_deadline)
_add("receipts_period_min_3_days", "確認期間不少於3日", "receipts", check_receipts_period_min_3_days)
_add("receipts_objections_closed", "疑義均已結案", "receipts", check_receipts_objections_closed)
_add("receipts_reconciled", "收訖明細已與期末名冊對照，未收訖均已說明", "receipts", check_receipts_reconciled)


def evaluate(db: Database, term: Term, rule: str, *, today: date | None = None) -> Finding:
    """One rule's finding for a 學期."""
    if rule not in RULES:
        raise ServiceError(f"沒有名為「{rule}」的佐證規則（可用：{', '.join(RULES)}）")
    return RULES[rule].check(db, term, today or date.today())


def evaluate_all(db: Database, term: Term, *, today: date | None = None) -> list[Finding]:
    """Every rule's finding for a 學期, in registry order."""
    return [evaluate(db, term, name, today=today) for name in RULES]


def combine(findings: Sequence[Finding]) -> Finding | None:
    """One finding for an item with several rules: holds when all hold; fails when any fails."""
    if not findings:
        return None
    if len(findings) == 1:
        return findings[0]
    statuses = {f.status for f in findings}
    links = tuple(link for f in findings for link in f.links)
    details = tuple(f"{f.status_label}：{f.summary}" for f in findings)
    if FAILS in statuses:
        partial = any(f.status == HOLDS or f.partial for f in findings)
        return Finding(
            "+".join(f.rule for f in findings),
            "；".join(f.title for f in findings),
            FAILS,
            "；".join(f.summary for f in findings if f.status == FAILS),
            details,
            partial,
            links,
        )
    if statuses == {HOLDS}:
        return Finding(
            "+".join(f.rule for f in findings),
            "；".join(f.title for f in findings),
            HOLDS,
            "；".join(f.summary for f in findings),
            details,
            False,
            links,
        )
    return Finding(
        "+".join(f.rule for f in findings),
        "；".join(f.title for f in findings),
        NO_DATA,
        "；".join(f.summary for f in findings if f.status == NO_DATA),
        details,
        False,
        links,
    )


def suggest(item: ItemDef, finding: Finding | None) -> str | None:
    """The suggested answer for an item from its finding (None: no suggestion, a person decides)."""
    if finding is None or finding.status == NO_DATA:
        return None
    if item.answer_type is AnswerType.RATING:
        if finding.status == HOLDS:
            return "符合"
        return "部分符合" if finding.partial else "不符合"
    if item.answer_type is AnswerType.YES_NO:
        return "是" if finding.status == HOLDS else "否"
    return None
