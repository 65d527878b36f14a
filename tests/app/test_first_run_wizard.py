"""The first-run wizard with qtbot: it writes the profile (and the choices) and never shows again;
its date hints make sense per field and fit; an empty school code gets a message that asks for it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWizard

from desktop_app.config import default_db_path, remembered_db_path, standard_db_path
from desktop_app.exports.fonts import find_cjk_font
from desktop_app.services.profile import (
    FONT_PATH_KEY,
    Profile,
    get_profile,
    get_setting,
    get_term_dates,
    save_profile,
)
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import open_database
from desktop_app.ui.dialogs.first_run import FirstRunWizard, needs_first_run, show_first_run_if_needed
from desktop_app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db: Database):  # type: ignore[no-untyped-def]
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.db.close()


def _fill_profile(wizard: FirstRunWizard, name: str = "臺北市立示範高級中學") -> None:
    page = wizard.profile_page
    page.code.setText("011302")
    page.name.setText(name)
    page.principal.setText("王大明")
    page.practice.setChecked(True)


def _finish(wizard: FirstRunWizard) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()


def _choose_location(window: MainWindow, path: Path | str) -> FirstRunWizard:
    """Open the wizard, pick 指定其他位置 with ``path`` and press 下一步."""
    wizard = show_first_run_if_needed(window)
    assert wizard is not None
    wizard.location_page.other_radio.setChecked(True)
    wizard.location_page.path_edit.setText(str(path))
    wizard.next()
    return wizard


def test_wizard_writes_the_profile_and_does_not_show_again(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    db = window.db
    assert needs_first_run(db)
    wizard = show_first_run_if_needed(window)
    assert wizard is not None and wizard.isVisible()
    assert wizard.currentPage() is wizard.location_page
    assert wizard.location_page.default_radio.isChecked()

    wizard.next()
    assert wizard.currentPage() is wizard.profile_page
    _fill_profile(wizard)
    page = wizard.profile_page
    page.year.setValue(113)
    page.start[1].setDate(date(2024, 8, 30))
    page.end[1].setDate(date(2025, 1, 20))
    wizard.next()
    assert wizard.currentPage() is wizard.font_page
    with qtbot.waitSignal(wizard.finished, timeout=2000):
        _finish(wizard)

    assert get_profile(db) == Profile("011302", "臺北市立示範高級中學", "王大明", True, False)
    term = get_term_dates(db, 113, 1)
    assert term is not None and term.start_date == date(2024, 8, 30) and term.end_date == date(2025, 1, 20)
    assert window.db is db  # kept the database it was opened on
    assert remembered_db_path() is None
    assert not needs_first_run(db)
    assert show_first_run_if_needed(window) is None  # never again once the profile exists

    # the next start: the same file opened afresh by a new window
    db.close()
    with open_database(db.path) as reopened:
        assert not reopened.read_only
        second = MainWindow(reopened)
        qtbot.addWidget(second)
        assert show_first_run_if_needed(second) is None


def test_an_invalid_profile_stays_on_the_page_and_saves_nothing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wizard = show_first_run_if_needed(window)
    assert wizard is not None
    wizard.next()
    _fill_profile(wizard, name="   ")
    wizard.next()
    assert wizard.currentPage() is wizard.profile_page
    assert wizard.profile_page.error.isVisibleTo(wizard)
    assert "請輸入校名" in wizard.profile_page.error.text()
    assert get_profile(window.db) is None
    wizard.reject()
    assert needs_first_run(window.db)  # cancelled before a profile: shown again next start
    again = show_first_run_if_needed(window)
    assert again is not None
    again.reject()  # a modal dialog left open fails the test (conftest)


def test_choosing_another_location_moves_the_app_there(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_db = window.db
    folder = tmp_path / "網路磁碟" / "教務處"
    folder.mkdir(parents=True)
    wizard = _choose_location(window, folder)  # a folder gets the standard file name
    assert wizard.currentPage() is wizard.profile_page
    _fill_profile(wizard)
    wizard.next()
    with qtbot.waitSignal(wizard.finished, timeout=2000):
        _finish(wizard)

    chosen = folder / "portfolio.sqlite3"
    assert window.db.path == chosen
    assert get_profile(window.db) is not None
    assert remembered_db_path() == chosen.resolve()
    assert default_db_path() == chosen.resolve()  # next start (and the CLI) open it
    check = Database(first_db.path, exclusive=False)
    try:
        assert get_profile(check) is None  # nothing written to the database it started on
    finally:
        check.close()


def test_an_existing_database_brought_from_another_pc_fills_the_profile(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    old = tmp_path / "from-old-pc.sqlite3"
    with open_database(old) as other:
        save_profile(other, Profile("A00001", "舊電腦高中", "李校長", False, True))
    wizard = _choose_location(window, old)
    page = wizard.profile_page
    assert (page.code.text(), page.name.text(), page.principal.text()) == ("A00001", "舊電腦高中", "李校長")
    assert page.continuing.isChecked() and not page.practice.isChecked()
    # going back to the default location forgets the other file again
    wizard.back()
    wizard.location_page.default_radio.setChecked(True)
    wizard.next()
    assert wizard.target_db() is window.db
    assert remembered_db_path() is None
    wizard.reject()


def test_a_relative_path_is_refused_on_the_page(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wizard = _choose_location(window, "教務處資料")
    assert wizard.currentPage() is wizard.location_page
    assert "不是完整路徑" in wizard.location_page.error.text()
    assert remembered_db_path() is None
    wizard.reject()


def test_a_file_that_is_not_a_database_is_refused(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = tmp_path / "名冊.sqlite3"
    roster.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 50)
    wizard = _choose_location(window, roster)
    assert wizard.currentPage() is wizard.location_page
    assert "不是資料庫檔案" in wizard.location_page.error.text()
    assert remembered_db_path() is None
    wizard.reject()


def test_a_locked_database_is_refused_on_the_page(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    busy = tmp_path / "busy.sqlite3"
    holder = open_database(busy)  # another window has it open
    try:
        wizard = _choose_location(window, busy)
        assert wizard.currentPage() is wizard.location_page
        assert "正由另一個視窗" in wizard.location_page.error.text()
        wizard.reject()
    finally:
        holder.close()


def test_font_page_checks_and_stores_a_chosen_font(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    system_font = find_cjk_font().path
    wizard = show_first_run_if_needed(window)
    assert wizard is not None
    wizard.next()
    _fill_profile(wizard)
    wizard.next()
    font_page = wizard.font_page
    assert font_page.found_radio.isChecked() and str(system_font) in font_page.found_label.text()

    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_bytes(b"not a font at all")
    font_page.custom_radio.setChecked(True)
    font_page.font_edit.setText(str(not_a_font))
    _finish(wizard)
    assert wizard.isVisible()
    assert "不是可用的中文字型檔" in font_page.error.text()
    assert get_setting(window.db, FONT_PATH_KEY) == ""

    font_page.font_edit.setText(str(system_font))
    with qtbot.waitSignal(wizard.finished, timeout=2000):
        _finish(wizard)
    assert get_setting(window.db, FONT_PATH_KEY) == str(system_font.resolve())


def test_profile_db_needs_no_wizard(qtbot, profile_db: Database) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(profile_db)
    qtbot.addWidget(win)
    assert not needs_first_run(profile_db)
    assert show_first_run_if_needed(win) is None


def test_standard_location_is_offered_as_recommended(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_database(standard_db_path()) as db:
        wizard = FirstRunWizard(db)
        qtbot.addWidget(wizard)
        assert "建議" in wizard.location_page.default_radio.text()
        assert str(standard_db_path()) == wizard.location_page.default_label.text()


def test_each_date_field_has_its_own_hint_that_fits(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    wizard = show_first_run_if_needed(window)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.next()  # the database location page → the profile page
    page = wizard.profile_page
    qtbot.waitUntil(page.isVisible)
    page.year.setValue(114)
    hints = {
        "第1學期開學日": page.start[1].line.placeholderText(),
        "第1學期休業式": page.end[1].line.placeholderText(),
        "第2學期開學日": page.start[2].line.placeholderText(),
        "第2學期休業式": page.end[2].line.placeholderText(),
    }
    assert hints == {
        "第1學期開學日": "例：114/08/29",
        "第1學期休業式": "例：115/01/20",
        "第2學期開學日": "例：115/02/11",
        "第2學期休業式": "例：115/06/30",
    }
    QApplication.processEvents()
    for field in (*page.start.values(), *page.end.values()):
        line = field.line
        text_room = line.width() - 8  # frame and margins
        assert line.fontMetrics().horizontalAdvance(line.placeholderText()) <= text_room, line.placeholderText()
    page.year.setValue(115)
    assert page.start[2].line.placeholderText() == "例：116/02/11"
    wizard.reject()


def test_an_empty_school_code_asks_for_it(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    wizard = show_first_run_if_needed(window)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.next()
    page = wizard.profile_page
    page.name.setText("示範高中")
    page.principal.setText("王大明")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is page
    assert page.error.text() == "請輸入學校代碼（6 個英數字元，例如 011302）"
    assert "「」" not in page.error.text()
    wizard.reject()
