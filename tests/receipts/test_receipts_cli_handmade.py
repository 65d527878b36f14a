"""The 收訖明細 command lines, run in-process on hand-made files (``tests/data/receipts/handmade/``):
students, receipt import with mapping, slips and progress outputs, student preview, bad batches.

Exit status 2 with a zh-TW message, never a traceback, on every failure path."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.cli import main

REVIEW = Path(__file__).resolve().parents[1] / "data" / "receipts" / "handmade"
PERIOD = ("--start", "115/11/30", "--end", "115年12月2日", "--deadline", "115/12/10")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def rows(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def master_ids() -> dict[str, str]:
    """身分證號 → 姓名 of the 12 valid students of the hand-made master, read from the xlsx itself."""
    ws = load_workbook(REVIEW / "master_title_rows.xlsx").active
    found = [(r[2], r[1]) for r in ws.iter_rows(min_row=5, max_row=16, values_only=True)]
    return dict(found)


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "review.sqlite3"
    assert run(capsys, "db", "create", path)[0] == 0  # --db never creates a database silently
    status, _out, _err = run(capsys, "students", "import", REVIEW / "master_title_rows.xlsx", "--db", path)
    assert status == 0
    return path


def test_students_json_and_unwritable_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.sqlite3"
    status, _out, err = run(
        capsys, "students", "import", REVIEW / "master_title_rows.xlsx", "--json", tmp_path / "no" / "x.json",
        "--db", path,
    )  # fmt: skip
    assert status == 2 and "不存在" in err
    assert not path.exists()  # refused before opening the database, not after importing
    assert run(capsys, "db", "create", path)[0] == 0
    out_json = tmp_path / "s.json"
    status, _out, err = run(capsys, "students", "import", REVIEW / "master_cp950_pua.csv", "--json", out_json,
                            "--db", path)  # fmt: skip
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert status == 0 and {"added", "updated", "unchanged", "invalid", "pua"} <= set(data)
    assert [p["student_no"] for p in data["pua"]] == ["0112001", "0112005"]
    assert "重複（未匯入）" not in err  # the reason no longer says 未匯入 twice
    assert "造字 U+F6B1、U+E311：張[U+F6B1][U+E311]婷（未對照）" in err  # visible on a terminal
    assert "新增：第 2 列 301 1號 王[U+E000]明" in err and "\ue000" not in err


def test_receipt_import_mapping_and_failures(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = REVIEW / "receipts_roster_codes.csv"
    before = rows(db, "receipt_item")
    status, _out, err = run(capsys, "receipts", "import", file, "--name", "C", *PERIOD, "--db", db)
    assert status == 2 and "欄位對應缺少：名稱" in err
    status, _out, err = run(capsys, "receipts", "import", file, "--name", "C", *PERIOD, "--mapping",
                            tmp_path / "none.json", "--db", db)  # fmt: skip
    assert status == 2 and "找不到這個檔案" in err
    status, _out, err = run(capsys, "receipts", "import", file, "--name", "C", *PERIOD, "--mapping", tmp_path,
                            "--db", db)  # fmt: skip
    assert status == 2 and "是資料夾" in err
    assert rows(db, "receipt_item") == before
    mapping = tmp_path / "map.json"
    mapping.write_text('{"title": "資料內容"}', encoding="utf-8")
    status, out, err = run(
        capsys, "receipts", "import", file, "--name", "C", *PERIOD, "--mapping", mapping, "--db", db
    )
    assert status == 0, err
    assert out.strip().isdigit() and rows(db, "receipt_item") > before
    assert "讀取「receipts_roster_codes.csv」（CSV，utf-8-sig）第 1 列標題" in err  # the encoding is reported
    assert "名稱←資料內容" in err and "資料類別←名冊別" in err


def test_slips_and_progress_outputs(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # one student with many long 多元表現 titles: a continued slip with a tall table
    nid = next(iter(master_ids()))
    title = (
        "參加全國高級中等學校小論文寫作比賽並獲得特優，論文題目為「校園植物多樣性調查與資料分析：以本校為例」"
    )
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["身分證號", "資料類別", "學年度", "學期", "名稱", "日期"])
        w.writerows([nid, "多元表現", "112", "2", title * (1 + i % 2), "113/05/20"] for i in range(25))
    status, out, err = run(capsys, "receipts", "import", REVIEW / "receipts_platform.xlsx", "--name", "A", *PERIOD,
                           "--db", db)  # fmt: skip
    assert status == 0, err
    batch = out.strip()
    status, out, err = run(capsys, "receipts", "import", big, "--name", "B", *PERIOD, "--db", db)
    big_batch = out.strip()

    for target, words in ((tmp_path, "是資料夾"), (tmp_path / "no" / "s.pdf", "不存在")):
        status, _out, err = run(capsys, "receipts", "slips", batch, "--out", target, "--db", db)
        assert status == 2 and words in err
        status, _out, err = run(capsys, "receipts", "reminders", batch, "--out", target, "--db", db)
        assert status == 2 and words in err
    status, _out, err = run(capsys, "receipts", "progress", batch, "--json", tmp_path, "--db", db)
    assert status == 2 and "是資料夾" in err

    pdf = tmp_path / "slips.pdf"
    status, _out, err = run(capsys, "receipts", "slips", batch, "--out", pdf, "--db", db)
    assert status == 0 and "尚未設定學校基本資料" in err
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for full_id, name in master_ids().items():
        assert full_id not in text
        assert f"{full_id[:6]}****" in text and name in text
    flat = text.replace("\n", "")
    # the school's period in one date form; the 國教署 deadline (115/12/10) is not the student's
    assert "115年11月30日至115年12月2日" in flat and "115/12/02" not in flat and "115年12月10日" not in flat
    assert f"RB{int(batch):04d}S" in text

    status, _out, err = run(capsys, "receipts", "slips", big_batch, "--out", pdf, "--db", db)
    assert status == 0, err
    names = [str(k) for page in PdfReader(pdf).pages for k in page["/Resources"].get("/XObject", {})]
    assert names and max(len(n) for n in names) <= 127  # poppler refused longer name tokens


def test_student_preview_lists_who_changed_and_who_is_gone(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = load_workbook(REVIEW / "master_title_rows.xlsx").active
    header, *students = [list(r) for r in ws.iter_rows(min_row=4, max_row=16, values_only=True)]
    students[1][6] = "302"  # 李大華 changes class
    gone = students.pop()  # the last student left the school
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *students])
    before = rows(db, "audit_entry")
    status, out, err = run(capsys, "students", "import", changed, "--preview", "--db", db)
    assert status == 0 and "更新 1" in out and "不在新名冊 1" in out
    assert f"更新：第 3 列 {students[1][1]}（班級：301 → 302）" in err
    assert f"不在新名冊：{gone[6]} {gone[0]} {gone[1]} {gone[2][:6]}****" in err
    assert rows(db, "audit_entry") == before  # a preview writes nothing


def test_batch_that_is_not_a_number_or_does_not_exist(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["receipts", "slips", "abc", "--out", "x.pdf", "--db", str(db)])
    assert stopped.value.code == 2 and "批次編號應為數字" in capsys.readouterr().err
    status, _out, err = run(capsys, "receipts", "slips", "7", "--out", db.with_suffix(".pdf"), "--db", db)
    assert status == 2 and "找不到收訖明細批次 #7" in err
