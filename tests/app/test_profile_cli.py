"""Issue 12 (11): `desktop-app profile show|set` as subprocesses on a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from desktop_app.services.audit import list_entries
from desktop_app.services.profile import get_profile, get_term_dates
from desktop_app.storage.migrate import open_database


def _command() -> list[str]:
    installed = Path(sys.executable).with_name("desktop-app")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "desktop_app"]


def run(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"))
    return subprocess.run(
        [*_command(), *map(str, args)], capture_output=True, text=True, timeout=120, env=env
    )


def test_set_then_show_profile_and_term_dates(tmp_path: Path) -> None:
    db_path = tmp_path / "new.sqlite3"
    assert run(tmp_path, "db", "create", db_path).returncode == 0  # --db never creates one
    shown = run(tmp_path, "profile", "show", "--db", db_path)
    assert shown.returncode == 0, shown.stderr
    assert "尚未設定學校資料" in shown.stdout

    done = run(
        tmp_path, "profile", "set", "--db", db_path, "--code", "０１１３０２", "--name", "示範高中",
        "--principal", "王大明", "--practice-office", "yes", "--continuing-division", "no",
    )
    assert done.returncode == 0, done.stderr
    assert "已儲存學校資料：011302 示範高中" in done.stdout
    term = run(tmp_path, "profile", "set", "--db", db_path, "--term", "113-1", "--start", "113/08/30",
               "--end", "114/01/20")
    assert term.returncode == 0, term.stderr
    assert "113學年度第1學期" in term.stdout and "113/08/30" in term.stdout

    out = tmp_path / "profile.json"
    shown = run(tmp_path, "profile", "show", "--db", db_path, "--json", out)
    assert shown.returncode == 0, shown.stderr
    assert "校長：王大明" in shown.stdout and "實習處：有" in shown.stdout and "進修部：無" in shown.stdout
    assert "開學日 113/08/30" in shown.stdout and "休業式 114/01/20" in shown.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["profile"]["school_code"] == "011302"
    assert data["terms"] == [{"term": "113-1", "start_date": "113/08/30", "end_date": "114/01/20"}]

    # a partial change keeps the other fields
    assert run(tmp_path, "profile", "set", "--db", db_path, "--principal", "李小華").returncode == 0
    db = open_database(db_path, backup=None)
    try:
        profile = get_profile(db)
        assert profile is not None and profile.principal == "李小華" and profile.name == "示範高中"
        assert profile.has_practice_office
        td = get_term_dates(db, 113, 1)
        assert td is not None and td.start_date == date(2024, 8, 30) and td.end_date == date(2025, 1, 20)
        actions = [e.action for e in list_entries(db)]
        assert actions.count("profile.save") == 2 and actions.count("term_dates.set") == 1
    finally:
        db.close()


def test_set_is_validated_like_the_dialog_and_changes_nothing_on_error(tmp_path: Path) -> None:
    db_path = tmp_path / "school.sqlite3"
    assert run(tmp_path, "db", "create", db_path).returncode == 0  # --db never creates one
    bad_code = run(tmp_path, "profile", "set", "--db", db_path, "--code", "12", "--name", "示範高中",
                   "--principal", "王大明")
    assert bad_code.returncode == 2
    assert "學校代碼「12」應為 6 個英數字元" in bad_code.stderr and "Traceback" not in bad_code.stderr
    no_name = run(tmp_path, "profile", "set", "--db", db_path, "--code", "011302")
    assert no_name.returncode == 2 and "請輸入校名" in no_name.stderr

    assert run(tmp_path, "profile", "set", "--db", db_path, "--code", "011302", "--name", "示範高中",
               "--principal", "王大明").returncode == 0
    # a 開學日 outside the 學期: neither the new principal nor the dates are written
    wrong = run(tmp_path, "profile", "set", "--db", db_path, "--principal", "李小華", "--term", "113-1",
                "--start", "114/03/01")
    assert wrong.returncode == 2
    assert "113學年度第1學期的開學日 114/03/01 不在該學期內" in wrong.stderr
    bad_date = run(tmp_path, "profile", "set", "--db", db_path, "--term", "113-1", "--start", "113/13/40")
    assert bad_date.returncode == 2 and "--start" in bad_date.stderr
    no_start = run(tmp_path, "profile", "set", "--db", db_path, "--term", "113-1")
    assert no_start.returncode == 2 and "--start" in no_start.stderr
    nothing = run(tmp_path, "profile", "set", "--db", db_path)
    assert nothing.returncode == 2 and "沒有要設定的項目" in nothing.stderr
    db = open_database(db_path, backup=None)
    try:
        profile = get_profile(db)
        assert profile is not None and profile.principal == "王大明"
        assert get_term_dates(db, 113, 1) is None
    finally:
        db.close()


def test_calendar_plan_works_on_a_new_database_set_up_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "scripted.sqlite3"
    assert run(tmp_path, "db", "create", db_path).returncode == 0  # --db never creates one
    assert run(tmp_path, "profile", "set", "--db", db_path, "--code", "011302", "--name", "示範高中",
               "--principal", "王大明").returncode == 0
    for term, start, end in (("114-1", "114/08/29", "115/01/20"), ("114-2", "115/02/11", "115/06/30")):
        assert run(tmp_path, "profile", "set", "--db", db_path, "--term", term, "--start", start,
                   "--end", end).returncode == 0
    plan = run(tmp_path, "calendar", "plan", "--db", db_path, "--year", "114")
    assert plan.returncode == 0, plan.stderr
