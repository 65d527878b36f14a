"""The 收訖明細 tab with qtbot: the scan flow (code + Enter), its three warnings, keys for answers,
the period form, the objection editor, disabled buttons that say why, the read-only mode, and the
whole tab on the demo database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget
from sqlalchemy import select

from desktop_app.domain.receipts import CONFIRMED, DEEMED, ObjectionStatus
from desktop_app.exports.slips_model import slip_code
from desktop_app.services.receipts.confirmation import list_student_statuses, set_confirmation
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.objections import list_objections, open_objection
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.models import SlipReturn
from desktop_app.ui.receipts.tab import ReceiptsTab

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


def scan(qtbot, tab: ReceiptsTab, code: str) -> None:  # type: ignore[no-untyped-def]
    tab.scan_view.scan_edit.setFocus()
    qtbot.keyClicks(tab.scan_view.scan_edit, code)
    qtbot.keyClick(tab.scan_view.scan_edit, Qt.Key.Key_Return)


def test_scan_marks_slip_and_keys_record_answers(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    assert tab.batch_id == 2  # the newest batch is selected
    student = next(s for s in list_student_statuses(batch_db, 2) if s.student_no == "110002")
    scan(qtbot, tab, slip_code(2, student.student_id))
    view = tab.scan_view
    assert "已登記回條" in view.banner.text()
    assert "李美華" in view.student_label.text() and "301" in view.student_label.text()
    assert view.scan_edit.text() == ""
    with batch_db.read() as s:
        assert s.scalars(select(SlipReturn.student_id).where(SlipReturn.batch_id == 2)).all() == [
            student.student_id
        ]
    assert view.category_labels["修課紀錄"].text() == "未確認"
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_F1)  # one key: 修課紀錄 已確認
    assert (
        list_student_statuses(batch_db, 2, student_id=student.student_id)[0].status("修課紀錄") == CONFIRMED
    )
    assert view.category_labels["修課紀錄"].text() == CONFIRMED.label == "已確認"
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_F8)  # all the rest
    assert set(list_student_statuses(batch_db, 2, student_id=student.student_id)[0].statuses.values()) == {
        CONFIRMED
    }
    assert "1 / 6" in view.count_label.text()


def test_scan_warnings(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    view = tab.scan_view
    student_id = list_student_statuses(batch_db, 2)[0].student_id
    scan(qtbot, tab, "4710000000001")
    assert "無法辨識的條碼" in view.banner.text() and view.student_label.text() == ""
    scan(qtbot, tab, slip_code(1, student_id))
    assert "不是這個批次" in view.banner.text() and "另一批" in view.banner.text()
    scan(qtbot, tab, slip_code(2, student_id))
    assert "已登記回條" in view.banner.text()
    scan(qtbot, tab, slip_code(2, student_id))
    assert "已掃描過" in view.banner.text()
    styles = {view.banner.styleSheet()}
    scan(qtbot, tab, "nonsense")
    styles.add(view.banner.styleSheet())
    assert len(styles) == 2  # the duplicate warning looks different from the unknown-code one
    with batch_db.read() as s:
        assert len(s.scalars(select(SlipReturn)).all()) == 1


def test_period_form_refuses_two_days(qtbot, tab) -> None:  # type: ignore[no-untyped-def]
    tab.views.setCurrentWidget(tab.batches_view)
    view = tab.batches_view
    view.start_edit.setDate(date(2024, 10, 15))
    view.end_edit.line.setText("113/10/16")
    qtbot.mouseClick(view.save_period_button, Qt.MouseButton.LeftButton)
    assert "不得少於 3 日" in view.period_message.text()
    view.end_edit.line.setText("113年10月17日")
    qtbot.mouseClick(view.save_period_button, Qt.MouseButton.LeftButton)
    assert view.period_message.text().startswith("已儲存")
    assert "113/10/15–113/10/17" in tab.batch_info.text()


def test_objection_editor_moves_status(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    student_id = list_student_statuses(batch_db, 2)[0].student_id
    opened = open_objection(batch_db, 2, student_id, "修課紀錄", statement="學分應為 3")
    tab.refresh()
    tab.views.setCurrentWidget(tab.objections_view)
    view = tab.objections_view
    assert view.model.rowCount() == 1
    view.table.selectRow(0)
    assert view.office_edit.text() == "教務處註冊組"
    # stored as a code, shown as its label: in the list and in the editor
    row = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert "受理" in row and view.status_combo.currentText() == "受理"
    view.status_combo.setCurrentText("查無誤(已回覆)")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "處理情形" in view.message.text()  # closing needs what was done
    view.action_edit.setPlainText("查核成績系統，學分正確，已回覆學生")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    [closed] = [o for o in list_objections(batch_db, 2) if o.id == opened.id]
    assert closed.status == ObjectionStatus.NO_ERROR and closed.closed_on == date.today()
    assert closed.status.label == "查無誤(已回覆)"
    assert view.model.rowCount() == 0  # the list shows open objections by default


def test_progress_view_shows_status_labels(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    first = list_student_statuses(batch_db, 2)[0]
    set_confirmation(batch_db, 2, first.student_id, "修課紀錄", CONFIRMED)
    tab.refresh()
    tab.views.setCurrentWidget(tab.progress_view)
    model = tab.progress_view.student_model
    shown = {model.index(r, c).data() for r in range(model.rowCount()) for c in range(4, 8)}
    assert {"已確認", "未確認"} <= shown and not shown & {"confirmed", "pending"}
    menu = tab.progress_view.student_menu(model.index(0, 4))
    assert menu is not None and "：已確認" in menu.actions()[0].text()


def test_tab_on_demo_database(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database

    db = build_demo_database(tmp_path)
    try:
        widget = ReceiptsTab(db)
        qtbot.addWidget(widget)
        assert widget.batch_combo.count() == 2
        assert widget.progress_view.progress_model.rowCount() > 4
        assert widget.students_view.model.rowCount() == 32
        assert "陳堃志" in [s.name for s in widget.students_view.model.rows()]
        assert widget.objections_view.model.rowCount() == 1
        assert [e.real_char for e in widget.pua_view.model.rows()] == ["堃"]
        widget.students_view.search.setText("301")
        assert widget.students_view.model.rowCount() == 8
    finally:
        db.close()


def test_print_buttons_write_pdfs_and_open_them(qtbot, tab, batch_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    opened: list[str] = []
    target = {"path": ""}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (target["path"], "PDF (*.pdf)"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tab.views.setCurrentWidget(tab.progress_view)
    view = tab.progress_view
    assert view.slips_button.isEnabled() and view.reminders_button.isEnabled()
    view.class_combo.setCurrentText("301")
    target["path"] = str(tmp_path / "slips.pdf")
    qtbot.mouseClick(view.slips_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=20000)
    text = "".join(page.extract_text() for page in PdfReader(opened[0]).pages)
    assert "王小明" in text and "李美華" in text and "林雅婷" not in text
    target["path"] = str(tmp_path / "reminders.pdf")
    qtbot.mouseClick(view.reminders_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=20000)
    text = "".join(page.extract_text() for page in PdfReader(opened[1]).pages)
    assert "你已完成確認" in text and "陳堃志" in text
    view.export_button.click()  # the xlsx goes to the same patched dialog path
    target["path"] = str(tmp_path / "progress.xlsx")
    view.export_button.click()
    assert opened[-1].endswith("progress.xlsx") and Path(opened[-1]).stat().st_size > 0


def test_import_wizard_mapping_dry_run_and_import(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.receipts.batches import list_batches
    from desktop_app.services.receipts.reading import read_receipt_file
    from desktop_app.ui.receipts.batches import BatchesView, ReceiptImportDialog

    import_students(profile_db, DATA / "students.csv")
    view = BatchesView(profile_db)
    qtbot.addWidget(view)
    dialog = ReceiptImportDialog(profile_db, read_receipt_file(DATA / "receipts_style_b.csv"), view)
    qtbot.addWidget(dialog)
    assert dialog.combos["category"].currentText() == "第 7 欄：項目"
    assert not dialog.import_button.isEnabled()  # nothing before a dry run
    dialog.combos["category"].setCurrentIndex(0)  # the user removes a required field
    dialog.run_dry()
    assert "資料類別" in dialog.dry_label.text() and not dialog.import_button.isEnabled()
    dialog.combos["category"].setCurrentIndex(7)
    dialog.run_dry()
    assert dialog.import_button.isEnabled() and "6 位學生" in dialog.dry_label.text()
    assert dialog.name_edit.text() == "113-1 收訖明細"
    assert list_batches(profile_db) == []  # the dry run wrote nothing
    selected: list[int] = []
    view.batch_selected.connect(selected.append)
    view.run_import(dialog)
    qtbot.waitUntil(lambda: bool(selected), timeout=10000)
    [batch] = list_batches(profile_db)
    assert selected == [batch.id] and batch.file_name == "receipts_style_b.csv"


def test_progress_menu_actions_change_status(qtbot, tab, batch_db) -> None:  # type: ignore[no-untyped-def]
    view = tab.progress_view
    tab.views.setCurrentWidget(view)
    assert view.category_at(4) == "修課紀錄" and view.category_at(3) is None
    first = view.student_model.row_object(0)
    view.set_status(first.student_id, "修課紀錄", CONFIRMED)
    assert view.student_model.row_object(0).status("修課紀錄") == CONFIRMED
    total = next(r for r in view.progress_model.rows() if r.class_name == "合計" and r.category == "修課紀錄")
    assert total.confirmed == 1
    seen: list[tuple[int, str, str]] = []

    def answer_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(
            (
                dialog.student_combo.currentData(),
                dialog.category_combo.currentText(),
                dialog.office_edit.text(),
            )
        )
        dialog.reject()

    QTimer.singleShot(0, answer_dialog)
    view.objection_requested.emit(first.student_id, "修課紀錄")  # the tab opens the objection dialog
    assert seen == [(first.student_id, "修課紀錄", "教務處註冊組")]


def test_student_preview_dialog_and_import_runner(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.receipts.students import list_students, preview_student_import
    from desktop_app.ui.receipts.common import ProgressRunner
    from desktop_app.ui.receipts.students import StudentPreviewDialog, StudentsView

    view = StudentsView(db)
    qtbot.addWidget(view)
    preview = preview_student_import(db, DATA / "students_cp950.csv")
    dialog = StudentPreviewDialog(preview, view)
    qtbot.addWidget(dialog)
    tabs = dialog.findChild(QTabWidget)
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "新增 6", "更新 0", "不在新名冊 0", "有誤不匯入 0", "造字 1",
    ]  # fmt: skip
    done: list[object] = []
    ProgressRunner(view, "匯入學生名冊", lambda report: import_students(db, DATA / "students_cp950.csv", progress=report),
                   done.append, done.append)  # fmt: skip
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    view.refresh()
    assert view.model.rowCount() == 6 == len(list_students(db))
    assert view.model.data(view.model.index(3, 3)).endswith("（含造字）")  # 301 seat 3 holds the 造字


def test_deemed_action_shows_who_then_converts(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.audit import list_entries
    from desktop_app.ui.receipts.batches import BatchesView

    import_students(profile_db, DATA / "students.csv")
    today = date.today()
    batch_id = import_receipts(
        profile_db,
        DATA / "receipts_style_a.xlsx",
        name="過去",
        start=today - timedelta(days=9),
        end=today - timedelta(days=5),
    ).batch_id
    view = BatchesView(profile_db)
    qtbot.addWidget(view)
    view.set_batch(batch_id)
    assert view.deemed_button.isEnabled()
    seen: list[str] = []

    def confirm_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # the final information box
            return
        seen.append(dialog.findChildren(QLabel)[0].text())
        dialog.accept()
        QTimer.singleShot(
            0, lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().accept()
        )

    QTimer.singleShot(0, confirm_preview)
    view.deemed_button.click()
    assert seen and "6 位學生共 10 項" in seen[0]
    assert all(
        v == DEEMED for s in list_student_statuses(profile_db, batch_id) for v in s.statuses.values()
    )
    assert any(e.action == "receipts.deemed" for e in list_entries(profile_db))


def test_a_disabled_button_says_why(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.show()
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
