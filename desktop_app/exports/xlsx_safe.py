"""The one safe cell writer every xlsx export goes through (openpyxl).

Two faults it prevents, whatever the data imported from the school's files holds:

- **Formula injection.** openpyxl turns any text starting with ``=`` into a live formula
  (``=HYPERLINK("http://…","301")`` would become a link in the export). Here every ``str`` value
  is stored as a text cell (``data_type = "s"``, written as an inline string); text starting with
  ``=``, ``+``, ``-``, ``@``, tab or CR also gets Excel's quote prefix (the cell shows the text and
  stays text when the user edits it). The text itself is kept exactly.
- **Characters XML cannot hold.** C0 control characters other than tab/LF/CR (``\\x01``, ``\\x07``…),
  U+FFFE/U+FFFF and lone surrogates make openpyxl raise ``IllegalCharacterError`` (or the file
  unreadable); they are replaced by U+FFFD (�), visibly, never dropped silently.

Numbers, dates and booleans are written as they are: ``-1`` as a number stays a number.

API: :func:`safe_value` (the cleaned value), :func:`set_safe` (one existing cell),
:func:`write_cell` (``ws.cell`` replacement), :func:`append_safe` (``ws.append`` replacement, also
for write-only sheets), :func:`safe_cell` (a write-only cell to style before appending).
"""

from __future__ import annotations

import contextlib
import errno
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.cell.cell import WriteOnlyCell as _WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
# what XML 1.0 (and so xlsx) cannot hold: C0 controls except tab/LF/CR, U+FFFE/U+FFFF, surrogates
ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` with every character an xlsx cannot hold replaced by U+FFFD."""
    if text.isprintable():  # the common case, checked in C: nothing to replace
        return text
    return ILLEGAL_XML_RE.sub(REPLACEMENT, text)


def is_risky(value: object) -> bool:
    """True for text a spreadsheet program could take for a formula (``=``, ``+``, ``-``, ``@``, tab, CR)."""
    return isinstance(value, str) and value.startswith(RISKY_PREFIXES)


def safe_value(value: Any) -> Any:
    """The value to store: text cleaned of illegal characters; anything else unchanged."""
    if isinstance(value, str):
        return clean_text(value)
    return value


def set_safe(cell: Cell, value: Any) -> Cell:
    """Store ``value`` in ``cell`` as :func:`safe_value`; text is always a text cell, never a formula."""
    value = safe_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(RISKY_PREFIXES):
            cell.quotePrefix = True
    return cell


def write_cell(ws: Any, row: int, column: int, value: Any = None) -> Cell:
    """``ws.cell(row, column, value)`` through the safe writer (``value=None`` leaves the cell as is)."""
    cell: Cell = ws.cell(row=row, column=column)
    if value is not None and not isinstance(cell, MergedCell):
        set_safe(cell, value)
    return cell


def safe_cell(ws: Any, value: Any = None) -> Cell:
    """A write-only cell holding ``value`` safely (to style before :func:`append_safe`)."""
    return set_safe(_WriteOnlyCell(ws), value)


def _needs_cell(value: object) -> bool:
    return isinstance(value, str) and (value.startswith(RISKY_PREFIXES) or not value.isprintable())


def append_safe(ws: Any, values: Iterable[Any]) -> None:
    """``ws.append(values)`` through the safe writer; works for normal and write-only sheets.

    Cells among ``values`` (e.g. styled header cells) have their value made safe as well.
    """
    values = list(values)
    if isinstance(ws, WriteOnlyWorksheet):  # write-only sheet: wrap only what needs it (fast path)
        row: list[Any] = []
        for value in values:
            if isinstance(value, Cell):
                if isinstance(value.value, str):
                    set_safe(value, value.value)
                row.append(value)
            elif _needs_cell(value):
                row.append(safe_cell(ws, value))
            else:
                row.append(value)
        ws.append(row)
        return
    plain = [v.value if isinstance(v, Cell) else safe_value(v) for v in values]
    ws.append([None] * len(plain) if plain else [])
    row_idx = ws._current_row
    for col, (original, value) in enumerate(zip(values, plain, strict=True), start=1):
        target = ws.cell(row=row_idx, column=col)
        if isinstance(original, Cell) and original.has_style:
            target._style = original._style  # type: ignore[attr-defined]  # openpyxl's style array, not in its stubs
        if value is not None:
            set_safe(target, value)


def save_workbook(wb: Any, path: Path | str) -> Path:
    """Save ``wb`` to ``path`` without leaving noise or a broken file behind when it cannot be written.

    The workbook is built in memory first (a write-only workbook's row generators then always
    finish, so a failed write prints no "Exception ignored … closed file" at exit); only the finished
    bytes go to disk (the folder is created if missing). An ``OSError`` from the disk is raised as is,
    and a partly written file removed.
    """
    path = Path(path)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists()
    try:
        with open(path, "wb") as fh:
            fh.write(buffer.getbuffer())
    except OSError:
        if not existed:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return path


_OS_REASONS = {
    errno.EISDIR: "這是資料夾，不是檔案",
    errno.EACCES: "沒有權限",
    errno.EPERM: "沒有權限",
    errno.ENOENT: "找不到資料夾，或該位置不能建立檔案",
    errno.ENOTDIR: "路徑中有一段不是資料夾",
    errno.ENOSPC: "磁碟空間不足",
    errno.EROFS: "磁碟為唯讀",
}


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be written, in zh-TW (the system's own text when the cause is rarer)."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
