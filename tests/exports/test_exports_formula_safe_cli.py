"""Every xlsx export writes formula-like text as text and survives control characters (issue 11).

Data comes in through the real import path where there is one (student master → receipts progress;
a roster → pre-check report and annotated copy) and through the services elsewhere (working-group
members, calendar tasks, self-check notes, the audit log). Each export is written by the installed
command in a subprocess, opened with openpyxl, and checked: no cell is a formula, the text is kept,
numbers stay numbers, and control characters are shown as U+FFFD.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.exports.xlsx_safe import append_safe, safe_value, write_cell
from desktop_app.readers import read_workbook
from desktop_app.storage.migrate import open_database

FORMULAS = ['=HYPERLINK("http://x","301")', "=1+1", "+1", "-1", "@SUM(A1)"]
CONTROL = "志\x01工\x07"
SHOWN_CONTROL = "志\ufffd工\ufffd"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def cells(path: Path) -> list:  # type: ignore[type-arg]
    wb = load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def assert_safe(path: Path, expected: list[str]) -> list:  # type: ignore[type-arg]
    found = cells(path)
    formulas = [(c.coordinate, c.value) for c in found if c.data_type == "f"]
    assert formulas == [], f"{path.name}: formulas {formulas}"
    texts = {c.value for c in found if isinstance(c.value, str)}
    joined = "\n".join(texts)
    missing = [e for e in expected if e not in texts and e not in joined]
    assert missing == [], f"{path.name}: text not kept {missing}"
    assert not any(ch in joined for ch in "\x01\x07"), path.name
    for c in found:
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")):
            assert c.data_type == "s" and c.quotePrefix, (path.name, c.coordinate, c.value)
    return found


def test_writer_unit_behaviour(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    append_safe(ws, [*FORMULAS, -1, 2.5, CONTROL, "\tTab", "\rCR"])
    write_cell(ws, 2, 1, "=2+2")
    out = tmp_path / "u.xlsx"
    wb.save(out)
    found = assert_safe(out, [*FORMULAS, SHOWN_CONTROL, "\tTab", "=2+2"])
    numbers = [c.value for c in found if c.data_type == "n"]
    assert numbers == [-1, 2.5]  # genuine numbers stay numbers
    assert safe_value("a\ud800b\uffff") == "a\ufffdb\ufffd"


def test_receipts_progress_from_an_imported_master(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    master = tmp_path / "master.csv"
    lines = ["學號,姓名,身分證號,出生日期,部別,年級,班級,座號,學籍狀態"]
    ids = ["A123456707", "B223456719", "C123456727", "D223456739", "E123456747"]
    for i, (nid, klass) in enumerate(zip(ids, FORMULAS, strict=True), start=1):
        name = CONTROL if i == 1 else f"學生{i}"
        lines.append(f'11000{i},{name},{nid},0920315,日間部,3,"{klass.replace(chr(34), chr(34) * 2)}",{i},在學')
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("students", "import", master, "--db", db)
    assert done.returncode == 0 and "有誤未匯入 0" in done.stdout, done.stdout + done.stderr
    receipts = tmp_path / "receipts.csv"
    rows = ["身分證號,出生日期,姓名,資料類別,學年度,學期,名稱,學分,日期,說明"]
    rows += [f"{nid},0920315,x,修課紀錄,113,1,=1+1,2,," for nid in ids]
    receipts.write_text("\n".join(rows) + "\n", encoding="utf-8")
    imported = run("receipts", "import", receipts, "--name", "=HYPERLINK(1)", "--start", "113/10/15",
                   "--end", "113/10/20", "--db", db)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    batch = imported.stdout.strip()
    xlsx = tmp_path / "progress.xlsx"
    assert run("receipts", "progress", batch, "--json", tmp_path / "p.json", "--xlsx", xlsx, "--db", db).returncode == 0
    found = assert_safe(xlsx, FORMULAS)
    assert any(c.data_type == "n" and c.value == 1 for c in found)  # counts stay numbers


def _roster_with_hostile_text(tmp_path: Path) -> tuple[list[list[str]], str]:
    source = write_demo_roster(tmp_path / "demo.xlsx", errors="first", with_cover=False)
    sheet = read_workbook(source).sheets[0]
    header = sheet.rows[0]
    name_col = next(i for i, h in enumerate(header) if "姓名" in h)
    subject_col = header.index("科目名稱")
    rows = [list(r) for r in sheet.rows]
    for i, row in enumerate(rows[1:], start=0):
        row[name_col] = FORMULAS[i % len(FORMULAS)]
        if i % 7 == 0:
            row[subject_col] = "=1+1" if i % 2 else CONTROL
    return rows, sheet.name


def test_precheck_report_and_annotated_copies(tmp_path: Path) -> None:
    plan = write_demo_plan(tmp_path / "plan.xlsx")
    rows, sheet_name = _roster_with_hostile_text(tmp_path)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text(buffer.getvalue(), encoding="utf-8-sig")
    roster_xlsx = tmp_path / "roster.xlsx"  # the same text as text cells (the in-place copy path)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            write_cell(ws, r, c, value)
    wb.save(roster_xlsx)
    for roster in (roster_csv, roster_xlsx):
        report = tmp_path / f"report_{roster.suffix[1:]}.xlsx"
        annotated = tmp_path / f"annotated_{roster.suffix[1:]}.xlsx"
        done = run("precheck", roster, "--plan", plan, "--year", "114", "--term", "1", "--kind", "pre",
                   "--school-code", "011302", "--report", report, "--annotate", annotated)  # fmt: skip
        assert done.returncode in (0, 1), done.stderr
        assert_safe(annotated, [*FORMULAS, SHOWN_CONTROL])
        assert_safe(report, [FORMULAS[0], "=1+1", "@SUM(A1)", SHOWN_CONTROL])


def test_group_calendar_selfcheck_and_audit_exports(tmp_path: Path) -> None:
    from desktop_app.demo import build_demo_database
    from desktop_app.domain.roc_date import Term
    from desktop_app.exports.audit import write_audit_xlsx
    from desktop_app.services.audit import list_entries
    from desktop_app.services.calendar.tasks import TaskInput, add_task
    from desktop_app.services.selfcheck import AnswerInput, find_form, load_catalog, save_draft
    from desktop_app.services.working_group import MemberInput, add_member, list_members

    db = build_demo_database(tmp_path)
    db_path = tmp_path / "demo.sqlite3"
    year = max(m.year for m in list_members(db, 114)) if list_members(db, 114) else 114
    for i, text in enumerate([*FORMULAS, CONTROL]):
        add_member(db, MemberInput(year=year, seat="其他", name=text, title=f"=職稱{i}", unit="@單位"))
        add_task(db, TaskInput(year=year, work=text, item="+項目", content=f"-內容{i}", owners="=A1", term=1,
                               due_date=date(2025, 10, 1 + i)))  # fmt: skip
    form = find_form(load_catalog(), None)
    item = next(iter(form.items()))
    save_draft(db, form, Term(year, 1), [AnswerInput(item.id, None, note="=HYPERLINK(\"http://x\",\"301\")")])
    audit = write_audit_xlsx(tmp_path / "audit.xlsx", list_entries(db))
    db.close()
    assert_safe(audit, ["=1+1"])

    group = tmp_path / "group.xlsx"
    done = run("group", "export", "--year", str(year), "--xlsx", group, "--db", db_path)
    assert done.returncode in (0, 1), done.stderr
    assert_safe(group, [*FORMULAS, SHOWN_CONTROL, "@單位"])
    calendar = tmp_path / "calendar.xlsx"
    done = run("calendar", "export", "--year", str(year), "--xlsx", calendar, "--db", db_path)
    assert done.returncode == 0, done.stderr
    assert_safe(calendar, [*FORMULAS, SHOWN_CONTROL, "+項目", "=A1"])
    selfcheck = tmp_path / "selfcheck.xlsx"
    done = run("selfcheck", "export", "--term", f"{year}-1", "--xlsx", selfcheck, "--db", db_path)
    assert done.returncode == 0, done.stderr
    assert_safe(selfcheck, ['=HYPERLINK("http://x","301")'])
