"""Issue 12 (9): the month view shows the titles of a day's items in its cell; dots on crowded days."""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics

from desktop_app.services.calendar.planning import plan_year
from desktop_app.ui.calendar.common import item_label
from desktop_app.ui.calendar.tab import CalendarTab

TODAY = date(2025, 9, 10)


def test_cells_show_titles_and_dots_when_crowded(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(profile_db, 114)
    tab = CalendarTab(profile_db, today=TODAY)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    calendar = tab.month.calendar
    by_day = Counter(i.due_date for i in tab.items if i.due_date is not None)
    one_day = next(d for d, n in by_day.items() if n == 1)
    busy_day = max(by_day, key=lambda d: by_day[d])
    assert by_day[busy_day] >= 2
    metrics = QFontMetrics(calendar.font())
    roomy = QRect(0, 0, 400, metrics.height() * 12)
    titles, dots = calendar.cell_lines(one_day, roomy, metrics)
    (item,) = calendar.items_on(one_day)
    assert titles == [item_label(item)] and dots == 0  # the whole title where it fits
    narrow = QRect(0, 0, 70, metrics.height() * 2 + 6)  # room for the number and one line
    titles, dots = calendar.cell_lines(one_day, narrow, metrics)
    assert len(titles) == 1 and titles[0].endswith("…") and metrics.horizontalAdvance(titles[0]) <= 70
    titles, dots = calendar.cell_lines(busy_day, narrow, metrics)
    assert titles == [] and dots == by_day[busy_day]  # a crowded day keeps its dots
    # the real cell paints without error on the shown month
    tab.month.select_day(one_day)
    image = calendar.grab().toImage()
    assert not image.isNull()
