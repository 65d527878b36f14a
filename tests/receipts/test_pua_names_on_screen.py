"""A 造字 name on screen is spelled out (〔U+E000〕), not drawn as some other glyph."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.services.receipts.students import import_students, shown_name
from desktop_app.ui.receipts.tab import ReceiptsTab

REVIEW = Path(__file__).resolve().parents[1] / "data" / "receipts" / "handmade"


def test_shown_name() -> None:
    assert shown_name("王\ue000明") == "王〔U+E000〕明"
    assert shown_name("張\uf6b1\ue311婷") == "張〔U+F6B1〕〔U+E311〕婷"
    assert shown_name("王小明") == "王小明"


def test_student_list_spells_out_pua(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    # the UI font drew U+E000 as 「有」: the clerk read 「王有明」, a wrong name
    import_students(db, REVIEW / "master_cp950_pua.csv")
    tab = ReceiptsTab(db)
    qtbot.addWidget(tab)
    view = tab.students_view
    view.refresh()
    model = view.model
    name_col = next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "姓名"
    )
    names = [model.data(model.index(r, name_col)) for r in range(model.rowCount())]
    assert "王〔U+E000〕明（含造字）" in names and "張〔U+F6B1〕〔U+E311〕婷（含造字）" in names
    assert not any("\ue000" in n for n in names)
