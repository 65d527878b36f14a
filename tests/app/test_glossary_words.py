"""One glossary: the words every screen, PDF and export uses; no developer words where users read.

Scans the string literals of the UI modules (docstrings and comments are not shown to users) and
the text of the PDFs and xlsx the app writes from the demo database.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import desktop_app
from desktop_app.domain.glossary import (
    DEVELOPER_WORDS,
    date_cell,
    date_prose,
    export_xlsx,
    offset_text,
    status_label,
    term_cell,
    term_prose,
)

UI = Path(desktop_app.__file__).parent / "ui"
# inconsistent words the glossary replaced (export buttons, attachments)
RETIRED_WORDS = ("(xlsx)…", "(PDF)…", "匯出 xlsx…", "Excel（.xlsx）", "新增附件")


def _ui_strings() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    docstrings.add(id(body[0].value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found.append((path.relative_to(UI.parent).as_posix(), node.lineno, node.value))
    return found


def test_glossary_formats() -> None:
    assert term_prose(115, 1) == "115學年度第1學期" and term_cell(115, 1) == "115-1"
    assert date_cell(date(2026, 12, 3)) == "115/12/03" and date_prose(date(2026, 12, 3)) == "115年12月3日"
    assert offset_text("開學日", 0) == "開學日當天" and offset_text("休業式", -3) == "休業式前 3 天"
    assert export_xlsx() == "匯出 Excel…" and export_xlsx("成員名單") == "匯出成員名單 Excel…"
    assert status_label("部分符合") != status_label("不符合")


def test_ui_string_literals_have_no_developer_words() -> None:
    strings = _ui_strings()
    assert len(strings) > 500  # the scan really reads the UI modules
    bad = [
        f"{path}:{line}: {text!r}"
        for path, line, text in strings
        for word in (*DEVELOPER_WORDS, *RETIRED_WORDS)
        if word in text
    ]
    assert not bad, "\n".join(bad)


def test_scan_catches_a_developer_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "ui"
    fake.mkdir()
    (fake / "x.py").write_text('"""SHA-256 in a docstring is fine."""\nLABEL = "SHA-256 " + "x"\n', encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "UI", fake)
    hits = [t for _p, _l, t in _ui_strings() if "SHA-256" in t]
    assert hits == ["SHA-256 "]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every PDF and xlsx the app writes, from the demo database."""
    from desktop_app.demo import build_demo_database
    from desktop_app.demo.core import CURRENT_YEAR
    from desktop_app.exports.audit import write_audit_xlsx
    from desktop_app.exports.calendar_pdf import write_agenda_pdf
    from desktop_app.exports.calendar_xlsx import write_xlsx
    from desktop_app.exports.receipts_progress import write_progress_xlsx
    from desktop_app.exports.reminders import write_reminders
    from desktop_app.exports.slips import write_slips
    from desktop_app.exports.working_group import write_signin_pdf
    from desktop_app.services.audit import list_entries
    from desktop_app.services.calendar.deadlines import deadline_items
    from desktop_app.services.receipts.batches import get_batch, list_batches
    from desktop_app.services.receipts.confirmation import batch_progress, list_student_statuses
    from desktop_app.services.receipts.slips import reminder_lines, slip_batch
    from desktop_app.services.selfcheck import export_fill, find_form, list_fills, load_catalog
    from desktop_app.services.working_group import list_meetings, list_members

    out = tmp_path_factory.mktemp("out")
    db = build_demo_database(out / "demo")
    batch = list_batches(db)[-1]
    files = {
        "slips.pdf": write_slips(out / "slips.pdf", slip_batch(db, batch.id)).path,
        "reminders.pdf": write_reminders(
            out / "rem.pdf", {"all": reminder_lines(db, batch.id)}, batch_title=batch.name
        ).path,
        "calendar.pdf": write_agenda_pdf(deadline_items(db, CURRENT_YEAR), out / "cal.pdf", year=CURRENT_YEAR),
        "calendar.xlsx": write_xlsx(deadline_items(db, CURRENT_YEAR), out / "cal.xlsx"),
        "progress.xlsx": write_progress_xlsx(
            out / "p.xlsx", get_batch(db, batch.id), batch_progress(db, batch.id), "示範",
            students=list_student_statuses(db, batch.id),
        ),
        "audit.xlsx": write_audit_xlsx(out / "audit.xlsx", list_entries(db)),
    }
    meeting = next(m for m in list_meetings(db, CURRENT_YEAR))
    files["signin.pdf"] = write_signin_pdf(
        out / "s.pdf", school_name="示範", meeting=meeting, members=list_members(db, CURRENT_YEAR)
    )
    form = find_form(load_catalog(), None)
    for n, fill in enumerate(list_fills(db)):
        for p in export_fill(db, form, fill.term, xlsx=out / f"sc{n}.xlsx", pdf=out / f"sc{n}.pdf"):
            files[p.name] = p
    db.close()
    return files


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    wb = load_workbook(path)
    return "\n".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )


def test_rendered_pdfs_and_xlsx_have_no_developer_words(outputs: dict[str, Path]) -> None:
    assert {"slips.pdf", "reminders.pdf", "calendar.pdf", "signin.pdf", "audit.xlsx"} <= set(outputs)
    for name, path in outputs.items():
        text = _text(path)
        assert len(text) > 50, name
        for word in DEVELOPER_WORDS:
            assert word not in text, f"{name}: {word}"
    for name in ("slips.pdf", "reminders.pdf"):  # student-facing: 你, never 您
        assert "您" not in _text(outputs[name]) and "你" in _text(outputs[name])


def test_audit_xlsx_raw_columns_have_zh_tw_keys(outputs: dict[str, Path]) -> None:
    ws = load_workbook(outputs["audit.xlsx"]).active
    header = [c.value for c in ws[1]]
    raw = [header.index("修改前（原始資料）"), header.index("修改後（原始資料）")]
    english = set()
    seen = 0

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if re.fullmatch(r"[A-Za-z_]+", key):
                    english.add(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for row in ws.iter_rows(min_row=2, values_only=True):
        for i in raw:
            if row[i]:
                seen += 1
                walk(json.loads(row[i]))
    assert seen > 20 and not english, sorted(english)


def test_working_group_marks_are_the_glossarys() -> None:
    """工作小組's cards said ✔/✘ where 自我檢核 (and the PDFs) say √/╳ for the same facts."""
    from desktop_app.domain.glossary import ICON_BAD, ICON_OK
    from desktop_app.domain.working_group import MEETING_STATE_TEXT

    assert MEETING_STATE_TEXT["held"].startswith(ICON_OK) and MEETING_STATE_TEXT["missing"].startswith(ICON_BAD)
    # (the 回條掃描 page's big banner keeps its own marks)
    texts = [v for f, _l, v in _ui_strings() if not f.endswith("receipts/scan.py")] + list(MEETING_STATE_TEXT.values())
    assert not [t for t in texts if "✔" in t or "✘" in t]
