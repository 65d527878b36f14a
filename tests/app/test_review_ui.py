"""Acceptance-review regressions of what the user sees: audit log in zh-TW, the timeline's undated
items in their own 學期, 部分符合 counted apart, bad database files and tab names refused clearly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.services.audit_labels import ACTION_NAMES, ENTITY_NAMES
from desktop_app.services.calendar import DeadlineItem
from desktop_app.services.working_group import MeetingInput, MemberInput, add_meeting, add_member
from desktop_app.ui.calendar.timeline import undated_text
from desktop_app.ui.dialogs.audit_dialog import AuditDialog

SERVICES = Path(__file__).resolve().parents[2] / "desktop_app" / "services"


def test_every_audited_action_and_entity_has_a_zh_tw_name() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in SERVICES.glob("*.py"))
    calls = re.findall(r"record\(\s*\w+,\s*\"([a-z_.]+)\",\s*\"([a-z_]+)\"", source)
    assert len(calls) > 30  # the scan really found the services' audit calls
    assert {action for action, _ in calls} <= set(ACTION_NAMES)
    assert {entity for _, entity in calls} <= set(ENTITY_NAMES)


def test_audit_dialog_shows_zh_tw_names_not_keys(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    add_member(db, MemberInput(114, "甲", "教師代表"))
    add_meeting(db, MeetingInput(date(2025, 9, 10), "會議"))
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    shown = {
        (dialog.model.index(r, 2).data(), dialog.model.index(r, 3).data()) for r in range(dialog.model.rowCount())
    }
    assert shown == {("工作小組成員", "新增成員"), ("工作小組會議", "新增會議")}
    entities = [dialog.entity.itemText(i) for i in range(dialog.entity.count())]
    assert "member" not in entities and "工作小組成員" in entities


def _item(term: int | None) -> DeadlineItem:
    return DeadlineItem(
        key="task:1", kind="task", year=115, term=term, item="三 平台規劃", title="勾選/提交", content="",
        owners="教務處", start_date=None, due_date=None, status="未開始", done_on=None, state="open",
    )  # fmt: skip


def test_timeline_names_the_term_of_an_undated_item(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    assert undated_text(_item(2)) == "（115學年度第2學期：依國教署公告，尚無日期）"
    assert undated_text(_item(None)) == "（依國教署公告，尚無日期）"
    from desktop_app.ui.calendar.timeline import TimelineCanvas

    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1300, 300)
    canvas.set_items(115, [_item(2)], date(2026, 11, 28))
    canvas.show()
    image = canvas.grab().toImage()
    # the grey note starts in the column of 116/02 (第2學期), not at the left edge of the chart
    term_x = canvas._x(date(2027, 2, 1))
    from desktop_app.ui.calendar.timeline import GROUP_HEIGHT, HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT

    row_y = HEADER_HEIGHT + GROUP_HEIGHT + ROW_HEIGHT // 2
    left = [x for x in range(LABEL_WIDTH + 1, image.width()) if image.pixelColor(x, row_y).red() < 200]
    assert left and min(left) >= term_x


def test_selfcheck_counts_partial_apart(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.selfcheck.tab import SelfCheckTab

    demo = build_demo_database()
    try:
        tab = SelfCheckTab(demo)
        qtbot.addWidget(tab)
        text = tab.counts_label.text()
        assert re.search(r"符合 \d+、部分符合 \d+、不符合 \d+、尚無資料 \d+", text), text
    finally:
        demo.close()


def test_switching_to_a_non_sqlite_file_warns_and_keeps_the_database(  # type: ignore[no-untyped-def]
    qtbot, db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.ui.main_window import MainWindow

    bad = tmp_path / "notes.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert window.switch_database(bad) is False
    assert window.db is db and len(warnings) == 1 and "不是 SQLite 格式" in warnings[0]


def test_gui_refuses_bad_tab_and_bad_database_clearly(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.ui.app import run_gui

    shot = tmp_path / "shot.png"
    from desktop_app.storage.migrate import open_database

    open_database(tmp_path / "a.sqlite3").close()  # --db never creates a database without asking
    assert run_gui(db_path=str(tmp_path / "a.sqlite3"), screenshot=str(shot), tab="bogus") == 2
    err = capsys.readouterr().err
    assert "找不到分頁「bogus」" in err and "working_group（工作小組）" in err
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00" * 100)
    assert run_gui(db_path=str(bad), screenshot=str(shot)) == 2
    assert "不是 SQLite 格式" in capsys.readouterr().err and not shot.exists()


def test_screenshot_to_a_folder_says_what_to_do(qtbot, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.migrate import open_database
    from desktop_app.ui.app import run_gui

    open_database(tmp_path / "a.sqlite3").close()
    assert run_gui(db_path=str(tmp_path / "a.sqlite3"), screenshot=str(tmp_path)) == 1
    assert "無法寫入截圖" in capsys.readouterr().err


def test_precheck_results_follow_a_changed_id_mask(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.services.profile import MASK_PATTERN_KEY, set_setting
    from desktop_app.ui.precheck.models import COLUMNS
    from desktop_app.ui.precheck.tab import PrecheckTab

    demo = build_demo_database()
    try:
        tab = PrecheckTab(demo)
        qtbot.addWidget(tab)
        column = [attr for _title, attr in COLUMNS].index("student_id")
        model = tab.findings_model

        def shown() -> set[str]:
            return {model.index(r, column).data() for r in range(model.rowCount())} - {""}

        before = shown()
        assert before and all(v.endswith("****") and not v.endswith("*******") for v in before)
        set_setting(demo, MASK_PATTERN_KEY, "XXX*******")
        tab.refresh()
        after = shown()
        assert after and all(v[3:] == "*******" for v in after)
    finally:
        demo.close()


def test_refresh_all_updates_the_banner_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.services.calendar import banner_summary, mark_done
    from desktop_app.ui.main_window import MainWindow

    demo = build_demo_database()
    try:
        window = MainWindow(demo)
        qtbot.addWidget(window)
        window.show()  # the banner is filled in just after the first paint
        overdue, _soon = banner_summary(demo, date.today())
        qtbot.waitUntil(lambda: window.banner.level == "overdue")
        assert overdue
        for item in overdue:
            assert item.task_id is not None
            mark_done(demo, item.task_id, date.today())
        window.refresh_all()  # what 設定 → 學校資料 / 個資與列印 and the first-run wizard call
        assert window.banner.level != "overdue"
    finally:
        demo.close()


def test_screenshot_command_prints_only_the_file_name(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    from desktop_app.storage.migrate import open_database

    open_database(tmp_path / "a.sqlite3").close()  # --db never creates a database without asking
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(tmp_path / "a.sqlite3"), "--screenshot", str(shot),
         "--tab", "作業期程"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(shot) and shot.stat().st_size > 10_000
    assert "propagateSizeHints" not in out.stderr


def test_calendar_export_button_leaves_room_for_its_menu_arrow(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from desktop_app.ui.calendar.tab import CalendarTab

    tab = CalendarTab(profile_db)
    qtbot.addWidget(tab)
    button = tab.export_button
    assert isinstance(button, QPushButton)  # a QToolButton drew its arrow over 「匯出」
    menu = button.menu()
    assert menu is not None and [a.text()[:5] for a in menu.actions()] == ["行事曆檔（", "Excel", "PDF 議"]
    assert button.sizeHint().width() >= button.fontMetrics().horizontalAdvance("匯出") + 24


def test_precheck_filter_combos_show_all_of_their_text(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.precheck.tab import PrecheckTab

    tab = PrecheckTab(db)
    qtbot.addWidget(tab)
    for combo in (tab.code_filter, tab.severity_filter, tab.sheet_filter, tab.class_filter):
        text = combo.itemText(0)
        assert text == "（全部）"
        assert combo.sizeHint().width() >= combo.fontMetrics().horizontalAdvance(text) + 20, text


def test_main_window_fits_a_1024_px_wide_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.main_window import MainWindow

    demo = build_demo_database()
    try:
        window = MainWindow(demo)
        qtbot.addWidget(window)
        window.show()
        # 1366×768 at 125 % scaling leaves ~1090 logical pixels; the 開課預檢 and 收訖明細 tabs forced 1124
        widths = {key: tab.minimumSizeHint().width() for key, tab in window.tab_by_key.items()}
        assert max(widths.values()) <= 1000, widths
        assert window.minimumSizeHint().width() <= 1024
    finally:
        demo.close()


def test_restore_refuses_a_file_that_is_not_our_backup_before_replacing(  # type: ignore[no-untyped-def]
    qtbot, profile_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from PySide6.QtWidgets import QFileDialog

    from desktop_app.services.profile import get_profile
    from desktop_app.storage.backup import create_backup
    from desktop_app.storage.migrate import check_restorable
    from desktop_app.ui.main_window import MainWindow

    other = tmp_path / "grades.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE grades (x)")
    warnings: list[str] = []
    questions: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text: questions.append(text))
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.dialogs.backup_dialogs import RestoreDialog

    def other_file() -> None:  # the backup list (issue 11): 其他檔案… goes through the file dialog
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(20, other_file)
            return
        dialog.other_button.click()

    QTimer.singleShot(0, other_file)
    window.restore_dialog()
    assert len(warnings) == 1 and "不是本系統的備份檔" in warnings[0] and not questions
    assert window.db is profile_db and get_profile(profile_db) is not None  # nothing replaced
    real = create_backup(profile_db.path, reason="test")
    assert real is not None
    check_restorable(real)  # a real backup passes


def test_audit_before_after_read_in_zh_tw_with_roc_dates(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from desktop_app.services.audit_labels import describe_change
    from desktop_app.services.profile import set_term_dates

    assert describe_change('{"start_date": "2024-09-02", "end_date": null}') == "開始日：113/09/02；結束日：—"
    assert describe_change('{"period": ["2026-03-02", "2026-03-06"], "covers_training": true}') == (
        "確認期間：115/03/02–115/03/06；涵蓋（三）：是"
    )
    assert describe_change('"未確認"') == "未確認" and describe_change("plain") == "plain"
    set_term_dates(db, 113, 1, date(2024, 9, 2), date(2025, 1, 20))
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    after = dialog.model.index(0, 6).data()
    assert "113/09/02" in after and "start_date" not in after and "2024" not in after
    out = dialog.export(str(tmp_path / "audit.xlsx"))
    assert out is not None
    ws = load_workbook(out)["操作紀錄"]
    assert "113/09/02" in ws.cell(2, 8).value and "開始日" in ws.cell(2, 10).value  # raw JSON kept last, zh-TW keys


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
