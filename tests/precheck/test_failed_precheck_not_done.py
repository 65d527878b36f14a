"""A pre-check run that could not check its roster (F01 unreadable, F02 undecodable, F05 no data)
counts as done nowhere (issue 11): not for the calendar's 「開課預檢及比對（第 1 次）」, not as
self-check evidence. Runs are made and recorded through the services, on real files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.domain.calendar import TaskStatus
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.domain.roc_date import Term
from desktop_app.services.calendar.deadlines import deadline_items
from desktop_app.services.calendar.planning import plan_year
from desktop_app.services.calendar.tasks import list_tasks
from desktop_app.services.precheck import runs as svc
from desktop_app.services.selfcheck_evidence import HOLDS, NO_DATA, evaluate

DATA = Path(__file__).resolve().parents[1] / "data" / "precheck"
TODAY = date(2025, 10, 15)  # demo 114-1 開學日 2025-09-01 → 1st comparison due 2025-09-29


def _failed_roster(kind: str, tmp_path: Path) -> Path:
    if kind == "F01":
        return DATA / "corrupt.xlsx"
    if kind == "F02":
        return DATA / "bad_encoding.csv"
    path = tmp_path / "no_rows.csv"  # a header and no data rows: F05
    path.write_text(
        "身分證號,出生日期,課程代碼,科目名稱,開課年級,修課學分\n", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("code", ["F01", "F02", "F05"])
def test_failed_run_counts_nowhere(code: str, profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    version = svc.import_plan(profile_db, write_demo_plan(tmp_path / "plan.xlsx")).version
    plan = svc.load_plan(profile_db, version.id)
    options = svc.resolve_options(profile_db, CheckOptions(year=114, term=1))
    result = svc.check_roster_file(_failed_roster(code, tmp_path), plan, options)
    assert result.fatal and result.counts.get(code), result.counts
    run = svc.record_run(profile_db, result, plan_version_id=version.id, run_at=datetime(2025, 9, 20, 10, 0))
    assert (run.year, run.term, run.status) == (114, 1, "failed") and not svc.counts_as_done(run)

    items = {i.key: i for i in deadline_items(profile_db, 114, today=TODAY)}
    assert items["precheck:114-1"].state == "overdue"
    evidence = evaluate(profile_db, Term(114, 1), "precheck_first_within_4_weeks", today=TODAY)
    assert evidence.status == NO_DATA
    assert evaluate(profile_db, Term(114, 1), "precheck_latest_clean", today=TODAY).status == NO_DATA
    plan_year(profile_db, 114)
    task = next(t for t in list_tasks(profile_db, 114) if t.template_key == "precheck-first@1")
    assert task.status != TaskStatus.DONE and not task.done_by_data

    # a run that did check the roster counts, the failed one before it still does not
    good = write_demo_roster(tmp_path / "roster.xlsx", errors="none")
    ok = svc.check_roster_file(good, plan, options)
    svc.record_run(profile_db, ok, plan_version_id=version.id, run_at=datetime(2025, 9, 25, 9, 0))
    task = next(t for t in list_tasks(profile_db, 114) if t.template_key == "precheck-first@1")
    assert task.status == TaskStatus.DONE and task.done_by_data and task.done_on == date(2025, 9, 25)
    evidence = evaluate(profile_db, Term(114, 1), "precheck_first_within_4_weeks", today=TODAY)
    assert evidence.status == HOLDS and "114/09/25" in evidence.summary
