"""Logging: a size-capped rotating file in the data folder, with ID-shaped strings masked.

``setup_logging()`` is called first thing by ``desktop-app`` (window and command line). Every
unexpected exception is written with its traceback (:func:`log_exception`): the GUI's excepthook,
the worker thread, Python threads and the command line all go through it. Personal data: records
pass :class:`MaskIdsFilter`, which masks anything shaped like a 身分證號 / 居留證號 (``A123456789`` →
``A12345****``) — including inside tracebacks; services log counts and record ids, never names.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

LOGGER_NAME = "desktop_app"
LOG_DIR_NAME = "logs"
LOG_FILE_NAME = "desktop-app.log"
MAX_BYTES = 1_000_000  # about 5,000 lines; 5 old files kept: at most 6 MB
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

# national ID (A123456789), old and new resident certificate numbers (AB12345678, A812345678);
# not inside a longer run of letters/digits (a SHA-256 or a course code is left alone)
ID_SHAPED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][1289A-Da-d])(\d{4})(\d{4})(?![A-Za-z0-9])")


def mask_ids(text: str) -> str:
    """``A123456789`` → ``A12345****`` wherever an ID-shaped string appears."""
    return ID_SHAPED.sub(lambda m: f"{m.group(1)}{m.group(2)}****", text)


class MaskIdsFilter(logging.Filter):
    """Masks ID-shaped strings in the message, its arguments and the formatted traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: log it as it is rather than lose the record
            message = str(record.msg)
        record.msg = mask_ids(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_ids(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_ids(record.stack_info)
        return True


def log_dir() -> Path:
    from desktop_app.config import data_dir

    return data_dir() / LOG_DIR_NAME


def log_path() -> Path:
    """The current log file."""
    return log_dir() / LOG_FILE_NAME


_handler: logging.Handler | None = None


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens (after each rotation too) is readable by this user only (POSIX)."""

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        from desktop_app.config import make_private

        make_private(Path(self.baseFilename))
        return stream


def setup_logging(
    folder: Path | None = None, *, max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT
) -> Path | None:
    """Attach the rotating file to the ``desktop_app`` logger (once; again with ``folder`` re-points it).

    Returns the log file, or None when no log can be written (a read-only data folder): the
    program still runs.
    """
    global _handler
    from desktop_app.config import make_private

    logger = logging.getLogger(LOGGER_NAME)
    folder = folder or log_dir()
    target = folder / LOG_FILE_NAME
    if _handler is not None:
        if getattr(_handler, "baseFilename", None) == str(target.resolve()):
            return target
        logger.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        make_private(folder)
        handler = _PrivateRotatingFileHandler(
            target, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    except OSError:
        logger.addHandler(logging.NullHandler())  # no "no handlers" noise on stderr
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskIdsFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    _handler = handler
    threading.excepthook = _thread_excepthook
    return target


def shutdown_logging() -> None:
    """Detach the log file (tests; the next :func:`setup_logging` starts afresh)."""
    global _handler
    logger = logging.getLogger(LOGGER_NAME)
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
        _handler = None
    logger.propagate = True


def current_log_path() -> Path | None:
    """The file being written (None before :func:`setup_logging` or when it failed)."""
    name = getattr(_handler, "baseFilename", None)
    return Path(name) if name else None


def log_exception(
    message: str,
    exc: BaseException,
    tb: TracebackType | None = None,
) -> None:
    """Write an unexpected exception with its traceback (sets up the log file if needed)."""
    if _handler is None:
        setup_logging()
    logging.getLogger(LOGGER_NAME).error(message, exc_info=(type(exc), exc, tb or exc.__traceback__))


def format_details(exc: BaseException, tb: TracebackType | None = None) -> str:
    """The text 複製詳細資料 copies: versions, the log file and the traceback (IDs masked)."""
    import platform
    import traceback

    from desktop_app import __version__

    lines = [
        f"版本 {__version__}；Python {platform.python_version()}；{platform.platform()}",
        f"記錄檔：{current_log_path() or log_path()}",
        "",
        *traceback.format_exception(type(exc), exc, tb or exc.__traceback__),
    ]
    return mask_ids("\n".join(line.rstrip("\n") for line in lines))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        name = args.thread.name if args.thread else "?"
        log_exception(f"unexpected error in thread {name}", args.exc_value, args.exc_traceback)
