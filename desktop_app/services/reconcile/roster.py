"""收訖對照: reading the final 修課紀錄/成績名冊 (no database here: the CLI starts parsing the rosters
while it imports SQLAlchemy and opens the database).

The rosters are read with the shared readers (``desktop_app.readers``), never written; the SHA-256
is taken before and after reading and a file that changed meanwhile is refused. The columns come
from this feature's own small table (``domain/reconcile.py``: ``ROSTER_SHEETS``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.domain.reconcile import (
    COVER_SHEET,
    NOT_SUBMITTED_SUFFIX,
    SKIPPED_SHEETS,
    CodeIndex,
    RosterCourse,
    sheet_columns,
)
from desktop_app.domain.reconcile_result import RosterFile
from desktop_app.readers import ReaderError, SheetSource, normalize_header, open_workbook
from desktop_app.services.reconcile.sheet import RosterFileError, plain_text, sheet_rows


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_cover(rows: Iterator[list[object]]) -> dict[str, str]:
    head = next(rows, None)
    values = next(rows, None)
    if not head or not values:
        return {}
    return {normalize_header(h): plain_text(v) for h, v in zip(head, values, strict=False) if h}


def _int_or_none(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


@dataclass
class ParsedRoster:
    """A roster opened and its sheets parsed (in a thread while the batch is loaded from the database:
    calamine's parse releases the GIL, the xlsx guard's scan before it does not)."""

    path: Path
    size: int
    sha256: str
    cover: dict[str, str]
    names: list[str]
    sheets: dict[str, SheetSource]  # data sheets to compare
    skipped: dict[str, int]


def _parse_roster(path: Path, opened: threading.Event | None = None) -> ParsedRoster:
    try:
        return _parse_opened(path, opened)
    finally:
        if opened is not None:
            opened.set()  # also when the file could not be opened


def _parse_opened(path: Path, opened: threading.Event | None) -> ParsedRoster:
    if path.is_dir():
        raise RosterFileError(f"「{path}」是資料夾，不是名冊檔案。請選擇修課紀錄／成績名冊（xlsx）。")
    if not path.is_file():
        raise RosterFileError(f"找不到名冊檔案「{path}」。")
    before = file_sha256(path)
    size = path.stat().st_size
    try:
        source = open_workbook(path)  # the xlsx guard's scan (holds the GIL)
        if opened is not None:
            opened.set()  # from here on calamine parses, without the GIL
        cover: dict[str, str] = {}
        sheets: dict[str, SheetSource] = {}
        skipped: dict[str, int] = {}
        for sheet_name in source.sheet_names:
            plain = normalize_header(sheet_name)
            if plain == COVER_SHEET:
                cover = _read_cover(source.sheet(sheet_name).iter_rows())
            elif plain.endswith(NOT_SUBMITTED_SUFFIX) or plain in SKIPPED_SHEETS:
                rows = source.sheet(sheet_name).iter_rows()
                filled = sum(1 for row in rows if any(c not in ("", None) for c in row))
                skipped[sheet_name] = max(0, filled - 1)  # less the header row
            elif sheet_columns(sheet_name) is not None:
                sheets[sheet_name] = source.sheet(sheet_name)
    except ReaderError as exc:
        raise RosterFileError(exc.message) from None
    if not sheets:
        shown = "、".join(source.sheet_names) or "（無）"
        raise RosterFileError(
            f"「{path.name}」不是修課紀錄／成績名冊：找不到「學期成績」「補修成績」「轉學轉科成績」「重修成績」"
            f"「重讀成績」任一工作表（檔案的工作表：{shown}）。"
        )
    return ParsedRoster(path, size, before, cover, list(source.sheet_names), sheets, skipped)


def read_roster(
    path: Path | str,
    *,
    year: int | None = None,
    term: int | None = None,
    wanted: set[str] | None = None,
    parsed: ParsedRoster | None = None,
    index: CodeIndex | None = None,
) -> RosterFile:
    """Read a final 修課紀錄/成績名冊 (日間 or 進修部; 學期成績, 補修, 轉學轉科, 重修, 重讀 sheets).

    ``year``/``term`` stand in for a roster without a 封面. With ``wanted`` (national ids), rows of
    other students are only counted (``RosterFile.others``). With ``index`` the first matching pass
    runs while reading: ``RosterFile.rows`` then holds only the rows left unpaired (or paired with a
    difference, recorded in the index). Raises :class:`RosterFileError`.
    """
    path = Path(path)
    if parsed is None:
        parsed = _parse_roster(path)
    cover = parsed.cover
    cover_year = _int_or_none(cover.get("學年度", ""))
    cover_term = _int_or_none(cover.get("學期", ""))
    use_year = str(cover_year or year or "")
    use_term = str(cover_term or term or "")
    terms: set[tuple[str, str]] = {(use_year, use_term)} if use_year and use_term else set()
    sheets = _read_sheets(path, parsed, use_year, use_term, wanted, index, terms)
    if file_sha256(path) != parsed.sha256:
        raise RosterFileError(
            f"「{path.name}」在讀取期間被修改（SHA-256 前後不同），未對照。請關閉編輯中的程式後再試。"
        )
    return RosterFile(
        path,
        parsed.size,
        parsed.sha256,
        "continuing" if sheets.continuing or cover.get("名冊別", "") == "42" else "day",
        cover.get("學校代碼", ""),
        cover_year,
        cover_term,
        sheets.read,
        parsed.skipped,
        sheets.not_submitted,
        tuple(sheets.rows),
        {nid: (count, first) for nid, (count, first) in sheets.others.items()},
        terms,
    )


@dataclass
class _SheetsRead:
    """What the data sheets of one roster gave (see :func:`_read_sheets`)."""

    rows: list[RosterCourse] = field(default_factory=list)
    others: dict[str, list[Any]] = field(default_factory=dict)  # national id → [rows, first row]
    read: dict[str, int] = field(default_factory=dict)  # sheet → data rows read
    not_submitted: int = 0
    continuing: bool = False  # a sheet has the 進修部 columns (修課節數)


def _read_sheets(
    path: Path,
    parsed: ParsedRoster,
    year: str,
    term: str,
    wanted: set[str] | None,
    index: CodeIndex | None,
    terms: set[tuple[str, str]],
) -> _SheetsRead:
    out = _SheetsRead()
    try:
        for sheet_name, source in parsed.sheets.items():
            cols = sheet_columns(sheet_name)
            assert cols is not None
            got, is_continuing, dropped, read = sheet_rows(
                path, sheet_name, source.iter_rows(), cols, year, term, wanted, out.others, index, terms
            )
            out.continuing = out.continuing or is_continuing
            out.rows.extend(got)
            out.read[sheet_name] = read
            out.not_submitted += dropped
    except ReaderError as exc:
        raise RosterFileError(exc.message) from None
    return out


class Prefetched(list[Future[ParsedRoster]]):
    """The rosters' futures (:func:`reconcile` takes them), and when their files are open."""

    def __init__(self, futures: list[Future[ParsedRoster]], opened: list[threading.Event]) -> None:
        super().__init__(futures)
        self.opened = opened

    def wait_opened(self, timeout: float = 10.0) -> None:
        """Wait until the first rosters' files are open: the xlsx guard has scanned them.

        The guard holds the GIL; importing SQLAlchemy meanwhile slows both (measured: the guard
        0.3 → 0.77 s on a 150,000-row roster). Once calamine parses (without the GIL) the imports
        and the batch query overlap the parse instead.
        """
        for event in self.opened[:_WORKERS]:
            event.wait(timeout)


_WORKERS = 2


def prefetch_rosters(paths: list[Path | str]) -> Prefetched:
    """Start opening and parsing the rosters in worker threads; :func:`reconcile` takes the futures."""
    pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="roster")
    opened = [threading.Event() for _ in paths]
    futures = [pool.submit(_parse_roster, Path(p), event) for p, event in zip(paths, opened, strict=True)]
    pool.shutdown(wait=False)  # the threads end when their rosters are parsed
    return Prefetched(futures, opened)


__all__ = ["ParsedRoster", "Prefetched", "RosterFileError", "file_sha256", "prefetch_rosters", "read_roster"]
