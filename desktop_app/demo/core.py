"""Demo school profile and 學期 dates (113 and 114 學年度)."""

from __future__ import annotations

from datetime import date

from desktop_app.services.profile import Profile, save_profile, set_term_dates
from desktop_app.storage.db import Database

DEMO_SCHOOL = Profile(
    school_code="011302",
    name="國立示範高級中學",
    principal="林志明",
    has_practice_office=True,
    has_continuing_division=True,
)


def seed(db: Database) -> None:
    save_profile(db, DEMO_SCHOOL)
    set_term_dates(db, 113, 1, date(2024, 8, 30), date(2025, 1, 20))
    set_term_dates(db, 113, 2, date(2025, 2, 11), date(2025, 6, 30))
    set_term_dates(db, 114, 1, date(2025, 9, 1), date(2026, 1, 20))
    set_term_dates(db, 114, 2, date(2026, 2, 11), date(2026, 6, 30))
    set_term_dates(db, 115, 1, date(2026, 8, 31), date(2027, 1, 20))
