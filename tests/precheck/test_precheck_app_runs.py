"""Recorded runs: what is stored, the diff against the previous run, the 1st-comparison deadline."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.services.precheck import runs as svc
from desktop_app.storage.models import AuditEntry, PrecheckRunFindings


@pytest.fixture
def plan_version(profile_db, tmp_path: Path) -> svc.PlanVersionInfo:
    return svc.import_plan(profile_db, write_demo_plan(tmp_path / "plan.xlsx")).version


def test_run_is_recorded_with_file_facts_and_findings(profile_db, plan_version, tmp_path: Path) -> None:
    roster = write_demo_roster(tmp_path / "roster.xlsx", errors="first")
    before = roster.read_bytes()
    progress: list[tuple[int, int]] = []
    outcome = svc.run_precheck(
        profile_db, roster, plan_version_id=plan_version.id, progress=lambda d, t: progress.append((d, t))
    )
    assert roster.read_bytes() == before  # never written
    run = outcome.run
    result = outcome.result
    assert run.sha256 == svc.sha256_file(roster) == result.sha256
    assert run.file_name == "roster.xlsx"
    assert run.file_size == roster.stat().st_size
    assert (run.year, run.term, run.kind, run.division) == (114, 1, "pre", "day")
    assert run.plan_version_id == plan_version.id
    assert run.rows == result.rows and sum(run.rows.values()) > 0
    assert run.counts == result.counts and run.counts
    assert run.error_count == result.error_count > 0
    assert run.status == "ok"
    assert outcome.plan_version == plan_version
    assert [r.id for r in svc.list_runs(profile_db, 114, 1)] == [run.id]
    assert svc.list_runs(profile_db, 113, 2) == []
    stored = svc.run_findings(profile_db, run.id)
    r03 = [f for f in stored if f.code == "R03"]
    assert r03 and all("****" in f.message and f.value.endswith("****") for f in r03), (
        "history keeps no full ID"
    )
    assert len(stored) == len(result.findings) + len(result.patterns) + len(result.offering)
    rebuilt = svc.result_from_run(profile_db, run.id)
    assert rebuilt.counts == result.counts
    assert [f.code for f in rebuilt.findings] == [f.code for f in result.findings]
    assert len(rebuilt.patterns) == len(result.patterns)
    assert len(rebuilt.offering) == len(result.offering)
    with profile_db.read() as s:
        assert s.scalar(select(func.count()).select_from(PrecheckRunFindings)) == 1
        assert (
            s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "precheck.run"))
            == 1
        )


def test_diff_fixed_new_remaining_against_previous_run_of_same_kind(
    profile_db, plan_version, tmp_path: Path
) -> None:
    first = write_demo_roster(tmp_path / "first.xlsx", errors="first")
    second = write_demo_roster(tmp_path / "second.xlsx", errors="second")
    a = svc.run_precheck(profile_db, first, plan_version_id=plan_version.id).run
    b = svc.run_precheck(profile_db, second, plan_version_id=plan_version.id).run
    # a run of another kind in between must not be the "previous" one
    c = svc.run_precheck(
        profile_db, second, plan_version_id=plan_version.id, options=CheckOptions(kind="final")
    ).run
    diff = svc.diff_run(profile_db, b.id)
    assert diff.previous is not None and diff.previous.id == a.id
    old = svc.run_findings(profile_db, a.id)
    new = svc.run_findings(profile_db, b.id)
    assert len(diff.fixed) + len(diff.remaining) == len(old)
    assert len(diff.new) + len(diff.remaining) == len(new)
    assert diff.fixed, "the second roster fixes most of the first one's errors"
    assert diff.new, "the second roster has one new mistake"
    fixed_codes = {f.code for f in diff.fixed}
    assert "R08" in fixed_codes
    # R03 of the same student stays (a different row number does not matter)
    assert any(f.code == "R03" for f in diff.remaining)
    assert any(f.code == "W01" for f in diff.new)
    assert svc.diff_run(profile_db, a.id).previous is None
    assert svc.diff_run(profile_db, c.id).previous is None  # first run of kind "final"


def test_diff_keys_ignore_row_numbers() -> None:
    f = svc.StoredFinding(
        "R09", "error", "x", "學期成績", 10, "科目名稱", "a", "b", "A12345****", "王小明", "101", "1", "C1"
    )
    moved = svc.StoredFinding(
        "R09", "error", "x", "學期成績", 99, "科目名稱", "a", "b", "A12345****", "王小明", "101", "1", "C1"
    )
    other = svc.StoredFinding(
        "R09", "error", "x", "學期成績", 10, "科目名稱", "a", "b", "A12345****", "王小明", "101", "1", "C2"
    )
    fixed, new, remaining = svc.diff_findings([f, f, other], [moved])
    assert remaining == [moved]
    assert sorted(x.course_code for x in fixed) == ["C1", "C2"]
    assert new == []


def test_deadline_in_time_late_and_pending(profile_db, plan_version, tmp_path: Path) -> None:
    # demo 開學日 of 114-1 is 2025-09-01 → deadline 2025-09-29
    pending = svc.first_comparison_deadline(profile_db, 114, 1, today=date(2025, 9, 10))
    assert pending.deadline == date(2025, 9, 29) and pending.in_time is None and "剩 19 天" in pending.text
    missed = svc.first_comparison_deadline(profile_db, 114, 1, today=date(2025, 10, 1))
    assert missed.in_time is False and "逾期未執行" in missed.text

    roster = write_demo_roster(tmp_path / "r.xlsx", errors="none")
    plan = svc.load_plan(profile_db, plan_version.id)
    result = svc.check_roster_file(roster, plan, svc.resolve_options(profile_db, CheckOptions()))
    svc.record_run(profile_db, result, plan_version_id=plan_version.id, run_at=datetime(2025, 9, 29, 16, 0))
    done = svc.first_comparison_deadline(profile_db, 114, 1, today=date(2025, 12, 1))
    assert done.in_time is True and "已於 114/09/29 完成" in done.text

    late_roster = write_demo_roster(tmp_path / "r2.xlsx", errors="none", term=2)
    result = svc.check_roster_file(late_roster, plan, svc.resolve_options(profile_db, CheckOptions()))
    assert (result.year, result.term) == (114, 2)
    svc.record_run(profile_db, result, plan_version_id=plan_version.id, run_at=datetime(2026, 3, 12, 9, 0))
    late = svc.first_comparison_deadline(profile_db, 114, 2)  # 開學日 2026-02-11 → 2026-03-11
    assert late.deadline == date(2026, 3, 11)
    assert late.in_time is False and "已逾期" in late.text

    unknown = svc.first_comparison_deadline(profile_db, 120, 1)
    assert unknown.deadline is None and "尚未設定開學日" in unknown.text


def test_roster_changed_during_the_check_is_refused(profile_db, plan_version, tmp_path: Path) -> None:
    roster = write_demo_roster(tmp_path / "r.xlsx", errors="first", per_grade=100)
    touched: list[int] = []

    def edit_while_checking(done: int, total: int) -> None:
        if not touched:
            touched.append(done)
            with open(roster, "ab") as fh:
                fh.write(b"\0")

    with pytest.raises(svc.RosterChangedError, match="被修改"):
        svc.run_precheck(profile_db, roster, plan_version_id=plan_version.id, progress=edit_while_checking)
    assert touched, "the engine reports progress on a roster of this size"
    assert svc.list_runs(profile_db) == []
