"""Issue 12 (5): the guide names every key the app defines, in the app's own terms."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from desktop_app.resources import guide_path
from desktop_app.ui.main_window import MainWindow


def _guide_keys(text: str) -> set[str]:
    """Keys written as <kbd>…</kbd>; a range <kbd>Shift+F1</kbd>–<kbd>Shift+F4</kbd> names each key."""
    keys = set(re.findall(r"<kbd>([^<]+)</kbd>", text))
    for prefix, first, last in re.findall(r"<kbd>((?:\w+\+)?)F(\d+)</kbd>–<kbd>\1F(\d+)</kbd>", text):
        keys.update(f"{prefix}F{n}" for n in range(int(first), int(last) + 1))
    return keys


def _app_keys(window: MainWindow) -> set[str]:
    found: set[str] = set()
    for action in window.findChildren(QAction):
        if not action.shortcut().isEmpty():
            found.add(action.shortcut().toString(QKeySequence.SequenceFormat.PortableText))
    for shortcut in window.findChildren(QShortcut):
        found.add(shortcut.key().toString(QKeySequence.SequenceFormat.PortableText))
    for widget in window.findChildren(QWidget):
        sequences = getattr(type(widget), "shortcut_sequences", None)
        if callable(sequences):
            found.update(k.toString(QKeySequence.SequenceFormat.PortableText) for k in sequences())
    return found


def test_every_shortcut_of_the_window_and_its_tabs_is_in_the_guide(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    tabs = list(window.tab_by_key.values())  # builds every tab
    assert len(tabs) == 5
    keys = _app_keys(window)
    assert {"F1", "Ctrl+O", "F2", "Shift+F3", "F8"} <= keys  # the collection sees menus and the scan page
    missing = keys - _guide_keys(guide_path().read_text(encoding="utf-8"))
    assert missing == set()


def test_guide_uses_the_apps_terms_and_promises_nothing_missing() -> None:
    text = guide_path().read_text(encoding="utf-8")
    assert "身分證字號" not in text and "身分證號" in text
    for term in ("回條", "回條掃描", "難字對照表", "導師提醒名單", "紙本確認單", "疑義處理", "學生名冊", "收訖批次",
                 "確認進度", "設定 → 個資與列印…", "設定 → 學校資料…"):
        assert term in text, term
    precheck = text[text.index('id="precheck"'):text.index('id="receipts"')]
    assert "PDF" not in precheck  # the pre-check exports Excel files only


def test_the_guide_names_each_scan_key_with_the_category_the_page_records() -> None:
    from desktop_app.domain.receipts import CATEGORIES

    text = guide_path().read_text(encoding="utf-8")
    for number, category in enumerate(CATEGORIES, start=1):
        assert f"<tr><td><kbd>F{number}</kbd></td><td>{category}　已確認</td></tr>" in text, category
