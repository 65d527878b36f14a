"""Cell helpers shared by the pre-check's rule groups: text of a cell, cleaning, W01 reasons,
numbers, ID check digits, ROC birth dates and the ``itemgetter`` builder.

The rules themselves are described in ``docs/precheck-rules.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from operator import itemgetter

from desktop_app.domain.national_id import LETTER_VALUES

CODE_RE = re.compile(r"^[0-9A-Z]{23}$")
NONE_VALUES = frozenset({"", "-1"})
PUA_RE = re.compile("[\ue000-\uf8ff]+")

# A finding before it is placed on a row: (code, column header, value, expected, message)
Template = tuple[str, str, str, str, str]


def cell_text(value: object) -> str:
    """Cell text: floats that are whole numbers lose their ``.0``; dates as ISO."""
    cls = value.__class__
    if cls is str:
        return value  # type: ignore[return-value]  # `cls is str` (faster than isinstance) does not narrow
    if value is None:
        return ""
    if cls is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[attr-defined, call-overload]  # a float: `cls is` does not narrow
    if cls is bool:
        return "1" if value else "0"
    if cls is int:
        return str(value)
    if isinstance(value, date):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat(sep=" ")  # type: ignore[call-arg]  # a datetime: it has an hour
    return str(value)


def clean(text: str) -> str:
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def w01_reason(text: str, strict: bool) -> str | None:
    """Why a cell needs cleaning, or None. ``strict``: ID/birth/code/numeric columns."""
    if not text:
        return None
    stripped = text.strip()
    if not stripped:
        return None  # spaces only: an empty cell
    if stripped != text:
        return "前後有空白"
    if strict:
        if not text.isascii() and unicodedata.normalize("NFKC", text) != text:
            return "含全形字元"
        if text != text.upper():
            return "含小寫英文字母"
    return None


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def ascii_digits(text: str) -> bool:
    """Only 0-9 (``str.isdigit`` also accepts digits ``int()`` refuses, such as U+19DA)."""
    return text.isascii() and text.isdigit()


def num_text(text: str) -> str:
    """``"1.0"`` → ``"1"`` for comparing flag values."""
    if text.endswith(".0") and ascii_digits(text[:-2].lstrip("-")):
        return text[:-2]
    return text


def fmt_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def int_or_none(text: str) -> int | None:
    text = num_text(clean(text))
    return int(text) if ascii_digits(text) else None


def getter_of(indexes: list[int]) -> Callable[[list[object]], tuple[object, ...]]:
    """A C-speed function returning the cells at ``indexes`` as a tuple (always a tuple)."""
    if not indexes:
        return lambda _row: ()
    if len(indexes) == 1:
        return itemgetter(slice(indexes[0], indexes[0] + 1))
    return itemgetter(*indexes)


_ID_LETTER = {k: (v // 10) + (v % 10) * 9 for k, v in LETTER_VALUES.items()}
_ID_SECOND = {"1": 1, "2": 2, "8": 8, "9": 9, "A": 0, "B": 1, "C": 2, "D": 3}
_ID_RE = re.compile(r"^[A-Z][12789A-D][0-9]{8}$")


def id_problem(text: str) -> str | None:
    """R01 empty, R02 shape, R03 check digit (national ID, old ARC, new 統一證號), or None."""
    if not text:
        return "R01"
    if not _ID_RE.match(text) or text[1] == "7":
        return "R02"
    d = text
    total = (
        _ID_LETTER[d[0]]
        + _ID_SECOND[d[1]] * 8
        + int(d[2]) * 7
        + int(d[3]) * 6
        + int(d[4]) * 5
        + int(d[5]) * 4
        + int(d[6]) * 3
        + int(d[7]) * 2
        + int(d[8])
        + int(d[9])
    )
    return None if total % 10 == 0 else "R03"


def roc_birth_ok(text: str) -> bool:
    if not ascii_digits(text) or len(text) > 7 or len(text) < 5:
        return False
    padded = text.zfill(7)
    year, month, day = int(padded[:3]), int(padded[3:5]), int(padded[5:])
    if year < 1:
        return False
    try:
        date(year + 1911, month, day)
    except ValueError:
        return False
    return True


def credit_char(credits: str, grade: int, term: int) -> str:
    """The 授課學期學分節數 character of (開課年級, 學期); ``0`` outside a malformed string."""
    index = (grade - 1) * 2 + (term - 1)
    return credits[index] if 0 <= index < len(credits) else "0"


def taught_terms(credits: str) -> str:
    names = ("1上", "1下", "2上", "2下", "3上", "3下")
    return "、".join(n for n, c in zip(names, credits, strict=False) if c != "0")
