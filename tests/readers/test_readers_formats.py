"""Readers: sniffing by content, encodings (CP950 造字 → PUA), header finding, streaming API."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.demo.precheck_samples import write_csv, write_xlsx
from desktop_app.readers import (
    ReaderError,
    decode_text,
    find_header_row,
    normalize_header,
    open_workbook,
    read_workbook,
    sniff_file_type,
)
from desktop_app.readers.cp950 import decode_cp950, decode_cp950_reference, eudc_to_pua, pua_to_eudc

ROWS = [
    ["身分證號", "姓名", "出生日期"],
    ["A123456789", "王小明", "0920315"],
    ["B123456780", "林\ue000", 920315],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp950"])
def test_csv_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "s.csv", ROWS, encoding)
    wb = read_workbook(path)
    assert wb.file_type == "csv" and wb.encoding == encoding
    assert wb.sheets[0].rows == [[str(v) for v in row] for row in ROWS]
    assert [(h.row, h.column, h.char) for h in wb.pua] == [(3, 2, "\ue000")]


def test_cp950_eudc_ranges_round_trip() -> None:
    for cp in (0xE000, 0xE310, 0xE311, 0xEEB7, 0xEEB8, 0xF6B0, 0xF6B1, 0xF6B1 + 93, 0xF6B1 + 94, 0xF848):
        char = chr(cp)
        data = pua_to_eudc(char)
        assert eudc_to_pua(data[0], data[1]) == char
        assert (
            decode_cp950(b"A" + data + "堃".encode("cp950", "replace").replace(b"?", b"") + b"B")[1] == char
        )
    assert pua_to_eudc("\ue000") == b"\xfa\x40"
    # ETen extensions that plain big5 rejects decode with cp950
    assert decode_cp950("碁銹裏".encode("cp950")) == "碁銹裏"
    with pytest.raises(ValueError):
        pua_to_eudc("A")


def test_decode_text_refuses_with_f02_and_position() -> None:
    with pytest.raises(ReaderError) as info:
        decode_text(b"abc\x81\x20\xff")
    assert info.value.code == "F02" and "第 4 個位元組" in info.value.message
    assert decode_text("身分證號,姓名\r\n".encode("utf-16-le")) == ("身分證號,姓名\r\n", "utf-16")
    assert decode_text("身分證號,姓名\r\n".encode("utf-16-be")) == ("身分證號,姓名\r\n", "utf-16")


def test_sniff_by_content_not_extension(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "a.csv", {"S": ROWS})
    assert sniff_file_type(xlsx) == "xlsx"
    csv = write_csv(tmp_path / "b.xlsx", ROWS, "utf-8")
    assert sniff_file_type(csv) == "csv"
    assert read_workbook(csv).sheets[0].rows[1][0] == "A123456789"
    pdf = tmp_path / "c.xls"
    pdf.write_bytes(b"%PDF-1.7 ...")
    assert sniff_file_type(pdf) == "other:PDF 文件"
    with pytest.raises(ReaderError, match="PDF") as info:
        read_workbook(pdf)
    assert info.value.code == "F01"


def test_header_found_under_title_rows_with_nfkc() -> None:
    rows = [
        ["○○高中 學期成績"],
        ["", ""],
        [" 身分證號 ", "備註（學生姓名）", "出生\u3000日期"],
        ["A1", "王", "1"],
    ]
    assert find_header_row(rows, ["身分證號", "備註(學生姓名)", "出生日期"], min_matches=3) == 2
    assert normalize_header(" 備註（學生姓名）\u3000") == "備註(學生姓名)"
    assert find_header_row(rows, ["課程代碼", "科目名稱"]) is None


def test_open_workbook_streams_rows_from_column_a(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws["C3"] = "身分證號"
    ws["D3"] = 2.0
    wb.create_sheet("Empty")
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    source = open_workbook(path)
    assert source.sheet_names == ["S", "Empty"]
    rows = list(source.sheet("S").iter_rows())
    assert rows[2] == ["", "", "身分證號", 2.0]
    assert list(source.sheet("Empty").iter_rows()) == []
    assert read_workbook(path).sheets[0].rows[2] == ["", "", "身分證號", "2"]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="找不到檔案") as info:
        read_workbook(tmp_path / "nope.xlsx")
    assert info.value.code == "F01"
    with pytest.raises(ReaderError):
        read_workbook(tmp_path)


def test_openpyxl_parses_through_defusedxml() -> None:
    # openpyxl only reads untrusted files (e.g. the --annotate copy) safely with defusedxml present
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=3),
            st.sampled_from(["王", "堃", "碁", "ヾ", "⑴", "\u3000", "A", "1"]).map(
                lambda c: c.encode("cp950", "ignore")
            ),
            st.integers(min_value=0xE000, max_value=0xF848).map(lambda cp: pua_to_eudc(chr(cp))),
            st.sampled_from([b"\xc6\xa1", b"\xc7\xfc", b"\xc8\x40", b"\xfa\x40", b"\x81\x40", b"\xa0\xfe"]),
        ),
        max_size=12,
    )
)
def test_fast_cp950_matches_the_reference_decoder(parts: list[bytes]) -> None:
    data = b"".join(parts)
    try:
        expected: object = decode_cp950_reference(data)
    except UnicodeDecodeError:
        expected = UnicodeDecodeError
    try:
        actual: object = decode_cp950(data)
    except UnicodeDecodeError:
        actual = UnicodeDecodeError
    assert actual == expected
