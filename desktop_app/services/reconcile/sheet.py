"""收訖對照: the rows of one data sheet of a final 修課紀錄/成績名冊 (學期成績, 補修, 轉學轉科, 重修, 重讀).

The header row is found in the sheet's first 10 rows; the columns come from this feature's own
table (``domain/reconcile.py``: ``SheetColumns``). A roster may hold 150,000 rows: :meth:`SheetScan.run`
is the hot loop, with the two common cases inlined (a student not in the batch, only counted; a batch
student's row paired with its item as it is read). Every other row takes :meth:`SheetScan.general`,
which gives the same result for the common cases too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.national_id import normalize_id
from desktop_app.domain.reconcile import CodeIndex, RosterCourse, SheetColumns, compare_values
from desktop_app.readers import cell_text, normalize_header

HEADER_SEARCH_ROWS = 10


class RosterFileError(ServiceError):
    """A roster that cannot be read or is not a 修課紀錄/成績名冊 (CLI exit status 2)."""


def plain_text(value: object) -> str:
    return value.strip() if value.__class__ is str else cell_text(value).strip()


def _first(index: dict[str, int], names: tuple[str, ...]) -> int | None:
    for name in names:
        i = index.get(normalize_header(name))
        if i is not None:
            return i
    return None


def find_header(
    path: Path, sheet: str, rows: Iterator[list[object]], cols: SheetColumns
) -> tuple[list[object], int]:
    """(header row, its row number) among the first 10 rows; the rows after it stay in ``rows``."""
    id_name = normalize_header(cols.national_id[0])
    course_names = (normalize_header(cols.code[0]), normalize_header(cols.title[0]))
    for n, row in enumerate(rows, start=1):
        names = {normalize_header(c) for c in row if isinstance(c, str)}
        if id_name in names and (course_names[0] in names or course_names[1] in names):
            return row, n
        if n >= HEADER_SEARCH_ROWS:
            break
    raise RosterFileError(
        f"「{path.name}」工作表「{sheet}」前 10 列找不到標題列（應有「{cols.national_id[0]}」與"
        f"「{cols.code[0]}」欄）。請確認這是修課紀錄／成績名冊。"
    )


class SheetScan:
    """Reading one data sheet's rows after its header.

    Rows of students not in ``wanted`` are only counted into ``others`` (national id → [rows, first
    row]): a roster student with no receipt needs no more. With ``index`` the first matching pass
    runs while reading (a paired row becomes no object unless it differs). ``terms`` collects the
    (學年度, 學期) of sheets that carry their own.
    """

    def __init__(
        self,
        path: Path,
        sheet: str,
        header: list[object],
        cols: SheetColumns,
        year: str,
        term: str,
        wanted: set[str] | None,
        others: dict[str, list[Any]],
        index: CodeIndex | None,
        terms: set[tuple[str, str]],
    ) -> None:
        self.name, self.sheet = path.name, sheet
        self.year, self.term = year, term
        self.wanted, self.others, self.index, self.terms = wanted, others, index, terms
        header_at = {normalize_header(h): i for i, h in enumerate(header) if isinstance(h, str) and h.strip()}
        self.continuing = (
            normalize_header("修課節數") in header_at or normalize_header("原修課修課節數") in header_at
        )
        self._place_columns(header_at, cols, len(header))
        self.out: list[RosterCourse] = []
        self.not_submitted = 0
        self.blanks = 0

    def _place_columns(self, header_at: dict[str, int], cols: SheetColumns, width: int) -> None:
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
        self.score_at = [i for i in (_first(header_at, (s,)) for s in cols.scores) if i is not None]
        # absent columns read an extra blank cell appended to short rows only; a full row gets one too
        self.width = width
        self.own_year = fixed[7] is not None
        if fixed[7] is None and fixed[8] is None:
            # a sheet without its own 學年度/學期 (學期成績): those two are never read, and must not make
            # every row be copied with a blank cell appended (the fast paths below need no copy)
            fixed[7] = fixed[8] = fixed[0]
        self.positions = [width if i is None else i for i in fixed] + self.score_at
        self.get = itemgetter(*self.positions)
        self.need_pad = width in self.positions

    def _scores_of(self) -> Callable[[list[object]], tuple[object, ...]]:
        score_at = self.score_at
        if len(score_at) > 1:
            return itemgetter(*score_at)
        if score_at:
            only = score_at[0]
            return lambda r: (r[only],)
        return lambda r: ()

    def run(self, rows: Iterator[list[object]], header_row: int) -> tuple[list[RosterCourse], bool, int, int]:
        """(rows, continuing?, not-submitted count, rows read) of the rows after the header."""
        wanted, others, year, term, width = self.wanted, self.others, self.year, self.term, self.width
        need_pad = self.need_pad
        i_id, i_code, i_title, i_credits = self.positions[:4]
        index = self.index
        fast_pairs = index is not None and not self.own_year and not need_pad
        by_key = index.by_key if index is not None else {}
        student_add = (index.roster_students if index is not None else set()).add
        taken_add = (index.taken if index is not None else set()).add
        scores_of = self._scores_of()
        general = self.general
        not_submitted = 0  # of the rows counted here; the general path counts its own
        n = header_row
        for n, row in enumerate(rows, start=header_row + 1):
            if wanted is not None and not need_pad and len(row) >= width:
                # a student not in the batch (the most rows when the roster is the whole school's) is
                # only counted: no row object, the code checked as the file has it
                nid: Any = row[i_id]
                code: Any
                if (
                    nid.__class__ is str
                    and nid not in wanted
                    and len(nid) == 10
                    and nid.isascii()
                    and nid.isupper()
                ):
                    code = row[i_code]
                    if (
                        code.__class__ is str
                        and len(code) == 23
                        and code[16] in "89"
                        and code[18] not in "Dd"
                    ):
                        not_submitted += 1
                        continue
                    seen = others.get(nid)
                    if seen is not None:
                        seen[0] += 1
                        continue
                elif fast_pairs and nid.__class__ is str:
                    # a batch student's row as a school writer leaves it (ID and code canonical, the
                    # 學期 the roster's own): paired here when nothing differs; anything else falls
                    # through to the general path, which gives the same result
                    code = row[i_code]
                    title: Any = row[i_title]
                    if (
                        code.__class__ is str
                        and title.__class__ is str
                        and len(code) == 23
                        and code.isupper()
                        and code.isalnum()
                        and not (code[16] in "89" and code[18] != "D")
                    ):
                        bucket = by_key.get((nid, code, year, term))
                        if bucket:
                            item = bucket[0]
                            if not compare_values(item, title, row[i_credits], scores_of(row), True):
                                del bucket[0]
                                student_add(nid)
                                taken_add(item.item_id)
                                continue
            general(row, n)
        return self.out, self.continuing, not_submitted + self.not_submitted, n - header_row - self.blanks

    def general(self, row: list[object], n: int) -> None:
        """Any row: normalised, counted, paired (with ``index``) or kept."""
        width = self.width
        if self.need_pad:
            row = [*row[:width], *([""] * (width + 1 - min(len(row), width)))]
        elif len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        v = self.get(row)
        nid = v[0]
        if nid.__class__ is not str or len(nid) != 10 or not (nid.isascii() and nid.isupper()):
            nid = normalize_id(cell_text(nid))
            if not nid:
                self.blanks += 1
                return
        code = v[1]
        code = code.strip().upper() if code.__class__ is str else cell_text(code).strip().upper()
        if len(code) == 23 and code[16] in "89" and code[18] != "D":  # is_submitted_code, inlined
            self.not_submitted += 1
            return
        other = self.wanted is not None and nid not in self.wanted
        if other:
            seen = self.others.get(nid)
            if seen is not None:
                seen[0] += 1
                return
        title = v[2] if v[2].__class__ is str else cell_text(v[2])
        row_year = plain_text(v[7]) if self.own_year else self.year
        row_term = plain_text(v[8]) if self.own_year else self.term
        if self.own_year:
            self.terms.add((row_year, row_term))
        index = self.index
        if index is not None and not other:
            # the first matching pass while reading: a paired row needs no object unless it differs
            index.roster_students.add(nid)
            bucket = index.by_key.get((nid, code, row_year, row_term))
            if bucket:
                item = bucket.pop(0)
                fields = compare_values(item, title, v[3], v[9:], True)
                if not fields:
                    index.taken.add(item.item_id)
                    return
                index.paired(self._course(v, nid, code, title, row_year, row_term, n), item, fields)
                return
        course = self._course(v, nid, code, title, row_year, row_term, n)
        if other:
            self.others[nid] = [1, course]
        else:
            self.out.append(course)

    def _course(self, v: Any, nid: str, code: str, title: str, year: str, term: str, n: int) -> RosterCourse:
        return RosterCourse(
            nid, code, title, year, term, v[3], v[9:], self.name, self.sheet, n, v[4], v[5], v[6]
        )


def sheet_rows(
    path: Path,
    sheet: str,
    rows: Iterator[list[object]],
    cols: SheetColumns,
    year: str,
    term: str,
    wanted: set[str] | None,
    others: dict[str, list[Any]],
    index: CodeIndex | None = None,
    terms: set[tuple[str, str]] | None = None,
) -> tuple[list[RosterCourse], bool, int, int]:
    """(rows, continuing?, not-submitted count, rows read) of one data sheet (see :class:`SheetScan`)."""
    header, header_row = find_header(path, sheet, rows, cols)
    scan = SheetScan(
        path, sheet, header, cols, year, term, wanted, others, index, set() if terms is None else terms
    )
    return scan.run(rows, header_row)
