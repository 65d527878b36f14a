"""Find shipped resources (``resources/`` and ``forms/``) from source or a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder that holds ``resources/`` and ``forms/``.

    From source it is the repository root; in a PyInstaller bundle it is ``sys._MEIPASS``.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``."""
    return app_root().joinpath("resources", *parts)


def forms_dir() -> Path:
    return app_root() / "forms"
