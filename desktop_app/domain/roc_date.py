"""ROC (民國) dates, 學年度 and 學期.

民國年 = AD - 1911. A 學年度 runs 8/1-7/31; 第1學期 is 8/1-1/31, 第2學期 is 2/1-7/31.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

ROC_OFFSET = 1911


class RocDateError(ValueError):
    """A date that cannot be read; the message is in Chinese and quotes the input."""


_SEP_RE = re.compile(r"^(\d{2,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_CHINESE_RE = re.compile(r"^(?:民國)?\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_COMPACT_RE = re.compile(r"^\d{6,8}$")


def _make(year_ad: int, month: int, day: int, original: str) -> date:
    try:
        return date(year_ad, month, day)
    except ValueError:
        raise RocDateError(f"「{original}」不是有效的日期（沒有 {month} 月 {day} 日）") from None


def parse_roc_date(text: str | date) -> date:
    """Parse ``113/9/2``, ``113/09/02``, ``113年9月2日``, ``1130902`` or ISO ``2024-09-02``.

    Full-width digits and separators are accepted (NFKC). A 4-digit first part is an AD year;
    otherwise the year is ROC. Raises :class:`RocDateError` with a Chinese message.
    """
    if isinstance(text, date):
        return text
    original = str(text)
    value = unicodedata.normalize("NFKC", original).strip()
    if not value:
        raise RocDateError("日期是空白的，請輸入民國日期，例如 113/09/02")
    match = _SEP_RE.match(value)
    if match:
        y, m, d = (int(g) for g in match.groups())
        year_ad = y if len(match.group(1)) == 4 else y + ROC_OFFSET
        return _make(year_ad, m, d, original)
    match = _CHINESE_RE.match(value)
    if match:
        y, m, d = (int(g) for g in match.groups())
        return _make(y + ROC_OFFSET, m, d, original)
    if _COMPACT_RE.match(value):
        if len(value) == 8:  # yyyyMMdd (AD)
            return _make(int(value[:4]), int(value[4:6]), int(value[6:]), original)
        padded = value.zfill(7)  # yyyMMdd; a number that lost its leading zero is padded
        return _make(int(padded[:3]) + ROC_OFFSET, int(padded[3:5]), int(padded[5:]), original)
    raise RocDateError(f"無法辨識的日期「{original}」：請用民國日期，例如 113/09/02 或 113年9月2日")


def to_roc_year(d: date) -> int:
    return d.year - ROC_OFFSET


def format_roc(d: date | None) -> str:
    """``113/09/02`` (empty string for ``None``)."""
    if d is None:
        return ""
    return f"{d.year - ROC_OFFSET:03d}/{d.month:02d}/{d.day:02d}"


def format_roc_long(d: date | None) -> str:
    """``113年9月2日`` (empty string for ``None``)."""
    if d is None:
        return ""
    return f"{d.year - ROC_OFFSET}年{d.month}月{d.day}日"


def format_roc_compact(d: date) -> str:
    """``1130902`` (the roster's 出生日期 form)."""
    return f"{d.year - ROC_OFFSET:03d}{d.month:02d}{d.day:02d}"


@dataclass(frozen=True, order=True)
class Term:
    """A 學期: ``Term(113, 1)`` is 113學年度第1學期 (2024-08-01 to 2025-01-31)."""

    year: int  # 學年度 (ROC)
    term: int  # 1 or 2

    def __post_init__(self) -> None:
        if self.term not in (1, 2):
            raise ValueError(f"學期只能是 1 或 2（收到 {self.term}）")

    @property
    def start(self) -> date:
        if self.term == 1:
            return date(self.year + ROC_OFFSET, 8, 1)
        return date(self.year + ROC_OFFSET + 1, 2, 1)

    @property
    def end(self) -> date:
        if self.term == 1:
            return date(self.year + ROC_OFFSET + 1, 1, 31)
        return date(self.year + ROC_OFFSET + 1, 7, 31)

    @property
    def label(self) -> str:
        """``113-1``."""
        return f"{self.year}-{self.term}"

    @property
    def title(self) -> str:
        """``113學年度第1學期``."""
        return f"{self.year}學年度第{self.term}學期"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def previous(self) -> Term:
        return Term(self.year, 1) if self.term == 2 else Term(self.year - 1, 2)

    def next(self) -> Term:
        return Term(self.year, 2) if self.term == 1 else Term(self.year + 1, 1)

    @classmethod
    def parse(cls, text: str) -> Term:
        """Parse ``113-1``, ``113/1``, ``1131`` or ``113學年度第1學期``."""
        value = unicodedata.normalize("NFKC", str(text)).strip()
        match = re.match(r"^(\d{2,3})\s*(?:[-/._ ]|學年度第?)?\s*([12])\s*(?:學期)?$", value)
        if not match:
            raise ValueError(f"無法辨識的學期「{text}」：請寫成 113-1 或 113-2")
        return cls(int(match.group(1)), int(match.group(2)))


def school_year_of(d: date) -> int:
    """The ROC 學年度 a date falls in (8/1 starts a new one)."""
    return d.year - ROC_OFFSET if d.month >= 8 else d.year - ROC_OFFSET - 1


def term_of(d: date) -> Term:
    """The 學期 a date falls in: 8/1-1/31 is 第1學期, 2/1-7/31 is 第2學期."""
    year = school_year_of(d)
    return Term(year, 1 if (d.month >= 8 or d.month == 1) else 2)


def school_year_bounds(year: int) -> tuple[date, date]:
    return date(year + ROC_OFFSET, 8, 1), date(year + ROC_OFFSET + 1, 7, 31)


def add_weeks(d: date, weeks: int) -> date:
    return d + timedelta(weeks=weeks)
