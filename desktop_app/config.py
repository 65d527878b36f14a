"""Paths and application constants (no Qt)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from desktop_app import APP_NAME

DB_FILE_NAME = "portfolio.sqlite3"
BACKUP_DIR_NAME = "backups"
BACKUPS_KEPT = 10


def data_dir() -> Path:
    """The user's data folder (``DESKTOP_APP_DATA_DIR`` overrides it, e.g. for tests)."""
    override = os.environ.get("DESKTOP_APP_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def backup_dir_for(db_path: Path) -> Path:
    """Backups live in a ``backups/`` folder beside the database file."""
    return Path(db_path).resolve().parent / BACKUP_DIR_NAME


def os_user() -> str:
    """The OS user name recorded in the audit log and run history."""
    for var in ("USERNAME", "USER", "LOGNAME"):
        value = os.environ.get(var)
        if value:
            return value
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # pragma: no cover - exotic systems
        return "unknown"
