"""設定 → 及格標準… and the 開課預檢 tab's button: import with preview, refusal, edit, save (qtbot)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from desktop_app.domain.national_id import make_valid_id
from desktop_app.services.audit import list_entries
from desktop_app.services.precheck.pass_marks import get_pass_mark_settings
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.models import StudentPassMark
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.precheck.pass_marks_dialog import PassMarksDialog

STUDENTS = Path(__file__).resolve().parents[1] / "data" / "receipts" / "students.csv"
ID_WANG = make_valid_id("A12345670")  # 110001 王小明 301
ID_LI = make_valid_id("B22345671")  # 110002 李美華 301
ID_LIN = make_valid_id("D22345673")  # 110004 林雅婷 302


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _stored(db) -> dict[str, float]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return {r.national_id: r.mark for r in s.scalars(select(StudentPassMark))}


def _menu_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.settings_menu.actions() if a.text() == text)


def test_dialog_from_the_menu_import_edit_save(qtbot, db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import_students(db, STUDENTS)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    _menu_action(window, "及格標準(&G)…").trigger()
    dialog = window.pass_marks_dialog
    assert isinstance(dialog, PassMarksDialog) and dialog.isVisible()
    assert dialog.default_spin.value() == 60.0 and dialog.model.rowCount() == 0

    # a list with a bad row: the preview names it and cannot import
    bad = _xlsx(tmp_path / "bad.xlsx", [["學號", "及格標準"], ["110001", 50], ["119999", 50]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview_dialog
    assert preview is not None and preview.isVisible()
    assert "第 3 列「學號」欄：學號「119999」不在學生名冊" in preview.bad_label.text()
    assert not preview.import_button.isEnabled()
    qtbot.mouseClick(preview.buttons.button(preview.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not preview.isVisible() and _stored(db) == {}

    # a good list: preview (added), then 匯入
    good = _xlsx(tmp_path / "good.xlsx", [["學號", "身分證號", "及格標準"], ["110001", "", 50], ["", ID_LI, 40]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview_dialog
    assert "新增 <b>2</b>" in preview.summary.text()
    assert [preview.changes_model.data(preview.changes_model.index(r, 4)) for r in range(2)] == ["王小明", "李美華"]
    assert preview.import_button.isEnabled()
    qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    assert _stored(db) == {ID_WANG: 50.0, ID_LI: 40.0}
    shown = [[dialog.model.data(dialog.model.index(r, c)) for c in range(6)] for r in range(dialog.model.rowCount())]
    assert shown == [
        ["301", "1", "110001", "王小明", ID_WANG[:6] + "****", "50"],
        ["301", "2", "110002", "李美華", ID_LI[:6] + "****", "40"],
    ]
    assert "已匯入「good.xlsx」" in dialog.message.text()

    # edit: add by 學號, change the selected student, delete one
    dialog.who_edit.setText("110004")
    dialog.mark_spin.setValue(40)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert _stored(db)[ID_LIN] == 40.0
    dialog.who_edit.setText("999999")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "不在學生名冊" in dialog.message.text() and len(_stored(db)) == 3
    assert dialog.select_student("李美華")
    assert dialog.mark_spin.value() == 40.0
    dialog.mark_spin.setValue(45)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert _stored(db)[ID_LI] == 45.0
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.select_student("王小明")
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert _stored(db) == {ID_LI: 45.0, ID_LIN: 40.0}
    assert dialog.model.rowCount() == 2

    # the settings: saved with 儲存, which closes the dialog
    dialog.default_spin.setValue(60)
    dialog.others_edit.setText("50、40")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert get_pass_mark_settings(db).others == (50.0, 40.0)

    actions = [e.action for e in list_entries(db, entity="pass_mark")]
    assert actions == [
        "passmarks.settings",
        "passmarks.student.delete",
        "passmarks.student.set",
        "passmarks.student.set",
        "passmarks.import",
    ]
    assert json.loads(list_entries(db, entity="pass_mark")[2].after or "{}")["mark"] == 45.0
    # the window refreshed the tabs: the 開課預檢 tab says which marks the next run uses
    tab = window.tab_by_key["precheck"]
    assert tab.pass_marks_label.text() == "成績名冊的及格標準：預設 60 分；其他 50、40 分；個別名單 2 人（手動輸入 2 人）"


def test_precheck_tab_button_opens_the_same_dialog(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("precheck")
    tab = window.tab_by_key["precheck"]
    assert tab.pass_marks_label.text() == "成績名冊的及格標準：預設 60 分；未設定其他及格標準；無個別名單"
    qtbot.mouseClick(tab.pass_marks_button, Qt.MouseButton.LeftButton)
    dialogs = [w for w in tab.findChildren(PassMarksDialog) if w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    dialog.others_edit.setText("五十")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "不是 0 到 100 的數字" in dialog.message.text()
    dialog.others_edit.setText("50")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert tab.pass_marks_label.text() == "成績名冊的及格標準：預設 60 分；其他 50 分；無個別名單"
