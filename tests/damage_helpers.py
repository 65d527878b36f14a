"""Damage a SQLite file the way a bad disk sector does: one page overwritten with zeros."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def zero_page_of(db_path: Path, table: str) -> int:
    """Overwrite the root page of ``table`` with zeros (the database is closed); returns the page."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with db_path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\0" * page_size)
    return int(root)
