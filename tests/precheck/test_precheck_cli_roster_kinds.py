"""Hand-made rosters of every kind through the installed ``desktop-app precheck`` command.

The files come from ``tests/data/precheck/roster_kinds/make_roster_kinds.py`` (written from the
spec alone for the second review of issue 10, independent of ``precheck_layouts.py``); the expected
counts per code were worked out by hand from the rule catalogue. Each file is run with
``desktop-app precheck … --json`` in a subprocess: the counts must be exactly those, the exit code
0 (no error) / 1 (errors) / 2 (not checked), and the roster byte-identical afterwards."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "precheck" / "roster_kinds"))
import make_roster_kinds as m

from desktop_app.storage.migrate import open_database

APP = Path(sys.executable).with_name("desktop-app")
CASES = {**m.BUILDERS, **m.EDGE}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("roster_kinds")
    m.write_plans(d)
    m.day_marks_list(d)
    return d


def run_cli(folder: Path, key: str, roster: Path, *extra: str) -> tuple[int, dict, str]:
    plan = folder / m.plan_file(key)
    out = folder / f"{key}.json"
    args = [str(APP), "precheck", str(roster), "--plan", str(plan), "--json", str(out)]
    args += ["--school-code", m.SCHOOL, *extra]
    env = dict(os.environ, HOME=str(folder / "home"), XDG_DATA_HOME=str(folder / "home" / "data"))
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    return done.returncode, json.loads(out.read_text(encoding="utf-8")), done.stdout + done.stderr


def extra_args(folder: Path, key: str) -> list[str]:
    args: list[str] = []
    if (
        "csv" in key or key.startswith("retake") or key == "unnamed_no_credits"
    ):  # no 封面: the term from the command line
        args += ["--year", "113", "--term", "1"]
    if key == "day_final_errors":
        args += ["--other-pass-marks", "50"]
    if key == "day_marks":
        args += ["--pass-marks", str(folder / "及格標準_mixed.csv"), "--other-pass-marks", "50"]
    return args


@pytest.mark.parametrize("key", list(CASES))
def test_counts_exit_code_and_roster_untouched(folder: Path, key: str) -> None:
    roster, expected = CASES[key](folder)
    before = hashlib.sha256(roster.read_bytes()).hexdigest()
    status, result, output = run_cli(folder, key, roster, *extra_args(folder, key))
    assert result["counts"] == expected, (key, result["findings"])
    assert hashlib.sha256(roster.read_bytes()).hexdigest() == before
    fatal = any(code in expected for code in ("F01", "F02", "F05", "F06"))
    warnings = {"R15", "R16", "P01", "O01"}  # the catalogue's warnings besides the W codes
    errors = any(code[0] in "RF" and code not in warnings for code in expected)
    assert status == (2 if fatal else 1 if errors else 0), output
    assert "Traceback" not in output
    for finding in result["findings"]:  # every row finding says sheet, row and column
        if finding["code"][0] in "RW":
            assert finding["sheet"] and finding["row"] and finding["column"], finding


def test_kind_and_division_as_the_files_are(folder: Path) -> None:
    seen = {}
    keys = (
        "day_final_clean",
        "cont_pre_clean",
        "cont_final_clean",
        "cont_csv_makeup",
        "day_o01_p01",
        "only_9d",
    )
    for key in keys:
        roster, _expected = CASES[key](folder)
        _status, result, _output = run_cli(folder, key, roster, *extra_args(folder, key))
        seen[key] = (result["kind"], result["division"])
    assert seen == {
        "day_final_clean": ("final", "day"),
        "cont_pre_clean": ("pre", "continuing"),
        "cont_final_clean": ("final", "continuing"),
        "cont_csv_makeup": ("final", "continuing"),  # 補考成績 exists only in 進修部 rosters
        "day_o01_p01": ("final", "day"),  # half the rows are 9D (是否採計學分 3, grades -1)
        "only_9d": ("pre", "day"),  # nothing tells: 預檢, with a note
    }


def test_new_sheets_are_read_and_extra_columns_named(folder: Path) -> None:
    roster, _expected = m.cont_final(folder, True)
    _status, result, _output = run_cli(folder, "cont_final_errors", roster)
    assert result["rows"] == {
        "學期成績": 6, "學期成績(缺)": 0, "補考成績": 5, "補考成績(缺)": 1,
        "轉學轉科成績": 1, "轉學轉科成績(缺)": 0,
    }  # fmt: skip
    assert any("DataKey" in note for note in result["notes"])
    r16 = sorted((f["sheet"], f["row"]) for f in result["findings"] if f["code"] == "R16")
    assert r16 == [("補考成績", 5), ("補考成績", 6)]


def test_f06_names_the_roster_it_looks_like(folder: Path) -> None:
    for key, name in (("cadre", "幹部經歷"), ("master", "學生資料"), ("student_min", "學生資料")):
        roster, _expected = CASES[key](folder)
        _status, result, _output = run_cli(folder, key, roster)
        (finding,) = result["findings"]
        assert finding["code"] == "F06" and name in finding["message"], finding


def test_f03_names_the_column_and_the_kind(folder: Path) -> None:
    roster, _expected = m.unnamed_no_credits(folder)
    _status, result, _output = run_cli(folder, "unnamed_no_credits", roster)
    (finding,) = result["findings"]
    assert finding["code"] == "F03" and finding["sheet"] == "工作表1"
    assert (
        "修課學分" in finding["message"]
        and "日間" in finding["message"]
        and "「學期成績」" in finding["message"]
    )


def test_report_summary_names_the_pass_marks(folder: Path) -> None:
    import openpyxl

    roster, _expected = m.day_marks(folder)
    report = folder / "marks_report.xlsx"
    status, _result, output = run_cli(folder, "day_marks", roster, *extra_args(folder, "day_marks"),
                                      "--report", str(report))  # fmt: skip
    assert status == 0, output
    wb = openpyxl.load_workbook(report, read_only=True)
    summary = "\n".join(
        str(c) for row in wb["摘要"].iter_rows(values_only=True) for c in row if c is not None
    )
    wb.close()
    assert "及格標準" in summary and "60" in summary and "50" in summary, summary


@pytest.mark.parametrize("key", m.XLS_CASES)
def test_xls_copies_give_the_same_counts(folder: Path, key: str) -> None:
    """The committed .xls copies (Excel 97-2003, written by ``make_roster_kinds.py`` with xlwt)."""
    xls = Path(m.__file__).with_name(f"{key}.xls")
    _roster, expected = CASES[key](folder)
    before = xls.read_bytes()
    status, result, output = run_cli(folder, key, xls, *extra_args(folder, key))
    assert result["file_type"] == "xls" and result["counts"] == expected, result["findings"]
    assert status == 1 and xls.read_bytes() == before, output


def test_retake_code_found_in_an_older_stored_plan(folder: Path) -> None:
    """重修成績: the code of an earlier cohort is looked up in every stored plan version."""
    db = folder / "versions.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    old_plan, new_plan = folder / "plan_112.xlsx", folder / "plan_113.xlsx"
    m.write_plan(old_plan, [p for p in m.DAY_PLAN if p[0] == m.OLD])
    m.write_plan(new_plan, [p for p in m.DAY_PLAN if p[0] != m.OLD])
    roster, expected = m.retake(folder, True)
    env = dict(os.environ, HOME=str(folder / "home"), XDG_DATA_HOME=str(folder / "home" / "data"))
    results = []
    for plan in (old_plan, new_plan):  # the older version stored first, then the run's plan
        out = folder / "versions.json"
        args = [str(APP), "--db", str(db), "precheck", str(roster), "--plan", str(plan), "--json", str(out),
                "--school-code", m.SCHOOL, "--year", "113", "--term", "1"]  # fmt: skip
        subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
        results.append(json.loads(out.read_text(encoding="utf-8")))
    # with the new plan only, the 重讀成績 codes are found and the 重修 code OLD comes from the old
    # version: the same counts as with one plan holding every code
    assert results[1]["counts"] == expected, results[1]["findings"]


def test_output_to_a_closed_pipe_keeps_the_exit_code(folder: Path) -> None:
    """`desktop-app precheck … | head -1`: the reader is gone before the summary is printed; the
    exit code still says what the roster has and no file error is invented (it was exit 2)."""
    roster, _expected = m.day_final_errors(folder)
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails with EPIPE
    env = dict(os.environ, HOME=str(folder / "home"), XDG_DATA_HOME=str(folder / "home" / "data"))
    args = [
        str(APP),
        "precheck",
        str(roster),
        "--plan",
        str(folder / "plan_day.xlsx"),
        "--school-code",
        m.SCHOOL,
    ]
    try:
        done = subprocess.run(args, stdout=write_end, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 1 and "Broken pipe" not in done.stderr, done.stderr
