"""The widgets the 開課預檢 tab is built from: the file boxes, the summary cards, the 相同錯誤樣態 and
開課比對 boxes, and the findings table with its filters. Colours come from :mod:`.style`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.precheck import style
from desktop_app.ui.precheck.models import FindingLike, FindingsModel, keep_min_widths

SPREADSHEET_FILTER = "試算表或 CSV (*.xlsx *.xls *.ods *.csv);;所有檔案 (*)"
ALL = "（全部）"

# 姓名 班級 座號 代碼 嚴重度 筆數 說明 工作表 列 欄位 內容 應為 身分證號 課程代碼
FINDING_WIDTHS = (76, 48, 40, 48, 52, 44, 330, 90, 120, 90, 110, 100, 96, 190)


def fit_all_text(combo: QComboBox) -> None:
    """Room for 「（全部）」 in any font: Qt sizes a combo by the width of "x", and a CJK UI font
    (AR PL UMing on Linux) has a narrow "x" but full-width （全部）."""
    metrics = combo.fontMetrics()
    x_width = max(1, metrics.horizontalAdvance("x"))
    combo.setMinimumContentsLength(max(6, -(-metrics.horizontalAdvance(ALL) // x_width) + 1))


def fixed_rows(view: QTableView) -> None:
    """Uniform row heights: the view never measures 100,000 rows."""
    header = view.verticalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(22)
    header.setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)


def findings_view(model: FindingsModel) -> QTableView:
    """A sortable table of findings with the columns' usual widths (never narrower than their key)."""
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    fixed_rows(view)
    for col, width in enumerate(FINDING_WIDTHS):
        view.setColumnWidth(col, width)
    keep_min_widths(view)
    return view


class FileDropBox(QFrame):
    """A framed box: title, the chosen file, a 選擇… button; files can be dropped on it.

    Signals:
        file_chosen(str): a file was chosen or dropped.
    """

    file_chosen = Signal(str)

    def __init__(
        self, title: str, hint: str, parent: QWidget | None = None, kind: str = file_dialogs.ROSTERS
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("fileDropBox")
        self.setStyleSheet(style.DROP_BOX_STYLE)
        self._title = title
        self._path: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        text = QVBoxLayout()
        self.title_label = QLabel(f"<b>{title}</b>")
        self.path_label = QLabel(hint)
        self.path_label.setStyleSheet(style.MUTED_STYLE)
        # wrap instead of widening the window: a 1366×768 screen at 125 % is ~1090 px wide
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.title_label)
        text.addWidget(self.path_label)
        layout.addLayout(text, 1)
        self.extra = QHBoxLayout()  # room for the caller's widgets (e.g. the plan versions)
        layout.addLayout(self.extra)
        self.button = QPushButton("選擇…")
        self.button.clicked.connect(self.choose)
        layout.addWidget(self.button)

    @property
    def path(self) -> Path | None:
        return self._path

    def set_path(self, path: str | Path | None, note: str = "") -> None:
        self._path = Path(path) if path else None
        if self._path is None:
            return
        self.path_label.setText(f"{self._path.name}{('　' + note) if note else ''}")
        self.path_label.setToolTip(str(self._path))

    def set_note(self, text: str) -> None:
        self.path_label.setText(text)

    def choose(self) -> None:
        path = file_dialogs.open_file(self, f"選擇{self._title}", self._kind, SPREADSHEET_FILTER)
        if path:
            self.file_chosen.emit(str(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                event.acceptProposedAction()
                self.file_chosen.emit(url.toLocalFile())
                return


class SummaryCard(QFrame):
    """One code of the summary: code, Chinese title, count; click to filter the table.

    Signals:
        clicked(str): the code.
    """

    clicked = Signal(str)

    def __init__(
        self, code: str, title: str, count: int, severity: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.code = code
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._severity = severity
        colour = style.card_colours(severity)[0]
        self._tooltip = f"{code} {title}：{count:,} 筆"
        self.setObjectName("summaryCard")
        self.selected = False
        self.set_selected(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        head = QLabel(f"<span style='color:{colour}; font-weight:bold'>{code}</span>　<b>{count:,}</b>")
        name = QLabel(title)
        name.setStyleSheet(f"color: {style.CARD_TEXT}; font-size: 11px;")
        name.setMaximumWidth(118)
        name.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(name)
        self.setFixedWidth(128)
        self.setFixedHeight(54)

    def set_selected(self, selected: bool) -> None:
        """The card of the code the table is filtered on stands out (thick border, deeper colour)."""
        self.selected = selected
        self.setStyleSheet(style.card_style(self._severity, selected))
        self.setToolTip(self._tooltip + ("（目前只看這個代碼；選「（全部）」看全部）" if selected else "（點一下只看這個代碼）"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.code)
        super().mousePressEvent(event)


class SummaryStrip(QScrollArea):
    """The row of summary cards, one per code (fatal, warnings, rules, plan, offering), scrolling sideways.

    Signals:
        clicked(str): the code of the card clicked.
    """

    clicked = Signal(str)
    ORDER = "FWRPO"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFixedHeight(76)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.cards_layout = QHBoxLayout(holder)
        self.cards_layout.setContentsMargins(2, 2, 2, 2)
        self.setWidget(holder)

    def show_counts(self, counts: Mapping[str, int], titles: Mapping[str, tuple[str, str]]) -> None:
        """One card per code of ``counts``; ``titles`` gives each code's (severity, title)."""
        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            card = item.widget() if item is not None else None
            if card is not None:
                card.deleteLater()
        for code in sorted(counts, key=lambda c: (self.ORDER.find(c[0]), c)):
            severity, title = titles.get(code, ("error" if code[0] in "FR" else "warning", ""))
            card = SummaryCard(code, title, counts[code], severity)
            card.clicked.connect(self.clicked)
            self.cards_layout.addWidget(card)
        self.cards_layout.addStretch(1)

    def cards(self) -> list[SummaryCard]:
        """The cards shown, in order (not those of an earlier result still awaiting deletion)."""
        cards = []
        for i in range(self.cards_layout.count()):
            item = self.cards_layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, SummaryCard):
                cards.append(widget)
        return cards

    def highlight(self, code: str | None) -> None:
        """Mark the card of the code the table is filtered on (however the filter was chosen)."""
        for card in self.cards():
            card.set_selected(bool(code) and card.code == code)


class PatternsBox(QGroupBox):
    """The 相同錯誤樣態: one line per rule and course that many students share (fix at the source).

    Signals:
        chosen(object): the pattern double-clicked.
    """

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("相同錯誤樣態（請先從源頭修正：檢查成績系統設定或程式，整批更正）", parent)
        self.setStyleSheet(style.PATTERNS_STYLE)
        self.model: ListTableModel[Any] = ListTableModel(
            [
                Column("規則", lambda p: p.rule),
                Column("課程代碼", lambda p: p.course_code),
                Column("科目名稱", lambda p: p.subject),
                Column("受影響", lambda p: f"{p.affected}/{p.total}", sort_key=lambda p: p.affected),
                Column("建議", lambda p: p.advice, tooltip=lambda p: p.advice),
            ]
        )
        self.view = QTableView()
        self.view.setModel(self.model)
        fixed_rows(self.view)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self._double_clicked)
        QVBoxLayout(self).addWidget(self.view)
        self.setVisible(False)

    def show_patterns(self, patterns: Sequence[Any]) -> None:
        """The patterns of a result (up to four lines tall); the box hides when there are none."""
        self.model.set_rows(patterns)
        self.view.setFixedHeight(26 + 22 * min(max(len(patterns), 1), 4))
        self.setVisible(bool(patterns))

    def _double_clicked(self, index: QModelIndex) -> None:
        self.chosen.emit(self.model.row_object(index.row()))


class OfferingBox(QGroupBox):
    """開課比對 (O01): courses the plan offers this 學期 that no student in the roster takes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("開課比對（O01：本學期應開而名冊中沒有學生）", parent)
        self.model: ListTableModel[Any] = ListTableModel(
            [
                Column("課程代碼", lambda g: g.course_code),
                Column("科目名稱", lambda g: g.subject),
                Column("年級", lambda g: g.grade, align_right=True),
                Column(
                    "課程類別",
                    lambda g: g.category_name or g.category,
                    background=lambda g: style.BAD_ROW if g.category == "1" else None,  # 部定必修
                ),
                Column("學分", lambda g: g.credits),
            ]
        )
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        fixed_rows(self.view)
        for col, width in enumerate((190, 110, 40, 80, 60)):
            self.view.setColumnWidth(col, width)
        QVBoxLayout(self).addWidget(self.view)

    def show_gaps(self, offering: Sequence[Any]) -> None:
        self.model.set_rows(offering)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)


class FindingsPanel(QWidget):
    """The findings table with its filters (代碼, 嚴重度, 工作表, 班級, a student search), the
    依學生彙整 switch and the count line.

    Signals:
        code_changed(object): the code filter changed (the code, or None for all codes).
    """

    code_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = FindingsModel(self)
        self.model.set_grouped(True)
        filters = QHBoxLayout()
        self.code_filter = self._filter_combo(filters, "代碼", "code")
        self.code_filter.currentIndexChanged.connect(lambda _i: self.code_changed.emit(self.code_filter.currentData()))
        self.severity_filter = QComboBox()
        fit_all_text(self.severity_filter)  # as the other filters: 「（全部）」 was cut
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
        layout.addLayout(filters)
        self.view = findings_view(self.model)
        layout.addWidget(self.view, 1)
        self.count_label = QLabel()
        self.group_check = QCheckBox("依學生彙整")
        self.group_check.setToolTip("同一位學生、同一個代碼的多筆問題合為一列，「筆數」欄顯示共幾筆")
        self.group_check.setChecked(True)
        self.group_check.toggled.connect(self._group_toggled)
        # the fold switch sits on the count line (the filter row must fit a 1024-px screen)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.group_check)
        layout.addLayout(counts)

    def _filter_combo(self, layout: QHBoxLayout, label: str, attr: str) -> QComboBox:
        combo = QComboBox()
        fit_all_text(combo)
        combo.addItem(ALL, None)
        combo.currentIndexChanged.connect(lambda _i: self._apply_filter(attr, combo.currentData()))
        layout.addWidget(QLabel(label))
        layout.addWidget(combo)
        return combo

    def show_findings(self, findings: Sequence[FindingLike], mask: str) -> None:
        """A new result: every filter back to 「（全部）」, the choices of each filter from these findings."""
        self.model.clear_filters()
        self.model.set_findings(findings, mask)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for combo, attr in (
            (self.code_filter, "code"),
            (self.sheet_filter, "sheet"),
            (self.class_filter, "student_class"),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for value in self.model.distinct(attr):
                combo.addItem(value, value)
            combo.blockSignals(False)
        for widget in (self.severity_filter, self.search_edit):
            widget.blockSignals(True)
        self.severity_filter.setCurrentIndex(0)
        self.search_edit.clear()
        for widget in (self.severity_filter, self.search_edit):
            widget.blockSignals(False)
        self.update_count()
        self.code_changed.emit(None)

    def choose_code(self, code: str) -> None:
        """Show only the findings of ``code`` (a card clicked)."""
        self.code_filter.setCurrentIndex(max(0, self.code_filter.findData(code)))
        self.code_changed.emit(self.code_filter.currentData())

    def show_pattern(self, rule: str, course_code: str) -> None:
        """Show the findings of one 相同錯誤樣態: its rule, searched by its course code."""
        self.code_filter.setCurrentIndex(max(0, self.code_filter.findData(rule)))
        self.search_edit.setText(course_code)

    def _apply_filter(self, attr: str, value: str | None) -> None:
        self.model.set_filter(attr, value)
        self.update_count()

    def _search_changed(self, text: str) -> None:
        self.model.set_search(text)
        self.update_count()

    def _group_toggled(self, grouped: bool) -> None:
        self.model.set_grouped(grouped)
        self.update_count()

    def update_count(self) -> None:
        model = self.model
        total = len(model.findings())
        if model.grouped:
            shown = len(model.visible_findings())
            lines = model.rowCount()
            head = f"顯示 {shown:,} / {total:,} 筆" if shown != total else f"共 {total:,} 筆"
            self.count_label.setText(f"{head}（依學生彙整為 {lines:,} 列）")
            return
        shown = model.rowCount()
        self.count_label.setText(f"顯示 {shown:,} / {total:,} 筆" if shown != total else f"共 {total:,} 筆")
