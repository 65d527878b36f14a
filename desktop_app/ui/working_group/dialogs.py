"""Dialogs of the 工作小組 tab: member, meeting, 補充規定 version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import ADD_ATTACHMENT
from desktop_app.domain.roc_date import Term, term_of
from desktop_app.domain.working_group import SEATS, SUGGESTED_HOLDER, RegulationStatus, parse_seat
from desktop_app.services import ServiceError
from desktop_app.services.working_group import (
    MeetingInfo,
    MeetingInput,
    MemberInfo,
    MemberInput,
    RegulationInfo,
    RegulationInput,
)
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons
from desktop_app.ui.common.roc_date_edit import RocDateEdit


class MemberDialog(QDialog):
    def __init__(self, year: int, member: MemberInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year
        self.setWindowTitle("修改成員" if member else "新增成員")
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.seat = QComboBox()
        for seat in SEATS:
            self.seat.addItem(seat.label, seat)
        self.hint = QLineEdit()
        self.hint.setReadOnly(True)
        self.title_edit = QLineEdit()
        self.unit = QLineEdit()
        self.term_start = RocDateEdit()
        self.term_end = RocDateEdit()
        self.note = QLineEdit()
        form.addRow("姓名", self.name)
        form.addRow("席次", self.seat)
        form.addRow("建議人選", self.hint)
        form.addRow("職稱", self.title_edit)
        form.addRow("單位", self.unit)
        form.addRow("任期起", self.term_start)
        form.addRow("任期迄", self.term_end)
        form.addRow("備註", self.note)
        form.addRow(ok_cancel_buttons(self))
        self.seat.currentTextChanged.connect(self._seat_changed)
        if member:
            self.name.setText(member.name)
            self.seat.setCurrentIndex(self.seat.findData(member.seat))
            self.title_edit.setText(member.title)
            self.unit.setText(member.unit)
            self.term_start.setDate(member.term_start)
            self.term_end.setDate(member.term_end)
            self.note.setText(member.note)
        else:  # a new member serves the 學年度 unless told otherwise
            self.term_start.setDate(Term(year, 1).start)
            self.term_end.setDate(Term(year, 2).end)
        self._seat_changed(self.seat.currentText())

    def _seat_changed(self, text: str) -> None:
        seat = parse_seat(text)
        self.hint.setText(SUGGESTED_HOLDER.get(seat, "") if seat else "")

    def value(self) -> MemberInput:
        return MemberInput(
            year=self.year, name=self.name.text(), seat=self.seat.currentData() or self.seat.currentText(), title=self.title_edit.text(),
            unit=self.unit.text(), term_start=self.term_start.date(), term_end=self.term_end.date(),
            note=self.note.text(),
        )


class MeetingDialog(QDialog):
    def __init__(
        self, members: Sequence[MemberInfo], meeting: MeetingInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改會議" if meeting else "新增會議")
        self.resize(620, 680)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.held_on = RocDateEdit(allow_empty=False)
        self.title_edit = QLineEdit()
        self.held_on.dateChanged.connect(self._suggest_title)
        self._suggest_title(date.today())
        self.location = QLineEdit()
        self.start_time = QLineEdit()
        self.start_time.setPlaceholderText("例如 14:00")
        self.start_time.setMaxLength(12)
        self.attendees = QListWidget()
        self.attendees.setMaximumHeight(170)
        for m in members:
            item = QListWidgetItem(f"{m.name}（{m.seat.label}）")
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = meeting is None or m.id in meeting.attendee_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        self.guests = QPlainTextEdit()
        self.guests.setPlaceholderText("列席人員，每行一位：職稱 姓名，例如 資訊組長 周志強")
        self.guests.setMaximumHeight(60)
        self.agenda = QPlainTextEdit()
        self.agenda.setMaximumHeight(80)
        self.minutes = QPlainTextEdit()
        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(70)
        add_file = QPushButton(ADD_ATTACHMENT)
        remove_file = QPushButton("移除附件")
        add_file.clicked.connect(self._add_files)
        remove_file.clicked.connect(lambda: [self.attachments.takeItem(self.attachments.row(i))
                                             for i in self.attachments.selectedItems()])
        files = QHBoxLayout()
        files.addWidget(add_file)
        files.addWidget(remove_file)
        files.addStretch(1)
        form.addRow("日期", self.held_on)
        form.addRow("時間", self.start_time)
        form.addRow("會議名稱", self.title_edit)
        form.addRow("地點", self.location)
        form.addRow("出席成員", self.attendees)
        form.addRow("列席人員", self.guests)
        form.addRow("議程", self.agenda)
        form.addRow("決議／紀錄", self.minutes)
        form.addRow("附件", self.attachments)
        form.addRow("", files)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))
        if meeting:
            self.held_on.setDate(meeting.held_on)
            self.title_edit.setText(meeting.title)
            self.location.setText(meeting.location)
            self.start_time.setText(meeting.start_time)
            self.guests.setPlainText(meeting.guests)
            self.agenda.setPlainText(meeting.agenda)
            self.minutes.setPlainText(meeting.minutes)
            self.attachments.addItems(list(meeting.attachments))

    def _suggest_title(self, day: date | None) -> None:
        term = term_of(day or date.today())
        self.title_edit.setPlaceholderText(f"例：{term.title}學習歷程檔案工作小組第1次會議")

    def _add_files(self) -> None:
        paths = file_dialogs.open_files(self, "選擇附件", file_dialogs.ATTACHMENTS)
        self.attachments.addItems([str(p) for p in paths])

    def accept(self) -> None:
        if self.held_on.date() is None:
            QMessageBox.warning(self, "會議", "請輸入會議日期（民國日期，例如 114/09/10）")
            return
        super().accept()

    def value(self) -> MeetingInput:
        held_on = self.held_on.date()
        if held_on is None:
            raise ServiceError("請輸入會議日期")
        ids = tuple(
            int(self.attendees.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.attendees.count())
            if self.attendees.item(i).checkState() == Qt.CheckState.Checked
        )
        return MeetingInput(
            held_on=held_on, title=self.title_edit.text(), attendee_ids=ids, guests=self.guests.toPlainText(),
            agenda=self.agenda.toPlainText(), minutes=self.minutes.toPlainText(),
            attachments=tuple(self.attachments.item(i).text() for i in range(self.attachments.count())),
            location=self.location.text(),
            start_time=self.start_time.text(),
        )


class RegulationDialog(QDialog):
    def __init__(self, regulation: RegulationInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("補充規定版本")
        form = QFormLayout(self)
        self.version = QLineEdit()
        self.version.setPlaceholderText("例：113年9月修正")
        self.drafted_on = RocDateEdit()
        self.passed_on = RocDateEdit()
        self.meeting_name = QLineEdit()
        self.meeting_name.setPlaceholderText("例：113學年度第1學期第1次校務會議")
        self.announced_on = RocDateEdit()
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…（學校網站公告網址）")
        self.covers = [QCheckBox(title) for title in RegulationStatus.COVER_TITLES]
        self.note = QLineEdit()
        form.addRow("版本", self.version)
        form.addRow("訂定日", self.drafted_on)
        form.addRow("校務會議通過日", self.passed_on)
        form.addRow("會議名稱", self.meeting_name)
        form.addRow("公告日", self.announced_on)
        form.addRow("公告網址", self.url)
        for i, box in enumerate(self.covers):
            form.addRow("內容涵蓋" if i == 0 else "", box)
        form.addRow("備註", self.note)
        form.addRow(ok_cancel_buttons(self))
        if regulation:
            self.version.setText(regulation.version)
            self.drafted_on.setDate(regulation.drafted_on)
            self.passed_on.setDate(regulation.passed_on)
            self.meeting_name.setText(regulation.meeting_name)
            self.announced_on.setDate(regulation.announced_on)
            self.url.setText(regulation.url)
            for box, flag in zip(self.covers, regulation.covers, strict=True):
                box.setChecked(flag)
            self.note.setText(regulation.note)

    def value(self) -> RegulationInput:
        first, second, third, fourth = (b.isChecked() for b in self.covers)  # 款（一）to（四）
        return RegulationInput(
            version=self.version.text(), drafted_on=self.drafted_on.date(), passed_on=self.passed_on.date(),
            meeting_name=self.meeting_name.text(), announced_on=self.announced_on.date(), url=self.url.text(),
            covers=(first, second, third, fourth),
            note=self.note.text(),
        )
