"""Open a database for use: backup → Alembic upgrade to head.

Alembic runs on our own connection (``config.attributes["connection"]``), so the migration and
the app agree on the PRAGMAs and a failed migration rolls back as one transaction.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from desktop_app import __version__
from desktop_app.storage.backup import create_backup
from desktop_app.storage.db import Database, DatabaseFileError, check_database_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic (≈0.25 s to import) is imported only when a database needs a migration or a check that
# only Alembic can make; opening a database already at head reads the revision ids from the files.
_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:[^=]*)=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


@lru_cache(maxsize=1)
def _head_from_files() -> str | None:
    """The head revision read from the migration files (None when they do not read as one chain)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for file in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = file.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down is not None:
            downs.add(down.group(1))
    heads = revisions - downs
    return next(iter(heads)) if len(heads) == 1 else None


def alembic_config(db_path: Path | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if db_path is not None:
        cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return cfg


def head_revision() -> str:
    fast = _head_from_files()
    if fast is not None:
        return fast
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The database's schema revision (None: a database without Alembic's version table)."""
    with db.engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if has_table is None:
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:  # several heads: let Alembic say what it makes of it
        from alembic.runtime.migration import MigrationContext

        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return str(rows[0]) if rows else None


def upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(db.path)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _foreign_database_problem(db: Database, path: Path, revision: str | None) -> str | None:
    """Why this SQLite file must not be migrated: another program's database, or a newer version's."""
    if revision is None:
        tables = inspect(db.engine).get_table_names()
        if tables:
            return (
                f"「{path}」是 SQLite 資料庫，但不是本系統的資料庫（內有 {len(tables)} 個其他程式的資料表）。"
                "本程式不會在其中建立資料表；請確認選對了檔案。"
            )
        return None
    if revision == _head_from_files():
        return None
    from alembic.script import ScriptDirectory

    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        return (
            f"資料庫「{path}」是較新版本的程式建立的（資料庫版本 {revision}），本版程式（{__version__}）無法開啟。"
            "請安裝最新版程式後再開啟（本程式未升級或改寫其資料）。"
        )
    return None


def check_restorable(backup: Path | str) -> None:
    """Refuse, before anything is replaced, a file that is not a backup of this program's database.

    Raises:
        DatabaseFileError: not SQLite, another program's database, or a newer version's.
    """
    backup = Path(backup)
    check_database_file(backup)
    if not backup.is_file() or backup.stat().st_size == 0:
        raise DatabaseFileError(f"「{backup}」是空的或不存在，不是備份檔。請選擇 backups 資料夾中的 .sqlite3 備份檔。")
    conn = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    if row is None:
        raise DatabaseFileError(f"「{backup}」不是本系統的備份檔（沒有本系統的版本紀錄）。請選擇 backups 資料夾中的備份檔。")
    from alembic.script import ScriptDirectory

    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if row[0] not in known:
        raise DatabaseFileError(
            f"備份「{backup}」是較新版本的程式建立的（資料庫版本 {row[0]}），本版程式（{__version__}）無法還原。"
            "請安裝最新版程式後再還原。"
        )


def open_database(path: Path | str, *, backup: str | None = "startup", exclusive: bool = True) -> Database:
    """Open (or create) the database at ``path`` and bring its schema to head.

    Args:
        path: the SQLite file.
        backup: reason label for the automatic backup made before migrating (None: only back up
            when a migration is actually needed).
        exclusive: take the instance lock (a second instance gets a read-only database).
    """
    path = Path(path)
    check_database_file(path)
    existed = path.exists() and path.stat().st_size > 0
    db = Database(path, exclusive=exclusive)
    try:
        revision = current_revision(db)
    except DatabaseError as exc:
        db.close()
        raise DatabaseFileError(
            f"無法開啟資料庫「{path}」：{exc.orig or exc}。請確認檔案與所在資料夾可讀寫，"
            "或用備份檔還原。"
        ) from None
    problem = _foreign_database_problem(db, path, revision)
    if problem:
        db.close()
        raise DatabaseFileError(problem)
    if db.read_only:
        if revision != head_revision():
            db.close()
            raise DatabaseFileError(
                f"資料庫「{path}」正由另一個視窗使用，且尚未升級到本版程式的格式，無法以唯讀方式開啟。"
                "請先關閉另一個視窗再開啟。"
            )
        return db
    needs_upgrade = revision != head_revision()
    if existed and (backup is not None or needs_upgrade):
        create_backup(path, reason=backup or "before-migration")
    if needs_upgrade:
        upgrade(db)
    return db
