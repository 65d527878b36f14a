"""The xlsx span guard (readers/xlsx_guard.py): what it bounds, how it streams, what it refuses."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from bigxlsx_helpers import write_big_xlsx

from desktop_app.readers import ReaderError, open_workbook, xlsx_guard

HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _with_sheet(tmp_path: Path, name: str, sheet: bytes, *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    base = write_big_xlsx(tmp_path / f"base-{name}", sheets=1, rows=1)
    with zipfile.ZipFile(base) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", method) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)
    return out


def _rows(n: int, cols: str = "ABC") -> bytes:
    return b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c.encode(), r) for c in cols) + b"</row>"
        for r in range(1, n + 1)
    )


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_span_of_a_normal_sheet_across_many_chunks(tmp_path: Path, method: int) -> None:
    """11 MB of XML (three 4 MB chunks, references cut at chunk edges): the exact rows and columns."""
    sheet = HEAD + b'<dimension ref="A1:AB40000"/><sheetData>' + _rows(40_000, "ABCDEFGHIJ") + b"</sheetData></worksheet>"
    sheet = sheet.replace(b'<c r="J39999">', b'<c r="AB39999">')  # the highest column, late in the file
    path = _with_sheet(tmp_path, "normal.xlsx", sheet, method=method)
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 2 * (1 << 22)
    declared, spanned = xlsx_guard._measure(path, info, 1 << 30, "名冊")
    assert declared == (40_000 * 28, "A1:AB40000")
    assert spanned == 40_000 * 28
    xlsx_guard.check_sheet_sizes(path)  # far under the limits: no refusal


def test_lowercase_and_late_far_cells_are_refused(tmp_path: Path) -> None:
    sheet = (
        HEAD + b'<dimension ref="A1:C2"/><sheetData>' + _rows(30_000)
        + b'<row r="900000"><c r="xfd900000"><v>1</v></c></row></sheetData></worksheet>'
    )
    path = _with_sheet(tmp_path, "far.xlsx", sheet)
    with pytest.raises(ReaderError) as err:
        open_workbook(path)
    assert "分布範圍達 14,745,600,000 格（宣告只有 A1:C2）" in err.value.message
    assert err.value.code == "F01"


def test_a_member_that_inflates_past_its_declared_size_is_stopped(tmp_path: Path) -> None:
    """The limit is counted on the inflated bytes, not on the size the zip directory claims."""
    sheet = HEAD + b"<sheetData>" + b"<row><c><v>1</v></c></row>" * 200_000 + b"</sheetData></worksheet>"
    path = _with_sheet(tmp_path, "bomb.xlsx", sheet)
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 5_000_000
    with pytest.raises(ReaderError) as err:
        xlsx_guard._measure(path, info, 1_000_000, "名冊")  # as if the directory had said < 1 MB
    assert "工作表「名冊」解壓縮後超過每個工作表 1 MB 的上限" in err.value.message


def test_a_corrupt_sheet_stream_is_a_damaged_file(tmp_path: Path) -> None:
    sheet = HEAD + b"<sheetData>" + _rows(60_000) + b"</sheetData></worksheet>"
    path = _with_sheet(tmp_path, "cut.xlsx", sheet)
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    data[start + 1000 : start + 1200] = b"\xff" * 200  # corrupt the deflate stream
    path.write_bytes(bytes(data))
    with pytest.raises(ReaderError) as err:
        xlsx_guard.check_sheet_sizes(path)
    assert err.value.code == "F01" and "損毀" in err.value.message


def test_a_sheet_larger_than_its_declared_size_is_a_damaged_file() -> None:
    """zipbomb_lying_sizes.xlsx: the directory says 5,000 bytes, the sheet inflates to ~80 MB. The
    guard stops at the declared size, as zipfile does, and says so in zh-TW (no reader's English)."""
    path = Path(__file__).resolve().parents[1] / "data" / "precheck" / "zipbomb_lying_sizes.xlsx"
    with pytest.raises(ReaderError) as err:
        open_workbook(path)
    assert err.value.code == "F01"
    assert err.value.message == "「zipbomb_lying_sizes.xlsx」是損毀或不完整的壓縮檔（xlsx 檔案可能下載不完整），請重新下載。"


def test_the_refusal_names_the_sheet_as_excel_shows_it(tmp_path: Path) -> None:
    """openpyxl writes a relationship's Target before its Id; the message still says 「學期成績」."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "學期成績"
    ws["A1"] = "身分證號"
    ws["XFD1048576"] = 1
    path = tmp_path / "far.xlsx"
    wb.save(path)
    with pytest.raises(ReaderError) as err:
        open_workbook(path)
    assert "工作表「學期成績」" in err.value.message and "sheet1.xml" not in err.value.message
