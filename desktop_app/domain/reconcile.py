"""收訖對照: match the 修課紀錄 items of a 收訖明細 batch with the rows of the final 修課紀錄/成績名冊.

Pure rules (no Qt, no SQLAlchemy, no file reading). The roster column table below is this feature's
own small table of the columns it needs (formats.md); the pre-check engine has its own sheet-kind
table, and the two can later be pointed at one shared table.

Matching, per student (身分證號):

1. items that carry a 課程代碼: same code and same 學年度/學期, then the same code in any 學期
   (key 「課程代碼」);
2. items without a code: same 科目名稱 + 學年度/學期 + 學分 (key 「科目名稱+學年度學期+學分」), then
   same 科目名稱 + 學年度/學期 with different 學分 (key 「科目名稱+學年度學期」, reported as 不一致 in 學分).

科目名稱 compare after NFKC and without spaces; 學分 and 成績 compare as numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

# -- kinds of difference (JSON keys in this order) -------------------------------------------------
MISSING = "missing"  # 未收訖: in the roster, not received
EXTRA = "extra"  # 多出: received, not in the roster
MISMATCH = "mismatch"  # 不一致: same course, different 科目名稱/學分/成績
NO_RECEIPT = "no_receipt"  # a roster student with no received 修課紀錄 item at all
NOT_IN_ROSTER = "not_in_roster"  # a received student absent from every roster
KINDS = (MISSING, EXTRA, MISMATCH, NO_RECEIPT, NOT_IN_ROSTER)
KIND_LABELS = {
    MISSING: "未收訖",
    EXTRA: "多出",
    MISMATCH: "不一致",
    NO_RECEIPT: "名冊有、無收訖",
    NOT_IN_ROSTER: "收訖有、名冊無",
}

KEY_CODE = "課程代碼"
KEY_TITLE_CREDITS = "科目名稱+學年度學期+學分"
KEY_TITLE = "科目名稱+學年度學期"

FIELD_TITLE = "科目名稱"
FIELD_CREDITS = "學分"
FIELD_SCORE = "成績"

COURSE_CODE_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{23}(?![0-9A-Za-z])")


# -- the roster column table ----------------------------------------------------------------------
@dataclass(frozen=True)
class SheetColumns:
    """The columns this feature reads from one kind of roster sheet (header names, formats.md).

    ``year``/``term`` empty: the rows belong to the roster's own 學年度/學期 (its 封面).
    Each tuple lists alternatives (日間 修課學分 / 進修部 修課節數); the first header present wins.
    """

    kind: str  # the sheet name as the roster spells it
    code: tuple[str, ...] = ("課程代碼",)
    title: tuple[str, ...] = ("科目名稱",)
    year: tuple[str, ...] = ()
    term: tuple[str, ...] = ()
    credits: tuple[str, ...] = ("修課學分", "修課節數")
    scores: tuple[str, ...] = ()  # any of them equal to the receipt's 成績 is a match
    national_id: tuple[str, ...] = ("身分證號",)
    name: tuple[str, ...] = ("備註(學生姓名)",)
    class_name: tuple[str, ...] = ("備註(資料當學期班級)",)
    seat: tuple[str, ...] = ("備註(資料當學期座號)",)


ROSTER_SHEETS: tuple[SheetColumns, ...] = (
    SheetColumns("學期成績", scores=("學期學業成績", "補考成績", "學年學業成績")),
    SheetColumns("補修成績", year=("應修課學年度",), term=("應修課學期",), scores=("補修成績", "補考成績")),
    SheetColumns("轉學轉科成績", year=("對應學年度",), term=("對應學期",), scores=("抵免後成績",)),
    SheetColumns(
        "重修成績",
        code=("原修課課程代碼",),
        title=("原修課科目名稱",),
        year=("原修課學年度",),
        term=("原修課學期",),
        credits=("原修課修課學分", "原修課修課節數"),
        scores=("重修成績",),
    ),
    SheetColumns("重讀成績", scores=("重讀成績", "再次修習成績", "補考成績")),
)
# Sheets read but holding no 修課紀錄 item of their own: the 進修部 補考成績 sheet re-grades courses
# of 學期成績; the (缺) sheets hold rows without a code, which cannot be submitted.
SKIPPED_SHEETS = ("補考成績",)
NOT_SUBMITTED_SUFFIX = "(缺)"
COVER_SHEET = "封面"


def sheet_columns(sheet_name: str) -> SheetColumns | None:
    name = "".join(unicodedata.normalize("NFKC", sheet_name).split())
    for cols in ROSTER_SHEETS:
        if name == cols.kind:
            return cols
    return None


# -- values ---------------------------------------------------------------------------------------
@lru_cache(maxsize=8192)  # a school has a few hundred subject names: each is normalised once
def title_key(text: str) -> str:
    """科目名稱 as compared: NFKC (full-width → half-width), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@lru_cache(maxsize=8192)  # 學分 and 成績 repeat (2, 3, 60…100): looked up, not parsed, 300,000 times
def number_key(text: object) -> str:
    """``2``, ``2.0``, ``" 2 "`` → ``"2"``; ``-1`` (the rosters' "none") and blanks → ``""``.

    Takes a cell as a fast reader returns it (float, int, text or None) as well as text.
    """
    if text.__class__ is float:
        if text == -1:
            return ""
        return str(int(text)) if text.is_integer() else repr(text)
    if text.__class__ is int:
        return "" if text == -1 else str(text)
    value = (text if isinstance(text, str) else "" if text is None else str(text)).strip()
    if not value:
        return ""
    try:
        number = float(value)
    except ValueError:
        return title_key(value)
    if number == -1:
        return ""
    return str(int(number)) if number.is_integer() else repr(number)


def code_from_text(*texts: str) -> str:
    """A 23-character 課程代碼 found in a receipt's text (e.g. its 說明), upper case, or ``""``."""
    for text in texts:
        if text:
            hit = COURSE_CODE_RE.search(text)
            if hit and any(c.isdigit() for c in hit.group()):
                return hit.group().upper()
    return ""


def is_submitted_code(code: str) -> bool:
    """False for codes the central database does not receive: 課程類別 8/9 (團體活動/彈性學習),
    except 科目屬性 D (formats.md)."""
    if len(code) != 23:
        return True
    return not (code[16] in "89" and code[18].upper() != "D")


# -- inputs ---------------------------------------------------------------------------------------
class ReceivedCourse(NamedTuple):
    """One received 修課紀錄 item of the batch (a named tuple: 75,000 are made per run, and a frozen
    dataclass costs several times more to construct)."""

    item_id: int
    national_id: str
    year: str
    term: str
    title: str
    credits: str
    code: str = ""
    score: str = ""
    source_row: int = 0


class RosterCourse(NamedTuple):
    """One row of a roster sheet (only the columns this feature needs). 學分, 成績, 班級 and 座號 are
    kept as the reader returned them (numbers as floats): they are turned into text only for the
    rows that are compared or shown."""

    national_id: str
    code: str
    title: str
    year: str
    term: str
    credits: object
    scores: tuple[object, ...]
    file: str
    sheet: str
    row: int  # Excel row number
    name: object = ""
    class_name: object = ""
    seat: object = ""


# -- outputs --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Difference:
    """One detail row. Student fields are filled in by the caller (class, seat, name from the master)."""

    kind: str
    national_id: str
    roster: RosterCourse | None = None
    received: ReceivedCourse | None = None
    key: str = ""  # which key matched (mismatch) or would have (missing/extra)
    fields: tuple[str, ...] = ()  # mismatch: which fields differ
    count: int = 0  # no_receipt: roster rows; not_in_roster: received items

    @property
    def item_key(self) -> str:
        """Stable key of the course across runs (explanations attach to it); "" for a whole student."""
        course = self.roster or self.received
        if self.kind in (NO_RECEIPT, NOT_IN_ROSTER) or course is None:
            return ""
        return f"{course.code or title_key(course.title)}|{course.year}-{course.term}"


@dataclass
class MatchResult:
    differences: list[Difference] = field(default_factory=list)
    matched: int = 0
    matched_by: dict[str, int] = field(
        default_factory=lambda: {KEY_CODE: 0, KEY_TITLE_CREDITS: 0, KEY_TITLE: 0}
    )
    out_of_scope: int = 0  # received items of a 學期 the rosters do not cover

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for d in self.differences:
            counts[d.kind] += 1
        return counts


def compare_values(
    item: ReceivedCourse, title: str, credits: object, scores: tuple[object, ...], by_code: bool
) -> tuple[str, ...]:
    """The fields in which a received item differs from its roster row (科目名稱 only when matched by code)."""
    fields = []
    if by_code and item.title and item.title != title and title_key(item.title) != title_key(title):
        fields.append(FIELD_TITLE)
    if item.credits and number_key(item.credits) != number_key(credits):
        fields.append(FIELD_CREDITS)
    if item.score:
        score = number_key(item.score)
        if score:
            for s in scores:
                if number_key(s) == score:
                    break
            else:
                fields.append(FIELD_SCORE)
    return tuple(fields)


def _compare(roster: RosterCourse, item: ReceivedCourse, by_code: bool) -> tuple[str, ...]:
    return compare_values(item, roster.title, roster.credits, roster.scores, by_code)


class CodeIndex:
    """The first matching pass (身分證號 + 課程代碼 + 學年度/學期), done while the roster is read.

    Most roster rows find their item here and never become objects; :func:`match_courses` takes
    the index and runs the other passes on what is left. Pairing is in file order on both sides,
    as in the later passes, so the result is the same as matching after reading.
    """

    def __init__(self, received: Iterable[ReceivedCourse]) -> None:
        self.items = list(received)
        by_key: dict[tuple[str, str, str, str], list[ReceivedCourse]] = {}
        get = by_key.get
        for i in self.items:
            _id, nid, year, term, _title, _credits, code = i[:7]
            if code and year and term:
                key = (nid, code, year, term)
                bucket = get(key)
                if bucket is None:
                    by_key[key] = [i]
                else:
                    bucket.append(i)
        self.by_key = by_key
        self.taken: set[int] = set()  # item ids paired
        self.roster_students: set[str] = set()  # every national id read from the rosters
        self.mismatches: list[Difference] = []

    def paired(self, row: RosterCourse, item: ReceivedCourse, fields: tuple[str, ...]) -> None:
        """Record a pair found while reading (``fields``: what differs)."""
        self.taken.add(item.item_id)
        if fields:
            self.mismatches.append(Difference(MISMATCH, row.national_id, row, item, KEY_CODE, fields))


def _course_key(obj: ReceivedCourse | RosterCourse, parts: tuple[str, ...]) -> Hashable:
    """The pairing key of ``obj``: compared only with keys of the same ``parts``."""
    plain = _PLAIN_KEYS.get(parts)
    if plain is not None:
        return plain(obj)
    out = []
    for part in parts:
        value = getattr(obj, part)
        if part == "title":
            value = title_key(value)
        elif part == "credits":
            value = number_key(value)
        out.append(value)
    return tuple(out)


# keys without a value to normalise: read in C (the code pass touches every roster row)
# (attrgetter of one name returns the value itself, of several a tuple: either is a key)
_PLAIN_KEYS: dict[tuple[str, ...], Callable[[ReceivedCourse | RosterCourse], Hashable]] = {
    parts: attrgetter(*parts) for parts in (("code", "year", "term"), ("code",))
}


def _pair(
    items: list[ReceivedCourse], rows: list[RosterCourse], parts: tuple[str, ...]
) -> list[tuple[ReceivedCourse, RosterCourse]]:
    """Pair items with rows of equal key, in file order; paired ones leave both lists."""
    if not items or not rows:
        return []
    free: dict[Hashable, list[RosterCourse]] = defaultdict(list)
    for r in rows:
        free[_course_key(r, parts)].append(r)
    pairs = []
    left = []
    for item in items:
        bucket = free.get(_course_key(item, parts))
        if bucket:
            pairs.append((item, bucket.pop(0)))
        else:
            left.append(item)
    if pairs:
        taken = {id(r) for _i, r in pairs}
        rows[:] = [r for r in rows if id(r) not in taken]
        items[:] = left
    return pairs


def match_courses(
    received: Iterable[ReceivedCourse],
    roster: Iterable[RosterCourse],
    terms: set[tuple[str, str]],
    roster_only: dict[str, tuple[int, RosterCourse]] | None = None,
    index: CodeIndex | None = None,
) -> MatchResult:
    """Compare the received 修課紀錄 items with the roster rows.

    ``terms`` are the (學年度, 學期) the rosters cover (their own 學期 plus those their 補修/重修/轉學轉科
    rows name); a received item of another 學期 is out of scope (counted, not compared). An item
    without 學年度/學期 is compared on the rest of its key. ``roster_only``: roster students the
    caller knows received nothing (national id → (rows, first row)), read without their rows.
    ``index``: the :class:`CodeIndex` the rows were read through (``roster`` then holds only the
    rows it left unpaired).
    """
    by_student_rows: dict[str, list[RosterCourse]] = defaultdict(list)
    for r in roster:
        by_student_rows[r.national_id].append(r)
    result = MatchResult()
    taken = index.taken if index is not None else set()
    by_student_items, received_any = _items_in_scope(received, terms, taken, result)
    in_roster = set(by_student_rows) | (index.roster_students if index is not None else set())
    diffs = result.differences
    if index is not None:
        result.matched += len(taken)
        result.matched_by[KEY_CODE] += len(taken)
        diffs.extend(index.mismatches)
    # a roster student whose received items all belong to other 學期: every row is 未收訖
    for nid in by_student_rows:
        if nid in received_any and nid not in by_student_items:
            by_student_items[nid] = []
    for nid, rows in by_student_rows.items():
        if nid not in received_any:
            diffs.append(Difference(NO_RECEIPT, nid, roster=rows[0], count=len(rows)))
    for nid, (count, first) in (roster_only or {}).items():
        if nid not in received_any and nid not in by_student_rows:
            diffs.append(Difference(NO_RECEIPT, nid, roster=first, count=count))
    for nid, items in by_student_items.items():
        if nid not in in_roster:
            diffs.append(Difference(NOT_IN_ROSTER, nid, received=items[0], count=len(items)))
        else:
            _match_student(nid, items, list(by_student_rows.get(nid, ())), result)
    return result


def _items_in_scope(
    received: Iterable[ReceivedCourse], terms: set[tuple[str, str]], taken: set[int], result: MatchResult
) -> tuple[dict[str, list[ReceivedCourse]], set[str]]:
    """(the items still to match, per student; every student received) — items already paired
    (``taken``) left out, items of a 學期 outside ``terms`` only counted (``result.out_of_scope``)."""
    by_student_items: dict[str, list[ReceivedCourse]] = defaultdict(list)
    received_any: set[str] = set()
    for item in received:
        received_any.add(item.national_id)
        if item.item_id in taken:
            continue
        if item.year and item.term and (item.year, item.term) not in terms:
            result.out_of_scope += 1
            continue
        by_student_items[item.national_id].append(item)
    return by_student_items, received_any


def _match_student(
    nid: str, items: list[ReceivedCourse], rows: list[RosterCourse], result: MatchResult
) -> None:
    """The passes for one student (coded items by code, then the others by 科目名稱); what is left of
    ``items`` is 多出, what is left of ``rows`` 未收訖."""
    diffs = result.differences
    coded_dated = [i for i in items if i.code and i.year and i.term]
    coded_undated = [i for i in items if i.code and not (i.year and i.term)]
    plain_dated = [i for i in items if not i.code and i.year and i.term]
    plain_undated = [i for i in items if not i.code and not (i.year and i.term)]
    passes = (
        (coded_dated, KEY_CODE, ("code", "year", "term")),
        (coded_dated, KEY_CODE, ("code",)),
        (coded_undated, KEY_CODE, ("code",)),
        (plain_dated, KEY_TITLE_CREDITS, ("title", "year", "term", "credits")),
        (plain_undated, KEY_TITLE_CREDITS, ("title", "credits")),
        (plain_dated, KEY_TITLE, ("title", "year", "term")),
        (plain_undated, KEY_TITLE, ("title",)),
    )
    for group, key_name, parts in passes:
        for item, row in _pair(group, rows, parts):
            result.matched += 1
            result.matched_by[key_name] += 1
            differing = _compare(row, item, key_name == KEY_CODE)
            if differing:
                diffs.append(Difference(MISMATCH, nid, row, item, key_name, differing))
    for item in (*coded_dated, *coded_undated):
        diffs.append(Difference(EXTRA, nid, received=item, key=KEY_CODE))
    for item in (*plain_dated, *plain_undated):
        diffs.append(Difference(EXTRA, nid, received=item, key=KEY_TITLE_CREDITS))
    missing_key = KEY_CODE if all(i.code for i in items) else KEY_TITLE_CREDITS
    for row in rows:
        diffs.append(Difference(MISSING, nid, roster=row, key=missing_key))
