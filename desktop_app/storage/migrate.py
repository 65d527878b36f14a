"""Open a database for use: backup → Alembic upgrade to head.

Alembic runs on our own connection (``config.attributes["connection"]``), so the migration and
the app agree on the PRAGMAs and a failed migration rolls back as one transaction.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from desktop_app import __version__
from desktop_app.config import PRIVATE_FILE_MODE, backup_dir_for, make_private
from desktop_app.storage.backup import BackupError, backup_database
from desktop_app.storage.db import (
    Database,
    DatabaseFileError,
    StorageError,
    check_database_file,
    describe_storage_error,
)
from desktop_app.storage.integrity import CheckResult, check_database

log = logging.getLogger(__name__)

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
    check = check_database(backup)
    if not check.ok:
        raise DatabaseFileError(
            f"備份「{backup.name}」沒有通過完整性檢查（{check.method}：{check.summary()}），不能用來還原。請選另一份備份。"
        )
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


class DatabaseMissingError(DatabaseFileError):
    """The database file does not exist and creating one was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"找不到資料庫檔案「{path}」。本程式不會自動建立新的資料庫（以免路徑打錯時在空的資料庫上作業）。"
            f"請確認路徑；若要建立新的資料庫，請執行：desktop-app db create \"{path}\""
        )


def damaged_database_message(path: Path, check: CheckResult) -> str:
    """What the banner and the CLI say about a database that failed its check at open."""
    return (
        f"資料庫「{path.name}」已損壞（SQLite {check.method}：{check.summary()}）。"
        "為保護資料，本程式以唯讀方式開啟，不寫入、也不以它覆蓋備份。"
        "請用「檔案 → 從備份還原」還原最近一次完好的備份"
        f"（備份資料夾：{backup_dir_for(path)}）。"
    )


def open_database(
    path: Path | str, *, backup: str | None = "startup", exclusive: bool = True, create: bool = True
) -> Database:
    """Open the database at ``path`` and bring its schema to head.

    The file is checked first (``quick_check``; ``integrity_check`` for small files): a damaged
    file opens read-only with :attr:`Database.damaged` set, is not backed up and not migrated.

    Args:
        path: the SQLite file.
        backup: reason label for the automatic backup made before migrating (None: only back up
            when a migration is actually needed).
        exclusive: take the instance lock (a second instance gets a read-only database).
        create: make a new database when the file does not exist; False raises
            :class:`DatabaseMissingError` (the command line and a typed ``--db`` never create silently).
    """
    path = Path(path)
    check_database_file(path)
    if not path.exists():
        if not create:
            raise DatabaseMissingError(path)
        _create_database_file(path)
    existed = path.stat().st_size > 0
    check, damaged = _check_at_open(path, existed)
    db = Database(path, exclusive=exclusive, damaged=damaged)
    db.open_check = check  # a start-up backup made later (after the first paint) can reuse it
    make_private(db.path)
    readable, revision = _read_revision(db, path, damaged)
    if not readable:
        return db
    problem = _foreign_database_problem(db, path, revision)
    if problem:
        db.close()
        raise DatabaseFileError(problem)
    if db.read_only:
        _refuse_read_only_below_head(db, path, revision, damaged)
        return db
    _backup_and_upgrade(db, path, revision, existed=existed, backup=backup, check=check)
    return db


def _create_database_file(path: Path) -> None:
    """An empty, private database file (and its folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    except OSError as exc:
        raise StorageError(
            f"無法建立資料庫檔案「{path}」：{describe_storage_error(exc) or exc.strerror}。"
        ) from None


def _check_at_open(path: Path, existed: bool) -> tuple[CheckResult | None, str | None]:
    """The file's check at open (None for a new, empty file) and, when it failed, the damaged message."""
    check = check_database(path) if existed else None
    if check is None or check.ok:
        return check, None
    log.error("database %s failed %s: %s", path, check.method, check.summary())
    return check, damaged_database_message(path.resolve(), check)


def _read_revision(db: Database, path: Path, damaged: str | None) -> tuple[bool, str | None]:
    """(readable, schema revision). A damaged read-only database whose version cannot be read is
    still opened (unreadable); otherwise an unreadable version closes ``db`` and raises."""
    try:
        return True, current_revision(db)
    except DatabaseError as exc:
        if damaged and db.read_only:
            # too damaged even to read its schema version: still open (read-only) so the window can
            # show the red banner and restore the newest good backup, instead of refusing to start
            log.error("damaged database %s: schema version unreadable: %s", path, exc)
            return False, None
        db.close()
        reason = describe_storage_error(exc) or str(exc.orig or exc)
        raise DatabaseFileError(
            f"無法開啟資料庫「{path}」：{reason}。請確認檔案與所在資料夾可讀寫，或用備份檔還原。"
        ) from None


def _refuse_read_only_below_head(db: Database, path: Path, revision: str | None, damaged: str | None) -> None:
    """A read-only database (another instance holds it, or it is damaged) cannot be upgraded."""
    if revision == head_revision():
        return
    db.close()
    if damaged:
        raise DatabaseFileError(damaged + "（此資料庫也需要升級，損壞時無法升級，請先還原備份。）")
    raise DatabaseFileError(
        f"資料庫「{path}」{db.read_only_reason or ''}它尚未升級到本版程式的格式，無法以唯讀方式開啟。"
        "請先關閉另一個視窗（或讓檔案可寫入）再開啟。"
    )


def _backup_and_upgrade(
    db: Database,
    path: Path,
    revision: str | None,
    *,
    existed: bool,
    backup: str | None,
    check: CheckResult | None,
) -> None:
    """Back up an existing file (always before a migration; a failed start-up backup is a warning),
    then bring the schema to head."""
    needs_upgrade = revision != head_revision()
    if existed and (backup is not None or needs_upgrade):
        try:
            backup_database(path, reason=backup or "before-migration", source_check=check)
        except BackupError as exc:
            if needs_upgrade:
                db.close()
                raise DatabaseFileError(f"升級資料庫前必須先備份，但{exc}") from None
            db.warnings.append(f"開啟時的自動備份沒有完成：{exc}資料庫本身未受影響。")
    if needs_upgrade:
        try:
            upgrade(db)
        except DatabaseError as exc:
            db.close()
            upgrade_reason = describe_storage_error(exc)
            if upgrade_reason is None:
                raise
            raise StorageError(f"無法升級資料庫「{path}」：{upgrade_reason}。資料維持原狀（升級前已備份）。") from None
