"""開課預檢 labels and masking shared by the window, the CLI and the reports (pure).

The names of 名冊別 / 部別 / 嚴重度, the rule titles, the order codes are listed in, and the masking
of ID numbers in findings (a report circulates among the staff who fix the data).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN, mask_id

KIND_LABELS = {"pre": "預檢名冊（不含成績）", "final": "成績／修課紀錄名冊"}
DIVISION_LABELS = {"day": "日間", "continuing": "進修部（學校）"}
SEVERITY_LABELS = {"error": "錯誤", "warning": "警告"}
ID_HEADERS = {"身分證號"}


def rule_titles() -> dict[str, tuple[str, str]]:
    """code → (severity, title_zh) from the engine's catalogue (empty if it is not available)."""
    try:
        from desktop_app.domain.precheck.rules import RULES
    except ImportError:  # pragma: no cover - engine not merged yet
        return {}
    return {code: (info.severity, info.title_zh) for code, info in RULES.items()}


def norm_header(value: object) -> str:
    """A header or sheet name compared loosely: NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def _is_id_column(column: str | None) -> bool:
    return column is not None and norm_header(column) in ID_HEADERS


# An ID number standing alone in a text (not a piece of a 23-character course code).
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[A-Za-z][A-Za-z0-9][0-9]{8}(?![0-9A-Za-z])")


def mask_ids_in_text(text: str | None, pattern: str = DEFAULT_MASK_PATTERN) -> str:
    """``text`` with every ID-shaped word masked (the engine's messages quote the ID they are about)."""
    if not text:
        return text or ""
    return _ID_IN_TEXT.sub(lambda m: mask_id(m.group(0), pattern), text)


def masked_value(f: Any, pattern: str) -> str:
    """The finding's value, masked when it is an ID number."""
    value = f.value or ""
    return mask_id(value.strip(), pattern) if _is_id_column(f.column) and value.strip() else value


def masked_finding(f: Any, pattern: str = DEFAULT_MASK_PATTERN) -> Any:
    """A copy of a finding (``Finding`` or ``StoredFinding``) with no full ID number left in it."""
    return replace(f, message=mask_ids_in_text(f.message, pattern), value=masked_value(f, pattern) or f.value)


def code_sort_key(code: str) -> tuple[int, str]:
    order = "FWRPO"
    return (order.index(code[0]) if code and code[0] in order else 9, code)


PERSONAL_DATA_NOTICE = "本檔含完整身分證號等個人資料，僅供校內核對，請妥善保管、勿外流，用畢刪除。"
