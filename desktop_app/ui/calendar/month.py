"""The month view of the 作業期程: ROC month title, the titles of each day's items in its cell, the day's items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QLocale, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.calendar import DeadlineItem
from desktop_app.domain.roc_date import ROC_OFFSET, format_roc, format_roc_long
from desktop_app.ui.calendar.common import OFFICIAL_COLOUR, STATE_BACKGROUND, STATE_COLOUR, item_label
from desktop_app.ui.common.list_model import OBJECT_ROLE, Column, ListTableModel

MAX_DOTS = 5
DOT_ROOM = 11  # a coloured dot (the item's state) before each title


def roc_month_title(year: int, month: int) -> str:
    """``113年9月`` for September 2024."""
    return f"{year - ROC_OFFSET}年{month}月"


class DotCalendar(QCalendarWidget):
    """A month grid that shows the titles of each day's items (elided to the cell, each after a dot
    in its state's colour), and on a crowded day the rest as dots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._by_day: dict[date, list[DeadlineItem]] = {}
        self.setNavigationBarVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setGridVisible(True)
        self.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan))
        self.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)

    def set_items(self, by_day: dict[date, list[DeadlineItem]]) -> None:
        self._by_day = by_day
        self.updateCells()

    def items_on(self, day: date) -> list[DeadlineItem]:
        return self._by_day.get(day, [])

    def cell_lines(self, day: date, rect: QRect, metrics: QFontMetrics) -> tuple[list[str], int]:
        """What a day's cell shows under its number: the items' titles (elided to the cell), and
        how many items are left to show as dots on the last line when they do not all fit."""
        items = self._by_day.get(day, [])
        if not items:
            return [], 0
        line_height = metrics.height()
        room = max(0, (rect.height() - line_height - 4) // line_height)  # lines under the number
        width = max(0, rect.width() - 6 - DOT_ROOM)
        if len(items) <= room:
            return [metrics.elidedText(item_label(i), Qt.TextElideMode.ElideRight, width) for i in items], 0
        titles = max(0, room - 1)  # a crowded day: some titles, then a line of dots for the rest
        shown = [metrics.elidedText(item_label(i), Qt.TextElideMode.ElideRight, width) for i in items[:titles]]
        return shown, len(items) - titles

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:
        day = date(qdate.year(), qdate.month(), qdate.day())
        items = self._by_day.get(day, [])
        palette = self.palette()
        selected = qdate == self.selectedDate()
        in_month = qdate.month() == self.monthShown()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(rect, palette.highlight() if selected else palette.base())
        text_colour = (
            palette.highlightedText().color() if selected else (palette.text().color() if in_month else QColor("#9a9a9a"))
        )
        if qdate == QDate.currentDate():
            painter.setPen(QColor("#1e6bb8"))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        number_font = QFont(self.font())
        number_font.setBold(True)
        painter.setFont(number_font)
        painter.setPen(text_colour)
        number_rect = QRect(rect.x() + 3, rect.y() + 1, rect.width() - 6, QFontMetrics(number_font).height())
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(qdate.day()))
        if items:
            small = QFont(self.font())
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
            painter.setFont(small)
            metrics = QFontMetrics(small)
            titles, dots = self.cell_lines(day, rect, metrics)
            y = number_rect.bottom() + 2
            size = max(5, min(8, metrics.height() // 2))
            for item, text in zip(items, titles, strict=False):
                self._dot(painter, item, rect.x() + 3, y + (metrics.height() - size) // 2, size)
                painter.setPen(text_colour)
                painter.drawText(
                    QRect(rect.x() + 3 + DOT_ROOM, y, rect.width() - 6 - DOT_ROOM, metrics.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
                y += metrics.height()
            if dots:
                rest = items[len(titles):]
                x = rect.x() + 3
                for item in rest[:MAX_DOTS]:
                    self._dot(painter, item, x, y + (metrics.height() - size) // 2, size)
                    x += size + 2
                if len(rest) > MAX_DOTS:
                    painter.setPen(text_colour)
                    painter.drawText(QRect(x, y, 40, metrics.height()), Qt.AlignmentFlag.AlignLeft, f"+{len(rest) - MAX_DOTS}")
        painter.restore()

    @staticmethod
    def _dot(painter: QPainter, item: DeadlineItem, x: int, y: int, size: int) -> None:
        painter.setPen(QColor(OFFICIAL_COLOUR) if item.is_official else Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(STATE_COLOUR.get(item.state, "#1e6bb8"))))
        painter.drawEllipse(QRect(x, y, size, size))


class MonthView(QWidget):
    """Signals: ``item_activated(object)`` when a day's item is double-clicked."""

    item_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip("上個月")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("下個月")
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.today_button = QToolButton()
        self.today_button.setText("今天")
        head = QHBoxLayout()
        head.addWidget(self.prev_button)
        head.addWidget(self.title, 1)
        head.addWidget(self.next_button)
        head.addWidget(self.today_button)

        self.calendar = DotCalendar()
        self.day_title = QLabel()
        self.day_model: ListTableModel[DeadlineItem] = ListTableModel(
            [
                Column("工作", item_label),
                Column("主責", lambda i: i.owners),
                Column("狀態", lambda i: i.status_label),
                Column("期限", lambda i: i.state_title, background=lambda i: STATE_BACKGROUND.get(i.state)),
                Column("文號", lambda i: i.doc_no),
            ]
        )
        self.day_table = QTableView()
        self.day_table.setModel(self.day_model)
        self.day_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.day_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.day_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.day_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.day_table.verticalHeader().setVisible(False)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.day_title)
        lower_layout.addWidget(self.day_table)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(head)
        top_layout.addWidget(self.calendar, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.prev_button.clicked.connect(self.calendar.showPreviousMonth)
        self.next_button.clicked.connect(self.calendar.showNextMonth)
        self.today_button.clicked.connect(lambda: self.select_day(date.today()))
        self.calendar.currentPageChanged.connect(self._page_changed)
        self.calendar.selectionChanged.connect(self._day_changed)
        self.day_table.doubleClicked.connect(self._activated)
        self._page_changed(self.calendar.yearShown(), self.calendar.monthShown())

    # --- public ------------------------------------------------------------------------------
    def set_items(self, items: Sequence[DeadlineItem]) -> None:
        by_day: dict[date, list[DeadlineItem]] = defaultdict(list)
        for item in items:
            if item.due_date is not None:
                by_day[item.due_date].append(item)
        self.calendar.set_items(dict(by_day))
        self._day_changed()

    def select_day(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(day.year, day.month)
        self._day_changed()

    def selected_day(self) -> date:
        q = self.calendar.selectedDate()
        return date(q.year(), q.month(), q.day())

    def month_title(self) -> str:
        return self.title.text()

    def current_item(self) -> DeadlineItem | None:
        rows = self.day_table.selectionModel().selectedRows()
        return self.day_model.row_object(rows[0].row()) if rows else None

    # --- slots -------------------------------------------------------------------------------
    def _page_changed(self, year: int, month: int) -> None:
        self.title.setText(roc_month_title(year, month))

    def _day_changed(self) -> None:
        day = self.selected_day()
        items = self.calendar.items_on(day)
        self.day_model.set_rows(items)
        self.day_title.setText(
            f"{format_roc_long(day)}（{format_roc(day)}）到期：{len(items)} 項"
            if items
            else f"{format_roc_long(day)}：沒有到期的項目"
        )
        if items:
            self.day_table.selectRow(0)

    def _activated(self, index: QModelIndex) -> None:
        self.item_activated.emit(index.data(OBJECT_ROLE))
