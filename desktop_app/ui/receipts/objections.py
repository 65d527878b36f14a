"""疑義處理: open an objection from a student + category, move it through its statuses, days open."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.receipts import CATEGORIES, DEFAULT_OFFICES, OBJECTION_STATUSES
from desktop_app.domain.roc_date import format_roc
from desktop_app.services import ServiceError
from desktop_app.services.receipts.confirmation import list_student_statuses
from desktop_app.services.receipts.objections import (
    ObjectionInfo,
    list_objections,
    open_objection,
    update_objection,
)
from desktop_app.services.receipts.slips import slip_batch
from desktop_app.services.receipts.students import shown_name
from desktop_app.storage.db import Database
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.read_only import enable_with_reason
from desktop_app.ui.common.roc_date_edit import RocDateEdit
from desktop_app.ui.receipts.common import ReceiptsView, make_table, seat_text


class ObjectionsView(ReceiptsView):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton("登記疑義…", self)
        self.new_button.clicked.connect(self._new_clicked)
        bar.addWidget(self.new_button)
        self.open_only = QComboBox(self)
        self.open_only.addItems(["未結案", "全部"])
        self.open_only.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.open_only)
        bar.addStretch(1)
        bar.addWidget(QLabel("逾 3 日未結案者以紅色標示", self))
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model: ListTableModel[ObjectionInfo] = ListTableModel(
            [
                Column("編號", lambda o: o.id, align_right=True),
                Column("班級", lambda o: o.class_name),
                Column("座號", lambda o: seat_text(o.seat)),
                Column("姓名", lambda o: shown_name(o.name)),
                Column("資料類別", lambda o: o.category),
                Column("收件日", lambda o: format_roc(o.received_on)),
                Column("承辦單位", lambda o: o.office),
                Column("狀態", lambda o: o.status.label),
                Column(
                    "天數",
                    lambda o: o.days_open,
                    align_right=True,
                    background=lambda o: "#f5a3a3" if o.overdue else None,
                    tooltip=lambda o: "受理逾 3 日仍未結案" if o.overdue else None,
                ),
                Column("學生說明", lambda o: o.statement),
                Column("處理情形", lambda o: o.action_taken),
                Column("結案日", lambda o: format_roc(o.closed_on)),
            ]
        )
        self.table = make_table(self.model, self)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        splitter.addWidget(self.table)
        editor = QGroupBox("處理", self)
        form = QFormLayout(editor)
        self.detail = QLabel("", editor)
        self.detail.setWordWrap(True)
        self.status_combo = QComboBox(editor)
        for status in OBJECTION_STATUSES:
            self.status_combo.addItem(status.label, status)
        self.office_edit = QLineEdit(editor)
        self.action_edit = QPlainTextEdit(editor)
        self.action_edit.setPlaceholderText("更正了什麼並重新提交，或查核後回覆學生的內容")
        self.action_edit.setMaximumHeight(90)
        self.save_button = QPushButton("儲存處理情形", editor)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel("", editor)
        self.message.setWordWrap(True)
        form.addRow(self.detail)
        form.addRow("狀態", self.status_combo)
        form.addRow("承辦單位", self.office_edit)
        form.addRow("處理情形", self.action_edit)
        form.addRow(self.save_button)
        form.addRow(self.message)
        splitter.addWidget(editor)
        layout.addWidget(splitter, 1)
        self._current: ObjectionInfo | None = None
        self._selected()

    def refresh(self) -> None:
        rows = list_objections(self.db, self.batch_id) if self.batch_id is not None else []
        if self.open_only.currentIndex() == 0:
            rows = [o for o in rows if o.is_open]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        enable_with_reason(self.new_button, self.batch_id is not None, "尚無批次：請先到「收訖批次」匯入收訖明細")
        self.apply_read_only()
        if self._current is not None:
            for i, o in enumerate(rows):
                if o.id == self._current.id:
                    self.table.selectRow(i)
                    return
        self._current = None
        self._selected()

    def writable_widgets(self) -> list[QWidget]:
        return [self.new_button, self.status_combo, self.office_edit, self.action_edit, self.save_button]

    def _selected(self) -> None:
        index = self.table.currentIndex()
        o = self.model.row_object(index.row()) if index.isValid() else None
        self._current = o
        for w in (self.status_combo, self.office_edit, self.action_edit, self.save_button):
            enable_with_reason(w, o is not None and o.is_open, "請先在上方清單選擇一筆處理中的疑義" if o is None else "這筆疑義已結案")
        self.apply_read_only()
        if o is None:
            self.detail.setText("選擇一筆疑義以處理。")
            return
        self.detail.setText(
            f"#{o.id} {o.class_name} {o.seat or ''}號 {o.name}「{o.category}」\n涉及項目：{o.items or '（未填）'}\n"
            f"學生說明：{o.statement}"
        )
        self.status_combo.setCurrentIndex(self.status_combo.findData(o.status))
        self.office_edit.setText(o.office)
        self.action_edit.setPlainText(o.action_taken)

    def save(self) -> None:
        if self._current is None:
            return
        try:
            update_objection(
                self.db,
                self._current.id,
                status=self.status_combo.currentData(),
                action_taken=self.action_edit.toPlainText(),
                office=self.office_edit.text(),
            )
        except ServiceError as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color:#c82333;")
            return
        self.message.setText("已儲存。")
        self.message.setStyleSheet("color:#1e7e34;")
        self.changed.emit()
        self.refresh()

    @Slot()
    def _new_clicked(self) -> None:
        self.open_dialog()

    def open_dialog(self, student_id: int | None = None, category: str | None = None) -> bool:
        if self.batch_id is None:
            return False
        dialog = ObjectionDialog(self.db, self.batch_id, student_id, category, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.changed.emit()
        self.refresh()
        return True


class ObjectionDialog(QDialog):
    """Open an objection: student, category, the items concerned, what the student says, office."""

    def __init__(
        self,
        db: Database,
        batch_id: int,
        student_id: int | None = None,
        category: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.batch_id = batch_id
        self.setWindowTitle("登記疑義")
        self.resize(620, 560)
        form = QFormLayout(self)
        self.student_combo = QComboBox(self)
        for st in list_student_statuses(db, batch_id):
            self.student_combo.addItem(
                f"{st.class_name} {st.seat or ''}號 {st.name}（{st.student_no}）", st.student_id
            )
        if student_id is not None:
            self.student_combo.setCurrentIndex(max(self.student_combo.findData(student_id), 0))
        self.category_combo = QComboBox(self)
        self.category_combo.addItems(CATEGORIES)
        if category:
            self.category_combo.setCurrentText(category)
        self.items_list = QListWidget(self)
        self.statement_edit = QPlainTextEdit(self)
        self.statement_edit.setPlaceholderText("學生說明：哪一筆有誤、應該是什麼")
        self.received_edit = RocDateEdit(date.today(), self, allow_empty=False)
        self.office_edit = QLineEdit(self)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#c82333;")
        form.addRow("學生", self.student_combo)
        form.addRow("資料類別", self.category_combo)
        form.addRow("涉及項目（勾選）", self.items_list)
        form.addRow("學生說明", self.statement_edit)
        form.addRow("收件日", self.received_edit)
        form.addRow("承辦單位", self.office_edit)
        form.addRow(self.message)
        form.addRow(ok_cancel_buttons(self, "受理", on_accept=self._accept))
        self.student_combo.currentIndexChanged.connect(self._load_items)
        self.category_combo.currentIndexChanged.connect(self._category_changed)
        self._category_changed()

    def _category_changed(self) -> None:
        self.office_edit.setText(DEFAULT_OFFICES[self.category_combo.currentText()])
        self._load_items()

    def _load_items(self) -> None:
        self.items_list.clear()
        student_id = self.student_combo.currentData()
        if student_id is None:
            return
        batch = slip_batch(self.db, self.batch_id, student_ids=[student_id])
        category = self.category_combo.currentText()
        for st in batch.students:
            for cat in st.categories:
                if cat.name != category:
                    continue
                for item in cat.items:
                    text = " ".join(
                        x
                        for x in (
                            f"{item.year}-{item.term}" if item.year else "",
                            item.title,
                            item.credits and f"{item.credits}學分",
                            item.date,
                        )
                        if x
                    )
                    entry = QListWidgetItem(text, self.items_list)
                    entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    entry.setCheckState(Qt.CheckState.Unchecked)

    def checked_items(self) -> list[str]:
        return [
            self.items_list.item(i).text()
            for i in range(self.items_list.count())
            if self.items_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _accept(self) -> None:
        student_id = self.student_combo.currentData()
        if student_id is None:
            self.message.setText("請選擇學生。")
            return
        try:
            open_objection(
                self.db,
                self.batch_id,
                student_id,
                self.category_combo.currentText(),
                items="；".join(self.checked_items()),
                statement=self.statement_edit.toPlainText(),
                received_on=self.received_edit.date(),
                office=self.office_edit.text(),
            )
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
