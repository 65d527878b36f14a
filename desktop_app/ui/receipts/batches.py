"""收訖批次: the batches, the import wizard (column mapping → dry run → import), the confirmation
period, 免確認 rules and the end-of-period 視為已確認 action."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TypedDict

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.national_id import mask_ids_in_text
from desktop_app.domain.receipts import CATEGORIES, EXEMPTION_SCOPES, ReceiptBatchInfo, batch_term_title
from desktop_app.domain.roc_date import format_roc
from desktop_app.services import ServiceError
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts.batches import (
    BatchContents,
    batch_contents,
    delete_batch,
    list_batches,
    set_period,
)
from desktop_app.services.receipts.confirmation import (
    DeemedRow,
    apply_deemed,
    deemed_preview,
    get_exemptions,
    set_exemptions,
)
from desktop_app.services.receipts.importing import (
    ReceiptDryRun,
    ReceiptImportResult,
    RowProblem,
    UnknownId,
    dry_run_receipts,
    import_receipts,
)
from desktop_app.services.receipts.mapping import suggest_mapping
from desktop_app.services.receipts.reading import (
    FIELD_LABELS,
    REQUIRED_FIELDS,
    ReceiptFile,
    read_receipt_file,
)
from desktop_app.services.receipts.students import shown_name
from desktop_app.storage.backup import create_backup
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.roc_date_edit import RocDateEdit
from desktop_app.ui.receipts.common import ProgressRunner, ReceiptsView, make_table, seat_text

FILE_FILTER = "收訖明細 (*.xlsx *.xls *.ods *.csv *.txt);;所有檔案 (*)"


class BatchesView(ReceiptsView):
    """Signals: ``batch_selected(int)`` when the user picks a batch in the list or imports one;
    ``batch_deleted(int)`` after a batch was deleted."""

    batch_selected = Signal(int)
    batch_deleted = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.import_button = QPushButton("匯入收訖明細…", self)
        self.import_button.clicked.connect(self.import_dialog)
        bar.addWidget(self.import_button)
        bar.addStretch(1)
        self.delete_button = QPushButton("刪除批次…", self)
        self.delete_button.setToolTip("刪除誤匯入的批次（含明細、確認狀態、回條與疑義）；刪除前自動備份")
        self.delete_button.clicked.connect(self.delete_batch_dialog)
        bar.addWidget(self.delete_button)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model: ListTableModel[ReceiptBatchInfo] = ListTableModel(
            [
                Column("編號", lambda b: b.id, align_right=True),
                Column("批次", lambda b: b.name),
                Column("學期", lambda b: batch_term_title(b)),
                Column(
                    "確認期間",
                    lambda b: (
                        f"{format_roc(b.period_start)}–{format_roc(b.period_end)}（{b.period_days} 日）"
                    ),
                ),
                Column("國教署期限", lambda b: format_roc(b.deadline)),
                Column("文號", lambda b: b.deadline_doc_no),
                Column("疑義（未結/全部）", lambda b: f"{b.objections_open}/{b.objections_total}"),
                Column(
                    "視為已確認",
                    lambda b: format_roc(b.deemed_confirmed_at.date()) if b.deemed_confirmed_at else "",
                ),
                Column("檔案", lambda b: b.file_name, tooltip=lambda b: b.file_name),
            ]
        )
        self.table = make_table(self.model, self, sortable=False)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        layout.addWidget(splitter, 1)
        self.refresh()

    def _build_detail(self) -> QWidget:
        detail = QWidget(self)
        row = QHBoxLayout(detail)
        period = QGroupBox("確認期間", detail)
        form = QFormLayout(period)
        self.start_edit = RocDateEdit(parent=period, allow_empty=False)
        self.end_edit = RocDateEdit(parent=period, allow_empty=False)
        self.deadline_edit = RocDateEdit(parent=period)
        self.doc_edit = QLineEdit(period)
        self.doc_edit.setPlaceholderText("臺教國署高字第…號")
        form.addRow("開始日", self.start_edit)
        form.addRow("結束日", self.end_edit)
        form.addRow("國教署期限", self.deadline_edit)
        form.addRow("文號", self.doc_edit)
        self.save_period_button = QPushButton("儲存確認期間", period)
        self.save_period_button.clicked.connect(self.save_period)
        form.addRow(self.save_period_button)
        self.period_message = QLabel("確認期間至少 3 天（開始日與結束日都算，例如 10/15 至 10/17）。", period)
        self.period_message.setWordWrap(True)
        form.addRow(self.period_message)
        row.addWidget(period, 1)

        exempt = QGroupBox("免確認（本批次哪些學生的哪類資料不需確認）", detail)
        grid = QGridLayout(exempt)
        self.exempt_boxes: dict[tuple[str, str], QCheckBox] = {}
        for c, (scope, label) in enumerate(EXEMPTION_SCOPES.items()):
            head = QLabel(EXEMPTION_HEADS.get(scope, label), exempt)  # short: never broken mid-word
            head.setToolTip(label)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(head, 0, c + 1)
            for r, category in enumerate(CATEGORIES):
                if c == 0:
                    grid.addWidget(QLabel(category, exempt), r + 1, 0)
                box = QCheckBox(exempt)
                grid.addWidget(box, r + 1, c + 1, alignment=Qt.AlignmentFlag.AlignCenter)
                self.exempt_boxes[(category, scope)] = box
        self.save_exempt_button = QPushButton("套用免確認設定", exempt)
        self.save_exempt_button.clicked.connect(self.save_exemptions)
        grid.addWidget(self.save_exempt_button, len(CATEGORIES) + 1, 0, 1, 4)
        row.addWidget(exempt, 1)

        end = QGroupBox("期間結束", detail)
        end_layout = QVBoxLayout(end)
        note = QLabel("確認期間結束後，期間內未確認也未提出疑義者視為已確認（要點第4點之4）。", end)
        note.setWordWrap(True)
        end_layout.addWidget(note)
        self.deemed_button = QPushButton("未確認 → 視為已確認…", end)
        self.deemed_button.clicked.connect(self.deemed_dialog)
        end_layout.addWidget(self.deemed_button)
        end_layout.addStretch(1)
        row.addWidget(end, 1)
        return detail

    # --- list --------------------------------------------------------------------------------
    def refresh(self) -> None:
        batches = list_batches(self.db)
        self.model.set_rows(batches)
        self.table.resizeColumnsToContents()
        for i, b in enumerate(batches):
            if b.id == self.batch_id:
                self.table.selectRow(i)
                break
        self._load_detail()

    def _row_changed(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            batch = self.model.row_object(index.row())
            if batch.id != self.batch_id:
                self.batch_selected.emit(batch.id)

    def _current(self) -> ReceiptBatchInfo | None:
        return next((b for b in self.model.rows() if b.id == self.batch_id), None)

    def _load_detail(self) -> None:
        batch = self._current()
        enabled = batch is not None
        for w in (self.save_period_button, self.deemed_button, self.delete_button):
            w.setEnabled(enabled)
        if batch is None:
            self.apply_read_only()
            return
        self.start_edit.setDate(batch.period_start)
        self.end_edit.setDate(batch.period_end)
        self.deadline_edit.setDate(batch.deadline)
        self.doc_edit.setText(batch.deadline_doc_no)
        rules = set(get_exemptions(self.db, batch.id))
        for key, box in self.exempt_boxes.items():
            box.setChecked(key in rules)
        self.deemed_button.setEnabled(date.today() > batch.period_end)
        self.deemed_button.setToolTip(
            "" if date.today() > batch.period_end else f"確認期間到 {format_roc(batch.period_end)} 才結束"
        )
        self.apply_read_only()

    def writable_widgets(self) -> list[QWidget]:
        return [
            self.import_button,
            self.delete_button,
            self.save_period_button,
            self.save_exempt_button,
            self.deemed_button,
        ]

    # --- actions -----------------------------------------------------------------------------
    def save_period(self) -> None:
        if self.batch_id is None:
            return
        try:
            warnings = set_period(
                self.db,
                self.batch_id,
                start=self.start_edit.date() or "",
                end=self.end_edit.date() or "",
                deadline=self.deadline_edit.date(),
                doc_no=self.doc_edit.text(),
            )
        except ServiceError as exc:
            self.period_message.setText(str(exc))
            self.period_message.setStyleSheet("color:#c82333;")
            return
        self.period_message.setText("已儲存。" + " ".join(f"注意：{w}" for w in warnings))
        self.period_message.setStyleSheet("color:#b36b00;" if warnings else "color:#1e7e34;")
        self.changed.emit()

    def save_exemptions(self) -> None:
        if self.batch_id is None:
            return
        rules = [key for key, box in self.exempt_boxes.items() if box.isChecked()]
        try:
            n = set_exemptions(self.db, self.batch_id, rules)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.period_message.setText(f"免確認設定已套用，{n} 項狀態改變。")
        self.changed.emit()

    def deemed_dialog(self) -> None:
        if self.batch_id is None:
            return
        rows = deemed_preview(self.db, self.batch_id)
        dialog = DeemedDialog(rows, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            n = apply_deemed(self.db, self.batch_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        QMessageBox.information(self, "視為已確認", f"已將 {n} 項未確認改為視為已確認，並記入操作紀錄。")
        self.changed.emit()

    def delete_batch_dialog(self) -> None:
        """Ask (saying what goes and that a backup is made), back up, then delete the batch."""
        if self.batch_id is None or self.db.read_only:
            return
        try:
            contents = batch_contents(self.db, self.batch_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "刪除收訖批次", delete_question(contents), parent=self)
        delete = box.addButton("刪除批次", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is not delete:
            return
        try:
            backup = create_backup(self.db.path, reason="before-delete-batch")
            delete_batch(self.db, contents.batch_id)
        except (ServiceError, OSError) as exc:
            self.show_error(f"未刪除：{exc}")
            return
        self.period_message.setText(
            f"已刪除批次「{contents.name}」。" + (f"刪除前的備份：{backup}" if backup else "")
        )
        self.period_message.setStyleSheet("color:#1e7e34;")
        self.batch_deleted.emit(contents.batch_id)
        self.changed.emit()

    def import_dialog(self) -> None:
        path = file_dialogs.open_file(self, "選擇收訖明細檔案", file_dialogs.RECEIPTS, FILE_FILTER)
        if not path:
            return
        try:
            rf = read_receipt_file(Path(path))
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        dialog = ReceiptImportDialog(self.db, rf, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.run_import(dialog)

    def run_import(self, dialog: ReceiptImportDialog) -> None:
        kwargs = dialog.import_arguments()
        self._runner = ProgressRunner(
            self,
            "匯入收訖明細",
            lambda report: import_receipts(self.db, dialog.rf, progress=report, **kwargs),
            self._imported,
            self.show_error,
        )

    def _imported(self, result: ReceiptImportResult) -> None:
        if result.warnings:
            QMessageBox.information(self, "匯入完成", "\n".join(f"注意：{w}" for w in result.warnings))
        self.changed.emit()
        self.batch_selected.emit(result.batch_id)


def delete_question(contents: BatchContents) -> str:
    """The confirmation text: what will be removed (counts) and that a backup comes first."""
    return (
        f"確定要刪除收訖批次「{contents.name}」？\n\n"
        f"檔案：{contents.file_name or '（無）'}\n"
        f"將一併刪除：收訖明細 {contents.items} 筆、確認狀態 {contents.confirmations} 筆、"
        f"已收回條 {contents.slip_returns} 張、疑義 {contents.objections} 件、免確認設定 {contents.exemptions} 項。\n"
        "學生名冊不受影響。\n\n"
        "刪除前會先自動備份資料庫（可用「檔案 → 從備份還原」復原），並記入操作紀錄。"
    )


class DeemedDialog(QDialog):
    """Preview of who becomes 視為已確認."""

    def __init__(self, rows: list[DeemedRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("未確認 → 視為已確認")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        students = len({r.student_id for r in rows})
        layout.addWidget(
            QLabel(
                f"以下 {students} 位學生共 {len(rows)} 項仍為未確認，將改為「視為已確認」並記入操作紀錄：",
                self,
            )
        )
        model: ListTableModel[DeemedRow] = ListTableModel(
            [
                Column("班級", lambda r: r.class_name),
                Column("座號", lambda r: seat_text(r.seat)),
                Column("姓名", lambda r: shown_name(r.name)),
                Column("資料類別", lambda r: r.category),
            ],
            rows,
            self,
        )
        layout.addWidget(make_table(model, self), 1)
        buttons = ok_cancel_buttons(self, "確定改為視為已確認")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(rows))
        layout.addWidget(buttons)


EXEMPTION_HEADS = {"graduated": "已畢業", "grade3": "三年級", "all": "全部學生"}


class ImportArguments(TypedDict):
    """What the dialog passes to :func:`import_receipts` besides the file."""

    name: str
    start: date | str
    end: date | str
    deadline: date | None
    doc_no: str
    mapping: dict[str, int]
    exemptions: list[tuple[str, str]]
    strict: bool


def _sample_column(title: str, index: int, pattern: str) -> Column[tuple[str, ...]]:
    """One column of the file's first rows, anything shaped like an ID number masked."""
    return Column(title, lambda r: mask_ids_in_text(str(r[index] if index < len(r) else ""), pattern))


class ReceiptImportDialog(QDialog):
    """Column mapping (guessed or remembered) → dry run → the batch's name and period."""

    def __init__(self, db: Database, rf: ReceiptFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rf = rf
        self.dry: ReceiptDryRun | None = None
        self._blocking: set[int] = set()
        self.setWindowTitle(f"匯入收訖明細：{rf.file_name}")
        self.resize(1000, 720)
        layout = QVBoxLayout(self)
        guess = suggest_mapping(db, rf)
        layout.addWidget(
            QLabel(
                f"工作表「{rf.sheet_name}」第 {rf.header_row} 列為標題列，資料 {len(rf.rows)} 列。"
                + (
                    "已沿用上次相同欄位格式的對應，請確認。"
                    if guess.remembered
                    else "依欄名推測的對應如下，請確認或修改。"
                ),
                self,
            )
        )
        layout.addLayout(self._mapping_and_sample(guess.mapping))
        self._add_dry_run(layout)
        layout.addWidget(self._batch_form())
        buttons = ok_cancel_buttons(self, "匯入", on_accept=self._accept)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setEnabled(False)
        layout.addWidget(buttons)

    def _mapping_and_sample(self, guess_mapping: dict[str, int]) -> QHBoxLayout:
        """The mapping combos (one per field) beside the file's first rows (IDs masked)."""
        rf, db = self.rf, self.db
        top = QHBoxLayout()
        mapping_box = QGroupBox("欄位對應（* 為必要欄位）", self)
        mapping_form = QFormLayout(mapping_box)
        self.combos: dict[str, QComboBox] = {}
        for field_name, label in FIELD_LABELS.items():
            combo = QComboBox(mapping_box)
            combo.addItem("（不使用）", -1)
            for i, header in enumerate(rf.headers):
                combo.addItem(f"第 {i + 1} 欄：{header or '（空白）'}", i)
            combo.setCurrentIndex(guess_mapping.get(field_name, -1) + 1)
            combo.currentIndexChanged.connect(self._mapping_changed)
            mapping_form.addRow(f"{label}{' *' if field_name in REQUIRED_FIELDS else ''}", combo)
            self.combos[field_name] = combo
        top.addWidget(mapping_box)
        # ID numbers in the sample are masked like everywhere else (any cell shaped like an ID)
        pattern = mask_pattern(db)
        sample: ListTableModel[tuple[str, ...]] = ListTableModel(
            [
                _sample_column(h or f"第{i + 1}欄", i, pattern)
                for i, h in enumerate(rf.headers)
            ],
            rf.rows[:8],
            self,
        )
        sample_box = QGroupBox("檔案前幾列（身分證號已遮罩）", self)
        QVBoxLayout(sample_box).addWidget(make_table(sample, sample_box, sortable=False))
        top.addWidget(sample_box, 1)
        return top

    def _add_dry_run(self, layout: QVBoxLayout) -> None:
        """The 試算 button, its summary and the list of rows that would not be imported."""
        dry_bar = QHBoxLayout()
        self.dry_button = QPushButton("試算（不寫入）", self)
        self.dry_button.clicked.connect(self.run_dry)
        dry_bar.addWidget(self.dry_button)
        self.dry_label = QLabel("請先試算：會列出比對到的學生、名冊中沒有的身分證號與各類筆數。", self)
        self.dry_label.setWordWrap(True)
        dry_bar.addWidget(self.dry_label, 1)
        layout.addLayout(dry_bar)
        self.problem_model: ListTableModel[UnknownId | RowProblem] = ListTableModel(
            [
                Column("列", lambda p: p.row, align_right=True),
                Column(
                    "問題",
                    lambda p: (
                        p.message
                        if isinstance(p, RowProblem)
                        else f"{p.masked_id} {p.name}：{p.reason}，不匯入"
                    ),
                    background=lambda p: "#f8d7da" if id(p) in self._blocking else "#fff3c4",
                ),
            ],
            parent=self,
        )
        self.problem_table = make_table(self.problem_model, self, sortable=False)
        layout.addWidget(self.problem_table, 1)
        # the full 身分證號 of a skipped row is shown only here, for the row the clerk selects
        self.problem_detail = QLabel("", self)
        self.problem_detail.setWordWrap(True)
        layout.addWidget(self.problem_detail)
        self.problem_table.selectionModel().currentRowChanged.connect(self._show_problem_detail)

    def _batch_form(self) -> QGroupBox:
        """The batch's name, confirmation period, deadline, 文號 and import options."""
        batch_box = QGroupBox("批次與確認期間", self)
        form = QFormLayout(batch_box)
        self.name_edit = QLineEdit(batch_box)
        self.start_edit = RocDateEdit(date.today(), batch_box, allow_empty=False)
        self.end_edit = RocDateEdit(date.today() + timedelta(days=4), batch_box, allow_empty=False)
        self.deadline_edit = RocDateEdit(parent=batch_box)
        self.doc_edit = QLineEdit(batch_box)
        self.graduated_box = QCheckBox("已畢業學生的修課紀錄免確認", batch_box)
        form.addRow("批次名稱", self.name_edit)
        form.addRow("確認期間開始", self.start_edit)
        form.addRow("確認期間結束", self.end_edit)
        form.addRow("國教署期限", self.deadline_edit)
        form.addRow("文號", self.doc_edit)
        form.addRow(self.graduated_box)
        self.strict_box = QCheckBox("有無法匯入的列時整批不匯入（預設只略過這些列）", batch_box)
        form.addRow(self.strict_box)
        return batch_box

    def _show_problem_detail(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        problem = self.problem_model.row_object(current.row()) if current.isValid() else None
        if isinstance(problem, UnknownId):
            self.problem_detail.setText(
                f"詳細（第 {problem.row} 列）：身分證號 {problem.national_id or '（空白）'}　"
                f"姓名 {problem.name}　{problem.reason}"
            )
        else:
            self.problem_detail.setText(problem.message if problem is not None else "")

    def mapping(self) -> dict[str, int]:
        return {
            f: c.currentData()
            for f, c in self.combos.items()
            if c.currentData() is not None and c.currentData() >= 0
        }

    def _mapping_changed(self) -> None:
        self.dry = None
        self.import_button.setEnabled(False)
        self.dry_label.setText("對應已變更，請重新試算。")

    def run_dry(self) -> None:
        try:
            dry = dry_run_receipts(self.db, self.rf, self.mapping())
        except ServiceError as exc:
            self.dry_label.setText(str(exc))
            self.dry_label.setStyleSheet("color:#c82333;")
            return
        self.dry = dry
        self.dry_label.setText(dry.summary())
        self.dry_label.setStyleSheet("color:#c82333;" if dry.errors else "")
        self._blocking = {id(p) for p in dry.errors}
        self.problem_model.set_rows([*dry.errors, *dry.rejected, *dry.unknown, *dry.birth_mismatches, *dry.cleaned])
        if not self.name_edit.text() and dry.year and dry.term:
            self.name_edit.setText(f"{dry.year}-{dry.term} 收訖明細")
        self.import_button.setEnabled(dry.ok and dry.matched_rows > 0)

    def import_arguments(self) -> ImportArguments:
        return {
            "name": self.name_edit.text(),
            "start": self.start_edit.date() or "",
            "end": self.end_edit.date() or "",
            "deadline": self.deadline_edit.date(),
            "doc_no": self.doc_edit.text(),
            "mapping": self.mapping(),
            "exemptions": [("修課紀錄", "graduated")] if self.graduated_box.isChecked() else [],
            "strict": self.strict_box.isChecked(),
        }

    def _accept(self) -> None:
        from desktop_app.domain.receipts import PeriodError, check_period

        start, end = self.start_edit.date(), self.end_edit.date()
        if not self.name_edit.text().strip():
            QMessageBox.warning(self, "無法匯入", "請輸入批次名稱。")
            return
        if start is None or end is None:
            QMessageBox.warning(self, "無法匯入", "請輸入確認期間的開始日與結束日。")
            return
        try:
            check_period(start, end, self.deadline_edit.date())
        except PeriodError as exc:
            QMessageBox.warning(self, "確認期間太短", str(exc))
            return
        self.accept()
