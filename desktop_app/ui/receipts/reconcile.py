"""收訖對照: the batch's 修課紀錄 against the final 修課紀錄/成績名冊 (a sub-view of the 收訖明細 tab).

Also the two hooks the other sub-views call: :func:`flag_texts` (the student list's 「收訖對照」
column) and :func:`check_flagged_before_slips` (before printing slips: students with unexplained
未收訖 items should be called in first; printing can mark their slips).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import FILE_CHECKSUM
from desktop_app.domain.reconcile import KIND_LABELS, KINDS, MISSING, NO_RECEIPT
from desktop_app.domain.reconcile_result import DIVISION_LABELS, ReconcileResult, ReconcileRow, with_note
from desktop_app.domain.roc_date import format_roc
from desktop_app.services import ServiceError
from desktop_app.services.reconcile.explanations import explain_missing, latest_run, unexplained_by_student
from desktop_app.services.reconcile.export import export_reconcile_xlsx
from desktop_app.services.reconcile.run import reconcile
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.jobs import run_with_progress
from desktop_app.ui.receipts.common import ReceiptsView, make_table

if TYPE_CHECKING:  # (progress.py imports this module)
    from desktop_app.ui.receipts.progress import ProgressView

ALL_CLASSES = "（全部班級）"
ALL_KINDS = "（全部差異）"
UNEXPLAINED = "未收訖（尚未說明）"
KIND_COLOURS = {
    "missing": "#f8d7da",
    "no_receipt": "#f4b6b6",
    "extra": "#dbe9f7",
    "mismatch": "#fff3c4",
    "not_in_roster": "#e8e8e8",
}
SLIP_NOTICE = "【請先至註冊組】收訖對照：名冊中有 {n} 筆修課紀錄中央資料庫未收到，請先說明再確認。"


def _columns() -> list[Column[ReconcileRow]]:
    """The detail table's columns."""
    return [
        Column("差異", lambda r: r.kind_label, background=lambda r: KIND_COLOURS.get(r.kind)),
        Column("班級", lambda r: r.class_name),
        Column("座號", lambda r: r.seat, sort_key=lambda r: int(r.seat) if r.seat.isdigit() else 999),
        Column("姓名", lambda r: r.name),
        Column("身分證號", lambda r: r.masked_id),
        Column("課程代碼", lambda r: r.code or r.received_code),
        Column("科目名稱", lambda r: r.title),
        Column("學年期", lambda r: r.year_term),
        Column("學分", lambda r: r.credits, align_right=True),
        Column("差異說明", lambda r: r.difference_text, tooltip=lambda r: r.difference_text),
        Column("比對鍵", lambda r: r.key),
        Column("承辦說明", lambda r: r.note_text),
        Column(
            "名冊位置",
            lambda r: r.source or (f"收訖明細第 {r.receipt_row} 列" if r.receipt_row else ""),
            tooltip=lambda r: r.source or None,
        ),
    ]


class ReconcileView(ReceiptsView):
    """Signals: ``student_requested(student_id)`` on a double-click (the tab shows the student)."""

    student_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.result: ReconcileResult | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._files_bar())
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        layout.addLayout(self._filter_bar())
        self.model: ListTableModel[ReconcileRow] = ListTableModel(_columns())
        self.table: QTableView = make_table(self.model, self)
        self.table.setToolTip("按兩下：到「確認進度」看這位學生")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.doubleClicked.connect(self._double_clicked)
        # rows come sorted by class, seat, kind: no column's arrow until the clerk sorts by one
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def _files_bar(self) -> QHBoxLayout:
        """The rosters chosen, 加入名冊… / 移除, and 開始對照."""
        files_bar = QHBoxLayout()
        files_bar.addWidget(QLabel("期末修課紀錄／成績名冊\n（日間、進修部、重修重讀…；只讀不寫）："))
        self.roster_list = QListWidget(self)
        self.roster_list.setMaximumHeight(64)
        self.roster_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        files_bar.addWidget(self.roster_list, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("加入名冊…", self)
        self.add_button.clicked.connect(self.choose_rosters)
        self.remove_button = QPushButton("移除", self)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        files_bar.addLayout(buttons)
        self.run_button = QPushButton("開始對照", self)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        files_bar.addWidget(self.run_button)
        return files_bar

    def _filter_bar(self) -> QHBoxLayout:
        """The class and kind filters, the count shown, 說明未收訖… and 匯出對照 xlsx…."""
        bar = QHBoxLayout()
        bar.addWidget(QLabel("班級："))
        self.class_combo = QComboBox(self)
        self.class_combo.currentIndexChanged.connect(self._apply_filters)
        bar.addWidget(self.class_combo)
        bar.addWidget(QLabel("差異："))
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(ALL_KINDS, None)
        for kind in KINDS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_combo.addItem(UNEXPLAINED, "unexplained")
        self.kind_combo.currentIndexChanged.connect(self._apply_filters)
        bar.addWidget(self.kind_combo)
        self.shown_label = QLabel("", self)
        bar.addWidget(self.shown_label)
        bar.addStretch(1)
        self.explain_button = QPushButton("說明未收訖…", self)
        self.explain_button.setToolTip(
            "為選取的未收訖項目（或無收訖的學生）記下原因，例如「已重新上傳」「已轉出」"
        )
        self.explain_button.clicked.connect(self.explain_selected)
        bar.addWidget(self.explain_button)
        self.export_button = QPushButton("匯出對照 xlsx…", self)
        self.export_button.clicked.connect(self.export_xlsx)
        bar.addWidget(self.export_button)
        return bar

    # -- state ---------------------------------------------------------------------------------
    def writable_widgets(self) -> list[QWidget]:
        return [self.explain_button]

    def roster_paths(self) -> list[str]:
        return [self.roster_list.item(i).text() for i in range(self.roster_list.count())]

    def add_rosters(self, paths: list[str]) -> None:
        """Add roster files (full paths: the same file chosen twice, or by another spelling, once)."""
        known = {str(Path(p).resolve()) for p in self.roster_paths()}
        for path in paths:
            if not path:
                continue
            full = str(Path(path).resolve())
            if full not in known:
                self.roster_list.addItem(full)
                known.add(full)
        self._update_buttons()

    def choose_rosters(self) -> None:
        paths = file_dialogs.open_files(
            self, "選擇期末修課紀錄／成績名冊", file_dialogs.ROSTERS, "試算表 (*.xlsx *.xls *.ods *.csv);;所有檔案 (*)"
        )
        self.add_rosters([str(p) for p in paths])

    def _remove_selected(self) -> None:
        for item in self.roster_list.selectedItems():
            self.roster_list.takeItem(self.roster_list.row(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.run_button.setEnabled(self.batch_id is not None and self.roster_list.count() > 0)
        self.export_button.setEnabled(self.result is not None)
        self.explain_button.setEnabled(self.result is not None and not self.db.read_only)
        self.apply_read_only()

    def refresh(self) -> None:
        if self.result is not None and self.result.batch.id != self.batch_id:
            self.result = None
        if self.result is None:
            self.model.set_rows([])
            self.shown_label.setText("")
            self._show_last_run()
        self._update_buttons()

    def _show_last_run(self) -> None:
        if self.batch_id is None:
            self.summary.setText("尚無收訖明細批次：請到「收訖批次」匯入。")
            return
        run = latest_run(self.db, self.batch_id)
        if run is None:
            self.summary.setText(
                "尚未對照。加入同一學年度學期的期末修課紀錄／成績名冊（日間、進修部，以及補修、轉學轉科、重修重讀"
                "工作表），按「開始對照」：找出名冊有而中央資料庫未收到（未收訖）、收到但名冊沒有（多出）、"
                "科目名稱／學分／成績不一致的修課紀錄。"
            )
            return
        counts = "、".join(f"{KIND_LABELS[k]} {run.counts.get(k, 0)}" for k in KINDS)
        names = "、".join(str(f.get("name", "")) for f in run.files)
        self.summary.setText(
            f"上次對照：{format_roc(run.run_at.date())} {run.run_at:%H:%M}（{run.run_by}）名冊：{names}。{counts}；"
            f"未收訖尚未說明 {run.unexplained}。再按「開始對照」看明細。"
        )
        if not self.roster_list.count():
            self.add_rosters(
                [str(f["path"]) for f in run.files if f.get("path") and Path(str(f["path"])).is_file()]
            )

    # -- running -------------------------------------------------------------------------------
    def run(self) -> None:
        if self.batch_id is None:
            return
        paths = self.roster_paths()
        if not paths:
            self.show_error("請先按「加入名冊…」選擇期末修課紀錄／成績名冊。")
            return
        batch_id = self.batch_id
        self.run_button.setEnabled(False)
        self._job = run_with_progress(
            self,
            "收訖對照",
            lambda report: reconcile(self.db, batch_id, list(paths), progress=report),
            self.show_result,
            self._failed,
        )
        self._job.ended.connect(self._update_buttons)  # after an unexpected error or 取消 too

    def _failed(self, message: str) -> None:
        self._update_buttons()
        self.show_error(message, "無法對照")

    def show_result(self, result: ReconcileResult) -> None:
        self.result = result
        classes = sorted({r.class_name for r in result.rows if r.class_name})
        self.class_combo.blockSignals(True)
        current = self.class_combo.currentText()
        self.class_combo.clear()
        self.class_combo.addItems([ALL_CLASSES, *classes])
        if current in classes:
            self.class_combo.setCurrentText(current)
        self.class_combo.blockSignals(False)
        files = "；".join(
            f"{f.name}（{DIVISION_LABELS.get(f.division, f.division)}，比對 {f.compared_rows:,} 列）"
            for f in result.files
        )
        counts = "　".join(f"{KIND_LABELS[k]} {result.counts[k]}" for k in KINDS)
        verdict = (
            "收訖明細與名冊一致。"
            if not result.differs
            else f"未收訖（含名冊有、無收訖）尚未說明 <b>{result.unexplained}</b>。"
        )
        notes = "".join(f"<br>・{escape(n)}" for n in result.notes)
        self.summary.setText(
            f"{escape(result.term_title)}　名冊：{escape(files)}<br>{counts}　{verdict}<br>"
            f"收訖修課紀錄 {result.received_items:,} 筆、名冊 {result.roster_rows:,} 列、比對到 {result.matched:,} 筆"
            f"（{escape(result.keys_text())}）<span style='color:#555'>{notes}</span>"
        )
        self.summary.setToolTip(
            "\n".join(f"{f.name}：{f.path.resolve()}\n{FILE_CHECKSUM} {f.sha256}" for f in result.files)
        )
        self._apply_filters()
        self._update_buttons()
        self.changed.emit()

    def _apply_filters(self) -> None:
        if self.result is None:
            return
        class_name = self.class_combo.currentText()
        kind = self.kind_combo.currentData()
        rows = [
            r
            for r in self.result.rows
            if (class_name in ("", ALL_CLASSES) or r.class_name == class_name)
            and (kind is None or (r.unexplained if kind == "unexplained" else r.kind == kind))
        ]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.shown_label.setText(f"顯示 {len(rows)}／{len(self.result.rows)} 筆")

    def _double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_object(index.row())
        if row.student_id is None:
            self.show_error(
                f"{row.name or row.masked_id}（{row.class_name}）不在學生名冊中，沒有確認狀態可看。",
                "不在學生名冊",
            )
            return
        self.student_requested.emit(row.student_id)

    # -- explanations --------------------------------------------------------------------------
    def selected_rows(self) -> list[ReconcileRow]:
        indexes = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_object(i) for i in indexes]

    def explain_selected(self) -> None:
        rows = [r for r in self.selected_rows() if r.kind in (MISSING, NO_RECEIPT)]
        if self.batch_id is None or not rows:
            self.show_error("請先在表中選取一筆「未收訖」或「名冊有、無收訖」的列。")
            return
        row = rows[0]
        what = f"{row.name} {row.title or '（整位學生）'} {row.year_term}" + (
            f" 等 {len(rows)} 筆" if len(rows) > 1 else ""
        )
        note, ok = QInputDialog.getText(
            self,
            "說明未收訖",
            f"{what}：\n為什麼中央資料庫沒有這筆？（例如：已於 113/10/16 重新上傳、學生已轉出）留空則刪除說明。",
            text=row.note,
        )
        if ok:
            self.set_note(rows, note)

    def set_note(self, rows: list[ReconcileRow], note: str) -> None:
        """Store the note on each row (one transaction each) and show it."""
        if self.batch_id is None or self.result is None:
            return
        keys = set()
        for row in rows:
            try:
                explain_missing(self.db, self.batch_id, row.national_id, row.item_key, note)
            except ServiceError as exc:
                self.show_error(str(exc))
                break
            keys.add((row.national_id, row.item_key, row.kind))
        shown = tuple(
            with_note(r, note) if (r.national_id, r.item_key, r.kind) in keys else r for r in self.result.rows
        )
        self.show_result(dataclasses.replace(self.result, rows=shown))

    # -- export --------------------------------------------------------------------------------
    def export_xlsx(self) -> None:
        if self.result is None:
            return
        chosen = file_dialogs.save_file(self, "匯出收訖對照", file_dialogs.REPORTS, "收訖對照.xlsx", "Excel (*.xlsx)")
        if chosen is None:
            return
        try:
            written = export_reconcile_xlsx(self.db, self.result, chosen)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(written.resolve())))


# -- hooks for the other sub-views ------------------------------------------------------------------
def flag_texts(db: Database, batch_id: int | None) -> dict[int, str]:
    """student id → 「未收訖 N」 for the student list (unexplained items of the latest 收訖對照)."""
    if batch_id is None:
        return {}
    return {sid: f"未收訖 {n}" for sid, n in unexplained_by_student(db, batch_id).items()}


CHOICE_MARK = "mark"
CHOICE_SKIP = "skip"
CHOICE_PRINT = "print"


class FlaggedSlipsDialog(QDialog):
    """Before printing: the students whose 修課紀錄 has unexplained 未收訖 items. ``choice`` after exec()."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle("收訖對照：有未收訖的學生")
        layout = QVBoxLayout(self)
        text = QLabel(
            f"{len(names)} 位學生的修課紀錄有中央資料庫未收到（未收訖）且尚未說明的項目，"
            "建議先請學生到註冊組說明、必要時重新上傳，再發確認單：\n"
            + "、".join(names[:40])
            + (f"…（共 {len(names)} 位）" if len(names) > 40 else ""),
            self,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        self.mark_button = QPushButton("列印，並在這些確認單上標示「請先至註冊組」", self)
        self.skip_button = QPushButton("先不印這些學生", self)
        self.print_button = QPushButton("照常列印", self)
        self.cancel_button = QPushButton("取消", self)
        for button, choice in (
            (self.mark_button, CHOICE_MARK),
            (self.skip_button, CHOICE_SKIP),
            (self.print_button, CHOICE_PRINT),
        ):
            button.clicked.connect(lambda _=False, c=choice: self._done(c))
            buttons.addWidget(button)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.mark_button.setDefault(True)

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class _SlipStudent(Protocol):
    __dataclass_fields__: ClassVar[dict[str, Any]]  # a dataclass: the hook copies it with a notice

    @property
    def student_id(self) -> int: ...
    @property
    def class_name(self) -> str: ...
    @property
    def name(self) -> str: ...


class _Slips(Protocol):
    """What this hook needs of the slips about to print (the receipts feature's slip batch)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]  # a dataclass: the hook copies it

    @property
    def batch_id(self) -> int: ...
    @property
    def students(self) -> Sequence[_SlipStudent]: ...


SlipsT = TypeVar("SlipsT", bound=_Slips)


def check_flagged_before_slips(parent: QWidget, db: Database, batch: SlipsT) -> SlipsT | None:
    """The slips to print after asking about students with unexplained 未收訖 items; None: cancelled."""
    flags = unexplained_by_student(db, batch.batch_id)
    flagged = [s for s in batch.students if s.student_id in flags]
    if not flagged:
        return batch
    dialog = FlaggedSlipsDialog([f"{s.class_name} {s.name}" for s in flagged], parent)
    parent.flagged_dialog = dialog  # type: ignore[attr-defined]  # for tests: the last one shown
    dialog.exec()
    if dialog.choice == CHOICE_PRINT:
        return batch
    if dialog.choice == CHOICE_SKIP:
        return dataclasses.replace(batch, students=[s for s in batch.students if s.student_id not in flags])
    if dialog.choice == CHOICE_MARK:
        students = [
            dataclasses.replace(s, notice=SLIP_NOTICE.format(n=flags[s.student_id]))
            if s.student_id in flags
            else s
            for s in batch.students
        ]
        return dataclasses.replace(batch, students=students)
    return None


def select_student(view: ProgressView, student_id: int) -> bool:
    """Select a student in the 確認進度 student table (all classes shown first); False if absent."""
    combo = getattr(view, "class_combo", None)
    if combo is not None and combo.currentIndex() != 0:
        combo.setCurrentIndex(0)
    table = view.student_table
    model = view.student_model
    for row in range(model.rowCount()):
        if model.row_object(row).student_id == student_id:
            table.selectRow(row)
            table.scrollTo(model.index(row, 0))
            return True
    return False
