"""Spreadsheet and CSV readers: content sniffing, encodings (CP950 + 造字), header finding.

Public API (used by the pre-check, the student master and the receipt importers):

- :func:`read_workbook` → :class:`Workbook` with every sheet's cells as text.
- :func:`open_workbook` → :class:`WorkbookSource`: sheets loaded lazily, rows streamed as raw values
  (the pre-check engine reads 150,000 rows this way).
- :func:`find_header_row` / :func:`normalize_header` for header matching (NFKC + trim).
- :class:`ReaderError` with ``code`` (``F01`` unreadable, ``F02`` undecodable CSV) and a
  Chinese message naming the file.
"""

from desktop_app.readers.core import (
    MAX_FILE_BYTES,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_RATIO,
    PuaHit,
    ReaderError,
    Sheet,
    SheetSource,
    Workbook,
    WorkbookSource,
    cell_text,
    decode_text,
    find_header_row,
    normalize_header,
    open_workbook,
    read_workbook,
    sniff_file_type,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNZIPPED_BYTES",
    "MAX_ZIP_RATIO",
    "PuaHit",
    "ReaderError",
    "Sheet",
    "SheetSource",
    "Workbook",
    "WorkbookSource",
    "cell_text",
    "decode_text",
    "find_header_row",
    "normalize_header",
    "open_workbook",
    "read_workbook",
    "sniff_file_type",
]
