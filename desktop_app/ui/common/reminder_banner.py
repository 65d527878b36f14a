"""The reminder banner: what is overdue or due this week (作業期程), shown above the tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop_app.domain.roc_date import format_roc

if TYPE_CHECKING:
    from desktop_app.domain.calendar import DeadlineItem

BANNER_DAYS = 7
BANNER_NAMES = 4


def banner_message(overdue: list[DeadlineItem], soon: list[DeadlineItem], days: int = BANNER_DAYS) -> str:
    """``逾期 2 項：A、B；7 天內到期 1 項：C`` (or a calm line when nothing is pending)."""

    def names(items: list[DeadlineItem]) -> str:
        from desktop_app.ui.calendar.common import item_label

        shown = [f"{item_label(i)}（{format_roc(i.due_date)}）" for i in items[:BANNER_NAMES]]
        more = f" 等 {len(items)} 項" if len(items) > BANNER_NAMES else ""
        return "、".join(shown) + more

    parts = []
    if overdue:
        parts.append(f"逾期 {len(overdue)} 項：{names(overdue)}")
    if soon:
        parts.append(f"{days} 天內到期 {len(soon)} 項：{names(soon)}")
    if not parts:
        return f"作業期程：沒有逾期或 {days} 天內到期的項目。"
    return "作業期程提醒　" + "；".join(parts)


class CalendarBanner(QFrame):
    """The start-up banner. Signals: ``clicked()`` (show the overdue/due items)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("按一下列出逾期與即將到期的項目")
        self.level = "ok"

    def set_summary(
        self, overdue: list[DeadlineItem], soon: list[DeadlineItem], days: int = BANNER_DAYS
    ) -> str:
        text = banner_message(overdue, soon, days)
        self.level = "overdue" if overdue else ("soon" if soon else "ok")
        text = {"overdue": "╳ ", "soon": "！ ", "ok": "√ "}[self.level] + text  # not by colour alone
        style = {
            "overdue": "background:#fde0e0; border:1px solid #d32f2f; color:#8b0000;",
            "soon": "background:#fff1cc; border:1px solid #f29900; color:#6b4500;",
            "ok": "background:#e8f3e8; border:1px solid #9cc29c; color:#245224;",
        }[self.level]
        self.setStyleSheet(
            f"CalendarBanner {{{style} border-radius:4px;}} QLabel {{border:none; background:transparent;}}"
        )
        self.label.setText(text)
        return text

    def set_unplanned(self, year: int) -> str:
        """No task planned: a neutral grey line (nothing can be 「沒有逾期」 before it is planned)."""
        self.level = "unplanned"
        self.setStyleSheet(
            "CalendarBanner {background:#f0f0f0; border:1px solid #9e9e9e; color:#333333; border-radius:4px;}"
            " QLabel {border:none; background:transparent;}"
        )
        text = f"○ 作業期程：{year}學年度尚未規劃任何工作，無法判斷是否逾期；請到「作業期程」按「規劃學年度」。"
        self.label.setText(text)
        return text

    def text(self) -> str:
        return self.label.text()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)
