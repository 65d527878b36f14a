"""The 作業期程 tab driven like a user: plan a year, mark a task done, watch the banner; the
timeline's undated items in their own 學期, the export button's menu arrow, the dots' legend."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.domain.calendar import DeadlineItem, TaskStatus
from desktop_app.services.calendar.tasks import list_tasks
from desktop_app.services.profile import set_term_dates
from desktop_app.services.working_group import MeetingInput, add_meeting
from desktop_app.ui.calendar.dialogs import DoneDialog, OfficialDialog
from desktop_app.ui.calendar.tab import CalendarTab
from desktop_app.ui.calendar.timeline import undated_text
from desktop_app.ui.common.list_model import OBJECT_ROLE

TODAY = date(2025, 9, 10)  # 114-1 started 2025-09-01


def _when_modal(cls, act) -> None:  # type: ignore[no-untyped-def]
    """Run ``act(dialog)`` on the next modal widget of type ``cls``."""

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(20, step)
            return
        act(dialog)

    QTimer.singleShot(0, step)


def _tab(qtbot, db) -> CalendarTab:  # type: ignore[no-untyped-def]
    tab = CalendarTab(db, today=TODAY)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    return tab


def _select_in_agenda(tab: CalendarTab, template_key: str) -> None:
    tab.views.setCurrentWidget(tab.agenda)
    tab.agenda.set_filters()
    task = next(t for t in list_tasks(tab.db, 114) if t.template_key == template_key)
    assert tab.agenda.select_key(f"task:{task.id}")


def test_plan_a_year_mark_a_task_done_and_see_the_banner_change(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, profile_db)
    assert tab.current_year() == 114
    # an empty year is not a green 「沒有逾期」: a grey 「尚未規劃」, and no item actions without a selection
    assert "沒有逾期" not in tab.banner_text() and "尚未規劃" in tab.banner_text()
    assert tab.banner.level == "unplanned"
    assert "尚未規劃" in tab.message.text()
    assert not any(b.isEnabled() for b in (tab.done_button, tab.edit_button, tab.move_button, tab.delete_button))

    qtbot.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)
    assert len(list_tasks(profile_db, 114)) == 30
    assert "新增 30 項" in tab.message.text()
    banner = tab.banner_text()
    assert "逾期 1 項：系統維護" in banner and "114/08/31" in banner
    assert "7 天內到期 1 項：操作訓練：系統操作（114/09/14）" in banner
    assert tab.banner.level == "overdue"

    tab.views.setCurrentWidget(tab.agenda)
    tab.agenda.table.clearSelection()
    assert not tab.done_button.isEnabled() and "選取" in tab.done_button.toolTip()
    _select_in_agenda(tab, "maintenance@1")
    assert all(b.isEnabled() for b in (tab.done_button, tab.edit_button, tab.move_button, tab.delete_button))

    def fill(dialog: DoneDialog) -> None:
        dialog.done_on.setDate(date(2025, 9, 5))
        dialog.note.setPlainText("已於行政會議確認")
        dialog.accept()

    _when_modal(DoneDialog, fill)
    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    task = next(t for t in list_tasks(profile_db, 114) if t.template_key == "maintenance@1")
    assert (task.status, task.done_on, task.note) == (TaskStatus.DONE, date(2025, 9, 5), "已於行政會議確認")
    assert "逾期" not in tab.banner_text() and "系統維護" not in tab.banner_text()
    assert "7 天內到期 1 項" in tab.banner_text() and tab.banner.level == "soon"


def test_planning_again_offers_to_update(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, profile_db)
    tab.plan()
    qtbot.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)  # nothing to do: no dialog
    assert "沒有需要新增或更新" in tab.message.text()
    set_term_dates(profile_db, 114, 1, date(2025, 9, 3), date(2026, 1, 20))
    seen: list[str] = []

    def choose_update(box: QMessageBox) -> None:
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == "更新").click()

    _when_modal(QMessageBox, choose_update)
    qtbot.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)
    assert "已規劃過（不會重複新增）" in seen[0] and "開課預檢及比對" in seen[0]
    assert len(list_tasks(profile_db, 114)) == 30
    task = next(t for t in list_tasks(profile_db, 114) if t.template_key == "precheck-first@1")
    assert task.due_date == date(2025, 10, 1)


def test_month_view_roc_title_dots_and_day_list(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, profile_db)
    tab.plan()
    tab.views.setCurrentWidget(tab.month)
    tab.month.select_day(date(2025, 9, 14))
    assert tab.month.month_title() == "114年9月"
    on_day = tab.month.calendar.items_on(date(2025, 9, 14))
    assert [i.title for i in on_day] == ["操作訓練"]
    assert tab.month.day_model.rowCount() == 1
    assert "114/09/14" in tab.month.day_title.text()
    qtbot.mouseClick(tab.month.next_button, Qt.MouseButton.LeftButton)
    assert tab.month.month_title() == "114年10月"
    image = tab.month.calendar.grab().toImage()  # paints the cells with their dots
    assert not image.isNull()


def test_agenda_filters_and_colours(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, profile_db)
    tab.plan()
    agenda = tab.agenda
    agenda.set_filters(owner="網管人員")
    assert agenda.visible_items() and all("網管人員" in i.owners for i in agenda.visible_items())
    agenda.set_filters(item="二 研習規劃")
    assert {i.item for i in agenda.visible_items()} == {"二 研習規劃"}
    agenda.set_filters(status="逾期")
    assert [i.title for i in agenda.visible_items()] == ["系統維護"]
    index = agenda.model.index(0, 4)
    assert agenda.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#ffd7d7"
    agenda.set_filters(status="7 天內到期")
    assert [i.title for i in agenda.visible_items()] == ["操作訓練"]
    index = agenda.model.index(0, 0)
    assert agenda.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#ffe7b3"
    assert agenda.model.data(index, OBJECT_ROLE).state == "due-soon"


def test_timeline_lanes_and_click(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, profile_db)
    tab.plan()
    tab.views.setCurrentWidget(tab.timeline)
    canvas = tab.timeline.canvas
    assert canvas.lane_count() == 15  # one lane per template row, both 學期 on it
    canvas.grab()  # paint once: bars become clickable
    rect, item = canvas.bars()[0]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))
    assert tab.timeline.current_item() is item
    assert item.title in tab.message.text()


def test_official_deadline_dialog_and_ics_export(qtbot, profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = _tab(qtbot, profile_db)
    tab.plan()

    def fill(dialog: OfficialDialog) -> None:
        dialog.title.setText("預檢名冊提交至中央資料庫")
        dialog.start.setDate(date(2025, 9, 11))
        dialog.due.setDate(date(2025, 9, 15))
        dialog.doc_no.setText("臺教國署高字第1120113411號")
        dialog.rosters.setText("預檢_修課紀錄名冊")
        dialog.accept()

    _when_modal(OfficialDialog, fill)
    qtbot.mouseClick(tab.official_button, Qt.MouseButton.LeftButton)
    official = [t for t in list_tasks(profile_db, 114) if t.is_official]
    assert [(t.work, t.doc_no) for t in official] == [
        ("預檢名冊提交至中央資料庫", "臺教國署高字第1120113411號")
    ]
    assert "【國教署】預檢名冊提交至中央資料庫" in tab.banner_text()
    out = tab.export("ics", tmp_path / "cal.ics")
    assert out is not None
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    assert "【國教署】預檢名冊提交至中央資料庫" in summaries


def test_recorded_meeting_turns_the_meeting_task_done(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]

    tab = _tab(qtbot, profile_db)
    tab.plan()
    tab.agenda.set_filters(item="一 行政規劃")
    assert [i.status_label for i in tab.agenda.visible_items()] == ["未開始", "未開始"]
    add_meeting(profile_db, MeetingInput(held_on=date(2025, 9, 8), title="第1次工作小組會議"))
    tab.refresh()  # the window refreshes every tab after another tab changed the data
    meeting = next(i for i in tab.agenda.visible_items() if i.term == 1)
    assert (meeting.status_label, meeting.done_on, meeting.state) == ("完成", date(2025, 9, 8), "done")


def test_timing_dialog_stores_the_schools_mapping(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services.calendar.timings import list_timing_rules
    from desktop_app.ui.calendar.dialogs import TimingDialog

    dialog = TimingDialog(profile_db)
    qtbot.addWidget(dialog)
    row = next(r for r, info in enumerate(dialog.model.rows()) if info.rule.word == "開學初")
    dialog.table.selectRow(row)
    assert dialog.word.text() == "開學初" and dialog.due_days.value() == 13
    dialog.due_days.setValue(20)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    rule = {i.rule.word: i for i in list_timing_rules(profile_db)}["開學初"]
    assert rule.overridden and rule.rule.due_days == 20
    assert dialog.model.rows()[row].overridden
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert not {i.rule.word: i for i in list_timing_rules(profile_db)}["開學初"].overridden


def _item(term: int | None) -> DeadlineItem:
    return DeadlineItem(
        key="task:1", kind="task", year=115, term=term, item="三 平台規劃", title="勾選/提交", content="",
        owners="教務處", start_date=None, due_date=None, status=TaskStatus.NOT_STARTED, done_on=None, state="open",
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


def test_calendar_dots_have_a_legend_in_a_colour_blind_safe_palette(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.calendar.common import STATE_COLOUR
    from desktop_app.ui.calendar.tab import CalendarTab

    tab = CalendarTab(profile_db)
    qtbot.addWidget(tab)
    text = tab.legend.text()
    for word in ("逾期", "7 天內到期", "未到期", "已完成", "國教署期限"):
        assert word in text
    assert STATE_COLOUR["overdue"] == "#D55E00" and STATE_COLOUR["done"] == "#009E73"  # Okabe–Ito
