"""學生名冊 (the student list, search, master import with preview) and the 難字對照表 editor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN, mask_id
from desktop_app.services import ServiceError
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts.students import (
    GoneStudent,
    InvalidStudentRow,
    PuaEntry,
    PuaFound,
    StudentChange,
    StudentImportPreview,
    StudentInfo,
    StudentRecord,
    delete_pua_char,
    import_students,
    list_pua_entries,
    list_students,
    preview_student_import,
    set_pua_char,
    shown_name,
)
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.jobs import run_with_progress
from desktop_app.ui.receipts.common import ReceiptsView, make_table, seat_text

FILE_FILTER = "名冊檔案 (*.xlsx *.xls *.ods *.csv *.txt);;所有檔案 (*)"


class StudentsView(ReceiptsView):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("搜尋（姓名、學號、班級）："))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("例：301、110001、王")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        bar.addWidget(self.search, 1)
        self.include_gone = QCheckBox("含已不在名冊者", self)
        self.include_gone.toggled.connect(self.refresh)
        bar.addWidget(self.include_gone)
        self.import_button = QPushButton("匯入學生名冊…", self)
        self.import_button.clicked.connect(self.import_dialog)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)
        self.model: ListTableModel[StudentInfo] = ListTableModel(
            [
                Column("班級", lambda s: s.class_name),
                Column("座號", lambda s: seat_text(s.seat), sort_key=lambda s: s.seat or 0, align_right=True),
                Column("學號", lambda s: s.student_no),
                Column(
                    "姓名",
                    lambda s: shown_name(s.name) + ("（含造字）" if s.has_pua else ""),
                    background=lambda s: "#ffd9b3" if s.has_pua else None,
                    tooltip=lambda s: "姓名含未對照的造字，請在「難字對照表」補上" if s.has_pua else None,
                ),
                Column("身分證號", lambda s: s.masked_id),
                Column("年級", lambda s: s.grade or ""),
                Column("部別", lambda s: s.division_text),
                # 「已不在名冊」 beside the status: an empty last column took two thirds of the table
                Column(
                    "學籍狀態",
                    lambda s: s.status if s.in_master else f"{s.status}（已不在名冊）",
                    background=lambda s: None if s.in_master else "#eeeeee",
                ),
            ]
        )
        self.table = make_table(self.model, self)
        layout.addWidget(self.table, 1)
        self.count = QLabel("", self)
        self.apply_read_only()
        layout.addWidget(self.count)
        self.refresh()

    def refresh(self) -> None:
        rows = list_students(self.db, self.search.text(), include_gone=self.include_gone.isChecked())
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count.setText(f"共 {len(rows)} 位學生")

    def writable_widgets(self) -> list[QWidget]:
        return [self.import_button]

    def import_dialog(self) -> None:
        path = file_dialogs.open_file(self, "選擇學生名冊", file_dialogs.RECEIPTS, FILE_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        try:
            preview = preview_student_import(self.db, path)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        dialog = StudentPreviewDialog(preview, self, mask=mask_pattern(self.db))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        strict = dialog.strict_box.isChecked()
        self._job = run_with_progress(
            self,
            "匯入學生名冊",
            lambda report: import_students(self.db, path, progress=report, strict=strict),
            self._imported,
            self.show_error,
        )

    def _imported(self, _result: object) -> None:
        self.changed.emit()
        self.refresh()


def preview_summary(preview: StudentImportPreview) -> str:
    """One paragraph: what the import will add, change, leave out and fix."""
    return (
        f"編碼：{preview.encoding or '試算表'}。新增 {len(preview.added)} 位、更新 {len(preview.changed)} 位、"
        f"未變 {preview.unchanged} 位、新名冊中沒有 {len(preview.gone)} 位（保留，標示為不在名冊）、"
        f"有誤不匯入 {len(preview.invalid)} 列（身分證號、班級或座號）、造字 {len(preview.pua)} 處。"
        + (f"控制字元已改為 � 的儲存格 {len(preview.cleaned)} 個。" if preview.cleaned else "")
        + (
            f"學號補回開頭的 0：{preview.student_no_padded} 位"
            "（試算表把這些學號存成數字，已依同欄其他學號的長度補 0）。"
            if preview.student_no_padded
            else ""
        )
    )


class StudentPreviewDialog(QDialog):
    """What a master import will do, before it is written."""

    def __init__(
        self,
        preview: StudentImportPreview,
        parent: QWidget | None = None,
        *,
        mask: str = DEFAULT_MASK_PATTERN,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"學生名冊匯入預覽：{preview.file_name}")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel(preview_summary(preview), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        tabs = QTabWidget(self)
        for title, model in self._lists(preview, mask):
            table = make_table(model, self)
            table.resizeColumnsToContents()
            index = tabs.addTab(table, title)
            tabs.setTabEnabled(index, model.rowCount() > 0)
            if model is self.invalid_model:
                self.invalid_table = table
                table.selectionModel().currentRowChanged.connect(self._show_invalid_detail)
        # open on the first list that has rows (never on an empty 「新增 0」 tab)
        first = next((i for i in range(tabs.count()) if tabs.isTabEnabled(i)), 0)
        tabs.setCurrentIndex(first)
        self.tabs = tabs
        layout.addWidget(tabs, 1)
        # the full 身分證號 of a left-out row is shown only here, for the row the clerk selects
        self.invalid_detail = QLabel("", self)
        self.invalid_detail.setWordWrap(True)
        layout.addWidget(self.invalid_detail)
        self.strict_box = QCheckBox("有錯誤列時整批不匯入（預設只略過錯誤列）", self)
        layout.addWidget(self.strict_box)
        buttons = ok_cancel_buttons(self, "確定匯入")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)


    def _lists(self, preview: StudentImportPreview, mask: str) -> list[tuple[str, ListTableModel[Any]]]:
        """The preview's lists, each for its own tab: (tab title, table model)."""
        added: ListTableModel[StudentRecord] = ListTableModel(
            [
                Column("列", lambda r: r.row, align_right=True),
                Column("班級", lambda r: r.class_name),
                Column("座號", lambda r: seat_text(r.seat)),
                Column("學號", lambda r: r.student_no),
                Column("姓名", lambda r: shown_name(r.name)),
            ],
            preview.added,
            self,
        )
        changed: ListTableModel[StudentChange] = ListTableModel(
            [
                Column("列", lambda c: c.record.row, align_right=True),
                Column("學號", lambda c: c.record.student_no),
                Column("姓名", lambda c: shown_name(c.record.name)),
                Column("變更", lambda c: c.summary),
            ],
            preview.changed,
            self,
        )
        gone: ListTableModel[GoneStudent] = ListTableModel(
            [
                Column("班級", lambda g: g.class_name),
                Column("學號", lambda g: g.student_no),
                Column("姓名", lambda g: shown_name(g.name)),
                Column("身分證號", lambda g: g.masked_id),
            ],
            preview.gone,
            self,
        )
        invalid: ListTableModel[InvalidStudentRow] = ListTableModel(
            [
                Column("列", lambda r: r.row, align_right=True),
                # masked like every list: a duplicate row's ID is a valid, full ID number
                Column("身分證號", lambda r: mask_id(r.national_id, mask)),
                Column("姓名", lambda r: shown_name(r.name)),
                Column("欄位", lambda r: r.column),
                Column("內容", lambda r: mask_id(r.national_id, mask) if r.column == "身分證號" else r.value),
                Column("問題", lambda r: r.reason),
            ],
            preview.invalid,
            self,
        )
        self.invalid_model = invalid
        pua: ListTableModel[PuaFound] = ListTableModel(
            [
                Column("列", lambda p: p.row, align_right=True),
                Column("欄", lambda p: f"{p.column}（{p.column_name}）"),
                Column("學生", lambda p: f"{p.student_no} {p.student}"),
                Column("造字", lambda p: p.code_points),
                Column(
                    "難字對照表",
                    lambda p: "未對照：請補上" if p.unmapped else "已轉換",
                    background=lambda p: "#ffd9b3" if p.unmapped else None,
                ),
            ],
            preview.pua,
            self,
        )
        return [
            (f"新增 {len(preview.added)}", added),
            (f"更新 {len(preview.changed)}", changed),
            (f"不在新名冊 {len(preview.gone)}", gone),
            (f"有誤不匯入 {len(preview.invalid)}", invalid),
            (f"造字 {len(preview.pua)}", pua),
        ]


    def _show_invalid_detail(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not current.isValid():
            self.invalid_detail.setText("")
            return
        r = self.invalid_model.row_object(current.row())
        value = "" if r.column == "身分證號" else f"；「{r.column}」欄：{r.value}"
        self.invalid_detail.setText(
            f"詳細（第 {r.row} 列）：身分證號 {r.national_id or '（空白）'}　姓名 {shown_name(r.name)}{value}　問題：{r.reason}"
        )


def _pua_students(entry: PuaEntry) -> str:
    """「301 5號 王[U+E000]明、… 共 3 人」, or 「（無，已全部更正）」: who, not a bare number."""
    if not entry.students:
        return "（無，已全部更正）" if entry.real_char else "（無）"
    shown = "、".join(entry.who[:2])
    return shown if entry.students <= 2 else f"{shown} 等共 {entry.students} 人"


class PuaView(ReceiptsView):
    """難字對照表: PUA code point → the real character; applied to stored names and on import."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "學生名冊中學校自造的難字（造字）讀進來後無法正確顯示，會以 U+E000 起的代碼標示。在此填入對應的真正字元，"
            "匯入名冊與列印確認單時會自動轉換；已存的姓名也會一併更正。對照字空白者為名冊中尚未對照的造字。",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model: ListTableModel[PuaEntry] = ListTableModel(
            [
                Column("造字碼位", lambda e: e.code),
                Column(
                    "對照字",
                    lambda e: e.real_char or "（未對照）",
                    background=lambda e: None if e.real_char else "#ffd9b3",
                ),
                Column("備註", lambda e: e.note),
                Column("姓名仍含此造字的學生", _pua_students, tooltip=lambda e: "\n".join(e.who) or None),
            ]
        )
        self.table = make_table(self.model, self)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText("U+E000")
        self.char_edit = QLineEdit(self)
        self.char_edit.setPlaceholderText("堃")
        self.char_edit.setMaxLength(2)
        self.note_edit = QLineEdit(self)
        form.addRow("造字碼位", self.code_edit)
        form.addRow("對照字", self.char_edit)
        form.addRow("備註", self.note_edit)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("儲存對照", self)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("刪除對照", self)
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()
        self.apply_read_only()

    def writable_widgets(self) -> list[QWidget]:
        return [self.save_button, self.delete_button]

    def refresh(self) -> None:
        self.model.set_rows(list_pua_entries(self.db))
        self.table.resizeColumnsToContents()

    def select_code(self, code: str) -> None:
        """Select the row of ``U+E000`` (a 造字 found when printing) and put the cursor on its
        real character."""
        for row, entry in enumerate(self.model.rows()):
            if entry.code == code:
                self.table.selectRow(row)
                break
        else:
            self.code_edit.setText(code)
            self.char_edit.clear()
            self.note_edit.clear()
        self.char_edit.setFocus()

    def _selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        entry = self.model.row_object(index.row())
        self.code_edit.setText(entry.code)
        self.char_edit.setText(entry.real_char)
        self.note_edit.setText(entry.note)

    def save(self) -> None:
        try:
            set_pua_char(self.db, self.code_edit.text(), self.char_edit.text(), self.note_edit.text())
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.changed.emit()
        self.refresh()

    def delete(self) -> None:
        try:
            delete_pua_char(self.db, self.code_edit.text())
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.changed.emit()
        self.refresh()
