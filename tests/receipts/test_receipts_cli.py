"""`desktop-app students import` / `receipts import|progress` as subprocesses on a real database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_students_and_receipts_commands(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    out = tmp_path / "students.json"
    assert run("db", "create", db).returncode == 0  # --db never creates a database silently
    done = run("students", "import", DATA / "students_cp950.csv", "--json", out, "--db", db)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["added"], data["updated"], data["unchanged"], data["invalid"]) == (6, 0, 0, [])
    assert data["pua"] == [{"row": 5, "student": "陳\ue000志", "student_no": "110003", "chars": ["U+E000"]}]
    again = run("students", "import", DATA / "students.csv", "--json", out, "--db", db)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert again.returncode == 0 and data["unchanged"] == 5 and data["updated"] == 1  # the 造字 name fixed
    assert [r["row"] for r in data["invalid"]] == [8] and data["pua"] == []

    short = run("receipts", "import", DATA / "receipts_style_a.xlsx", "--name", "x",
                "--start", "113/10/15", "--end", "113/10/16", "--db", db)  # fmt: skip
    assert short.returncode == 2 and "不得少於 3 日" in short.stderr

    mapping = json.dumps({"national_id": "身分證號", "category": "資料類別", "title": 7, "year": "學年度"})
    imported = run("receipts", "import", DATA / "receipts_style_a.xlsx", "--name", "113-1 第1梯次",
                   "--start", "113年10月15日", "--end", "113/10/17", "--deadline", "113/10/25",
                   "--doc-no", "臺教國署高字第1130000000號", "--mapping", mapping, "--db", db)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    batch_id = int(imported.stdout.strip())
    assert "不在學生名冊" in imported.stderr

    progress = tmp_path / "progress.json"
    xlsx = tmp_path / "progress.xlsx"
    shown = run("receipts", "progress", str(batch_id), "--json", progress, "--xlsx", xlsx, "--db", db)
    assert shown.returncode == 0, shown.stderr
    report = json.loads(progress.read_text(encoding="utf-8"))
    assert report["batch"]["period_start"] == "113/10/15" and report["batch"]["doc_no"].startswith("臺教")
    total = {r["category"]: r for r in report["rows"] if r["class"] == "合計"}
    assert total["修課紀錄"]["pending"] == 6 and total["多元表現"]["students"] == 2
    ws = load_workbook(xlsx).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0][:3] == ["班級", "資料類別", "學生數"]
    assert ["301", "修課紀錄", 3] in [v[:3] for v in values]

    missing = run("receipts", "progress", "99", "--json", progress, "--db", db)
    assert missing.returncode == 2 and "找不到收訖明細批次 #99" in missing.stderr
