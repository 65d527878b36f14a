"""Progress from the other features: what the 作業期程 reads from 開課預檢, 工作小組 and 收訖明細.

A task linked to data (``source``) is done once the record exists; the deadline list adds the
deadlines that come from the data (the 1st 開課比對, a meeting per 學期, each batch's period).
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain.calendar import SOURCE_MEETING, SOURCE_PRECHECK, TermAnchors
from desktop_app.domain.roc_date import school_year_of
from desktop_app.services.precheck.runs import counts_as_done, list_runs
from desktop_app.services.profile import get_term_dates
from desktop_app.services.receipts import ReceiptBatchInfo, list_batches
from desktop_app.services.working_group import list_meetings
from desktop_app.storage.db import Database

Evidence = dict[str, dict[int, date]]  # source → 學期 → the date the record shows it done


def first_precheck_run(db: Database, year: int) -> dict[int, date]:
    """Per 學期: the date of the first recorded 開課預檢 run that checked its roster (a failed run,
    F01/F02/F05, compared nothing and does not count)."""
    first: dict[int, date] = {}
    for run in list_runs(db, year):
        if run.term in (1, 2) and run.term not in first and counts_as_done(run):
            first[run.term] = run.run_at.date()
    return first


def first_meeting(db: Database, year: int) -> dict[int, date]:
    """Per 學期: the date of the first 工作小組 meeting."""
    first: dict[int, date] = {}
    for meeting in list_meetings(db, year):
        if meeting.term in (1, 2):
            held = meeting.held_on
            if meeting.term not in first or held < first[meeting.term]:
                first[meeting.term] = held
    return first


def task_evidence(db: Database, year: int) -> Evidence:
    """The records that complete a 學年度's data-linked tasks, per source and 學期."""
    return {SOURCE_PRECHECK: first_precheck_run(db, year), SOURCE_MEETING: first_meeting(db, year)}


def term_anchors(db: Database, year: int) -> dict[int, TermAnchors]:
    """The 開學日／休業式 of each 學期 of ``year`` that has them set."""
    out: dict[int, TermAnchors] = {}
    for term in (1, 2):
        td = get_term_dates(db, year, term)
        if td is not None:
            out[term] = TermAnchors(year, term, td.start_date, td.end_date)
    return out


def batch_year(batch: ReceiptBatchInfo) -> int:
    """The 學年度 a 收訖明細 batch belongs to (its own, or that of its period's start)."""
    return batch.year if batch.year is not None else school_year_of(batch.period_start)


def receipt_batches(db: Database, year: int) -> list[ReceiptBatchInfo]:
    """The 收訖明細 batches of a 學年度, oldest first."""
    return [b for b in list_batches(db) if batch_year(b) == year]
