"""Command-line sub-commands, one module per feature, each with ``register(sub, common)``.

A handler takes the parsed ``argparse.Namespace`` and returns the exit status.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.config import default_db_path

if TYPE_CHECKING:  # pragma: no cover
    from desktop_app.storage.db import Database

FEATURE_MODULES = ("group", "precheck", "receipts", "calendar", "selfcheck", "passmarks", "profile", "db")


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Run a batch command without the cyclic garbage collector, then restore it.

    The pre-check and 收訖對照 commands build ~150,000–300,000 small objects (row lists, the rules'
    caches) that live until the command ends: the collector's passes over them cost 0.1–0.2 s and
    find nothing (bench/precheck_bench.py, bench/reconcile_bench.py; peak memory unchanged).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def open_db(args: argparse.Namespace) -> Database:
    """The database named by ``--db`` (default: the user's data folder), migrated to head.

    The CLI backs up only when a migration is needed (the GUI backs up at every start). A
    ``--db`` file that does not exist is an error (``desktop-app db create PATH`` makes one); only
    the standard database in the user's data folder is created on first use. A damaged database
    opens read-only: reads work, with a warning; writes are refused (exit 2).
    """
    # imported here, not at module level: SQLAlchemy + Alembic cost ~0.3 s of start-up that a
    # command which needs no database (``precheck`` without ``--db``) should not pay
    from desktop_app.config import standard_db_path
    from desktop_app.storage.migrate import open_database

    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    create = not getattr(args, "db", None) and path == standard_db_path()
    db = open_database(path, backup=None, create=create)
    if db.damaged:
        print(f"警告：{db.damaged}", file=sys.stderr)
    return db


def school_year(text: str) -> int:
    """An argparse type: a 學年度 in ROC years within the plausible range (民國 100 to this year + 1)."""
    from desktop_app.domain.hygiene import school_year_range

    low, high = school_year_range()
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        hint = "（這是西元年？）" if value.isdigit() and int(value) > 1911 else ""
        raise argparse.ArgumentTypeError(
            f"學年度須為民國年 {low}–{high}（例如 {high - 1}），收到「{text}」{hint}"
        )
    return int(value)


TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true", b"ttcf")


def font_file(text: str) -> str:
    """An argparse type: an existing TrueType font file (.ttf, or a .ttc collection)."""
    path = Path(text)
    if not path.is_file():
        what = "是資料夾" if path.is_dir() else "不存在"
        raise argparse.ArgumentTypeError(f"字型檔「{text}」{what}；請指定 TrueType 字型檔（.ttf 或 .ttc）")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"無法讀取字型檔「{text}」：{exc.strerror or exc}") from None
    if head == b"OTTO":
        raise argparse.ArgumentTypeError(
            f"「{text}」是 OpenType/CFF 字型（.otf），無法嵌入 PDF；請改用 TrueType 字型檔（.ttf 或 .ttc）"
        )
    if head not in TRUETYPE_MAGIC:
        raise argparse.ArgumentTypeError(f"「{text}」不是 TrueType 字型檔（.ttf 或 .ttc）")
    return str(path)


def write_json(path: str | Path, data: Any) -> None:
    """``--json`` output, under the one target rule of every export (a folder, or a folder that
    does not exist, is refused in zh-TW: exit 2)."""
    from desktop_app.targets import check_target

    path = check_target(path, "JSON 檔", ".json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def fail(message: str, status: int = 2) -> int:
    print(message, file=sys.stderr)
    return status
