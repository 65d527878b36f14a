"""The 收訖對照 view of the 收訖明細 tab with qtbot: choose a roster, run in the worker, filters by class
and kind, double-click to the student, the flag on the student list, a note on a 未收訖 item, the
xlsx export and the slips printed with the 未收訖 mark."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import reconcile_builders as rb

from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.students import import_students
from desktop_app.ui.receipts.tab import ReceiptsTab


@pytest.fixture
def case(tmp_path: Path) -> rb.Case:
    return rb.mixed_case(tmp_path / "case")


@pytest.fixture
def tab(qtbot, profile_db, case, monkeypatch):  # type: ignore[no-untyped-def]
    import_students(profile_db, case.students_csv)
    import_receipts(profile_db, case.receipts, name="113-1 收訖明細", start="113/10/15", end="113/10/20")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(case.roster)], ""))
    widget = ReceiptsTab(profile_db)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.views.setCurrentWidget(widget.reconcile_view)
    return widget


def _run(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.roster_paths() and view.run_button.isEnabled()
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.result is not None, timeout=20000)


def test_run_filter_and_double_click_to_student(qtbot, tab, case, tmp_path) -> None:  # type: ignore[no-untyped-def]
    view = tab.reconcile_view
    assert "尚未對照" in view.summary.text()
    _run(qtbot, view)
    assert view.result.counts == case.expected
    assert "未收訖 1　多出 1　不一致 3　名冊有、無收訖 2　收訖有、名冊無 1" in view.summary.text()
    assert view.model.rowCount() == sum(case.expected.values())
    view.kind_combo.setCurrentText("未收訖")
    assert view.model.rowCount() == 1 and view.model.row_object(0).title == "數學"
    view.kind_combo.setCurrentIndex(0)
    view.class_combo.setCurrentText("302")
    assert view.model.rowCount() == 3 and {r.class_name for r in view.model.rows()} == {"302"}
    view.class_combo.setCurrentIndex(0)
    view.kind_combo.setCurrentText("不一致")
    assert view.model.rowCount() == 3
    # IDs are masked on screen
    shown = [view.model.index(r, 4).data() for r in range(view.model.rowCount())]
    assert all(s.endswith("****") for s in shown)
    # double-click: the student in 確認進度
    view.kind_combo.setCurrentText("未收訖")
    rect = view.table.visualRect(view.model.index(0, 3))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.views.currentWidget() is tab.progress_view
    table = tab.progress_view.student_table
    (selected,) = table.selectionModel().selectedRows()
    student = tab.progress_view.student_model.row_object(selected.row())
    assert student.name == case.people[0].name
    # the flag on the student list
    flag_column = tab.progress_view.student_model.columnCount() - 1
    assert tab.progress_view.student_model.headerData(flag_column, Qt.Orientation.Horizontal) == "收訖對照"
    assert tab.progress_view.student_model.index(selected.row(), flag_column).data() == "未收訖 1"


def test_note_export_and_marked_slips(qtbot, tab, case, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    view = tab.reconcile_view
    _run(qtbot, view)
    opened: list[str] = []
    target = {"path": str(tmp_path / "對照.xlsx")}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (target["path"], ""))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert opened == [str(Path(target["path"]).resolve())]
    cells = [c.value for row in load_workbook(opened[0])["明細"].iter_rows() for c in row]
    assert all(p.nid not in map(str, cells) for p in case.people)

    # slips: S1 (未收訖) and S5 (no receipt, so no slip) are flagged; print with the mark
    tab.views.setCurrentWidget(tab.progress_view)
    target["path"] = str(tmp_path / "slips.pdf")

    def choose_mark() -> None:
        dialog = getattr(tab.progress_view, "flagged_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, choose_mark)
            return
        assert case.people[0].name in dialog.findChild(type(view.summary)).text()
        dialog.mark_button.click()

    QTimer.singleShot(0, choose_mark)
    qtbot.mouseClick(tab.progress_view.slips_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=30000)
    pages = [page.extract_text() for page in PdfReader(opened[1]).pages]
    marked = [t for t in pages if "請先至註冊組" in t]
    assert len(marked) == 1 and case.people[0].name in marked[0]

    # a note explains the 未收訖 item: the flag goes
    tab.views.setCurrentWidget(view)
    view.kind_combo.setCurrentText("未收訖")
    view.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已於 113/10/16 重新上傳", True))
    qtbot.mouseClick(view.explain_button, Qt.MouseButton.LeftButton)
    assert view.model.row_object(0).note == "已於 113/10/16 重新上傳"
    assert view.result.unexplained == 2  # S5, S7 have no receipt
    view.kind_combo.setCurrentText("未收訖（尚未說明）")
    assert view.model.rowCount() == 2
    view.table.selectAll()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已轉出", True))
    qtbot.mouseClick(view.explain_button, Qt.MouseButton.LeftButton)
    assert view.result.unexplained == 0 and view.model.rowCount() == 0
    tab.progress_view.refresh()
    assert case.people[0].name not in [
        tab.progress_view.student_model.row_object(r).name for r in range(tab.progress_view.student_model.rowCount())
        if tab.progress_view.student_model.row_object(r).student_id in tab.progress_view.reconcile_flags
    ]  # fmt: skip


def test_other_term_roster_shows_message(qtbot, tab, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    other = rb.mixed_case(tmp_path / "other", year=112, term=2)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    view = tab.reconcile_view
    view.add_rosters([str(other.roster)])
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert "不同學期" in shown[0] and "112學年度第2學期" in shown[0]
    assert view.result is None and view.run_button.isEnabled()


def test_screenshot_of_the_view(qtbot, tab, tmp_path) -> None:  # type: ignore[no-untyped-def]
    view = tab.reconcile_view
    _run(qtbot, view)
    out = Path(tmp_path / "reconcile.png")
    assert tab.grab().save(str(out)) and out.stat().st_size > 10_000
