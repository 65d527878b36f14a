"""Personal data in previews and copies: IDs masked in free text, in the receipt import preview,
and the annotated copy says it holds personal data."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QGroupBox, QTableView

from desktop_app.domain.national_id import mask_ids_in_text
from desktop_app.services.receipts.reading import read_receipt_file
from desktop_app.services.receipts.students import import_students

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"
FULL_ID = re.compile(r"[A-Z][12]\d{8}")


def test_mask_ids_in_text() -> None:
    assert mask_ids_in_text("B100000011") == "B10000****"
    assert mask_ids_in_text("學生 b100000011、A123456789") == "學生 B10000****、A12345****"
    assert mask_ids_in_text("1130025") == "1130025" and mask_ids_in_text("AB100000011") == "AB100000011"


def test_receipt_import_preview_masks_ids(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.receipts.batches import ReceiptImportDialog

    import_students(profile_db, DATA / "students.csv")
    rf = read_receipt_file(DATA / "receipts_style_b.csv")
    assert any(FULL_ID.search(cell) for row in rf.rows[:8] for cell in row)  # the file has full IDs
    dialog = ReceiptImportDialog(profile_db, rf, None)
    qtbot.addWidget(dialog)
    box = next(b for b in dialog.findChildren(QGroupBox) if b.title().startswith("檔案前幾列"))
    assert "遮罩" in box.title()
    model = box.findChild(QTableView).model()
    cells = [
        str(model.index(r, c).data() or "") for r in range(model.rowCount()) for c in range(model.columnCount())
    ]
    assert model.rowCount() > 0 and not any(FULL_ID.search(c) for c in cells)
    assert any(re.search(r"[A-Z][12]\d{4}\*{4}", c) for c in cells)


def test_annotated_copy_says_it_holds_personal_data(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from desktop_app.exports.precheck_report import PERSONAL_DATA_NOTICE, mark_personal_data

    wb = Workbook()
    wb.create_sheet("學期成績")
    mark_personal_data(wb)
    wb.save(tmp_path / "a.xlsx")
    back = load_workbook(tmp_path / "a.xlsx")
    assert "個人資料" in back.properties.title and back.properties.subject == PERSONAL_DATA_NOTICE
    assert all("個人資料" in ws.oddHeader.center.text for ws in back.worksheets)
