"""Find and register an embeddable CJK TrueType font for reportlab; per-character fallback.

Never print empty boxes: if no usable font is found, :class:`FontNotFoundError` says which files
were looked for and how to set one. reportlab's built-in CID fonts (MSung-Light …) are never used:
they are not embedded and print blank in some viewers. OpenType/CFF fonts (e.g. Noto CJK .otf)
cannot be embedded by reportlab and are skipped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_ENV = "DESKTOP_APP_FONT"


def _windows_fonts_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def candidate_fonts() -> list[Path]:
    """The fonts looked for, in order of preference (標楷體 first on Windows)."""
    win = _windows_fonts_dir()
    linux_dirs = [
        Path("/usr/share/fonts/truetype/arphic"),
        Path("/usr/share/fonts/truetype/arphic-gkai00mp"),
        Path("/usr/share/fonts/truetype/tw"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/truetype"),
        Path.home() / ".fonts",
        Path.home() / ".local/share/fonts",
    ]
    names_linux = ["uming.ttc", "ukai.ttc", "TW-Kai-98_1.ttf", "TW-Sung-98_1.ttf"]
    paths: list[Path] = []
    if sys.platform == "win32":
        paths += [win / "kaiu.ttf", win / "mingliu.ttc", win / "msjh.ttc", win / "msjh.ttf"]
    elif sys.platform == "darwin":
        paths += [
            Path("/Library/Fonts/Arial Unicode.ttf"),
            Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
        ]
    for d in linux_dirs:
        paths += [d / n for n in names_linux]
    return paths


def fallback_candidates() -> list[Path]:
    """Fonts for characters the main font lacks (Ext-B names, rare characters)."""
    win = _windows_fonts_dir()
    paths = [win / "mingliub.ttc", win / "msjhbd.ttc", win / "simsunb.ttf"]
    for d in (Path("/usr/share/fonts/truetype/tw"), Path("/usr/share/fonts/TTF"), Path.home() / ".fonts"):
        paths += [
            d / "TW-Kai-Ext-B-98_1.ttf",
            d / "TW-Sung-Ext-B-98_1.ttf",
            d / "TW-Kai-Plus-98_1.ttf",
            d / "TW-Sung-Plus-98_1.ttf",
        ]
    paths += [
        Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    ]
    return paths


class FontNotFoundError(RuntimeError):
    """No embeddable CJK TrueType font: the message lists what was looked for."""

    def __init__(self, looked_for: Iterable[Path], detail: str = "") -> None:
        listed = "\n".join(f"  - {p}" for p in looked_for)
        super().__init__(
            "找不到可嵌入 PDF 的中文 TrueType 字型，為避免印出空白方框，已停止產生 PDF。\n"
            f"已尋找：\n{listed}\n"
            + (f"{detail}\n" if detail else "")
            + "請安裝標楷體（kaiu.ttf）或細明體（mingliu.ttc），或在「設定 → PDF 字型」指定字型檔"
            f"（也可設定環境變數 {FONT_ENV}=字型檔路徑）。Linux 可安裝 fonts-arphic-uming。"
        )


@dataclass(frozen=True)
class CjkFont:
    """A registered reportlab font."""

    name: str  # reportlab font name
    path: Path
    subfont_index: int = 0

    def has_char(self, char: str) -> bool:
        font = pdfmetrics.getFont(self.name)
        return ord(char) in font.face.charToGlyph  # type: ignore[attr-defined]


_registered: dict[tuple[str, int], CjkFont] = {}


def _register(path: Path, prefix: str = "CJK") -> CjkFont | None:
    key = (str(path), 0)
    if key in _registered:
        return _registered[key]
    name = f"{prefix}-{path.stem}"
    try:
        font = (
            TTFont(name, str(path), subfontIndex=0)
            if path.suffix.lower() == ".ttc"
            else TTFont(name, str(path))
        )
        # a CJK font must map common characters; refuse a Latin-only font set by mistake
        if ord("中") not in font.face.charToGlyph:
            return None
        pdfmetrics.registerFont(font)
    except Exception:
        return None
    info = CjkFont(name, path, 0)
    _registered[key] = info
    return info


def find_cjk_font(user_path: str | Path | None = None) -> CjkFont:
    """Register and return the first usable CJK TrueType font.

    Order: ``user_path`` (a setting), ``$DESKTOP_APP_FONT``, then :func:`candidate_fonts`.
    Raises :class:`FontNotFoundError` when none is usable.
    """
    looked: list[Path] = []
    explicit = [p for p in (user_path, os.environ.get(FONT_ENV)) if p]
    for raw in explicit:
        path = Path(raw)
        looked.append(path)
        if path.exists():
            font = _register(path)
            if font is not None:
                return font
    for path in candidate_fonts():
        looked.append(path)
        if path.exists():
            font = _register(path)
            if font is not None:
                return font
    raise FontNotFoundError(looked)


def find_fallback_fonts(primary: CjkFont) -> list[CjkFont]:
    """Other installed CJK fonts, for characters the primary font lacks."""
    fonts = []
    for path in fallback_candidates():
        if path.exists() and path != primary.path:
            font = _register(path, prefix="CJKFB")
            if font is not None:
                fonts.append(font)
    return fonts


@dataclass
class FontChain:
    """The primary font plus fallbacks; splits text into runs each font can draw."""

    primary: CjkFont
    fallbacks: list[CjkFont]

    def font_for(self, char: str) -> CjkFont | None:
        if char.isspace() or self.primary.has_char(char):
            return self.primary
        for fb in self.fallbacks:
            if fb.has_char(char):
                return fb
        return None

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``[(font_name, text), …]``; characters no font has stay in the primary font's run."""
        out: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for(char) or self.primary
            if out and out[-1][0] == font.name:
                out[-1] = (font.name, out[-1][1] + char)
            else:
                out.append((font.name, char))
        return out

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` no font in the chain can draw (PUA 造字 included)."""
        seen: list[str] = []
        for char in text:
            if char not in seen and (is_pua(char) or self.font_for(char) is None):
                seen.append(char)
        return seen


def is_pua(char: str) -> bool:
    cp = ord(char)
    return 0xE000 <= cp <= 0xF8FF or 0xF0000 <= cp <= 0x10FFFF


def font_chain(user_path: str | Path | None = None) -> FontChain:
    primary = find_cjk_font(user_path)
    return FontChain(primary, find_fallback_fonts(primary))
