"""The one-pass roster pre-check: ``check_roster(path, plan, options, progress) -> PrecheckResult``.

Every code of ``shared/spec/precheck-rules.md`` is implemented here. Speed: rows are streamed from
the reader (no copy of the sheet), the columns a rule reads are pulled with one ``itemgetter`` call,
and everything that depends only on a few cell values (the ID, the birth date, the course code with
its subject/grade/credits, the grade fields, the free-text columns) is computed once per distinct
value combination and cached, so a 150,000-row roster costs little more than reading it.

Decisions where the spec leaves room (also in the README section):

- Sheets: the data sheets are the ones named 學期成績 / 補修成績 / 轉學轉科成績 and their ``(缺)``
  forms (NFKC, so ``（缺）`` matches). A file without such sheets (a CSV, a renamed sheet) is checked
  as the sheet its columns describe (對應年級 → 轉學轉科成績, 應修課學期/補修及格 → 補修成績, else
  學期成績); a CSV is named after its file when the file is named like a data sheet.
- Grade columns per sheet: 學期成績 reads 學期學業成績/成績及格, 補修成績 reads 補修成績/補修及格,
  轉學轉科成績 reads 抵免後成績/成績及格 (and has no 補考 columns); R13–R16 use them.
- R05 also stops R06/R07 on that row (one root cause); a row of a ``(缺)`` sheet is one R05.
- R19 compares rows across all sheets of the file (the first valid row of an ID is the reference).
- O01: the grades "that have rows" are the 開課年級 (對應年級) values of every data sheet, and a
  due code is present when any sheet has a row with it (the spec's words, taken literally).
- A cell of spaces only is empty (no W01); calamine drops such cells from xlsx anyway.
- Kind without a 封面 名冊別 or --kind: 預檢 and final rosters have the same columns, so the kind is
  what most of the first rows carry (a 預檢 roster with a few stray grades stays 預檢: R13 there).
- F04 also when the 封面 名冊別 (41 日間 / 42 進修部) does not fit the sheet's columns (修課學分 vs
  修課節數, 是否採計學分 vs 是否採計學時), once per file.
- O01 lists the 部定必修 gaps first ("the most suspicious"), then by code.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.domain.national_id import LETTER_VALUES, mask_id
from desktop_app.domain.precheck.model import (
    CheckOptions,
    Division,
    Finding,
    OfferingGap,
    Pattern,
    PrecheckResult,
    PuaNote,
    RosterKind,
)
from desktop_app.domain.precheck.plan import CoursePlan, course_attributes
from desktop_app.domain.precheck.rules import (
    DIVISION_ZH,
    KIND_ZH,
    OTHER_ROSTER_TYPES,
    P01_ADVICE,
    P01_MIN_ROWS,
    P01_RULES,
    ROSTER_TYPES,
    RULES,
    category_name,
    credit_value,
)
from desktop_app.readers import ReaderError, SheetSource, WorkbookSource, normalize_header, open_workbook

if TYPE_CHECKING:  # the domain does not import services at run time
    from desktop_app.services.progress import ProgressFn

CODE_RE = re.compile(r"^[0-9A-Z]{23}$")
PROGRESS_EVERY = 8192
HEADER_SCAN_ROWS = 30
KIND_PEEK_ROWS = 500
COVER_SHEET = "封面"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

# sheet base name → sheet type
SHEET_TYPES = {"學期成績": "semester", "補修成績": "retake", "轉學轉科成績": "transfer"}
MISSING_SUFFIX = "(缺)"

# role → accepted header names (normalised with normalize_header)
COMMON_ROLES: dict[str, tuple[str, ...]] = {
    "id": ("身分證號", "身份證號", "身分證統一編號"),
    "birth": ("出生日期",),
    "code": ("課程代碼",),
    "subject": ("科目名稱",),
    "credits": ("修課學分", "修課節數"),
    "counts": ("是否採計學分", "是否採計學時"),
    "makeup": ("補考成績",),
    "makeup_pass": ("補考及格",),
    "st_name": ("備註(學生姓名)", "學生姓名", "姓名"),
    "st_class": ("備註(資料當學期班級)", "班級"),
    "st_seat": ("備註(資料當學期座號)", "座號"),
}
TYPE_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "semester": {"grade": ("開課年級",), "score": ("學期學業成績",), "passed": ("成績及格",)},
    "retake": {
        "grade": ("開課年級",),
        "term": ("應修課學期",),
        "score": ("補修成績",),
        "passed": ("補修及格",),
    },
    "transfer": {
        "grade": ("對應年級", "開課年級"),
        "term": ("對應學期",),
        "score": ("抵免後成績",),
        "passed": ("成績及格",),
    },
}
# numeric columns that no rule reads but W01 still cleans
EXTRA_NUMERIC = (
    "應修課學年度",
    "對應學年度",
    "補修方式",
    "身分別",
    "學年學業成績",
    "學年及格",
    "第一學期開設修課節數",
    "第二學期開設修課節數",
)
ROLE_TITLES = {
    "id": "身分證號",
    "birth": "出生日期",
    "code": "課程代碼",
    "subject": "科目名稱",
    "grade": "開課年級",
    "credits": "修課學分",
    "term": "學期",
    "score": "學期學業成績",
    "passed": "成績及格",
    "makeup": "補考成績",
    "makeup_pass": "補考及格",
    "counts": "是否採計學分",
}
CORE_REQUIRED = ("id", "birth", "code", "subject", "grade", "credits")
FINAL_REQUIRED = {
    "semester": ("score", "passed", "makeup", "makeup_pass", "counts"),
    "retake": ("score", "passed", "makeup", "makeup_pass", "counts"),
    "transfer": ("score", "passed", "counts"),
}
GRADE_ROLES = ("score", "passed", "makeup", "makeup_pass")
NUMERIC_ROLES = frozenset({"grade", "credits", "term", "score", "passed", "makeup", "makeup_pass", "counts"})
STRICT_ROLES = NUMERIC_ROLES | {"id", "birth", "code"}  # full-width / lower case here is W01
ALL_KNOWN_HEADERS = frozenset(
    normalize_header(n)
    for names in [*COMMON_ROLES.values(), *(n for t in TYPE_ROLES.values() for n in t.values())]
    for n in names
) | frozenset(normalize_header(n) for n in EXTRA_NUMERIC)
COVER_HEADERS = ("學校代碼", "學年度", "學期", "名冊別")
NONE_VALUES = frozenset({"", "-1"})
_WS = frozenset(" \t\r\n\u3000\xa0\u2002\u2003\u2009\u200b\ufeff")
_PUA_RE = re.compile("[\ue000-\uf8ff]+")

# A finding before it is placed: (code, role or header, value, expected, message)
Template = tuple[str, str, str, str, str]


class _Fatal(Exception):
    def __init__(self, code: str, message: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.sheet = sheet


def _text(value: object) -> str:
    """Cell text: floats that are whole numbers lose their ``.0``; dates as ROC-free ISO."""
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[union-attr]
    if cls is bool:
        return "1" if value else "0"
    if cls is int:
        return str(value)
    if isinstance(value, date):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat(sep=" ")  # type: ignore[call-arg]
    return str(value)


def _clean(text: str) -> str:
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def _w01(text: str, strict: bool) -> str | None:
    """Why a cell needs cleaning, or None. ``strict``: ID/birth/code/numeric columns."""
    if not text:
        return None
    stripped = text.strip()
    if not stripped:
        return None  # spaces only: an empty cell
    if stripped != text:
        return "前後有空白"
    if strict:
        if not text.isascii() and unicodedata.normalize("NFKC", text) != text:
            return "含全形字元"
        if text != text.upper():
            return "含小寫英文字母"
    return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def _ascii_digits(text: str) -> bool:
    """Only 0-9 (``str.isdigit`` also accepts digits ``int()`` refuses, such as U+19DA)."""
    return text.isascii() and text.isdigit()


def _num_text(text: str) -> str:
    """``"1.0"`` → ``"1"`` for comparing flag values."""
    if text.endswith(".0") and _ascii_digits(text[:-2].lstrip("-")):
        return text[:-2]
    return text


def _fmt_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def getter_of(indexes: list[int]) -> Callable[[list[object]], tuple[object, ...]]:
    """A C-speed function returning the cells at ``indexes`` as a tuple (always a tuple)."""
    if not indexes:
        return lambda _row: ()
    if len(indexes) == 1:
        return itemgetter(slice(indexes[0], indexes[0] + 1))  # type: ignore[return-value]
    return itemgetter(*indexes)


_ID_LETTER = {k: (v // 10) + (v % 10) * 9 for k, v in LETTER_VALUES.items()}
_ID_SECOND = {"1": 1, "2": 2, "8": 8, "9": 9, "A": 0, "B": 1, "C": 2, "D": 3}
_ID_RE = re.compile(r"^[A-Z][12789A-D][0-9]{8}$")


def _id_problem(text: str) -> str | None:
    """R01 empty, R02 shape, R03 check digit (national ID, old ARC, new 統一證號), or None."""
    if not text:
        return "R01"
    if not _ID_RE.match(text) or text[1] == "7":
        return "R02"
    d = text
    total = (
        _ID_LETTER[d[0]]
        + _ID_SECOND[d[1]] * 8
        + int(d[2]) * 7
        + int(d[3]) * 6
        + int(d[4]) * 5
        + int(d[5]) * 4
        + int(d[6]) * 3
        + int(d[7]) * 2
        + int(d[8])
        + int(d[9])
    )
    return None if total % 10 == 0 else "R03"


def _roc_birth_ok(text: str) -> bool:
    if not _ascii_digits(text) or len(text) > 7 or len(text) < 5:
        return False
    padded = text.zfill(7)
    year, month, day = int(padded[:3]), int(padded[3:5]), int(padded[5:])
    if year < 1:
        return False
    try:
        date(year + 1911, month, day)
    except ValueError:
        return False
    return True


@dataclass
class _Cover:
    school_code: str | None = None
    year: int | None = None
    term: int | None = None
    roster_type: str | None = None
    header_row: int = 1  # Excel row of the header
    titles: dict[str, str] | None = None  # header name → column title as in the file


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _int_or_none(text: str) -> int | None:
    text = _num_text(_clean(text))
    return int(text) if _ascii_digits(text) else None


def _read_cover(source: WorkbookSource) -> tuple[_Cover | None, str | None]:
    """(cover, sheet name) when the file has a 封面 sheet with its header row."""
    for name in source.sheet_names:
        if normalize_header(name) != COVER_SHEET:
            continue
        rows = list(itertools.islice(source.sheet(name).iter_rows(), HEADER_SCAN_ROWS))
        wanted = {normalize_header(h): h for h in COVER_HEADERS}
        for index, row in enumerate(rows):
            found = {
                wanted[normalize_header(_text(c))]: i
                for i, c in enumerate(row)
                if normalize_header(_text(c)) in wanted
            }
            if len(found) < 2:
                continue
            values = rows[index + 1] if index + 1 < len(rows) else []

            def value(header: str, found: dict[str, int] = found, values: list[object] = values) -> str:
                i = found.get(header)
                return _clean(_text(values[i])) if i is not None and i < len(values) else ""

            school = value("學校代碼").upper()
            school = _num_text(school)
            if _ascii_digits(school) and len(school) < 6:
                school = school.zfill(6)
            titles = {h: _text(row[i]).strip() for h, i in found.items()}
            cover = _Cover(
                school_code=school or None,
                year=_int_or_none(value("學年度")),
                term=_int_or_none(value("學期")),
                roster_type=_num_text(value("名冊別")) or None,
                header_row=index + 1,
                titles=titles,
            )
            return cover, name
        return None, name
    return None, None


def _sheet_type_by_name(name: str) -> tuple[str, bool] | None:
    norm = normalize_header(name)
    missing = norm.endswith(MISSING_SUFFIX)
    base = norm[: -len(MISSING_SUFFIX)] if missing else norm
    kind = SHEET_TYPES.get(base)
    return (kind, missing) if kind else None


def _sheet_type_by_columns(headers: set[str]) -> str:
    if normalize_header("對應年級") in headers or normalize_header("抵免後成績") in headers:
        return "transfer"
    if normalize_header("應修課學期") in headers or normalize_header("補修及格") in headers:
        return "retake"
    return "semester"


def _find_header(rows: list[list[object]]) -> int | None:
    best: int | None = None
    for index, row in enumerate(rows):
        hits = sum(1 for c in row if c.__class__ is str and normalize_header(c) in ALL_KNOWN_HEADERS)
        if hits >= 3:
            best = index
            break
    return best


def _merge_subheader(header: list[str], below: list[object]) -> list[str] | None:
    """Headers merged over two rows (``備註`` above ``學生姓名`` …): the combined header, or None.

    The row below the header is a second header row when its ID/birth/code cells are empty and
    one of its cells, alone or under the group name to its left, is a known column name.
    """
    norm = [normalize_header(h) for h in header]
    for name in ("身分證號", "出生日期", "課程代碼"):
        key = normalize_header(name)
        if key in norm:
            i = norm.index(key)
            if i < len(below) and _text(below[i]).strip():
                return None
    combined = list(header) + [""] * max(0, len(below) - len(header))
    group = ""
    found = False
    for i in range(max(len(header), len(below))):
        top = header[i].strip() if i < len(header) else ""
        if top:
            group = top
        sub = _text(below[i]).strip() if i < len(below) else ""
        if not sub:
            continue
        joined = f"{group}({sub})"
        if normalize_header(joined) in ALL_KNOWN_HEADERS:
            combined[i] = joined
            found = True
        elif normalize_header(sub) in ALL_KNOWN_HEADERS and not top:
            combined[i] = sub
            found = True
    return combined if found else None


class _Run:
    """State of one check (one file)."""

    def __init__(
        self, path: Path, plan: CoursePlan, options: CheckOptions, progress: ProgressFn | None
    ) -> None:
        self.path = path
        self.plan = plan
        self.options = options
        self.progress = progress
        self.findings: list[Finding] = []
        self.pua: list[PuaNote] = []
        self.notes: list[str] = []
        self.rows: dict[str, int] = {}
        self.kind: RosterKind | None = options.kind
        self.division: Division | None = options.division
        self.year: int | None = options.year
        self.term: int | None = options.term
        self.school_code: str | None = options.school_code.strip().upper() if options.school_code else None
        self.mask_pattern = options.mask_pattern
        # cross-sheet state
        self.code_rows: Counter[str] = Counter()  # course code → rows with it (P01 denominators)
        self.rule_code_hits: Counter[tuple[str, str]] = Counter()  # (rule, code) → rows (P01)
        self.first_birth: dict[str, tuple[str, str, int]] = {}  # id → (birth, sheet, row) for R19
        self.grades_with_rows: set[int] = set()
        self.done_rows = 0
        self.total_rows = 0
        self._mask_cache: dict[str, str] = {}
        # (division, 名冊別, cover sheet, row, column title) when the 封面 名冊別 named a division
        self.cover_division: tuple[str, str, str | None, int, str] | None = None

    # -- helpers -------------------------------------------------------------------------------
    def mask(self, student_id: str) -> str:
        masked = self._mask_cache.get(student_id)
        if masked is None:
            masked = mask_id(student_id, self.mask_pattern)
            self._mask_cache[student_id] = masked
        return masked

    def add(self, code: str, message: str, **where: object) -> None:
        self.findings.append(Finding(code, RULES[code].severity, message, **where))  # type: ignore[arg-type]

    # -- kind / division / term ------------------------------------------------------------------
    def apply_cover(self, cover: _Cover | None, cover_sheet: str | None) -> None:
        options = self.options
        if cover is None:
            if cover_sheet is not None:
                self.notes.append(
                    f"「{cover_sheet}」工作表找不到學校代碼／學年度／學期／名冊別的標題列，未比對封面。"
                )
            if self.year is None or self.term is None:
                self.notes.append(
                    "沒有封面也沒有指定學年度／學期：不檢查 R10、R11 的學期部分與 O01 開課比對。"
                )
            if self.school_code is None:
                self.notes.append("沒有封面也沒有指定學校代碼：不檢查 R07（課程代碼第 4–9 碼）。")
            return
        titles = cover.titles or {}
        row = cover.header_row + 1

        def f04(header: str, value: object, expected: object, what: str) -> None:
            self.add(
                "F04",
                f"封面的{what}",
                sheet=cover_sheet,
                row=row,
                column=titles.get(header, header),
                value="" if value is None else str(value),
                expected=str(expected),
            )

        if self.school_code and cover.school_code and cover.school_code != self.school_code:
            f04(
                "學校代碼",
                cover.school_code,
                self.school_code,
                f"學校代碼「{cover.school_code}」與學校設定「{self.school_code}」不符",
            )
        if options.year is not None and cover.year != options.year:
            f04(
                "學年度",
                cover.year,
                options.year,
                f"學年度「{cover.year or ''}」與所選學年度 {options.year} 不符",
            )
        if options.term is not None and cover.term != options.term:
            f04("學期", cover.term, options.term, f"學期「{cover.term or ''}」與所選學期 {options.term} 不符")
        roster_type = cover.roster_type
        if roster_type in OTHER_ROSTER_TYPES:
            f04(
                "名冊別",
                roster_type,
                "41（預檢日間）或 42（預檢進修部）或成績名冊",
                f"名冊別 {roster_type} 是「{OTHER_ROSTER_TYPES[roster_type]}」，不是修課紀錄／成績名冊",
            )
        elif roster_type in ROSTER_TYPES:
            kind, division = ROSTER_TYPES[roster_type]
            if options.kind is not None and options.kind != kind:
                f04(
                    "名冊別",
                    roster_type,
                    "成績名冊（不是 41、42）",
                    f"名冊別 {roster_type} 是{KIND_ZH[kind]}，與所選的{KIND_ZH[options.kind]}不符",
                )
            elif options.division is not None and options.division != division:
                expected = "41" if options.division == "day" else "42"
                f04(
                    "名冊別",
                    roster_type,
                    expected,
                    f"名冊別 {roster_type} 是{DIVISION_ZH[division]}，與所選的{DIVISION_ZH[options.division]}不符",
                )
            if options.division is None:  # a chosen division was compared with the cover just above
                self.cover_division = (
                    division,
                    roster_type,
                    cover_sheet,
                    row,
                    titles.get("名冊別", "名冊別"),
                )
            if self.kind is None:
                self.kind = kind  # type: ignore[assignment]
                self.notes.append(f"名冊種類依封面名冊別 {roster_type} 判定為{KIND_ZH[kind]}。")
            if self.division is None:
                self.division = division  # type: ignore[assignment]
        elif roster_type and options.kind == "pre":
            f04("名冊別", roster_type, "41 或 42", f"名冊別 {roster_type} 不是預檢名冊（41 日間、42 進修部）")
        if self.school_code is None and cover.school_code:
            self.school_code = cover.school_code
        if self.year is None:
            self.year = cover.year
        if self.term is None:
            self.term = cover.term
        if self.year is None or self.term is None:
            self.notes.append("封面沒有學年度／學期，也沒有指定：不檢查 R10、R11 的學期部分與 O01 開課比對。")
        if self.school_code is None:
            self.notes.append("封面沒有學校代碼，也沒有指定：不檢查 R07（課程代碼第 4–9 碼）。")

    # -- one sheet -------------------------------------------------------------------------------
    def check_sheet(self, source: SheetSource, sheet_type: str, missing: bool, display: str) -> None:
        rows_iter: Iterator[list[object]] = source.iter_rows()
        head = list(itertools.islice(rows_iter, HEADER_SCAN_ROWS))
        if not head or not any(any(c not in ("", None) for c in r) for r in head):
            self.rows[display] = 0
            return
        header_index = _find_header(head)
        if header_index is None:
            raise _Fatal(
                "F05",
                f"「{self.path.name}」的工作表「{display}」前 {HEADER_SCAN_ROWS} 列找不到標題列（需要身分證號、出生日期、課程代碼等欄位名稱）。",
                display,
            )
        header = [_text(c) for c in head[header_index]]
        data_start = header_index + 1
        if data_start < len(head):
            merged = _merge_subheader(header, head[data_start])
            if merged is not None:
                header, data_start = merged, data_start + 1
        norm = [normalize_header(h) for h in header]
        roles_def = {**COMMON_ROLES, **TYPE_ROLES[sheet_type]}
        col: dict[str, int] = {}
        for role, names in roles_def.items():
            for name in names:
                key = normalize_header(name)
                if key in norm:
                    col[role] = norm.index(key)
                    break
        titles = {role: header[i].strip() for role, i in col.items()}
        extra_numeric = {i for i, n in enumerate(norm) if n in {normalize_header(x) for x in EXTRA_NUMERIC}}
        rest_rows = itertools.chain(head[data_start:], rows_iter)
        continuing_columns = normalize_header("修課節數") in norm or normalize_header("是否採計學時") in norm
        day_columns = normalize_header("修課學分") in norm or normalize_header("是否採計學分") in norm
        if self.cover_division is not None and (continuing_columns or day_columns):
            # F04 "名冊別 does not fit the roster kind": the kind includes the division, and the
            # 進修部 sheets have their own columns (修課節數, 是否採計學時; formats.md). Reported once.
            division, roster_type, cover_sheet, cover_row, cover_title = self.cover_division
            by_columns = "continuing" if continuing_columns else "day"
            if by_columns != division:
                self.cover_division = None
                self.add(
                    "F04",
                    f"封面的名冊別 {roster_type} 是{DIVISION_ZH[division]}名冊，但工作表「{display}」的欄位"
                    f"（{'修課節數／是否採計學時' if continuing_columns else '修課學分／是否採計學分'}）"
                    f"是{DIVISION_ZH[by_columns]}名冊的欄位",
                    sheet=cover_sheet,
                    row=cover_row,
                    column=cover_title,
                    value=roster_type,
                    expected="41" if by_columns == "day" else "42",
                )
        if (self.division is None) and continuing_columns:
            self.division = "continuing"
            self.notes.append(f"工作表「{display}」有修課節數／是否採計學時欄位：判定為進修部名冊。")
        if self.kind is None:
            rest_rows = self._detect_kind(rest_rows, col, display)
        required = list(CORE_REQUIRED)
        if self.kind == "final":
            required += FINAL_REQUIRED[sheet_type]
        lacking = [r for r in required if r not in col]
        if lacking:
            names = "、".join(self._role_name(r, sheet_type) for r in lacking)
            self.add(
                "F03",
                f"工作表「{display}」缺少必要欄位：{names}（標題列在第 {header_index + 1} 列）。此工作表未檢查。",
                sheet=display,
                row=header_index + 1,
                column=names,
                expected=names,
            )
            self.rows[display] = 0
            return
        self._check_rows(
            rest_rows, data_start + 1, display, sheet_type, missing, col, titles, header, extra_numeric
        )

    def _role_name(self, role: str, sheet_type: str) -> str:
        names = {**COMMON_ROLES, **TYPE_ROLES[sheet_type]}[role]
        if role == "credits" and self.division == "continuing":
            return "修課節數"
        if role == "counts" and self.division == "continuing":
            return "是否採計學時"
        return names[0]

    def _detect_kind(
        self, rows: Iterator[list[object]], col: dict[str, int], display: str
    ) -> Iterator[list[object]]:
        name = self.path.name
        if "預檢" in name:
            self.kind = "pre"
            self.notes.append("檔名含「預檢」：判定為預檢名冊（不含成績）。")
            return rows
        grade_cols = [col[r] for r in GRADE_ROLES if r in col]
        if not grade_cols:
            self.kind = "pre"
            self.notes.append(f"工作表「{display}」沒有成績欄位：判定為預檢名冊。")
            return rows
        peek = list(itertools.islice(rows, KIND_PEEK_ROWS))
        # 預檢 and final rosters have the same columns (formats.md): the kind is what most rows
        # carry. A registrar expects a 預檢 roster with a few stray grades to stay a 預檢 roster
        # (R13 on those rows), not to become a final roster with R14/R17 on every other row.
        filled = graded_rows = 0
        for row in peek:
            if not any(v not in ("", None) for v in row):
                continue
            filled += 1
            if any(
                _clean(_text(row[i])) not in NONE_VALUES and _num_text(_clean(_text(row[i]))) != "-1"
                for i in grade_cols
                if i < len(row)
            ):
                graded_rows += 1
        graded = graded_rows > 0 and graded_rows * 2 > filled
        self.kind = "final" if graded else "pre"
        self.notes.append(
            f"工作表「{display}」{'有成績：判定為成績名冊' if graded else '成績欄位都是空白或 -1：判定為預檢名冊'}"
            "（可在執行時指定名冊種類）。"
        )
        return itertools.chain(peek, rows)

    def _check_rows(
        self,
        rows: Iterator[list[object]],
        first_row: int,
        sheet: str,
        sheet_type: str,
        missing: bool,
        col: dict[str, int],
        titles: dict[str, str],
        header: list[str],
        extra_numeric: set[int],
    ) -> None:
        """Every row rule of one sheet, in one pass over the streamed rows.

        The cells are split in four groups, each pulled with one ``itemgetter`` call and looked up
        in its own cache: ID + birth date (R01–R04, R19), course (R05–R11, R18), grades (R13–R17)
        and the free-text columns (W01, 造字). Only R12 needs a per-row set. A cached group returns
        finding *templates*; they become :class:`Finding` objects (with row and student) only on
        the rows that have one. The closures keep names local, which matters at 150,000 rows.
        """
        plan = self.plan
        final = self.kind == "final"
        school_code = self.school_code
        roster_term = self.term
        width = len(header)
        add = self.findings.append
        severity = {code: info.severity for code, info in RULES.items()}
        rule_code_hits = self.rule_code_hits
        code_rows = self.code_rows
        first_birth = self.first_birth
        grades_with_rows = self.grades_with_rows
        pua_notes = self.pua
        mask = self.mask
        progress = self.progress

        def idx(role: str) -> int | None:
            return col.get(role)

        def title(role: str) -> str:
            return titles.get(role, ROLE_TITLES.get(role, role))

        # --- getters: one C call per group -----------------------------------------------------
        def getter(roles: tuple[str, ...]) -> Callable[[list[object]], tuple[object, ...]]:
            return getter_of([col[r] for r in roles if r in col])

        person_roles = ("id", "birth")  # required: F03 stops the sheet without them
        i_id, i_birth = col["id"], col["birth"]
        course_roles = tuple(r for r in ("code", "subject", "grade", "credits", "term") if r in col)
        grade_roles = tuple(r for r in ("score", "passed", "makeup", "makeup_pass", "counts") if r in col)
        get_course = getter(course_roles)
        get_grades = getter(grade_roles)
        role_columns = {col[r] for r in (*person_roles, *course_roles, *grade_roles)}
        # every other column, unnamed ones too: their text still gets W01 (edge spaces) and 造字 notes
        other_idx = [i for i in range(width) if i not in role_columns]
        get_other = getter_of(other_idx)
        other_numeric = any(i in extra_numeric for i in other_idx)  # W01 there also means full-width/lower
        i_name, i_class, i_seat = idx("st_name"), idx("st_class"), idx("st_seat")

        # --- caches: everything that depends on a few cell values is computed once per value --
        id_cache: dict[object, tuple[str, tuple[Template, ...], str | None]] = {}
        birth_cache: dict[object, tuple[str, tuple[Template, ...], bool]] = {}
        # course values → (code, grade, templates, (code_bad: R05–R08 fired, is_9d), the grade cache to use)
        course_cache: dict[
            tuple[object, ...], tuple[str, int | None, tuple[Template, ...], tuple[bool, bool], dict, int]
        ] = {}
        # grade values, one cache per (code_bad, is_9d) since R17 depends on them
        grade_caches: dict[tuple[bool, bool], dict[tuple[object, ...], tuple[Template, ...]]] = {}
        other_cache: dict[tuple[object, ...], tuple[Template, ...]] = {}

        def cell_w01(role: str, text: str, strict: bool, out: list[Template]) -> str:
            reason = _w01(text, strict)
            cleaned = _clean(text)
            if strict and role in ("id", "code", "birth"):
                cleaned = cleaned.upper()
            if reason:
                out.append(
                    (
                        "W01",
                        role,
                        text,
                        cleaned,
                        f"{title(role)}「{text}」{reason}，已清理為「{cleaned}」後檢查",
                    )
                )
            return cleaned

        def mask_raw(text: str) -> str:
            """The ID as typed, masked like the clean ID: edge spaces kept, the pattern applied to
            the rest (masking " A123456789" as a whole would shift the mask by one character)."""
            core = text.strip()
            if not core:
                return text
            start = text.index(core)
            return text[:start] + mask(core) + text[start + len(core) :]

        def person_id(value: object) -> tuple[str, tuple[Template, ...], str | None]:
            """R01–R03 (+ W01) of an ID. Values and messages carry the masked ID only."""
            out: list[Template] = []
            id_text = _text(value)
            id_clean = cell_w01("id", id_text, True, out)
            fired = _id_problem(id_clean)
            shown = mask(id_clean) if out or fired in ("R02", "R03") else ""
            if out:  # W01 on the ID: mask what it shows
                _code, role, raw, _cleaned, _message = out[0]
                reason = _w01(raw, True)
                out[0] = (
                    "W01",
                    role,
                    mask_raw(raw),
                    shown,
                    f"{title('id')}「{mask_raw(raw)}」{reason}，已清理為「{shown}」後檢查",
                )
            if fired == "R01":
                out.append(("R01", "id", id_text, "身分證號", "身分證號是空白的"))
            elif fired == "R02":
                expected = "國民身分證、居留證或統一證號（1 英文字母＋9 碼）"
                message = f"身分證號「{shown}」不是身分證、居留證或統一證號的格式"
                out.append(("R02", "id", mask_raw(id_text), expected, message))
            elif fired == "R03":
                out.append(
                    ("R03", "id", mask_raw(id_text), "正確的檢查碼", f"身分證號「{shown}」的檢查碼不正確")
                )
            return id_clean, tuple(out), fired

        def person_birth(value: object) -> tuple[str, tuple[Template, ...], bool]:
            out: list[Template] = []
            birth_text = _text(value)
            birth_clean = cell_w01("birth", birth_text, True, out)
            birth_bad = False
            if not _roc_birth_ok(birth_clean):
                birth_bad = True
                out.append(
                    (
                        "R04",
                        "birth",
                        birth_text,
                        "民國 yyyMMdd 共 7 碼，例如 0920315",
                        f"出生日期「{birth_text}」不是有效的民國日期（yyyMMdd）",
                    )
                )
            elif len(birth_clean) < 7:
                birth_clean = birth_clean.zfill(7)
            return birth_clean, tuple(out), birth_bad

        def course(
            values: tuple[object, ...],
        ) -> tuple[
            str,
            int | None,
            tuple[Template, ...],
            tuple[bool, bool],
            dict[tuple[object, ...], tuple[Template, ...]],
            int,
        ]:
            out: list[Template] = []
            texts = dict(zip(course_roles, (_text(v) for v in values), strict=True))
            code_text = texts.get("code", "")
            subject_text = texts.get("subject", "")
            grade_text = texts.get("grade", "")
            credits_text = texts.get("credits", "")
            term_text = texts.get("term", "")
            code = cell_w01("code", code_text, True, out)
            subject = cell_w01("subject", subject_text, False, out)
            grade_clean = cell_w01("grade", grade_text, True, out)
            credits_clean = cell_w01("credits", credits_text, True, out)
            term_clean = cell_w01("term", term_text, True, out) if "term" in col else ""
            code_bad = False
            if missing:
                code_bad = True
                out.append(
                    (
                        "R05",
                        "code",
                        code_text,
                        "有課程代碼的課程（不放在（缺）工作表）",
                        f"「{sheet}」工作表的列不能提交：課程沒有（正確的）課程代碼",
                    )
                )
            elif not code:
                code_bad = True
                out.append(("R05", "code", code_text, "23 碼課程代碼", "課程代碼是空白的"))
            elif not CODE_RE.match(code):
                code_bad = True
                out.append(
                    (
                        "R06",
                        "code",
                        code_text,
                        "23 碼英數字 [0-9A-Z]",
                        f"課程代碼「{code}」不是 23 碼的英數字（目前 {len(code)} 碼）",
                    )
                )
            elif school_code and code[3:9] != school_code:
                code_bad = True
                out.append(
                    (
                        "R07",
                        "code",
                        code_text,
                        f"第 4–9 碼為 {school_code}",
                        f"課程代碼第 4–9 碼「{code[3:9]}」與本校學校代碼「{school_code}」不同",
                    )
                )
            elif code not in plan:
                code_bad = True
                out.append(
                    ("R08", "code", code_text, "課程計畫中的課程代碼", f"課程代碼「{code}」不在課程計畫中")
                )
            grade_num = _number(grade_clean)
            grade: int | None = int(grade_num) if grade_num is not None and grade_num.is_integer() else None
            is_9d = False
            if not code_bad:
                entry = plan[code]
                category, attribute = course_attributes(code, entry)
                is_9d = category == "9" and attribute == "D"
                if _clean(entry.name) != subject:
                    out.append(
                        (
                            "R09",
                            "subject",
                            subject_text,
                            entry.name,
                            f"科目名稱「{subject}」與課程計畫的「{entry.name}」不同",
                        )
                    )
                # R11 (grade or term) and R10 exclude each other: R10 is only reached when R11 did not fire
                if grade is None or not 1 <= grade <= 3:
                    out.append(
                        ("R11", "grade", grade_text, "1、2 或 3", f"{title('grade')}「{grade_text}」不是 1–3")
                    )
                else:
                    term = roster_term
                    if "term" in col:
                        term_num = _number(term_clean)
                        term = int(term_num) if term_num in (1.0, 2.0) else -1
                    if term == -1:
                        out.append(
                            ("R11", "term", term_text, "1 或 2", f"{title('term')}「{term_text}」不是 1 或 2")
                        )
                    elif term is not None:
                        char = _credit_char(entry.credits, grade, term)
                        if char == "0":
                            taught = _taught_terms(entry.credits)
                            out.append(
                                (
                                    "R11",
                                    "grade",
                                    grade_text,
                                    taught or "（課程計畫沒有開課學期）",
                                    f"課程計畫在 {grade} 年級第 {term} 學期沒有開「{entry.name}」"
                                    f"（授課學期學分節數 {entry.credits}）",
                                )
                            )
                        else:
                            expected = credit_value(char)
                            credits_num = _number(credits_clean)
                            if expected is not None and credits_num != expected:
                                out.append(
                                    (
                                        "R10",
                                        "credits",
                                        credits_text,
                                        str(expected),
                                        f"{title('credits')}「{credits_text}」與課程計畫的 {expected} 不同"
                                        f"（{grade} 年級第 {term} 學期，授課學期學分節數 {entry.credits}）",
                                    )
                                )
                if category in ("8", "9") and attribute != "D":
                    out.append(
                        (
                            "R18",
                            "code",
                            code_text,
                            "課程類別 8、9 只有科目屬性 D 可提交",
                            f"課程代碼「{code}」是{category_name(category)}（科目屬性 {attribute}），不應提交",
                        )
                    )
            flags = (code_bad, is_9d)
            # R12 key part: a small int per (code, grade) (R12 is skipped when R05 fired: -1)
            cg_key = (
                code_grade_numbers.setdefault((code, grade), len(code_grade_numbers))
                if code and not missing
                else -1
            )
            return code, grade, tuple(out), flags, grade_caches.setdefault(flags, {}), cg_key

        def grades(values: tuple[object, ...], code_bad: bool, is_9d: bool) -> tuple[Template, ...]:
            return tuple(_grades(values, code_bad, is_9d))

        def _grades(values: tuple[object, ...], code_bad: bool, is_9d: bool) -> list[Template]:
            out: list[Template] = []
            texts = dict(zip(grade_roles, (_text(v) for v in values), strict=True))
            clean = {r: _num_text(cell_w01(r, t, True, out)) for r, t in texts.items()}
            if not final:
                for role in ("score", "passed", "makeup", "makeup_pass"):
                    value = clean.get(role, "")
                    if value not in NONE_VALUES:
                        out.append(
                            (
                                "R13",
                                role,
                                texts[role],
                                "空白或 -1",
                                f"預檢名冊不應有成績：{title(role)}是「{texts[role]}」",
                            )
                        )
                        break
                return out
            counts = clean.get("counts", "")
            score_text = clean.get("score", "")
            r14 = False
            if "score" in col:
                score = _number(score_text)
                if score == -1:
                    if counts != "3":
                        r14 = True
                        out.append(
                            (
                                "R14",
                                "score",
                                texts["score"],
                                "0–100（-1 只用於是否採計學分為 3）",
                                f"{title('score')}為 -1，但{title('counts')}是「{counts}」不是 3",
                            )
                        )
                elif score is None or not 0 <= score <= 100:
                    r14 = True
                    out.append(
                        (
                            "R14",
                            "score",
                            texts["score"],
                            "0–100 的數字",
                            f"{title('score')}「{texts['score']}」不是 0–100 的數字",
                        )
                    )
                if not r14 and "passed" in col:
                    expected = "-1" if score == -1 else ("1" if score is not None and score >= 60 else "0")
                    if clean["passed"] != expected:
                        out.append(
                            (
                                "R15",
                                "passed",
                                texts["passed"],
                                expected,
                                f"{title('passed')}「{texts['passed']}」與成績 {score_text} 不符（應為 {expected}）",
                            )
                        )
            if not r14 and "makeup" in col and "makeup_pass" in col:
                makeup, makeup_pass = clean["makeup"], clean["makeup_pass"]
                has_makeup = makeup not in NONE_VALUES
                has_makeup_pass = makeup_pass not in NONE_VALUES
                passed = clean.get("passed", "")
                if has_makeup and passed == "1":
                    out.append(
                        (
                            "R16",
                            "makeup",
                            texts["makeup"],
                            "-1（成績已及格不需補考）",
                            f"{title('passed')}是 1，卻有{title('makeup')}「{texts['makeup']}」",
                        )
                    )
                elif has_makeup_pass and not has_makeup:
                    out.append(
                        (
                            "R16",
                            "makeup_pass",
                            texts["makeup_pass"],
                            "-1（沒有補考成績）",
                            f"沒有{title('makeup')}，{title('makeup_pass')}卻是「{texts['makeup_pass']}」",
                        )
                    )
                elif has_makeup:
                    makeup_num = _number(makeup)
                    if makeup_num is None or not 0 <= makeup_num <= 100:
                        out.append(
                            (
                                "R16",
                                "makeup",
                                texts["makeup"],
                                "0–100 的數字",
                                f"{title('makeup')}「{texts['makeup']}」不是 0–100 的數字",
                            )
                        )
                    else:
                        expected = "1" if makeup_num >= 60 else "0"
                        if makeup_pass != expected:
                            out.append(
                                (
                                    "R16",
                                    "makeup_pass",
                                    texts["makeup_pass"],
                                    expected,
                                    f"{title('makeup_pass')}「{texts['makeup_pass']}」與{title('makeup')} "
                                    f"{_fmt_number(makeup_num)} 不符（應為 {expected}）",
                                )
                            )
            if "counts" in col and not code_bad:
                if counts not in ("1", "2", "3"):
                    out.append(
                        (
                            "R17",
                            "counts",
                            texts["counts"],
                            "1、2 或 3",
                            f"{title('counts')}「{texts['counts']}」不是 1、2 或 3",
                        )
                    )
                elif is_9d and counts != "3":
                    out.append(
                        (
                            "R17",
                            "counts",
                            texts["counts"],
                            "3",
                            f"彈性學習時間（9D）課程的{title('counts')}應為 3（不需評分），不是「{counts}」",
                        )
                    )
            return out

        def other(values: tuple[object, ...]) -> tuple[Template, ...]:
            """W01 and 造字 (template code "PUA") in the columns no rule reads."""
            if not other_numeric:
                try:
                    joined = "\x00".join(values)  # type: ignore[arg-type]
                except TypeError:  # a number or a date among them: the cell-by-cell path
                    pass
                else:  # the usual case, decided in C: no edge spaces anywhere, no PUA character
                    if joined == "\x00".join(map(str.strip, values)) and (  # type: ignore[arg-type]
                        joined.isascii() or max(joined) < "\ue000"
                    ):
                        return ()
            out: list[Template] = []
            for i, value in zip(other_idx, values, strict=True):
                if value.__class__ is not str or not value:
                    continue
                text: str = value  # type: ignore[assignment]
                column = header[i].strip() or f"第 {i + 1} 欄"
                reason = _w01(text, i in extra_numeric)
                if reason:
                    cleaned = _clean(text)
                    out.append(
                        ("W01", column, text, cleaned, f"{column}「{text}」{reason}，已清理為「{cleaned}」")
                    )
                if not text.isascii():
                    chars = "".join(_PUA_RE.findall(text))
                    if chars:
                        out.append(("PUA", column, text, chars, f"{column}含造字 {chars!r}"))
            return tuple(out)

        def pair(values: tuple[object, ...]) -> tuple[str, tuple[Template, ...], int]:
            """ID + birth date of a row: R01–R04, their W01 and R19, cached per value pair.

            R19 depends on the first valid row of the ID, which is fixed once seen, so a pair
            that differed from it once differs every time.
            """
            id_value, birth_value = values
            p = id_cache.get(id_value)
            if p is None:
                p = id_cache[id_value] = person_id(id_value)
            b = birth_cache.get(birth_value)
            if b is None:
                b = birth_cache[birth_value] = person_birth(birth_value)
            id_clean, id_out, id_fired = p
            birth_clean, birth_out, birth_bad = b
            out = id_out + birth_out
            if id_fired is None and not birth_bad:
                first = first_birth.get(id_clean)
                if first is None:
                    first_birth[id_clean] = (birth_clean, sheet, excel_row)
                elif first[0] != birth_clean:
                    out += (
                        (
                            "R19",
                            "birth",
                            birth_clean,
                            first[0],
                            f"同一身分證號在「{first[1]}」第 {first[2]} 列的出生日期是 {first[0]}，"
                            f"此列是 {birth_clean}",
                        ),
                    )
            # R12 key part: a small int per ID (R12 is skipped when R01 fired: -1)
            id_key = -1 if id_fired == "R01" else id_numbers.setdefault(id_clean, len(id_numbers)) << 24
            return id_clean, out, id_key

        pair_cache: dict[tuple[object, ...], tuple[str, tuple[Template, ...], int]] = {}
        prev_pv: tuple[object, ...] | None = None
        prev_p: tuple[str, tuple[Template, ...], int] = ("", (), -1)
        prev_ov: tuple[object, ...] | None = None
        prev_o: tuple[Template, ...] = ()
        get_pair = itemgetter(i_id, i_birth)
        # R12: ID number << 24 | (code, grade) number; ints hash and store faster than tuples
        seen_keys: set[int] = set()
        id_numbers: dict[str, int] = {}
        code_grade_numbers: dict[tuple[str, int | None], int] = {}
        seen_keys_add = seen_keys.add
        codes: list[str] = []
        codes_append = codes.append
        data_rows = 0
        excel_row = first_row - 1
        done_base = self.done_rows
        total = self.total_rows
        next_progress = PROGRESS_EVERY

        for row in rows:
            excel_row += 1
            if len(row) < width:
                row = [*row, *([""] * (width - len(row)))]
            pv = get_pair(row)
            if not pv[0] and not any(row) and all(v is None or v == "" for v in row):
                continue  # an empty row (tested only when the ID cell is empty)
            data_rows += 1
            if data_rows >= next_progress:
                next_progress += PROGRESS_EVERY
                if progress is not None:
                    progress(done_base + data_rows, total)

            # rows come grouped by student: most rows repeat the previous row's ID, birth date
            # and free-text cells, and comparing with it is cheaper than hashing for the cache
            if pv != prev_pv:
                p = pair_cache.get(pv)
                if p is None:
                    p = pair_cache[pv] = pair(pv)
                prev_pv, prev_p = pv, p
            id_clean, p_out, id_key = prev_p

            cv = get_course(row)
            c = course_cache.get(cv)
            if c is None:
                c = course_cache[cv] = course(cv)
            code, grade, c_out, flags, grade_cache, cg_key = c

            gv = get_grades(row)
            g_out = grade_cache.get(gv)
            if g_out is None:
                g_out = grade_cache[gv] = grades(gv, *flags)

            ov = get_other(row)
            if ov != prev_ov:
                o_out = other_cache.get(ov)
                if o_out is None:
                    o_out = other_cache[ov] = other(ov)
                prev_ov, prev_o = ov, o_out
            o_out = prev_o

            codes_append(code)
            # R12: the same ID + code + grade again in this sheet (skipped when R01 or R05 fired)
            r12 = False
            if id_key >= 0 and cg_key >= 0:
                key = id_key | cg_key
                if key in seen_keys:
                    r12 = True
                else:
                    seen_keys_add(key)

            if p_out or c_out or g_out or o_out or r12:
                student_id = mask(id_clean) if id_clean else None
                name = _text(row[i_name]).strip() if i_name is not None else None
                klass = _text(row[i_class]).strip() if i_class is not None else None
                seat = _text(row[i_seat]).strip() if i_seat is not None else None
                extra: tuple[Template, ...] = ()
                if r12:
                    extra = (
                        (
                            "R12",
                            "code",
                            code,
                            "每位學生每門課每年級一列",
                            f"{mask(id_clean)} 的課程代碼「{code}」（開課年級 {grade}）在本工作表重複出現",
                        ),
                    )
                for templates in (p_out, c_out, g_out, o_out, extra):
                    for rule, role, value, expected, message in templates:
                        if rule == "PUA":
                            pua_notes.append(PuaNote(sheet, excel_row, role, value, expected, student_id))
                            continue
                        if rule in P01_RULES and code:
                            rule_code_hits[(rule, code)] += 1
                        add(
                            Finding(
                                rule,
                                severity[rule],
                                message,
                                sheet,
                                excel_row,
                                titles.get(role) or ROLE_TITLES.get(role, role),
                                value,
                                expected,
                                student_id,
                                name,
                                klass,
                                seat,
                                code or None,
                            )
                        )

        code_rows.update(codes)
        code_rows.pop("", None)
        # O01: every 開課年級 (對應年級) with rows anywhere in the roster, as the spec words it
        grades_with_rows.update(g for _code, g, *_ in course_cache.values() if g is not None)
        self.rows[sheet] = data_rows
        self.done_rows = done_base + data_rows
        if progress is not None:
            progress(self.done_rows, total)

    # -- after all sheets --------------------------------------------------------------------
    def patterns(self) -> list[Pattern]:
        out: list[Pattern] = []
        for (rule, code), affected in sorted(self.rule_code_hits.items()):
            total = self.code_rows.get(code, 0)
            if affected >= P01_MIN_ROWS and affected * 2 >= total:
                entry = self.plan.get(code)
                out.append(Pattern(rule, code, entry.name if entry else "", affected, total, P01_ADVICE))
        return out

    def offering(self) -> list[OfferingGap]:
        if self.year is None or self.term not in (1, 2):
            return []
        term = self.term
        out: list[OfferingGap] = []
        for code, entry in sorted(self.plan.items()):
            if not _ascii_digits(code[:3]):
                continue
            grade = self.year - int(code[:3]) + 1
            if grade not in self.grades_with_rows or not 1 <= grade <= 3:
                continue
            char = _credit_char(entry.credits, grade, term)
            if char == "0":
                continue
            category, attribute = course_attributes(code, entry)
            if category in ("8", "9") and attribute != "D":
                continue  # R18 forbids it: never due
            if self.code_rows.get(code):
                continue
            out.append(OfferingGap(code, entry.name, grade, category, category_name(category), entry.credits))
        # "a 部定必修 with no students is the most suspicious" (precheck-rules.md): those first
        out.sort(key=lambda gap: gap.category != "1")
        return out


def _credit_char(credits: str, grade: int, term: int) -> str:
    """The 授課學期學分節數 character of (開課年級, 學期); ``0`` outside a malformed string."""
    index = (grade - 1) * 2 + (term - 1)
    return credits[index] if 0 <= index < len(credits) else "0"


def _taught_terms(credits: str) -> str:
    names = ("1上", "1下", "2上", "2下", "3上", "3下")
    return "、".join(n for n, c in zip(names, credits, strict=False) if c != "0")


def _data_sheets(source: WorkbookSource) -> list[tuple[str, str, bool]]:
    """(sheet name, sheet type, is a (缺) sheet) of the sheets to check, in file order."""
    named = []
    for name in source.sheet_names:
        typed = _sheet_type_by_name(name)
        if typed:
            named.append((name, typed[0], typed[1]))
    if named:
        return named
    out = []
    for name in source.sheet_names:
        if normalize_header(name) == COVER_SHEET:
            continue
        head = list(itertools.islice(source.sheet(name).iter_rows(), HEADER_SCAN_ROWS))
        index = _find_header(head)
        if index is None:
            continue
        headers = {normalize_header(_text(c)) for c in head[index]}
        out.append((name, _sheet_type_by_columns(headers), False))
    return out


def _csv_sheet_name(source: WorkbookSource, sheet_type: str) -> str:
    typed = _sheet_type_by_name(source.path.stem)
    if typed:
        return source.path.stem
    return {v: k for k, v in SHEET_TYPES.items()}[sheet_type]


def check_roster(
    path: Path | str,
    plan: CoursePlan,
    options: CheckOptions | None = None,
    progress: ProgressFn | None = None,
) -> PrecheckResult:
    """Check a roster against the plan in one pass; never writes the file.

    Args:
        path: the roster (xlsx, xls, ods or CSV; the type is sniffed from the content).
        plan: the approved course plan.
        options: kind/division/term/school overrides and the ID mask pattern.
        progress: called as ``progress(done_rows, total_rows)`` now and then; may raise
            :class:`~desktop_app.services.progress.Cancelled`, which propagates.

    Returns:
        The result with every finding; ``fatal`` when F01/F02/F05 stopped the check.
    """
    started = time.perf_counter()
    path = Path(path)
    options = options or CheckOptions()
    run = _Run(path, plan, options, progress)
    result = PrecheckResult(
        file=path.name,
        sha256="",
        size=0,
        encoding=None,
        kind=options.kind,
        division=options.division,
        year=options.year,
        term=options.term,
    )
    try:
        result.sha256, result.size = _sha256(path)
    except OSError:
        pass
    try:
        source = open_workbook(path)
        result.file_type = source.file_type
        result.encoding = source.encoding
        cover, cover_sheet = _read_cover(source)
        run.apply_cover(cover, cover_sheet)
        sheets = _data_sheets(source)
        if not sheets and source.file_type == "csv" and path.suffix.lower() in SPREADSHEET_SUFFIXES:
            raise _Fatal(
                "F01",
                f"「{path.name}」的副檔名是 {path.suffix}，內容卻不是試算表（是純文字，也不是名冊 CSV）。",
            )
        if not sheets:
            raise _Fatal(
                "F05",
                f"「{path.name}」沒有資料工作表（學期成績、補修成績、轉學轉科成績），也找不到含身分證號、課程代碼等欄位的標題列。",
            )
        loaded = []
        for name, sheet_type, missing in sheets:
            sheet = source.sheet(name)
            display = _csv_sheet_name(source, sheet_type) if source.file_type == "csv" else name
            loaded.append((sheet, sheet_type, missing, display))
            run.total_rows += sheet.total_rows
        if progress is not None:
            progress(0, run.total_rows)
        for sheet, sheet_type, missing, display in loaded:
            run.check_sheet(sheet, sheet_type, missing, display)
        if progress is not None:
            progress(run.total_rows, run.total_rows)  # the totals also count title/header rows
        if not any(run.rows.values()) and not any(f.code == "F03" for f in run.findings):
            raise _Fatal("F05", f"「{path.name}」的資料工作表都沒有資料列。")
    except ReaderError as exc:
        run.add(exc.code, exc.message)
        result.fatal = True
    except _Fatal as exc:
        run.add(exc.code, exc.message, sheet=exc.sheet)
        result.fatal = True
    result.kind = run.kind
    result.division = run.division or ("day" if run.kind is not None else None)
    result.year = run.year
    result.term = run.term
    result.school_code = run.school_code
    result.rows = run.rows
    result.findings = run.findings
    result.pua = run.pua
    result.notes = run.notes
    if not result.fatal:
        result.patterns = run.patterns()
        result.offering = run.offering()
    counts: Counter[str] = Counter(f.code for f in result.findings)
    if result.patterns:
        counts["P01"] = len(result.patterns)
    if result.offering:
        counts["O01"] = len(result.offering)
    result.counts = dict(sorted(counts.items()))
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def result_to_json(result: PrecheckResult) -> dict[str, object]:
    """The CLI ``--json`` document (issue 3 point 4), plus a few extra keys at the end.

    Findings are flat frozen dataclasses: ``dict(vars(f))`` is 10x faster than ``asdict`` (which
    deep-copies every field), which matters with 100,000 findings.
    """

    def asdict(obj: object) -> dict[str, object]:
        return dict(vars(obj))

    return {
        "file": result.file,
        "sha256": result.sha256,
        "kind": result.kind,
        "division": result.division,
        "year": result.year,
        "term": result.term,
        "rows": result.rows,
        "counts": result.counts,
        "findings": [asdict(f) for f in result.findings],
        "patterns": [asdict(p) for p in result.patterns],
        "offering": [asdict(o) for o in result.offering],
        "seconds": result.seconds,
        "size": result.size,
        "encoding": result.encoding,
        "file_type": result.file_type,
        "fatal": result.fatal,
        "school_code": result.school_code,
        "pua": [asdict(p) for p in result.pua],
        "notes": result.notes,
    }


def write_json(document: dict[str, object], path: Path) -> None:
    """Write compact UTF-8 JSON with the C encoder.

    ``json.dump`` (to a file) always runs the pure-Python encoder; ``json.dumps`` uses the C one
    (about 4x faster on 10,000 findings).
    """
    import json

    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m desktop_app.domain.precheck.engine ROSTER --plan PLAN [--json OUT]`` (no database).

    A bare entry for benchmarks and debugging; the user-facing command is ``desktop-app precheck``.
    """
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(prog="python -m desktop_app.domain.precheck.engine")
    parser.add_argument("roster")
    parser.add_argument("--plan", required=True)
    parser.add_argument("--kind", choices=("pre", "final"))
    parser.add_argument("--division", choices=("day", "continuing"))
    parser.add_argument("--school-code")
    parser.add_argument("--year", type=int)
    parser.add_argument("--term", type=int, choices=(1, 2))
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args(argv)
    plan = CoursePlan.from_path(args.plan)
    result = check_roster(
        Path(args.roster),
        plan,
        CheckOptions(
            kind=args.kind,
            division=args.division,
            school_code=args.school_code,
            year=args.year,
            term=args.term,
        ),
    )
    document = result_to_json(result)
    if args.json_out:
        write_json(document, Path(args.json_out))
    else:
        json.dump(
            {k: document[k] for k in ("file", "rows", "counts", "seconds")}, sys.stdout, ensure_ascii=False
        )
        print()
    if result.fatal:
        return 2
    return 1 if result.error_count else 0


if __name__ == "__main__":
    raise SystemExit(main())
