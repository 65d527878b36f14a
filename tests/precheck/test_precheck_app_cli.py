"""`desktop-app precheck` end to end, in a subprocess: exit codes, JSON, report, annotate, --db."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from precheck_helpers import run_cli

from desktop_app.commands.precheck import JSON_KEYS
from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.services.precheck import runs as svc
from desktop_app.storage.migrate import open_database


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_demo_plan(tmp_path / "plan.xlsx")


def test_errors_exit_1_with_json_report_and_annotated_copy(tmp_path: Path, plan: Path) -> None:
    roster = write_demo_roster(tmp_path / "roster.xlsx", errors="first")
    before = roster.read_bytes()
    out_json, report, annotated = tmp_path / "out.json", tmp_path / "report.xlsx", tmp_path / "annotated.xlsx"
    proc = run_cli(
        tmp_path, str(roster), "--plan", str(plan), "--school-code", "011302",
        "--json", str(out_json), "--report", str(report), "--annotate", str(annotated),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "開課預檢" in proc.stdout and "錯誤" in proc.stdout
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(data) >= set(JSON_KEYS)
    assert data["sha256"] == svc.sha256_file(roster)
    assert (data["year"], data["term"], data["kind"], data["division"]) == (114, 1, "pre", "day")
    assert data["rows"]["學期成績"] > 0
    fired = {f["code"] for f in data["findings"]}
    fired |= {"P01"} if data["patterns"] else set()
    fired |= {"O01"} if data["offering"] else set()
    assert set(data["counts"]) == fired
    assert sum(n for c, n in data["counts"].items() if c not in ("P01", "O01")) == len(data["findings"])
    assert load_workbook(report).sheetnames == ["摘要", "錯誤明細", "相同錯誤樣態", "開課比對"]
    comments = [c for row in load_workbook(annotated)["學期成績"].iter_rows() for c in row if c.comment]
    assert comments
    assert roster.read_bytes() == before


def test_clean_roster_exits_0(tmp_path: Path, plan: Path) -> None:
    roster = write_demo_roster(tmp_path / "clean.xlsx", errors="none")
    out_json = tmp_path / "clean.json"
    proc = run_cli(
        tmp_path, str(roster), "--plan", str(plan), "--school-code", "011302", "--json", str(out_json)
    )
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert proc.returncode == 0, (proc.stdout, proc.stderr, data["counts"])
    assert not [f for f in data["findings"] if f["severity"] == "error"]


def test_unreadable_file_exits_2_and_json_says_why(tmp_path: Path, plan: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a roster")
    out_json = tmp_path / "fake.json"
    proc = run_cli(tmp_path, str(fake), "--plan", str(plan), "--json", str(out_json))
    assert proc.returncode == 2
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(data) >= set(JSON_KEYS)
    assert data["error"]
    assert "F01" in data["counts"]

    missing = run_cli(tmp_path, str(tmp_path / "nope.xlsx"), "--plan", str(plan), "--json", str(out_json))
    assert missing.returncode == 2
    assert "找不到名冊檔" in json.loads(out_json.read_text(encoding="utf-8"))["error"]


def test_db_run_is_recorded_with_plan_version_and_diff(tmp_path: Path, plan: Path, profile_db) -> None:
    db_file = profile_db.path
    profile_db.close()  # the CLI takes the instance lock
    first = write_demo_roster(tmp_path / "first.xlsx", errors="first")
    second = write_demo_roster(tmp_path / "second.xlsx", errors="second")
    out_json = tmp_path / "run.json"
    assert run_cli(tmp_path, str(first), "--plan", str(plan), "--db", str(db_file)).returncode == 1
    proc = run_cli(tmp_path, str(second), "--plan", str(plan), "--db", str(db_file), "--json", str(out_json))
    assert proc.returncode == 1, proc.stderr
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["plan"]["version"] == 1  # the same plan file is not stored twice
    assert data["diff"]["previous_run"] == data["run_id"] - 1
    assert "已修正" in proc.stdout and "第1次比對期限" in proc.stdout
    db = open_database(db_file, backup=None)
    try:
        runs = svc.list_runs(db, 114, 1)
        assert [r.source for r in runs] == ["cli", "cli"]
        assert runs[1].sha256 == svc.sha256_file(second)
        assert runs[1].plan_version_id == svc.list_plan_versions(db)[0].id
        assert len(svc.list_plan_versions(db)) == 1
    finally:
        db.close()


def test_without_db_the_default_database_profile_is_read_not_written(tmp_path: Path, plan: Path) -> None:
    from desktop_app.services.profile import Profile, save_profile

    default = tmp_path / "appdata" / "portfolio.sqlite3"
    db = open_database(default, backup=None)
    save_profile(db, Profile("999999", "別的學校", "校長"))
    db.close()
    roster = write_demo_roster(tmp_path / "clean.xlsx", errors="none")
    out_json = tmp_path / "o.json"
    proc = run_cli(tmp_path, str(roster), "--plan", str(plan), "--json", str(out_json))
    assert proc.returncode == 1
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["school_code"] == "999999"
    assert "F04" in data["counts"] and "R07" in data["counts"]  # the profile's code, not the cover's
    assert "run_id" not in data
    # --school-code wins over the profile
    proc = run_cli(
        tmp_path, str(roster), "--plan", str(plan), "--school-code", "011302", "--json", str(out_json)
    )
    assert proc.returncode == 0, proc.stdout
    db = open_database(default, backup=None)
    try:
        assert svc.list_runs(db) == []
    finally:
        db.close()
