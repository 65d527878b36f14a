"""The core (domain, readers, storage, services, exports, CLI commands) never imports PySide6."""

from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest

import desktop_app

PACKAGE = Path(desktop_app.__file__).parent
QT_FREE = ["domain", "readers", "storage", "services", "exports", "commands", "demo", "cli.py", "config.py"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_has_no_qt_imports() -> None:
    offenders = []
    for part in QT_FREE:
        target = PACKAGE / part
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for file in files:
            bad = {n for n in _imports(file) if n.split(".")[0] in ("PySide6", "shiboken6")}
            bad |= {n for n in _imports(file) if n.startswith("desktop_app.ui")}
            if bad:
                offenders.append(f"{file.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


# --- one export path (issue 13 point 2) ------------------------------------------------------------
# Modules still wired the old way on branches other engineers are finishing (receipts, reconcile,
# calendar). The lead empties this list when merging them; nothing else may be listed here.
PENDING_OTHER_BRANCHES: tuple[str, ...] = ()  # (empty: every branch of issue 13 is merged)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_in(code: str, package: str) -> set[str]:
    """Every module ``code`` (a module of ``package``) imports, absolute: ``from desktop_app import
    exports`` and relative imports (``from ..exports import x``) included, at any depth."""
    parts = package.split(".")
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _imported_modules(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _offenders(layers: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    """``layer/file.py: [modules]`` for each module of ``layers`` importing any of ``forbidden``."""
    found = []
    for layer in layers:
        for file in sorted((PACKAGE / layer).rglob("*.py")):
            relative = file.relative_to(PACKAGE).as_posix()
            if any(fnmatch(relative, pattern) for pattern in PENDING_OTHER_BRANCHES):
                continue
            bad = sorted(
                n for n in _imported_modules(file) if any(n == f or n.startswith(f + ".") for f in forbidden)
            )
            if bad:
                found.append(f"{relative}: {bad}")
    return found


def test_exports_import_no_services_or_commands() -> None:
    """Writers take plain values (domain/) and write a file; what to write is the services' business."""
    assert _offenders(("exports",), ("desktop_app.services", "desktop_app.commands")) == []


def test_window_and_cli_export_through_services_only() -> None:
    """ui/ and commands/ call one service per export, so window and CLI refuse and write alike."""
    assert _offenders(("ui", "commands"), ("desktop_app.exports",)) == []


def test_pending_list_names_existing_modules_only() -> None:
    modules = [f.relative_to(PACKAGE).as_posix() for f in PACKAGE.rglob("*.py")]
    assert [p for p in PENDING_OTHER_BRANCHES if not any(fnmatch(m, p) for m in modules)] == []


@pytest.mark.parametrize(
    "package, code",
    [
        ("desktop_app.ui.dialogs", "import desktop_app.exports.fonts"),
        ("desktop_app.ui.dialogs", "from desktop_app import exports"),
        ("desktop_app.commands", "from desktop_app.exports.audit import write_audit_xlsx"),
        ("desktop_app.ui", "from ..exports import fonts"),
        ("desktop_app.ui.dialogs", "def f():\n    from ...exports.fonts import find_cjk_font"),
    ],
)
def test_every_spelling_of_an_import_is_seen(package: str, code: str) -> None:
    assert any(n.startswith("desktop_app.exports") for n in _imports_in(code, package)), code
