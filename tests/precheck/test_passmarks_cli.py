"""及格標準 on the command line, in a subprocess of the installed command: ``precheck`` flags reach
the run (JSON ``pass_marks``, the report's 摘要), a bad list exits 2, ``passmarks`` import/show/set."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.domain.national_id import make_valid_id
from desktop_app.services.audit import list_entries
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.migrate import open_database
from desktop_app.storage.models import StudentPassMark

STUDENTS = Path(__file__).resolve().parents[1] / "data" / "receipts" / "students.csv"
ID_WANG = make_valid_id("A12345670")  # 110001 in students.csv
ID_LIN = make_valid_id("D22345673")  # 110004


def _command() -> list[str]:
    installed = Path(sys.executable).with_name("desktop-app")
    if installed.exists():
        return [str(installed)]
    found = shutil.which("desktop-app")  # pragma: no cover - a venv without the entry point
    return [found] if found else [sys.executable, "-m", "desktop_app"]


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [*_command(), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def write_list_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_list_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def summary_cells(report: Path) -> dict[str, object]:
    ws = load_workbook(report)["摘要"]
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_demo_plan(tmp_path / "plan.xlsx")


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_demo_roster(tmp_path / "roster.xlsx", errors="none")


def test_flags_reach_the_run_json_and_report(tmp_path: Path, plan: Path, roster: Path) -> None:
    marks = write_list_csv(
        tmp_path / "及格名單.csv", [["身分證號", "及格標準"], [ID_WANG, "50"], [ID_LIN, "40"]]
    )
    out, report = tmp_path / "out.json", tmp_path / "report.xlsx"
    proc = run_cli(
        tmp_path, "precheck", str(roster), "--plan", str(plan), "--school-code", "011302",
        "--pass-marks", str(marks), "--default-pass-mark", "55", "--other-pass-marks", "50,40,50",
        "--json", str(out), "--report", str(report),
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["pass_marks"] == {"default": 55.0, "others": [50.0, 40.0], "students": 2, "file": "及格名單.csv"}
    cells = summary_cells(report)
    assert cells["預設及格標準"] == "55"
    assert cells["其他及格標準"] == "50、40"
    assert cells["個別及格標準名單"] == "2 人"
    assert cells["名單來源"] == "及格名單.csv"

    # no flags and no --db: the default 60, no others, no list
    proc = run_cli(
        tmp_path, "precheck", str(roster), "--plan", str(plan), "--school-code", "011302", "--json", str(out)
    )
    assert json.loads(out.read_text(encoding="utf-8"))["pass_marks"] == {
        "default": 60.0,
        "others": [],
        "students": 0,
    }


def test_bad_list_file_exits_2_naming_row_and_reason(tmp_path: Path, plan: Path, roster: Path) -> None:
    bad = write_list_xlsx(
        tmp_path / "bad.xlsx",
        [["身分證號", "及格標準"], [ID_WANG, 50], ["A123456780", 50], [ID_LIN, "五十"]],
    )
    out = tmp_path / "bad.json"
    proc = run_cli(
        tmp_path, "precheck", str(roster), "--plan", str(plan), "--pass-marks", str(bad), "--json", str(out)
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bad.xlsx" in proc.stderr and "2 列無法使用" in proc.stderr
    assert "第 3 列「身分證號」欄：「A123456780」的檢查碼不正確" in proc.stderr
    assert "第 4 列「及格標準」欄：及格標準「五十」不是 0 到 100 的數字" in proc.stderr
    assert "第 3 列" in json.loads(out.read_text(encoding="utf-8"))["error"]

    proc = run_cli(tmp_path, "precheck", str(roster), "--plan", str(plan), "--default-pass-mark", "120")
    assert proc.returncode == 2
    assert "--default-pass-mark" in proc.stderr and "不在 0 到 100 之間" in proc.stderr


def test_passmarks_commands_and_precheck_with_db(tmp_path: Path, plan: Path, roster: Path) -> None:
    db_file = tmp_path / "school.sqlite3"
    db = open_database(db_file)
    import_students(db, STUDENTS)
    db.close()
    assert run_cli(tmp_path, "passmarks", "set", "--default", "60", "--others", "50、40", "--db", str(db_file)).returncode == 0

    good = write_list_xlsx(tmp_path / "list.xlsx", [["學號", "及格標準"], ["110001", 50], ["110004", 40]])
    dry = run_cli(tmp_path, "passmarks", "import", str(good), "--dry-run", "--db", str(db_file))
    assert dry.returncode == 0 and "新增 2" in dry.stdout and "未寫入" in dry.stdout
    proc = run_cli(tmp_path, "passmarks", "import", str(good), "--db", str(db_file))
    assert proc.returncode == 0, proc.stderr

    bad = write_list_csv(tmp_path / "bad.csv", [["學號", "及格標準"], ["110002", "50"], ["999999", "50"]])
    proc = run_cli(tmp_path, "passmarks", "import", str(bad), "--db", str(db_file))
    assert proc.returncode == 2
    assert "第 3 列「學號」欄：學號「999999」不在學生名冊" in proc.stderr
    db = open_database(db_file)
    with db.read() as s:
        assert {r.national_id: r.mark for r in s.scalars(select(StudentPassMark))} == {ID_WANG: 50.0, ID_LIN: 40.0}
    assert [e.action for e in list_entries(db, entity="pass_mark")] == ["passmarks.import", "passmarks.settings"]
    db.close()

    shown = tmp_path / "show.json"
    proc = run_cli(tmp_path, "passmarks", "show", "--json", str(shown), "--db", str(db_file))
    assert proc.returncode == 0 and "王小明" in proc.stdout and ID_WANG not in proc.stdout
    listed = json.loads(shown.read_text(encoding="utf-8"))
    assert [(s["student_no"], s["mark"]) for s in listed["students"]] == [("110001", 50.0), ("110004", 40.0)]
    assert all(s["id"].endswith("****") for s in listed["students"])

    out = tmp_path / "db.json"
    base = ["precheck", str(roster), "--plan", str(plan), "--db", str(db_file), "--json", str(out)]
    assert run_cli(tmp_path, *base).returncode in (0, 1)
    assert json.loads(out.read_text(encoding="utf-8"))["pass_marks"] == {
        "default": 60.0,
        "others": [50.0, 40.0],
        "students": 2,
        "file": "list.xlsx",
    }
    override = write_list_csv(tmp_path / "other.csv", [["學號", "及格標準"], ["110002", "50"]])
    assert run_cli(tmp_path, *base, "--default-pass-mark", "65", "--pass-marks", str(override)).returncode in (0, 1)
    assert json.loads(out.read_text(encoding="utf-8"))["pass_marks"] == {
        "default": 65.0,
        "others": [50.0, 40.0],
        "students": 1,
        "file": "other.csv",
    }
    proc = run_cli(tmp_path, "passmarks", "remove", "110001", "--db", str(db_file))
    assert proc.returncode == 0 and "王小明" in proc.stdout
    assert run_cli(tmp_path, *base).returncode in (0, 1)
    assert json.loads(out.read_text(encoding="utf-8"))["pass_marks"]["students"] == 1
