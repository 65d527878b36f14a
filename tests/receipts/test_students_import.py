"""Student master import: preview (a duplicate row's ID masked), invalid IDs, re-import without
duplicates, 造字 and the 難字對照表."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.receipts.students import (
    import_students,
    list_pua_entries,
    list_students,
    preview_student_import,
    set_pua_char,
)
from desktop_app.storage.models import Student

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Student))


def test_import_lists_invalid_ids_and_masks_in_list(db) -> None:  # type: ignore[no-untyped-def]
    preview = preview_student_import(db, DATA / "students.csv")
    assert len(preview.added) == 6
    assert [r.row for r in preview.invalid] == [8]
    assert "檢查碼" in preview.invalid[0].reason
    assert _count(db) == 0  # the preview writes nothing
    result = import_students(db, DATA / "students.csv")
    assert len(result.added) == 6 and _count(db) == 6
    students = list_students(db)
    assert [s.class_name for s in students] == ["101", "301", "301", "301", "302", "302"]
    assert all(s.masked_id.endswith("****") for s in students)
    assert [s.name for s in list_students(db, "301")][:2] == ["王小明", "李美華"]
    assert [s.name for s in list_students(db, "110004")] == ["林雅婷"]
    assert [s.name for s in list_students(db, "雅婷")] == ["林雅婷"]
    assert any(e.action == "students.import" for e in list_entries(db))


def test_reimport_updates_in_place_and_reports_gone(db) -> None:  # type: ignore[no-untyped-def]
    import_students(db, DATA / "students.csv")
    again = preview_student_import(db, DATA / "students.csv")
    assert (len(again.added), len(again.changed), again.unchanged) == (0, 0, 6)
    preview = preview_student_import(db, DATA / "students_v2.xlsx")
    assert [r.student_no for r in preview.added] == ["112002"]
    assert [c.record.student_no for c in preview.changed] == ["110004"]
    assert "座號：1 → 5" in preview.changed[0].summary
    assert [g.student_no for g in preview.gone] == ["110005"]
    import_students(db, DATA / "students_v2.xlsx")
    assert _count(db) == 7  # 6 + 1 new, nobody duplicated, the gone student kept
    names = {s.student_no: s for s in list_students(db)}
    assert names["110004"].seat == 5
    assert "110005" not in names
    assert "110005" in {s.student_no for s in list_students(db, include_gone=True)}


def test_cp950_pua_reported_and_mapping_applied(db) -> None:  # type: ignore[no-untyped-def]
    preview = preview_student_import(db, DATA / "students_cp950.csv")
    assert preview.encoding == "cp950"
    assert len(preview.added) == 6
    [hit] = preview.pua
    assert (hit.row, hit.column, hit.column_name, hit.student_no) == (5, 2, "姓名", "110003")
    assert hit.chars == ("\ue000",) and hit.unmapped == ("\ue000",)
    data = preview.as_json()
    assert data["pua"] == [{"row": 5, "student": "陳\ue000志", "student_no": "110003", "chars": ["U+E000"]}]
    import_students(db, DATA / "students_cp950.csv")
    assert [e.code for e in list_pua_entries(db)] == ["U+E000"]
    # mapping it fixes the stored name and later imports
    set_pua_char(db, "U+E000", "堃", "陳堃志")
    assert [s.name for s in list_students(db, "110003")] == ["陳堃志"]
    assert [(e.code, e.real_char, e.students) for e in list_pua_entries(db)] == [("U+E000", "堃", 0)]
    again = preview_student_import(db, DATA / "students_cp950.csv")
    assert again.as_json()["pua"] == []
    assert again.pua[0].unmapped == () and again.pua[0].student == "陳堃志"
    assert again.unchanged == 6


def test_pua_mapping_rejects_bad_input(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="造字區"):
        set_pua_char(db, "U+4E00", "一")
    with pytest.raises(ServiceError, match="一個真正的字"):
        set_pua_char(db, "U+E001", "")


def test_file_without_id_column_is_refused(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "no_id.csv"
    path.write_text("學號,姓名,班級,座號\n1,王,101,1\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="身分證號"):
        import_students(db, path)
    assert _count(db) == 0


def test_student_import_preview_masks_a_duplicate_rows_full_id(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableView, QTabWidget

    from desktop_app.services.receipts.students import preview_student_import
    from desktop_app.ui.receipts.students import StudentPreviewDialog

    roster = tmp_path / "students.csv"
    roster.write_text(
        "學號,姓名,身分證號,出生日期,部別,年級,班級,座號,學籍狀態\n"
        "110001,王小明,A123456707,0920315,日間部,3,301,1,在學\n"
        "110002,王小明,A123456707,0920315,日間部,3,301,2,在學\n",
        encoding="utf-8",
    )
    preview = preview_student_import(db, roster)
    assert [r.national_id for r in preview.invalid] == ["A123456707"]  # the duplicate: a valid, full ID
    dialog = StudentPreviewDialog(preview, None, mask="XXXXXX****")
    qtbot.addWidget(dialog)
    tabs = dialog.findChild(QTabWidget)
    assert tabs is not None
    page = next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("有誤不匯入"))
    view = tabs.widget(page).findChild(QTableView) or tabs.widget(page)
    assert isinstance(view, QTableView)
    shown = [view.model().index(r, 1).data() for r in range(view.model().rowCount())]
    assert shown == ["A12345****"]
    assert "A123456707" not in dialog.invalid_detail.text()
    view.selectRow(0)  # the full value only in the detail view of the selected row
    assert "A123456707" in dialog.invalid_detail.text() and "第 3 列" in dialog.invalid_detail.text()
