"""自我檢核 never loses work: recompute keeps edits, Ctrl+S saves, closing with edits asks (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.demo import build_demo_database
from desktop_app.demo.selfcheck import demo_term
from desktop_app.services.selfcheck import find_form, load_catalog, open_fill
from desktop_app.storage.db import Database
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.selfcheck.tab import SelfCheckTab


@pytest.fixture
def window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path / "demo")
    win = MainWindow(db)  # not qtbot.addWidget: its teardown close would ask about the edits
    win.show()
    win.show_tab("selfcheck")
    yield win
    win.tab_by_key["selfcheck"].dirty = False  # the teardown's close must not ask
    win.close()
    win.deleteLater()
    db.close()


def _edit(tab: SelfCheckTab, item: str = "1.1", answer: str = "部分符合") -> None:
    tab.select_item(item)
    tab.detail.choice.setCurrentIndex(tab.detail.choice.findText(answer))
    tab.detail.note.setPlainText("校長公出，由教務主任代理")
    assert tab.dirty


def _stored(db: Database, item: str) -> str | None:
    form = find_form(load_catalog(), None)
    return open_fill(db, form, demo_term()).state(item).answer


def _answer_box_later(button_text: str, seen: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text() + box.informativeText())
        for b in box.buttons():
            if b.text() == button_text:
                b.click()
                return

    QTimer.singleShot(0, click)


def test_recompute_evidence_keeps_unsaved_answers(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = window.tab_by_key["selfcheck"]
    _edit(tab)
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    assert tab.dirty and tab.edits["1.1"].answer == "部分符合"
    assert tab.edits["1.1"].note == "校長公出，由教務主任代理"


def test_ctrl_s_in_the_window_saves_the_draft(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = window.tab_by_key["selfcheck"]
    _edit(tab)
    window.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.table, timeout=3000)
    qtbot.keyClick(tab.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tab.dirty, timeout=3000)
    assert _stored(window.db, "1.1") == "部分符合"


def test_ctrl_s_right_after_clicking_the_tab_saves(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A clerk clicks 自我檢核 in the tab bar, edits with the mouse and presses Ctrl+S: the focus is on
    the window's tab bar (outside the tab), and the draft is saved all the same."""
    tab = window.tab_by_key["selfcheck"]
    _edit(tab)
    window.activateWindow()
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(tab)).center())
    bar.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar, timeout=3000)
    qtbot.keyClick(bar, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tab.dirty, timeout=3000)
    assert _stored(window.db, "1.1") == "部分符合"


def test_ctrl_s_on_another_tab_does_not_save_the_self_check(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = window.tab_by_key["selfcheck"]
    _edit(tab)
    window.show_tab("calendar")
    window.activateWindow()
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert tab.dirty and _stored(window.db, "1.1") != "部分符合"


def test_closing_with_unsaved_edits_asks_and_can_save(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = window.tab_by_key["selfcheck"]
    _edit(tab)
    window.show_tab("calendar")
    seen: list[str] = []
    _answer_box_later("取消", seen)
    assert window.close() is False  # 取消: the window stays, the edits too
    assert seen and "自我檢核" in seen[0] and "尚未儲存" in seen[0]
    assert window.isVisible() and tab.dirty and window.tabs.currentWidget() is tab
    _answer_box_later("儲存", seen)
    assert window.close() is True
    assert len(seen) == 2 and _stored(window.db, "1.1") == "部分符合"


def test_closing_without_edits_does_not_ask(window) -> None:  # type: ignore[no-untyped-def]
    assert window.tab_by_key["selfcheck"].has_unsaved_changes() is False
    assert window.close() is True
