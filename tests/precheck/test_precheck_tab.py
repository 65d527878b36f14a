"""The 開課預檢 tab with qtbot: a real check in the worker, filters (combos that show their text,
the chosen card highlighted), export, history, cancel, masked IDs that follow the setting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from precheck_helpers import record_two_runs
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.domain.precheck.model import Finding
from desktop_app.services.precheck import runs as svc
from desktop_app.ui.precheck.models import COLUMNS, FindingsModel
from desktop_app.ui.precheck.tab import PrecheckTab


@pytest.fixture
def tab(qtbot, profile_db) -> PrecheckTab:
    widget = PrecheckTab(profile_db)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    return widget


def _select(combo, value: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def test_run_filter_and_export(qtbot, tab: PrecheckTab, tmp_path: Path) -> None:
    plan = write_demo_plan(tmp_path / "plan.xlsx")
    roster = write_demo_roster(tmp_path / "roster.xlsx", errors="first")
    before = roster.read_bytes()
    version = tab.import_plan_file(plan)
    assert version is not None and tab.plan_combo.currentData() == version.id
    assert "第1版" in tab.plan_box.path_label.text()
    tab.set_roster(roster)
    with qtbot.waitSignal(tab.run_finished, timeout=30000) as blocker:
        assert tab.start_check()
    outcome = blocker.args[0]
    assert outcome is not None
    result = outcome.result
    assert roster.read_bytes() == before, "the roster is never written"
    model = tab.findings_model
    # by default one line per student and rule, with a count; unticked, one line per finding
    assert model.grouped and tab.group_check.isChecked()
    assert len(model.visible_findings()) == len(result.findings) > 0
    assert sum(len(model.group_at(r)) for r in range(model.rowCount())) == len(result.findings)
    tab.group_check.setChecked(False)
    assert model.rowCount() == len(result.findings) > 0
    assert tab.cards_layout.count() == len(result.counts) + 1  # cards + stretch
    assert tab.patterns_box.isHidden() == (not result.patterns)
    assert tab.offering_model.rowCount() == len(result.offering)
    assert "第1版" in tab.result_label.text()

    code = max(result.counts, key=lambda c: (c not in ("P01", "O01"), result.counts[c]))
    _select(tab.code_filter, code)
    assert model.rowCount() == sum(1 for f in result.findings if f.code == code)
    assert {model.finding_at(i).code for i in range(model.rowCount())} == {code}
    tab.code_filter.setCurrentIndex(0)
    _select(tab.severity_filter, "warning")
    assert model.rowCount() == sum(1 for f in result.findings if f.severity == "warning")
    tab.severity_filter.setCurrentIndex(0)
    named = next(f for f in result.findings if f.student_name)
    tab.search_edit.setText(named.student_name or "")
    assert model.rowCount() == sum(1 for f in result.findings if named.student_name in (f.student_name or ""))
    assert all(
        named.student_name in (model.finding_at(i).student_name or "") for i in range(model.rowCount())
    )
    assert "顯示" in tab.count_label.text()
    tab.search_edit.clear()
    classes = model.distinct("student_class")
    _select(tab.class_filter, classes[0])
    assert all(model.finding_at(i).student_class == classes[0] for i in range(model.rowCount()))
    tab.class_filter.setCurrentIndex(0)

    out = tmp_path / "report.xlsx"
    with qtbot.waitSignal(tab.export_finished, timeout=30000) as exported:
        assert tab.export_report(out)
    assert exported.args == [str(out)]
    wb = load_workbook(out)
    assert wb.sheetnames == ["摘要", "錯誤明細", "相同錯誤樣態", "開課比對"]
    assert wb["錯誤明細"].max_row == len(result.findings) + 1

    annotated = tmp_path / "annotated.xlsx"
    with qtbot.waitSignal(tab.export_finished, timeout=30000):
        assert tab.export_annotated(annotated)
    assert any(c.comment for row in load_workbook(annotated)["學期成績"].iter_rows() for c in row)
    assert roster.read_bytes() == before

    runs = svc.list_runs(tab.db)
    assert len(runs) == 1 and runs[0].sha256 == svc.sha256_file(roster)
    assert tab.runs_model.rowCount() == 1
    qtbot.waitUntil(tab.is_idle, timeout=60000)


def test_history_shows_diff_and_deadline(qtbot, profile_db, tmp_path: Path) -> None:
    record_two_runs(profile_db, tmp_path)
    tab = PrecheckTab(profile_db)
    qtbot.addWidget(tab)
    assert tab.history_term.currentData() == "114-1"
    assert tab.runs_model.rowCount() == 2
    assert "114/09/29" in tab.history_deadline.text() and "完成" in tab.history_deadline.text()
    tab.runs_view.selectRow(0)  # newest first
    diff = svc.diff_run(profile_db, tab.runs_model.row_object(0).id)
    assert "已修正" in tab.diff_label.text() and f"<b>{len(diff.fixed):,}</b>" in tab.diff_label.text()
    assert tab.diff_model.rowCount() == len(diff.remaining)
    _select(tab.diff_combo, "fixed")
    assert tab.diff_model.rowCount() == len(diff.fixed) > 0
    # the latest run is shown on the result page with the plan version it used
    assert "b.xlsx" in tab.result_label.text() and "114學年度 第1版" in tab.result_label.text()


def test_cancel_records_nothing(qtbot, tab: PrecheckTab, tmp_path: Path) -> None:
    tab.import_plan_file(write_demo_plan(tmp_path / "plan.xlsx"))
    tab.set_roster(write_demo_roster(tmp_path / "big.xlsx", errors="first", per_grade=300))
    with qtbot.waitSignal(tab.run_finished, timeout=60000) as blocker:
        assert tab.start_check()
        tab.cancel()
    assert blocker.args == [None]
    assert svc.list_runs(tab.db) == []
    assert tab.run_button.isEnabled()
    qtbot.waitUntil(tab.is_idle, timeout=60000)


def test_findings_model_filters_100k_rows_fast(qtbot) -> None:
    findings = [
        Finding(
            "R08" if i % 3 else "R09", "error" if i % 5 else "warning", "訊息", "學期成績", i + 2, "課程代碼",
            "X", None, "A12345****", f"學生{i % 997}", f"{100 + i % 30}", str(i % 40), "C" * 23,
        )
        for i in range(120_000)
    ]  # fmt: skip
    model = FindingsModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_findings(findings)
    start = time.perf_counter()
    model.set_filter("code", "R09")
    model.set_filter("student_class", "106")
    model.set_search("學生5")
    elapsed = time.perf_counter() - start
    expected = [
        f
        for f in findings
        if f.code == "R09" and f.student_class == "106" and "學生5" in (f.student_name or "")
    ]
    assert model.rowCount() == len(expected) > 0
    assert elapsed < 1.5, elapsed
    model.clear_filters()
    assert model.rowCount() == 120_000
    start = time.perf_counter()
    model.sort([attr for _t, attr in COLUMNS].index("row"), Qt.SortOrder.DescendingOrder)
    view.scrollToBottom()
    assert time.perf_counter() - start < 1.5
    assert model.finding_at(0).row == 120_001


def test_dropping_files_imports_the_plan_and_sets_the_roster(qtbot, tab: PrecheckTab, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    plan = write_demo_plan(tmp_path / "plan.xlsx")
    roster = write_demo_roster(tmp_path / "roster.xlsx", errors="none")
    for box, path in ((tab.plan_box, plan), (tab.roster_box, roster)):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(
            QPointF(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        box.dropEvent(event)
    assert tab.roster_box.path == roster
    versions = svc.list_plan_versions(tab.db)
    assert len(versions) == 1 and tab.plan_combo.currentData() == versions[0].id


def test_unreadable_roster_is_recorded_as_failed(qtbot, tab: PrecheckTab, tmp_path: Path) -> None:
    tab.import_plan_file(write_demo_plan(tmp_path / "plan.xlsx"))
    fake = tmp_path / "名冊.xlsx"
    fake.write_bytes(b"PK\x03\x04 truncated zip")
    tab.set_roster(fake)
    with qtbot.waitSignal(tab.run_finished, timeout=30000) as blocker:
        assert tab.start_check()
    outcome = blocker.args[0]
    assert outcome.result.fatal and outcome.run.status == "failed"
    assert "F01" in outcome.run.counts
    assert "檔案無法檢核" in tab.result_label.text()
    run = svc.list_runs(tab.db)[-1]
    assert run.message and "名冊.xlsx" in run.message
    qtbot.waitUntil(tab.is_idle, timeout=60000)


def test_term_choice_preselects_plan_and_year_mismatch_is_noted(
    qtbot, tab: PrecheckTab, tmp_path: Path
) -> None:
    v113 = tab.import_plan_file(write_demo_plan(tmp_path / "plan113.xlsx", year=113))
    v114 = tab.import_plan_file(write_demo_plan(tmp_path / "plan114.xlsx", year=114))
    assert v113 is not None and v114 is not None
    _select(tab.term_combo, "113-2")
    assert tab.plan_combo.currentData() == v113.id
    _select(tab.term_combo, "114-1")
    assert tab.plan_combo.currentData() == v114.id
    # check a 114 roster with the 113 plan: the result says so
    tab.term_combo.setCurrentIndex(0)  # 依名冊封面
    tab.plan_combo.setCurrentIndex(tab.plan_combo.findData(v113.id))
    tab.set_roster(write_demo_roster(tmp_path / "r.xlsx", errors="none"))
    with qtbot.waitSignal(tab.run_finished, timeout=30000):
        assert tab.start_check()
    assert "113 學年度" in tab.notes_label.text() and tab.notes_label.isVisibleTo(tab)
    qtbot.waitUntil(tab.is_idle, timeout=60000)


def test_precheck_results_follow_a_changed_id_mask(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.services.profile import MASK_PATTERN_KEY, set_setting
    from desktop_app.ui.precheck.models import COLUMNS
    from desktop_app.ui.precheck.tab import PrecheckTab

    demo = build_demo_database()
    try:
        tab = PrecheckTab(demo)
        qtbot.addWidget(tab)
        column = [attr for _title, attr in COLUMNS].index("student_id")
        model = tab.findings_model

        def shown() -> set[str]:
            return {model.index(r, column).data() for r in range(model.rowCount())} - {""}

        before = shown()
        assert before and all(v.endswith("****") and not v.endswith("*******") for v in before)
        set_setting(demo, MASK_PATTERN_KEY, "XXX*******")
        tab.refresh()
        after = shown()
        assert after and all(v[3:] == "*******" for v in after)
    finally:
        demo.close()


def test_precheck_filter_combos_show_all_of_their_text(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.precheck.tab import PrecheckTab

    tab = PrecheckTab(db)
    qtbot.addWidget(tab)
    for combo in (tab.code_filter, tab.severity_filter, tab.sheet_filter, tab.class_filter):
        text = combo.itemText(0)
        assert text == "（全部）"
        assert combo.sizeHint().width() >= combo.fontMetrics().horizontalAdvance(text) + 20, text


def test_the_chosen_filter_card_is_highlighted(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.show()
    tab = demo_window.tab_by_key["precheck"]
    demo_window.show_tab("precheck")
    cards = tab.cards.cards()
    assert len(cards) >= 2
    assert not any(c.selected for c in cards)
    qtbot.mouseClick(cards[1], Qt.MouseButton.LeftButton)
    assert tab.code_filter.currentData() == cards[1].code
    assert [c.selected for c in cards] == [c is cards[1] for c in cards]
    assert "3px" in cards[1].styleSheet() and "3px" not in cards[0].styleSheet()
    tab.code_filter.setCurrentIndex(0)  # （全部）
    assert not any(c.selected for c in cards)
