"""收訖對照: reading the final 修課紀錄/成績名冊 (no database here: the CLI starts parsing the rosters
while it imports SQLAlchemy and opens the database).

The rosters are read with the shared readers (``desktop_app.readers``), never written; the SHA-256
is taken before and after reading and a file that changed meanwhile is refused. The columns come
from this feature's own small table (``domain/reconcile.py``: ``ROSTER_SHEETS``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from desktop_app.domain.national_id import normalize_id
from desktop_app.domain.reconcile import (
    COVER_SHEET,
    NOT_SUBMITTED_SUFFIX,
    SKIPPED_SHEETS,
    CodeIndex,
    RosterCourse,
    SheetColumns,
    compare_values,
    sheet_columns,
)
from desktop_app.domain.roc_date import Term
from desktop_app.readers import ReaderError, SheetSource, cell_text, normalize_header, open_workbook
from desktop_app.services import ServiceError

DIVISION_LABELS = {"day": "日間", "continuing": "進修部", "": "未標示"}


class RosterFileError(ServiceError):
    """A roster that cannot be read or is not a 修課紀錄/成績名冊 (CLI exit status 2)."""


# -- reading a roster -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterFile:
    path: Path
    size: int
    sha256: str
    division: str  # "day" | "continuing" | "" (not told by cover or columns)
    school_code: str
    year: int | None  # from the 封面
    term: int | None
    sheets: dict[str, int]  # sheet → data rows read
    skipped: dict[str, int]  # sheet → rows not compared ((缺) sheets, 進修部 補考成績)
    not_submitted: int  # rows of 課程類別 8/9 codes (not submitted, except 科目屬性 D)
    rows: tuple[RosterCourse, ...] = field(repr=False)
    # students not in the batch: national id → (rows, first row); they can only be 名冊有、無收訖
    others: dict[str, tuple[int, RosterCourse]] = field(default_factory=dict, repr=False)
    terms: set[tuple[str, str]] = field(default_factory=set)  # (學年度, 學期) of the rows read

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def term_title(self) -> str:
        if self.year and self.term:
            return Term(self.year, self.term).title
        return "（封面無學年度學期）"

    def info(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": str(self.path.resolve()),
            "size": self.size,
            "sha256": self.sha256,
            "division": self.division,
            "year": self.year,
            "term": self.term,
            "sheets": self.sheets,
            "skipped": self.skipped,
            "not_submitted": self.not_submitted,
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plain_text(value: object) -> str:
    return value.strip() if value.__class__ is str else cell_text(value).strip()  # type: ignore[union-attr]


def _first(index: dict[str, int], names: tuple[str, ...]) -> int | None:
    for name in names:
        i = index.get(normalize_header(name))
        if i is not None:
            return i
    return None


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
    """A roster opened and its sheets parsed (in a thread while the batch is loaded from the database;
    python-calamine holds the GIL for most of the parse, so the two overlap little)."""

    path: Path
    size: int
    sha256: str
    cover: dict[str, str]
    names: list[str]
    sheets: dict[str, SheetSource]  # data sheets to compare
    skipped: dict[str, int]


def _parse_roster(path: Path) -> ParsedRoster:
    if path.is_dir():
        raise RosterFileError(f"「{path}」是資料夾，不是名冊檔案。請選擇修課紀錄／成績名冊（xlsx）。")
    if not path.is_file():
        raise RosterFileError(f"找不到名冊檔案「{path}」。")
    before = file_sha256(path)
    size = path.stat().st_size
    try:
        source = open_workbook(path)
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


def _sheet_rows(
    path: Path,
    sheet: str,
    rows: Iterator[list[object]],
    cols: SheetColumns,
    year: str,
    term: str,
    wanted: set[str] | None,
    others: dict[str, list],  # type: ignore[type-arg]
    index: CodeIndex | None = None,
    terms: set[tuple[str, str]] | None = None,
) -> tuple[list[RosterCourse], bool, int, int]:
    """(rows, continuing?, not-submitted count, rows read) of one data sheet; the header is found in
    its first 10 rows. Rows of students not in ``wanted`` are only counted into ``others``
    (national id → [rows, first row]): a roster student with no receipt needs no more."""
    header: list[object] | None = None
    header_row = 0
    for n, row in enumerate(rows, start=1):
        names = {normalize_header(c) for c in row if isinstance(c, str)}
        if normalize_header(cols.national_id[0]) in names and (
            normalize_header(cols.code[0]) in names or normalize_header(cols.title[0]) in names
        ):
            header, header_row = row, n
            break
        if n >= 10:
            break
    if header is None:
        raise RosterFileError(
            f"「{path.name}」工作表「{sheet}」前 10 列找不到標題列（應有「{cols.national_id[0]}」與"
            f"「{cols.code[0]}」欄）。請確認這是修課紀錄／成績名冊。"
        )
    header_at = {normalize_header(h): i for i, h in enumerate(header) if isinstance(h, str) and h.strip()}
    continuing = normalize_header("修課節數") in header_at or normalize_header("原修課修課節數") in header_at
    fixed = [
        _first(header_at, names)
        for names in (
            cols.national_id,
            cols.code,
            cols.title,
            cols.credits,
            cols.name,
            cols.class_name,
            cols.seat,
            cols.year or ("\0",),
            cols.term or ("\0",),
        )
    ]
    score_at = [i for i in (_first(header_at, (s,)) for s in cols.scores) if i is not None]
    # absent columns read an extra blank cell appended to short rows only; a full row gets one too
    width = len(header)
    blank = width
    own_year = fixed[7] is not None
    if fixed[7] is None and fixed[8] is None:
        # a sheet without its own 學年度/學期 (學期成績): those two are never read, and must not make
        # every row be copied with a blank cell appended (the fast paths below need no copy)
        fixed[7] = fixed[8] = fixed[0]
    positions = [blank if i is None else i for i in fixed] + score_at
    get = itemgetter(*positions)
    out: list[RosterCourse] = []
    append = out.append
    not_submitted = 0
    blanks = 0
    n = header_row
    name = path.name
    need_pad = blank in positions
    i_id, i_code = positions[0], positions[1]
    if terms is None:
        terms = set()
    by_key = index.by_key if index is not None else None
    taken_add = index.taken.add if index is not None else None
    student_add = index.roster_students.add if index is not None else None
    fast_pairs = by_key is not None and not own_year and not need_pad
    i_title, i_credits = positions[2], positions[3]
    if len(score_at) > 1:
        scores_of = itemgetter(*score_at)
    else:
        scores_of = (lambda r, i=score_at[0]: (r[i],)) if score_at else (lambda r: ())
    for n, row in enumerate(rows, start=header_row + 1):
        if wanted is not None and not need_pad and len(row) >= width:
            # a student not in the batch (the most rows when the roster is the whole school's) is
            # only counted: no row object, the code checked as the file has it
            nid = row[i_id]
            if (
                nid.__class__ is str
                and nid not in wanted
                and len(nid) == 10
                and nid.isascii()
                and nid.isupper()
            ):
                code = row[i_code]
                if code.__class__ is str and len(code) == 23 and code[16] in "89" and code[18] not in "Dd":
                    not_submitted += 1
                    continue
                seen = others.get(nid)
                if seen is not None:
                    seen[0] += 1
                    continue
            elif fast_pairs and nid.__class__ is str:
                # a batch student's row as a school writer leaves it (ID and code canonical, the
                # 學期 the roster's own): paired here when nothing differs; anything else falls
                # through to the general path below, which gives the same result
                code = row[i_code]
                title = row[i_title]
                if (
                    code.__class__ is str
                    and title.__class__ is str
                    and len(code) == 23
                    and code.isupper()
                    and code.isalnum()
                    and not (code[16] in "89" and code[18] != "D")
                ):
                    bucket = by_key.get((nid, code, year, term))  # type: ignore[union-attr]
                    if bucket:
                        item = bucket[0]
                        if not compare_values(item, title, row[i_credits], scores_of(row), True):
                            del bucket[0]
                            student_add(nid)  # type: ignore[misc]
                            taken_add(item.item_id)  # type: ignore[misc]
                            continue
        if need_pad:
            row = [*row[:width], *([""] * (width + 1 - min(len(row), width)))]
        elif len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        v = get(row)
        nid = v[0]
        # the hot loop (150,000 rows): checks inlined, the common case first
        if nid.__class__ is not str or len(nid) != 10 or not (nid.isascii() and nid.isupper()):
            nid = normalize_id(cell_text(nid))
            if not nid:
                blanks += 1
                continue
        code = v[1]
        code = code.strip().upper() if code.__class__ is str else cell_text(code).strip().upper()
        if len(code) == 23 and code[16] in "89" and code[18] != "D":  # is_submitted_code, inlined
            not_submitted += 1
            continue
        other = wanted is not None and nid not in wanted  # type: ignore[operator]
        if other:
            seen = others.get(nid)
            if seen is not None:
                seen[0] += 1
                continue
        title = v[2] if v[2].__class__ is str else cell_text(v[2])
        row_year = plain_text(v[7]) if own_year else year
        row_term = plain_text(v[8]) if own_year else term
        if own_year:
            terms.add((row_year, row_term))
        if by_key is not None and not other:
            # the first matching pass while reading: a paired row needs no object unless it differs
            student_add(nid)
            bucket = by_key.get((nid, code, row_year, row_term))
            if bucket:
                item = bucket.pop(0)
                fields = compare_values(item, title, v[3], v[9:], True)
                if not fields:
                    taken_add(item.item_id)
                    continue
                course = RosterCourse(
                    nid, code, title, row_year, row_term, v[3], v[9:], name, sheet, n, v[4], v[5], v[6]
                )
                index.paired(course, item, fields)  # type: ignore[union-attr]
                continue
        course = RosterCourse(
            nid, code, title, row_year, row_term, v[3], v[9:], name, sheet, n, v[4], v[5], v[6]
        )
        if other:
            others[nid] = [1, course]
        else:
            append(course)
    return out, continuing, not_submitted, n - header_row - blanks


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
    roster_no = cover.get("名冊別", "")
    use_year = str(cover_year or year or "")
    use_term = str(cover_term or term or "")
    rows: list[RosterCourse] = []
    others: dict[str, list] = {}  # type: ignore[type-arg]
    terms: set[tuple[str, str]] = {(use_year, use_term)} if use_year and use_term else set()
    sheets: dict[str, int] = {}
    not_submitted = 0
    continuing = roster_no == "42"
    try:
        for sheet_name, source in parsed.sheets.items():
            cols = sheet_columns(sheet_name)
            assert cols is not None
            got, is_continuing, dropped, read = _sheet_rows(
                path, sheet_name, source.iter_rows(), cols, use_year, use_term, wanted, others, index, terms
            )
            continuing = continuing or is_continuing
            rows.extend(got)
            sheets[sheet_name] = read
            not_submitted += dropped
    except ReaderError as exc:
        raise RosterFileError(exc.message) from None
    if file_sha256(path) != parsed.sha256:
        raise RosterFileError(
            f"「{path.name}」在讀取期間被修改（SHA-256 前後不同），未對照。請關閉編輯中的程式後再試。"
        )
    return RosterFile(
        path,
        parsed.size,
        parsed.sha256,
        "continuing" if continuing else "day",
        cover.get("學校代碼", ""),
        cover_year,
        cover_term,
        sheets,
        parsed.skipped,
        not_submitted,
        tuple(rows),
        {nid: (count, first) for nid, (count, first) in others.items()},
        terms,
    )


def prefetch_rosters(paths: list[Path | str]) -> list[Future[ParsedRoster]]:
    """Start opening and parsing the rosters in worker threads; :func:`reconcile` takes the futures."""
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="roster")
    futures = [pool.submit(_parse_roster, Path(p)) for p in paths]
    pool.shutdown(wait=False)  # the threads end when their rosters are parsed
    return futures
