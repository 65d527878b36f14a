"""Find and register an embeddable CJK TrueType font for reportlab; per-character fallback.

Never print empty boxes: if no usable font is found, :class:`FontNotFoundError` says which files
were looked for and how to set one. reportlab's built-in CID fonts (MSung-Light …) are never used:
they are not embedded and print blank in some viewers. OpenType/CFF fonts (e.g. Noto CJK .otf)
cannot be embedded by reportlab and are skipped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# reportlab (≈40 ms) is imported when a font is registered, not when the window imports the
# FontNotFoundError this module defines

FONT_ENV = "DESKTOP_APP_FONT"
# os.pathsep-separated folders searched *instead of* the system font folders (tests, portable installs);
# set to an empty folder it simulates a machine without any CJK font
FONT_DIRS_ENV = "DESKTOP_APP_FONT_DIRS"
_KNOWN_NAMES = ("kaiu.ttf", "mingliu.ttc", "msjh.ttc", "msjh.ttf", "uming.ttc", "ukai.ttc",
                "TW-Kai-98_1.ttf", "TW-Sung-98_1.ttf")  # fmt: skip


def _override_dirs() -> list[Path] | None:
    value = os.environ.get(FONT_DIRS_ENV)
    if value is None:
        return None
    return [Path(p) for p in value.split(os.pathsep) if p]


def _windows_fonts_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def candidate_fonts() -> list[Path]:
    """The fonts looked for, in order of preference (標楷體 first on Windows)."""
    override = _override_dirs()
    if override is not None:
        return [d / n for d in override for n in _KNOWN_NAMES]
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
    override = _override_dirs()
    if override is not None:
        names = ("TW-Kai-Ext-B-98_1.ttf", "TW-Sung-Ext-B-98_1.ttf", "ukai.ttc", "uming.ttc")
        return [d / n for d in override for n in names]
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
            "找不到可嵌入 PDF 的中文字型檔（.ttf／.ttc），為避免印出空白方框，已停止產生 PDF。\n"
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
        from reportlab.pdfbase import pdfmetrics

        font = pdfmetrics.getFont(self.name)
        return ord(char) in font.face.charToGlyph  # type: ignore[attr-defined]  # a TTFont here: its face has charToGlyph


_registered: dict[tuple[str, int], CjkFont] = {}


def _ttc_face_names(path: Path) -> list[bytes]:
    """Full names (name ID 4, else family) of each face of a .ttc, read from its header only.

    Parsing every face with reportlab costs ~0.1 s each; this reads a few hundred bytes.
    """
    import struct

    names: list[bytes] = []
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if head[:4] != b"ttcf":
                return names
            count = struct.unpack(">I", head[8:12])[0]
            offsets = struct.unpack(f">{count}I", fh.read(4 * count))
            for offset in offsets:
                fh.seek(offset + 4)
                tables = struct.unpack(">H", fh.read(2))[0]
                fh.seek(offset + 12)
                name_at = None
                for _ in range(tables):
                    tag, _check, table_at, _length = struct.unpack(">4sIII", fh.read(16))
                    if tag == b"name":
                        name_at = table_at
                        break
                found = b""
                if name_at is not None:
                    fh.seek(name_at)
                    _fmt, records, strings = struct.unpack(">HHH", fh.read(6))
                    entries = [struct.unpack(">HHHHHH", fh.read(12)) for _ in range(records)]
                    for platform, _enc, _lang, name_id, length, at in entries:
                        if name_id in (1, 4) and platform in (1, 3):
                            fh.seek(name_at + strings + at)
                            raw = fh.read(length)
                            text = raw.decode("utf-16-be", "ignore").encode() if platform == 3 else raw
                            found = text if name_id == 4 or not found else found
                names.append(found)
    except (OSError, struct.error):
        return names
    return names


def _ttc_subfont_order(path: Path) -> list[int]:
    """Subfont indices of a .ttc, the Taiwanese face first: TW (not MBE), HK, TW MBE, the rest.

    AR PL UMing/UKai put the CN face at index 0; printing Taiwanese names with it gives mainland
    glyph shapes. Fonts without a TW face (mingliu.ttc, msjh.ttc) keep index 0 first.
    """
    names = list(enumerate(_ttc_face_names(path)))
    if not names:
        return [0]

    def rank(entry: tuple[int, bytes]) -> tuple[int, int]:
        index, name = entry
        if b"TW" in name and b"MBE" not in name:
            return (0, index)
        if b"HK" in name:
            return (1, index)
        if b"TW" in name:
            return (2, index)
        return (3, index)

    return [index for index, _ in sorted(names, key=rank)]


def _register(path: Path, prefix: str = "CJK", subfont_index: int | None = None) -> CjkFont | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    is_ttc = path.suffix.lower() == ".ttc"
    if subfont_index is None:
        subfont_index = _ttc_subfont_order(path)[0] if is_ttc else 0
    key = (str(path), subfont_index)
    if key in _registered:
        return _registered[key]
    name = f"{prefix}-{path.stem}" + (f"-{subfont_index}" if subfont_index else "")
    try:
        font = TTFont(name, str(path), subfontIndex=subfont_index) if is_ttc else TTFont(name, str(path))
        # a CJK font must map common characters; refuse a Latin-only font set by mistake
        if ord("中") not in font.face.charToGlyph:
            return None
        pdfmetrics.registerFont(font)
    except Exception:
        return None
    info = CjkFont(name, path, subfont_index)
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
    """Other installed CJK fonts, for characters the primary font lacks.

    The other faces of the primary's own .ttc come first (e.g. the HK face of AR PL UMing maps
    about 2,300 more characters than the TW face), then :func:`fallback_candidates`.
    """
    fonts: list[CjkFont] = []
    seen = {(str(primary.path), primary.subfont_index)}

    def add(path: Path, index: int | None) -> None:
        font = _register(path, prefix="CJKFB", subfont_index=index)
        if font is not None and (str(font.path), font.subfont_index) not in seen:
            seen.add((str(font.path), font.subfont_index))
            fonts.append(font)

    if primary.path.suffix.lower() == ".ttc":
        for index in _ttc_subfont_order(primary.path):
            add(primary.path, index)
    for path in fallback_candidates():
        if path.exists() and path != primary.path:
            if path.suffix.lower() == ".ttc":
                for index in _ttc_subfont_order(path):
                    add(path, index)
            else:
                add(path, None)
    return fonts


@dataclass
class FontChain:
    """The primary font plus fallbacks; splits text into runs each font can draw."""

    primary: CjkFont
    fallbacks: list[CjkFont]
    _cache: dict[str, CjkFont | None] = field(default_factory=dict, repr=False, compare=False)
    # font_chain(lazy=True): the fallbacks are found on the first character the primary lacks
    _load_fallbacks: Callable[[], list[CjkFont]] | None = field(default=None, repr=False, compare=False)

    def font_for(self, char: str) -> CjkFont | None:
        """The first font of the chain that has a glyph for ``char`` (cached), or None."""
        try:
            return self._cache[char]
        except KeyError:
            pass
        found: CjkFont | None = None
        if char.isspace() or self.primary.has_char(char):
            found = self.primary
        else:
            if self._load_fallbacks is not None:
                self.fallbacks = self._load_fallbacks()
                self._load_fallbacks = None
            for fb in self.fallbacks:
                if fb.has_char(char):
                    found = fb
                    break
        self._cache[char] = found
        return found

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


def font_chain(user_path: str | Path | None = None, *, lazy: bool = False) -> FontChain:
    """The primary CJK font (see :func:`find_cjk_font`) and its fallbacks.

    ``lazy=True`` loads the fallback fonts only when a character the primary lacks is met
    (saves ~0.5 s of font parsing when every character is in the primary font).
    """
    primary = find_cjk_font(user_path)
    if lazy:
        return FontChain(primary, [], _load_fallbacks=lambda: find_fallback_fonts(primary))
    return FontChain(primary, find_fallback_fonts(primary))
