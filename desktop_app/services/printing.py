"""What every export and print asks of the database and the machine: the school's name for the
title, the PDF font chosen in 設定, and the font lookup the window's settings show.

The window and the CLI ask here instead of importing ``desktop_app.exports`` themselves, so the
font rules (user setting, ``DESKTOP_APP_FONT``, the system folders) live in one place.
"""

from __future__ import annotations

from pathlib import Path

# fonts.py imports reportlab only when a font is registered: this import costs the window nothing
from desktop_app.exports.fonts import FontNotFoundError
from desktop_app.services.profile import FONT_PATH_KEY, get_profile, get_setting
from desktop_app.storage.db import Database

__all__ = ["FontNotFoundError", "find_pdf_font", "pdf_font_path", "school_name"]

NO_SCHOOL_NAME = "（未設定校名）"


def school_name(db: Database, default: str = NO_SCHOOL_NAME) -> str:
    """The school's name from 學校資料, ``default`` when none is set."""
    profile = get_profile(db)
    return profile.name if profile else default


def pdf_font_path(db: Database) -> str | None:
    """The PDF font file set under 設定 → 個資與列印…, None when unset (the lookup then searches)."""
    return get_setting(db, FONT_PATH_KEY) or None


def find_pdf_font(user_path: str | Path | None = None) -> Path:
    """The font file PDFs will embed: ``user_path`` when usable, else the first one found.

    Raises:
        FontNotFoundError: no embeddable CJK TrueType font anywhere (the message lists the paths).
    """
    from desktop_app.exports.fonts import find_cjk_font

    return find_cjk_font(user_path).path
