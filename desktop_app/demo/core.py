"""Demo school profile and 學期 dates, from 113學年度 to the year after the current one.

``CURRENT_YEAR`` is today's 學年度, so the demo always looks like work in progress.
"""

from __future__ import annotations

from datetime import date, timedelta

from desktop_app.domain.roc_date import ROC_OFFSET, school_year_of
from desktop_app.services.profile import Profile, save_profile, set_term_dates
from desktop_app.storage.db import Database

DEMO_SCHOOL = Profile(
    school_code="011302",
    name="國立示範高級中學",
    principal="林志明",
    has_practice_office=True,
    has_continuing_division=True,
    contact_office="教務處註冊組",
    contact_phone="(02)2345-6789 分機 123",
)

CURRENT_YEAR = max(114, school_year_of(date.today()))


def _weekday_on_or_after(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def demo_term_dates(year: int) -> dict[int, tuple[date, date]]:
    """開學日 and 休業式 of a demo 學年度 (first weekday from 9/1 and 2/11; 1/20 and 6/30)."""
    ad = year + ROC_OFFSET
    return {
        1: (_weekday_on_or_after(date(ad, 9, 1)), date(ad + 1, 1, 20)),
        2: (_weekday_on_or_after(date(ad + 1, 2, 11)), date(ad + 1, 6, 30)),
    }


def seed(db: Database) -> None:
    save_profile(db, DEMO_SCHOOL)
    for year in range(113, CURRENT_YEAR + 2):
        for term, (start, end) in demo_term_dates(year).items():
            set_term_dates(db, year, term, start, end)
