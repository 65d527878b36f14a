"""A database too damaged even to read its schema version still opens (read-only, damaged), so the
window can show its red banner and restore a backup instead of refusing to start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from damage_helpers import zero_page_of

from desktop_app.storage.migrate import open_database


def test_unreadable_schema_version_opens_damaged_and_read_only(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite3"
    open_database(path, backup=None).close()
    zero_page_of(path, "alembic_version")
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(path) as conn:
        conn.execute("SELECT version_num FROM alembic_version").fetchall()
    before = path.read_bytes()
    db = open_database(path, backup=None, create=False)
    try:
        assert db.damaged and db.read_only
        assert "損壞" in db.damaged
    finally:
        db.close()
    assert path.read_bytes() == before  # nothing written to the damaged file
