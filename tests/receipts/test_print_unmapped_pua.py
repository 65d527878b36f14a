"""Printing slips and reminders for a student whose name holds a 造字 not in the 難字對照表: the
problems dialog offers its three choices (map it, print marked, cancel); once mapped it prints."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.services.receipts import import_receipts
from desktop_app.services.receipts.students import import_students
from desktop_app.ui.receipts.tab import ReceiptsTab

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


@pytest.fixture
def pua_tab(qtbot, profile_db, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A batch whose student 陳\ue000志 holds a 造字 not in the 難字對照表; file dialogs answered."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    import_students(profile_db, DATA / "students_cp950.csv")
    today = date.today()
    import_receipts(
        profile_db, DATA / "receipts_style_a.xlsx", name="本批", start=today, end=today + timedelta(days=3)
    )
    widget = ReceiptsTab(profile_db)
    qtbot.addWidget(widget)
    widget.views.setCurrentWidget(widget.progress_view)
    widget.opened = []
    widget.asked = []
    widget.target = tmp_path / "out.pdf"

    def save_name(*_a, **_k):  # type: ignore[no-untyped-def]
        widget.asked.append(True)
        return str(widget.target), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: widget.opened.append(url.toLocalFile()) or True)
    return widget


def answer_problems(button: str, seen: list) -> None:  # type: ignore[type-arg]
    from desktop_app.ui.receipts.print_dialog import PrintProblemsDialog

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PrintProblemsDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(dialog)
        {"pua": dialog.pua_button, "print": dialog.print_button, "cancel": dialog.cancel_button}[button].click()

    QTimer.singleShot(0, act)


def _pdf_text(path: str) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")


def test_slips_with_an_unmapped_pua_offer_the_three_choices(qtbot, pua_tab) -> None:  # type: ignore[no-untyped-def]
    view = pua_tab.progress_view
    seen: list = []  # type: ignore[type-arg]
    answer_problems("cancel", seen)
    view.slips_button.click()
    [dialog] = seen
    assert [p.codepoint for p in dialog.problems] == ["U+E000"] and dialog.problems[0].kind == "造字"
    model = dialog.table.model()
    assert model.data(model.index(0, 0)) == "U+E000"
    assert "陳[U+E000]志" in model.data(model.index(0, 3))  # which student
    assert dialog.pua_button.isEnabled()
    assert pua_tab.asked == [] and not pua_tab.target.exists()  # cancelled: no file asked for, none written

    answer_problems("print", seen)
    view.slips_button.click()
    qtbot.waitUntil(lambda: len(pua_tab.opened) == 1, timeout=20000)
    text = _pdf_text(pua_tab.opened[0])
    assert "陳[U+E000]志" in text and "王小明" in text

    answer_problems("pua", seen)
    view.slips_button.click()
    assert pua_tab.views.currentWidget() is pua_tab.pua_view
    assert pua_tab.pua_view.code_edit.text() == "U+E000" and len(pua_tab.opened) == 1


def test_reminders_with_an_unmapped_pua_print_marked(qtbot, pua_tab) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.receipts.students import set_pua_char

    view = pua_tab.progress_view
    seen: list = []  # type: ignore[type-arg]
    answer_problems("print", seen)
    view.reminders_button.click()
    qtbot.waitUntil(lambda: len(pua_tab.opened) == 1, timeout=20000)
    assert seen[0].windowTitle().endswith("提醒名單")
    assert "陳[U+E000]志" in _pdf_text(pua_tab.opened[0])

    set_pua_char(pua_tab.db, "U+E000", "堃")  # once mapped: no dialog, the real character printed
    pua_tab.target = pua_tab.target.with_name("again.pdf")
    view.reminders_button.click()
    qtbot.waitUntil(lambda: len(pua_tab.opened) == 2, timeout=20000)
    assert len(seen) == 1 and "陳堃志" in _pdf_text(pua_tab.opened[1])
