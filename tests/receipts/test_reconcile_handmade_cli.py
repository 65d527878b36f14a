"""收訖對照 review (issue 14) through the installed command, on hand-made files (``handmade_reconcile``):
batches imported with ``desktop-app receipts import``; rosters in the layouts of formats.md (日間,
進修部, 重修重讀; 補修/轉學轉科 sheets, (缺) sheets, DataKey, numbers as text, a 封面); counts worked out
by hand; the no-code path; another 學期 refused; masked IDs in stdout, JSON and xlsx; the rosters
byte-identical after the run."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import handmade_reconcile as h

from desktop_app.storage.migrate import open_database

KEYS = ["missing", "extra", "mismatch", "no_receipt", "not_in_roster"]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("desktop-app")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "desktop_app"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=180, env=env)


def digests(*paths: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    d = tmp_path_factory.mktemp("handmade")
    db = d / "school.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    files = {
        "day": h.write_day_roster(d / "日間_113_1.xlsx"),
        "cont": h.write_continuing_roster(d / "進修部_113_1.xlsx"),
        "retake": h.write_retake_roster(d / "重修重讀_113_1.xlsx"),
        "day_112_2": h.write_day_roster(d / "日間_112_2.xlsx", 112, 2),
    }
    done = run("students", "import", h.write_master(d / "學生名冊.csv"), "--db", db)
    assert done.returncode == 0, done.stderr
    coded, coded_counts = h.write_coded_receipts(d / "收訖明細_有代碼.csv")
    plain, plain_counts, plain_keys = h.write_plain_receipts(d / "收訖明細_無代碼.csv")
    exact = h.write_exact_receipts(d / "收訖明細_進修部.csv")
    batches = {}
    for key, path in (("coded", coded), ("plain", plain), ("exact", exact)):
        done = run("receipts", "import", path, "--name", key, "--start", "113/10/15", "--end", "113/10/20",
                   "--db", db)  # fmt: skip
        assert done.returncode == 0, done.stderr
        batches[key] = done.stdout.splitlines()[0].strip()
    return {"dir": d, "db": db, "files": files, "batches": batches, "coded": coded_counts,
            "plain": (plain_counts, plain_keys)}  # fmt: skip


def test_three_rosters_both_divisions_exact_counts(school: dict) -> None:  # type: ignore[type-arg]
    d, db, files = school["dir"], school["db"], school["files"]
    rosters = [files["day"], files["cont"], files["retake"]]
    before = digests(*rosters)
    out_json, out_xlsx = d / "coded.json", d / "coded.xlsx"
    done = run("receipts", "reconcile", school["batches"]["coded"], *(a for r in rosters for a in ("--roster", r)),
               "--json", out_json, "--xlsx", out_xlsx, "--db", db)  # fmt: skip
    assert done.returncode == 1, done.stderr
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert list(data)[:2] == ["counts", "rows"]
    assert list(data["counts"]) == KEYS
    assert data["counts"] == school["coded"] == {
        "missing": 6, "extra": 1, "mismatch": 4, "no_receipt": 3, "not_in_roster": 1
    }  # fmt: skip
    assert data["matched_by"] == {"課程代碼": 25, "科目名稱+學年度學期+學分": 0, "科目名稱+學年度學期": 0}
    # which rows, by hand
    got = sorted((r["kind"], r["name"], r["title"], f"{r['year']}-{r['term']}", tuple(r["fields"])) for r in data["rows"])
    assert got == sorted([
        ("missing", "李小華", "物理", "113-1", ()),
        ("missing", "李小華", "地理", "112-1", ()),  # 轉學轉科成績 sheet
        ("missing", "黃淑芬", "國語文", "113-1", ()),
        ("missing", "黃淑芬", "數學", "113-1", ()),
        ("missing", "黃淑芬", "生物", "112-2", ()),  # 重修成績 sheet (原修課 columns)
        ("missing", "蘇進修", "數學", "113-1", ()),  # 進修部
        ("extra", "陳美麗", "舊課程", "113-1", ()),
        ("mismatch", "張大同", "數學", "113-1", ("學分",)),
        ("mismatch", "張大同", "英語文", "113-1", ("成績",)),
        ("mismatch", "陳美麗", "物理", "113-1", ("科目名稱",)),
        ("mismatch", "蔡進修", "國語文", "113-1", ("成績",)),
        ("no_receipt", "林志明", "", "113-1", ()),
        ("no_receipt", "吳建國", "", "113-1", ()),
        ("no_receipt", "鄭不在", "", "113-1", ()),  # not in the student master: name from 備註
        ("not_in_roster", "周收訖", "", "113-1", ()),
    ])  # fmt: skip
    by_title = {(r["name"], r["title"]): r for r in data["rows"]}
    assert by_title[("李小華", "地理")]["source"].endswith("轉學轉科成績／第 2 列")
    assert by_title[("黃淑芬", "生物")]["source"].startswith("重修重讀_113_1.xlsx／重修成績")
    assert by_title[("鄭不在", "")]["class"] == "303" and by_title[("鄭不在", "")]["count"] == 4
    # the files: read, never written; their SHA-256 recorded; divisions told
    assert digests(*rosters) == before
    assert [(r["sha256"], r["division"]) for r in data["rosters"]] == [
        (before[files["day"]], "day"), (before[files["cont"]], "continuing"), (before[files["retake"]], "day")
    ]  # fmt: skip
    assert data["rosters"][1]["skipped"] == {"補考成績": 1, "轉學轉科成績(缺)": 0}
    assert data["rosters"][0]["not_submitted"] == 8  # the 團體活動 rows
    assert data["roster_rows"] == 34 + 6 + 3
    assert "未收訖 6；多出 1；不一致 4；名冊有、無收訖 3；收訖有、名冊無 1" in done.stdout
    assert "另有 1 筆其他學期的修課紀錄" in done.stdout  # D1's 111-2 item
    assert "學期成績(缺) 1 列不列入對照" in done.stdout
    assert "補考成績 1 列不另外對照" in done.stdout
    assert "0 列" not in done.stdout  # empty (缺) sheets are not listed
    # masked IDs in every output
    cells = "\n".join(
        str(c.value) for ws in load_workbook(out_xlsx).worksheets for row in ws.iter_rows() for c in row
    )
    detail = load_workbook(out_xlsx)["明細"]
    header = [c.value for c in detail[1]]
    first = dict(zip(header, (c.value for c in detail[2]), strict=True))
    # numbers are numbers (Excel sorts 座號 2 before 10); 學號 stays text
    assert (first["座號"], first["學年度"], first["學分"], first["成績"]) == (2, 112, 2, 70)
    assert isinstance(first["學號"], str)
    text = out_json.read_text(encoding="utf-8")
    for s in h.EVERYONE:
        for output in (text, cells, done.stdout, done.stderr):
            assert s[0] not in output
    for s in (h.D2, h.D3, h.D4, h.D5, h.D6, h.N1, h.N2, h.R1, h.C2, h.C3):
        assert f"{s[0][:6]}****" in text and f"{s[0][:6]}****" in cells


def test_no_code_path_says_which_key(school: dict) -> None:  # type: ignore[type-arg]
    d, db, day = school["dir"], school["db"], school["files"]["day"]
    counts, keys = school["plain"]
    out = d / "plain.json"
    done = run("receipts", "reconcile", school["batches"]["plain"], "--roster", day, "--json", out, "--db", db)
    assert done.returncode == 1, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == counts == {"missing": 2, "extra": 1, "mismatch": 1, "no_receipt": 5, "not_in_roster": 0}
    assert data["matched_by"] == keys
    assert "比對鍵：課程代碼 1 筆、科目名稱+學年度學期+學分 10 筆、科目名稱+學年度學期 1 筆" in done.stdout
    mismatch = next(r for r in data["rows"] if r["kind"] == "mismatch")
    assert (mismatch["name"], mismatch["title"], mismatch["key"], mismatch["fields"]) == (
        "李小華", "數學", "科目名稱+學年度學期", ["學分"]
    )  # fmt: skip
    assert mismatch["credits"] == "4" and mismatch["received"]["credits"] == "3"
    extra = next(r for r in data["rows"] if r["kind"] == "extra")
    assert (extra["name"], extra["title"], extra["code"]) == ("張大同", "化學", "")


def test_nothing_differs_exit_0(school: dict) -> None:  # type: ignore[type-arg]
    d, db, cont = school["dir"], school["db"], school["files"]["cont"]
    out = d / "exact.json"
    done = run("receipts", "reconcile", school["batches"]["exact"], "--roster", cont, "--json", out, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == dict.fromkeys(KEYS, 0) and data["rows"] == []
    assert data["matched"] == 6


def test_day_roster_only_hints_the_continuing_students(school: dict) -> None:  # type: ignore[type-arg]
    """The coded batch against the 日間 roster alone. By hand: D1's 重讀 公民與社會 → extra; D3's 重修
    化學 112-1 (112-1 is covered by the 轉學轉科 row) → extra; D4's 舊課程 → extra; D6's 重修 生物 is
    only in the 重修重讀 roster → not counted; D2 missing 2, D6 missing 2 → missing 4; mismatches of D3
    (2) and D4 (1) → 3; R1, C1, C2, C3 → not_in_roster 4, of which 3 are 進修部 (a hint)."""
    d, db, day = school["dir"], school["db"], school["files"]["day"]
    out = d / "dayonly.json"
    done = run("receipts", "reconcile", school["batches"]["coded"], "--roster", day, "--json", out, "--db", db)
    assert done.returncode == 1, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == {"missing": 4, "extra": 3, "mismatch": 3, "no_receipt": 3, "not_in_roster": 4}
    assert "「收訖有、名冊無」的 3 位學生在學生名冊屬進修部，所選名冊只有日間" in done.stdout


def test_other_term_and_bad_files_exit_2(school: dict) -> None:  # type: ignore[type-arg]
    d, db, files = school["dir"], school["db"], school["files"]
    batch = school["batches"]["coded"]
    before = digests(files["day"], files["day_112_2"])
    out = d / "refused.json"
    done = run("receipts", "reconcile", batch, "--roster", files["day_112_2"], "--json", out, "--db", db)
    assert done.returncode == 2
    assert "112學年度第2學期" in done.stderr and "113學年度第1學期" in done.stderr and "不同學期" in done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == dict.fromkeys(KEYS, 0) and "不同學期" in data["error"]
    # mixed with a roster of the right 學期: still refused
    done = run("receipts", "reconcile", batch, "--roster", files["day"], "--roster", files["day_112_2"], "--db", db)
    assert done.returncode == 2 and "不同學期" in done.stderr
    # not a roster (the student master), a missing file, the same roster twice
    done = run("receipts", "reconcile", batch, "--roster", d / "學生名冊.csv", "--db", db)
    assert done.returncode == 2 and "不是修課紀錄／成績名冊" in done.stderr
    done = run("receipts", "reconcile", batch, "--roster", d / "nothing.xlsx", "--db", db)
    assert done.returncode == 2 and "找不到" in done.stderr
    done = run("receipts", "reconcile", batch, "--roster", files["day"], "--roster", files["day"], "--db", db)
    assert done.returncode == 2 and "同一個檔案" in done.stderr
    assert digests(files["day"], files["day_112_2"]) == before
