"""Issue 12 (7): small things a clerk notices: the chosen filter card stands out, a disabled
button says why, a PDF that cannot be opened is reported with its path."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from desktop_app.demo import build_demo_database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.precheck.widgets import SummaryCard


@pytest.fixture
def demo_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path / "demo")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.db.close()


def test_the_chosen_filter_card_is_highlighted(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    tab = demo_window.tab_by_key["precheck"]
    demo_window.show_tab("precheck")
    cards = tab._cards_holder.findChildren(SummaryCard)
    assert len(cards) >= 2
    assert not any(c.selected for c in cards)
    qtbot.mouseClick(cards[1], Qt.MouseButton.LeftButton)
    assert tab.code_filter.currentData() == cards[1].code
    assert [c.selected for c in cards] == [c is cards[1] for c in cards]
    assert "3px" in cards[1].styleSheet() and "3px" not in cards[0].styleSheet()
    tab.code_filter.setCurrentIndex(0)  # （全部）
    assert not any(c.selected for c in cards)


def test_a_saved_pdf_that_cannot_be_opened_is_reported_with_its_path(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "確認單.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    assert file_dialogs.open_saved_file(None, pdf) is False
    assert messages and str(pdf.resolve()) in messages[0] and "無法自動開啟" in messages[0]


def test_a_disabled_button_says_why(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    receipts = demo_window.tab_by_key["receipts"]
    demo_window.show_tab("receipts")
    scan = receipts.scan_view
    receipts.views.setCurrentWidget(scan)
    assert not scan.all_button.isEnabled()
    assert "請先掃描回條" in scan.all_button.toolTip()
    assert all("請先掃描回條" in b.toolTip() for b in scan.confirm_buttons.values())
    objections = receipts.objections_view
    objections.table.clearSelection()
    objections._selected()
    assert not objections.save_button.isEnabled()
    assert "請先在上方清單選擇" in objections.save_button.toolTip()


def test_form_filler_defaults_to_the_last_name_used_not_the_os_account(qtbot, profile_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.selfcheck.tab import SelfCheckTab

    monkeypatch.setenv("USERNAME", "admin01")
    monkeypatch.setenv("USER", "admin01")
    tab = SelfCheckTab(profile_db)
    qtbot.addWidget(tab)
    assert tab.person.text() == "" and tab.person.placeholderText() == "填表人姓名"
    tab.person.setText("陳怡君")
    assert tab.save()
    again = SelfCheckTab(profile_db)
    qtbot.addWidget(again)
    assert again.person.text() == "陳怡君"


def test_evidence_lists_the_error_codes_not_the_warnings(tmp_path: Path) -> None:
    from desktop_app.domain.precheck.rules import RULES
    from desktop_app.domain.roc_date import term_of
    from desktop_app.services import precheck as svc
    from desktop_app.services.selfcheck_evidence import check_precheck_latest_clean

    db = build_demo_database(tmp_path / "demo")
    try:
        latest = svc.list_runs(db)[-1]
        finding = check_precheck_latest_clean(db, term_of(latest.run_at.date()), latest.run_at.date())
        assert f"仍有 {latest.error_count} 筆錯誤" in finding.summary
        listed = [line.split("：")[0] for line in finding.details]
        assert listed and all(RULES[code].severity == "error" for code in listed)
        errors = {c: n for c, n in latest.counts.items() if RULES[c].severity == "error"}
        assert sum(errors.values()) == latest.error_count
        assert set(listed) == set(errors)  # O01/W01 (warnings) are not listed as errors
    finally:
        db.close()


def test_the_demo_slips_of_each_term_list_items_of_that_term(tmp_path: Path) -> None:
    from desktop_app.domain.roc_date import Term, parse_roc_date
    from desktop_app.services.receipts.batches import list_batches
    from desktop_app.services.receipts.slips import slip_batch

    db = build_demo_database(tmp_path / "demo")
    try:
        for batch in list_batches(db):
            term = Term.parse(batch.name.split()[0])  # 「114-2 收訖明細」
            dated = [
                item.date
                for student in slip_batch(db, batch.id).students
                for category in student.categories
                for item in category.items
                if item.date
            ]
            assert dated, batch.name
            outside = [d for d in dated if not term.contains(parse_roc_date(d))]
            assert outside == [], (batch.name, outside[:3])
    finally:
        db.close()
