"""The agenda list of the 作業期程: filters by 項目 / owner / status; overdue red, due within 7 days amber."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.calendar import DeadlineItem, owners_of, split_owners
from desktop_app.domain.roc_date import format_roc
from desktop_app.ui.calendar.common import KIND_TITLES, STATE_BACKGROUND, item_label, item_sort_key
from desktop_app.ui.common.list_model import OBJECT_ROLE, SORT_ROLE, Column, ListTableModel

ALL = "（全部）"
STATUS_FILTERS = (
    ALL,
    "未完成",
    "逾期",
    "7 天內到期",
    "未開始",
    "進行中",
    "完成",
    "不適用",
    "國教署公告",
    "資料自動判定",
)


def _background(item: DeadlineItem) -> str | None:
    return STATE_BACKGROUND.get(item.state)


def _tooltip(item: DeadlineItem) -> str | None:
    lines = [f"{item.title}：{item.content}" if item.content else item.title]
    if item.doc_no:
        lines.append(f"文號：{item.doc_no}")
    if item.rosters:
        lines.append(f"名冊/資料：{item.rosters}")
    lines += list(item.warnings)
    if item.note:
        lines.append(f"備註：{item.note}")
    return "\n".join(lines)


def matches_status(item: DeadlineItem, choice: str) -> bool:
    if choice == ALL:
        return True
    if choice == "未完成":
        return item.state not in ("done", "n/a")
    if choice == "逾期":
        return item.state == "overdue"
    if choice == "7 天內到期":
        return item.state == "due-soon"
    if choice == "國教署公告":
        return item.is_official
    if choice == "資料自動判定":
        return item.is_data
    return item.status_label == choice


_COLUMNS: list[Column[DeadlineItem]] = [
    Column(
        "截止",
        lambda i: format_roc(i.due_date) or "待公告",
        sort_key=lambda i: i.due_date.isoformat() if i.due_date else "9999",
        background=_background,
    ),
    Column(
        "開始",
        lambda i: format_roc(i.start_date),
        sort_key=lambda i: i.start_date.isoformat() if i.start_date else "",
    ),
    Column("學期", lambda i: f"{i.year}-{i.term}" if i.term else ""),
    Column("項目", lambda i: i.item),
    Column("工作", item_label, tooltip=_tooltip),
    Column("主責", lambda i: i.owners),
    Column("狀態", lambda i: i.status_label),
    Column("期限", lambda i: i.state_title, background=_background),
    Column("完成日", lambda i: format_roc(i.done_on)),
    Column("類別", lambda i: KIND_TITLES.get(i.kind, i.kind)),
    Column("文號", lambda i: i.doc_no),
    Column("備註", lambda i: "；".join(x for x in (*i.warnings, i.note) if x).replace("\n", " ")),
]
# the whole row is tinted: overdue red, due within 7 days amber, done green
COLUMNS = [replace(c, background=_background) for c in _COLUMNS]


class AgendaView(QWidget):
    """Signals: ``item_activated(object)`` on double-click."""

    item_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[DeadlineItem] = []
        self.item_filter = QComboBox()
        self.owner_filter = QComboBox()
        self.status_filter = QComboBox()
        self.status_filter.addItems(STATUS_FILTERS)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for text, combo in (
            ("項目", self.item_filter),
            ("主責", self.owner_filter),
            ("狀態", self.status_filter),
        ):
            bar.addWidget(QLabel(text))
            bar.addWidget(combo)
        bar.addStretch(1)
        legend = QLabel(
            '<span style="background:#ffd7d7">&nbsp;逾期&nbsp;</span> '
            '<span style="background:#ffe7b3">&nbsp;7 天內到期&nbsp;</span> '
            '<span style="background:#e2f0d9">&nbsp;完成&nbsp;</span>'
        )
        bar.addWidget(legend)
        bar.addWidget(self.count_label)

        self.model: ListTableModel[DeadlineItem] = ListTableModel(COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        for combo in (self.item_filter, self.owner_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._apply)
        self.table.doubleClicked.connect(self._activated)
        self._sort_order = Qt.SortOrder.AscendingOrder
        _ = SORT_ROLE

    def set_items(self, items: Sequence[DeadlineItem]) -> None:
        self._items = list(items)
        self._refill(self.item_filter, sorted({i.item for i in items if i.item}, key=item_sort_key))
        self._refill(self.owner_filter, owners_of(items))
        self._apply()

    def _refill(self, combo: QComboBox, values: list[str]) -> None:
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL)
        combo.addItems(values)
        idx = combo.findText(current)
        combo.setCurrentIndex(idx if idx >= 0 else 0)
        combo.blockSignals(False)

    def set_filters(self, item: str = ALL, owner: str = ALL, status: str = ALL) -> None:
        for combo, value in (
            (self.item_filter, item),
            (self.owner_filter, owner),
            (self.status_filter, status),
        ):
            idx = combo.findText(value)
            combo.setCurrentIndex(max(idx, 0))
        self._apply()

    def visible_items(self) -> list[DeadlineItem]:
        return self.model.rows()

    def _apply(self) -> None:
        item, owner, status = (
            self.item_filter.currentText(),
            self.owner_filter.currentText(),
            self.status_filter.currentText(),
        )
        rows = [
            i
            for i in self._items
            if (item in (ALL, "") or i.item == item)
            and (owner in (ALL, "") or owner in split_owners(i.owners))
            and matches_status(i, status or ALL)
        ]
        self.model.set_rows(rows)
        self.count_label.setText(f"顯示 {len(rows)} / {len(self._items)} 項")
        self.table.resizeColumnsToContents()
        if self.table.columnWidth(4) > 320:
            self.table.setColumnWidth(4, 320)

    def _sort(self, column: int) -> None:
        self.model.sort(column, self._sort_order)
        self._sort_order = (
            Qt.SortOrder.DescendingOrder
            if self._sort_order == Qt.SortOrder.AscendingOrder
            else Qt.SortOrder.AscendingOrder
        )

    def current_item(self) -> DeadlineItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def select_key(self, key: str) -> bool:
        for row, item in enumerate(self.model.rows()):
            if item.key == key:
                self.table.selectRow(row)
                return True
        return False

    def _activated(self, index: QModelIndex) -> None:
        self.item_activated.emit(index.data(OBJECT_ROLE))
