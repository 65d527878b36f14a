"""Where a data sheet's columns are: the header row (title rows above it, a header merged over two
rows), and the column index of every header name a :class:`SheetKind` reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.domain.precheck.cells import cell_text
from desktop_app.domain.precheck.sheets import KNOWN_HEADERS, SheetKind
from desktop_app.readers.core import normalize_header

HEADER_SCAN_ROWS = 30


def find_header(rows: list[list[object]]) -> int | None:
    """Index of the first row with at least 3 known column names."""
    for index, row in enumerate(rows):
        hits = sum(1 for c in row if c.__class__ is str and normalize_header(c) in KNOWN_HEADERS)
        if hits >= 3:
            return index
    return None


def merge_subheader(header: list[str], below: list[object]) -> list[str] | None:
    """Headers merged over two rows (``備註`` above ``學生姓名`` …): the combined header, or None.

    The row below the header is a second header row when its ID/birth/code cells are empty and
    one of its cells, alone or under the group name to its left, is a known column name.
    """
    norm = [normalize_header(h) for h in header]
    for name in ("身分證號", "出生日期", "課程代碼"):
        key = normalize_header(name)
        if key in norm:
            i = norm.index(key)
            if i < len(below) and cell_text(below[i]).strip():
                return None
    combined = list(header) + [""] * max(0, len(below) - len(header))
    group = ""
    found = False
    for i in range(max(len(header), len(below))):
        top = header[i].strip() if i < len(header) else ""
        if top:
            group = top
        sub = cell_text(below[i]).strip() if i < len(below) else ""
        if not sub:
            continue
        joined = f"{group}({sub})"
        if normalize_header(joined) in KNOWN_HEADERS:
            combined[i] = joined
            found = True
        elif normalize_header(sub) in KNOWN_HEADERS and not top:
            combined[i] = sub
            found = True
    return combined if found else None


@dataclass
class Layout:
    """The header of one data sheet: ``index(names)`` finds the first of ``names`` present."""

    header: list[str]
    header_row: int  # Excel row of the header (the last row when merged over two)
    norm: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.norm = [normalize_header(h) for h in self.header]
        for i, n in enumerate(self.norm):
            self.positions.setdefault(n, i)

    @property
    def headers(self) -> set[str]:
        return set(self.positions)

    def index(self, names: tuple[str, ...] | None) -> int | None:
        for name in names or ():
            i = self.positions.get(normalize_header(name))
            if i is not None:
                return i
        return None

    def title(self, names: tuple[str, ...]) -> str:
        """The column's header as the file has it, or the first name when absent."""
        i = self.index(names)
        return self.header[i].strip() if i is not None else names[0]

    def lacking(self, kind: SheetKind, final: bool) -> list[str]:
        """Required column names the sheet lacks (F03), in the order of the sheet kind."""
        required = list(kind.required_core) + (list(kind.required_final) if final else [])
        return [names[0] for names in required if self.index(names) is None]

    def extra(self) -> list[str]:
        """Headers no rule and no known column name reads (e.g. ``DataKey``): named in a note."""
        return [
            h.strip() for h, n in zip(self.header, self.norm, strict=True) if n and n not in KNOWN_HEADERS
        ]
