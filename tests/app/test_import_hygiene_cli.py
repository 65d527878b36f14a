"""Imports clean control characters and validate values (issue 11): bad rows are listed with row,
column, value and reason and left out, or the whole import refused with ``--strict``; invalid IDs
are masked in stdout and JSON. Run as the user does: the installed command in a subprocess."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop_app.domain.hygiene import check_date_text, check_school_year, clean_controls, school_year_range
from desktop_app.storage.migrate import open_database

STUDENTS = (
    "學號,姓名,身分證號,出生日期,部別,年級,班級,座號,學籍狀態\n"
    "110001,王小明,A123456707,0920315,日間部,3,301,1,在學\n"
    "110002,李\x01美華,B223456719,0920416,日間部,3,301,2,在學\n"  # control char: cleaned, kept
    "110003,陳大志,C123456727,0920517,日間部,3,301,abc,在學\n"  # bad 座號
    "110004,林雅婷,D223456739,0920618,日間部,3,302,-1,在學\n"  # bad 座號
    "110005,張家豪,E123456747,0920719,日間部,3,這個班級名稱長得完全不像任何一個學校裡會有的班級名稱喔而且還更長一些,2,在學\n"
    "110099,吳錯誤,A123456780,0921201,日間部,3,302,9,在學\n"  # wrong check digit
)
RECEIPTS = (
    "身分證號,出生日期,姓名,資料類別,學年度,學期,名稱,學分,日期,說明\n"
    "A123456707,0920315,王小明,修課紀錄,113,1,國語文,4,,\n"  # row 2: good
    "A123456707,0920315,王小明,修課紀錄,113,1,數學,abc,,\n"  # row 3: credits abc
    "A123456707,0920315,王小明,修課紀錄,113,1,英語文,-5,,\n"  # row 4: credits -5
    "A123456707,0920315,王小明,修課紀錄,999,1,物理,2,,\n"  # row 5: 學年度 999
    "A123456707,0920315,王小明,修課紀錄,113,7,化學,2,,\n"  # row 6: 學期 7
    "A123456707,0920315,王小明,多元表現,113,1,科展,,113/02/30,\n"  # row 7: no such date
    "B223456719,0920416,李美華,多元表現,113,1,志工\x07服務,,113/02/01~113/06/30,\n"  # row 8: cleaned, kept
    "A123456707,0920315,王小明,修課紀錄,2024,1,歷史,2,,\n"  # row 9: AD year
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_rules_in_words() -> None:
    low, high = school_year_range()
    assert low == 100 and high >= 115
    assert check_school_year("113") is None and "100" in (check_school_year("999") or "")
    assert "西元" in (check_school_year("2024") or "")
    assert check_date_text("113/02/28") is None and check_date_text("113/02/01~113/06/30") is None
    assert check_date_text("113/02/30") and check_date_text("113/06/30~113/02/01")
    assert clean_controls("a\x01b\x7f") == ("a\ufffdb\ufffd", 2) and clean_controls("王小明") == ("王小明", 0)


def test_students_import_lists_bad_rows_masked_and_strict_refuses(tmp_path: Path) -> None:
    src = tmp_path / "master.csv"
    src.write_text(STUDENTS, encoding="utf-8")
    db = tmp_path / "db.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    strict = run("students", "import", src, "--strict", "--db", db)
    assert strict.returncode == 2 and "整批不匯入" in strict.stderr and "Traceback" not in strict.stderr
    assert "A123456780" not in strict.stderr + strict.stdout  # the invalid ID masked
    out = tmp_path / "r.json"
    done = run("students", "import", src, "--json", out, "--db", db)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["added"] == 2
    bad = {r["row"]: r for r in data["invalid"]}
    assert sorted(bad) == [4, 5, 6, 7]
    assert (bad[4]["column"], bad[4]["value"]) == ("座號", "abc") and "整數" in bad[4]["reason"]
    assert (bad[5]["column"], bad[5]["value"]) == ("座號", "-1")
    assert bad[6]["column"] == "班級" and "過長" in bad[6]["reason"]
    assert bad[7]["national_id"] == bad[7]["value"] == "A12345****" and "檢查碼" in bad[7]["reason"]
    assert "A123456780" not in out.read_text(encoding="utf-8") + done.stdout + done.stderr
    assert "第 7 列" in done.stderr and "A12345****" in done.stderr
    assert data["control_chars"] == [
        {"row": 3, "column": "姓名", "value": "李\ufffd美華", "reason": "含 1 個控制字元（無法列印），已改為 �"}
    ]
    with sqlite3.connect(db) as con:
        names = dict(con.execute("SELECT student_no, name FROM student"))
    assert names == {"110001": "王小明", "110002": "李\ufffd美華"}


def test_receipts_import_leaves_out_implausible_rows(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    master = tmp_path / "master.csv"
    master.write_text(STUDENTS, encoding="utf-8")
    assert run("students", "import", master, "--db", db).returncode == 0
    src = tmp_path / "receipts.csv"
    src.write_text(RECEIPTS, encoding="utf-8")
    args = ("receipts", "import", src, "--name", "b", "--start", "113/10/15", "--end", "113/10/20", "--db", db)
    strict = run(*args, "--strict")
    assert strict.returncode == 2 and "整批不匯入" in strict.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM receipt_batch").fetchone() == (0,)
    done = run(*args)
    assert done.returncode == 0, done.stderr
    for row, column, value in (
        (3, "學分", "abc"), (4, "學分", "-5"), (5, "學年度", "999"), (6, "學期", "7"),
        (7, "日期", "113/02/30"), (9, "學年度", "2024"),
    ):  # fmt: skip
        assert f"第 {row} 列「{column}」欄「{value}」" in done.stderr, (row, done.stderr)
    assert "第 8 列「說明」" not in done.stderr and "第 8 列「名稱」欄含 1 個控制字元" in done.stderr
    with sqlite3.connect(db) as con:
        rows = sorted(con.execute("SELECT source_row, title, credits, year, term, item_date FROM receipt_item"))
    assert rows == [
        (2, "國語文", "4", "113", "1", ""),
        (8, "志工\ufffd服務", "", "113", "1", "113/02/01~113/06/30"),
    ]
