"""The 開課預檢 tab: choose/drop the plan and the roster, run the check off the GUI thread, read the
findings (cards, patterns first, table with filters, offering gaps), export, and follow the run
history of a 學期 with what was fixed since the previous run and the 1st-comparison deadline."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
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
from desktop_app.services import precheck as svc
from desktop_app.services.pass_marks import stored_pass_marks
from desktop_app.services.precheck_export import (
    export_annotated_copy,
    export_report,
    require_annotatable,
    require_result,
)
from desktop_app.services.profile import list_term_dates, mask_pattern
from desktop_app.storage.db import Database, ReadOnlyError
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.read_only import enable_with_reason
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.events import Topic
from desktop_app.ui.jobs import Job, show_failure, submit
from desktop_app.ui.precheck.models import FindingsModel, keep_min_widths
from desktop_app.ui.precheck.widgets import FileDropBox, SummaryCard

ALL = "（全部）"


def _fit_all_text(combo: QComboBox) -> None:
    """Room for 「（全部）」 in any font: Qt sizes a combo by the width of "x", and a CJK UI font
    (AR PL UMing on Linux) has a narrow "x" but full-width （全部）."""
    metrics = combo.fontMetrics()
    x_width = max(1, metrics.horizontalAdvance("x"))
    combo.setMinimumContentsLength(max(6, -(-metrics.horizontalAdvance(ALL) // x_width) + 1))


# 姓名 班級 座號 代碼 嚴重度 筆數 說明 工作表 列 欄位 內容 應為 身分證號 課程代碼
FINDING_WIDTHS = (76, 48, 40, 48, 52, 44, 330, 90, 120, 90, 110, 100, 96, 190)


def _plain(f: svc.StoredFinding) -> svc.StoredFinding:
    """P01/O01 history entries keep extra facts in the student fields; show only what they mean."""
    if f.code not in ("P01", "O01"):
        return f
    return svc.StoredFinding(f.code, f.severity, f.message, course_code=f.course_code)


def _fixed_rows(view: QTableView) -> None:
    """Uniform row heights: the view never measures 100,000 rows."""
    header = view.verticalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(22)
    header.setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)


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
        self._diff: svc.RunDiff | None = None

        root = QVBoxLayout(self)
        root.addLayout(self._build_inputs())
        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        root.addWidget(self.deadline_label)
        self.pass_marks_label = QLabel()  # the 及格標準 the next run uses
        self.pass_marks_label.setStyleSheet("color: #555;")
        root.addWidget(self.pass_marks_label)
        self.pages = QTabWidget()
        self.pages.addTab(self._build_result_page(), "檢核結果")
        self.pages.addTab(self._build_history_page(), "執行紀錄")
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
        self.status_label.setStyleSheet("color: #1e7b34;")
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
        self.notes_label.setStyleSheet("color: #555;")
        self.notes_label.setVisible(False)
        layout.addWidget(self.notes_label)

        self.cards_area = QScrollArea()
        self.cards_area.setWidgetResizable(True)
        self.cards_area.setFixedHeight(76)
        self.cards_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.cards_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._cards_holder = QWidget()
        self.cards_layout = QHBoxLayout(self._cards_holder)
        self.cards_layout.setContentsMargins(2, 2, 2, 2)
        self.cards_area.setWidget(self._cards_holder)
        layout.addWidget(self.cards_area)

        self.patterns_box = QGroupBox("相同錯誤樣態（請先從源頭修正：檢查成績系統設定或程式，整批更正）")
        self.patterns_box.setStyleSheet("QGroupBox { font-weight: bold; color: #8e2a1c; }")
        pl = QVBoxLayout(self.patterns_box)
        self.patterns_model: ListTableModel[Any] = ListTableModel(
            [
                Column("規則", lambda p: p.rule),
                Column("課程代碼", lambda p: p.course_code),
                Column("科目名稱", lambda p: p.subject),
                Column("受影響", lambda p: f"{p.affected}/{p.total}", sort_key=lambda p: p.affected),
                Column("建議", lambda p: p.advice, tooltip=lambda p: p.advice),
            ]
        )
        self.patterns_view = QTableView()
        self.patterns_view.setModel(self.patterns_model)
        _fixed_rows(self.patterns_view)
        self.patterns_view.horizontalHeader().setStretchLastSection(True)
        self.patterns_view.doubleClicked.connect(self._pattern_clicked)
        pl.addWidget(self.patterns_view)
        self.patterns_box.setVisible(False)
        layout.addWidget(self.patterns_box)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.code_filter = self._filter_combo(filters, "代碼", "code")
        self.code_filter.currentIndexChanged.connect(lambda _i: self._highlight_cards())
        self.severity_filter = QComboBox()
        _fit_all_text(self.severity_filter)  # as the other filters: 「（全部）」 was cut
        filters.addWidget(QLabel("嚴重度"))
        for text, value in ((ALL, None), ("錯誤", "error"), ("警告", "warning")):
            self.severity_filter.addItem(text, value)
        self.severity_filter.currentIndexChanged.connect(
            lambda _i: self._apply_filter("severity", self.severity_filter.currentData())
        )
        filters.addWidget(self.severity_filter)
        self.sheet_filter = self._filter_combo(filters, "工作表", "sheet")
        self.class_filter = self._filter_combo(filters, "班級", "student_class")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜尋學生：姓名、身分證號、班級座號、課程代碼")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        filters.addWidget(self.search_edit, 1)
        self.group_check = QCheckBox("依學生彙整")
        self.group_check.setToolTip("同一位學生、同一個代碼的多筆問題合為一列，「筆數」欄顯示共幾筆")
        self.group_check.setChecked(True)
        ll.addLayout(filters)
        self.findings_model = FindingsModel(self)
        self.findings_model.set_grouped(True)
        self.group_check.toggled.connect(self._group_toggled)
        self.findings_view = QTableView()
        self.findings_view.setModel(self.findings_model)
        self.findings_view.setSortingEnabled(True)
        _fixed_rows(self.findings_view)
        for col, width in enumerate(FINDING_WIDTHS):
            self.findings_view.setColumnWidth(col, width)
        keep_min_widths(self.findings_view)
        ll.addWidget(self.findings_view, 1)
        self.count_label = QLabel()
        # the fold switch sits on the count line (the filter row must fit a 1024-px screen)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.group_check)
        ll.addLayout(counts)
        split.addWidget(left)

        right = QGroupBox("開課比對（O01：本學期應開而名冊中沒有學生）")
        rl = QVBoxLayout(right)
        self.offering_model: ListTableModel[Any] = ListTableModel(
            [
                Column("課程代碼", lambda g: g.course_code),
                Column("科目名稱", lambda g: g.subject),
                Column("年級", lambda g: g.grade, align_right=True),
                Column(
                    "課程類別",
                    lambda g: g.category_name or g.category,
                    background=lambda g: "#fde2e1" if g.category == "1" else None,
                ),
                Column("學分", lambda g: g.credits),
            ]
        )
        self.offering_view = QTableView()
        self.offering_view.setModel(self.offering_model)
        self.offering_view.setSortingEnabled(True)
        _fixed_rows(self.offering_view)
        for col, width in enumerate((190, 110, 40, 80, 60)):
            self.offering_view.setColumnWidth(col, width)
        rl.addWidget(self.offering_view)
        split.addWidget(right)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 300])
        layout.addWidget(split, 1)
        return page

    def _filter_combo(self, layout: QHBoxLayout, label: str, attr: str) -> QComboBox:
        combo = QComboBox()
        _fit_all_text(combo)
        combo.addItem(ALL, None)
        combo.currentIndexChanged.connect(lambda _i: self._apply_filter(attr, combo.currentData()))
        layout.addWidget(QLabel(label))
        layout.addWidget(combo)
        return combo

    def _build_history_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel("學期"))
        self.history_term = QComboBox()
        self.history_term.currentIndexChanged.connect(lambda _i: self._load_history())
        row.addWidget(self.history_term)
        self.history_deadline = QLabel()
        row.addWidget(self.history_deadline, 1)
        layout.addLayout(row)

        self.runs_model: ListTableModel[svc.PrecheckRunInfo] = ListTableModel(
            [
                Column("#", lambda r: r.id, align_right=True),
                Column(
                    "時間",
                    lambda r: f"{format_roc(r.run_at.date())} {r.run_at:%H:%M}",
                    sort_key=lambda r: r.run_at,
                ),
                Column("名冊別", lambda r: r.kind_label),
                Column("檔案", lambda r: r.file_name),
                Column("錯誤", lambda r: r.error_count, align_right=True),
                Column("警告", lambda r: r.warning_count, align_right=True),
                Column("耗時", lambda r: duration_text(r.seconds), sort_key=lambda r: r.seconds, align_right=True),
                Column("課程計畫", lambda r: self._plan_label(r.plan_version_id)),
                Column("執行者", lambda r: r.os_user),
                Column(
                    "來源", lambda r: {"tab": "視窗", "cli": "命令列", "demo": "示範"}.get(r.source, r.source)
                ),
                Column(
                    "狀態",
                    lambda r: "完成" if r.status == "ok" else f"無法檢核：{r.message}",
                    background=lambda r: None if r.status == "ok" else "#fde2e1",
                ),
            ]
        )
        self.runs_view = QTableView()
        self.runs_view.setModel(self.runs_model)
        _fixed_rows(self.runs_view)
        self.runs_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs_view.horizontalHeader().setStretchLastSection(True)
        self.runs_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._run_selected(cur.row())
        )
        layout.addWidget(self.runs_view, 2)

        diff_row = QHBoxLayout()
        self.diff_label = QLabel("選一次執行紀錄，看與上一次同名冊別的比較。")
        self.diff_label.setWordWrap(True)
        diff_row.addWidget(self.diff_label, 1)
        self.diff_combo = QComboBox()
        for text, value in (("仍待修正", "remaining"), ("新增", "new"), ("已修正", "fixed")):
            self.diff_combo.addItem(text, value)
        self.diff_combo.currentIndexChanged.connect(lambda _i: self._show_diff_part())
        diff_row.addWidget(self.diff_combo)
        self.open_run_button = QPushButton("在檢核結果中開啟")
        self.open_run_button.clicked.connect(self._open_selected_run)
        diff_row.addWidget(self.open_run_button)
        layout.addLayout(diff_row)
        self.diff_model = FindingsModel(self)
        self.diff_view = QTableView()
        self.diff_view.setModel(self.diff_model)
        self.diff_view.setSortingEnabled(True)
        _fixed_rows(self.diff_view)
        for col, width in enumerate(FINDING_WIDTHS):
            self.diff_view.setColumnWidth(col, width)
        keep_min_widths(self.diff_view)
        layout.addWidget(self.diff_view, 3)
        return page

    # ------------------------------------------------------------------ refresh
    def refresh(self) -> None:
        self._mask = mask_pattern(self.db)
        self.findings_model.set_mask(self._mask)  # the shown result follows a changed mask setting
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
        self.history_term.blockSignals(True)
        self.history_term.clear()
        for t in ordered:
            self.history_term.addItem(t.title, t.label)
        if history_term is None:
            runs = svc.list_runs(self.db)
            latest = runs[-1] if runs else None
            history_term = (
                Term(latest.year, latest.term).label
                if latest and latest.year and latest.term
                else term_of(date.today()).label
            )
        self.history_term.setCurrentIndex(max(0, self.history_term.findData(history_term)))
        self.history_term.blockSignals(False)
        self._load_history()

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

    def _deadline_html(self, term: Term) -> str:
        deadline = svc.first_comparison_deadline(self.db, term.year, term.term)
        colours: dict[bool | None, str] = {True: "#1e7b34", False: "#c0392b"}  # None: cannot tell yet
        colour = colours.get(deadline.in_time, "#7a5b00")
        return f"<span style='color:{colour}'>{deadline.text}</span>"

    def _load_history(self) -> None:
        label = self.history_term.currentData()
        if label is None:
            return
        term = Term.parse(label)
        runs = list(reversed(svc.list_runs(self.db, term.year, term.term)))  # newest first
        self.runs_model.set_rows(runs)
        self.runs_view.resizeColumnsToContents()
        self.history_deadline.setText(self._deadline_html(term))
        self.deadline_label.setText("本學期　" + self._deadline_html(term_of(date.today())))
        self.diff_model.set_findings([], self._mask)
        self.diff_label.setText(
            "選一次執行紀錄，看與上一次同名冊別的比較。" if runs else "本學期尚無執行紀錄。"
        )
        if runs:
            self.runs_view.selectRow(0)

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
        titles = rule_titles()
        term = f"{result.year}學年度第{result.term}學期" if result.year and result.term else "學期未定"
        rows = "、".join(f"{s} {n:,} 列" for s, n in result.rows.items()) or "無資料列"
        plan = self._plan_label(run.plan_version_id) if run else "—"
        when = f"{format_roc(run.run_at.date())} {run.run_at:%H:%M}" if run else ""
        state = "<b style='color:#c0392b'>檔案無法檢核</b>　" if result.fatal else ""
        self.result_label.setText(
            f"{state}<b>{Path(result.file).name}</b>（{term}，{KIND_LABELS.get(result.kind or '', '名冊別未定')}，"
            f"{DIVISION_LABELS.get(result.division or '', '部別未定')}）　{rows}<br>"
            f"錯誤 <b>{result.error_count:,}</b>、警告 <b>{result.warning_count:,}</b>，"
            f"使用課程計畫：{plan}　{when}"
            + (
                f"<br>及格標準：{describe(result.pass_marks)}"
                if result.kind != "pre" and result.pass_marks
                else ""
            )
        )
        self.result_label.setToolTip(f"檢核耗時 {duration_text(result.seconds)}")

        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            card = item.widget() if item is not None else None
            if card is not None:
                card.deleteLater()
        order = "FWRPO"
        for code in sorted(result.counts, key=lambda c: (order.find(c[0]), c)):
            severity, title = titles.get(code, ("error" if code[0] in "FR" else "warning", ""))
            card = SummaryCard(code, title, result.counts[code], severity)
            card.clicked.connect(self._card_clicked)
            self.cards_layout.addWidget(card)
        self.cards_layout.addStretch(1)
        self._highlight_cards()

        self.patterns_model.set_rows(result.patterns)
        self.patterns_view.setFixedHeight(26 + 22 * min(max(len(result.patterns), 1), 4))
        self.patterns_box.setVisible(bool(result.patterns))
        self.offering_model.set_rows(result.offering)
        self.findings_model.set_findings(result.findings, self._mask)
        self.findings_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.offering_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        notes = list(getattr(result, "notes", []) or [])
        version = self._plans.get(run.plan_version_id) if run and run.plan_version_id else None
        if version is not None and result.year is not None and version.year != result.year:
            notes.insert(
                0,
                f"注意：名冊為 {result.year} 學年度，使用的課程計畫是 {version.year} 學年度"
                f"（第{version.version}版）；請確認是否選錯課程計畫版本。",
            )
        pua = list(getattr(result, "pua", []) or [])
        if pua:
            notes.append(f"名冊中有 {len(pua)} 個儲存格含造字（私人造字區字元），列印前請以難字對照表更正。")
        self.notes_label.setText("　".join(notes))
        self.notes_label.setVisible(bool(notes))
        for combo, attr in (
            (self.code_filter, "code"),
            (self.sheet_filter, "sheet"),
            (self.class_filter, "student_class"),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for value in self.findings_model.distinct(attr):
                combo.addItem(value, value)
            combo.blockSignals(False)
        self.severity_filter.blockSignals(True)
        self.severity_filter.setCurrentIndex(0)
        self.severity_filter.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._update_count()
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

    def _apply_filter(self, attr: str, value: str | None) -> None:
        self.findings_model.set_filter(attr, value)
        self._update_count()

    def _search_changed(self, text: str) -> None:
        self.findings_model.set_search(text)
        self._update_count()

    def _group_toggled(self, grouped: bool) -> None:
        self.findings_model.set_grouped(grouped)
        self._update_count()

    def _update_count(self) -> None:
        model = self.findings_model
        total = len(model.findings())
        if model.grouped:
            shown = len(model.visible_findings())
            lines = model.rowCount()
            head = f"顯示 {shown:,} / {total:,} 筆" if shown != total else f"共 {total:,} 筆"
            self.count_label.setText(f"{head}（依學生彙整為 {lines:,} 列）")
            return
        shown = model.rowCount()
        self.count_label.setText(f"顯示 {shown:,} / {total:,} 筆" if shown != total else f"共 {total:,} 筆")

    def _card_clicked(self, code: str) -> None:
        index = self.code_filter.findData(code)
        self.code_filter.setCurrentIndex(max(0, index))
        self._highlight_cards()

    def _highlight_cards(self) -> None:
        """Mark the card of the code the table is filtered on (however the filter was chosen)."""
        code = self.code_filter.currentData()
        for card in self._cards_holder.findChildren(SummaryCard):
            card.set_selected(bool(code) and card.code == code)

    def _pattern_clicked(self, index: Any) -> None:
        pattern = self.patterns_model.row_object(index.row())
        self.code_filter.setCurrentIndex(max(0, self.code_filter.findData(pattern.rule)))
        self.search_edit.setText(pattern.course_code)

    # ------------------------------------------------------------------ history
    def _run_selected(self, row: int) -> None:
        if row < 0 or row >= self.runs_model.rowCount():
            return
        run = self.runs_model.row_object(row)
        self._diff = svc.diff_run(self.db, run.id)
        d = self._diff
        if run.status != "ok":
            self.diff_label.setText(f"#{run.id} 檔案無法檢核：{run.message}")
        elif d.previous is None:
            self.diff_label.setText(
                f"#{run.id} 是本學期第一次{run.kind_label}名冊的檢核（{len(d.new):,} 項待修正），沒有可比較的上一次。"
            )
        else:
            same = "同一檔案" if d.previous.sha256 == run.sha256 else "名冊已更新"
            self.diff_label.setText(
                f"#{run.id} 與上一次 #{d.previous.id}（{format_roc(d.previous.run_at.date())}，{same}）相比："
                f"<span style='color:#1e7b34'>已修正 <b>{len(d.fixed):,}</b></span>、"
                f"<span style='color:#c0392b'>新增 <b>{len(d.new):,}</b></span>、"
                f"仍待修正 <b>{len(d.remaining):,}</b>"
            )
        self._show_diff_part()

    def _show_diff_part(self) -> None:
        if self._diff is None:
            return
        part = self.diff_combo.currentData()
        self.diff_model.set_findings([_plain(f) for f in getattr(self._diff, part)], self._mask)
        self.diff_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _open_selected_run(self) -> None:
        index = self.runs_view.currentIndex()
        if index.isValid():
            self._show_run(self.runs_model.row_object(index.row()).id)
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
