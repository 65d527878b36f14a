"""The command line starts fast: parsing must not import the database, PDF or Qt layers."""

from __future__ import annotations

import subprocess
import sys


def test_building_the_parser_imports_no_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from desktop_app.cli import build_parser\n"
        "build_parser().parse_args(['precheck', 'x.xlsx', '--plan', 'p.xlsx'])\n"
        "heavy = [m for m in ('sqlalchemy', 'reportlab', 'openpyxl', 'PySide6', 'alembic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_argparse_errors_are_in_chinese() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "receipts", "import", "x.xlsx"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2
    assert "缺少必要的參數：--name, --start, --end" in out.stderr
    assert "用法：" in out.stderr and "usage" not in out.stderr
