"""The 開課預檢 tab on 進修部 final rosters: its sheets (補考成績 …) and the new codes show and filter,
also on a hand-made roster (``make_roster_kinds.py``) whose 補考成績 sheet comes first, with
full-width sheet names and an empty (缺) form."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "precheck" / "roster_kinds"))

import make_roster_kinds as m
import precheck_layouts as L
import pytest
from test_precheck_layouts import _cont_final_errors

from desktop_app.demo.precheck_samples import plan_rows, write_xlsx
from desktop_app.services.profile import get_profile, save_profile
from desktop_app.ui.precheck.tab import PrecheckTab
from desktop_app.ui.precheck.widgets import SummaryCard


@pytest.fixture
def tab(qtbot, profile_db) -> PrecheckTab:  # type: ignore[no-untyped-def]
    widget = PrecheckTab(profile_db)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    return widget


def test_continuing_final_roster_sheets_and_codes_in_the_tab(qtbot, tab: PrecheckTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = write_xlsx(tmp_path / "plan.xlsx", {"課程計畫": plan_rows(L.PLAN)})
    sheets = _cont_final_errors()
    sheets["學期成績"][1][3].update({"學期學業成績": -1, "成績及格": 1})  # W03
    roster = L.write(tmp_path / "進修部成績名冊.xlsx", sheets)
    before = roster.read_bytes()
    assert tab.import_plan_file(plan) is not None
    tab.set_roster(roster)
    with qtbot.waitSignal(tab.run_finished, timeout=30000) as blocker:
        assert tab.start_check()
    result = blocker.args[0].result
    assert result.division == "continuing" and result.counts == {
        "R10": 1,
        "R11": 1,
        "R15": 1,
        "R16": 2,
        "W03": 1,
    }
    assert roster.read_bytes() == before
    cards = [tab.cards_layout.itemAt(i).widget() for i in range(tab.cards_layout.count())]
    codes = [c.code for c in cards if isinstance(c, SummaryCard)]  # type: ignore[attr-defined]
    assert codes == ["W03", "R10", "R11", "R15", "R16"]
    assert "補考成績" in tab.result_label.text()
    index = tab.sheet_filter.findData("補考成績")
    assert index >= 0 and tab.sheet_filter.findData("學期成績") >= 0
    tab.sheet_filter.setCurrentIndex(index)
    model = tab.findings_model
    # 依學生彙整 (on by default) folds one student's rows of one rule into one line
    assert tab.group_check.isChecked() and model.rowCount() == 3
    tab.group_check.setChecked(False)
    assert model.rowCount() == 4
    assert {model.finding_at(i).code for i in range(model.rowCount())} == {"R10", "R11", "R16"}
    qtbot.waitUntil(tab.is_idle, timeout=60000)


def test_tab_checks_the_odd_continuing_roster(qtbot, profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = get_profile(profile_db)
    assert profile is not None
    save_profile(profile_db, dataclasses.replace(profile, school_code=m.SCHOOL))
    m.write_plans(tmp_path)
    roster, expected = m.cont_odd_layout(tmp_path)
    before = roster.read_bytes()
    tab = PrecheckTab(profile_db)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    assert tab.import_plan_file(tmp_path / m.plan_file("cont_odd_layout")) is not None
    tab.set_roster(roster)
    with qtbot.waitSignal(tab.run_finished, timeout=30000) as blocker:
        assert tab.start_check()
    result = blocker.args[0].result
    assert (result.kind, result.division) == ("final", "continuing")
    assert result.counts == expected and roster.read_bytes() == before
    cards = [tab.cards_layout.itemAt(i).widget() for i in range(tab.cards_layout.count())]
    assert sorted(c.code for c in cards if isinstance(c, SummaryCard)) == sorted(expected)  # type: ignore[attr-defined]
    index = tab.sheet_filter.findData("補考成績 ")  # the sheet's own name, trailing space and all
    assert index >= 0, [tab.sheet_filter.itemData(i) for i in range(tab.sheet_filter.count())]
    tab.sheet_filter.setCurrentIndex(index)
    codes = sorted(tab.findings_model.finding_at(i).code for i in range(tab.findings_model.rowCount()))
    assert codes == ["R11", "R15", "R16"]
    qtbot.waitUntil(tab.is_idle, timeout=60000)
