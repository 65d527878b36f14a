"""Refuse an xlsx whose worksheets would make calamine allocate absurd memory, before it parses them.

calamine builds each worksheet as a dense rows x columns array over the range its cells span (the
smallest to the largest row and column of any cell), whatever ``<dimension>`` declares. A sheet
whose cells lie far apart (one cell at A1, one at XFD1048576) therefore makes it allocate
gigabytes and abort the whole process: no exception to catch. So before calamine sees a workbook,
every worksheet's XML is streamed once and the span is bounded:

- rows: the largest ``r`` of a ``<row>`` element;
- columns: the highest column letter of any cell reference (either case).

Not bounded (hand-written XML that no spreadsheet program writes; checking for it would double the
cost of the scan): a cell reference whose row lies outside its own ``<row>`` element, and
references written with single quotes.

Cost: one inflate (zlib straight from the file, no CRC pass: calamine checks the file itself) and
one cheap pass per chunk in a usual sheet: about 0.3 s for the 125 MB sheet of a 150,000-row roster
(``python bench/precheck_bench.py``).
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path

from desktop_app.readers.core import MAX_SHEET_CELLS, MAX_SHEET_XML_BYTES, ReaderError, _refuse

_DIMENSION_RE = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?[\"']"
)
_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_RE = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTR_RE = re.compile(rb"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")  # either order, either quote

# The passes start with the literal ' r="' so the regex engine skips ahead fast, and fail on the
# first character after the quote for almost every cell, which is what keeps them cheap. While no
# column past Z has been seen, one pass finds both the <row> numbers and any cell reference with a
# letter above the highest column seen (or two letters): in a usual sheet that second kind never
# matches after the first chunk.
_ROWS_RE = re.compile(rb' r="(\d{1,10})"')  # <row r="12">: a cell's r starts with a letter
_LONG_COLS_RE = re.compile(rb' r="([A-Za-z]{2,3})\d')
_ROWS_OR_WIDER_RE = [
    re.compile(rb' r="(?:(\d{1,10})"|[' + bytes([65 + i]) + rb'-Z' + bytes([97 + i]) + rb'-z]|[A-Za-z]{2})')
    for i in range(26)
]
_HIGHER_LETTER_RE = [
    re.compile(rb' r="([' + bytes([65 + i]) + rb'-Z' + bytes([97 + i]) + rb'-z])') for i in range(26)
]

_CHUNK = 1 << 22  # inflated bytes per chunk
_CARRY = 256  # bytes kept from the previous chunk, so a reference cut in two is still seen


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _declared_cells(head: bytes) -> tuple[int, str] | None:
    """(cells, ref) from the ``<dimension ref>`` at the start of a worksheet's XML, or None."""
    match = _DIMENSION_RE.search(head)
    if match is None:
        return None
    c1, r1, c2, r2 = match.groups()
    if c2 is None:
        return 1, f"{c1.decode()}{r1.decode()}"
    rows = abs(int(r2) - int(r1)) + 1
    cols = abs(_column_number(c2) - _column_number(c1)) + 1
    return rows * cols, f"{c1.decode()}{r1.decode()}:{c2.decode()}{r2.decode()}"


def sheet_part_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name as Excel shows it (best effort, small parts only)."""
    try:
        infos = {i.filename: i for i in zf.infolist()}
        book, rels = infos.get("xl/workbook.xml"), infos.get("xl/_rels/workbook.xml.rels")
        if book is None or rels is None or book.file_size > 5_000_000 or rels.file_size > 5_000_000:
            return {}
        targets: dict[str, str] = {}
        for tag in _REL_RE.findall(zf.read(rels)):
            attrs = _attributes(tag)
            if "Id" in attrs and "Target" in attrs:
                targets[attrs["Id"]] = attrs["Target"]
        out: dict[str, str] = {}
        for tag in _SHEET_RE.findall(zf.read(book)):
            attrs = _attributes(tag)
            rid = next((value for key, value in attrs.items() if key.endswith(":id")), "")
            target = targets.get(rid, "")
            if "name" not in attrs or not target:
                continue
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            out[part] = attrs["name"]
        return out
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return {}


def _attributes(tag: bytes) -> dict[str, str]:
    """An XML start tag's attributes (entities decoded), whatever their order and quotes."""
    return {
        key.decode("utf-8", "replace"): html.unescape((double or single).decode("utf-8", "replace"))
        for key, double, single in _ATTR_RE.findall(tag)
    }


class _TooLarge(Exception):
    """The member inflates to more than the limit (its declared size lied)."""


def _raw_inflater(path: Path, info: zipfile.ZipInfo) -> tuple[int, zlib._Decompress | None] | None:
    """(offset of the member's data, decompressor or None when stored), or None when unusual."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
        return None  # another method, or encrypted: let zipfile read it
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    offset = info.header_offset + 30 + name_len + extra_len
    return offset, zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None


def member_chunks(path: Path, info: zipfile.ZipInfo, limit: int) -> Generator[bytes, None, None]:
    """The member's bytes in chunks of up to 4 MB, inflated with zlib straight from the file.

    No CRC is computed (calamine checks the file itself), but the inflated size must be the size
    the zip directory declares, as zipfile checks it: a member that inflates to more (a bomb that
    lies) or less is a damaged file (:class:`zipfile.BadZipFile`); ``limit`` stops one past the
    per-sheet limit first (:class:`_TooLarge`).
    """
    raw = _raw_inflater(path, info)
    if raw is None:
        with zipfile.ZipFile(path) as zf, zf.open(info) as member:
            chunks: Iterator[bytes] = iter(lambda: member.read(_CHUNK), b"")
            yield from _limited(chunks, limit, info.file_size)
        return
    offset, inflater = raw
    yield from _limited(_inflate(path, offset, info.compress_size, inflater), limit, info.file_size)


def _limited(chunks: Iterator[bytes], limit: int, declared: int) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise _TooLarge
        if total > declared:
            raise zipfile.BadZipFile("larger than its declared size")
        yield chunk
    if total != declared:
        raise zipfile.BadZipFile("smaller than its declared size")


def _inflate(path: Path, offset: int, size: int, inflater: zlib._Decompress | None) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        fh.seek(offset)
        remaining = size
        while remaining > 0:
            data = fh.read(min(1 << 20, remaining))
            if not data:
                raise zipfile.BadZipFile("truncated member")
            remaining -= len(data)
            if inflater is None:
                yield data
                continue
            while data:
                chunk = inflater.decompress(data, _CHUNK)  # bounded: a bomb cannot blow up one call
                data = inflater.unconsumed_tail
                if chunk:
                    yield chunk


def _span(chunks: Iterator[bytes]) -> tuple[int, int]:
    """(largest ``<row>`` r, highest column of any cell reference) over the streamed sheet XML.

    Each chunk is scanned as it is, and the few bytes around each seam once more (a reference cut
    in two by the seam is whole there): no 4 MB copy per chunk.
    """
    bounds = [0, 0]
    tail = b""
    for chunk in chunks:
        if tail:
            _scan(tail + chunk[:_CARRY], bounds)
        _scan(chunk, bounds)
        tail = chunk[-_CARRY:]
    return bounds[0], bounds[1]


def _scan(data: bytes, bounds: list[int]) -> None:
    """Raise ``bounds`` ([largest <row> r, highest column]) to what ``data`` holds."""
    if bounds[1] < 26:
        found = _ROWS_OR_WIDER_RE[bounds[1]].findall(data)  # a row's number, or b"" for a wider cell
        rows = list(filter(None, found))
        wider = len(rows) < len(found)
    else:
        rows, wider = _ROWS_RE.findall(data), True
    if rows:
        bounds[0] = max(bounds[0], max(map(int, rows)))
    if not wider:
        return
    while bounds[1] < 26:
        higher = _HIGHER_LETTER_RE[bounds[1]].search(data)
        if higher is None:
            break
        bounds[1] = higher.group(1).upper()[0] - 64
    for letters in _LONG_COLS_RE.findall(data):
        bounds[1] = max(bounds[1], _column_number(letters))


def _too_large(path: Path, sheet: str, limit: int) -> ReaderError:
    return ReaderError(
        "F01",
        f"「{path.name}」的工作表「{sheet}」解壓縮後超過每個工作表 {limit / 1024**2:,.0f} MB 的上限，"
        "已拒絕讀取（避免耗盡記憶體）。",
    )


def _measure(
    path: Path, info: zipfile.ZipInfo, limit: int, sheet: str, keep: list[bytes] | None = None
) -> tuple[tuple[int, str] | None, int]:
    """(declared cells and ref, rows x columns the references span) of one worksheet part.

    ``keep``: a list that receives the inflated chunks (the reader parses a large sheet from them).
    """
    chunks = member_chunks(path, info, limit)
    try:
        first = next(chunks, b"")
        declared = _declared_cells(first[:65536])
        streamed = _prepend(first, chunks)
        max_row, max_col = _span(streamed if keep is None else _kept(streamed, keep))
    except _TooLarge:
        raise _too_large(path, sheet, limit) from None
    finally:
        chunks.close()
    return declared, max_row * max_col


def _kept(chunks: Iterator[bytes], keep: list[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        keep.append(chunk)
        yield chunk


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def check_sheet_sizes(
    path: Path,
    *,
    max_sheet_cells: int = MAX_SHEET_CELLS,
    max_sheet_xml: int = MAX_SHEET_XML_BYTES,
    max_total_cells: int | None = None,
    max_total_xml: int | None = None,
    keep_from: int | None = None,
) -> dict[str, list[bytes]]:
    """Refuse an xlsx whose worksheets declare absurd sizes, before any sheet is parsed.

    Streams each worksheet's XML once (see the module docstring); nothing is parsed. With
    ``keep_from``, the inflated XML of the first worksheet of at least that many bytes is returned
    ({part: chunks}) so that it need not be inflated again (:mod:`desktop_app.readers.xlsx_split`).
    """
    kept: dict[str, list[bytes]] = {}
    total_cells = 0
    total_xml = 0
    try:
        with zipfile.ZipFile(path) as zf:
            names = sheet_part_names(zf)
            for info in zf.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                sheet = names.get(info.filename) or info.filename.rsplit("/", 1)[-1]
                if info.file_size > max_sheet_xml:
                    raise ReaderError(
                        "F01",
                        f"「{path.name}」的工作表「{sheet}」解壓縮後有 {info.file_size / 1024**2:,.0f} MB，"
                        f"超過每個工作表 {max_sheet_xml / 1024**2:,.0f} MB 的上限，已拒絕讀取（避免耗盡記憶體）。",
                    )
                total_xml += info.file_size
                keep: list[bytes] | None = None
                if keep_from is not None and not kept and info.file_size >= keep_from:
                    keep = kept[info.filename] = []
                declared, spanned = _measure(path, info, max_sheet_xml, sheet, keep)
                if spanned > max_sheet_cells and (declared is None or spanned > declared[0]):
                    # the dimension is missing or lies: calamine allocates what the cells span
                    raise ReaderError(
                        "F01",
                        f"「{path.name}」的工作表「{sheet}」的儲存格分布範圍達 {spanned:,} 格"
                        + (f"（宣告只有 {declared[1]}）" if declared else "")
                        + f"，超過每個工作表 {max_sheet_cells:,} 格的上限，不像是名冊檔案，已拒絕讀取（避免耗盡記憶體）。",
                    )
                if declared is not None:
                    cells, ref = declared
                    if cells > max_sheet_cells:
                        raise ReaderError(
                            "F01",
                            f"「{path.name}」的工作表「{sheet}」宣告範圍 {ref}，共 {cells:,} 格，超過每個工作表 "
                            f"{max_sheet_cells:,} 格的上限，不像是名冊檔案，已拒絕讀取（避免耗盡記憶體）。",
                        )
                    total_cells += cells
    except ReaderError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError):
        raise _refuse(path, "corrupt") from None
    if max_total_xml is not None and total_xml > max_total_xml:
        raise ReaderError(
            "F01",
            f"「{path.name}」的工作表解壓縮後共 {total_xml / 1024**2:,.0f} MB，超過匯入上限 "
            f"{max_total_xml / 1024**2:,.0f} MB，不像是名冊檔案，已拒絕讀取（避免耗盡記憶體）。",
        )
    if max_total_cells is not None and total_cells > max_total_cells:
        raise ReaderError(
            "F01",
            f"「{path.name}」各工作表宣告的範圍共 {total_cells:,} 格，超過匯入上限 {max_total_cells:,} 格，"
            "不像是名冊檔案，已拒絕讀取（避免耗盡記憶體）。",
        )
    return kept
