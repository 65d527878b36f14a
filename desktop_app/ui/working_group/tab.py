"""The 工作小組 tab: members per 學年度 with a live composition check, meetings with a per-學期
indicator, 補充規定 versions, and the exports (member list xlsx, sign-in sheet PDF)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import ICON_BAD, ICON_OK, export_xlsx
from desktop_app.domain.roc_date import Term, format_roc, school_year_of
from desktop_app.domain.working_group import MEETING_STATE_TEXT, SEATS, meeting_states
from desktop_app.services import ServiceError
from desktop_app.services.working_group import (
    MeetingInfo,
    MemberInfo,
    RegulationInfo,
    add_meeting,
    add_member,
    add_regulation,
    composition_check,
    copy_members,
    delete_meeting,
    delete_member,
    delete_regulation,
    list_meetings,
    list_member_years,
    list_members,
    list_regulations,
    meeting_indicator,
    update_meeting,
    update_member,
    update_regulation,
)
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.badge import Badge
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.read_only import READ_ONLY_TOOLTIP
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.events import Topic
from desktop_app.ui.working_group.dialogs import MeetingDialog, MemberDialog, RegulationDialog

STATE_BADGE = {"held": "ok", "missing": "bad", "pending": "warn", "upcoming": "neutral"}


def _table(model: ListTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class WorkingGroupTab(BaseTab):
    key = "working_group"
    title = "工作小組"
    owns = Topic.WORKING_GROUP
    shows = frozenset({Topic.WORKING_GROUP, Topic.PROFILE})  # the composition check reads the profile

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel("學年度"))
        self.year = QSpinBox()
        self.year.setRange(100, 200)
        self.year.setSuffix(" 學年度")
        years = list_member_years(db)
        current = school_year_of(date.today())
        self.year.setValue(current if current in years or not years else years[-1])
        self.year.valueChanged.connect(self.refresh)
        top.addWidget(self.year)
        self.copy_button = QPushButton("複製上學年度成員")
        self.copy_button.clicked.connect(self.copy_previous_year)
        top.addWidget(self.copy_button)
        top.addStretch(1)
        self.export_xlsx_button = QPushButton(export_xlsx("成員名單"))
        self.export_xlsx_button.clicked.connect(self.export_members)
        top.addWidget(self.export_xlsx_button)
        layout.addLayout(top)

        status = QGroupBox("檢核（要點第5點之1）")
        status_layout = QVBoxLayout(status)
        self.composition_badge = Badge()
        status_layout.addWidget(self.composition_badge)
        terms = QHBoxLayout()
        self.term_badges = {1: Badge(), 2: Badge()}
        terms.addWidget(self.term_badges[1], 1)
        terms.addWidget(self.term_badges[2], 1)
        self.regulation_badge = Badge()
        terms.addWidget(self.regulation_badge, 2)
        status_layout.addLayout(terms)
        layout.addWidget(status)

        self.sections = QTabWidget()
        layout.addWidget(self.sections, 1)
        self.edit_buttons: list[QPushButton] = []  # add / edit / delete of each section
        self._build_members()
        self._build_meetings()
        self._build_regulations()
        self.refresh()

    # --- sections ---------------------------------------------------------------------------
    def _buttons(self, *specs: tuple[str, object], writes: int | None = None) -> QHBoxLayout:
        """A row of buttons; the first ``writes`` (default: all) change data (see
        :meth:`writable_widgets`)."""
        row = QHBoxLayout()
        for index, (text, slot) in enumerate(specs):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
            if writes is None or index < writes:
                self.edit_buttons.append(button)
        row.addStretch(1)
        return row

    def writable_widgets(self) -> list[QWidget]:
        return [self.copy_button, *self.edit_buttons]

    def _build_members(self) -> None:
        self.member_model: ListTableModel[MemberInfo] = ListTableModel([
            Column("席次", lambda m: m.seat.label, sort_key=lambda m: SEATS.index(m.seat)),
            Column("姓名", lambda m: m.name),
            Column("職稱", lambda m: m.title),
            Column("單位", lambda m: m.unit),
            Column("任期起", lambda m: format_roc(m.term_start)),
            Column("任期迄", lambda m: format_roc(m.term_end)),
            Column("備註", lambda m: m.note),
        ])
        page = QWidget()
        v = QVBoxLayout(page)
        v.addLayout(self._buttons(("新增成員…", self.add_member), ("修改…", self.edit_member),
                                  ("刪除", self.delete_member)))
        self.member_view = _table(self.member_model)
        self.member_view.doubleClicked.connect(lambda _i: self.edit_member())
        v.addWidget(self.member_view)
        self.sections.addTab(page, "成員")

    def _build_meetings(self) -> None:
        self.meeting_model: ListTableModel[MeetingInfo] = ListTableModel([
            Column("日期", lambda m: format_roc(m.held_on), sort_key=lambda m: m.held_on.toordinal()),
            Column("學期", lambda m: m.term_title),
            Column("會議名稱", lambda m: m.title),
            Column("出席", lambda m: len(m.attendee_ids), align_right=True),
            Column("列席", lambda m: len([g for g in m.guests.splitlines() if g.strip()]), align_right=True),
            Column("附件", lambda m: len(m.attachments), align_right=True),
            Column("決議", lambda m: m.minutes.replace("\n", " ")[:60]),
        ])
        page = QWidget()
        v = QVBoxLayout(page)
        v.addLayout(self._buttons(("新增會議…", self.add_meeting), ("修改…", self.edit_meeting),
                                  ("刪除", self.delete_meeting), ("列印簽到表 PDF…", self.export_signin),
                                  writes=3))
        self.meeting_view = _table(self.meeting_model)
        self.meeting_view.doubleClicked.connect(lambda _i: self.edit_meeting())
        v.addWidget(self.meeting_view)
        self.sections.addTab(page, "會議")

    def _build_regulations(self) -> None:
        self.regulation_model: ListTableModel[RegulationInfo] = ListTableModel([
            Column("版本", lambda r: r.version),
            Column("訂定日", lambda r: format_roc(r.drafted_on)),
            Column("校務會議通過", lambda r: format_roc(r.passed_on)),
            Column("會議名稱", lambda r: r.meeting_name),
            Column("公告日", lambda r: format_roc(r.announced_on)),
            Column("網址", lambda r: r.url),
            Column("狀態", lambda r: r.status.line,
                   background=lambda r: "#e3f5e1" if r.status.complete else "#fff4d6"),
        ])
        page = QWidget()
        v = QVBoxLayout(page)
        v.addLayout(self._buttons(("新增版本…", self.add_regulation), ("修改…", self.edit_regulation),
                                  ("刪除", self.delete_regulation)))
        self.regulation_view = _table(self.regulation_model)
        self.regulation_view.doubleClicked.connect(lambda _i: self.edit_regulation())
        v.addWidget(self.regulation_view)
        self.sections.addTab(page, "補充規定")

    # --- refresh ----------------------------------------------------------------------------
    def refresh(self) -> None:
        year = self.year.value()
        self.member_model.set_rows(list_members(self.db, year))
        self.meeting_model.set_rows(list_meetings(self.db, year))
        self.regulation_model.set_rows(list_regulations(self.db))
        for view in (self.member_view, self.meeting_view, self.regulation_view):
            view.resizeColumnsToContents()
        result = composition_check(self.db, year)
        if result.ok:
            text = f"{ICON_OK} {year}學年度工作小組組成符合規定（{len(self.member_model.rows())} 人）"
        else:
            text = f"{ICON_BAD} " + f"\n{ICON_BAD} ".join(result.problems)
        if result.suggestions:
            text += "\n• " + "\n• ".join(result.suggestions)
        self.composition_badge.set_state("ok" if result.ok else "bad", text)
        states = meeting_states(year, meeting_indicator(self.db, year), date.today())
        for term, badge in self.term_badges.items():
            badge.set_state(STATE_BADGE[states[term]], f"{Term(year, term).title}會議：{MEETING_STATE_TEXT[states[term]]}")
        regulations = list_regulations(self.db)
        if regulations:
            latest = regulations[-1]
            self.regulation_badge.set_state(
                "ok" if latest.status.complete else "warn", f"補充規定（{latest.version}）：{latest.status.line}"
            )
        else:
            self.regulation_badge.set_state("bad", "補充規定：尚未建立")
        self.apply_read_only()

    def show_record(self, record: object) -> None:
        """``("meeting", id)``, ``("regulation", id)`` or ``("members", year)``."""
        if not isinstance(record, tuple) or len(record) != 2:
            return
        kind, value = record
        if kind == "members":
            self.year.setValue(int(value))
            self.sections.setCurrentIndex(0)
        elif kind == "meeting":
            for m in list_meetings(self.db):
                if m.id == value:
                    self.year.setValue(m.year)
            self.sections.setCurrentIndex(1)
            self._select(self.meeting_view, self.meeting_model, value)
        elif kind == "regulation":
            self.sections.setCurrentIndex(2)
            self._select(self.regulation_view, self.regulation_model, value)

    @staticmethod
    def _select(view: QTableView, model: ListTableModel, record_id: object) -> None:
        for row, obj in enumerate(model.rows()):
            if getattr(obj, "id", None) == record_id:
                view.selectRow(row)

    # --- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _selected(view: QTableView, model: ListTableModel):
        rows = view.selectionModel().selectedRows()
        return model.row_object(rows[0].row()) if rows else None

    def _edit(self, dialog, save) -> None:
        """Show ``dialog`` until ``save(value)`` succeeds or the user cancels; then dispose of it."""
        if self.db.read_only:  # a double-click on a row also lands here
            dialog.deleteLater()
            self.show_error(READ_ONLY_TOOLTIP, "唯讀")
            return
        try:
            while dialog.exec():
                if self._run(lambda: save(dialog.value())):
                    return
        finally:
            dialog.deleteLater()

    def _run(self, action) -> bool:
        try:
            action()
        except ServiceError as exc:
            self.show_error(str(exc))
            return False
        self.changed()
        return True

    # --- members ----------------------------------------------------------------------------
    def add_member(self) -> None:
        dialog = MemberDialog(self.year.value(), parent=self)
        self._edit(dialog, lambda value: add_member(self.db, value))

    def edit_member(self) -> None:
        member = self._selected(self.member_view, self.member_model)
        if member is None:
            return
        dialog = MemberDialog(self.year.value(), member, parent=self)
        self._edit(dialog, lambda value: update_member(self.db, member.id, value))

    def delete_member(self) -> None:
        member = self._selected(self.member_view, self.member_model)
        if member and QMessageBox.question(self, "刪除成員", f"刪除 {member.name}（{member.seat.label}）？") == QMessageBox.StandardButton.Yes:
            self._run(lambda: delete_member(self.db, member.id))

    def copy_previous_year(self) -> None:
        year = self.year.value()
        self._run(lambda: copy_members(self.db, year - 1, year))

    # --- meetings ---------------------------------------------------------------------------
    def add_meeting(self) -> None:
        dialog = MeetingDialog(list_members(self.db, self.year.value()), parent=self)
        self._edit(dialog, lambda value: add_meeting(self.db, value))

    def edit_meeting(self) -> None:
        meeting = self._selected(self.meeting_view, self.meeting_model)
        if meeting is None:
            return
        dialog = MeetingDialog(list_members(self.db, meeting.year), meeting, parent=self)
        self._edit(dialog, lambda value: update_meeting(self.db, meeting.id, value))

    def delete_meeting(self) -> None:
        meeting = self._selected(self.meeting_view, self.meeting_model)
        if meeting and QMessageBox.question(self, "刪除會議", f"刪除「{meeting.title}」？") == QMessageBox.StandardButton.Yes:
            self._run(lambda: delete_meeting(self.db, meeting.id))

    # --- regulations ------------------------------------------------------------------------
    def add_regulation(self) -> None:
        dialog = RegulationDialog(parent=self)
        self._edit(dialog, lambda value: add_regulation(self.db, value))

    def edit_regulation(self) -> None:
        regulation = self._selected(self.regulation_view, self.regulation_model)
        if regulation is None:
            return
        dialog = RegulationDialog(regulation, parent=self)
        self._edit(dialog, lambda value: update_regulation(self.db, regulation.id, value))

    def delete_regulation(self) -> None:
        regulation = self._selected(self.regulation_view, self.regulation_model)
        if regulation and QMessageBox.question(self, "刪除", f"刪除補充規定版本「{regulation.version}」？") == QMessageBox.StandardButton.Yes:
            self._run(lambda: delete_regulation(self.db, regulation.id))

    # --- exports ----------------------------------------------------------------------------
    def export_members(self, path: str | Path | None = None) -> Path | None:
        """The member list xlsx (the same service as ``group export --xlsx``); None when refused."""
        year = self.year.value()
        if not path:
            path = file_dialogs.save_file(
                self, "匯出成員名單", file_dialogs.REPORTS, f"{year}學年度工作小組成員.xlsx", "Excel (*.xlsx)"
            )
        if not path:
            return None
        try:
            from desktop_app.services.working_group_export import export_member_list  # (not at start-up)

            return export_member_list(self.db, year, path)
        except ServiceError as exc:
            self.show_error(str(exc), "無法匯出")
            return None

    def export_signin(self, path: str | Path | None = None, *, open_after: bool = True) -> Path | None:
        """The sign-in sheet PDF of the selected meeting (the same service as ``group export --signin-pdf``)."""
        meeting = self._selected(self.meeting_view, self.meeting_model)
        if meeting is None:
            self.show_error("請先在會議清單選擇一場會議")
            return None
        if not path:
            path = file_dialogs.save_file(self, "簽到表", file_dialogs.SLIPS, f"{meeting.title}簽到表.pdf", "PDF (*.pdf)")
        if not path:
            return None
        from desktop_app.services.printing import FontNotFoundError  # (not at start-up)
        from desktop_app.services.working_group_export import export_signin_sheet

        try:
            out = export_signin_sheet(self.db, meeting, path)
        except FontNotFoundError as exc:
            self.show_error(str(exc), "找不到中文字型")
            return None
        except ServiceError as exc:
            self.show_error(str(exc), "無法匯出")
            return None
        if open_after:
            file_dialogs.open_saved_file(self, Path(out))
        return out
