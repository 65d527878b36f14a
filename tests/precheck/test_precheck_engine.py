"""The engine as a whole: exact counts on a mixed file, skip rules, formats, progress, read-only."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from precheck_helpers import (
    BIRTH,
    CODE,
    COUNTS,
    CREDITS,
    GRADE,
    ID,
    MAKEUP,
    MAKEUP_PASS,
    NAME,
    OPTIONS,
    PASSED,
    PLAN,
    SCORE,
    SUBJECT,
)

from desktop_app.commands.precheck import JSON_KEYS
from desktop_app.demo.precheck_samples import (
    DAY_SEMESTER_HEADER,
    RETAKE_HEADER,
    TRANSFER_HEADER,
    as_rows,
    clean_rows,
    plan_rows,
    write_csv,
    write_roster,
    write_xlsx,
)
from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.precheck.engine import result_to_json
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.domain.precheck.rules import RULES
from desktop_app.domain.progress import Cancelled
from desktop_app.services.precheck.check import check_roster


def mixed_rows() -> list[dict[str, object]]:
    """A roster with a known set of problems, some on the same row (skip rules)."""
    rows = clean_rows(PLAN, per_grade=2)
    by_index = rows  # 2 students per grade, every due course
    by_index[0][NAME] = " 陳家豪"  # W01
    by_index[1][ID] = ""  # R01 (+ its other rows keep the real ID)
    by_index[2][ID] = "A1234"  # R02
    by_index[3][BIRTH] = "0981301"  # R04 (and no R19 on this row)
    by_index[4][CODE] = ""  # R05 (R06–R18 and R12 skipped)
    by_index[4][SUBJECT] = "錯的名稱"
    by_index[5][CODE] = "113011302H11101A10101"  # R06 (no R08, no R09/R10)
    by_index[5][CREDITS] = 9
    by_index[6][CODE] = "113011302H11101A1010199"  # R08 (no R09)
    by_index[6][SUBJECT] = "錯的名稱"
    by_index[7][GRADE] = 5  # R11 (no R10)
    by_index[7][CREDITS] = 9
    by_index[8][SCORE] = 150  # R14 (no R15/R16)
    by_index[8][PASSED] = 0
    by_index[8][MAKEUP] = 70
    by_index[9][SCORE] = 30  # R15 (成績及格 1) and R16 (補考成績 while 成績及格 1)
    by_index[9][PASSED] = 1
    by_index[9][MAKEUP] = 70
    by_index[9][MAKEUP_PASS] = 1
    by_index[10][COUNTS] = 7  # R17
    by_index[11][SUBJECT] = "體育（一）"  # R09 (plan says 體育)
    rows.append(dict(rows[13]))  # R12
    twin = dict(rows[14])
    twin[BIRTH] = "0970101"  # R19 once
    twin[CODE] = rows[15][CODE]
    twin[SUBJECT] = rows[15][SUBJECT]
    twin[CREDITS] = rows[15][CREDITS]
    rows[15] = twin
    dup_empty = dict(rows[16])
    dup_empty[ID] = ""
    rows[16][ID] = ""
    rows.append(dup_empty)  # R01 twice, no R12
    return rows


def test_mixed_file_exact_counts(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "mixed.xlsx", mixed_rows())
    result = check_roster(path, PLAN, OPTIONS)
    assert result.counts == {
        "W01": 1, "R01": 3, "R02": 1, "R04": 1, "R05": 1, "R06": 1, "R08": 1, "R09": 1,
        "R11": 1, "R12": 1, "R14": 1, "R15": 1, "R16": 1, "R17": 1, "R19": 1,
    }  # fmt: skip
    assert sum(result.counts.values()) == len(result.findings)
    assert not result.fatal and result.rows == {"學期成績": 56}
    assert result.error_count == 14 and result.warning_count == 3
    by_code = {f.code: f for f in result.findings}
    assert by_code["R19"].expected == "0970101" or by_code["R19"].value == "0970101"
    assert by_code["R12"].row == 56  # the appended duplicate: header + 54 rows + 1


def test_skip_rules_one_root_cause(tmp_path: Path) -> None:
    rows = clean_rows(PLAN)
    rows[0].update({CODE: "113999999H11101A1010101", SUBJECT: "x", CREDITS: 9})  # R07 only
    rows[1].update({CODE: "113011302H11101A1010199", SUBJECT: "x"})  # R08 only
    rows[2].update({GRADE: 0, CREDITS: 9})  # R11 only
    rows[3].update({SCORE: "X", PASSED: 1, MAKEUP: 50, MAKEUP_PASS: 1})  # R14 only
    rows[4].update({BIRTH: "1"})  # R04 only; another row of the same ID has a valid date
    empty_twin = dict(rows[5], **{ID: ""})
    rows[5][ID] = ""
    rows.append(empty_twin)  # R01 ×2, no R12
    no_code_twin = dict(rows[6], **{CODE: ""})
    rows[6][CODE] = ""
    rows.append(no_code_twin)  # R05 ×2, no R12
    result = check_roster(write_roster(tmp_path / "skip.xlsx", rows), PLAN, OPTIONS)
    # the three codes replaced on rows 0, 1 and 6 are now due without rows: O01 ×3
    assert result.counts == {"R07": 1, "R08": 1, "R11": 1, "R14": 1, "R04": 1, "R01": 2, "R05": 2, "O01": 3}


def _write_xls(path: Path, rows: list[list[object]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("學期成績")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv-utf-8-sig", "csv-cp950", "csv-utf-16", "ods"])
def test_same_rows_same_counts_in_every_format(tmp_path: Path, fmt: str) -> None:
    rows = as_rows(mixed_rows())
    rows[1][12] = "\ue000小明"  # a 造字 name: survives CP950 as EUDC bytes
    expected = check_roster(write_xlsx(tmp_path / "ref.xlsx", {"學期成績": rows}), PLAN, OPTIONS)
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "r.xlsx", {"學期成績": rows})
    elif fmt == "xls":
        path = _write_xls(tmp_path / "r.xls", rows)
    elif fmt == "ods":
        path = _write_ods(tmp_path / "r.ods", rows)
    else:
        path = write_csv(tmp_path / "學期成績.csv", rows, fmt[4:])
    result = check_roster(path, PLAN, OPTIONS)
    assert result.counts == expected.counts
    assert result.rows == {"學期成績": 56}
    assert [(f.code, f.row, f.column) for f in result.findings] == [
        (f.code, f.row, f.column) for f in expected.findings
    ]
    assert [(p.row, p.chars) for p in result.pua] == [(2, "\ue000")]
    if fmt.startswith("csv"):
        assert result.encoding == {"utf-8-sig": "utf-8-sig", "cp950": "cp950", "utf-16": "utf-16"}[fmt[4:]]


def _write_ods(path: Path, rows: list[list[object]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="學期成績")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def test_csv_sheet_named_by_columns_or_file(tmp_path: Path) -> None:
    rows = [
        RETAKE_HEADER,
        ["A100000001", "0980605", "112", "2", "112011302H11101A1010101", "國語文", 1, 4, 70, 1, -1, -1, 3, 1],
    ]
    result = check_roster(write_csv(tmp_path / "export.csv", rows), PLAN, OPTIONS)
    assert result.rows == {"補修成績": 1}
    # O01 "is computed from the 學期成績 sheets": a 補修成績 row (a course of 應修課學年度 112)
    # makes no code of this term due
    assert result.counts == {} and result.offering == []
    named = check_roster(
        write_csv(tmp_path / "學期成績(缺).csv", as_rows(clean_rows(PLAN)[:2])), PLAN, OPTIONS
    )
    assert named.rows == {"學期成績(缺)": 2} and named.counts["R05"] == 2


def test_retake_and_transfer_sheets_use_their_term_columns(tmp_path: Path) -> None:
    code = "112011302H11101A1010304"  # 歷史 of the 112 cohort: 220000
    other = make_valid_id("B10000000")
    retake = [
        RETAKE_HEADER,
        ["A100000001", "0980605", "112", "2", code, "歷史", 1, 2, 70, 1, -1, -1, 3, 1],  # 1下: ok
        [other, "0980605", "112", "3", code, "歷史", 1, 2, 70, 1, -1, -1, 3, 1],
    ]  # 學期 3 → R11
    transfer = [
        TRANSFER_HEADER,
        [other, "0980605", "112", "1", code, "歷史", 2, 2, 1, 80, 1, 1],
    ]  # 2上 is 0 → R11
    path = write_roster(
        tmp_path / "r.xlsx", clean_rows(PLAN), extra={"補修成績": retake, "轉學轉科成績": transfer}
    )
    result = check_roster(path, PLAN, OPTIONS)
    assert result.counts == {"R11": 2}
    assert {(f.sheet, f.row) for f in result.findings} == {("補修成績", 3), ("轉學轉科成績", 2)}


def test_continuing_division_by_columns(tmp_path: Path) -> None:
    renamed = {
        "修課學分": "修課節數",
        "是否採計學分": "是否採計學時",
        "補考成績": "學年學業成績",
        "補考及格": "學年及格",
    }
    header = [renamed.get(h, h) for h in DAY_SEMESTER_HEADER]
    sheet = as_rows(clean_rows(PLAN))
    sheet[0] = header
    sheet[1][5] = 3  # 國語文 4 → R10 read from 修課節數
    result = check_roster(write_xlsx(tmp_path / "r.xlsx", {"學期成績": sheet}), PLAN, OPTIONS)
    assert result.division == "continuing" and result.counts == {"R10": 1}
    assert result.findings[0].column == "修課節數"


def test_kind_detection_and_override(tmp_path: Path) -> None:
    pre = write_roster(tmp_path / "預檢_修課紀錄名冊.xlsx", clean_rows(PLAN, kind="pre"))
    assert check_roster(pre, PLAN, OPTIONS).kind == "pre"
    blank_grades = write_roster(tmp_path / "roster.xlsx", clean_rows(PLAN, kind="pre"))
    assert check_roster(blank_grades, PLAN, OPTIONS).kind == "pre"
    forced = check_roster(
        blank_grades, PLAN, CheckOptions(kind="final", school_code="011302", year=113, term=1)
    )
    assert forced.kind == "final" and forced.counts.get("R14", 0) > 0


def test_roster_file_is_never_written(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "mixed.xlsx", mixed_rows())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    result = check_roster(path, PLAN, OPTIONS)
    assert result.sha256 == before == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.stat().st_mtime_ns == mtime and result.size == path.stat().st_size


def test_progress_and_cancel(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "big.xlsx", clean_rows(PLAN, per_grade=400))
    calls: list[tuple[int, int]] = []
    result = check_roster(path, PLAN, OPTIONS, progress=lambda d, t: calls.append((d, t)))
    assert result.rows == {"學期成績": 10800}
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] >= 10800 and len(calls) >= 3
    assert 10800 in [done for done, _total in calls]  # the data rows of the sheet, then "all done"
    assert all(t >= 10800 for _d, t in calls)

    def cancel(done: int, _total: int) -> None:
        if done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        check_roster(path, PLAN, OPTIONS, progress=cancel)


def test_json_of_the_cli(tmp_path: Path) -> None:
    """The engine has no entry of its own: the JSON comes from ``desktop-app precheck`` (a process)."""
    roster = write_roster(tmp_path / "mixed.xlsx", mixed_rows())
    plan = write_xlsx(tmp_path / "plan.xlsx", {"課程計畫": plan_rows(PLAN)})
    out = tmp_path / "out.json"
    options = ["--school-code", "011302", "--year", "113", "--term", "1"]
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "data"))
    cmd = [sys.executable, "-m", "desktop_app", "precheck", str(roster), "--plan", str(plan), *options]
    status = subprocess.run([*cmd, "--json", str(out)], env=env, capture_output=True, check=False).returncode
    document = json.loads(out.read_text(encoding="utf-8"))
    assert status == 1
    assert document["counts"] == check_roster(roster, PLAN, OPTIONS).counts
    assert list(document)[: len(JSON_KEYS)] == list(JSON_KEYS)
    assert list(document).index("pass_marks") == list(document).index("notes") + 1
    assert document["pass_marks"] == {"default": 60.0, "others": [], "students": 0}
    assert document["findings"][0]["code"] in RULES
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    cmd = [sys.executable, "-m", "desktop_app", "precheck", str(bad), "--plan", str(plan), "--json", str(out)]
    assert subprocess.run(cmd, env=env, capture_output=True, check=False).returncode == 2
    assert json.loads(out.read_text(encoding="utf-8"))["counts"] == {"F01": 1}
    assert result_to_json(check_roster(bad, PLAN))["fatal"] is True


cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "-1", "1", "０", "ａ", "\u3000x", "\ue000", "1e309", "nan", "-0", "99999999999999999999"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(cell_values, min_size=0, max_size=len(DAY_SEMESTER_HEADER) + 2), max_size=6),
    st.sampled_from(["pre", "final", None]),
)
def test_random_cell_values_never_raise(tmp_path: Path, body: list[list[object]], kind: str | None) -> None:
    rows = [list(DAY_SEMESTER_HEADER), *body]
    path = tmp_path / "random.xlsx"
    cover = [["學校代碼", "學年度", "學期", "名冊別"], [_xlsx_safe(v) for v in (body[0] if body else [])[:4]]]
    write_xlsx(path, {"封面": cover, "學期成績": [[_xlsx_safe(v) for v in row] for row in rows]})
    result = check_roster(path, PLAN, CheckOptions(kind=kind, school_code="011302", year=113, term=1))  # type: ignore[arg-type]
    assert set(result.counts) <= set(RULES)
    assert sum(v for k, v in result.counts.items() if k not in ("P01", "O01")) == len(result.findings)
    csv_path = write_csv(tmp_path / "random.csv", [[_csv_safe(v) for v in row] for row in rows], "utf-8")
    csv_result = check_roster(csv_path, PLAN, CheckOptions(kind=kind, school_code="011302", year=113, term=1))  # type: ignore[arg-type]
    assert set(csv_result.counts) <= set(RULES)


def _xlsx_safe(value: object) -> object:
    if isinstance(value, str):
        # XML 1.0 cannot hold control characters; openpyxl refuses them when writing
        return "".join(
            c
            for c in value
            if c in "\t\n\r"
            or (ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF and ord(c) not in (0xFFFE, 0xFFFF))
        )
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


def _csv_safe(value: object) -> object:
    if isinstance(value, str):
        return "".join(c for c in value if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)
    return value


def test_malformed_plan_entries_do_not_crash(tmp_path: Path) -> None:
    from desktop_app.domain.precheck.model import PlanCourse
    from desktop_app.domain.precheck.plan import CoursePlan

    broken = CoursePlan.from_courses(PlanCourse(c.code, c.name, c.credits[:2], "", "") for c in PLAN.values())
    result = check_roster(write_roster(tmp_path / "r.xlsx", clean_rows(PLAN)), broken, OPTIONS)
    assert not result.fatal and result.rows == {"學期成績": 27}
    assert set(result.counts) <= {"R10", "R11"}  # grades 2–3 fall outside the 2-character strings
