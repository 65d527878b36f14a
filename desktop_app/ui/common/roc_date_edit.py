"""A date field that shows and accepts ROC dates (113/09/02, 113年9月2日, 1130902, ISO)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop_app.domain.roc_date import RocDateError, format_roc, parse_roc_date


class RocDateEdit(QWidget):
    """Signals: ``dateChanged(object)`` with a ``datetime.date`` or None."""

    dateChanged = Signal(object)

    def __init__(
        self, value: date | None = None, parent: QWidget | None = None, *, allow_empty: bool = True
    ) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty
        self._date: date | None = None
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(f"例：{format_roc(date.today())}")
        self.line.setToolTip("民國日期：113/09/02、113年9月2日、1130902 或 2024-09-02")
        self._fit_placeholder()
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("從月曆選擇")
        self.button.clicked.connect(self._open_calendar)
        self.calendar: QCalendarWidget | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.line.editingFinished.connect(self._commit_text)
        self.setDate(value)

    def setPlaceholderText(self, text: str) -> None:
        """The hint shown while empty (e.g. ``例：114/08/29``); the field grows to show all of it."""
        self.line.setPlaceholderText(text)
        self._fit_placeholder()

    def _fit_placeholder(self) -> None:
        metrics = self.line.fontMetrics()
        needed = max(metrics.horizontalAdvance(self.line.placeholderText()), metrics.horizontalAdvance("000/00/00"))
        self.line.setMinimumWidth(needed + 16)  # the frame and text margins of a line edit

    def _open_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.clicked.connect(self._picked)
        if self._date is not None:
            self.calendar.setSelectedDate(QDate(self._date.year, self._date.month, self._date.day))
        self.calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.show()

    def _picked(self, qdate: QDate) -> None:
        self.setDate(date(qdate.year(), qdate.month(), qdate.day()))
        if self.calendar is not None:
            self.calendar.hide()

    def _commit_text(self) -> None:
        text = self.line.text().strip()
        if not text and self._allow_empty:
            self._set(None)
            return
        try:
            self._set(parse_roc_date(text))
        except RocDateError as exc:
            self.line.setStyleSheet("background: #ffe0e0;")
            self.line.setToolTip(str(exc))
            return

    def _set(self, value: date | None) -> None:
        self.line.setStyleSheet("")
        self.line.setToolTip("民國日期：113/09/02、113年9月2日、1130902 或 2024-09-02")
        changed = value != self._date
        self._date = value
        self.line.setText(format_roc(value))
        if changed:
            self.dateChanged.emit(value)

    def setDate(self, value: date | None) -> None:
        self._set(value)

    def date(self) -> date | None:
        """The date, reading what was typed if it was not committed yet."""
        text = self.line.text().strip()
        if text and text != format_roc(self._date):
            self._commit_text()
        return self._date

    def is_valid(self) -> bool:
        text = self.line.text().strip()
        if not text:
            return self._allow_empty
        try:
            parse_roc_date(text)
        except RocDateError:
            return False
        return True

    def setFocus(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
        self.line.setFocus(reason)
