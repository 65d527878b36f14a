"""收訖明細 tab gaps with qtbot: deleting a batch from 收訖批次 (confirmation dialog, backup first)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.services.receipts.batches import batch_contents, list_batches
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.backup import list_backups
from desktop_app.ui.receipts.tab import ReceiptsTab

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


@pytest.fixture
def batch_db(profile_db):  # type: ignore[no-untyped-def]
    import_students(profile_db, DATA / "students.csv")
    today = date.today()
    for name in ("正確批次", "誤匯入批次"):
        import_receipts(
            profile_db,
            DATA / "receipts_style_a.xlsx",
            name=name,
            start=today - timedelta(days=1),
            end=today + timedelta(days=3),
        )
    return profile_db


@pytest.fixture
def tab(qtbot, batch_db):  # type: ignore[no-untyped-def]
    widget = ReceiptsTab(batch_db)
    qtbot.addWidget(widget)
    widget.views.setCurrentWidget(widget.batches_view)
    return widget


def answer_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the next message box, after noting its text."""

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, act)


def test_delete_batch_button_asks_with_counts_backs_up_and_deletes(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    assert tab.batch_id == 2
    contents = batch_contents(batch_db, 2)
    view = tab.batches_view
    assert view.delete_button.isEnabled()

    seen: list[str] = []
    answer_box("取消", seen)
    view.delete_button.click()
    assert [b.id for b in list_batches(batch_db)] == [1, 2]  # cancelled: nothing removed
    assert "誤匯入批次" in seen[0] and f"收訖明細 {contents.items} 筆" in seen[0]
    assert f"確認狀態 {contents.confirmations} 筆" in seen[0] and "備份" in seen[0]
    assert list_backups(batch_db.path) == []

    answer_box("刪除批次", seen)
    view.delete_button.click()
    assert [b.id for b in list_batches(batch_db)] == [1]
    assert [b.name for b in list_backups(batch_db.path) if b.name.endswith("before-delete-batch.sqlite3")]
    # the tab moved to the batch that is left, in the combo and in the list
    assert tab.batch_id == 1 and tab.batch_combo.count() == 1
    assert view.model.rowCount() == 1 and "已刪除批次「誤匯入批次」" in view.period_message.text()


def test_student_preview_dialog_reports_padded_student_numbers(qtbot, tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from desktop_app.domain.national_id import make_valid_id
    from desktop_app.services.receipts.students import preview_student_import
    from desktop_app.ui.receipts.students import StudentPreviewDialog

    wb = Workbook()
    ws = wb.active
    ws.append(["學號", "姓名", "身分證號", "班級", "座號"])
    for i, no in enumerate(["012301", 12302, "012303"]):
        ws.append([no, f"學生{i}", make_valid_id(f"C1234{i:04d}"), "301", i + 1])
    wb.save(tmp_path / "名冊.xlsx")
    dialog = StudentPreviewDialog(preview_student_import(db, tmp_path / "名冊.xlsx"))
    qtbot.addWidget(dialog)
    assert "學號補回開頭的 0：1 位" in dialog.summary.text()


def test_read_only_database_disables_the_buttons_that_change_data(qtbot, batch_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.db import Database
    from desktop_app.ui.common.read_only import READ_ONLY_TOOLTIP

    second = Database(batch_db.path)  # the fixture's database holds the lock: this one is read-only
    try:
        assert second.read_only
        tab = ReceiptsTab(second)
        qtbot.addWidget(tab)
        locked = tab.writable_widgets()
        names = {w.text() for w in locked if hasattr(w, "text") and w.text()}
        assert {"匯入學生名冊…", "匯入收訖明細…", "刪除批次…", "儲存確認期間", "登記疑義…", "儲存對照"} <= names
        assert tab.scan_view.scan_edit in locked
        assert "唯讀" in tab.scan_view.banner.text()
        assert all(not w.isEnabled() and w.toolTip() == READ_ONLY_TOOLTIP for w in locked)
        # picking another batch (which re-enables the period form) keeps them locked
        tab.batch_combo.setCurrentIndex(0)
        assert tab.batch_id == 1
        assert not tab.batches_view.save_period_button.isEnabled()
        assert not tab.batches_view.delete_button.isEnabled()
        # printing and exporting change nothing: still available
        assert tab.progress_view.export_button.isEnabled() and tab.progress_view.slips_button.isEnabled()
        # the student table's menu offers the answers disabled
        view = tab.progress_view
        menu = view.student_menu(view.student_model.index(0, 4))
        assert menu is not None
        actions = [a for a in menu.actions() if a.text() in ("登記已確認", "改回未確認", "登記疑義…")]
        assert len(actions) == 3 and not any(a.isEnabled() for a in actions)
    finally:
        second.close()


def test_writable_database_keeps_the_buttons(qtbot, tab) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.common.read_only import READ_ONLY_TOOLTIP

    assert tab.batches_view.delete_button.isEnabled() and tab.scan_view.scan_edit.isEnabled()
    assert all(w.toolTip() != READ_ONLY_TOOLTIP for w in tab.writable_widgets())


def test_working_group_tab_read_only(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.db import Database
    from desktop_app.ui.common.read_only import READ_ONLY_TOOLTIP
    from desktop_app.ui.working_group.tab import WorkingGroupTab

    writable = WorkingGroupTab(db)
    qtbot.addWidget(writable)
    assert len(writable.edit_buttons) == 9 and all(b.isEnabled() for b in writable.writable_widgets())
    second = Database(db.path)
    try:
        tab = WorkingGroupTab(second)
        qtbot.addWidget(tab)
        texts = sorted(b.text() for b in tab.writable_widgets())
        assert texts == sorted(
            ["複製上學年度成員", "新增成員…", "新增會議…", "新增版本…", *["修改…"] * 3, *["刪除"] * 3]
        )
        assert all(not b.isEnabled() and b.toolTip() == READ_ONLY_TOOLTIP for b in tab.writable_widgets())
        tab.year.setValue(tab.year.value() + 1)  # a refresh keeps them locked
        assert not tab.copy_button.isEnabled()
        assert tab.export_xlsx_button.isEnabled()  # an export changes nothing
    finally:
        second.close()


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
