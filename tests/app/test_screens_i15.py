"""Issue 15 screens: 收訖明細 sub-views (13), 自我檢核 table at 1024 px (12)."""

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


def test_selfcheck_item_column_keeps_room_at_1024(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.main_window import MainWindow

    db = build_demo_database(tmp_path / "demo")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    window.show_tab("selfcheck")
    tab = window.tab_by_key["selfcheck"]
    qtbot.waitUntil(lambda: tab.table.columnWidth(1) > 0)
    char = tab.table.fontMetrics().horizontalAdvance("檢")
    assert tab.table.columnWidth(1) >= 12 * char, (tab.table.columnWidth(1), char)
    texts = {tab.model.index(r, 2).data() for r in range(tab.model.rowCount())}
    assert {"√ 符合", "△ 部分符合", "╳ 不符合"} <= texts  # evidence by icon + word
    db.close()


def test_calendar_dots_have_a_legend_in_a_colour_blind_safe_palette(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.calendar.common import STATE_COLOUR
    from desktop_app.ui.calendar.tab import CalendarTab

    tab = CalendarTab(profile_db)
    qtbot.addWidget(tab)
    text = tab.legend.text()
    for word in ("逾期", "7 天內到期", "未到期", "已完成", "國教署期限"):
        assert word in text
    assert STATE_COLOUR["overdue"] == "#D55E00" and STATE_COLOUR["done"] == "#009E73"  # Okabe–Ito
