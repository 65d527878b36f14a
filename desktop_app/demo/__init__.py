"""The demo database: a fictional school with data in every tab.

Each feature owns one module here with ``seed(db)``; they run in the order of ``SEEDERS``.
Everything is fictional (names, IDs made with valid check digits, the school).
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

from desktop_app.storage.db import Database
from desktop_app.storage.migrate import open_database

SEEDERS = ("core", "working_group", "precheck", "receipts", "calendar", "selfcheck")


def build_demo_database(folder: Path | None = None) -> Database:
    """Create a fresh demo database in ``folder`` (default: a new temporary folder)."""
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="desktop-app-demo-"))
    db = open_database(folder / "demo.sqlite3", backup=None)
    for name in SEEDERS:
        importlib.import_module(f"desktop_app.demo.{name}").seed(db)
    return db
