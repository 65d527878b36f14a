"""Data hygiene for imported files: control characters, plausible 學年度/學期, credits, dates.

Pure functions; the importers (student master, 收訖明細) use them to clean and check each row, and
the command line uses :func:`school_year_range` for ``--year``.

- Control characters (C0 except tab/LF/CR, DEL, U+FFFE/U+FFFF, lone surrogates) cannot be
  printed on a slip nor written to an xlsx: they are replaced by U+FFFD (�), visibly, and the
  importer reports the row and column.
- A 學年度 is plausible from :data:`MIN_SCHOOL_YEAR` (民國 100) to the current ROC year + 1 (the
  portfolio began with 108課綱; 100 leaves room for old records and typing 2-digit years is
  not done). 學期 is 1 or 2. Credits are a number from 0 to :data:`MAX_CREDITS`. A date must
  exist on the calendar (113/02/30 does not); a range ``113/02/01~113/06/30`` is two dates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.roc_date import ROC_OFFSET, RocDateError, parse_roc_date

REPLACEMENT = "\ufffd"
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MIN_SCHOOL_YEAR = 100
MAX_CREDITS = 99
_RANGE_SPLIT_RE = re.compile(r"\s*(?:~|～|〜|至|到|－|—|–|\s-\s)\s*")
_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class RowIssue:
    """A problem in one cell of an imported file: where, the value, and why."""

    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    column: str  # the header text (or 第N欄)
    value: str  # as read (control characters shown as U+FFFD)
    reason: str

    def text(self) -> str:
        where = f"「{self.file}」" + (f"工作表「{self.sheet}」" if self.sheet else "")
        return f"{where}第 {self.row} 列「{self.column}」欄「{self.value}」：{self.reason}"


def clean_controls(text: str) -> tuple[str, int]:
    """``text`` with control characters replaced by U+FFFD, and how many were replaced."""
    if not text or text.isprintable() or not CONTROL_RE.search(text):
        return text, 0
    cleaned, count = CONTROL_RE.subn(REPLACEMENT, text)
    return cleaned, count


def current_roc_year(today: date | None = None) -> int:
    return (today or date.today()).year - ROC_OFFSET


def school_year_range(today: date | None = None) -> tuple[int, int]:
    """The plausible 學年度 range: 民國 100 to the current ROC year + 1."""
    return MIN_SCHOOL_YEAR, current_roc_year(today) + 1


def check_school_year(text: str, today: date | None = None) -> str | None:
    """None when ``text`` is a plausible 學年度, else the reason (zh-TW)."""
    low, high = school_year_range(today)
    value = unicodedata.normalize("NFKC", text).strip()
    if not value.isdigit():
        return f"學年度應為民國年數字（{low}–{high}）"
    if not low <= int(value) <= high:
        hint = "（這是西元年？學年度請用民國年）" if int(value) > 1911 else ""
        return f"學年度 {int(value)} 不合理：應在民國 {low}–{high} 之間{hint}"
    return None


# summer/winter sessions are named, not numbered; the 收訖明細 keeps them as written
SESSION_WORDS = ("暑期", "暑假", "暑修", "寒假", "寒期", "寒修")


def check_term(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip()
    if value in ("1", "2") or value in SESSION_WORDS:
        return None
    return f"學期只能是 1 或 2（或 {'、'.join(SESSION_WORDS)}）"


def check_credits(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip()
    if not _NUMBER_RE.match(value):
        return f"學分應為數字（0–{MAX_CREDITS}）"
    number = float(value)
    if number < 0:
        return "學分不可為負數"
    if number > MAX_CREDITS:
        return f"學分 {value} 不合理（上限 {MAX_CREDITS}）"
    return None


def check_date_text(text: str) -> str | None:
    """None for a real date or a range of two real dates (ROC or ISO), else the reason."""
    value = unicodedata.normalize("NFKC", text).strip()
    try:
        parse_roc_date(value)
        return None
    except RocDateError as exc:
        first_error = str(exc)
    parts = [p for p in _RANGE_SPLIT_RE.split(value) if p]
    if len(parts) == 2:
        try:
            start, end = (parse_roc_date(p) for p in parts)
        except RocDateError as exc:
            return f"日期不存在或格式不符：{exc}"
        if end < start:
            return "起訖日期的結束日早於開始日"
        return None
    return f"日期不存在或格式不符：{first_error}"


def check_seat(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    if not _NUMBER_RE.match(value) or float(value) != int(float(value)):
        return "座號應為整數（1–99）"
    if not 1 <= int(float(value)) <= 99:
        return "座號應在 1–99 之間"
    return None


MAX_CLASS_CHARS = 30


def check_class_name(text: str) -> str | None:
    value = text.strip()
    if len(value) > MAX_CLASS_CHARS:
        return f"班級名稱過長（{len(value)} 字，上限 {MAX_CLASS_CHARS} 字），不像班級"
    return None
