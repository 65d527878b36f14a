"""收訖對照's layers: the window and the CLI export only through the service
(services/reconcile/export.py), and the xlsx writer never reaches back into services/."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    froms = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    plain = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    return froms | plain


def test_window_and_cli_export_through_the_service() -> None:
    for caller in ("ui/receipts/reconcile.py", "commands/receipts_reconcile.py"):
        modules = imported(PACKAGE / caller)
        assert "desktop_app.services.reconcile.export" in modules, caller
        assert not [m for m in modules if m.startswith("desktop_app.exports")], caller


def test_writer_imports_no_services() -> None:
    modules = imported(PACKAGE / "exports" / "reconcile_xlsx.py")
    assert "desktop_app.domain.reconcile_result" in modules
    assert not [m for m in modules if m.startswith("desktop_app.services")]


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from desktop_app.exports.reconcile_xlsx import x\n", encoding="utf-8")
    assert imported(bad) == {"desktop_app.exports.reconcile_xlsx"}
