"""The 執行紀錄 page of the 開課預檢 tab: the runs of a 學期, the 1st-comparison deadline, and what a
run fixed, added or left compared with the previous run of the same roster kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import duration_text
from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.services.precheck import runs as svc
from desktop_app.storage.db import Database
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.precheck import style
from desktop_app.ui.precheck.models import FindingsModel
from desktop_app.ui.precheck.widgets import findings_view, fixed_rows

SOURCE_NAMES = {"tab": "視窗", "cli": "命令列", "demo": "示範"}
PICK_A_RUN = "選一次執行紀錄，看與上一次同名冊別的比較。"


def plain_finding(f: svc.StoredFinding) -> svc.StoredFinding:
    """P01/O01 history entries keep extra facts in the student fields; show only what they mean."""
    if f.code not in ("P01", "O01"):
        return f
    return svc.StoredFinding(f.code, f.severity, f.message, course_code=f.course_code)


def diff_text(run: svc.PrecheckRunInfo, diff: svc.RunDiff) -> str:
    """What a run changed against the previous run of its roster kind (HTML)."""
    if run.status != "ok":
        return f"#{run.id} 檔案無法檢核：{run.message}"
    if diff.previous is None:
        return f"#{run.id} 是本學期第一次{run.kind_label}名冊的檢核（{len(diff.new):,} 項待修正），沒有可比較的上一次。"
    same = "同一檔案" if diff.previous.sha256 == run.sha256 else "名冊已更新"
    return (
        f"#{run.id} 與上一次 #{diff.previous.id}（{format_roc(diff.previous.run_at.date())}，{same}）相比："
        + style.diff_counts_html(len(diff.fixed), len(diff.new), len(diff.remaining))
    )


class RunHistoryPage(QWidget):
    """Runs of the chosen 學期 (newest first) and, for the selected run, the findings it fixed,
    added or left.

    Signals:
        open_run(int): show this run's result on the 檢核結果 page.
    """

    open_run = Signal(int)

    def __init__(
        self, db: Database, plan_label: Callable[[int | None], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.id_mask = DEFAULT_MASK_PATTERN
        self._diff: svc.RunDiff | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("學期"))
        self.term = QComboBox()
        self.term.currentIndexChanged.connect(lambda _i: self.load())
        row.addWidget(self.term)
        self.deadline = QLabel()
        row.addWidget(self.deadline, 1)
        layout.addLayout(row)
        self.runs_model = self._runs_model(plan_label)
        self.runs_view = QTableView()
        self.runs_view.setModel(self.runs_model)
        fixed_rows(self.runs_view)
        self.runs_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs_view.horizontalHeader().setStretchLastSection(True)
        self.runs_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._run_selected(cur.row()))
        layout.addWidget(self.runs_view, 2)
        layout.addLayout(self._diff_row())
        self.diff_model = FindingsModel(self)
        self.diff_view = findings_view(self.diff_model)
        layout.addWidget(self.diff_view, 3)

    @staticmethod
    def _runs_model(plan_label: Callable[[int | None], str]) -> ListTableModel[svc.PrecheckRunInfo]:
        return ListTableModel(
            [
                Column("#", lambda r: r.id, align_right=True),
                Column("時間", lambda r: f"{format_roc(r.run_at.date())} {r.run_at:%H:%M}", sort_key=lambda r: r.run_at),
                Column("名冊別", lambda r: r.kind_label),
                Column("檔案", lambda r: r.file_name),
                Column("錯誤", lambda r: r.error_count, align_right=True),
                Column("警告", lambda r: r.warning_count, align_right=True),
                Column("耗時", lambda r: duration_text(r.seconds), sort_key=lambda r: r.seconds, align_right=True),
                Column("課程計畫", lambda r: plan_label(r.plan_version_id)),
                Column("執行者", lambda r: r.os_user),
                Column("來源", lambda r: SOURCE_NAMES.get(r.source, r.source)),
                Column(
                    "狀態",
                    lambda r: style.run_status_text(r.status == "ok", r.message),
                    background=lambda r: None if r.status == "ok" else style.BAD_ROW,
                ),
            ]
        )

    def _diff_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.diff_label = QLabel(PICK_A_RUN)
        self.diff_label.setWordWrap(True)
        row.addWidget(self.diff_label, 1)
        self.diff_combo = QComboBox()
        for text, value in (("仍待修正", "remaining"), ("新增", "new"), ("已修正", "fixed")):
            self.diff_combo.addItem(text, value)
        self.diff_combo.currentIndexChanged.connect(lambda _i: self._show_diff_part())
        row.addWidget(self.diff_combo)
        self.open_run_button = QPushButton("在檢核結果中開啟")
        self.open_run_button.clicked.connect(self._open_selected_run)
        row.addWidget(self.open_run_button)
        return row

    def set_terms(self, terms: Sequence[Term], chosen: str | None) -> None:
        """Offer ``terms`` (newest first) and show ``chosen`` (a Term label), without reloading twice."""
        self.term.blockSignals(True)
        self.term.clear()
        for t in terms:
            self.term.addItem(t.title, t.label)
        self.term.setCurrentIndex(max(0, self.term.findData(chosen)))
        self.term.blockSignals(False)

    def choose_term(self, label: str) -> None:
        self.term.setCurrentIndex(max(0, self.term.findData(label)))

    def load(self) -> None:
        """The runs of the chosen 學期 (newest first, the newest selected) and its deadline."""
        label = self.term.currentData()
        if label is None:
            return
        term = Term.parse(label)
        runs = list(reversed(svc.list_runs(self.db, term.year, term.term)))  # newest first
        self.runs_model.set_rows(runs)
        self.runs_view.resizeColumnsToContents()
        deadline = svc.first_comparison_deadline(self.db, term.year, term.term)
        self.deadline.setText(style.deadline_html(deadline.in_time, deadline.text))
        self.diff_model.set_findings([], self.id_mask)
        self.diff_label.setText(PICK_A_RUN if runs else "本學期尚無執行紀錄。")
        if runs:
            self.runs_view.selectRow(0)

    def _run_selected(self, row: int) -> None:
        if row < 0 or row >= self.runs_model.rowCount():
            return
        run = self.runs_model.row_object(row)
        self._diff = svc.diff_run(self.db, run.id)
        self.diff_label.setText(diff_text(run, self._diff))
        self._show_diff_part()

    def _show_diff_part(self) -> None:
        if self._diff is None:
            return
        part = self.diff_combo.currentData()
        self.diff_model.set_findings([plain_finding(f) for f in getattr(self._diff, part)], self.id_mask)
        self.diff_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _open_selected_run(self) -> None:
        index = self.runs_view.currentIndex()
        if index.isValid():
            self.open_run.emit(self.runs_model.row_object(index.row()).id)
