"""The 開課預檢 tab's views (widgets.py, history.py, style.py) driven through the tab: a new result
starts unfiltered, a card and the code filter agree, a run opens from the history, marks go with colours."""

from __future__ import annotations

from pathlib import Path

from precheck_helpers import record_two_runs
from PySide6.QtCore import Qt

from desktop_app.domain.glossary import ICON_BAD, ICON_OK, ICON_WARN
from desktop_app.services.precheck import runs as svc
from desktop_app.ui.precheck import style
from desktop_app.ui.precheck.tab import PrecheckTab
from desktop_app.ui.precheck.widgets import ALL


def _two_runs(db, tmp_path: Path) -> list[svc.PrecheckRunInfo]:  # type: ignore[no-untyped-def]
    record_two_runs(db, tmp_path)
    return svc.list_runs(db)


def test_a_new_result_starts_with_every_filter_off(qtbot, profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = _two_runs(profile_db, tmp_path)
    tab = PrecheckTab(profile_db)
    qtbot.addWidget(tab)
    tab.show_record(first.id)
    card = next(c for c in tab.cards.cards() if tab.code_filter.findData(c.code) > 0)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert tab.code_filter.currentData() == card.code and card.selected
    tab.search_edit.setText("不會有這個字")
    assert tab.findings_model.rowCount() == 0

    tab.show_record(second.id)
    shown = svc.result_from_run(profile_db, second.id)
    model = tab.findings_model
    assert len(model.visible_findings()) == len(shown.findings) > 0  # no filter of the last result left
    assert tab.code_filter.currentText() == ALL and tab.search_edit.text() == ""
    assert "顯示" not in tab.count_label.text() and f"共 {len(shown.findings):,} 筆" in tab.count_label.text()
    assert not any(card.selected for card in tab.cards.cards())
    assert [c.code for c in tab.cards.cards()] == sorted(shown.counts, key=lambda c: ("FWRPO".find(c[0]), c))


def test_open_a_run_from_the_history(qtbot, profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, _second = _two_runs(profile_db, tmp_path)
    tab = PrecheckTab(profile_db)
    qtbot.addWidget(tab)
    tab.pages.setCurrentIndex(1)
    assert "b.xlsx" in tab.result_label.text()  # the latest run is shown at start
    tab.runs_view.selectRow(1)  # newest first: the older run
    assert f"#{first.id} 是本學期第一次" in tab.diff_label.text()
    qtbot.mouseClick(tab.history.open_run_button, Qt.MouseButton.LeftButton)
    assert tab.pages.currentIndex() == 0 and "a.xlsx" in tab.result_label.text()
    status = tab.runs_model.index(0, tab.runs_model.columnCount() - 1).data()
    assert status == f"{ICON_OK} 完成"


def test_state_colours_come_with_the_glossary_marks() -> None:
    assert style.deadline_html(True, "已於 114/09/10 完成") == f"<span style='color:{style.OK}'>{ICON_OK} 已於 114/09/10 完成</span>"
    assert style.deadline_html(False, "逾期").startswith(f"<span style='color:{style.ERROR}'>{ICON_BAD} ")
    assert style.deadline_html(None, "尚未執行") == f"<span style='color:{style.PENDING}'>{ICON_WARN} 尚未執行</span>"
    assert style.run_status_text(False, "讀不到") == f"{ICON_BAD} 無法檢核：讀不到"
    assert ICON_BAD in style.fatal_html() and style.ERROR in style.fatal_html()
    assert "3px solid #c0392b" in style.card_style("error", True)
    assert "1px solid #b9770e" in style.card_style("warning", False)
