"""What the 收訖明細 views show and how they fit: the sub-views read clearly, short exemption
heads, the student preview opens on a tab with rows, the progress tables at 1366 and 1024 px."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.students import import_students, list_pua_entries
from desktop_app.ui.receipts.tab import ReceiptsTab

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


def test_receipts_sub_views_read_clearly(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    empty = ReceiptsTab(profile_db)
    qtbot.addWidget(empty)
    # no batch yet: the scan view says what to do first, not 「請掃描回條」
    assert "請掃描回條" not in empty.scan_view.banner.text() and "匯入" in empty.scan_view.banner.text()

    import_students(profile_db, DATA / "students_cp950.csv")
    today = date.today()
    import_receipts(
        profile_db, DATA / "receipts_style_a.xlsx", name="第1梯次", start=today, end=today + timedelta(days=3)
    )
    tab = ReceiptsTab(profile_db)
    qtbot.addWidget(tab)
    tab.resize(1024, 700)
    # the batch picker names the batch and its period, no internal 「#2」
    text = tab.batch_combo.currentText()
    assert text.startswith("第1梯次（") and "#" not in text
    assert tab.scan_view.banner.text() == "請掃描回條"
    # 學生名冊: no empty 「名冊」 column; 已不在名冊 shows beside 學籍狀態
    model = tab.students_view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "名冊" not in headers and headers[-1] == "學籍狀態"
    # 難字對照表: which students, not a bare number
    pua = tab.pua_view.model
    headers = [pua.headerData(c, Qt.Orientation.Horizontal) for c in range(pua.columnCount())]
    who = pua.index(0, headers.index("姓名仍含此造字的學生")).data()
    assert "陳[U+E000]志" in who and not who.isdigit()
    entry = list_pua_entries(profile_db)[0]
    assert entry.students == 1 and entry.who and "號" in entry.who[0]


def test_exemption_heads_are_short_with_the_full_label_as_tooltip(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QGroupBox, QLabel

    from desktop_app.ui.receipts.batches import BatchesView

    view = BatchesView(profile_db)
    qtbot.addWidget(view)
    box = next(b for b in view.findChildren(QGroupBox) if b.title().startswith("免確認"))
    heads = [lb for lb in box.findChildren(QLabel) if lb.toolTip()]
    assert [h.text() for h in heads] == ["已畢業", "三年級", "全部學生"]
    assert all(not h.wordWrap() for h in heads) and "學籍狀態為畢業" in heads[0].toolTip()


def test_student_import_preview_opens_on_a_tab_with_rows(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.receipts.students import preview_student_import
    from desktop_app.ui.receipts.students import StudentPreviewDialog

    import_students(profile_db, DATA / "students.csv")
    preview = preview_student_import(profile_db, DATA / "students_cp950.csv")  # 1 changed, no new
    assert not preview.added and preview.changed
    dialog = StudentPreviewDialog(preview, None)
    qtbot.addWidget(dialog)
    current = dialog.tabs.currentIndex()
    assert dialog.tabs.tabText(current).startswith("更新") and dialog.tabs.widget(current).model().rowCount() > 0
    assert not dialog.tabs.isTabEnabled(0)  # 「新增 0」 is greyed out, not shown first


def _progress_view(qtbot, window, width: int):  # type: ignore[no-untyped-def]
    window.resize(width, 700)  # what fits a 1366×768 / 1024×768 screen with its taskbar
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab_by_key["receipts"]
    window.show_tab("receipts")
    tab.views.setCurrentWidget(tab.progress_view)
    view = tab.progress_view
    qtbot.waitUntil(lambda: view.progress_model.rowCount() > 0)
    qtbot.wait(20)
    return view


def _last_column_right(table) -> int:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    last = header.count() - 1
    return header.sectionViewportPosition(last) + header.sectionSize(last)


def test_progress_class_table_shows_its_last_column_at_1366(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """完成率 (the class table's last column) was cut to 「38」 of 「38%」 at 1366 px."""
    view = _progress_view(qtbot, demo_window, 1280)
    table = view.progress_table
    assert _last_column_right(table) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    # no wider than its columns need: the student table gets the rest (its 回條 column in sight)
    assert table.width() <= view.class_table_width() + 4
    assert view.student_table.width() >= view.MIN_STUDENT_WIDTH


def test_progress_student_table_keeps_its_width_at_1024(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    view = _progress_view(qtbot, demo_window, 1008)
    assert view.student_table.width() >= view.MIN_STUDENT_WIDTH
    assert view.progress_table.width() >= view.splitter.width() // 3 - 10


def test_a_dragged_divider_stays_where_the_clerk_put_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    view = _progress_view(qtbot, demo_window, 1280)
    view.splitter.splitterMoved.emit(300, 1)  # what a drag of the handle emits
    view.splitter.setSizes([300, sum(view.splitter.sizes()) - 300])
    view.refresh()
    assert abs(view.splitter.sizes()[0] - 300) <= 2
