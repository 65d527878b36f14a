"""`desktop-app receipts reconcile` run as the installed command in a subprocess: exit 0/1/2, the JSON
(counts keyed missing, extra, mismatch, no_receipt, not_in_roster, then the rows), the xlsx, masked IDs,
the roster untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import reconcile_builders as rb

from desktop_app.storage.migrate import open_database


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("desktop-app")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "desktop_app"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=180, env=env)


def _import(tmp: Path, case: rb.Case, db: Path) -> str:
    done = run("students", "import", case.students_csv, "--db", db)
    assert done.returncode == 0, done.stderr
    done = run("receipts", "import", case.receipts, "--name", "113-1", "--start", "113/10/15", "--end", "113/10/20",
               "--db", db)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_reconcile_command_exit_codes_json_and_xlsx(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    case = rb.mixed_case(tmp_path / "case")
    batch = _import(tmp_path, case, db)
    digest = hashlib.sha256(case.roster.read_bytes()).hexdigest()
    out_json, out_xlsx = tmp_path / "r.json", tmp_path / "r.xlsx"
    done = run("receipts", "reconcile", batch, "--roster", case.roster, "--json", out_json, "--xlsx", out_xlsx,
               "--db", db)  # fmt: skip
    assert done.returncode == 1, done.stderr  # differences found
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert list(data)[:2] == ["counts", "rows"]
    assert list(data["counts"]) == ["missing", "extra", "mismatch", "no_receipt", "not_in_roster"]
    assert data["counts"] == case.expected
    assert len(data["rows"]) == sum(case.expected.values())
    assert data["rosters"][0]["sha256"] == digest == hashlib.sha256(case.roster.read_bytes()).hexdigest()
    assert "未收訖 1；多出 1；不一致 3；名冊有、無收訖 2；收訖有、名冊無 1" in done.stdout
    text = out_json.read_text(encoding="utf-8") + done.stdout + done.stderr
    cells = "\n".join(
        str(c.value) for ws in load_workbook(out_xlsx).worksheets for row in ws.iter_rows() for c in row
    )
    for p in case.people:
        assert p.nid not in text and p.nid not in cells

    # a roster that matches the receipts exactly: exit 0
    people = rb.students(1, start=1)
    (a,) = people
    clean = rb.write_roster_xlsx(tmp_path / "clean.xlsx", rb.Roster(113, 1, term_rows=[(a, rb.COURSES[0])]))
    receipts = rb.write_receipts_xlsx(
        tmp_path / "clean_r.xlsx", [rb.ReceiptRow(a, "113", "1", "國語文", "4", rb.code(1), "81")],
        with_code=True, with_score=True,
    )  # fmt: skip
    db2 = tmp_path / "clean.sqlite3"
    open_database(db2, backup=None).close()  # --db never creates a database
    batch2 = _import(tmp_path, rb.Case(rb.write_students_csv(tmp_path / "s.csv", people), receipts, clean, people,
                                       {}), db2)  # fmt: skip
    ok = run("receipts", "reconcile", batch2, "--roster", clean, "--json", out_json, "--db", db2)
    assert ok.returncode == 0, ok.stderr + ok.stdout
    assert json.loads(out_json.read_text(encoding="utf-8"))["counts"] == dict.fromkeys(data["counts"], 0)

    # bad files: exit 2 with a message; the JSON says why
    other = rb.mixed_case(tmp_path / "other", year=112, term=2)
    bad = run("receipts", "reconcile", batch, "--roster", other.roster, "--json", out_json, "--db", db)
    assert bad.returncode == 2 and "不同學期" in bad.stderr and "Traceback" not in bad.stderr
    assert "不同學期" in json.loads(out_json.read_text(encoding="utf-8"))["error"]
    missing = run("receipts", "reconcile", batch, "--roster", tmp_path / "none.xlsx", "--db", db)
    assert missing.returncode == 2 and "找不到名冊檔案" in missing.stderr
    not_roster = run("receipts", "reconcile", batch, "--roster", case.receipts, "--db", db)
    assert not_roster.returncode == 2 and "不是修課紀錄／成績名冊" in not_roster.stderr
