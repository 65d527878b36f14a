"""Read xlsx/xls/ods (python-calamine) and CSV (UTF-8, UTF-8-BOM, UTF-16, CP950) as text cells.

Two levels:

- :func:`open_workbook` → :class:`WorkbookSource`: sniffed, size-checked, sheets loaded lazily and
  rows streamed as raw values (``str``, ``float``, ``int``, ``bool``, dates; ``""`` for empty). The
  pre-check engine uses it to check 150,000 rows without building a copy of the sheet.
- :func:`read_workbook` → :class:`Workbook`: every sheet fully read as text (small files, importers).

Untrusted files are never parsed with openpyxl here: calamine (Rust, no entity expansion) reads
them; openpyxl is only used to *write* files, and through defusedxml whenever it reads.
Limits are stated in the error message instead of hanging: :data:`MAX_FILE_BYTES` on the file,
:data:`MAX_UNZIPPED_BYTES` and :data:`MAX_ZIP_RATIO` on the parts of a zipped (xlsx/ods) file.

Memory is bounded before calamine parses anything: each xlsx worksheet's declared size
(``<dimension ref="A1:T150001">``, read from the first bytes of the sheet XML) may not exceed
:data:`MAX_SHEET_CELLS` cells, nor its XML :data:`MAX_SHEET_XML_BYTES`. :func:`read_workbook`
(importers: every cell kept as text) is stricter: :data:`READ_MAX_FILE_BYTES`,
:data:`READ_MAX_XML_BYTES` of sheet XML and :data:`READ_MAX_CELLS` cells in all (declared, then
counted as read), which keeps an import under ~1 GB whatever the file claims.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from desktop_app.readers.cp950 import decode_cp950

MAX_FILE_BYTES = 200 * 1024 * 1024  # a roster of 150k rows is ~10-15 MB; 200 MB is not plausible
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024  # xlsx/ods parts; 150k rows ≈ 150 MB of sheet XML
MAX_ZIP_RATIO = 200  # real sheet XML deflates ~10-20:1; a bomb ~1000:1
MAX_SHEET_CELLS = 5_000_000  # declared per sheet: 150,000 rows x 33 columns; calamine ~50 bytes a cell
MAX_SHEET_XML_BYTES = 250 * 1024 * 1024  # one worksheet's XML (150k rows ≈ 150 MB)
READ_MAX_FILE_BYTES = 50 * 1024 * 1024  # importers: a 收訖明細 of 75,000 rows is ~10 MB
READ_MAX_XML_BYTES = 100 * 1024 * 1024  # importers: all worksheet XML together
READ_MAX_CELLS = 3_000_000  # importers: cells in all sheets (each kept as a Python str)
ZIP_RATIO_MIN_BYTES = 50 * 1024 * 1024  # the ratio is only judged on big parts

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_OTHER_FORMATS = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 圖片"),
    (b"\xff\xd8\xff", "JPEG 圖片"),
    (b"GIF8", "GIF 圖片"),
    (b"Rar!", "RAR 壓縮檔"),
    (b"7z\xbc\xaf", "7z 壓縮檔"),
    (b"\x1f\x8b", "gzip 壓縮檔"),
)


class ReaderError(Exception):
    """A file that cannot be read. ``code`` is the pre-check code (F01 / F02)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PuaHit:
    """A 造字 (Private Use Area) character found in a cell."""

    sheet: str
    row: int  # 1-based, as Excel shows it
    column: int  # 1-based
    char: str


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # cell text, "" for empty; row index 0 is Excel row 1


@dataclass
class Workbook:
    path: Path
    file_type: str  # "xlsx" | "xls" | "ods" | "csv"
    encoding: str | None  # for CSV: "utf-8", "utf-8-sig", "utf-16", "cp950"
    sheets: list[Sheet]
    pua: list[PuaHit] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet | None:
        wanted = normalize_header(name)
        for sheet in self.sheets:
            if normalize_header(sheet.name) == wanted:
                return sheet
        return None


@dataclass
class SheetSource:
    """One sheet of an opened file; rows are streamed (raw values, Excel row 1 first, column A first)."""

    name: str
    total_rows: int  # rows the sheet spans (an estimate for progress; exact for calamine and CSV)
    _rows: Callable[[], Iterator[list[object]]]

    def iter_rows(self) -> Iterator[list[object]]:
        return self._rows()


@dataclass
class WorkbookSource:
    path: Path
    file_type: str  # "xlsx" | "xls" | "ods" | "csv"
    encoding: str | None  # CSV only
    sheet_names: list[str]
    _load: Callable[[str], SheetSource]

    def sheet(self, name: str) -> SheetSource:
        """Load one sheet (calamine parses the sheet here). Raises ReaderError F01 when damaged."""
        return self._load(name)


def normalize_header(value: object) -> str:
    """Header comparison form: NFKC (full-width → half-width), trimmed, inner spaces removed."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def find_header_row(
    rows: Sequence[Sequence[object]], known: Iterable[str], *, min_matches: int = 2, scan: int = 30
) -> int | None:
    """Index of the first row (within ``scan`` rows) holding at least ``min_matches`` known names."""
    wanted = {normalize_header(k) for k in known}
    for index, row in enumerate(rows[:scan]):
        if (
            sum(1 for cell in row if isinstance(cell, str) and normalize_header(cell) in wanted)
            >= min_matches
        ):
            return index
    return None


def cell_text(value: object) -> str:
    """A cell as text: ``2.0`` → ``"2"``, dates as ISO, None → ``""``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:200]
                if b"opendocument.spreadsheet" in mimetype:
                    return "ods"
                return "zip"
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx" if "xl/workbook.xml" in names else "xlsb"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "corrupt"
    return "zip"


def sniff_file_type(path: Path) -> str:
    """Type from the content, not the extension.

    Returns ``xlsx``, ``ods``, ``xls``, ``csv`` (text), or a refusal kind: ``encrypted``,
    ``corrupt`` (a damaged zip), ``zip`` (a zip that is not a spreadsheet, e.g. .docx), ``xlsb``,
    ``html`` (a web page saved as .xls), ``xml`` (Excel 2003 XML), ``ole`` (another Office file),
    ``other:<what>`` (PDF, images, archives).
    """
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(OLE2_MAGIC):
        data = path.read_bytes()
        if any(marker in data for marker in _ENCRYPTED_MARKERS):
            return "encrypted"  # an encrypted OOXML file is an OLE2 container with these streams
        if any(marker.encode("utf-16-le") in data for marker in ("WordDocument", "PowerPoint Document")):
            return "ole"
        return "xls"  # a workbook, or a damaged one: calamine says which
    for magic, what in _OTHER_FORMATS:
        if head.startswith(magic):
            return f"other:{what}"
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        return "html"
    if text_head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head.lower():
        return "xml"
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding). Raises ReaderError F02 when nothing fits.

    Tried in order: UTF-8 with BOM, UTF-16 (BOM, or NUL bytes in the ASCII positions), UTF-8,
    CP950 with 造字 → Private Use Area (never plain big5: it rejects the ETen extensions).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(exc.start + 3, "檔頭標示為 UTF-8，內容卻不是 UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(exc.start, "檔頭標示為 UTF-16，內容卻不是 UTF-16") from None
    guess = _utf16_guess(data[:4096])
    if guess:
        try:
            return data.decode(guess), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return decode_cp950(data), "cp950"
    except UnicodeDecodeError as exc:
        raise _undecodable(exc.start, "") from None


def _undecodable(position: int, detail: str) -> ReaderError:
    lead = f"{detail}：" if detail else ""
    return ReaderError(
        "F02",
        f"無法判讀文字編碼：{lead}檔案在第 {position + 1} 個位元組既不是 UTF-8、UTF-8 BOM、UTF-16，"
        "也不是 CP950（Big5）。請用 Excel 另存為「CSV UTF-8」或 xlsx 後再試。",
    )


def _find_pua(sheets: list[Sheet]) -> list[PuaHit]:
    hits: list[PuaHit] = []
    for sheet in sheets:
        for r, row in enumerate(sheet.rows, start=1):
            for c, cell in enumerate(row, start=1):
                if cell and not cell.isascii():
                    for char in cell:
                        if 0xE000 <= ord(char) <= 0xF8FF:
                            hits.append(PuaHit(sheet.name, r, c, char))
    return hits


def _refuse(path: Path, file_type: str) -> ReaderError:
    name = path.name
    if file_type == "encrypted":
        return ReaderError(
            "F01", f"「{name}」設有密碼（已加密），無法讀取。請在 Excel 移除密碼、另存新檔後再試。"
        )
    if file_type == "corrupt":
        return ReaderError(
            "F01", f"「{name}」是損毀或不完整的壓縮檔（xlsx 檔案可能下載不完整），請重新下載。"
        )
    if file_type == "zip":
        return ReaderError(
            "F01", f"「{name}」是壓縮檔或其他 Office 文件，不是 Excel 試算表（xlsx/xls/ods）。"
        )
    if file_type == "xlsb":
        return ReaderError(
            "F01", f"「{name}」是 Excel 二進位活頁簿（.xlsb），請在 Excel 另存為 xlsx 後再試。"
        )
    if file_type == "html":
        return ReaderError(
            "F01", f"「{name}」其實是網頁（HTML）而不是 Excel 檔案，請用 Excel 開啟後另存為 xlsx 再試。"
        )
    if file_type == "xml":
        return ReaderError("F01", f"「{name}」是 Excel 2003 XML 試算表，請用 Excel 開啟後另存為 xlsx 再試。")
    if file_type == "ole":
        return ReaderError("F01", f"「{name}」是其他 Office 文件（例如 Word .doc），不是 Excel 試算表。")
    if file_type.startswith("other:"):
        return ReaderError("F01", f"「{name}」是{file_type[6:]}，不是試算表或 CSV 檔案。")
    return ReaderError("F01", f"「{name}」不是試算表或 CSV 檔案。")


def _check_zip_limits(path: Path, max_unzipped: int) -> None:
    """Refuse zip bombs by the sizes the archive declares, before any part is inflated."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse(path, "corrupt") from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
            raise ReaderError(
                "F01",
                f"「{path.name}」內的「{info.filename}」壓縮比達 {ratio:.0f} 倍（上限 {MAX_ZIP_RATIO} 倍，"
                f"解壓縮後 {info.file_size / 1024**2:.0f} MB），疑似壓縮炸彈，已拒絕讀取。",
            )
    if total > max_unzipped:
        raise ReaderError(
            "F01",
            f"「{path.name}」解壓縮後達 {total / 1024**2:,.0f} MB，超過上限 {max_unzipped / 1024**2:,.0f} MB，"
            "不像是名冊檔案（疑似壓縮炸彈），已拒絕讀取。",
        )


_ODS_TOKEN_RE = re.compile(
    rb"<table:table\s[^>]*>|<table:table-row\b[^>]*>|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell\b[^>]*>"
)
_ODS_REPEAT_RE = re.compile(rb"number-(rows|columns)-repeated=\"(\d{1,10})\"")
_ODS_NAME_RE = re.compile(rb"table:name=\"([^\"]*)\"")


def check_ods_sizes(
    path: Path, *, max_sheet_cells: int = MAX_SHEET_CELLS, max_total_cells: int | None = None, **_: int
) -> None:
    """Refuse an ods whose tables span absurd ranges, before calamine expands them.

    ODS compresses repetition into ``number-rows-repeated`` / ``number-columns-repeated``: a 1 KB
    file can ask for 90 million cells (2 GB). content.xml is streamed once (no DOM); the range of
    each table is what its non-empty cells span (empty repeated cells, as LibreOffice writes past
    the data, do not count).
    """
    total = 0

    def refuse(name: str, cells: int, limit: int, scope: str) -> ReaderError:
        return ReaderError(
            "F01",
            f"「{path.name}」{scope}「{name}」展開後達 {cells:,} 格，超過 {limit:,} 格的上限，"
            "不像是名冊檔案，已拒絕讀取（避免耗盡記憶體）。",
        )

    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            name, row, max_row, max_col = "", 0, 0, 0
            row_repeat, col = 1, 0
            carry = b""
            while True:
                chunk = fh.read(1 << 20)
                data = carry + chunk
                cut = data.rfind(b">") + 1 if chunk else len(data)
                carry, data = data[cut:], data[:cut]
                for match in _ODS_TOKEN_RE.finditer(data):
                    tag = match.group(0)
                    repeats = dict(_ODS_REPEAT_RE.findall(tag))
                    if tag.startswith(b"<table:table ") or tag.startswith(b"<table:table\t"):
                        total += max_row * max_col
                        found = _ODS_NAME_RE.search(tag)
                        name = found.group(1).decode("utf-8", "replace") if found else ""
                        row, max_row, max_col = 0, 0, 0
                    elif tag.startswith(b"<table:table-row"):
                        row_repeat, col = int(repeats.get(b"rows", b"1")), 0
                    elif tag == b"</table:table-row>":
                        row += row_repeat
                        row_repeat = 1
                    else:
                        width = int(repeats.get(b"columns", b"1"))
                        if not tag.endswith(b"/>") or b"value-type" in tag:  # a cell with content
                            max_row = max(max_row, row + row_repeat)
                            max_col = max(max_col, col + width)
                            if max_row * max_col > max_sheet_cells:
                                raise refuse(name, max_row * max_col, max_sheet_cells, "的工作表")
                        col += width
                if not chunk:
                    break
    except ReaderError:
        raise
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return  # no content.xml, or damaged: calamine says what is wrong
    total += max_row * max_col
    if max_total_cells is not None and total > max_total_cells:
        raise refuse("全部", total, max_total_cells, "的工作表合計")


def _too_many_cells(path: Path, max_cells: int) -> ReaderError:
    return ReaderError(
        "F01",
        f"「{path.name}」的資料超過匯入上限 {max_cells:,} 格，不像是名冊或收訖明細檔案，已停止讀取（避免耗盡記憶體）。",
    )


def _calamine_error(path: Path, exc: Exception) -> ReaderError:
    text = str(exc)
    lowered = text.lower()
    if "password" in lowered or "encrypt" in lowered:
        return _refuse(path, "encrypted")
    return ReaderError("F01", f"「{path.name}」無法讀取（檔案損毀、不完整或格式不符）：{text[:200]}")


def _open_spreadsheet(
    path: Path, file_type: str, max_unzipped: int, sizes: dict[str, int] | None = None
) -> WorkbookSource:
    from python_calamine import CalamineWorkbook

    if file_type in ("xlsx", "ods"):
        _check_zip_limits(path, max_unzipped)
    kept: dict[str, list[bytes]] = {}  # the guard's inflated XML of one large sheet, for the split read
    if file_type == "xlsx":
        from desktop_app.readers.xlsx_guard import check_sheet_sizes
        from desktop_app.readers.xlsx_split import split_threshold

        kept = check_sheet_sizes(path, **(sizes or {}), keep_from=split_threshold())
    if file_type == "ods":
        check_ods_sizes(path, **(sizes or {}))
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
    except Exception as exc:  # calamine raises its own error types (and panics as BaseException subclasses)
        raise _calamine_error(path, exc) from None

    def load(name: str) -> SheetSource:
        if file_type == "xlsx":
            from desktop_app.readers.xlsx_split import load_split

            split = load_split(path, name, kept)  # a large sheet on two cores, or None: read it whole
            if split is not None:
                return SheetSource(name, *split)
        try:
            sheet = wb.get_sheet_by_name(name)
        except Exception as exc:
            raise _calamine_error(path, exc) from None
        start = sheet.start
        offset = start[1] if start else 0
        total = sheet.total_height if start else 0

        def rows() -> Iterator[list[object]]:
            # the sheet is already parsed: iterating cannot fail, and calamine's own iterator is
            # returned as is (no generator in between: it costs 0.1 s on 150,000 rows)
            if start is None:
                return iter(())
            if offset:
                pad: list[object] = [""] * offset
                return (pad + row for row in sheet.iter_rows())
            return iter(sheet.iter_rows())  # type: ignore[arg-type]  # list[CellValue] rows, only read

        return SheetSource(name, total, rows)

    return WorkbookSource(path, file_type, None, names, load)


def _open_csv(path: Path, data: bytes) -> WorkbookSource:
    try:
        text, encoding = decode_text(data)
    except ReaderError as exc:
        raise ReaderError(exc.code, f"「{path.name}」{exc.message}") from None
    del data
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    name = path.stem

    def load(_name: str) -> SheetSource:
        def rows() -> Iterator[list[object]]:
            try:
                yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            except csv.Error as exc:
                raise ReaderError("F01", f"「{path.name}」的 CSV 格式有誤：{exc}") from None

        return SheetSource(name, total, rows)

    return WorkbookSource(path, "csv", encoding, [name], load)


def open_workbook(
    path: Path | str,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_unzipped: int = MAX_UNZIPPED_BYTES,
    sizes: dict[str, int] | None = None,
) -> WorkbookSource:
    """Sniff and open a spreadsheet or CSV file for streaming. Raises :class:`ReaderError`.

    ``sizes``: keyword arguments of :func:`check_sheet_sizes` (stricter limits for importers).
    """
    path = Path(path)
    if not path.is_file():
        raise ReaderError("F01", f"找不到檔案「{path}」")
    size = path.stat().st_size
    if size == 0:
        raise ReaderError("F01", f"「{path.name}」是空檔案（0 位元組）。")
    if size > max_bytes:
        raise ReaderError(
            "F01",
            f"「{path.name}」有 {size / 1024**2:,.0f} MB，超過上限 {max_bytes / 1024**2:,.0f} MB，不像是名冊檔案。",
        )
    file_type = sniff_file_type(path)
    if file_type in ("xlsx", "xls", "ods"):
        return _open_spreadsheet(path, file_type, max_unzipped, sizes)
    if file_type != "csv":
        raise _refuse(path, file_type)
    data = path.read_bytes()
    head = data[:4096]
    if b"\x00" in head and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _looks_utf16(head):
        raise ReaderError("F01", f"「{path.name}」是二進位檔案，不是試算表或 CSV。")
    if not data.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        raise ReaderError("F01", f"「{path.name}」沒有任何內容（只有空白）。")
    return _open_csv(path, data)


def _utf16_guess(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for BOM-less UTF-16 text, judged by where the NUL bytes are.

    CSV text is full of ASCII (commas, digits, line breaks) whose UTF-16 form has a NUL byte on
    one side; Chinese characters have none, so the test is on proportions, not on the first bytes.
    """
    if len(head) < 4:
        return None
    head = head[: len(head) // 2 * 2]
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    half = len(head) // 2
    if odd_nul >= half * 0.2 and even_nul <= half * 0.02:
        return "utf-16-le"
    if even_nul >= half * 0.2 and odd_nul <= half * 0.02:
        return "utf-16-be"
    return None


def _looks_utf16(head: bytes) -> bool:
    return _utf16_guess(head) is not None


def read_workbook(
    path: Path | str,
    *,
    max_bytes: int = READ_MAX_FILE_BYTES,
    max_cells: int = READ_MAX_CELLS,
    max_xml: int = READ_MAX_XML_BYTES,
) -> Workbook:
    """Read a spreadsheet or CSV file, every cell as text. Raises :class:`ReaderError`.

    For importers: the whole file is kept in memory, so the limits are strict (see the module doc);
    cells are counted as they are read and reading stops past ``max_cells``.
    """
    sizes = {"max_total_cells": max_cells, "max_total_xml": max_xml, "max_sheet_xml": max_xml}
    source = open_workbook(path, max_bytes=max_bytes, max_unzipped=max(max_xml * 2, 1), sizes=sizes)
    sheets = []
    budget = max_cells
    for name in source.sheet_names:
        sheet = source.sheet(name)
        rows: list[list[str]] = []
        for row in sheet.iter_rows():
            budget -= len(row)
            if budget < 0:
                raise _too_many_cells(source.path, max_cells)
            rows.append([cell_text(v) for v in row])
        sheets.append(Sheet(name, rows))
    return Workbook(source.path, source.file_type, source.encoding, sheets, _find_pua(sheets))
