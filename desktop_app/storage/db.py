"""The database: one SQLite file, WAL, foreign keys on; sessions for services.

Services call :meth:`Database.transaction` (one transaction per user action) or
:meth:`Database.read`. Nothing here is SQLite-specific beyond the connection PRAGMAs, so the
same models can later run on a shared PostgreSQL server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.storage.lock import InstanceLock


class ReadOnlyError(RuntimeError):
    """A write was attempted on a database opened read-only."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"資料庫「{path}」已由另一個視窗（或另一台電腦）開啟，本視窗只能檢視，不能修改。"
            "請關閉另一個視窗後再試。"
        )


def _make_engine(path: Path, *, read_only: bool) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        else:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    return engine


class Database:
    """An opened database file.

    Args:
        path: the SQLite file (created if missing).
        exclusive: take the instance lock; when another process holds it the database opens
            read-only (``read_only`` is then True and writes raise :class:`ReadOnlyError`).
    """

    def __init__(self, path: Path | str, *, exclusive: bool = True) -> None:
        self.path = Path(path).resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = InstanceLock(self.path)
        self.read_only = bool(exclusive and not self._lock.acquire())
        self.engine = _make_engine(self.path, read_only=self.read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        if self.read_only:
            raise ReadOnlyError(self.path)
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing is committed."""
        with self._sessions() as session:
            yield session
            session.rollback()

    def close(self) -> None:
        self.engine.dispose()
        self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
