"""Paths and application constants (no Qt)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from desktop_app import APP_NAME

DB_FILE_NAME = "portfolio.sqlite3"
BACKUP_DIR_NAME = "backups"
BACKUPS_KEPT = 10  # start-up backups kept by count (manual / before-* backups are all kept)
BACKUP_DAILY_DAYS = 30  # besides: the newest backup of each of the last 30 days
# The optional second backup folder (a USB stick, a network share), chosen under 設定 → 備份;
# a per-PC setting, so it lives in the data folder rather than in the database.
BACKUP_MIRROR_FILE = "backup-mirror.txt"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# Written by the first-run wizard when the user puts the database somewhere else than the data
# folder (a network drive, a copy brought from the old PC); holds that database's full path.
DB_LOCATION_FILE = "database-location.txt"


def data_dir() -> Path:
    """The user's data folder (``DESKTOP_APP_DATA_DIR`` overrides it, e.g. for tests)."""
    override = os.environ.get("DESKTOP_APP_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """On POSIX: a folder 0700, a file 0600 (the database holds every student's full ID).

    Only tightens what this user owns; a file on a share that refuses chmod is left as it is.
    """
    if sys.platform == "win32":  # (not os.name: mypy --platform win32 then skips os.getuid below)
        return
    try:
        info = path.stat()
        if info.st_uid != os.getuid():
            return
        wanted = PRIVATE_DIR_MODE if path.is_dir() else PRIVATE_FILE_MODE
        if info.st_mode & 0o777 != wanted:
            path.chmod(wanted)
    except OSError:
        pass


def backup_mirror_dir() -> Path | None:
    """The second backup folder chosen in 設定 (None: none)."""
    try:
        text = (data_dir() / BACKUP_MIRROR_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def set_backup_mirror_dir(path: Path | None) -> None:
    """Choose (or with None, stop using) the second backup folder."""
    file = data_dir() / BACKUP_MIRROR_FILE
    if path is None or not str(path).strip():
        file.unlink(missing_ok=True)
    else:
        file.write_text(str(Path(path)), encoding="utf-8")


def standard_db_path() -> Path:
    """The database file in the user's data folder."""
    return data_dir() / DB_FILE_NAME


def default_db_path() -> Path:
    """The database opened when no ``--db`` is given: the one chosen at first run, if any,
    else :func:`standard_db_path`."""
    return remembered_db_path() or standard_db_path()


def remembered_db_path() -> Path | None:
    """The database location chosen in the first-run wizard (None: the standard one)."""
    try:
        text = (data_dir() / DB_LOCATION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def remember_db_path(path: Path | None) -> None:
    """Make ``path`` the database opened by default; None (or the standard path) forgets the choice."""
    file = data_dir() / DB_LOCATION_FILE
    if path is None or Path(path).resolve() == standard_db_path().resolve():
        file.unlink(missing_ok=True)
    else:
        file.write_text(str(Path(path).resolve()), encoding="utf-8")


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
