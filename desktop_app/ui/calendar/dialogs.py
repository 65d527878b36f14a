"""Dialogs of the 作業期程 tab: edit a task, mark done, enter an official deadline, the timing mapping."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.calendar import ANCHOR_TITLES, ANCHORS, TaskInfo, TaskStatus, TimingRule
from desktop_app.services import ServiceError
from desktop_app.services.calendar.tasks import OfficialInput, TaskInput
from desktop_app.services.calendar.timings import (
    TimingRuleInfo,
    list_timing_rules,
    reset_timing_rule,
    save_timing_rule,
)
from desktop_app.storage.db import Database
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.roc_date_edit import RocDateEdit

ITEMS = ("一 行政規劃", "二 研習規劃", "三 平台規劃")


class TaskDialog(QDialog):
    """Add or edit a task (項目, 工作, 內容, 主責, dates, status, note, 文號)."""

    def __init__(self, year: int, task: TaskInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year
        self.task = task
        self.setWindowTitle("修改工作" if task else "新增工作")
        self.item = QComboBox()
        self.item.setEditable(True)
        self.item.addItems(ITEMS)
        self.work = QLineEdit()
        self.content = QLineEdit()
        self.owners = QLineEdit()
        self.owners.setPlaceholderText("以頓號分隔，例如 教務處、輔導室")
        self.start = RocDateEdit()
        self.due = RocDateEdit()
        self.status = QComboBox()
        for status in TaskStatus:
            self.status.addItem(status.label, status)
        self.done_on = RocDateEdit()
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText("例：臺教國署高字第1120113411號")
        self.rosters = QLineEdit()
        self.rosters.setPlaceholderText("國教署期限涉及的名冊或資料")
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        form = QFormLayout()
        form.addRow("項目", self.item)
        form.addRow("工作", self.work)
        form.addRow("內容", self.content)
        form.addRow("主責", self.owners)
        form.addRow("開始日", self.start)
        form.addRow("截止日", self.due)
        form.addRow("狀態", self.status)
        form.addRow("完成日", self.done_on)
        form.addRow("文號", self.doc_no)
        form.addRow("名冊／資料", self.rosters)
        form.addRow("備註", self.note)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(ok_cancel_buttons(self))
        if task is not None:
            self.item.setCurrentText(task.item)
            self.work.setText(task.work)
            self.content.setText(task.content)
            self.owners.setText(task.owners)
            self.start.setDate(task.start_date)
            self.due.setDate(task.due_date)
            self.status.setCurrentIndex(self.status.findData(task.status))
            self.done_on.setDate(task.done_on)
            self.doc_no.setText(task.doc_no)
            self.rosters.setText(task.rosters)
            self.note.setPlainText(task.note)
            hints = []
            if task.timing:
                hints.append(f"時程：{task.timing}")
            if task.source:
                hints.append("此工作由資料自動判定完成（有紀錄即視為完成）")
            if task.template_key:
                hints.append("改動日期後，重新規劃學年度時會保留你設定的日期")
            self.hint.setText("；".join(hints))

    def value(self) -> TaskInput:
        return TaskInput(
            year=self.year,
            work=self.work.text(),
            item=self.item.currentText(),
            content=self.content.text(),
            owners=self.owners.text(),
            term=self.task.term if self.task else None,
            timing=self.task.timing if self.task else "",
            start_date=self.start.date(),
            due_date=self.due.date(),
            status=TaskStatus(self.status.currentData()),
            done_on=self.done_on.date(),
            note=self.note.toPlainText(),
            is_official=self.task.is_official if self.task else bool(self.doc_no.text().strip()),
            doc_no=self.doc_no.text(),
            rosters=self.rosters.text(),
        )


class DoneDialog(QDialog):
    """Mark done: the date (default today) and a note."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("標記完成")
        self.done_on = RocDateEdit(date.today(), allow_empty=False)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("例：已於 9/15 行政會議完成；紀錄存教務處")
        self.note.setFixedHeight(80)
        form = QFormLayout()
        form.addRow("工作", QLabel(title))
        form.addRow("完成日期", self.done_on)
        form.addRow("說明", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))

    def value(self) -> tuple[date, str]:
        return self.done_on.date() or date.today(), self.note.toPlainText()


class MoveDialog(QDialog):
    def __init__(self, task: TaskInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("移動工作")
        self.due = RocDateEdit(task.due_date, allow_empty=False)
        self.keep = QLabel("開始日會隨截止日移動，期間長度不變。")
        form = QFormLayout()
        form.addRow("工作", QLabel(task.title))
        form.addRow("新的截止日", self.due)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.keep)
        layout.addWidget(ok_cancel_buttons(self))

    def value(self) -> date | None:
        return self.due.date()


class OfficialDialog(QDialog):
    """A 國教署 deadline: title, date or range, 文號, rosters; optionally onto a waiting task."""

    def __init__(self, year: int, waiting: list[TaskInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year
        self.setWindowTitle("新增國教署公告期限")
        self.title = QLineEdit()
        self.title.setPlaceholderText("例：預檢名冊提交至中央資料庫")
        self.start = RocDateEdit()
        self.start.line.setPlaceholderText("（單日期限可留空）")
        self.due = RocDateEdit(allow_empty=False)
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText("例：臺教國署高字第1120113411號")
        self.rosters = QLineEdit()
        self.rosters.setPlaceholderText("例：預檢_修課紀錄名冊、預檢_進修部（學校）修課紀錄名冊（不含成績）")
        self.owners = QLineEdit("教務處")
        self.apply_to = QComboBox()
        self.apply_to.addItem("（新增為獨立項目）", None)
        for task in waiting:
            self.apply_to.addItem(f"{task.year}-{task.term} {task.work}：{task.content}", task.id)
        self.note = QLineEdit()
        form = QFormLayout()
        form.addRow("標題", self.title)
        form.addRow("開始日", self.start)
        form.addRow("截止日", self.due)
        form.addRow("文號", self.doc_no)
        form.addRow("名冊／資料", self.rosters)
        form.addRow("主責", self.owners)
        form.addRow("套用到工作", self.apply_to)
        form.addRow("備註", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        tip = QLabel(
            "「依國教署公告時間」的工作在輸入公告期限前沒有日期；選擇「套用到工作」即把此期限填入該工作。"
        )
        tip.setWordWrap(True)
        tip.setStyleSheet("color: #555;")
        layout.addWidget(tip)
        layout.addWidget(ok_cancel_buttons(self))

    def value(self) -> OfficialInput:
        due = self.due.date()
        if due is None:
            raise ServiceError("請輸入截止日（民國日期，例如 112/11/10）")
        return OfficialInput(
            year=self.year,
            title=self.title.text().strip() or "國教署公告期限",
            due_date=due,
            start_date=self.start.date(),
            doc_no=self.doc_no.text(),
            rosters=self.rosters.text(),
            note=self.note.text(),
            owners=self.owners.text(),
            apply_to_task_id=self.apply_to.currentData(),
        )


class TimingDialog(QDialog):
    """時程對照: how each timing word maps to dates; changes are stored in the database."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("時程對照（時程用語 → 日期）")
        self.resize(820, 520)
        self.model: ListTableModel[TimingRuleInfo] = ListTableModel(
            [
                Column("時程用語", lambda r: r.rule.word),
                Column("對應日期", lambda r: r.rule.describe()),
                Column("說明", lambda r: r.rule.description),
                Column(
                    "",
                    lambda r: "已修改" if r.overridden else "範本預設",
                    background=lambda r: "#fff3c4" if r.overridden else None,
                ),
            ]
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.word = QLineEdit()
        self.start_anchor, self.start_days = QComboBox(), QSpinBox()
        self.due_anchor, self.due_days = QComboBox(), QSpinBox()
        for combo in (self.start_anchor, self.due_anchor):
            for anchor in ANCHORS:
                combo.addItem(ANCHOR_TITLES[anchor], anchor)
        for spin in (self.start_days, self.due_days):
            spin.setRange(-200, 200)
            spin.setSuffix(" 天")
        self.description = QLineEdit()
        form = QFormLayout()
        form.addRow("時程用語", self.word)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_anchor)
        start_row.addWidget(self.start_days)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_anchor)
        due_row.addWidget(self.due_days)
        form.addRow("開始＝", start_row)
        form.addRow("截止＝", due_row)
        form.addRow("說明", self.description)
        self.save_button = QPushButton("儲存此時程")
        self.reset_button = QPushButton("還原範本預設")
        close = QPushButton("關閉")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        note = QLabel("修改後，請按「規劃學年度」更新日期（手動調整過日期的工作不會被改動）。")
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._load_selected)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        close.clicked.connect(self.accept)
        self.changed = False
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(list_timing_rules(self.db))
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _load_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        rule = self.model.row_object(rows[0].row()).rule
        self.word.setText(rule.word)
        self.start_anchor.setCurrentIndex(self.start_anchor.findData(rule.start_anchor))
        self.start_days.setValue(rule.start_days)
        self.due_anchor.setCurrentIndex(self.due_anchor.findData(rule.due_anchor))
        self.due_days.setValue(rule.due_days)
        self.description.setText(rule.description)

    def current_rule(self) -> TimingRule:
        return TimingRule(
            self.word.text(),
            self.start_anchor.currentData(),
            self.start_days.value(),
            self.due_anchor.currentData(),
            self.due_days.value(),
            self.description.text(),
        )

    def save(self) -> None:
        try:
            save_timing_rule(self.db, self.current_rule())
        except ServiceError as exc:
            QMessageBox.warning(self, "無法儲存", str(exc))
            return
        self.changed = True
        word = self.word.text().strip()
        self.reload()
        self._select_word(word)

    def reset(self) -> None:
        word = self.word.text().strip()
        reset_timing_rule(self.db, word)
        self.changed = True
        self.reload()
        self._select_word(word)

    def _select_word(self, word: str) -> None:
        for row, info in enumerate(self.model.rows()):
            if info.rule.word == word:
                self.table.selectRow(row)
                return
