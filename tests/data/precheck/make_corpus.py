"""Regenerate the bad-file corpus and its manifest: ``python tests/data/precheck/make_corpus.py``.

The files are committed (small); this script documents how each was made. ``encrypted.xlsx`` needs
msoffcrypto-tool (``pip install msoffcrypto-tool``), only to regenerate it. Expected outcomes in
``manifest.json`` are written by hand here from what each file *is*, not from running the check.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from desktop_app.demo.precheck_samples import (  # noqa: E402
    COVER_HEADER,
    DAY_SEMESTER_HEADER,
    as_rows,
    clean_rows,
    sample_plan,
    write_csv,
    write_roster,
    write_xlsx,
)

PLAN = sample_plan(113)


def roster_rows(r10: bool = True) -> list[dict[str, object]]:
    """27 clean rows; with ``r10`` the first row's 修課學分 is 3 instead of 4 (one R10)."""
    rows = clean_rows(PLAN)
    if r10:
        rows[0]["修課學分"] = 3
    return rows


def valid_xlsx_bytes() -> bytes:
    path = HERE / "_tmp.xlsx"
    write_roster(path, roster_rows())
    data = path.read_bytes()
    path.unlink()
    return data


def zip_declaring(size: int) -> bytes:
    """A valid roster xlsx whose central directory claims ``size`` bytes for the sheet XML."""
    data = bytearray(valid_xlsx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        names = [i.filename for i in zf.infolist()]
    target = next(n for n in names if n.startswith("xl/worksheets/sheet2")).encode()
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == target:
            struct.pack_into("<I", data, pos + 24, size)  # uncompressed size
        pos += 4
    return bytes(data)


def ratio_bomb() -> bytes:
    """A zip whose sheet XML inflates ~1000:1 (80 MB of padding in a ~80 KB file)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid_xlsx_bytes())) as src,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet2"):
                head, tail = payload.split(b"<sheetData>", 1)
                payload = head + b"<sheetData>" + b" " * (80 * 1024 * 1024) + tail
            dst.writestr(info.filename, payload)
    return buffer.getvalue()


def lying_sizes() -> bytes:
    """The ratio bomb whose headers (local and central) claim 5,000 bytes for the 80 MB sheet."""
    data = bytearray(ratio_bomb())
    target = b"xl/worksheets/sheet2.xml"
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x01\x02", 24, 28, 46),
        (b"PK\x03\x04", 22, 26, 30),
    ):
        pos = 0
        while (pos := data.find(signature, pos)) != -1:
            name_len = struct.unpack_from("<H", data, pos + name_len_at)[0]
            if bytes(data[pos + name_at : pos + name_at + name_len]) == target:
                struct.pack_into("<I", data, pos + size_at, 5000)
            pos += 4
    return bytes(data)


def xml_bomb() -> bytes:
    """Billion laughs in the shared strings part of an otherwise valid xlsx."""
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid_xlsx_bytes())) as src,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                payload = payload.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            dst.writestr(info.filename, payload)
        dst.writestr("xl/sharedStrings.xml", lol)
    return buffer.getvalue()


def merged_header(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "學期成績"
    top = [h if not h.startswith("備註") else "" for h in DAY_SEMESTER_HEADER]
    top[12] = "備註"
    sub = ["" if not h.startswith("備註") else h[3:-1] for h in DAY_SEMESTER_HEADER]
    ws.append(["113學年度第1學期 學期成績名冊"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DAY_SEMESTER_HEADER))
    ws.append(top)
    ws.append(sub)
    for col in range(1, 13):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells(start_row=2, start_column=13, end_row=2, end_column=len(DAY_SEMESTER_HEADER))
    for row in as_rows(roster_rows())[1:]:
        ws.append(row)
    wb.save(path)


def write_xls(path: Path, rows: list[list[object]]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("學期成績")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def main() -> None:
    manifest: dict[str, dict[str, object]] = {}

    def entry(name: str, outcome: str, why: str, **extra: object) -> Path:
        manifest[name] = {"outcome": outcome, "why": why, **extra}
        return HERE / name

    ok_counts = {"R10": 1}
    rows = as_rows(roster_rows())

    entry("empty.xlsx", "F01", "0 bytes").write_bytes(b"")
    entry("empty.csv", "F01", "0 bytes").write_bytes(b"")
    entry("blank_lines.csv", "F01", "only a BOM and blank lines").write_bytes(b"\xef\xbb\xbf\r\n \r\n\r\n")
    entry("corrupt.xlsx", "F01", "zip signature followed by garbage").write_bytes(
        b"PK\x03\x04" + bytes(range(256)) * 8
    )
    good = valid_xlsx_bytes()
    entry("truncated.xlsx", "F01", "a valid roster cut at 60 %").write_bytes(good[: len(good) * 6 // 10])
    xls_path = HERE / "_tmp.xls"
    write_xls(xls_path, rows)
    xls = xls_path.read_bytes()
    xls_path.unlink()
    entry("truncated.xls", "F01", "a valid .xls cut in half").write_bytes(xls[: len(xls) // 2])
    entry("zipbomb_declared.xlsx", "F01", "central directory declares 3.5 GB for the sheet").write_bytes(
        zip_declaring(3_500_000_000)
    )
    entry("zipbomb_ratio.xlsx", "F01", "sheet XML inflates 1000:1 to 80 MB").write_bytes(ratio_bomb())
    entry(
        "zipbomb_lying_sizes.xlsx", "F01", "80 MB sheet whose zip headers claim 5,000 bytes: stopped there"
    ).write_bytes(lying_sizes())
    entry(
        "xml_bomb.xlsx", "F01", "billion-laughs entities in sharedStrings: refused, not expanded"
    ).write_bytes(xml_bomb())
    entry("pdf_renamed.xlsx", "F01", "a PDF renamed .xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    entry("docx_renamed.xlsx", "F01", "a Word document renamed .xlsx").write_bytes(docx.getvalue())
    entry("html_saved_as.xls", "F01", "an HTML table saved as .xls by a web system").write_bytes(
        "<html><body><table><tr><td>身分證號</td><td>出生日期</td></tr></table></body></html>".encode()
    )
    entry("png_renamed.csv", "F01", "a PNG image renamed .csv").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(20)
    )
    entry(
        "text_renamed.xlsx",
        "F01",
        "plain text (not a roster) renamed .xlsx; the reader reads it as text",
        reader="ok",
    ).write_bytes("這是一封信，不是名冊。\n謝謝。\n".encode())
    entry("binary_garbage.csv", "F01", "binary bytes with NULs").write_bytes(bytes(range(256)) * 4)
    entry("bad_encoding.csv", "F02", "bytes valid in none of UTF-8/UTF-16/CP950").write_bytes(
        ",".join(DAY_SEMESTER_HEADER).encode("utf-8") + b"\r\n\x81\xff\xfe\xff\x80,\xff\r\n"
    )
    write_xlsx(entry("no_data_sheet.xlsx", "F05", "only a 說明 sheet"), {"說明": [["名冊說明"], ["無資料"]]})
    write_xlsx(
        entry("header_only.xlsx", "F05", "學期成績 with its header and no rows"),
        {"封面": [COVER_HEADER, ["011302", "113", "1", ""]], "學期成績": [DAY_SEMESTER_HEADER]},
    )
    write_xlsx(
        entry("no_header.xlsx", "F05", "學期成績 whose first 30 rows hold no column names"),
        {"學期成績": [["a", "b", "c"]] * 40},
    )
    write_roster(
        entry(
            "missing_column.xlsx", "ok", "學期成績 lacks 出生日期: F03 for that sheet only", counts={"F03": 1}
        ),
        [],
        header=[h for h in DAY_SEMESTER_HEADER if h != "出生日期"],
    )
    write_roster(
        entry(
            "cover_mismatch.xlsx",
            "ok",
            "封面 says 112學年度 while 113 is chosen",
            counts={"F04": 1, "R10": 1},
        ),
        roster_rows(),
        cover=("011302", "112", "1", ""),
    )
    encrypted = entry("encrypted.xlsx", "F01", "a real OOXML agile-encrypted package (password 1234)")
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile

        plain = io.BytesIO(good)
        out = io.BytesIO()
        OOXMLFile(plain).encrypt("1234", out)
        encrypted.write_bytes(out.getvalue())
        del msoffcrypto
    except ImportError:
        if not encrypted.exists():
            raise SystemExit("pip install msoffcrypto-tool to build encrypted.xlsx") from None

    # files that must give a correct run (one R10 on the first data row unless said otherwise)
    csv_bytes = io.BytesIO()
    csv_tmp = HERE / "_tmp.csv"
    write_csv(csv_tmp, rows, "utf-8")
    csv_bytes.write(csv_tmp.read_bytes())
    csv_tmp.unlink()
    entry(
        "csv_renamed.xlsx",
        "ok",
        "a UTF-8 CSV roster renamed .xlsx (type sniffed by content)",
        counts=ok_counts,
        rows={"學期成績": 27},
    ).write_bytes(csv_bytes.getvalue())
    entry(
        "xlsx_renamed.csv", "ok", "an xlsx roster renamed .csv", counts=ok_counts, rows={"學期成績": 27}
    ).write_bytes(good)
    write_xlsx(
        entry(
            "title_rows.xlsx",
            "ok",
            "two title rows and a blank row above the header",
            counts=ok_counts,
            rows={"學期成績": 27},
        ),
        {"學期成績": [["○○高中 113學年度第1學期"], ["學期成績名冊"], [], *rows]},
    )
    fullwidth = [list(r) for r in rows]
    fullwidth[0] = [" " + h.replace("(", "（").replace(")", "）") + "\u3000" for h in DAY_SEMESTER_HEADER]
    write_xlsx(
        entry(
            "fullwidth_headers.xlsx",
            "ok",
            "headers with full-width brackets and spaces",
            counts=ok_counts,
            rows={"學期成績": 27},
        ),
        {"學期成績": fullwidth},
    )
    merged_header(
        entry(
            "merged_header.xlsx",
            "ok",
            "merged title row, header cells merged over two rows",
            counts=ok_counts,
            rows={"學期成績": 27},
        )
    )
    eudc = [list(r) for r in rows]
    eudc[1][12] = "林\ue000"  # a 造字 in the first student's name
    write_csv(
        entry(
            "cp950_eudc.csv",
            "ok",
            "CP950 with a Big5 user-defined (造字) character in a name",
            counts=ok_counts,
            rows={"學期成績": 27},
            encoding="cp950",
            pua=1,
        ),
        eudc,
        "cp950",
    )
    utf16 = "\r\n".join("\t".join(str(v) for v in r) for r in rows) + "\r\n"
    entry(
        "utf16_tab.csv",
        "ok",
        "Excel 'Unicode text': UTF-16 LE with BOM, tab-separated",
        counts=ok_counts,
        rows={"學期成績": 27},
        encoding="utf-16",
    ).write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    entry(
        "utf16_nobom.csv",
        "ok",
        "UTF-16 LE without BOM",
        counts=ok_counts,
        rows={"學期成績": 27},
        encoding="utf-16",
    ).write_bytes(utf16.replace("\t", ",").encode("utf-16-le"))
    write_csv(
        entry(
            "utf8_bom.csv",
            "ok",
            "UTF-8 with BOM",
            counts=ok_counts,
            rows={"學期成績": 27},
            encoding="utf-8-sig",
        ),
        rows,
        "utf-8-sig",
    )
    write_xls(
        entry("roster.xls", "ok", "Excel 97-2003 roster", counts=ok_counts, rows={"學期成績": 27}), rows
    )

    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(manifest)} files")


if __name__ == "__main__":
    main()
