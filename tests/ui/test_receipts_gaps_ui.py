"""收訖明細 tab gaps with qtbot: deleting a batch from 收訖批次 (confirmation dialog, backup first)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.services.receipts import batch_contents, import_receipts, list_batches
from desktop_app.services.students import import_students
from desktop_app.storage.backup import list_backups
from desktop_app.ui.tabs.receipts import ReceiptsTab

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
    from desktop_app.services.students import preview_student_import
    from desktop_app.ui.receipts_students import StudentPreviewDialog

    wb = Workbook()
    ws = wb.active
    ws.append(["學號", "姓名", "身分證號", "班級", "座號"])
    for i, no in enumerate(["012301", 12302, "012303"]):
        ws.append([no, f"學生{i}", make_valid_id(f"C1234{i:04d}"), "301", i + 1])
    wb.save(tmp_path / "名冊.xlsx")
    dialog = StudentPreviewDialog(preview_student_import(db, tmp_path / "名冊.xlsx"))
    qtbot.addWidget(dialog)
    assert "學號補回開頭的 0：1 位" in dialog.summary.text()
