"""Review 2 (issue 10): the 開課預檢 tab on an independent hand-made 進修部 final roster whose
補考成績 sheet comes first, with full-width sheet names and an empty (缺) form."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "precheck" / "review2"))

import make_review2 as m

from desktop_app.services.profile import get_profile, save_profile
from desktop_app.ui.precheck.tab import PrecheckTab
from desktop_app.ui.precheck.widgets import SummaryCard


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
