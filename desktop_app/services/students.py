"""學生名冊 (student master) services and the 難字對照表 (PUA → real character)."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.storage.db import Database
from desktop_app.storage.models import PuaChar


def is_pua(char: str) -> bool:
    return 0xE000 <= ord(char) <= 0xF8FF


def pua_chars(text: str) -> list[str]:
    """The 造字 (Private Use Area) characters in a text, in order, without repeats."""
    seen: list[str] = []
    for char in text or "":
        if is_pua(char) and char not in seen:
            seen.append(char)
    return seen


def pua_map(db: Database) -> dict[str, str]:
    """The 難字對照表 as {PUA char: real char}."""
    with db.read() as s:
        return {chr(r.code_point): r.real_char for r in s.scalars(select(PuaChar))}


def apply_pua_map(text: str, mapping: dict[str, str]) -> str:
    if not text or not mapping or not any(is_pua(c) for c in text):
        return text
    return "".join(mapping.get(c, c) for c in text)
