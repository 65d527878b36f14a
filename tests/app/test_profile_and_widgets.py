from __future__ import annotations

from datetime import date

from desktop_app.services.profile import get_profile, get_term_dates
from desktop_app.ui.common.roc_date_edit import RocDateEdit
from desktop_app.ui.dialogs.profile_dialog import ProfileDialog


def test_profile_dialog_saves_profile_and_term_dates(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    dialog = ProfileDialog(db, first_run=True)
    qtbot.addWidget(dialog)
    dialog.code.setText("011302")
    dialog.name.setText("測試高中")
    dialog.principal.setText("林志明")
    dialog.practice.setChecked(True)
    dialog.year.setValue(114)
    dialog.start[1].line.setText("114/9/1")
    dialog.end[1].line.setText("115年1月20日")
    dialog.save()
    assert dialog.result() == 1
    profile = get_profile(db)
    assert profile is not None and profile.has_practice_office and not profile.has_continuing_division
    td = get_term_dates(db, 114, 1)
    assert td is not None and td.start_date == date(2025, 9, 1) and td.end_date == date(2026, 1, 20)


def test_profile_dialog_refuses_a_bad_school_code(qtbot, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    dialog = ProfileDialog(db)
    qtbot.addWidget(dialog)
    dialog.code.setText("12")
    dialog.name.setText("x")
    dialog.principal.setText("y")
    dialog.save()
    assert shown and "學校代碼" in shown[0]
    assert get_profile(db) is None


def test_roc_date_edit_shows_and_accepts_roc_dates(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = RocDateEdit(date(2024, 9, 2))
    qtbot.addWidget(edit)
    assert edit.line.text() == "113/09/02"
    with qtbot.waitSignal(edit.dateChanged) as blocker:
        edit.line.setText("113年10月5日")
        edit.line.editingFinished.emit()
    assert blocker.args == [date(2024, 10, 5)]
    assert edit.line.text() == "113/10/05"
    edit.line.setText("113/02/30")
    assert not edit.is_valid()
    edit.line.editingFinished.emit()
    assert edit.date() == date(2024, 10, 5)  # the bad text did not replace the date
    assert "不是有效的日期" in edit.line.toolTip()


def test_settings_dialog_saves_mask_and_font(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.exports.fonts import find_cjk_font
    from desktop_app.services.profile import FONT_PATH_KEY, get_setting, mask_pattern
    from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "A12345****"
    dialog.pattern.setText("XXX****XXX")
    assert dialog.preview.text() == "A12****789"
    font = find_cjk_font()
    dialog.font_path.setText(str(font.path))
    assert dialog.test_font()
    dialog.font_path.setText("/nonexistent/font.ttf")
    assert not dialog.test_font()
    dialog.font_path.setText(str(font.path))
    dialog.save()
    assert mask_pattern(db) == "XXX****XXX"
    assert get_setting(db, FONT_PATH_KEY) == str(font.path)
