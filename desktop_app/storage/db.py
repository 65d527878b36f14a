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


class DatabaseFileError(RuntimeError):
    """The file given as the database cannot be used (not SQLite, a folder, unreadable …)."""


SQLITE_HEADER = b"SQLite format 3\x00"


def check_database_file(path: Path) -> None:
    """Refuse, with a zh-TW message, a path that is not (and cannot become) a SQLite database.

    Raises:
        DatabaseFileError: the path is a folder, unreadable, or a file that is not SQLite.
    """
    if path.is_dir():
        raise DatabaseFileError(f"「{path}」是資料夾，不是資料庫檔案。請指定資料庫檔案（例如 {path / 'portfolio.sqlite3'}）。")
    if not path.exists():
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseFileError(f"無法讀取資料庫檔案「{path}」：{exc.strerror}。請確認檔案權限。") from None
    if header and header != SQLITE_HEADER:
        raise DatabaseFileError(
            f"「{path}」不是資料庫檔案（不是 SQLite 格式）。"
            "請確認選對了檔案；若資料庫已損壞，請用「檔案 → 從備份還原」或指定備份檔。"
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
