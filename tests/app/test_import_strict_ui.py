"""The import dialogs list bad rows and offer 「整批不匯入」 (issue 11), as the CLI's --strict does."""

from __future__ import annotations

from pathlib import Path

RECEIPTS = (
    "身分證號,出生日期,姓名,資料類別,學年度,學期,名稱,學分,日期,說明\n"
    "A123456707,0920315,王小明,修課紀錄,113,1,國語文,4,,\n"
    "A123456707,0920315,王小明,修課紀錄,113,7,數學,abc,,\n"
    "B223456719,0920416,李美華,多元表現,113,1,科展,,113/02/30,\n"
    "C123456727,0920517,陳大志,多元表現,113,1,志工,,,\n"  # 座號 wrong in the master: not imported there
)
MASTER = (
    "學號,姓名,身分證號,出生日期,部別,年級,班級,座號,學籍狀態\n"
    "110001,王小明,A123456707,0920315,日間部,3,301,1,在學\n"
    "110002,李美華,B223456719,0920416,日間部,3,301,2,在學\n"
    "110003,陳大志,C123456727,0920517,日間部,3,301,第三,在學\n"
)


def test_receipt_dialog_lists_bad_rows_and_strict_refuses(qtbot, profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.receipts.batches import list_batches
    from desktop_app.services.receipts.reading import read_receipt_file
    from desktop_app.services.receipts.students import import_students
    from desktop_app.ui.receipts.batches import BatchesView, ReceiptImportDialog

    master = tmp_path / "master.csv"
    master.write_text(MASTER, encoding="utf-8")
    import_students(profile_db, master)
    src = tmp_path / "r.csv"
    src.write_text(RECEIPTS, encoding="utf-8")
    view = BatchesView(profile_db)
    qtbot.addWidget(view)
    dialog = ReceiptImportDialog(profile_db, read_receipt_file(src), view)
    qtbot.addWidget(dialog)
    dialog.run_dry()
    assert "資料有誤 2 列" in dialog.dry_label.text() and dialog.import_button.isEnabled()
    shown = [dialog.problem_model.data(dialog.problem_model.index(r, 1)) for r in range(dialog.problem_model.rowCount())]
    assert any("第 3 列「學期」欄「7」" in t for t in shown) and any("113/02/30" in t for t in shown)
    unknown = next(r for r in range(dialog.problem_model.rowCount()) if "不在學生名冊" in shown[r])
    assert "C123456727" not in shown[unknown]  # masked in the list …
    dialog.problem_table.selectRow(unknown)
    assert "C123456727" in dialog.problem_detail.text()  # … full only in the selected row's detail
    dialog.name_edit.setText("b")
    dialog.strict_box.setChecked(True)
    errors: list[str] = []
    view.show_error = lambda message, title="": errors.append(message)  # type: ignore[method-assign]
    view.run_import(dialog)
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert "整批不匯入" in errors[0] and list_batches(profile_db) == []
    dialog.strict_box.setChecked(False)
    done: list[int] = []
    view.batch_selected.connect(done.append)
    view.run_import(dialog)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    [batch] = list_batches(profile_db)
    assert batch.id == done[0]


def test_student_preview_has_strict_option(qtbot, db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from desktop_app.services.receipts.students import list_students, preview_student_import
    from desktop_app.ui.receipts.students import StudentPreviewDialog, StudentsView

    master = tmp_path / "master.csv"
    master.write_text(MASTER, encoding="utf-8")
    view = StudentsView(db)
    qtbot.addWidget(view)
    preview = preview_student_import(db, master)
    assert [(r.row, r.column, r.value) for r in preview.invalid] == [(4, "座號", "第三")]
    errors: list[str] = []
    view.show_error = lambda message, title="": errors.append(message)  # type: ignore[method-assign]

    def accept_strict(self: StudentPreviewDialog) -> int:
        self.strict_box.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(StudentPreviewDialog, "exec", accept_strict)  # the clerk ticks the box, 確定匯入
    view.import_file(master)
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert "整批不匯入" in errors[0] and "第 4 列" in errors[0] and list_students(db) == []
