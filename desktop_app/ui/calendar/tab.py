"""The 作業期程 tab (owned by the calendar feature).

A banner naming what is overdue or due this week, a toolbar (學年度, plan, add, official deadline,
timing mapping, exports) and three views of the same items: 月曆, 清單, 時間軸.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.calendar import DeadlineItem, TaskInfo
from desktop_app.domain.roc_date import format_roc, school_year_of
from desktop_app.services import ServiceError
from desktop_app.services.calendar.deadlines import deadline_items
from desktop_app.services.calendar.exports import export_calendar
from desktop_app.services.calendar.planning import PlanResult, plan_year, preview_plan
from desktop_app.services.calendar.reminders import banner_summary
from desktop_app.services.calendar.tasks import (
    add_official,
    add_task,
    delete_task,
    get_task,
    list_tasks,
    mark_done,
    move_task,
    update_task,
)
from desktop_app.storage.db import Database
from desktop_app.ui.calendar.agenda import AgendaView
from desktop_app.ui.calendar.common import LEGEND_HTML, SOURCE_TITLES, item_label
from desktop_app.ui.calendar.dialogs import DoneDialog, MoveDialog, OfficialDialog, TaskDialog, TimingDialog
from desktop_app.ui.calendar.month import MonthView
from desktop_app.ui.calendar.timeline import TimelineView
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.reminder_banner import BANNER_DAYS, CalendarBanner
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.events import Topic

SOURCE_TABS = {"precheck": "precheck", "meeting": "working_group", "receipts": "receipts"}


class CalendarTab(BaseTab):
    key = "calendar"
    title = "作業期程"
    owns = Topic.CALENDAR
    shows = frozenset({  # tasks and the progress derived from the others
        Topic.CALENDAR,
        Topic.WORKING_GROUP,
        Topic.PRECHECK,
        Topic.RECEIPTS,
        Topic.PROFILE,
    })

    def __init__(self, db: Database, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(db, parent)
        self._today = today
        self.items: list[DeadlineItem] = []
        self.banner = CalendarBanner()
        top = self._build_toolbar()
        self._build_views()
        self._lay_out(top)
        self._connect_actions()
        self._connect_selection()
        self.refresh()
        self.month.select_day(self.today)

    def _build_toolbar(self) -> QHBoxLayout:
        """學年度, the year's actions and 匯出 on the left; the selected item's actions on the right."""
        self.year = QSpinBox()
        self.year.setRange(100, 200)
        self.year.setSuffix(" 學年度")
        self.year.setValue(school_year_of(self.today))
        self.plan_button = QPushButton("規劃學年度")
        self.plan_button.setToolTip("依作業期程範本產生本學年度兩個學期的工作（重複執行不會重複新增）")
        self.add_button = QPushButton("新增工作")
        self.official_button = QPushButton("新增國教署期限")
        self.timing_button = QPushButton("時程對照…")
        # a push button like its neighbours: a QToolButton drew its menu arrow over the text
        self.export_button = QPushButton("匯出")
        menu = QMenu(self.export_button)
        menu.addAction("行事曆檔（.ics，Outlook / Google 日曆）…", lambda: self.export_dialog("ics"))
        menu.addAction("Excel…", lambda: self.export_dialog("xlsx"))
        menu.addAction("PDF 議程（工作小組會議用）…", lambda: self.export_dialog("pdf"))
        self.export_button.setMenu(menu)

        self.done_button = QPushButton("標記完成")
        self.edit_button = QPushButton("修改")
        self.move_button = QPushButton("移動")
        self.delete_button = QPushButton("刪除")

        top = QHBoxLayout()
        top.addWidget(self.year)
        for w in (
            self.plan_button,
            self.add_button,
            self.official_button,
            self.timing_button,
            self.export_button,
        ):
            top.addWidget(w)
        top.addStretch(1)
        for w in (self.done_button, self.edit_button, self.move_button, self.delete_button):
            top.addWidget(w)
        return top

    def _build_views(self) -> None:
        """The message line and the three views of the same items: 月曆, 清單, 時間軸."""
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#1b3a57;")
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.views = QTabWidget()
        self.month = MonthView()
        self.agenda = AgendaView()
        self.timeline = TimelineView()
        self.views.addTab(self.month, "月曆")
        self.views.addTab(self.agenda, "清單")
        self.views.addTab(self.timeline, "時間軸")

    def _lay_out(self, top: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.message)
        self.message.setVisible(False)
        layout.addWidget(self.views, 1)
        # the month view's dots differ by colour: a legend says which is which
        self.legend = QLabel(LEGEND_HTML)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.legend)

    def _connect_actions(self) -> None:
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.plan_button.clicked.connect(self.plan_action)
        self.add_button.clicked.connect(self.add_action)
        self.official_button.clicked.connect(self.official_action)
        self.timing_button.clicked.connect(self.timing_action)
        self.done_button.clicked.connect(self.done_action)
        self.edit_button.clicked.connect(lambda: self.edit_action())
        self.move_button.clicked.connect(self.move_action)
        self.delete_button.clicked.connect(self.delete_action)
        self.month.item_activated.connect(self.edit_action)
        self.agenda.item_activated.connect(self.edit_action)
        self.timeline.item_clicked.connect(lambda i: self._say(self._describe(i)))
        self.banner.clicked.connect(self.show_pending)

    def _connect_selection(self) -> None:
        """標記完成 / 修改 / 移動 / 刪除 act on the selected item: disabled while nothing is selected."""
        for table in (self.agenda.table, self.month.day_table):
            table.selectionModel().selectionChanged.connect(lambda *_a: self._update_item_buttons())
        self.timeline.item_clicked.connect(lambda _i: self._update_item_buttons())
        self.views.currentChanged.connect(lambda _i: self._update_item_buttons())
        for table in (self.agenda.table, self.month.day_table):
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(lambda pos, t=table: self._context_menu(t, pos))

    # --- state -------------------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self._today or date.today()

    def current_year(self) -> int:
        return self.year.value()

    def use_window_banner(self, banner: CalendarBanner) -> None:
        """In the main window the window's banner (above the tabs) is the only one: this tab keeps
        its banner up to date (``banner_text``) but does not show it, so the tab bar never moves."""
        self.banner.setVisible(False)
        layout = self.layout()
        if layout is not None:
            layout.removeWidget(self.banner)

    def banner_text(self) -> str:
        """The banner's text: what is overdue or due within 7 days (for the main window too)."""
        return self.banner.text()

    def refresh(self) -> None:
        year = self.current_year()
        self.items = deadline_items(self.db, year, today=self.today, soon_days=BANNER_DAYS)
        self.month.set_items(self.items)
        self.agenda.set_items(self.items)
        self.timeline.set_items(year, self.items, self.today)
        overdue, soon = banner_summary(self.db, today=self.today, days=BANNER_DAYS)
        self.banner.set_summary(overdue, soon, BANNER_DAYS)
        read_only = self.db.read_only
        for w in (
            self.plan_button,
            self.add_button,
            self.official_button,
            self.timing_button,
        ):
            w.setEnabled(not read_only)
        self._update_item_buttons()
        planned = any(i.kind != "data" for i in self.items)
        if not planned:
            # nothing planned is not 「沒有逾期」: say so in grey, not in reassuring green
            self.banner.set_unplanned(year)
            if not self.message.text():
                self._say(f"{year}學年度尚未規劃：按「規劃學年度」依範本產生兩個學期的工作。")

    def _update_item_buttons(self) -> None:
        has_item = self.current_item() is not None and not self.db.read_only
        for w in (self.done_button, self.edit_button, self.move_button, self.delete_button):
            w.setEnabled(has_item)
            w.setToolTip("" if has_item else "請先在月曆、清單或時間軸選取一個項目")

    def show_record(self, record: object) -> None:
        if isinstance(record, int):
            self.views.setCurrentWidget(self.agenda)
            self.agenda.set_filters()
            self.agenda.select_key(f"task:{record}")

    def show_pending(self) -> None:
        self.views.setCurrentWidget(self.agenda)
        self.agenda.set_filters(status="未完成")

    def current_item(self) -> DeadlineItem | None:
        view = self.views.currentWidget()
        if view is self.month:
            return self.month.current_item()
        if view is self.agenda:
            return self.agenda.current_item()
        return self.timeline.current_item()

    def _describe(self, item: DeadlineItem) -> str:
        window = format_roc(item.due_date) or "待公告"
        if item.start_date and item.start_date != item.due_date:
            window = f"{format_roc(item.start_date)}－{format_roc(item.due_date)}"
        return (
            f"已選取：{item_label(item)}　{window}　主責：{item.owners}　{item.status_label}（{item.state_title}）"
        )

    def _task_of(self, item: DeadlineItem | None) -> TaskInfo | None:
        if item is None:
            self._say("請先在月曆、清單或時間軸選取一個項目。")
            return None
        if item.task_id is None:
            source = SOURCE_TITLES.get(item.source, "資料")
            answer = QMessageBox.question(
                self,
                "由資料自動判定",
                f"「{item.title}」依{source}自動判定，不能在此修改。\n要前往相關分頁處理嗎？",
            )
            if answer == QMessageBox.StandardButton.Yes and item.source in SOURCE_TABS:
                self.navigate.emit(SOURCE_TABS[item.source], None)
            return None
        try:
            return get_task(self.db, item.task_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return None

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _done(self, text: str) -> None:
        self._say(text)
        self.changed()

    def _context_menu(self, table: QTableView, pos: QPoint) -> None:
        index = table.indexAt(pos)
        if not index.isValid():
            return
        table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction("標記完成…", self.done_action)
        menu.addAction("修改…", lambda: self.edit_action())
        menu.addAction("移動…", self.move_action)
        menu.addSeparator()
        menu.addAction("刪除", self.delete_action)
        for action in menu.actions():
            action.setEnabled(not self.db.read_only)
        menu.exec(table.viewport().mapToGlobal(pos))

    # --- actions without dialogs (also used by tests) ----------------------------------------
    def plan(self, update_existing: bool = True) -> PlanResult:
        result = plan_year(self.db, self.current_year(), update_existing=update_existing)
        text = f"{result.year}學年度作業期程：新增 {result.created} 項，更新 {len(result.updated)} 項。"
        if result.kept:
            text += f" {len(result.kept)} 項日期為手動設定，已保留。"
        if result.missing_terms:
            text += f" {'、'.join(result.missing_terms)}尚未設定開學日，未規劃。"
        self._done(text)
        return result

    def mark_task_done(self, task_id: int, done_on: date | None = None, note: str = "") -> TaskInfo:
        task = mark_done(self.db, task_id, done_on, note)
        self._done(f"已標記完成：{task.work}（{format_roc(task.done_on)}）")
        return task

    # --- actions with dialogs ----------------------------------------------------------------
    def plan_action(self) -> None:
        year = self.current_year()
        try:
            preview = preview_plan(self.db, year)
        except ServiceError as exc:
            self.show_error(str(exc), "無法規劃")
            return
        update = True
        if preview.already_planned:
            if not preview.to_create and not preview.to_update:
                self._say(f"{year}學年度已依範本規劃完成，沒有需要新增或更新的工作。")
                return
            lines = [f"{year}學年度已規劃過（不會重複新增）。"]
            if preview.to_create:
                lines.append(f"將新增 {len(preview.to_create)} 項尚未規劃的工作。")
            if preview.to_update:
                lines.append(f"有 {len(preview.to_update)} 項工作的範本日期已改變：")
                lines += [f"・{c.label}：{'；'.join(c.changes)}" for c in preview.to_update[:12]]
                lines.append("\n要一併更新這些工作嗎？（狀態、完成日與備註不會變動）")
            box = QMessageBox(self)
            box.setWindowTitle("規劃學年度")
            box.setText("\n".join(lines))
            yes = box.addButton("更新", QMessageBox.ButtonRole.YesRole) if preview.to_update else None
            only_new = box.addButton("只新增" if preview.to_update else "新增", QMessageBox.ButtonRole.NoRole)
            box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            clicked = box.clickedButton()
            if clicked is not yes and clicked is not only_new:
                return
            update = clicked is yes
        try:
            self.plan(update_existing=update)
        except ServiceError as exc:
            self.show_error(str(exc), "無法規劃")

    def add_action(self) -> None:
        dialog = TaskDialog(self.current_year(), None, self)
        while dialog.exec():
            try:
                task = add_task(self.db, dialog.value())
            except ServiceError as exc:
                self.show_error(str(exc))
                continue
            self._done(f"已新增：{task.work}")
            return

    def edit_action(self, item: DeadlineItem | None = None) -> None:
        task = self._task_of(item or self.current_item())
        if task is None:
            return
        dialog = TaskDialog(task.year, task, self)
        while dialog.exec():
            try:
                updated = update_task(self.db, task.id, dialog.value())
            except ServiceError as exc:
                self.show_error(str(exc))
                continue
            self._done(f"已修改：{updated.work}")
            return

    def done_action(self) -> None:
        task = self._task_of(self.current_item())
        if task is None:
            return
        dialog = DoneDialog(task.title, self)
        if dialog.exec():
            done_on, note = dialog.value()
            try:
                self.mark_task_done(task.id, done_on, note)
            except ServiceError as exc:
                self.show_error(str(exc))

    def move_action(self) -> None:
        task = self._task_of(self.current_item())
        if task is None:
            return
        dialog = MoveDialog(task, self)
        if dialog.exec() and (target := dialog.value()) is not None:
            try:
                moved = move_task(self.db, task.id, target)
            except ServiceError as exc:
                self.show_error(str(exc))
                return
            self._done(f"已移動：{moved.work} → {format_roc(moved.due_date)}")

    def delete_action(self) -> None:
        task = self._task_of(self.current_item())
        if task is None:
            return
        answer = QMessageBox.question(
            self, "刪除工作", f"確定刪除「{task.title}」（{format_roc(task.due_date)}）？"
        )
        if answer == QMessageBox.StandardButton.Yes:
            delete_task(self.db, task.id)
            self._done(f"已刪除：{task.work}")

    def official_action(self) -> None:
        waiting = [t for t in list_tasks(self.db, self.current_year()) if t.due_date is None]
        dialog = OfficialDialog(self.current_year(), waiting, self)
        while dialog.exec():
            try:
                task = add_official(self.db, dialog.value())
            except ServiceError as exc:
                self.show_error(str(exc))
                continue
            self._done(f"已新增國教署期限：{task.work}（{format_roc(task.due_date)}，{task.doc_no}）")
            return

    def timing_action(self) -> None:
        dialog = TimingDialog(self.db, self)
        dialog.exec()
        if dialog.changed:
            self._say("時程對照已修改：按「規劃學年度」可依新的對照更新日期。")

    def export_dialog(self, kind: str) -> None:
        year = self.current_year()
        filters = {"ics": "iCalendar (*.ics)", "xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)"}
        path = file_dialogs.save_file(self, "匯出作業期程", file_dialogs.REPORTS, f"作業期程_{year}.{kind}", filters[kind])
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> Path | None:
        """Write the 學年度 as ``kind`` (ics / xlsx / pdf) through the same service as the CLI."""
        try:
            out = export_calendar(self.db, self.current_year(), kind, path, today=self.today)
        except ServiceError as exc:
            self.show_error(str(exc), "匯出失敗")
            return None
        self._say(f"已匯出：{out}")
        return out
