"""The 收訖對照 view with the hand-made files of the review (``tests/handmade_reconcile.py``): three
rosters (日間, 進修部, 重修重讀) chosen through the file dialog, run in the worker, the hand-counted
figures on screen, the class and kind filters, the summary without stale sort arrows or empty sheets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import handmade_reconcile as h

from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.students import import_students
from desktop_app.ui.receipts.tab import ReceiptsTab


@pytest.fixture
def tab(qtbot, profile_db, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    rosters = [
        str(h.write_day_roster(tmp_path / "日間.xlsx")),
        str(h.write_continuing_roster(tmp_path / "進修部.xlsx")),
        str(h.write_retake_roster(tmp_path / "重修重讀.xlsx")),
    ]
    import_students(profile_db, h.write_master(tmp_path / "master.csv"))
    receipts, _counts = h.write_coded_receipts(tmp_path / "receipts.csv")
    import_receipts(profile_db, receipts, name="113-1 收訖明細", start="113/10/15", end="113/10/20")
    # the dialog returns the day roster twice (once by another spelling): listed once
    twice = [*rosters, str(tmp_path / "." / "日間.xlsx")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (twice, ""))
    widget = ReceiptsTab(profile_db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.views.setCurrentWidget(widget.reconcile_view)
    return widget


def test_handmade_counts_on_screen(qtbot, tab) -> None:  # type: ignore[no-untyped-def]
    view = tab.reconcile_view
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.roster_list.count() == 3
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.result is not None, timeout=20000)
    assert view.result.counts == {"missing": 6, "extra": 1, "mismatch": 4, "no_receipt": 3, "not_in_roster": 1}
    text = view.summary.text()
    assert "未收訖 6　多出 1　不一致 4　名冊有、無收訖 3　收訖有、名冊無 1" in text
    assert "日間.xlsx（日間，比對 34 列）" in text and "進修部.xlsx（進修部，比對 6 列）" in text
    assert "0 列" not in text and "SHA-256" not in text  # the digest is in the tooltip
    assert view.result.files[0].sha256 in view.summary.toolTip()
    assert view.table.horizontalHeader().sortIndicatorSection() == -1
    assert view.model.headerData(9, Qt.Orientation.Horizontal) == "差異說明"
    view.kind_combo.setCurrentText("未收訖")
    assert view.model.rowCount() == 6
    view.class_combo.setCurrentText("夜301")
    assert [(r.name, r.title) for r in view.model.rows()] == [("蘇進修", "數學")]
    view.class_combo.setCurrentIndex(0)
    view.kind_combo.setCurrentText("未收訖（尚未說明）")
    assert view.model.rowCount() == 6 + 3
    shown = [view.model.index(r, 4).data() for r in range(view.model.rowCount())]
    assert all(s.endswith("****") for s in shown)
