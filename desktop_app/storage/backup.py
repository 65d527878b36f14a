"""Backups with SQLite's online backup API (consistent even while the file is in use)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from desktop_app.config import BACKUPS_KEPT, backup_dir_for

BACKUP_SUFFIX = ".sqlite3"


def create_backup(db_path: Path, reason: str = "auto", *, keep: int = BACKUPS_KEPT) -> Path | None:
    """Copy ``db_path`` into ``backups/`` beside it; keep the newest ``keep`` backups.

    Returns the backup path, or None when there is no database yet.
    """
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backup_dir_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
    copy_database(db_path, target)
    prune_backups(db_path, keep=keep)
    return target


def copy_database(source: Path, target: Path) -> None:
    """Online backup of ``source`` into ``target`` (overwritten)."""
    src = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this database, newest first."""
    folder = backup_dir_for(Path(db_path))
    if not folder.exists():
        return []
    files = [p for p in folder.glob(f"{Path(db_path).stem}-*{BACKUP_SUFFIX}") if p.is_file()]
    return sorted(files, key=lambda p: p.name, reverse=True)


def prune_backups(db_path: Path, *, keep: int = BACKUPS_KEPT) -> None:
    for old in list_backups(db_path)[keep:]:
        old.unlink(missing_ok=True)


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with ``backup``, after backing up what it replaces.

    Uses the backup API in the other direction, so open connections see a consistent file.
    Returns the safety backup of the replaced database.
    """
    safety = create_backup(db_path, reason="before-restore")
    copy_database(Path(backup), Path(db_path))
    return safety
