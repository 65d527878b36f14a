"""The 自我檢核 tab with qtbot: open the demo 學期's form, accept a suggestion, finalise, export;
部分符合 counted apart, the item column at 1024 px, the form filler's default name."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.demo import build_demo_database
from desktop_app.demo.selfcheck import demo_term
from desktop_app.domain.roc_date import format_roc
from desktop_app.domain.selfcheck import AnswerType
from desktop_app.storage.db import Database
from desktop_app.ui.selfcheck.tab import SelfCheckTab


@pytest.fixture
def demo_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path / "demo")
    yield db
    db.close()


def _answer_cell(tab: SelfCheckTab, item_id: str) -> str:
    for row, r in enumerate(tab.model.rows()):
        if r.state is not None and r.state.item.id == item_id:
            return tab.model.index(row, 4).data()
    raise KeyError(item_id)


def test_open_accept_finalise_export(qtbot, demo_db: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab = SelfCheckTab(demo_db)
    qtbot.addWidget(tab)
    tab.show()
    term = demo_term()
    assert tab.current_term() == term
    assert tab.view is not None and tab.view.status == "draft"
    assert "草稿" in tab.status_label.text()

    # live evidence: the demo's working group holds; accept its suggestion for 1.3
    state = tab.view.state("1.3")
    assert state.finding is not None and state.finding.status == "holds"
    tab.select_item("1.3")
    tab.detail.choice.setCurrentIndex(0)  # clear the demo's answer, then accept the suggestion
    assert _answer_cell(tab, "1.3") == ""
    qtbot.mouseClick(tab.detail.accept_button, Qt.MouseButton.LeftButton)
    assert tab.edits["1.3"].answer == "符合"
    assert _answer_cell(tab, "1.3") == "符合"
    assert tab.dirty and "未儲存" in tab.status_label.text()

    # an override without a note is refused on save; with a note it is kept
    tab.select_item("1.1")
    tab.detail.choice.setCurrentIndex(tab.detail.choice.findText("部分符合"))
    assert "理由" in tab.detail.note_hint.text()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert warnings and "第 1.1 項" in warnings[-1] and "備註" in warnings[-1]
    tab.detail.note.setPlainText("校長公出期間由教務主任代理召集")
    assert tab.detail.note_hint.text() == ""
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.dirty
    assert tab.view.state("1.1").answer == "部分符合" and tab.view.state("1.1").is_override

    # answer the rest through the widgets, then finalise
    qtbot.mouseClick(tab.accept_all_button, Qt.MouseButton.LeftButton)
    for s in tab.view.items:
        if s.item.required and tab.edits[s.item.id].answer in (None, ""):
            tab.select_item(s.item.id)
            assert s.item.answer_type in (AnswerType.RATING, AnswerType.YES_NO)
            tab.detail.choice.setCurrentIndex(1)
    tab.select_item("1.4")
    meeting_day = format_roc(term.start + timedelta(days=40))
    tab.detail.date_edit.line.setText(meeting_day)
    tab.detail.date_edit.line.editingFinished.emit()
    tab.select_item("2.3")
    tab.detail.add_attachment(str(tmp_path / "公告截圖.png"))
    assert tab.edits["2.3"].attachments == (str(tmp_path / "公告截圖.png"),)
    tab.person.setText("陳怡君")
    qtbot.mouseClick(tab.finalise_button, Qt.MouseButton.LeftButton)
    assert tab.view.read_only, warnings
    assert "已定稿" in tab.status_label.text() and "陳怡君" in tab.status_label.text()
    assert _answer_cell(tab, "1.4") == meeting_day
    assert tab.view.state("2.3").attachments == (str(tmp_path / "公告截圖.png"),)
    assert tab.view.finalised_by == "陳怡君"
    assert not tab.save_button.isEnabled() and not tab.finalise_button.isEnabled()
    tab.select_item("1.2")
    assert not tab.detail.choice.isEnabled() and not tab.detail.accept_button.isEnabled()

    # exports through the buttons (file dialogs answered)
    for kind, button in (("xlsx", tab.xlsx_button), ("pdf", tab.pdf_button)):
        target = tmp_path / f"out.{kind}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert target.exists(), warnings
    text = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "out.pdf")).pages).replace(" ", "")
    assert "已定稿" in text and "校長公出期間由教務主任代理召集" in text and term.title in text
    assert "公告截圖.png" in text

    # compare with the previous 學期 (the demo finalised it)
    qtbot.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)
    dialog = tab.compare_dialog
    assert dialog is not None and dialog.isVisible()
    assert term.previous().title in dialog.summary.text()
    changed = [c.item_id for c in dialog.model.rows()]
    assert "1.1" in changed
    dialog.close()


def test_evidence_link_switches_tab(qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    tab = window.tab_by_key["selfcheck"]
    assert isinstance(tab, SelfCheckTab)
    window.show_tab("selfcheck")
    tab.select_item("1.2")
    assert tab.detail.link_buttons
    with qtbot.waitSignal(tab.navigate) as blocker:
        qtbot.mouseClick(tab.detail.link_buttons[0], Qt.MouseButton.LeftButton)
    assert blocker.args == ["working_group", ("members", demo_term().year)]
    assert window.tabs.currentWidget() is window.tab_by_key["working_group"]


def test_bad_form_file_is_shown_and_other_forms_load(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    forms = tmp_path / "forms"
    forms.mkdir()
    data = Path(__file__).resolve().parent.parent / "data" / "selfcheck"
    (forms / "good.yaml").write_bytes((data / "good_small.yaml").read_bytes())
    (forms / "broken.yaml").write_bytes((data / "bad_answer_type.yaml").read_bytes())
    tab = SelfCheckTab(db, forms_dir=forms)
    qtbot.addWidget(tab)
    assert tab.form_combo.count() == 1
    assert "broken.yaml 第 14 行" in tab.errors_label.text()
    assert tab.view is not None and tab.view.status == "new"


def test_selfcheck_counts_partial_apart(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.selfcheck.tab import SelfCheckTab

    demo = build_demo_database()
    try:
        tab = SelfCheckTab(demo)
        qtbot.addWidget(tab)
        text = tab.counts_label.text()
        assert re.search(r"符合 \d+、部分符合 \d+、不符合 \d+、尚無資料 \d+", text), text
    finally:
        demo.close()


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


def test_selfcheck_item_column_keeps_room_at_1024(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.main_window import MainWindow

    db = build_demo_database(tmp_path / "demo")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    window.show_tab("selfcheck")
    tab = window.tab_by_key["selfcheck"]
    qtbot.waitUntil(lambda: tab.table.columnWidth(1) > 0)
    char = tab.table.fontMetrics().horizontalAdvance("檢")
    assert tab.table.columnWidth(1) >= 12 * char, (tab.table.columnWidth(1), char)
    texts = {tab.model.index(r, 2).data() for r in range(tab.model.rowCount())}
    assert {"√ 符合", "△ 部分符合", "╳ 不符合"} <= texts  # evidence by icon + word
    db.close()
