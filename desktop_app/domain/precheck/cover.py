"""The ``封面`` sheet: its values (學校代碼, 學年度, 學期, 名冊別) and F04 when they disagree with the
school profile, the chosen term or the roster kind (``docs/precheck-rules.md``, F04).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.domain.precheck.cells import ascii_digits, cell_text, clean, int_or_none, num_text
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.domain.precheck.rules import DIVISION_ZH, KIND_ZH, OTHER_ROSTER_TYPES, ROSTER_TYPES
from desktop_app.domain.precheck.sheets import COVER_SHEET
from desktop_app.readers.core import normalize_header

COVER_HEADERS = ("學校代碼", "學年度", "學期", "名冊別")


@dataclass
class Cover:
    school_code: str | None = None
    year: int | None = None
    term: int | None = None
    roster_type: str | None = None
    header_row: int = 1  # Excel row of the header
    titles: dict[str, str] = field(default_factory=dict)  # header name → column title as in the file


def read_cover(
    sheet_names: list[str], rows_of: Callable[[str], list[list[object]]]
) -> tuple[Cover | None, str | None]:
    """(cover, sheet name) when the file has a 封面 sheet with its header row."""
    for name in sheet_names:
        if normalize_header(name) != COVER_SHEET:
            continue
        rows = rows_of(name)
        wanted = {normalize_header(h): h for h in COVER_HEADERS}
        for index, row in enumerate(rows):
            found = {
                wanted[n]: i for i, c in enumerate(row) if (n := normalize_header(cell_text(c))) in wanted
            }
            if len(found) < 2:
                continue
            values = rows[index + 1] if index + 1 < len(rows) else []

            def value(header: str, found: dict[str, int] = found, values: list[object] = values) -> str:
                i = found.get(header)
                return clean(cell_text(values[i])) if i is not None and i < len(values) else ""

            school = num_text(value("學校代碼").upper())
            if ascii_digits(school) and len(school) < 6:
                school = school.zfill(6)
            return Cover(
                school_code=school or None,
                year=int_or_none(value("學年度")),
                term=int_or_none(value("學期")),
                roster_type=num_text(value("名冊別")) or None,
                header_row=index + 1,
                titles={h: cell_text(row[i]).strip() for h, i in found.items()},
            ), name
        return None, name
    return None, None


# (code, message, column, value, expected) of an F04 on the cover's value row
CoverFinding = tuple[str, str, str, str, str]


def cover_findings(cover: Cover, options: CheckOptions, school_code: str | None) -> list[CoverFinding]:
    """F04 of the cover against the profile's school code and the options (term, kind, division)."""
    out: list[CoverFinding] = []

    def f04(header: str, value: object, expected: object, what: str) -> None:
        shown = "" if value is None else str(value)
        out.append(("F04", f"封面的{what}", cover.titles.get(header, header), shown, str(expected)))

    if school_code and cover.school_code and cover.school_code != school_code:
        f04(
            "學校代碼",
            cover.school_code,
            school_code,
            f"學校代碼「{cover.school_code}」與學校設定「{school_code}」不符",
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
        what = f"名冊別 {roster_type} 是「{OTHER_ROSTER_TYPES[roster_type]}」，不是修課紀錄／成績名冊"
        f04("名冊別", roster_type, "41（預檢日間）或 42（預檢進修部）或成績名冊", what)
    elif roster_type in ROSTER_TYPES:
        kind, division = ROSTER_TYPES[roster_type]
        if options.kind is not None and options.kind != kind:
            what = f"名冊別 {roster_type} 是{KIND_ZH[kind]}，與所選的{KIND_ZH[options.kind]}不符"
            f04("名冊別", roster_type, "成績名冊（不是 41、42）", what)
        elif options.division is not None and options.division != division:
            expected = "41" if options.division == "day" else "42"
            what = (
                f"名冊別 {roster_type} 是{DIVISION_ZH[division]}，與所選的{DIVISION_ZH[options.division]}不符"
            )
            f04("名冊別", roster_type, expected, what)
    elif roster_type and options.kind == "pre":
        f04("名冊別", roster_type, "41 或 42", f"名冊別 {roster_type} 不是預檢名冊（41 日間、42 進修部）")
    return out
