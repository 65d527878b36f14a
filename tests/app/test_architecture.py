"""The core (domain, readers, storage, services, exports, CLI commands) never imports PySide6."""

from __future__ import annotations

import ast
from pathlib import Path

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
