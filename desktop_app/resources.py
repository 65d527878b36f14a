"""Find shipped resources (``resources/`` and ``forms/``) from source or a frozen bundle.

This is the one place that knows where the data files live:

- from source (a checkout, ``pip install -e .``) they are in the repository root, beside
  ``desktop_app/``;
- in a PyInstaller bundle they are in ``sys._MEIPASS`` (the ``_internal`` folder of the one-folder
  build), where ``installer/desktop-app.spec`` copies both folders unchanged.

No Qt here: the CLI and ``--self-test`` use it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCE_DIRS = ("resources", "forms")
ICON_PNG = ("icons", "app.png")
ICON_ICO = ("icons", "app.ico")
GUIDE = ("guide", "使用說明.html")
LICENSES_DIR = ("licenses",)
LICENSES_INDEX = ("licenses", "README.txt")

# Files the application cannot do without; ``--self-test`` checks they were bundled.
REQUIRED_RESOURCES: tuple[tuple[str, ...], ...] = (ICON_PNG, ICON_ICO, GUIDE, LICENSES_INDEX)


def is_frozen() -> bool:
    """True when running from a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def app_root() -> Path:
    """The folder that holds ``resources/`` and ``forms/``.

    From source it is the repository root; in a PyInstaller bundle it is ``sys._MEIPASS``.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/`` (it may not exist; see :func:`require_resource`)."""
    return app_root().joinpath("resources", *parts)


def require_resource(*parts: str) -> Path:
    """Path of a file under ``resources/``; FileNotFoundError with a zh-TW message if it is missing."""
    path = resource_path(*parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"找不到程式附帶的檔案「{path}」。安裝可能不完整，請重新安裝本程式（資料不會遺失）。"
        )
    return path


def forms_dir() -> Path:
    """The folder of self-check form definitions (``forms/``)."""
    return app_root() / "forms"


def icon_path() -> Path:
    """The application icon as PNG (window icon)."""
    return resource_path(*ICON_PNG)


def icon_ico_path() -> Path:
    """The application icon as Windows ICO (PyInstaller, Inno Setup)."""
    return resource_path(*ICON_ICO)


def guide_path() -> Path:
    """The Chinese user guide (HTML, opened in the browser from 說明 → 使用說明)."""
    return resource_path(*GUIDE)


def licenses_dir() -> Path:
    """Licence texts of the parts bundled with the application."""
    return resource_path(*LICENSES_DIR)


def license_files() -> list[Path]:
    """Licence texts, index (README.txt) first, then by file name."""
    folder = licenses_dir()
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".txt", ".md"))
    return sorted(files, key=lambda p: (p.name != "README.txt", p.name.lower()))


def shipped_resources() -> list[str]:
    """Every shipped data file, as a POSIX path relative to :func:`app_root`
    (``resources/icons/app.png``, ``forms/….yaml``); caches and hidden files skipped."""
    root = app_root()
    found: list[str] = []
    for name in RESOURCE_DIRS:
        base = root / name
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            found.append(rel.as_posix())
    return found


def missing_required_resources() -> list[Path]:
    """Required resources (icon, guide, licences) that are not where the helper looks."""
    return [resource_path(*parts) for parts in REQUIRED_RESOURCES if not resource_path(*parts).is_file()]
