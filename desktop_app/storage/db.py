"""The database: one SQLite file, WAL, foreign keys on; sessions for services.

Services call :meth:`Database.transaction` (one transaction per user action) or
:meth:`Database.read`. Nothing here is SQLite-specific beyond the connection PRAGMAs, so the
same models can later run on a shared PostgreSQL server.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from desktop_app.storage.integrity import CheckResult
from desktop_app.storage.lock import InstanceLock

log = logging.getLogger(__name__)


class ReadOnlyError(RuntimeError):
    """A write was attempted on a database opened read-only (``message`` says why)."""

    def __init__(self, path: Path, message: str | None = None) -> None:
        super().__init__(
            message
            or f"資料庫「{path}」已由另一個視窗（或另一台電腦）開啟，本視窗只能檢視，不能修改。"
            "請關閉另一個視窗後再試。"
        )


class DamagedDatabaseError(ReadOnlyError):
    """A write was attempted on a database that failed its integrity check at open."""


class DatabaseFileError(RuntimeError):
    """The file given as the database cannot be used (not SQLite, a folder, unreadable …)."""


class StorageError(DatabaseFileError):
    """SQLite or the OS refused a read or write (disk full, read-only file, I/O error …);
    ``str(err)`` is the zh-TW message."""


_SQLITE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("database or disk is full", "磁碟空間不足，資料庫無法寫入（這次的變更未儲存，資料維持原狀）。請清出磁碟空間後再試"),
    ("attempt to write a readonly database", "資料庫檔案是唯讀的（檔案屬性、權限或唯讀磁碟），無法寫入。請取消唯讀後重新開啟"),
    ("unable to open database file", "無法開啟資料庫檔案或其暫存檔：資料夾可能是唯讀、已不存在或沒有權限"),
    ("disk i/o error", "磁碟讀寫錯誤（磁碟、隨身碟或網路連線可能有問題）。資料維持原狀；請檢查磁碟後再試"),
    ("database disk image is malformed", "資料庫檔案已損壞。請用「檔案 → 從備份還原」還原最近一次完好的備份"),
    ("file is not a database", "檔案不是資料庫或已損壞。請用「檔案 → 從備份還原」還原最近一次完好的備份"),
    ("database is locked", "資料庫正被另一個程式寫入，等候逾時。請稍後再試"),
)

_OS_MESSAGES = {
    errno.ENOSPC: "磁碟空間不足",
    errno.EROFS: "磁碟或資料夾是唯讀的",
    errno.EACCES: "沒有權限",
    errno.EPERM: "沒有權限",
    errno.EFBIG: "檔案超過磁碟允許的大小",
    errno.EIO: "磁碟讀寫錯誤",
}


def describe_storage_error(exc: BaseException) -> str | None:
    """A zh-TW sentence for a SQLite / OS failure of the storage, or None when it is something else
    (a constraint violation, a programming error) that callers should let through."""
    if isinstance(exc, OSError) and exc.errno in _OS_MESSAGES:
        return _OS_MESSAGES[exc.errno]
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "constraint failed" in text:
        return None
    for needle, message in _SQLITE_MESSAGES:
        if needle in text:
            return message
    return None


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
    if not path.is_file():
        raise DatabaseFileError(
            f"「{path}」不是一般檔案（例如裝置或管線），不能當作資料庫。請指定資料庫檔案（.sqlite3）。"
        )
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


def _make_engine(path: Path, *, read_only: bool, journal_mode: str, immutable: bool = False) -> Engine:
    if immutable:
        # a folder where SQLite cannot create its -shm file: a WAL database can only be read as
        # "immutable" there (nobody can write in that folder through this program anyway)
        uri = path.as_uri() + "?mode=ro&immutable=1"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    else:
        engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            cursor.execute(f"PRAGMA journal_mode={journal_mode}")
            cursor.execute("PRAGMA synchronous=NORMAL" if journal_mode == "WAL" else "PRAGMA synchronous=FULL")
        else:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    return engine


def folder_writable(path: Path) -> bool:
    """Can files be created beside ``path`` (SQLite's journal, -wal and -shm; our lock)?"""
    return os.access(Path(path).parent, os.W_OK)


def _writable(path: Path) -> tuple[bool, str]:
    """Can this process write the file and create files beside it (journal, lock)? (ok, why not)."""
    try:
        with path.open("r+b"):
            pass
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return False, (
                f"資料庫檔案「{path}」是唯讀的（檔案屬性、權限或唯讀磁碟），本視窗只能檢視，不能修改。"
                "若要修改，請取消檔案的唯讀屬性或複製到可寫入的資料夾後再開啟。"
            )
        raise
    if not folder_writable(path):
        return False, (
            f"資料庫所在的資料夾「{path.parent}」是唯讀的（或沒有寫入權限），本視窗只能檢視，不能修改。"
            "請把資料庫移到可寫入的資料夾（例如使用者資料夾）後再開啟。"
        )
    return True, ""


class Database:
    """An opened database file.

    Args:
        path: the SQLite file (created if missing).
        exclusive: take the instance lock; when another process holds it the database opens
            read-only (``read_only`` is then True and writes raise :class:`ReadOnlyError`).
        damaged: why the file failed its integrity check at open; the database is then read-only
            and writes raise :class:`DamagedDatabaseError` with this message.

    Attributes:
        read_only_reason: why writes are refused (None when they are not).
        network: where the file lives (:class:`~desktop_app.storage.netpath.Location`); on a
            network folder the journal is ``DELETE`` rather than ``WAL``.
        warnings: things the user should be told after opening (e.g. the start-up backup failed).
    """

    def __init__(self, path: Path | str, *, exclusive: bool = True, damaged: str | None = None) -> None:
        from desktop_app.storage.netpath import database_location

        self.path = Path(path).resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.damaged = damaged
        self.warnings: list[str] = []
        self.open_check: CheckResult | None = None  # set by open_database
        self.location = database_location(self.path)
        self.journal_mode = "DELETE" if self.location.network else "WAL"
        self._lock = InstanceLock(self.path)
        self.read_only_reason: str | None = None
        writable, why = _writable(self.path)
        if not writable:
            self.read_only_reason = why
        else:
            try:
                locked = not exclusive or self._lock.acquire()
            except OSError as exc:  # the lock file cannot be created (read-only share, no permission)
                locked = False
                why = (
                    f"無法在資料庫所在的資料夾「{self.path.parent}」建立鎖定檔（{exc.strerror}），"
                    "本視窗只能檢視，不能修改。請確認該資料夾可寫入。"
                )
            else:
                why = "" if locked else str(ReadOnlyError(self.path))
            if not locked:
                self.read_only_reason = why
        if damaged and self.read_only_reason is None:
            self.read_only_reason = damaged
        self.read_only = self.read_only_reason is not None
        self.engine = _make_engine(
            self.path,
            read_only=self.read_only,
            journal_mode=self.journal_mode,
            immutable=self.read_only and not folder_writable(self.path),
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @property
    def lock_held(self) -> bool:
        """This process holds the instance lock (may restore even when the file is damaged)."""
        return self._lock.held

    def _refuse(self) -> ReadOnlyError:
        if self.damaged:
            return DamagedDatabaseError(self.path, self.damaged)
        return ReadOnlyError(self.path, self.read_only_reason)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception.

        SQLite/OS failures (disk full, read-only file, I/O error) become :class:`StorageError`
        with a zh-TW message; nothing of the unit of work is kept.
        """
        if self.read_only:
            raise self._refuse()
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (SQLAlchemyError, OSError) as exc:
            message = describe_storage_error(exc)
            if message is None:
                raise
            log.error("write failed on %s: %s", self.path, exc)
            raise StorageError(f"{message}。（資料庫：{self.path}）") from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing is committed."""
        try:
            with self._sessions() as session:
                yield session
                session.rollback()
        except (SQLAlchemyError, OSError) as exc:
            message = describe_storage_error(exc)
            if message is None:
                raise
            log.error("read failed on %s: %s", self.path, exc)
            raise StorageError(f"{message}。（資料庫：{self.path}）") from exc

    def close(self) -> None:
        self.engine.dispose()
        self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
