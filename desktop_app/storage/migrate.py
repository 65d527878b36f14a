"""Open a database for use: backup → Alembic upgrade to head.

Alembic runs on our own connection (``config.attributes["connection"]``), so the migration and
the app agree on the PRAGMAs and a failed migration rolls back as one transaction.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from desktop_app.storage.backup import create_backup
from desktop_app.storage.db import Database

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


def open_database(path: Path | str, *, backup: str | None = "startup", exclusive: bool = True) -> Database:
    """Open (or create) the database at ``path`` and bring its schema to head.

    Args:
        path: the SQLite file.
        backup: reason label for the automatic backup made before migrating (None: only back up
            when a migration is actually needed).
        exclusive: take the instance lock (a second instance gets a read-only database).
    """
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    db = Database(path, exclusive=exclusive)
    if db.read_only:
        return db
    needs_upgrade = current_revision(db) != head_revision()
    if existed and (backup is not None or needs_upgrade):
        create_backup(path, reason=backup or "before-migration")
    if needs_upgrade:
        upgrade(db)
    return db
