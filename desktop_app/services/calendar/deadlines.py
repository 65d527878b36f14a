"""The deadline list: which items of the 作業期程 are done, on time, overdue or due soon.

``deadline_items`` is the one function that answers it, for planned tasks, official 國教署
deadlines and the deadlines that come from the data (the 1st 開課比對 of each 學期, a 工作小組
meeting in each 學期, each 收訖明細 batch's confirmation period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain.calendar import (
    SOURCE_MEETING,
    SOURCE_PRECHECK,
    SOURCE_RECEIPTS,
    DeadlineItem,
    TaskInfo,
    TaskStatus,
    TermAnchors,
    deadline_state,
    first_precheck_deadline,
)
from desktop_app.domain.roc_date import Term, format_roc, term_of
from desktop_app.services.calendar.evidence import Evidence, receipt_batches, task_evidence, term_anchors
from desktop_app.services.calendar.tasks import list_tasks
from desktop_app.services.receipts import ReceiptBatchInfo
from desktop_app.storage.db import Database


@dataclass(frozen=True)
class _Clock:
    """The day the states are computed for, and how many days count as 「即將到期」."""

    today: date
    soon_days: int

    def state(self, *, done: bool, due: date | None, not_applicable: bool = False) -> str:
        return deadline_state(
            done=done, not_applicable=not_applicable, due=due, today=self.today, soon_days=self.soon_days
        )


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
    clock = _Clock(today or date.today(), soon_days)
    tasks = list_tasks(db, year)
    items = [_task_item(t, clock) for t in tasks]
    covered = {(t.source, t.term) for t in tasks if t.source}
    evidence = task_evidence(db, year)
    for anchors in term_anchors(db, year).values():
        items += _term_data_items(anchors, covered, evidence, clock)
    items += [_batch_item(batch, year, clock) for batch in receipt_batches(db, year)]
    return sorted(items, key=item_order)


def item_order(i: DeadlineItem) -> tuple[bool, date, int, str, str]:
    """Date order (undated last), then 學期, 項目 and key."""
    return (i.due_date is None, i.due_date or date.min, i.term or 0, i.item, i.key)


def _late_warning(done_on: date | None, due: date | None) -> tuple[str, ...]:
    if done_on is None or due is None or done_on <= due:
        return ()
    return (f"逾期完成（{format_roc(done_on)}，期限 {format_roc(due)}）",)


def _task_item(t: TaskInfo, clock: _Clock) -> DeadlineItem:
    state = clock.state(
        done=t.status == TaskStatus.DONE,
        not_applicable=t.status == TaskStatus.NOT_APPLICABLE,
        due=t.due_date,
    )
    return DeadlineItem(
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
        warnings=_late_warning(t.done_on, t.due_date) if t.done_by_data else (),
        template_key=t.template_key,
    )


@dataclass(frozen=True)
class _DataDeadline:
    """A deadline that comes from the data of one 學期 (no task stands for it)."""

    source: str
    item: str
    title: str
    content: str
    owners: str
    start: date
    due: date


def _term_data_deadlines(anchors: TermAnchors) -> list[_DataDeadline]:
    return [
        _DataDeadline(
            SOURCE_PRECHECK,
            "三 平台規劃",
            "開課預檢及比對（第 1 次）",
            "開學後 4 週內完成第 1 次開課比對",
            "教學組、註冊組",
            anchors.start,
            first_precheck_deadline(anchors.start),
        ),
        _DataDeadline(
            SOURCE_MEETING,
            "一 行政規劃",
            "工作小組會議",
            "每學期至少召開一次會議",
            "工作小組",
            anchors.start,
            anchors.effective_end,
        ),
    ]


def _term_data_items(
    anchors: TermAnchors, covered: set[tuple[str, int | None]], evidence: Evidence, clock: _Clock
) -> list[DeadlineItem]:
    """The 學期's 開課比對 and meeting deadlines, unless a planned task already represents them."""
    label = Term(anchors.year, anchors.term).label
    out = []
    for d in _term_data_deadlines(anchors):
        if (d.source, anchors.term) in covered:
            continue
        done_on = evidence[d.source].get(anchors.term)
        out.append(
            DeadlineItem(
                key=f"{d.source}:{label}",
                kind="data",
                year=anchors.year,
                term=anchors.term,
                item=d.item,
                title=d.title,
                content=d.content,
                owners=d.owners,
                start_date=d.start,
                due_date=d.due,
                status=TaskStatus.DONE if done_on else TaskStatus.NOT_STARTED,
                done_on=done_on,
                state=clock.state(done=done_on is not None, due=d.due),
                source=d.source,
                warnings=_late_warning(done_on, d.due),
            )
        )
    return out


def _batch_warnings(batch: ReceiptBatchInfo) -> tuple[str, ...]:
    warnings: list[str] = []
    if batch.period_days < 3:
        warnings.append(f"確認期間僅 {batch.period_days} 天，不得少於 3 天")
    if batch.deadline is not None and batch.period_end > batch.deadline:
        warnings.append(f"確認期間結束於國教署期限 {format_roc(batch.deadline)} 之後")
    return tuple(warnings)


def _batch_status(batch: ReceiptBatchInfo, today: date) -> TaskStatus:
    """完成 once the period is over with no open objection; 進行中 inside it; else 未開始."""
    if today > batch.period_end and batch.objections_open == 0:
        return TaskStatus.DONE
    return TaskStatus.IN_PROGRESS if today >= batch.period_start else TaskStatus.NOT_STARTED


def _batch_item(batch: ReceiptBatchInfo, year: int, clock: _Clock) -> DeadlineItem:
    status = _batch_status(batch, clock.today)
    done = status == TaskStatus.DONE
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
        status=status,
        done_on=batch.period_end if done else None,
        state=clock.state(done=done, due=batch.period_end),
        source=SOURCE_RECEIPTS,
        is_official=bool(batch.deadline_doc_no),
        doc_no=batch.deadline_doc_no,
        warnings=_batch_warnings(batch),
    )
