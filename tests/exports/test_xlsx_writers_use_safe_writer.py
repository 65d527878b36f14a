"""Every xlsx writer goes through the safe cell writer (issue 11): in the app's code (demo data and
sample rosters, which write *input* files, excepted), no module that uses openpyxl appends rows,
sets cell values, builds write-only cells or saves a workbook except through exports/xlsx_safe.py."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
EXEMPT = {"exports/xlsx_safe.py", "domain/precheck/samples.py"}
EXEMPT_DIRS = ("demo/", "readers/")
SHEET_NAMES = {"ws", "sheet", "worksheet"}


def _offences(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        where = f"{path.relative_to(root)}:{node.lineno}"
        if isinstance(func, ast.Name) and func.id == "WriteOnlyCell":
            found.append(f"{where} WriteOnlyCell(…) (use xlsx_safe.safe_cell)")
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            continue
        owner, method = func.value.id, func.attr
        if owner in SHEET_NAMES and method == "append":
            found.append(f"{where} {owner}.append(…) (use xlsx_safe.append_safe)")
        if owner in SHEET_NAMES and method == "cell" and (len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)):
            found.append(f"{where} {owner}.cell(…, value) (use xlsx_safe.write_cell)")
        if owner in {"wb", "book", "workbook"} and method == "save":
            found.append(f"{where} {owner}.save(…) (use xlsx_safe.save_workbook)")
    return found


def test_no_xlsx_writer_bypasses_the_safe_writer() -> None:
    offences: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in EXEMPT or rel.startswith(EXEMPT_DIRS):
            continue
        if "openpyxl" not in path.read_text(encoding="utf-8"):
            continue
        offences += _offences(path)
    assert offences == []


def test_the_check_catches_a_bypass(tmp_path: Path) -> None:
    bad = tmp_path / "bad_writer.py"
    bad.write_text(
        "import openpyxl\nws.append([1])\nws.cell(1, 2, '=1+1')\nWriteOnlyCell(ws, value='x')\nwb.save('x')\n",
        encoding="utf-8",
    )
    assert len(_offences(bad, tmp_path)) == 4
