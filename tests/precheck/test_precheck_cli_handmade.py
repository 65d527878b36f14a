"""``desktop-app precheck`` on hand-made files (``tests/handmade_rosters.py``, written for an
acceptance review): exit codes, the JSON keys, the report sheets, the annotated copy, masked IDs,
and no traceback for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import handmade_rosters as rf
import pytest
from openpyxl import load_workbook
from precheck_helpers import run_cli

JSON_KEYS = ["file", "sha256", "kind", "division", "year", "term", "rows", "counts", "findings", "patterns",
             "offering", "seconds"]  # fmt: skip


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rf.write_plan(tmp_path_factory.mktemp("plan") / "plan.xlsx", "vendor")


def test_mixed_roster_counts_json_report_and_annotated_copy(tmp_path: Path, plan: Path) -> None:
    roster = rf.write_final_day(tmp_path / "名冊.xlsx")
    before = roster.read_bytes()
    out, report, annotated = tmp_path / "out.json", tmp_path / "report.xlsx", tmp_path / "annotated.xlsx"
    proc = run_cli(tmp_path, str(roster), "--plan", str(plan), "--school-code", "011302", "--json", str(out),
                   "--report", str(report), "--annotate", str(annotated))  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert roster.read_bytes() == before
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data)[: len(JSON_KEYS)] == JSON_KEYS
    assert data["counts"] == rf.EXPECT_FINAL_DAY
    assert (data["file"], data["kind"], data["division"], data["year"], data["term"]) == (
        "名冊.xlsx", "final", "day", 114, 1,
    )  # fmt: skip
    assert sum(1 for f in data["findings"]) == sum(v for k, v in rf.EXPECT_FINAL_DAY.items() if k[0] in "RW")
    book = load_workbook(report)
    assert book.sheetnames == ["摘要", "錯誤明細", "相同錯誤樣態", "開課比對"]
    details = book["錯誤明細"]
    assert details.auto_filter.ref and details.freeze_panes == "A2"
    assert details.max_row == 1 + len(data["findings"])
    summary = {row[0]: row for row in book["摘要"].iter_rows(values_only=True) if row[0]}
    assert summary["檔案核對碼"][1] == data["sha256"]
    assert summary["P01"][3] == 1 and summary["O01"][3] == 2 and summary["R10"][1] == "修課學分(節數)不符"
    assert book["相同錯誤樣態"].cell(2, 3).value == rf.B
    assert sorted(r[0] for r in book["開課比對"].iter_rows(min_row=2, values_only=True)) == sorted(
        [rf.E, rf.G]
    )
    copy = load_workbook(annotated)
    comments = [c for ws in copy for row in ws.iter_rows() for c in row if c.comment]
    r10 = copy["學期成績"]["F18"]  # FINAL_DAY_ROWS[16] is Excel row 18; 修課學分 is column F
    assert r10.comment is not None and r10.comment.text.startswith("R10")
    assert copy["學期成績"]["A2"].comment is None  # a clean row
    everything = text + "".join(str(c.value) for ws in book for r in ws.iter_rows() for c in r)
    everything += "".join(c.comment.text for c in comments)
    assert not [s for s in rf.S if s in everything]  # masked everywhere


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("folder.xlsx", lambda p: p.mkdir(), "F01"),
        ("missing.xlsx", lambda p: None, "F01"),
        ("report.xlsx", lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n"), "F01"),
        ("zero.xlsx", lambda p: p.write_bytes(b""), "F01"),
        ("zero.csv", lambda p: p.write_bytes(b""), "F01"),
        ("garbage.csv", lambda p: p.write_bytes(bytes(range(128, 256)) * 4), "F02"),
        ("headers.xlsx", lambda p: rf.write_sheets(p, [("學期成績", rf.SEM, [])]), "F05"),
        ("cover.xlsx", lambda p: rf.write_sheets(p, [], cover={}), "F05"),
    ],
)
def test_bad_input_exit_2_json_says_why_never_a_traceback(
    tmp_path: Path, plan: Path, name: str, make: object, code: str
) -> None:
    roster = tmp_path / name
    make(roster)  # type: ignore[operator]
    out = tmp_path / "out.json"
    proc = run_cli(
        tmp_path, str(roster), "--plan", str(plan), "--json", str(out), "--report", str(tmp_path / "r.xlsx")
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data)[: len(JSON_KEYS)] == JSON_KEYS
    assert data["counts"] == {code: 1}
    assert data["findings"][0]["code"] == code and data["findings"][0]["message"]
    if name == "folder.xlsx":
        assert "資料夾" in data["findings"][0]["message"]


def test_year_without_term_exit_2_and_the_json_says_why(tmp_path: Path, plan: Path) -> None:
    roster = rf.write_pre_xlsx(tmp_path / "pre.xlsx")
    out = tmp_path / "out.json"
    proc = run_cli(tmp_path, str(roster), "--plan", str(plan), "--year", "114", "--json", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--term" in json.loads(out.read_text(encoding="utf-8"))["error"]


def test_warnings_only_exit_0(tmp_path: Path, plan: Path) -> None:
    rows = [rf.sem(1, "0920101", rf.A, " 國語文(一)", "1", "4", score="", passed="", counts="")]  # W01 only
    roster = rf.write_sheets(tmp_path / "pre.xlsx", [("學期成績", rf.SEM, rows)], cover={"roster_type": "41"})
    out = tmp_path / "out.json"
    proc = run_cli(tmp_path, str(roster), "--plan", str(plan), "--json", str(out))
    assert proc.returncode == 0, proc.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["counts"] == {"W01": 1, "O01": 4}


def test_cp950_csv_with_造字_is_reported_on_the_console_and_in_the_report(tmp_path: Path, plan: Path) -> None:
    roster = rf.write_pre_cp950_csv(tmp_path / "預檢.csv")
    out, report = tmp_path / "out.json", tmp_path / "report.xlsx"
    args = [
        "--school-code",
        "011302",
        "--year",
        "114",
        "--term",
        "1",
        "--json",
        str(out),
        "--report",
        str(report),
    ]
    proc = run_cli(tmp_path, str(roster), "--plan", str(plan), *args)
    assert proc.returncode == 1, proc.stderr
    assert "造字：1 處" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == rf.EXPECT_PRE and data["encoding"] == "cp950"
    assert [(p["row"], p["chars"]) for p in data["pua"]] == [(4, "\ue000")]
    sheet = load_workbook(report)["造字"]
    assert sheet.cell(2, 2).value == 4
