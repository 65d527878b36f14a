"""The main window: its tabs and menus, screenshots, refresh of every tab (the banner too), a width
that fits a 1024 px screen, and switching to a file that is not SQLite."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from desktop_app.demo import build_demo_database
from desktop_app.services.working_group import MemberInput, add_member
from desktop_app.ui.main_window import MainWindow


def test_window_has_the_five_tabs_and_menus(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path)
    window = MainWindow(db)
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["工作小組", "作業期程", "自我檢核", "開課預檢", "收訖明細"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[:3] == ["檔案(&F)", "設定(&S)", "工具(&T)"]
    assert window.show_tab("收訖明細") and window.tabs.currentIndex() == 4
    assert window.show_tab("working_group") and window.tabs.currentIndex() == 0
    assert not window.show_tab("nope")
    db.close()


def test_screenshot_option_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--demo", "--screenshot", str(out), "--tab", "工作小組"],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600


def test_file_menu_backup_and_restore(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.services.working_group import list_members
    from desktop_app.storage.backup import list_backups
    from desktop_app.storage.migrate import open_database

    db_path = tmp_path / "school.sqlite3"
    db = open_database(db_path)
    add_member(db, MemberInput(114, "備份前", "教師代表"))
    window = MainWindow(db)
    qtbot.addWidget(window)
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    window.backup_now()
    backups = list_backups(db_path)
    assert len(backups) == 1 and str(backups[0]) in messages[-1]
    add_member(window.db, MemberInput(114, "備份後", "家長代表"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.dialogs.backup_dialogs import RestoreDialog

    def choose_the_backup() -> None:  # the list of backups (issue 11) replaced the file dialog
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(20, choose_the_backup)
            return
        assert dialog.entries[0].path == backups[0]
        dialog.table.selectRow(0)
        dialog.restore_button.click()

    QTimer.singleShot(0, choose_the_backup)
    window.restore_dialog()
    assert [m.name for m in list_members(window.db, 114)] == ["備份前"]
    assert len(list_backups(db_path)) == 2  # the replaced data was backed up first
    assert "已還原" in messages[-1]
    window.db.close()


def test_second_window_on_the_same_file_is_read_only(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.db import Database
    from desktop_app.storage.migrate import open_database

    first = open_database(tmp_path / "a.sqlite3")
    second = Database(tmp_path / "a.sqlite3")
    window = MainWindow(second)
    qtbot.addWidget(window)
    assert "唯讀" in window.windowTitle()
    second.close()
    first.close()


def test_startup_banner_names_overdue_work_and_leads_to_the_calendar(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.banner.isVisible)  # filled in just after the first paint
    assert "逾期" in window.banner.label.text()
    bar_top = window.tabs.tabBar().mapTo(window, window.tabs.tabBar().rect().topLeft()).y()
    window.banner.clicked.emit()
    calendar = window.tab_by_key["calendar"]
    assert window.tabs.currentWidget() is calendar
    assert calendar.views.currentWidget() is calendar.agenda  # the click lists the pending items
    # one banner, above the tabs, on every tab: the calendar tab does not show a second one inside
    assert window.banner.isVisible() and not calendar.banner.isVisible()
    qtbot.wait(10)
    assert window.tabs.tabBar().mapTo(window, window.tabs.tabBar().rect().topLeft()).y() == bar_top
    db.close()


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


def test_refresh_all_updates_the_banner_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.services.calendar.reminders import banner_summary
    from desktop_app.services.calendar.tasks import mark_done
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
