"""Issue 12: the 回條掃描 page's F-keys win over the window's menu shortcuts (F1 is 使用說明).

The keys go to the shown, active main window the way a keyboard sends them (QTest sends the
shortcut-override event first, so the menu's shortcuts compete)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from desktop_app.domain.receipts import CONFIRMED, OBJECTION, UNCONFIRMED
from desktop_app.exports.slips_model import slip_code
from desktop_app.services.receipts.confirmation import list_student_statuses
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.students import import_students
from desktop_app.ui.main_window import MainWindow

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def opened_urls():  # type: ignore[no-untyped-def]
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "handle")
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def scanning_window(qtbot, profile_db):  # type: ignore[no-untyped-def]
    import_students(profile_db, DATA / "students.csv")
    today = date.today()
    import_receipts(
        profile_db, DATA / "receipts_style_a.xlsx", name="本批",
        start=today - timedelta(days=1), end=today + timedelta(days=3),
    )
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    _show_active(qtbot, window)
    assert window.show_tab("receipts")
    tab = window.tab_by_key["receipts"]
    tab.views.setCurrentWidget(tab.scan_view)
    view = tab.scan_view
    student = next(s for s in list_student_statuses(profile_db, 1) if s.student_no == "110002")
    view.scan_edit.setFocus()
    qtbot.keyClicks(view.scan_edit, slip_code(1, student.student_id))
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_Return)
    assert "已登記回條" in view.banner.text()
    return window, view, student.student_id


def _show_active(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _focus(qtbot, window):  # type: ignore[no-untyped-def]
    """Where the keyboard's keys go: the window's focus widget (after a dialog closed, once it is back)."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()  # the offscreen platform does not give it back when a dialog closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is not None)
    return QApplication.focusWidget()


def _status(db, student_id: int, category: str) -> str:  # type: ignore[no-untyped-def]
    return list_student_statuses(db, 1, student_id=student_id)[0].status(category)


def test_help_shortcut_is_f1_outside_the_scan_page(qtbot, profile_db, opened_urls) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    _show_active(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    assert opened_urls and opened_urls[0].endswith("使用說明.html")


@pytest.mark.parametrize("target", ["focus", "window"])
def test_f1_to_f4_on_the_scan_page_record_confirmed_not_help(  # type: ignore[no-untyped-def]
    qtbot, scanning_window, profile_db, opened_urls, target
) -> None:
    window, view, student_id = scanning_window
    assert view.student is not None
    from desktop_app.domain.receipts import CATEGORIES

    for number, category in enumerate(CATEGORIES, start=1):
        if _status(profile_db, student_id, category) != UNCONFIRMED:
            continue
        widget = _focus(qtbot, window) if target == "focus" else window
        qtbot.keyClick(widget, getattr(Qt.Key, f"Key_F{number}"))
        assert _status(profile_db, student_id, category) == CONFIRMED, category
    assert opened_urls == []  # no help window opened
    assert QApplication.activeModalWidget() is None


def test_f8_and_shift_f1_on_the_scan_page(qtbot, scanning_window, profile_db, opened_urls) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    window, view, student_id = scanning_window
    assert view.student is not None
    seen: list[str] = []

    def answer_objection_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog).__name__ if dialog else "")
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(200, answer_objection_dialog)
    qtbot.keyClick(_focus(qtbot, window), Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert seen and seen[0]  # Shift+F1 opened the page's objection dialog, not help
    assert _status(profile_db, student_id, "修課紀錄") in (UNCONFIRMED, OBJECTION)
    qtbot.keyClick(_focus(qtbot, window), Qt.Key.Key_F8)
    statuses = set(list_student_statuses(profile_db, 1, student_id=student_id)[0].statuses.values())
    assert UNCONFIRMED not in statuses
    assert opened_urls == []
