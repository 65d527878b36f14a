"""確認進度: per class × category counts, each student's statuses, the xlsx export and printing."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import DUPLEX_OPTION, EXPORT_XLSX
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.receipts import (
    CATEGORIES,
    CONFIRMED,
    EXEMPT,
    OBJECTION,
    TOTAL_CLASS,
    UNCONFIRMED,
    ConfirmationStatus,
    ProgressRow,
    StudentStatus,
    confirmation_label,
)
from desktop_app.services import ServiceError
from desktop_app.services.receipts.confirmation import batch_progress, list_student_statuses, set_confirmation
from desktop_app.services.receipts.printing import (
    FontChain,
    FontMissingError,
    PrintProblem,
    check_slips_wanted,
    export_progress_xlsx,
    export_slips,
    print_fonts,
    slip_print_problems,
)
from desktop_app.services.receipts.slips import slip_batch
from desktop_app.services.receipts.students import shown_name
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.receipts.common import STATUS_COLOURS, ProgressRunner, ReceiptsView, make_table, seat_text
from desktop_app.ui.receipts.print_dialog import CHOICE_PRINT_MARKED, CHOICE_PUA_TABLE, PrintProblemsDialog
from desktop_app.ui.receipts.reconcile import check_flagged_before_slips, flag_texts

ALL_CLASSES = "（全部班級）"


def _status_column(category: str) -> Column[StudentStatus]:
    """A student's confirmation status of one 資料類別, coloured."""
    return Column(
        category,
        lambda s: s.status(category) or "—",
        background=lambda s: STATUS_COLOURS.get(s.status(category)),
    )


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _progress_columns() -> list[Column[ProgressRow]]:
    """The class table: counts per class × category, 未確認 and 有疑義 in their colours."""
    return [
        Column("班級", lambda r: r.class_name),
        Column("類別", lambda r: r.category),
        Column("人數", lambda r: r.students, align_right=True),
        Column("已確認", lambda r: r.confirmed, align_right=True),
        Column(
            "有疑義",
            lambda r: r.objection,
            align_right=True,
            background=lambda r: STATUS_COLOURS[OBJECTION] if r.objection else None,
        ),
        Column(
            "未確認",
            lambda r: r.pending,
            align_right=True,
            background=lambda r: STATUS_COLOURS[UNCONFIRMED] if r.pending else None,
        ),
        Column("免確認", lambda r: r.exempt, align_right=True),
        Column(
            "完成率",
            lambda r: f"{r.done_ratio:.0%}",
            sort_key=lambda r: r.done_ratio,
            align_right=True,
        ),
    ]


def _category_column(category: str) -> Column[StudentStatus]:
    """A category's status as its label, in its colour (— when the student has no such item)."""
    return Column(
        category,
        lambda s: confirmation_label(s.status(category)) or "—",
        background=lambda s: STATUS_COLOURS.get(s.status(category) or ""),
    )


class ProgressView(ReceiptsView):
    """Signals: ``objection_requested(student_id, category)`` from the student table's menu."""

    objection_requested = Signal(int, str)
    pua_table_requested = Signal(str)  # the first unmapped 造字 (U+E000), to fill in the 難字對照表

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.reconcile_flags: dict[int, str] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self._tool_bar())
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)  # the whole-school line wraps instead of widening the window
        layout.addWidget(self.summary)
        splitter = QSplitter(self)
        self.splitter = splitter
        self._splitter_dragged = False  # once the clerk drags the divider, it stays where put
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_splitter_dragged", True))
        self.progress_model: ListTableModel[ProgressRow] = ListTableModel(_progress_columns())
        self.progress_table = make_table(self.progress_model, self)
        # its columns sized to their contents, and the pane to its columns (see _fit_class_table): a
        # stretched last section cannot say how wide it needs to be
        self.progress_table.horizontalHeader().setStretchLastSection(False)
        splitter.addWidget(self.progress_table)
        self.student_model: ListTableModel[StudentStatus] = ListTableModel(self._student_columns())
        self.student_table = make_table(self.student_model, self)
        self.student_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.student_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.student_table.customContextMenuRequested.connect(self._student_menu)
        self.student_table.setToolTip("在類別欄按右鍵：登記已確認、改回未確認或登記疑義")
        splitter.addWidget(self.student_table)
        splitter.setSizes([560, 700])
        layout.addWidget(splitter, 1)
        self.slips_button.setEnabled(has_module("reportlab"))  # the PDF half of the feature
        self.reminders_button.setEnabled(has_module("reportlab"))
        if not self.slips_button.isEnabled():
            self.slips_button.setToolTip("紙本確認單的 PDF 產生器尚未安裝")

    def _tool_bar(self) -> QHBoxLayout:
        """班級 filter, the xlsx export, and the print choices and buttons."""
        bar = QHBoxLayout()
        bar.addWidget(QLabel("班級："))
        self.class_combo = QComboBox(self)
        self.class_combo.currentIndexChanged.connect(self._class_changed)
        bar.addWidget(self.class_combo)
        self.pending_only = QComboBox(self)
        self.pending_only.addItems(["列印：全部學生", "列印：只印仍有未確認者", "列印：表中選取的學生"])
        bar.addStretch(1)
        self.export_button = QPushButton(EXPORT_XLSX, self)
        self.export_button.setToolTip("確認進度（各班）及學生名單（可篩選、可列印給導師）")
        self.export_button.clicked.connect(self.export_xlsx)
        bar.addWidget(self.export_button)
        self.slips_button = QPushButton("列印紙本確認單…", self)
        self.slips_button.clicked.connect(self.print_slips)
        self.reminders_button = QPushButton("列印導師提醒名單…", self)
        self.reminders_button.clicked.connect(self.print_reminders)
        bar.addWidget(self.pending_only)
        self.duplex = QCheckBox(DUPLEX_OPTION, self)
        self.duplex.setToolTip("每位學生的頁數補成偶數（加一張空白頁），雙面列印時不會有兩位學生印在同一張紙上")
        bar.addWidget(self.duplex)
        bar.addWidget(self.slips_button)
        bar.addWidget(self.reminders_button)
        return bar

    def _student_columns(self) -> list[Column[StudentStatus]]:
        return [
            Column("班級", lambda s: s.class_name),
            Column("座號", lambda s: seat_text(s.seat), sort_key=lambda s: s.seat or 0, align_right=True),
            Column("姓名", lambda s: shown_name(s.name)),
            Column("身分證號", lambda s: s.masked_id),
            *[_category_column(c) for c in CATEGORIES],
            Column("回條", lambda s: "已收" if s.returned_at else ""),
            Column(  # 收訖對照 (ui/receipts/reconcile.py): unexplained 未收訖 items
                "收訖對照",
                lambda s: self.reconcile_flags.get(s.student_id, ""),
                background=lambda s: "#f8d7da" if s.student_id in self.reconcile_flags else None,
            ),
        ]

    # the student table keeps at least this much (班級 座號 姓名 身分證號 and a category or two)
    MIN_STUDENT_WIDTH = 380

    def class_table_width(self) -> int:
        """The width the class table needs to show every column (完成率 last) without scrolling."""
        table = self.progress_table
        header = table.horizontalHeader()
        columns = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
        # frame and vertical scroll bar, and a few pixels to spare
        chrome = max(table.width() - table.viewport().width(), table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth())
        return columns + chrome + 6

    def _fit_class_table(self) -> None:
        """Give the class table the width its columns need (at 1366 px its 完成率 was cut to 「38」),
        as far as the student table keeps :attr:`MIN_STUDENT_WIDTH`; not once the clerk dragged."""
        if self._splitter_dragged:
            return
        total = sum(self.splitter.sizes()) or self.splitter.width()
        if total <= 0:
            return
        left = min(self.class_table_width(), max(total - self.MIN_STUDENT_WIDTH, total // 3))
        self.splitter.setSizes([left, total - left])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_class_table()

    def _class_name(self) -> str | None:
        text = self.class_combo.currentText()
        return None if not text or text == ALL_CLASSES else text

    def _class_changed(self) -> None:
        if not getattr(self, "_loading", False):
            self._load_students()

    def refresh(self) -> None:
        if self.batch_id is None:
            self.progress_model.set_rows([])
            self.student_model.set_rows([])
            self.summary.setText("尚無收訖明細批次：請到「收訖批次」匯入。")
            return
        rows = batch_progress(self.db, self.batch_id)
        self.progress_model.set_rows(rows)
        self.progress_table.resizeColumnsToContents()
        self._fit_class_table()
        classes = sorted({r.class_name for r in rows if r.class_name != TOTAL_CLASS})
        current = self.class_combo.currentText()
        self._loading = True
        self.class_combo.clear()
        self.class_combo.addItems([ALL_CLASSES, *classes])
        if current in classes:
            self.class_combo.setCurrentText(current)
        self._loading = False
        totals = [r for r in rows if r.class_name == TOTAL_CLASS]
        self.summary.setText(
            "全校："
            + "；".join(
                f"{r.category} 已確認 {r.confirmed}、有疑義 {r.objection}、未確認 {r.pending}" for r in totals
            )
        )
        self._load_students()

    def _load_students(self) -> None:
        if self.batch_id is None:
            return
        self.reconcile_flags = flag_texts(self.db, self.batch_id)
        self.student_model.set_rows(
            list_student_statuses(self.db, self.batch_id, class_name=self._class_name())
        )
        self.student_table.resizeColumnsToContents()

    def export_xlsx(self) -> None:
        if self.batch_id is None:
            return
        path = file_dialogs.save_file(self, "匯出確認進度", file_dialogs.REPORTS, "收訖明細確認進度.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        try:
            export_progress_xlsx(self.db, self.batch_id, path)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        file_dialogs.open_saved_file(self, Path(path))

    def _open_saved(self, path: Path) -> None:
        file_dialogs.open_saved_file(self, path)

    def _write_pdf(self, title: str, default_name: str, work: Callable[[Path, ProgressFn], object]) -> None:
        path = file_dialogs.save_file(self, title, file_dialogs.SLIPS, default_name, "PDF (*.pdf)")
        if not path:
            return
        self._runner = ProgressRunner(
            self,
            title,
            lambda report: work(Path(path), report),
            lambda _result: self._open_saved(path),
            self.show_error,
        )

    def category_at(self, column: int) -> str | None:
        first = 4  # 班級, 座號, 姓名, 身分證號, then the categories
        return CATEGORIES[column - first] if first <= column < first + len(CATEGORIES) else None

    def _student_menu(self, pos: QPoint) -> None:
        menu = self.student_menu(self.student_table.indexAt(pos))
        if menu is not None:
            menu.popup(self.student_table.viewport().mapToGlobal(pos))

    def student_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu of a category cell: the answers (disabled when the database is read-only)."""
        category = self.category_at(index.column()) if index.isValid() else None
        if category is None or self.batch_id is None:
            return None
        student = self.student_model.row_object(index.row())
        status = student.status(category)
        menu = QMenu(self)
        title = menu.addAction(f"{student.name}「{category}」：{confirmation_label(status) or '無資料'}")
        title.setEnabled(False)
        if status and status != EXEMPT:
            actions = [
                menu.addAction("登記已確認", lambda: self.set_status(student.student_id, category, CONFIRMED)),
                menu.addAction("改回未確認", lambda: self.set_status(student.student_id, category, UNCONFIRMED)),
                menu.addAction(
                    "登記疑義…", lambda: self.objection_requested.emit(student.student_id, category)
                ),
            ]
            if self.db.read_only:
                for action in actions:
                    action.setEnabled(False)
                menu.addAction("（資料庫唯讀開啟，不能修改）").setEnabled(False)
        return menu

    def set_status(self, student_id: int, category: str, status: ConfirmationStatus) -> None:
        if self.batch_id is None:
            return
        try:
            set_confirmation(self.db, self.batch_id, student_id, category, status)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.changed.emit()
        self.refresh()

    def _check_printable(
        self, find: Callable[[FontChain], list[PrintProblem]], what: str
    ) -> tuple[FontChain, bool] | None:
        """The font chain and whether to print with ``[U+XXXX]`` marks; None when not printing.

        Characters that would not print (造字 not in the 難字對照表, characters no font has)
        are listed first, with the CLI's choice (``--allow-missing``) offered as a button.
        """
        try:
            chain = print_fonts(self.db)
        except FontMissingError as exc:
            self.show_error(str(exc), "找不到中文字型")
            return None
        problems = find(chain)
        if not problems:
            return chain, False
        dialog = PrintProblemsDialog(problems, what, self)
        self.problems_dialog = dialog  # for tests: the last one shown
        dialog.exec()
        if dialog.choice == CHOICE_PUA_TABLE:
            self.pua_table_requested.emit(dialog.first_pua_code())
            return None
        if dialog.choice == CHOICE_PRINT_MARKED:
            return chain, True
        return None

    def selected_student_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.student_table.selectionModel().selectedRows()})
        return [self.student_model.row_object(r).student_id for r in rows]

    def print_slips(self) -> None:
        if self.batch_id is None:
            return
        choice = self.pending_only.currentIndex()
        student_ids = self.selected_student_ids() if choice == 2 else None
        if choice == 2 and not student_ids:
            self.show_error("請先在右側學生表中選取要列印的學生（可按 Ctrl 或 Shift 多選）。")
            return
        batch = slip_batch(
            self.db,
            self.batch_id,
            class_name=self._class_name(),
            student_ids=student_ids,
            pending_only=choice == 1,
        )
        try:
            check_slips_wanted(batch)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        checked_batch = check_flagged_before_slips(self, self.db, batch)  # 收訖對照: 未收訖 students first
        if checked_batch is None or not checked_batch.students:
            return
        checked = self._check_printable(lambda chain: slip_print_problems(checked_batch, chain), "確認單")
        if checked is None:
            return
        chain, allow_missing = checked
        duplex = self.duplex.isChecked()
        self._write_pdf(
            "列印紙本確認單",
            f"收訖明細確認單_{self._class_name() or '全部'}.pdf",
            lambda path, report: export_slips(
                path, checked_batch, chain=chain, allow_missing=allow_missing, progress=report, duplex=duplex
            ),
        )

    def print_reminders(self) -> None:
        if self.batch_id is None:
            return
        from desktop_app.services.calendar.reminder_lists import (  # the print half of the feature
            reminder_lists,
            unprintable_in_reminder_lists,
            write_reminder_lists,
        )

        try:
            lists = reminder_lists(self.db, self.batch_id, class_name=self._class_name())
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        checked = self._check_printable(lambda chain: unprintable_in_reminder_lists(lists, chain), "提醒名單")
        if checked is None:
            return
        chain, allow_missing = checked
        self._write_pdf(
            "列印導師提醒名單",
            f"收訖明細提醒名單_{self._class_name() or '全部'}.pdf",
            lambda path, report: write_reminder_lists(
                lists, path, chain=chain, allow_missing=allow_missing, progress=report
            ),
        )
