"""Read xlsx/xls/ods (python-calamine) and CSV (UTF-8, UTF-8-BOM, UTF-16, CP950) as text cells."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from desktop_app.readers.cp950 import decode_cp950

MAX_FILE_BYTES = 200 * 1024 * 1024  # a roster of 150k rows is ~15 MB; 200 MB is not plausible
MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024  # zip bomb guard for xlsx/ods


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


def normalize_header(value: object) -> str:
    """Header comparison form: NFKC (full-width → half-width), trimmed, inner spaces removed."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def find_header_row(
    rows: list[list[str]], known: Iterable[str], *, min_matches: int = 2, scan: int = 30
) -> int | None:
    """Index of the first row (within ``scan`` rows) holding at least ``min_matches`` known names."""
    wanted = {normalize_header(k) for k in known}
    for index, row in enumerate(rows[:scan]):
        if sum(1 for cell in row if normalize_header(cell) in wanted) >= min_matches:
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


def sniff_file_type(path: Path) -> str:
    """Type from the content, not the extension: xlsx, ods, xls, encrypted, csv."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
                    return "ods"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except zipfile.BadZipFile:
            return "corrupt"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE2: an .xls, or an encrypted OOXML file (EncryptionInfo stream)
        with open(path, "rb") as fh:
            blob = fh.read(64 * 1024)
        if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
            return "encrypted"
        return "xls"
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding). Raises ReaderError F02 when nothing fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        try:
            return data.decode("utf-16-le"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return decode_cp950(data), "cp950"
    except UnicodeDecodeError as exc:
        raise ReaderError(
            "F02",
            f"無法判讀文字編碼：檔案在第 {exc.start + 1} 個位元組既不是 UTF-8、UTF-16，也不是 CP950（Big5）。"
            "請從 Excel 另存為「CSV UTF-8」或 xlsx 後再試。",
        ) from None


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


def _read_csv(path: Path, data: bytes) -> Workbook:
    text, encoding = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    sheets = [Sheet(path.stem, rows)]
    return Workbook(path, "csv", encoding, sheets, _find_pua(sheets))


def _read_spreadsheet(path: Path, file_type: str) -> Workbook:
    from python_calamine import CalamineWorkbook

    if file_type in ("xlsx", "ods"):
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
        if total > MAX_UNZIPPED_BYTES:
            raise ReaderError(
                "F01",
                f"「{path.name}」解壓縮後達 {total / 1024**3:.1f} GB，超過上限 "
                f"{MAX_UNZIPPED_BYTES / 1024**3:.0f} GB，疑似壓縮炸彈，已拒絕讀取。",
            )
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in wb.sheet_names:
            data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append(Sheet(name, [[cell_text(v) for v in row] for row in data]))
    except ReaderError:
        raise
    except Exception as exc:
        raise ReaderError("F01", f"「{path.name}」無法讀取（檔案損毀或格式不符）：{exc}") from None
    return Workbook(path, file_type, None, sheets, _find_pua(sheets))


def read_workbook(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> Workbook:
    """Read a spreadsheet or CSV file, every cell as text. Raises :class:`ReaderError`."""
    path = Path(path)
    if not path.exists():
        raise ReaderError("F01", f"找不到檔案「{path}」")
    size = path.stat().st_size
    if size == 0:
        raise ReaderError("F01", f"「{path.name}」是空檔案（0 位元組）")
    if size > max_bytes:
        raise ReaderError(
            "F01",
            f"「{path.name}」有 {size / 1024**2:.0f} MB，超過上限 {max_bytes / 1024**2:.0f} MB，不像是名冊檔案。",
        )
    file_type = sniff_file_type(path)
    if file_type == "encrypted":
        raise ReaderError("F01", f"「{path.name}」設有密碼（已加密），請在 Excel 移除密碼另存後再試。")
    if file_type in ("corrupt", "zip"):
        raise ReaderError("F01", f"「{path.name}」不是試算表檔案，或檔案已損毀。")
    if file_type == "csv":
        data = path.read_bytes()
        if (
            b"\x00" in data[:4096]
            and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
            and not (len(data) >= 4 and data[1] == 0 and data[3] == 0)
        ):
            raise ReaderError("F01", f"「{path.name}」是二進位檔案，不是試算表或 CSV。")
        return _read_csv(path, data)
    return _read_spreadsheet(path, file_type)
