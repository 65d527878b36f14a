"""The timeline of the 作業期程: one lane per 工作, grouped by 項目, across the 學年度 (8/1–7/31)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.domain.calendar import DeadlineItem
from desktop_app.domain.roc_date import Term, format_roc, school_year_bounds
from desktop_app.ui.calendar.common import (
    OFFICIAL_COLOUR,
    STATE_BACKGROUND,
    STATE_COLOUR,
    item_label,
    item_sort_key,
)

LABEL_WIDTH = 260
ROW_HEIGHT = 22
HEADER_HEIGHT = 36
GROUP_HEIGHT = 22
DAY_WIDTH = 2.6


def undated_text(item: DeadlineItem) -> str:
    """What the timeline writes where an item has no date yet (naming its 學期)."""
    term = f"{Term(item.year, item.term).title}：" if item.term else ""
    return f"（{term}依國教署公告，尚無日期）"


class TimelineCanvas(QWidget):
    """Signals: ``item_clicked(object)``."""

    item_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = 0
        self.today = date.today()
        self._rows: list[tuple[str, str, list[DeadlineItem]]] = []  # (kind, label, items)
        self._hit: list[tuple[QRect, DeadlineItem]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    # --- data --------------------------------------------------------------------------------
    def set_items(self, year: int, items: Sequence[DeadlineItem], today: date) -> None:
        self.year, self.today = year, today
        groups: dict[str, dict[str, list[DeadlineItem]]] = {}
        labels: dict[str, str] = {}
        for item in items:
            # one lane per template row (both 學期 on it), one for the receipt batches, else per item
            if item.template_key:
                lane = item.template_key.split("@")[0]
            elif item.source:
                lane = item.source
            else:
                lane = item.key
            if item.source == "receipts":
                label = "收訖明細確認期間"
            else:  # a template lane may hold an official date in one 學期 only: no prefix
                label = item_label(replace(item, is_official=False) if item.template_key else item)
            labels.setdefault(lane, label)
            groups.setdefault(item.item or "其他", {}).setdefault(lane, []).append(item)
        self._rows = []
        for group in sorted(groups, key=item_sort_key):
            self._rows.append(("group", group, []))
            for lane, lane_items in groups[group].items():
                self._rows.append(("lane", labels[lane], lane_items))
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def lane_count(self) -> int:
        return sum(1 for kind, _, _ in self._rows if kind == "lane")

    def sizeHint(self) -> QSize:
        height = (
            HEADER_HEIGHT + sum(GROUP_HEIGHT if k == "group" else ROW_HEIGHT for k, _, _ in self._rows) + 8
        )
        return QSize(LABEL_WIDTH + int(366 * DAY_WIDTH) + 16, height)

    # --- geometry ----------------------------------------------------------------------------
    def _day_width(self) -> float:
        return max(DAY_WIDTH, (self.width() - LABEL_WIDTH - 12) / 365)

    def _x(self, day: date) -> int:
        start, _ = school_year_bounds(self.year)
        return LABEL_WIDTH + int((day - start).days * self._day_width())

    # --- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.year:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        start, end = school_year_bounds(self.year)
        width = self.width()
        # month columns with ROC titles
        month = start
        shade = False
        while month <= end:
            nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            x0, x1 = self._x(month), self._x(min(nxt, end + timedelta(days=1)))
            if shade:
                p.fillRect(QRect(x0, 0, x1 - x0, self.height()), QColor("#f5f7fa"))
            shade = not shade
            p.setPen(QColor("#c8d0d8"))
            p.drawLine(x0, 0, x0, self.height())
            p.setPen(QColor("#333333"))
            title = f"{month.year - 1911}年{month.month}月" if month.month in (1, 8) else f"{month.month}月"
            p.drawText(QRect(x0, 0, x1 - x0, HEADER_HEIGHT), Qt.AlignmentFlag.AlignCenter, title)
            month = nxt
        p.setPen(QColor("#8899aa"))
        p.drawLine(0, HEADER_HEIGHT, width, HEADER_HEIGHT)
        self._hit = []
        y = HEADER_HEIGHT
        bold = QFont(self.font())
        bold.setBold(True)
        for kind, label, items in self._rows:
            if kind == "group":
                p.fillRect(QRect(0, y, width, GROUP_HEIGHT), QColor("#dde6f0"))
                p.setFont(bold)
                p.setPen(QColor("#1b3a57"))
                p.drawText(QRect(6, y, LABEL_WIDTH, GROUP_HEIGHT), Qt.AlignmentFlag.AlignVCenter, label)
                p.setFont(self.font())
                y += GROUP_HEIGHT
                continue
            p.setPen(QColor("#333333"))
            text = p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 16)
            p.drawText(QRect(16, y, LABEL_WIDTH - 16, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, text)
            for item in items:
                self._draw_item(p, item, y)
            p.setPen(QColor("#eceff3"))
            p.drawLine(0, y + ROW_HEIGHT, width, y + ROW_HEIGHT)
            y += ROW_HEIGHT
        # today
        if start <= self.today <= end:
            x = self._x(self.today)
            p.setPen(QPen(QColor("#d32f2f"), 1.5, Qt.PenStyle.DashLine))
            p.drawLine(x, HEADER_HEIGHT - 6, x, y)
            p.drawText(QRect(x + 3, HEADER_HEIGHT - 14, 60, 14), Qt.AlignmentFlag.AlignLeft, "今天")
        p.end()

    def _draw_item(self, p: QPainter, item: DeadlineItem, y: int) -> None:
        if item.due_date is None:
            # in the column of its own 學期: a lane may also hold a dated item of the other 學期
            x = self._x(Term(item.year, item.term).start) + 4 if item.term else LABEL_WIDTH + 4
            p.setPen(QColor("#888888"))
            text = undated_text(item)
            width = p.fontMetrics().horizontalAdvance(text) + 8
            p.drawText(QRect(x, y, width, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, text)
            return
        begin = item.start_date or item.due_date
        x0, x1 = self._x(begin), self._x(item.due_date + timedelta(days=1))
        rect = QRect(x0, y + 4, max(x1 - x0, 6), ROW_HEIGHT - 8)
        colour = QColor(STATE_COLOUR.get(item.state, "#1e6bb8"))
        fill = QColor(STATE_BACKGROUND.get(item.state, "#d6e6f7"))
        p.setPen(QPen(QColor(OFFICIAL_COLOUR) if item.is_official else colour, 2 if item.is_official else 1))
        p.setBrush(fill)
        p.drawRoundedRect(rect, 3, 3)
        # the due day as a solid mark at the bar's end
        p.setBrush(colour)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRect(QRect(QPoint(max(x1 - 4, x0), y + 4), QSize(4, ROW_HEIGHT - 8)))
        self._hit.append((rect, item))

    def bars(self) -> list[tuple[QRect, DeadlineItem]]:
        """The painted bars (rectangle, item), as of the last paint."""
        return list(self._hit)

    def item_at(self, pos: QPoint) -> DeadlineItem | None:
        for rect, item in self._hit:
            if rect.adjusted(-2, -2, 2, 2).contains(pos):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().toPoint())
        if item is not None:
            self.item_clicked.emit(item)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().toPoint())
        if item is None:
            self.setToolTip("")
            return
        window = (
            f"{format_roc(item.start_date)}－{format_roc(item.due_date)}"
            if item.start_date and item.start_date != item.due_date
            else format_roc(item.due_date)
        )
        self.setToolTip(
            f"{item_label(item)}\n{window}\n主責：{item.owners}\n{item.status_label}（{item.state_title}）"
        )


class TimelineView(QWidget):
    """The canvas in a scroll area. Signals: ``item_clicked(object)``."""

    item_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas()
        scroll = QScrollArea()
        scroll.setWidget(self.canvas)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.canvas.item_clicked.connect(self.item_clicked)
        self.selected: DeadlineItem | None = None
        self.canvas.item_clicked.connect(self._remember)

    def _remember(self, item: DeadlineItem) -> None:
        self.selected = item

    def set_items(self, year: int, items: Sequence[DeadlineItem], today: date) -> None:
        self.selected = None
        self.canvas.set_items(year, items, today)

    def current_item(self) -> DeadlineItem | None:
        return self.selected
