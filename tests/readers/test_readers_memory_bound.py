"""Bounded memory on files under the size limit (issue 11): sheets that declare absurd sizes are
refused before calamine parses them; the import runs as a subprocess whose peak RSS is measured."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bigxlsx_helpers import write_big_xlsx

from desktop_app.readers import ReaderError, open_workbook, read_workbook
from desktop_app.readers.core import MAX_SHEET_CELLS, READ_MAX_CELLS
from desktop_app.storage.migrate import open_database

PEAK_LIMIT_KB = 1024 * 1024  # 1 GB

# runs the command in a child and reports the child's peak RSS (ru_maxrss of children, in KB on Linux)
MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": done.returncode, "stderr": done.stderr, "stdout": done.stdout, "peak_kb": peak}))
"""


def measured(*args: str | Path) -> dict:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "desktop_app", *map(str, args)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout)
    result["seconds"] = time.perf_counter() - start
    return result


def _new_db(folder: Path) -> Path:
    """An empty database for ``--db`` (the command line never creates one silently)."""
    path = folder / "db.sqlite3"
    open_database(path, backup=None).close()
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 sheets of ~48 MB of cell XML each (≈ 970 MB declared in all) in a ~5 MB file."""
    path = write_big_xlsx(tmp_path_factory.mktemp("big") / "twenty_sheets.xlsx", sheets=20, rows=300_000)
    assert path.stat().st_size < 10 * 1024 * 1024
    return path


def test_students_import_refuses_the_declared_gigabyte_under_1gb_peak(bomb: Path, tmp_path: Path) -> None:
    result = measured("students", "import", bomb, "--db", _new_db(tmp_path))
    assert result["rc"] == 2, result
    assert result["stderr"].startswith("錯誤：「twenty_sheets.xlsx」") and "上限" in result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert result["peak_kb"] < PEAK_LIMIT_KB, result
    assert result["seconds"] < 30, result


@pytest.mark.parametrize("command", ["students", "receipts"])
def test_declared_dimension_over_the_sheet_limit_is_refused(command: str, tmp_path: Path) -> None:
    rows = MAX_SHEET_CELLS // 10 + 1  # one row more than the limit, 10 columns
    path = write_big_xlsx(tmp_path / "dim.xlsx", sheets=1, rows=rows)
    extra = ["--name", "x", "--start", "113/10/15", "--end", "113/10/20"] if command == "receipts" else []
    result = measured(command, "import", path, *extra, "--db", _new_db(tmp_path))
    assert result["rc"] == 2, result
    assert f"A1:J{rows}" in result["stderr"] and "5,000,000" in result["stderr"] and "工作表「S1」" in result["stderr"]
    assert result["peak_kb"] < PEAK_LIMIT_KB
    with pytest.raises(ReaderError) as raised:  # the pre-check's streaming reader refuses it too
        open_workbook(path)
    assert raised.value.code == "F01" and "5,000,000" in raised.value.message


def test_undeclared_cells_are_counted_as_read(tmp_path: Path) -> None:
    """No <dimension>: the importer's reader stops once the cells pass its budget."""
    path = write_big_xlsx(tmp_path / "nodim.xlsx", sheets=1, rows=2_000, declare=False)
    with pytest.raises(ReaderError) as raised:
        read_workbook(path, max_cells=10_000)
    assert "10,000" in raised.value.message
    assert len(read_workbook(path).sheets[0].rows) == 2_000  # under the default budget it reads
    assert READ_MAX_CELLS >= 1_000_000
    csv = tmp_path / "wide.csv"
    csv.write_text(("a," * 99 + "a\n") * 200, encoding="utf-8")
    with pytest.raises(ReaderError):
        read_workbook(csv, max_cells=10_000)


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="名冊">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>學號</text:p></table:table-cell>'
    "</table:table-row>"
    '<table:table-row table:number-rows-repeated="{rows}">'
    '<table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p>'
    "</table:table-cell></table:table-row>"
    '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/>'
    "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
)


def _ods(path: Path, rows: int) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", ODS_CONTENT.format(rows=rows), compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "</manifest:manifest>",
        )
    return path


def test_ods_repeated_cells_are_refused_before_expansion(tmp_path: Path) -> None:
    """A 1 KB ods asking for 90 million cells (calamine would allocate ~2 GB)."""
    bomb = _ods(tmp_path / "bomb.ods", 90_000)
    assert bomb.stat().st_size < 2048
    result = measured("students", "import", bomb, "--db", _new_db(tmp_path))
    assert result["rc"] == 2 and "工作表「名冊」展開後達 90,001,000 格" in result["stderr"], result
    assert result["peak_kb"] < PEAK_LIMIT_KB
    small = _ods(tmp_path / "small.ods", 3)  # the empty repeated rows LibreOffice writes do not count
    assert len(read_workbook(small).sheets[0].rows) == 4


def test_a_lying_dimension_is_caught_by_the_cells_it_spans(tmp_path: Path) -> None:
    """Two cells far apart under a dimension of A1:B2: calamine would allocate 67 GB and abort."""
    import zipfile

    small = write_big_xlsx(tmp_path / "base.xlsx", sheets=1, rows=1)
    with zipfile.ZipFile(small) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="3000000"><c r="ZZ3000000"><v>1</v></c></row></sheetData></worksheet>'
    )
    sparse = tmp_path / "sparse.xlsx"
    with zipfile.ZipFile(sparse, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    result = measured("students", "import", sparse, "--db", _new_db(tmp_path))
    assert result["rc"] == 2 and "分布範圍達 2,106,000,000 格（宣告只有 A1:B2）" in result["stderr"], result
    assert result["peak_kb"] < PEAK_LIMIT_KB
    with pytest.raises(ReaderError):
        open_workbook(sparse)  # the pre-check's reader too
