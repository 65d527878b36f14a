"""設定 → 及格標準… (also the 開課預檢 tab's 及格標準… button): the default mark, the school's other
marks, and the per-student list (import with a preview, add, change, delete).

List changes take effect at once (each is one audited service call); the default and the other
marks are saved with 儲存.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.pass_marks import format_mark
from desktop_app.domain.roc_date import format_roc
from desktop_app.services import ServiceError
from desktop_app.services.precheck import pass_marks as svc
from desktop_app.storage.db import Database, ReadOnlyError
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.read_only import lock_read_only
from desktop_app.ui.precheck import style
from desktop_app.ui.precheck.widgets import SPREADSHEET_FILTER

ERROR_STYLE = f"color: {style.ERROR};"


def _mark_spin(value: float = 60.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, 100)
    spin.setDecimals(1)
    spin.setSingleStep(1)
    spin.setSuffix(" 分")
    spin.setValue(value)
    spin.setMaximumWidth(110)
    return spin


def _table(model: ListTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class PassMarkPreviewDialog(QDialog):
    """What an import would do: added / changed / unchanged, and the bad rows (which refuse it)."""

    def __init__(self, preview: svc.PassMarkImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"匯入及格標準名單：{preview.file_name}")
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        self.summary = QLabel(
            f"工作表「{preview.sheet}」：新增 <b>{len(preview.added)}</b>、變更 <b>{len(preview.changed)}</b>、"
            f"未變 <b>{preview.unchanged}</b>；名單中另有 {preview.not_in_file} 人不在此檔案"
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        rows = [("新增", c) for c in preview.added] + [("變更", c) for c in preview.changed]
        self.changes_model: ListTableModel[tuple[str, svc.PassMarkChange]] = ListTableModel(
            [
                Column("", lambda r: r[0]),
                Column("列", lambda r: r[1].row, align_right=True),
                Column("班級", lambda r: r[1].class_name),
                Column("學號", lambda r: r[1].student_no),
                Column("姓名", lambda r: r[1].name),
                Column("身分證號", lambda r: r[1].masked_id),
                Column("原及格標準", lambda r: "" if r[1].old is None else format_mark(r[1].old)),
                Column("新及格標準", lambda r: format_mark(r[1].new)),
            ],
            rows,
        )
        self.changes_view = _table(self.changes_model)
        layout.addWidget(self.changes_view, 1)
        self.bad_label = QLabel()
        self.bad_label.setWordWrap(True)
        self.bad_label.setStyleSheet(ERROR_STYLE)
        self.bad_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if preview.bad:
            self.bad_label.setText(
                f"有 {len(preview.bad)} 列無法使用，整份名單不會匯入。請修正檔案後重新匯入：\n{preview.bad_text}"
            )
        self.bad_label.setVisible(bool(preview.bad))
        layout.addWidget(self.bad_label)
        self.replace_box = QCheckBox(
            f"以此檔取代整份名單（名單中不在此檔案的 {preview.not_in_file} 人將移除）"
        )
        self.replace_box.setEnabled(preview.not_in_file > 0 and not preview.bad)
        layout.addWidget(self.replace_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("匯入")
        self.import_button.setEnabled(
            not preview.bad and bool(preview.added or preview.changed or preview.unchanged)
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class PassMarksDialog(QDialog):
    """The 及格標準 settings and list. ``changed`` is True once anything was stored."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.changed = False
        self.preview_dialog: PassMarkPreviewDialog | None = None
        self._preview_path: Path | None = None
        self.setWindowTitle("及格標準")
        self.resize(900, 620)
        root = QVBoxLayout(self)

        intro = QLabel(
            "成績名冊的「及格」依學生適用的及格標準判斷。名單上的學生依其個別及格標準檢核；其他學生依預設"
            "及格標準，成績介於預設與其他及格標準之間而標為及格者，列為 W02（及格標準待確認），不列為錯誤。"
        )
        intro.setWordWrap(True)
        root.addWidget(intro)
        root.addWidget(self._build_settings(svc.get_pass_mark_settings(db)))
        root.addWidget(self._build_list(), 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.message)
        root.addWidget(self._build_buttons())
        if db.read_only:
            lock_read_only(
                [
                    self.default_spin,
                    self.others_edit,
                    self.import_button,
                    self.add_button,
                    self.change_button,
                    self.delete_button,
                    self.save_button,
                ]
            )
        self.reload()

    # ------------------------------------------------------------------ building
    def _build_settings(self, current: svc.PassMarkSettings) -> QGroupBox:
        """The school's marks: the default and the others (saved with 儲存)."""
        settings = QGroupBox("學校的及格標準")
        form = QFormLayout(settings)
        self.default_spin = _mark_spin(current.default)
        form.addRow("預設及格標準", self.default_spin)
        self.others_edit = QLineEdit("、".join(format_mark(m) for m in current.others))
        self.others_edit.setPlaceholderText("例如 50、40（依學生類別、年級使用的其他及格標準）")
        form.addRow("其他及格標準", self.others_edit)
        return settings

    def _build_list(self) -> QGroupBox:
        """The per-student list with its tools (each change is stored at once)."""
        group = QGroupBox("個別學生及格標準名單（身分證號或學號 → 及格標準）")
        gl = QVBoxLayout(group)
        gl.addLayout(self._build_list_tools())
        self.model: ListTableModel[svc.StudentPassMarkInfo] = ListTableModel(
            [
                Column("班級", lambda e: e.class_name or "（不在學生名冊）"),
                Column("座號", lambda e: e.seat, align_right=True),
                Column("學號", lambda e: e.student_no),
                Column("姓名", lambda e: e.name),
                Column("身分證號", lambda e: e.masked_id),
                Column("及格標準", lambda e: e.mark_text, sort_key=lambda e: e.mark, align_right=True),
                Column("來源", lambda e: e.source),
                Column(
                    "更新",
                    lambda e: f"{format_roc(e.updated_at.date())} {e.updated_at:%H:%M}",
                    sort_key=lambda e: e.updated_at,
                ),
            ]
        )
        self.view = _table(self.model)
        self.view.setSortingEnabled(True)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_selected(cur.row()))
        gl.addWidget(self.view, 1)
        self.count_label = QLabel()
        gl.addWidget(self.count_label)
        return group

    def _build_list_tools(self) -> QHBoxLayout:
        tools = QHBoxLayout()
        self.import_button = QPushButton("匯入名單…")
        self.import_button.setToolTip("xlsx / csv，欄位：身分證號或學號、及格標準；匯入前先預覽")
        self.import_button.clicked.connect(lambda: self.choose_file())
        tools.addWidget(self.import_button)
        tools.addSpacing(16)
        tools.addWidget(QLabel("學生"))
        self.who_edit = QLineEdit()
        self.who_edit.setPlaceholderText("身分證號或學號")
        tools.addWidget(self.who_edit)
        self.mark_spin = _mark_spin(50.0)
        tools.addWidget(self.mark_spin)
        self.add_button = QPushButton("加入／修改")
        self.add_button.setToolTip("以身分證號或學號加入學生；已在名單上則修改其及格標準")
        self.add_button.clicked.connect(lambda: self.add_student())
        tools.addWidget(self.add_button)
        self.change_button = QPushButton("修改所選")
        self.change_button.clicked.connect(lambda: self.change_selected())
        tools.addWidget(self.change_button)
        self.delete_button = QPushButton("刪除所選")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        tools.addWidget(self.delete_button)
        tools.addStretch(1)
        return tools

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("儲存")
        self.save_button.setToolTip("儲存預設與其他及格標準後關閉（名單的變更已即時儲存）")
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("關閉")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # ------------------------------------------------------------------ showing
    def reload(self) -> None:
        entries = svc.list_pass_marks(self.db)
        self.model.set_rows(entries)
        outside = sum(1 for e in entries if not e.in_master)
        text = f"名單共 {len(entries)} 人"
        if outside:
            text += f"（其中 {outside} 人不在學生名冊，僅以身分證號比對）"
        self.count_label.setText(text)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else style.OK_STYLE)
        self.message.setText(text)

    def _selected(self) -> svc.StudentPassMarkInfo | None:
        index = self.view.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def _row_selected(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.mark_spin.setValue(self.model.row_object(row).mark)

    def select_student(self, student_no_or_name: str) -> bool:
        """Select the row of a student (by 學號 or name); False when not listed."""
        for row, entry in enumerate(self.model.rows()):
            if student_no_or_name in (entry.student_no, entry.name):
                self.view.selectRow(row)
                self.view.setCurrentIndex(self.model.index(row, 0))
                return True
        return False

    # ------------------------------------------------------------------ list actions
    def _run(self, action: Callable[[], object], done: str) -> bool:
        try:
            action()
        except (ServiceError, ReadOnlyError) as exc:
            self._say(str(exc), error=True)
            return False
        self.changed = True
        self.reload()
        self._say(done)
        return True

    def add_student(self) -> bool:
        who, mark = self.who_edit.text(), self.mark_spin.value()
        ok = self._run(
            lambda: svc.set_student_pass_mark(self.db, who, mark),
            f"已設定「{who.strip()}」的及格標準為 {format_mark(mark)} 分。",
        )
        if ok:
            self.who_edit.clear()
        return ok

    def change_selected(self) -> bool:
        entry = self._selected()
        if entry is None:
            self._say("請先在名單中選一位學生。", error=True)
            return False
        mark = self.mark_spin.value()
        return self._run(
            lambda: svc.change_pass_mark(self.db, entry.id, mark),
            f"已將 {entry.name or entry.masked_id} 的及格標準改為 {format_mark(mark)} 分。",
        )

    def delete_selected(self) -> bool:
        entry = self._selected()
        if entry is None:
            self._say("請先在名單中選一位學生。", error=True)
            return False
        who = entry.name or entry.masked_id
        answer = QMessageBox.question(
            self, "刪除個別及格標準", f"要將 {who} 自名單移除嗎？移除後依預設及格標準檢核。"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._run(lambda: svc.delete_pass_mark(self.db, entry.id), f"已將 {who} 自名單移除。")

    # ------------------------------------------------------------------ import
    def choose_file(self) -> bool:
        path = file_dialogs.open_file(self, "選擇及格標準名單", file_dialogs.ROSTERS, SPREADSHEET_FILTER)
        return path is not None and self.import_file(path)

    def import_file(self, path: str | Path) -> bool:
        """Preview the list file; the preview dialog (``preview_dialog``, window-modal) commits it."""
        try:
            preview = svc.preview_pass_mark_import(self.db, path)
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return False
        self._preview_path = Path(path)
        # Not WA_DeleteOnClose: Qt's deferred delete of these dialogs crashed the window (a freed
        # object received DeferredDelete); a closed dialog stays a hidden child of its parent.
        dialog = PassMarkPreviewDialog(preview, self)
        dialog.accepted.connect(self._commit_import)
        self.preview_dialog = dialog
        dialog.open()
        return True

    def _commit_import(self) -> None:
        dialog, path = self.preview_dialog, self._preview_path
        self.preview_dialog = None
        if dialog is None or path is None:
            return
        replace_all = dialog.replace_box.isChecked()
        self._run(
            lambda: svc.import_pass_marks(self.db, path, replace=replace_all),
            f"已匯入「{path.name}」：新增 {len(dialog.preview.added)}、變更 {len(dialog.preview.changed)}"
            + (f"、移除 {dialog.preview.not_in_file}" if replace_all else "")
            + "。",
        )

    # ------------------------------------------------------------------ settings
    def save(self) -> None:
        try:
            svc.save_pass_mark_settings(self.db, self.default_spin.value(), self.others_edit.text())
        except (ServiceError, ReadOnlyError) as exc:
            self._say(str(exc), error=True)
            return
        self.changed = True
        self.accept()


def open_pass_marks_dialog(
    db: Database, parent: QWidget | None, on_finished: Callable[[bool], object] | None = None
) -> PassMarksDialog:
    """Open the dialog window-modal (not blocking); ``on_finished(changed)`` runs when it closes."""
    dialog = PassMarksDialog(db, parent)  # not WA_DeleteOnClose: see import_file
    if on_finished is not None:
        dialog.finished.connect(lambda _result: on_finished(dialog.changed))
    dialog.open()
    return dialog
