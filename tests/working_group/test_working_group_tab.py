"""The 工作小組 tab driven like a user: dialogs filled, buttons clicked, files written and read back;
on a read-only database the buttons that change data are disabled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.services.profile import Profile, save_profile
from desktop_app.services.working_group import MemberInput, add_member, list_meetings
from desktop_app.ui.working_group.dialogs import MeetingDialog, MemberDialog
from desktop_app.ui.working_group.tab import WorkingGroupTab

BASE = [
    ("林志明", "召集人"), ("陳美玲", "執行秘書"), ("黃俊傑", "教務處代表"), ("張家豪", "學務處代表"),
    ("李雅婷", "輔導處(室)代表"), ("王建民", "課程諮詢教師代表"), ("劉怡君", "教師代表"),
    ("蔡宗翰", "家長代表"),
]  # fmt: skip


def _when_dialog(cls, fill) -> None:  # type: ignore[no-untyped-def]
    """Fill the next modal dialog of type ``cls`` and accept it."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(20, act)
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, act)


def _tab(qtbot, db) -> WorkingGroupTab:  # type: ignore[no-untyped-def]
    save_profile(db, Profile("011302", "測試高中", "林志明", False, False))
    for name, seat in BASE:
        add_member(db, MemberInput(114, name, seat, title="職稱"))
    tab = WorkingGroupTab(db)
    qtbot.addWidget(tab)
    tab.year.setValue(114)
    return tab


def test_adding_the_missing_member_turns_the_check_green(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, db)
    assert tab.composition_badge.state == "bad"
    assert "學生代表" in tab.composition_badge.text()

    def fill(d: MemberDialog) -> None:
        d.name.setText("許芷瑜")
        d.seat.setCurrentText("學生代表")
        d.term_start.line.setText("114/8/1")

    _when_dialog(MemberDialog, fill)
    tab.add_member()
    assert tab.composition_badge.state == "ok"
    assert "符合" in tab.composition_badge.text()
    assert any(m.name == "許芷瑜" and m.term_start == date(2025, 8, 1) for m in tab.member_model.rows())


def test_adding_a_meeting_turns_the_term_indicator_green(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, db)
    assert tab.term_badges[1].state in ("bad", "warn", "neutral") and tab.term_badges[1].state != "ok"

    def fill(d: MeetingDialog) -> None:
        d.held_on.line.setText("114/09/10")
        d.title_edit.setText("114學年度第1學期工作小組會議")
        d.guests.setPlainText("資訊組長 周志強")

    _when_dialog(MeetingDialog, fill)
    tab.add_meeting()
    assert tab.term_badges[1].state == "ok"
    meeting = list_meetings(db, 114)[0]
    assert meeting.term == 1 and len(meeting.attendee_ids) == len(BASE)


def test_exports_member_list_and_signin_sheet(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, db)
    xlsx = tab.export_members(str(tmp_path / "members.xlsx"))
    assert xlsx is not None
    ws = load_workbook(xlsx)["工作小組成員"]
    names = [ws.cell(r, 3).value for r in range(3, 3 + len(BASE))]
    assert names == [n for n, _ in BASE]

    def fill(d: MeetingDialog) -> None:
        d.held_on.line.setText("114/9/10")
        d.title_edit.setText("第1次會議")

    _when_dialog(MeetingDialog, fill)
    tab.add_meeting()
    tab.sections.setCurrentIndex(1)
    tab.meeting_view.selectRow(0)
    pdf = tab.export_signin(str(tmp_path / "signin.pdf"), open_after=False)
    assert pdf is not None
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    for name, _ in BASE:
        assert name in text
    assert "114年9月10日" in text and "簽到表" in text


def test_bad_date_in_the_meeting_dialog_is_refused(qtbot, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _tab(qtbot, db)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    dialog = MeetingDialog([])
    qtbot.addWidget(dialog)
    dialog.held_on.line.setText("114/02/30")
    dialog.title_edit.setText("x")
    dialog.accept()
    assert warnings and "日期" in warnings[0]
    assert dialog.result() == 0


def test_new_member_defaults_to_the_school_year_and_meeting_title_hint_follows_the_date(qtbot) -> None:  # type: ignore[no-untyped-def]
    member = MemberDialog(115)
    qtbot.addWidget(member)
    assert member.term_start.line.text() == "115/08/01" and member.term_end.line.text() == "116/07/31"
    meeting = MeetingDialog([])
    qtbot.addWidget(meeting)
    meeting.held_on.line.setText("115/03/02")
    meeting.held_on.line.editingFinished.emit()
    assert "114學年度第2學期" in meeting.title_edit.placeholderText()


def test_working_group_tab_read_only(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.db import Database
    from desktop_app.ui.common.read_only import READ_ONLY_TOOLTIP
    from desktop_app.ui.working_group.tab import WorkingGroupTab

    writable = WorkingGroupTab(db)
    qtbot.addWidget(writable)
    assert len(writable.edit_buttons) == 9 and all(b.isEnabled() for b in writable.writable_widgets())
    second = Database(db.path)
    try:
        tab = WorkingGroupTab(second)
        qtbot.addWidget(tab)
        texts = sorted(b.text() for b in tab.writable_widgets())
        assert texts == sorted(
            ["複製上學年度成員", "新增成員…", "新增會議…", "新增版本…", *["修改…"] * 3, *["刪除"] * 3]
        )
        assert all(not b.isEnabled() and b.toolTip() == READ_ONLY_TOOLTIP for b in tab.writable_widgets())
        tab.year.setValue(tab.year.value() + 1)  # a refresh keeps them locked
        assert not tab.copy_button.isEnabled()
        assert tab.export_xlsx_button.isEnabled()  # an export changes nothing
    finally:
        second.close()
