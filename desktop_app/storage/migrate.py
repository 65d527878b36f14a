"""Open a database for use: backup → Alembic upgrade to head.

Alembic runs on our own connection (``config.attributes["connection"]``), so the migration and
the app agree on the PRAGMAs and a failed migration rolls back as one transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError

from desktop_app import __version__
from desktop_app.storage.backup import create_backup
from desktop_app.storage.db import Database, DatabaseFileError, check_database_file

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(db_path: Path | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if db_path is not None:
        cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
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
