"""Reminders: what is overdue or due soon across the current 學年度 (the CLI's ``calendar due``,
the window's banner)."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.calendar import STATE_DUE_SOON, STATE_OVERDUE, DeadlineItem
from desktop_app.domain.roc_date import school_year_of
from desktop_app.services.calendar.deadlines import deadline_items, item_order
from desktop_app.services.calendar.tasks import planned_years
from desktop_app.storage.db import Database


def due_items(db: Database, days: int = 7, today: date | None = None) -> list[DeadlineItem]:
    """Overdue items and items due within ``days`` days: this 學年度, the previous one (its late
    leftovers) and any planned later one. Older years are history, not reminders."""
    today = today or date.today()
    current = school_year_of(today)
    years = {y for y in planned_years(db) if y >= current - 1} | {current}
    out = [
        i
        for year in sorted(years)
        for i in deadline_items(db, year, today=today, soon_days=days)
        if i.state in (STATE_OVERDUE, STATE_DUE_SOON)
    ]
    return sorted(out, key=item_order)


def banner_summary(
    db: Database, today: date | None = None, days: int = 7
) -> tuple[list[DeadlineItem], list[DeadlineItem]]:
    """(overdue, due within ``days``) for the start-up banner."""
    items = due_items(db, days=days, today=today)
    return [i for i in items if i.state == STATE_OVERDUE], [i for i in items if i.state == STATE_DUE_SOON]
