"""Demo data of the selfcheck feature (owned by that feature)."""

from __future__ import annotations

from desktop_app.storage.db import Database


def seed(db: Database) -> None:
    """Nothing yet."""
