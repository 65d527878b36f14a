"""Parse one large xlsx worksheet on two cores: the rows' first half and second half at once.

calamine parses a sheet without holding Python's GIL, but one sheet is one task: on the 125 MB
sheet of a 150,000-row roster it keeps one core busy for ~1.7 s while the other waits. For a
worksheet whose XML is at least :data:`SPLIT_MIN_XML`, the sheet's XML is cut at a ``<row>``
element near its middle and each half is handed to calamine as a workbook of its own (an
in-memory zip holding that half plus the workbook's other parts: shared strings, styles, the
workbook itself), parsed in two threads. The rows then come out as if the sheet had been read
whole: the first half's rows, then the second half's from the row after the first half ends (its
own leading empty area skipped), each padded to the columns of the whole sheet.

The result must be the same as a whole read, so anything unusual gives ``None`` and the caller
reads the sheet whole: one core, a sheet without ``<sheetData>``, a cut row without ``r``, a cell
of one half that lies in the other half's rows, or calamine refusing a half. Nothing is written to
disk: the halves live in memory only while calamine takes them.

Only worksheets the guard (:mod:`desktop_app.readers.xlsx_guard`) has already measured get here;
the guard keeps the inflated XML of the first large sheet, so it is not inflated twice.

Cost and gain (``python bench/precheck_bench.py``, 150,295 rows, 2 cores): the check goes from
1.54x to ~1.25x a bare calamine read; peak memory from 235 to ~430 MB, as calamine holds each half's
zip (the XML uncompressed) while it parses.
"""

from __future__ import annotations

import io
import os
import re
import struct
import sys
import threading
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any

from desktop_app.readers.core import MAX_SHEET_XML_BYTES
from desktop_app.readers.xlsx_guard import member_chunks, sheet_part_names

SPLIT_MIN_XML = 32 * 1024 * 1024  # ~35,000 roster rows: below this a whole read takes < 0.5 s

_SHEET_DATA_RE = re.compile(rb"<(\w+:)?sheetData\b[^>]{0,200}>")
_ROW_R_RE = re.compile(rb"<(?:\w+:)?row\b[^>]{0,2000}?\sr=[\"'](\d{1,7})[\"']")
MAX_OTHER_PARTS = 64 * 1024 * 1024  # shared strings, styles …: copied into both halves
_TAIL_WINDOW = 8 << 20  # where </sheetData> is looked for: the end of the XML
_CUT_WINDOW = 4 << 20  # where the cut row is looked for: from the middle of the rows on
_SKIPPED_PARTS = ("xl/media/", "xl/drawings/", "xl/printerSettings/", "xl/embeddings/")

Rows = Callable[[], Iterator[list[object]]]
# one split at a time: two rosters read at once (收訖對照 of 日間 and 進修部) already use a core each,
# and two splits would hold both rosters' halves in memory together
_SPLITTING = threading.Lock()


def split_threshold() -> int | None:
    """The XML size from which a sheet is read in halves, or None when there is one core only."""
    return SPLIT_MIN_XML if _cores() >= 2 else None


def load_split(path: Path, sheet_name: str, inflated: dict[str, list[bytes]] | None = None) -> tuple[int, Rows] | None:
    """(rows the sheet spans, the rows' iterator factory) read on two cores, or None (read it whole).

    ``inflated``: the guard's {part: inflated chunks}; the sheet's entry is taken (and dropped) from it.
    """
    if _cores() < 2:
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            part = _part_of(zf, sheet_name)
            if part is None:
                return None
            info = zf.getinfo(part)
            chunks = (inflated or {}).pop(part, None)  # taken here, whether the split goes ahead or not
            if info.file_size < SPLIT_MIN_XML:
                return None
            kept = [i for i in zf.infolist() if i.filename != part and not i.is_dir() and not _skipped(i.filename)]
            if sum(i.file_size for i in kept) > MAX_OTHER_PARTS:
                return None  # each half would carry a copy: read the sheet whole
            others = [(item.filename, [zf.read(item)]) for item in kept]
        if chunks is None:
            chunks = list(member_chunks(path, info, MAX_SHEET_XML_BYTES))
    except Exception:  # damaged, changed since the guard read it, out of memory …
        return None  # the whole read says what is wrong
    halves = _cut(chunks)
    del chunks  # the pieces are views on them: they live until both halves are zipped
    if halves is None:
        return None
    pieces, cut_row = halves
    if not _SPLITTING.acquire(blocking=False):
        return None  # another sheet is being split (two rosters at once): one core each is enough
    try:
        sheets = _parse_halves(part, others, pieces, sheet_name)
    finally:
        _SPLITTING.release()
    if sheets is None:
        return None
    return _joined(sheets[0], sheets[1], cut_row - 1)


def _cores() -> int:
    if sys.platform == "linux":
        return len(os.sched_getaffinity(0))  # the cores this process may use
    return os.cpu_count() or 1


def _skipped(name: str) -> bool:
    """Parts calamine does not need to read one sheet's cells: other worksheets, pictures."""
    if name.startswith(_SKIPPED_PARTS):
        return True
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _part_of(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    for part, name in sheet_part_names(zf).items():
        if name == sheet_name:
            return part
    return None


class _Chunks:
    """The sheet's XML as the inflated chunks (no 125 MB join): searches and views by absolute offset."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.starts: list[int] = []
        offset = 0
        for chunk in chunks:
            self.starts.append(offset)
            offset += len(chunk)
        self.size = offset

    def window(self, start: int, length: int) -> bytes:
        """A copy of ``length`` bytes (fewer at the end) from ``start``."""
        return b"".join(bytes(view) for view in self.views(start, min(self.size, start + length)))

    def views(self, start: int, end: int) -> list[memoryview]:
        out = []
        i = max(bisect_right(self.starts, start) - 1, 0)
        while start < end and i < len(self.chunks):
            local = start - self.starts[i]
            take = min(len(self.chunks[i]) - local, end - start)
            out.append(memoryview(self.chunks[i])[local : local + take])
            start += take
            i += 1
        return out


def _cut(chunks: list[bytes]) -> tuple[list[list[Any]], int] | None:
    """The two halves' pieces (head, rows, tail; views on the chunks) and the cut row's number."""
    xml = _Chunks(chunks)
    first = xml.window(0, 1 << 20)
    opening = _SHEET_DATA_RE.search(first)
    if opening is None or opening.group(0).endswith(b"/>"):
        return None
    prefix = opening.group(1) or b""
    body_start = opening.end()
    last_start = max(xml.size - _TAIL_WINDOW, 0)
    body_end = xml.window(last_start, _TAIL_WINDOW).rfind(b"</" + prefix + b"sheetData>")
    if body_end < 0 or last_start + body_end <= body_start:
        return None  # no end tag, or more than 8 MB after it: read the sheet whole
    body_end += last_start
    middle = body_start + (body_end - body_start) // 2
    near = xml.window(middle, _CUT_WINDOW)
    row_tag = b"<" + prefix + b"row"
    cut = near.find(row_tag)
    while cut >= 0 and near[cut + len(row_tag) : cut + len(row_tag) + 1] not in (b" ", b">", b"\t", b"\n", b"\r"):
        cut = near.find(row_tag, cut + 1)
    numbered = _ROW_R_RE.match(near, cut) if cut >= 0 else None
    if numbered is None or middle + cut >= body_end:
        return None  # rows without r are counted from the start: the second half could not know
    cut += middle
    head, tail = xml.views(0, body_start), xml.views(body_end, xml.size)
    return [[*head, *xml.views(body_start, cut), *tail], [*head, *xml.views(cut, body_end), *tail]], int(
        numbered.group(1)
    )


def _stored_zip(members: Sequence[tuple[str, Sequence[Any]]]) -> bytes:
    """A zip (no compression) of ``members``: (name, the member's bytes in pieces)."""
    out: list[Any] = []
    central: list[bytes] = []
    offset = 0
    for name, pieces in members:
        crc = 0
        size = 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
        encoded = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, 0, 0, 0, crc, size, size, len(encoded), 0)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                *(b"PK\x01\x02", 20, 20, flags, 0, 0, 0, crc, size, size, len(encoded), 0, 0, 0, 0, 0, offset),
            )
            + encoded
        )
        out += [local, encoded, *pieces]
        offset += len(local) + len(encoded) + size
    directory = b"".join(central)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join([*out, directory, end])


def _parse_halves(
    part: str, others: list[tuple[str, list[bytes]]], pieces: list[list[Any]], sheet_name: str
) -> tuple[Any, Any] | None:
    """Both halves parsed by calamine at once (it releases the GIL), or None when one fails."""
    from python_calamine import CalamineWorkbook

    sheets: list[Any] = [None, None]

    def parse(k: int) -> None:
        try:
            data = _stored_zip([*others, (part, pieces[k])])
            pieces[k] = []  # release the views on the sheet's XML
            workbook = CalamineWorkbook.from_object(io.BytesIO(data))
            del data
            sheets[k] = workbook.get_sheet_by_name(sheet_name)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # calamine's errors, and its panics (BaseException): the whole read reports them
            sheets[k] = None

    worker = threading.Thread(target=parse, args=(1,), name="xlsx-half", daemon=True)
    worker.start()
    parse(0)
    worker.join()
    if sheets[0] is None or sheets[1] is None:
        return None
    return sheets[0], sheets[1]


def _joined(first: Any, second: Any, cut_index: int) -> tuple[int, Rows] | None:
    """The rows of the whole sheet from its two halves (0-based ``cut_index``: the second's first row)."""
    s1, e1, s2, e2 = first.start, first.end, second.start, second.end
    if (e1 is not None and e1[0] >= cut_index) or (s2 is not None and s2[0] < cut_index):
        return None  # a cell outside its half's rows (hand-written XML): read the sheet whole
    if s1 is None and s2 is None:
        return 0, lambda: iter(())
    last_col = max(e[1] for e in (e1, e2) if e is not None)
    total = (e2 if e2 is not None else e1)[0]  # as calamine's total_height: the last row's index

    def padded(sheet: Any, start: tuple[int, int], end: tuple[int, int], skip: int) -> Iterator[list[object]]:
        rows: Iterator[list[object]] = islice(sheet.iter_rows(), skip, None) if skip else iter(sheet.iter_rows())
        left: list[object] = [""] * start[1]
        right: list[object] = [""] * (last_col - end[1])
        if left and right:
            return (left + row + right for row in rows)
        if left:
            return (left + row for row in rows)
        if right:
            return (row + right for row in rows)
        return rows

    def rows() -> Iterator[list[object]]:
        parts: list[Iterator[list[object]]] = []
        if s1 is not None and e1 is not None:
            parts.append(padded(first, s1, e1, 0))
        if s2 is not None and e2 is not None:
            parts.append(padded(second, s2, e2, e1[0] + 1 if e1 is not None else 0))
        return chain.from_iterable(parts)

    return total, rows
