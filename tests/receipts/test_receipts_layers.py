"""收訖明細's layers: the window and the CLI write files only through the receipts services
(services/receipts/printing.py), and the writers in exports/ never reach back into services/."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
CALLERS = [
    *(p for p in sorted((PACKAGE / "ui" / "receipts").glob("*.py")) if p.name != "reconcile.py"),
    PACKAGE / "commands" / "receipts.py",
    PACKAGE / "commands" / "receipts_slips.py",
]
WRITERS = [PACKAGE / "exports" / name for name in ("slips.py", "slips_model.py", "receipts_progress.py", "barcodes.py")]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _offenders(files: list[Path], prefix: str) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE)}: {sorted(n for n in _imports(path) if n.startswith(prefix))}"
        for path in files
        if any(n.startswith(prefix) for n in _imports(path))
    ]


def test_receipts_window_and_cli_call_services_not_exports() -> None:
    assert len(CALLERS) >= 9  # the views, dialogs and both command modules are really looked at
    assert _offenders(CALLERS, "desktop_app.exports") == []


def test_receipts_writers_import_no_services() -> None:
    assert all(path.is_file() for path in WRITERS)
    assert _offenders(WRITERS, "desktop_app.services") == []


def test_the_check_sees_an_offending_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from desktop_app.exports.slips import write_slips\n", encoding="utf-8")
    assert _imports(bad) == {"desktop_app.exports.slips"}
