"""學號 that lost leading zeros in xlsx number cells get them back (and the preview says how many);
text cells are never padded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from desktop_app.domain.national_id import make_valid_id
from desktop_app.services.audit import list_entries
from desktop_app.services.receipts.students import (
    import_students,
    list_students,
    preview_student_import,
    student_no_padding,
)

HEADERS = ["學號", "姓名", "身分證號", "班級", "座號"]


def _roster(path: Path, rows: list[tuple[object, str, int]]) -> Path:
    """A hand-made xlsx: 學號 cells typed as given (int → number cell, str → text cell)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "學生名冊"
    ws.append(HEADERS)
    for i, (no, name, seat) in enumerate(rows):
        ws.append([no, name, make_valid_id(f"A1234{i:04d}"), "301", seat])
    wb.save(path)
    return path


ROWS = [
    ("012301", "王小明", 1),  # text cell: kept as is
    (12302, "李美華", 2),  # number cell that lost its leading zero → 012302
    (12303, "陳志強", 3),  # idem
    ("012304", "林怡君", 4),
    ("012305", "張家豪", 5),
    (112306, "黃俊傑", 6),  # a number cell already of the column's length: unchanged
    ("0123", "蔡宗翰", 7),  # a short text cell: never padded
]


def test_numeric_student_no_cells_are_padded_and_reported(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    path = _roster(tmp_path / "名冊.xlsx", ROWS)
    preview = preview_student_import(db, path)
    by_name = {r.name: r.student_no for r in preview.added}
    assert by_name == {
        "王小明": "012301",
        "李美華": "012302",
        "陳志強": "012303",
        "林怡君": "012304",
        "張家豪": "012305",
        "黃俊傑": "112306",
        "蔡宗翰": "0123",
    }
    assert preview.student_no_padded == 2
    assert preview.as_json()["student_no_padded"] == 2

    import_students(db, path)
    entry = list_entries(db, entity="student", limit=1)[0]
    assert json.loads(entry.after or "{}")["student_no_padded"] == 2
    assert {s.name: s.student_no for s in list_students(db)}["李美華"] == "012302"
    again = preview_student_import(db, path)  # the same file again: nothing looks changed
    assert (len(again.added), len(again.changed), again.unchanged) == (0, 0, 7)


def test_text_only_columns_are_never_padded(tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    rows = [(str(no), name, seat) for no, name, seat in ROWS]  # every 學號 a text cell
    preview = preview_student_import(db, _roster(tmp_path / "文字.xlsx", rows))
    assert preview.student_no_padded == 0
    assert {r.name: r.student_no for r in preview.added}["李美華"] == "12302"
    csv = tmp_path / "名冊.csv"
    lines = ["學號,姓名,身分證號,班級,座號"] + [
        f"{no},{name},{make_valid_id(f'B1234{i:04d}')},301,{i + 1}"
        for i, (no, name) in enumerate([("012301", "王小明"), ("12302", "李美華"), ("012303", "陳志強")])
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert preview_student_import(db, csv).student_no_padded == 0


def test_padding_rule() -> None:
    target, pad = student_no_padding([("012301", False), ("12302", True), ("", True), ("012303", False)])
    assert (target, pad) == (6, {1})
    # every 學號 a number of the same length: nothing to compare with, nothing padded
    assert student_no_padding([("12301", True), ("12302", True)]) == (5, set())
    # a tie between lengths goes to the longer one; a non-digit number text is left alone
    assert student_no_padding([("1234", True), ("012345", False), ("1.5", True)]) == (6, {0})


def test_cli_json_reports_padding(tmp_path: Path) -> None:
    path = _roster(tmp_path / "名冊.xlsx", ROWS)
    out = tmp_path / "out.json"
    from desktop_app.storage.migrate import open_database

    open_database(tmp_path / "cli.sqlite3").close()  # --db never creates a database silently
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app", "students", "import", str(path), "--json", str(out),
         "--db", str(tmp_path / "cli.sqlite3")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["added"] == 7 and data["student_no_padded"] == 2
    assert "學號補回開頭的 0：2 位" in done.stdout


def test_student_preview_dialog_reports_padded_student_numbers(qtbot, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from desktop_app.domain.national_id import make_valid_id
    from desktop_app.services.receipts.students import preview_student_import
    from desktop_app.ui.receipts.students import StudentPreviewDialog

    wb = Workbook()
    ws = wb.active
    ws.append(["學號", "姓名", "身分證號", "班級", "座號"])
    for i, no in enumerate(["012301", 12302, "012303"]):
        ws.append([no, f"學生{i}", make_valid_id(f"C1234{i:04d}"), "301", i + 1])
    wb.save(tmp_path / "名冊.xlsx")
    dialog = StudentPreviewDialog(preview_student_import(db, tmp_path / "名冊.xlsx"))
    qtbot.addWidget(dialog)
    assert "學號補回開頭的 0：1 位" in dialog.summary.text()
