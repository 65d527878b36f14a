"""A large worksheet parsed in two halves at once (readers/xlsx_split.py) reads as the whole sheet.

Each test reads the same file twice through :func:`open_workbook`, once with the split forced on
(threshold 0) and once with it off, and compares every row and the row count; it also checks that
the split really ran (or, for the unusual files, that it stepped aside).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.readers import ReaderError, open_workbook, xlsx_split
from desktop_app.readers.xlsx_guard import member_chunks, sheet_part_names

NS = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
XNS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _read(path: Path, monkeypatch: pytest.MonkeyPatch, *, split: bool) -> dict[str, tuple[int, list[list[object]]]]:
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", 0 if split else 1 << 40)
    source = open_workbook(path)
    out = {}
    for name in source.sheet_names:
        sheet = source.sheet(name)
        out[name] = (sheet.total_rows, list(sheet.iter_rows()))
    return out


def _same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, sheet: str, *, splits: bool = True) -> list[list[object]]:
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", 0)
    taken = xlsx_split.load_split(path, sheet)
    assert (taken is not None) is splits
    whole = _read(path, monkeypatch, split=False)
    halves = _read(path, monkeypatch, split=True)
    assert halves == whole
    return whole[sheet][1]


def _workbook_with_sheet(tmp_path: Path, name: str, xml: bytes, sheet_name: str = "學期成績") -> Path:
    """An openpyxl workbook whose one worksheet's XML is replaced by ``xml``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name
    ws["A1"] = "x"
    base = tmp_path / f"base-{name}"
    wb.save(base)
    with zipfile.ZipFile(base) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)
    return out


def _rows(first: int, last: int, cols: str, prefix: bytes = b"") -> bytes:
    return b"".join(
        b"<%srow r=\"%d\">" % (prefix, r)
        + b"".join(b'<%sc r="%s%d" t="inlineStr"><%sis><%st>%s%d</%st></%sis></%sc>'
                   % (prefix, c.encode(), r, prefix, prefix, c.encode(), r, prefix, prefix, prefix) for c in cols)
        + b"</%srow>" % prefix
        for r in range(first, last + 1)
    )


def test_a_roster_written_by_openpyxl_with_shared_strings_dates_and_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "封面"
    cover.append(["學校代碼", "011302"])
    ws = wb.create_sheet("學期成績")
    ws.append(["身分證號", "出生日期", "課程代碼", "學期學業成績", "成績及格", "備註"])
    for i in range(3000):
        ws.append([f"A1{i:08d}", date(2008, 1 + i % 12, 1 + i % 28), f"111011302H11101A20101{i % 7}", i % 101, i % 2, "" if i % 3 else "重修"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    rows = _same_both_ways(path, monkeypatch, "學期成績")
    assert len(rows) == 3001 and rows[1][0] == "A100000000" and isinstance(rows[1][1], date)


def test_leading_empty_rows_and_columns_gaps_at_the_cut_and_different_widths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data from C5; the first half reaches column F, the second only E and starts at B; empty rows
    around the middle: the halves' own offsets and widths are evened out."""
    body = _rows(5, 2000, "CDEF") + _rows(2010, 2015, "") + _rows(2020, 4000, "BCDE")
    xml = NS + b'<dimension ref="B5:F4000"/><sheetData>' + body + b"</sheetData></worksheet>"
    path = _workbook_with_sheet(tmp_path, "offsets.xlsx", xml)
    rows = _same_both_ways(path, monkeypatch, "學期成績")
    assert rows[4][2] == "C5" and rows[2019][1] == "B2020"
    assert len({len(row) for row in rows}) == 1  # one width, as a whole read gives


def test_namespace_prefixed_xml_and_a_sheet_name_with_an_entity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xml = XNS + b"<x:sheetData>" + _rows(1, 3000, "ABC", b"x:") + b"</x:sheetData></x:worksheet>"
    path = _workbook_with_sheet(tmp_path, "prefixed.xlsx", xml, sheet_name="成績&名冊")
    rows = _same_both_ways(path, monkeypatch, "成績&名冊")
    assert rows[2999] == ["A3000", "B3000", "C3000"]


def test_rows_without_numbers_are_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = b"".join(b"<row><c t=\"inlineStr\"><is><t>%d</t></is></c></row>" % r for r in range(1, 3001))
    path = _workbook_with_sheet(tmp_path, "unnumbered.xlsx", NS + b"<sheetData>" + body + b"</sheetData></worksheet>")
    rows = _same_both_ways(path, monkeypatch, "學期成績", splits=False)
    assert rows[2999] == ["3000"]


def test_a_cell_outside_its_half_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-written second half that writes into the first half's rows: the split steps aside."""
    body = _rows(1, 3000, "AB").replace(b'<c r="A2999"', b'<c r="A7"')
    path = _workbook_with_sheet(tmp_path, "stray.xlsx", NS + b"<sheetData>" + body + b"</sheetData></worksheet>")
    rows = _same_both_ways(path, monkeypatch, "學期成績", splits=False)
    assert rows[6][0] == "A2999"


def test_small_sheets_are_read_whole(tmp_path: Path) -> None:
    xml = NS + b"<sheetData>" + _rows(1, 50, "AB") + b"</sheetData></worksheet>"
    path = _workbook_with_sheet(tmp_path, "small.xlsx", xml)
    assert xlsx_split.load_split(path, "學期成績") is None  # under the 32 MB threshold


def test_large_other_parts_are_not_copied_into_both_halves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each half carries the workbook's other parts (shared strings …): past 64 MB, read whole."""
    xml = NS + b"<sheetData>" + _rows(1, 3000, "AB") + b"</sheetData></worksheet>"
    path = _workbook_with_sheet(tmp_path, "others.xlsx", xml)
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", 0)
    assert xlsx_split.load_split(path, "學期成績") is not None
    with zipfile.ZipFile(path) as zf:
        others = sum(i.file_size for i in zf.infolist() if not i.filename.startswith("xl/worksheets/"))
    monkeypatch.setattr(xlsx_split, "MAX_OTHER_PARTS", others - 1)
    assert xlsx_split.load_split(path, "學期成績") is None


def test_a_damaged_half_gives_the_whole_read_s_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """calamine refuses the second half: no split, nothing on stderr, and the usual zh-TW F01."""
    body = _rows(1, 3000, "AB").replace(b"B2500</t>", b"B2500&bogus;</t>")
    path = _workbook_with_sheet(tmp_path, "broken.xlsx", NS + b"<sheetData>" + body + b"</sheetData></worksheet>")
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", 0)
    assert xlsx_split.load_split(path, "學期成績") is None
    messages = []
    for split in (True, False):
        monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", 0 if split else 1 << 40)
        with pytest.raises(ReaderError) as err:
            open_workbook(path).sheet("學期成績")
        messages.append((err.value.code, err.value.message))
    assert messages[0] == messages[1] and messages[0][0] == "F01" and "broken.xlsx" in messages[0][1]
    assert capfd.readouterr().err == ""


def test_sheet_names_whatever_the_attribute_order(tmp_path: Path) -> None:
    """openpyxl writes Target before Id in the relationships; Excel writes Id first."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "封面"
    wb.create_sheet("學期成績")
    path = tmp_path / "order.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels")
        assert rels.index(b"Target=") < rels.index(b"Id=")
        assert sheet_part_names(zf) == {"xl/worksheets/sheet1.xml": "封面", "xl/worksheets/sheet2.xml": "學期成績"}


@pytest.mark.parametrize("size", [1, 7, 64, 4096, 1 << 22])
def test_the_cut_is_the_same_whatever_the_chunk_seams(size: int) -> None:
    """The XML arrives in inflated chunks; the halves are views across them, seams anywhere."""
    xml = XNS + b"<x:sheetData>" + _rows(1, 400, "AB", b"x:") + b"</x:sheetData><x:mergeCells/></x:worksheet>"
    chunks = [xml[i : i + size] for i in range(0, len(xml), size)]
    halves = xlsx_split._cut(chunks)
    assert halves is not None
    pieces, cut_row = halves
    body_start = xml.index(b"<x:sheetData>") + len(b"<x:sheetData>")
    body_end = xml.index(b"</x:sheetData>")
    cut = xml.index(b"<x:row ", body_start + (body_end - body_start) // 2)
    assert cut_row == int(xml[cut:].split(b'"')[1])
    assert b"".join(pieces[0]) == xml[:cut] + xml[body_end:]
    assert b"".join(pieces[1]) == xml[:body_start] + xml[cut:]


def test_a_sheet_of_several_chunks_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """11 MB of sheet XML: three chunks of up to 4 MB, the cut in the middle one."""
    xml = NS + b"<sheetData>" + _rows(1, 60_000, "ABC") + b"</sheetData></worksheet>"
    assert len(xml) > 2 * (1 << 22)
    path = _workbook_with_sheet(tmp_path, "chunks.xlsx", xml)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert len(list(member_chunks(path, info, 1 << 30))) >= 3
    rows = _same_both_ways(path, monkeypatch, "學期成績")
    assert rows[59_999] == ["A60000", "B60000", "C60000"]


def test_the_guard_s_inflated_xml_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard inflates the large sheet once; the split read parses those chunks, not a second inflate."""
    xml = NS + b"<sheetData>" + _rows(1, 3000, "ABC") + b"</sheetData></worksheet>"
    path = _workbook_with_sheet(tmp_path, "reuse.xlsx", xml)
    whole = _read(path, monkeypatch, split=False)
    inflated: list[str] = []
    real = xlsx_split.member_chunks

    def counting(path: Path, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
        inflated.append(info.filename)
        return real(path, info, limit)

    monkeypatch.setattr(xlsx_split, "member_chunks", counting)
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", len(xml) // 2)  # the sheet, not the tiny parts
    source = open_workbook(path)
    sheet = source.sheet("學期成績")
    assert (sheet.total_rows, list(sheet.iter_rows())) == whole["學期成績"]
    assert inflated == []
    assert xlsx_split.load_split(path, "學期成績") is not None and inflated == ["xl/worksheets/sheet1.xml"]


def test_shared_formulas_filled_down_across_the_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel stores a filled-down formula once (``<f t="shared" ref=… si="0">``) and refers to it
    below; the second half holds only references to it: the cached values read the same."""
    rows = [b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3000" si="0">A1*2</f><v>2</v></c></row>']
    rows += [
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><f t="shared" si="0"/><v>%d</v></c></row>' % (r, r, r, r, 2 * r)
        for r in range(2, 3001)
    ]
    xml = NS + b"<sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
    path = _workbook_with_sheet(tmp_path, "shared.xlsx", xml)
    values = _same_both_ways(path, monkeypatch, "學期成績")
    assert values[2999] == [3000, 6000]


def test_one_split_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another sheet is being split (two rosters read at once), the next is read whole."""
    xml = NS + b"<sheetData>" + _rows(1, 3000, "AB") + b"</sheetData></worksheet>"
    path = _workbook_with_sheet(tmp_path, "busy.xlsx", xml)
    monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", 0)
    with xlsx_split._SPLITTING:
        assert xlsx_split.load_split(path, "學期成績") is None
    assert xlsx_split.load_split(path, "學期成績") is not None
