"""Issue 12 (6): the first-run wizard's date hints make sense per field and fit; an empty school
code gets a message that asks for it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWizard

from desktop_app.ui.dialogs.first_run import show_first_run_if_needed
from desktop_app.ui.main_window import MainWindow


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
