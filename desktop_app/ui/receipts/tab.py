"""The 收訖明細 tab: 學生名冊, 收訖批次, 確認進度, 回條掃描, 疑義處理, 難字對照表, 收訖對照."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_app.domain.roc_date import format_roc
from desktop_app.services.receipts.batches import list_batches
from desktop_app.storage.db import Database
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.events import Topic
from desktop_app.ui.receipts.batches import BatchesView
from desktop_app.ui.receipts.common import ReceiptsView
from desktop_app.ui.receipts.objections import ObjectionsView
from desktop_app.ui.receipts.progress import ProgressView
from desktop_app.ui.receipts.reconcile import ReconcileView, select_student
from desktop_app.ui.receipts.scan import ScanView
from desktop_app.ui.receipts.students import PuaView, StudentsView


class ReceiptsTab(BaseTab):
    key = "receipts"
    title = "收訖明細"
    owns = Topic.RECEIPTS
    shows = frozenset({Topic.RECEIPTS, Topic.STUDENTS, Topic.SETTINGS})  # batches, the roster, the ID mask

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("批次："))
        self.batch_combo = QComboBox(self)
        self.batch_combo.setMinimumWidth(260)
        self.batch_combo.currentIndexChanged.connect(self._batch_changed)
        top.addWidget(self.batch_combo)
        self.batch_info = QLabel("", self)
        top.addWidget(self.batch_info, 1)
        layout.addLayout(top)

        self.views = QTabWidget(self)
        self.students_view = StudentsView(db, self)
        self.batches_view = BatchesView(db, self)
        self.progress_view = ProgressView(db, self)
        self.scan_view = ScanView(db, self)
        self.objections_view = ObjectionsView(db, self)
        self.pua_view = PuaView(db, self)
        self.reconcile_view = ReconcileView(db, self)
        for view, title in (
            (self.students_view, "學生名冊"),
            (self.batches_view, "收訖批次"),
            (self.progress_view, "確認進度"),
            (self.scan_view, "回條掃描"),
            (self.objections_view, "疑義處理"),
            (self.pua_view, "難字對照表"),
            (self.reconcile_view, "收訖對照"),
        ):
            self.views.addTab(view, title)
            view.changed.connect(self._view_changed)
        self.batches_view.batch_selected.connect(self.select_batch)
        self.batches_view.batch_deleted.connect(self._batch_deleted)
        self.scan_view.objection_requested.connect(self._objection_from_scan)
        self.progress_view.objection_requested.connect(self._objection_from_progress)
        self.progress_view.pua_table_requested.connect(self.show_pua_table)
        self.reconcile_view.student_requested.connect(self.show_student)
        self.views.currentChanged.connect(self._view_shown)
        layout.addWidget(self.views, 1)
        self.batch_id: int | None = None
        self.refresh()
        if self.batch_id is not None:
            self.views.setCurrentWidget(self.progress_view)

    def _all_views(self) -> list[ReceiptsView]:
        return [
            self.students_view,
            self.batches_view,
            self.progress_view,
            self.scan_view,
            self.objections_view,
            self.pua_view,
            self.reconcile_view,
        ]

    def refresh(self) -> None:
        batches = list_batches(self.db)
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        for b in batches:
            # the batch's own name and period (the internal number means nothing to the clerk)
            self.batch_combo.addItem(
                f"{b.name}（{format_roc(b.period_start)}–{format_roc(b.period_end)}）", b.id
            )
        wanted = (
            self.batch_id
            if any(b.id == self.batch_id for b in batches)
            else (batches[-1].id if batches else None)
        )
        if wanted is not None:
            self.batch_combo.setCurrentIndex(self.batch_combo.findData(wanted))
        self.batch_combo.blockSignals(False)
        self.batch_id = wanted
        self._show_batch_info()
        for view in self._all_views():
            view.set_batch(self.batch_id)
        self.apply_read_only()

    def writable_widgets(self) -> list[QWidget]:
        return [w for view in self._all_views() for w in view.writable_widgets()]

    def _show_batch_info(self) -> None:
        batch = next((b for b in list_batches(self.db) if b.id == self.batch_id), None)
        if batch is None:
            self.batch_info.setText("尚無批次：先到「學生名冊」匯入名冊，再到「收訖批次」匯入收訖明細。")
            return
        today = date.today()
        if today < batch.period_start:
            state = f"尚未開始（{(batch.period_start - today).days} 日後）"
        elif today <= batch.period_end:
            state = f"確認期間中，剩 {(batch.period_end - today).days + 1} 日"
        else:
            state = "已結束" + ("，已視為已確認" if batch.deemed_confirmed_at else "，尚未執行視為已確認")
        deadline = f"　國教署期限 {format_roc(batch.deadline)}" if batch.deadline else ""
        self.batch_info.setText(
            f"確認期間 {format_roc(batch.period_start)}–{format_roc(batch.period_end)}（{state}）{deadline}"
            f"　未結疑義 {batch.objections_open}"
        )

    def _batch_changed(self) -> None:
        self.batch_id = self.batch_combo.currentData()
        self._show_batch_info()
        for view in self._all_views():
            view.set_batch(self.batch_id)
        self.apply_read_only()

    def select_batch(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.refresh()

    def _batch_deleted(self, batch_id: int) -> None:
        if self.batch_id == batch_id:
            self.batch_id = None  # refresh() picks the newest batch left
        self.refresh()

    def _view_changed(self) -> None:
        sender = self.sender()
        self._show_batch_info()
        for view in self._all_views():
            if view is not sender:
                view.refresh()
        # the roster and its 難字 are shown here only; everything else is 收訖 data (作業期程, 自我檢核)
        self.publish(Topic.STUDENTS if sender in (self.students_view, self.pua_view) else Topic.RECEIPTS)

    def _view_shown(self) -> None:
        if self.views.currentWidget() is self.scan_view:
            self.scan_view.scan_edit.setFocus()

    def _objection_from_scan(self, student_id: int, category: str) -> None:
        if self.objections_view.open_dialog(student_id, category):
            self.scan_view.refresh()
        self.scan_view.scan_edit.setFocus()

    def show_pua_table(self, code: str = "") -> None:
        """Switch to the 難字對照表, the given 造字 (``U+E000``) ready to be filled in."""
        self.views.setCurrentWidget(self.pua_view)
        self.pua_view.refresh()
        if code:
            self.pua_view.select_code(code)

    def show_student(self, student_id: int) -> None:
        """Switch to 確認進度 with the student selected (from the 收訖對照 view)."""
        self.views.setCurrentWidget(self.progress_view)
        select_student(self.progress_view, student_id)

    def _objection_from_progress(self, student_id: int, category: str) -> None:
        self.objections_view.open_dialog(student_id, category)

    def show_record(self, record: object) -> None:
        if isinstance(record, int):
            self.select_batch(record)
            self.views.setCurrentWidget(self.progress_view)
