"""Taiwanese ID numbers: 國民身分證統一編號, old 居留證 (ARC) and the 2021 統一證號; masking."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

LETTER_VALUES = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)

_NATIONAL_RE = re.compile(r"^[A-Z][12]\d{8}$")
_OLD_ARC_RE = re.compile(r"^[A-Z][A-D]\d{8}$")
_NEW_UNIFORM_RE = re.compile(r"^[A-Z][89]\d{8}$")

DEFAULT_MASK_PATTERN = "XXXXXX****"


class IdKind(StrEnum):
    NATIONAL = "national"  # 國民身分證
    OLD_ARC = "old_arc"  # 舊式居留證
    NEW_UNIFORM = "new_uniform"  # 新式統一證號


class IdProblem(StrEnum):
    EMPTY = "empty"
    SHAPE = "shape"
    CHECKSUM = "checksum"


@dataclass(frozen=True)
class IdCheck:
    value: str
    kind: IdKind | None
    problem: IdProblem | None

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        if self.problem is IdProblem.EMPTY:
            return "身分證號是空白的"
        if self.problem is IdProblem.SHAPE:
            return f"「{self.value}」不是身分證號、居留證號或統一證號的格式"
        if self.problem is IdProblem.CHECKSUM:
            return f"「{self.value}」的檢查碼不正確"
        return ""


def _checksum_ok(first_digits: tuple[int, int], rest: str) -> bool:
    digits = [*first_digits, *(int(c) for c in rest)]
    return sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) % 10 == 0


def normalize_id(value: str) -> str:
    """Trim, fold full-width forms and upper-case."""
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def check_id(value: str, *, normalize: bool = True) -> IdCheck:
    """Validate a national ID, an old ARC or a new 統一證號 number."""
    text = normalize_id(value) if normalize else (value or "")
    if not text.strip():
        return IdCheck(text, None, IdProblem.EMPTY)
    if _NATIONAL_RE.match(text) or _NEW_UNIFORM_RE.match(text):
        kind = IdKind.NATIONAL if text[1] in "12" else IdKind.NEW_UNIFORM
        letter = LETTER_VALUES[text[0]]
        ok = _checksum_ok((letter // 10, letter % 10), text[1:])
        return IdCheck(text, kind, None if ok else IdProblem.CHECKSUM)
    if _OLD_ARC_RE.match(text):
        letter = LETTER_VALUES[text[0]]
        second = LETTER_VALUES[text[1]] % 10  # A->0, B->1, C->2, D->3
        ok = _checksum_ok((letter // 10, letter % 10), f"{second}{text[2:]}")
        return IdCheck(text, IdKind.OLD_ARC, None if ok else IdProblem.CHECKSUM)
    return IdCheck(text, None, IdProblem.SHAPE)


def is_valid_id(value: str) -> bool:
    return check_id(value).valid


def mask_id(value: str, pattern: str = DEFAULT_MASK_PATTERN) -> str:
    """Mask an ID with a pattern: ``X`` keeps the character, any other character replaces it.

    The default ``XXXXXX****`` masks the last four digits (``A12345****``), as 國教署 asks.
    Characters past the pattern's length are masked with the pattern's last mask character.
    """
    if not value:
        return ""
    mask_chars = [c for c in pattern if c != "X"]
    filler = mask_chars[-1] if mask_chars else "*"
    out = []
    for i, char in enumerate(value):
        p = pattern[i] if i < len(pattern) else filler
        out.append(char if p == "X" else p)
    return "".join(out)


_ID_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][0-9A-Da-d][0-9]{8}(?![0-9])")


def mask_ids_in_text(text: str, pattern: str = DEFAULT_MASK_PATTERN) -> str:
    """Every ID-shaped token in ``text`` masked (for previews of files: a cell may hold an ID)."""
    if not text or len(text) < 10:
        return text
    return _ID_SHAPE.sub(lambda m: mask_id(m.group(0).upper(), pattern), text)


def make_valid_id(prefix: str) -> str:
    """Complete a 9-character prefix (letter + 8 digits) with its check digit (demo/test data)."""
    text = prefix.upper()
    for last in "0123456789":
        candidate = text + last
        if check_id(candidate).valid:
            return candidate
    raise ValueError(f"no check digit completes {prefix}")
