"""The 開課預檢 tab: choose/drop the plan and the roster, run the check off the GUI thread, read the
findings (cards, patterns first, table with filters, offering gaps), export, and follow the run
history of a 學期 with what was fixed since the previous run and the 1st-comparison deadline.

The views it shows are built in :mod:`.widgets` and :mod:`.history`; colours and markup in :mod:`.style`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import duration_text
from desktop_app.domain.pass_marks import describe
from desktop_app.domain.precheck.labels import DIVISION_LABELS, KIND_LABELS, PERSONAL_DATA_NOTICE, rule_titles
from desktop_app.domain.precheck.model import CheckOptions, PrecheckResult
from desktop_app.domain.roc_date import Term, format_roc, term_of
from desktop_app.services import ServiceError
from desktop_app.services.precheck import runs as svc
from desktop_app.services.precheck.export import (
    export_annotated_copy,
    export_report,
    require_annotatable,
    require_result,
)
from desktop_app.services.precheck.pass_marks import stored_pass_marks
from desktop_app.services.profile import list_term_dates, mask_pattern
from desktop_app.storage.db import Database, ReadOnlyError
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.read_only import enable_with_reason
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.events import Topic
from desktop_app.ui.jobs import Job, show_failure, submit
from desktop_app.ui.precheck import style
from desktop_app.ui.precheck.history import RunHistoryPage
from desktop_app.ui.precheck.widgets import (
    FileDropBox,
    FindingsPanel,
    OfferingBox,
    PatternsBox,
    SummaryStrip,
)


def result_notes(result: PrecheckResult, version: svc.PlanVersionInfo | None) -> list[str]:
    """What the clerk should know beside the findings: a plan of another 學年度, 造字 in the roster."""
    notes = list(getattr(result, "notes", []) or [])
    if version is not None and result.year is not None and version.year != result.year:
        notes.insert(
            0,
            f"注意：名冊為 {result.year} 學年度，使用的課程計畫是 {version.year} 學年度"
            f"（第{version.version}版）；請確認是否選錯課程計畫版本。",
        )
    pua = list(getattr(result, "pua", []) or [])
    if pua:
        notes.append(f"名冊中有 {len(pua)} 個儲存格含造字（私人造字區字元），列印前請以難字對照表更正。")
    return notes


class PrecheckTab(BaseTab):
    """Signals: ``run_finished(object)`` with the :class:`RunOutcome` (or None on failure/cancel);
    ``export_finished(str)`` with the written path ("" on failure)."""

    key = "precheck"
    title = "開課預檢"
    owns = Topic.PRECHECK
    shows = frozenset({  # runs, 及格標準, 學期 dates, the ID mask
        Topic.PRECHECK,
        Topic.PASS_MARKS,
        Topic.PROFILE,
        Topic.SETTINGS,
    })

    run_finished = Signal(object)
    export_finished = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self._job: Job | None = None  # the check or export running (one at a time, by the job runner)
        self._result: PrecheckResult | None = None
        self._result_run: svc.PrecheckRunInfo | None = None
        self._roster_path: Path | None = None  # the roster of the current result (annotate)
        self._mask = mask_pattern(db)

        root = QVBoxLayout(self)
        root.addLayout(self._build_inputs())
        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        root.addWidget(self.deadline_label)
        self.pass_marks_label = QLabel()  # the 及格標準 the next run uses
        self.pass_marks_label.setStyleSheet(style.MUTED_STYLE)
        root.addWidget(self.pass_marks_label)
        self.pages = QTabWidget()
        self.pages.addTab(self._build_result_page(), "檢核結果")
        self.history = RunHistoryPage(db, self._plan_label)
        self.history.open_run.connect(self._open_run)
        self.pages.addTab(self.history, "執行紀錄")
        # the history page's parts under the names the tab has always had
        self.history_term, self.history_deadline = self.history.term, self.history.deadline
        self.runs_model, self.runs_view = self.history.runs_model, self.history.runs_view
        self.diff_label, self.diff_model, self.diff_combo = self.history.diff_label, self.history.diff_model, self.history.diff_combo
        root.addWidget(self.pages, 1)
        self.refresh()
        self._show_latest_run()

    # ------------------------------------------------------------------ building
    def _build_inputs(self) -> QVBoxLayout:
        box = QVBoxLayout()
        files = QHBoxLayout()
        self.plan_box = FileDropBox(
            "課程計畫", "拖曳課程計畫檔到這裡匯入，或選擇已匯入的版本", kind=file_dialogs.PLANS
        )
        self.plan_combo = QComboBox()
        self.plan_combo.setMinimumWidth(300)
        self.plan_combo.setToolTip("本次檢核使用的課程計畫版本")
        self.plan_box.extra.addWidget(self.plan_combo)
        self.plan_box.button.setText("匯入…")
        self.plan_box.file_chosen.connect(self.import_plan_file)
        self.roster_box = FileDropBox("名冊", "拖曳名冊檔（xlsx/xls/ods/csv）到這裡，或按「選擇…」")
        self.roster_box.file_chosen.connect(self.set_roster)
        files.addWidget(self.plan_box, 3)
        files.addWidget(self.roster_box, 2)
        box.addLayout(files)

        row = QHBoxLayout()
        row.addWidget(QLabel("名冊別"))
        self.kind_combo = QComboBox()
        for text, value in (("自動判斷", None), ("預檢（不含成績）", "pre"), ("成績名冊", "final")):
            self.kind_combo.addItem(text, value)
        row.addWidget(self.kind_combo)
        row.addWidget(QLabel("部別"))
        self.division_combo = QComboBox()
        for text, value in (("自動判斷", None), ("日間", "day"), ("進修部", "continuing")):
            self.division_combo.addItem(text, value)
        row.addWidget(self.division_combo)
        row.addWidget(QLabel("學期"))
        self.term_combo = QComboBox()
        self.term_combo.setToolTip("預設依名冊封面；沒有封面時請指定")
        self.term_combo.currentIndexChanged.connect(lambda _i: self._term_chosen())
        row.addWidget(self.term_combo)
        self.pass_marks_button = QPushButton("及格標準…")
        self.pass_marks_button.setToolTip(
            "預設及格標準、學校的其他及格標準與個別學生名單（成績名冊的「及格」依此判斷）"
        )
        self.pass_marks_button.clicked.connect(lambda: self.edit_pass_marks())
        row.addWidget(self.pass_marks_button)
        self.run_button = QPushButton("開始檢核")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start_check)
        row.addWidget(self.run_button)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("%p%")
        self.progress.setMinimumWidth(240)
        row.addWidget(self.progress)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.cancel_button)
        self.status_label = QLabel()
        self.status_label.setStyleSheet(style.OK_STYLE)
        row.addWidget(self.status_label, 1)
        box.addLayout(row)
        return box

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        head = QHBoxLayout()
        self.result_label = QLabel("尚未檢核。選擇課程計畫與名冊後按「開始檢核」。")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.result_label, 1)
        self.report_button = QPushButton("匯出檢核報表…")
        self.report_button.clicked.connect(lambda: self.export_report())
        self.annotate_button = QPushButton("匯出標註副本…")
        self.annotate_button.setToolTip(
            "另存一份名冊副本，有問題的儲存格上色並加註解（原檔不變）。"
            "副本含完整身分證號等個人資料，請勿外流。"
        )
        self.annotate_button.clicked.connect(lambda: self.export_annotated())
        head.addWidget(self.report_button)
        head.addWidget(self.annotate_button)
        layout.addLayout(head)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(style.MUTED_STYLE)
        self.notes_label.setVisible(False)
        layout.addWidget(self.notes_label)
        self.cards = SummaryStrip()
        self.patterns_box = PatternsBox()
        self.findings = FindingsPanel()
        self.offering = OfferingBox()
        self.cards.clicked.connect(self.findings.choose_code)
        self.findings.code_changed.connect(self.cards.highlight)
        self.patterns_box.chosen.connect(lambda p: self.findings.show_pattern(p.rule, p.course_code))
        layout.addWidget(self.cards)
        layout.addWidget(self.patterns_box)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.findings)
        split.addWidget(self.offering)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 300])
        layout.addWidget(split, 1)
        # the parts under the names the tab has always had
        self.cards_layout, self.offering_model = self.cards.cards_layout, self.offering.model
        panel = self.findings
        self.findings_model, self.findings_view, self.count_label = panel.model, panel.view, panel.count_label
        self.code_filter, self.severity_filter, self.search_edit = panel.code_filter, panel.severity_filter, panel.search_edit
        self.sheet_filter, self.class_filter, self.group_check = panel.sheet_filter, panel.class_filter, panel.group_check
        return page

    # ------------------------------------------------------------------ refresh
    def refresh(self) -> None:
        self._mask = mask_pattern(self.db)
        self.findings_model.set_mask(self._mask)  # the shown result follows a changed mask setting
        self.history.id_mask = self._mask
        self._plans = {v.id: v for v in svc.list_plan_versions(self.db)}
        self.pass_marks_label.setText("成績名冊的及格標準：" + describe(stored_pass_marks(self.db).summary()))
        current = self.plan_combo.currentData()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        if not self._plans:
            self.plan_combo.addItem("（尚未匯入課程計畫）", None)
        for v in self._plans.values():
            self.plan_combo.addItem(v.label, v.id)
        if current in self._plans:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(current))
        self.plan_combo.blockSignals(False)

        terms = {Term(t.year, t.term) for t in list_term_dates(self.db)} | set(svc.run_terms(self.db))
        terms.add(term_of(date.today()))
        ordered = sorted(terms, key=lambda t: (t.year, t.term), reverse=True)
        chosen_term = self.term_combo.currentData()
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        self.term_combo.addItem("依名冊封面", None)
        for t in ordered:
            self.term_combo.addItem(t.title, t.label)
        if chosen_term is not None:
            self.term_combo.setCurrentIndex(max(0, self.term_combo.findData(chosen_term)))
        self.term_combo.blockSignals(False)

        history_term = self.history_term.currentData()
        if history_term is None:
            runs = svc.list_runs(self.db)
            latest = runs[-1] if runs else None
            history_term = (
                Term(latest.year, latest.term).label
                if latest and latest.year and latest.term
                else term_of(date.today()).label
            )
        self.history.set_terms(ordered, history_term)
        self.history.load()
        today = term_of(date.today())
        deadline = svc.first_comparison_deadline(self.db, today.year, today.term)
        self.deadline_label.setText("本學期　" + style.deadline_html(deadline.in_time, deadline.text))

    def edit_pass_marks(self) -> Any:
        """Open the 及格標準 dialog (the same as 設定 → 及格標準…)."""
        from desktop_app.ui.precheck.pass_marks_dialog import open_pass_marks_dialog

        def saved(changed: bool) -> None:
            if changed:
                self.changed(Topic.PASS_MARKS)

        return open_pass_marks_dialog(self.db, self, saved)

    def _plan_label(self, version_id: int | None) -> str:
        if version_id is None:
            return "—"
        v = self._plans.get(version_id)
        return f"{v.year}學年度 第{v.version}版" if v else f"#{version_id}（已刪除）"

    # ------------------------------------------------------------------ inputs
    def import_plan_file(self, path: str | Path) -> svc.PlanVersionInfo | None:
        """Import a plan file as a new version (or reuse the identical one) and select it."""
        label = self.term_combo.currentData()
        default_year = Term.parse(label).year if label else term_of(date.today()).year
        try:
            imported = svc.import_plan(self.db, path, default_year=default_year)
        except (ServiceError, ReadOnlyError) as exc:
            self.show_error(str(exc), "無法匯入課程計畫")
            return None
        self.refresh()
        self.plan_combo.setCurrentIndex(self.plan_combo.findData(imported.version.id))
        note = "已匯入為新版本" if imported.created else "與已匯入的版本相同，沿用"
        self.plan_box.set_path(path, f"{note}：{imported.version.year}學年度 第{imported.version.version}版")
        if imported.created:
            self.publish()
        return imported.version

    def _term_chosen(self) -> None:
        """A 學期 chosen for the roster: preselect the plan version of that 學年度."""
        label = self.term_combo.currentData()
        if not label:
            return
        version = svc.plan_version_for(self.db, Term.parse(label).year)
        if version is not None:
            self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(version.id)))

    def set_roster(self, path: str | Path) -> None:
        self.roster_box.set_path(path)

    def _options(self) -> CheckOptions:
        label = self.term_combo.currentData()
        term = Term.parse(label) if label else None
        return CheckOptions(
            kind=self.kind_combo.currentData(),
            division=self.division_combo.currentData(),
            year=term.year if term else None,
            term=term.term if term else None,
        )

    # ------------------------------------------------------------------ running
    def _busy(self, busy: bool, text: str = "") -> None:
        enable_with_reason(self.run_button, not busy, "檢核進行中")
        enable_with_reason(
            self.report_button, not busy and self._result is not None, "檢核進行中" if busy else "尚無檢核結果：請先檢核名冊"
        )
        enable_with_reason(
            self.annotate_button,
            not busy and self._roster_path is not None,
            "檢核進行中" if busy else "標註副本需要本次開啟後檢核的名冊：請先選擇名冊並檢核",
        )
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.progress.setFormat(f"{text} %p%")

    def _start(self, fn: Any, text: str, on_done: Any) -> None:
        self._busy(True, text)
        self._job = submit(self, text, fn)
        self._job.progress.connect(self._on_progress)
        self._job.finished.connect(on_done)
        self._job.failed.connect(self._on_failed)
        self._job.cancelled.connect(self._on_cancelled)

    def start_check(self) -> bool:
        """Check the chosen roster against the chosen plan version in a worker thread."""
        roster = self.roster_box.path
        plan_id = self.plan_combo.currentData()
        if plan_id is None:
            self.show_error("請先匯入課程計畫（拖曳課程計畫檔到上方，或按「匯入…」）。")
            return False
        if roster is None:
            self.show_error("請先選擇要檢核的名冊檔。")
            return False
        if self._job is not None:
            return False
        options = self._options()
        db = self.db

        def work(progress: Any) -> svc.RunOutcome:
            return svc.run_precheck(db, roster, plan_version_id=plan_id, options=options, progress=progress)

        self._pending_roster = roster
        self._start(work, "檢核中", self._on_checked)
        return True

    def is_idle(self) -> bool:
        """No check or export of this tab is queued or running."""
        return self._job is None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _finish(self) -> None:
        self._job = None
        self.cancel_button.setEnabled(True)
        self._busy(False)

    def _on_failed(self, message: str) -> None:
        job = self._job
        self._finish()
        if job is not None:
            show_failure(self, job, message)  # the error dialog for an unexpected error
        self.run_finished.emit(None)
        self.export_finished.emit("")

    def _on_cancelled(self) -> None:
        self._finish()
        self.status_label.setText("已取消，未記錄。")
        self.run_finished.emit(None)
        self.export_finished.emit("")

    def _on_checked(self, outcome: svc.RunOutcome) -> None:
        self._roster_path = self._pending_roster
        self._result = outcome.result
        self._finish()
        self.show_result(outcome.result, outcome.run)
        self.refresh()
        if outcome.run.year and outcome.run.term:
            label = Term(outcome.run.year, outcome.run.term).label
            self.history_term.setCurrentIndex(max(0, self.history_term.findData(label)))
        self.pages.setCurrentIndex(0)
        self.publish()
        self.run_finished.emit(outcome)

    # ------------------------------------------------------------------ showing a result
    def show_result(self, result: PrecheckResult, run: svc.PrecheckRunInfo | None) -> None:
        self._result = result
        self._result_run = run
        self.result_label.setText(
            style.result_summary_html(
                result,
                kind=KIND_LABELS.get(result.kind or "", "名冊別未定"),
                division=DIVISION_LABELS.get(result.division or "", "部別未定"),
                plan=self._plan_label(run.plan_version_id) if run else "—",
                when=f"{format_roc(run.run_at.date())} {run.run_at:%H:%M}" if run else "",
            )
        )
        self.result_label.setToolTip(f"檢核耗時 {duration_text(result.seconds)}")
        self.cards.show_counts(result.counts, rule_titles())
        self.patterns_box.show_patterns(result.patterns)
        self.offering.show_gaps(result.offering)
        self.findings.show_findings(result.findings, self._mask)
        version = self._plans.get(run.plan_version_id) if run and run.plan_version_id else None
        notes = result_notes(result, version)
        self.notes_label.setText("　".join(notes))
        self.notes_label.setVisible(bool(notes))
        enable_with_reason(self.report_button, True, "")
        enable_with_reason(
            self.annotate_button, self._roster_path is not None, "標註副本需要本次開啟後檢核的名冊：請先選擇名冊並檢核"
        )

    def _show_latest_run(self) -> None:
        runs = svc.list_runs(self.db)
        if runs:
            self._show_run(runs[-1].id)
        else:
            enable_with_reason(self.report_button, False, "尚無檢核結果：請先檢核名冊")
            enable_with_reason(self.annotate_button, False, "尚無檢核結果：請先選擇名冊並檢核")

    def _show_run(self, run_id: int) -> None:
        self._roster_path = None
        self.show_result(svc.result_from_run(self.db, run_id), svc.get_run(self.db, run_id))

    def _open_run(self, run_id: int) -> None:
        """A run chosen on the 執行紀錄 page: its result on the 檢核結果 page."""
        self._show_run(run_id)
        self.pages.setCurrentIndex(0)

    def show_record(self, record: object) -> None:
        if isinstance(record, int):
            self._show_run(record)

    # ------------------------------------------------------------------ exports
    def export_report(self, path: str | Path | None = None) -> bool:
        """Write the findings report of the shown result (asks for a file name when none given)."""
        try:
            result = require_result(self._result)
        except ServiceError as exc:
            self.show_error(str(exc))
            return False
        if path is None:
            suggested = Path(result.file).stem + "_預檢報表.xlsx"
            path = file_dialogs.save_file(self, "匯出檢核報表", file_dialogs.REPORTS, suggested, "Excel 活頁簿 (*.xlsx)")
            if not path:
                return False
        mask, roster = self._mask, self._roster_path
        plan = self._plan_label(self._result_run.plan_version_id) if self._result_run else None
        out = Path(path)

        def work(progress: Any) -> str:
            written = export_report(
                result, out, mask_pattern=mask, plan_label=plan, roster=roster, progress=progress
            )
            return str(written)

        self._start(work, "匯出報表", self._on_exported)
        return True

    def export_annotated(self, path: str | Path | None = None) -> bool:
        """Write an annotated copy of the roster of the current run (the roster is not modified)."""
        try:
            roster, result = require_annotatable(self._roster_path, self._result)
        except ServiceError as exc:
            self.show_error(str(exc))
            return False
        if path is None:
            suggested = roster.stem + "_標註_含個資.xlsx"
            path = file_dialogs.save_file(
                self, "匯出標註副本（含個人資料）", file_dialogs.REPORTS, suggested, "Excel 活頁簿 (*.xlsx)",
                folder=roster.parent,
            )
            if not path:
                return False
        out = Path(path)

        def work(progress: Any) -> str:
            return str(export_annotated_copy(roster, result, out, progress=progress))

        self._start(work, "匯出標註副本", self._on_annotated)
        return True

    def _on_exported(self, path: str) -> None:
        self._finish()
        self.status_label.setText(f"已寫入「{path}」。")
        self.export_finished.emit(path)

    def _on_annotated(self, path: str) -> None:
        self._finish()
        self.status_label.setText(f"已寫入「{path}」。{PERSONAL_DATA_NOTICE}")
        self.export_finished.emit(path)
