"""及格標準 (pass marks): parsing and describing marks, pure (no Qt, no database).

A school's grading system judges 及格 against each student's own mark (precheck-rules.md, "Pass
marks"): a default (usually 60), the other marks the school uses (e.g. 50, 40), and a list of
students with their own mark.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from desktop_app.domain.precheck.model import CheckOptions, PrecheckResult

DEFAULT_PASS_MARK = 60.0


class PassMarkError(ValueError):
    """A mark that is not a number from 0 to 100 (message in zh-TW)."""


def parse_mark(text: object) -> float:
    """A mark from a cell or a field: a number from 0 to 100 (full-width digits, spaces, ``60.0``).

    Raises:
        PassMarkError: empty, not a number, or outside 0–100.
    """
    if isinstance(text, bool):
        raise PassMarkError(f"「{text}」不是 0 到 100 的數字")
    if isinstance(text, (int, float)):
        value = float(text)
        shown = format_mark(value) if math.isfinite(value) else str(text)
    else:
        shown = unicodedata.normalize("NFKC", str(text or "")).strip()
        if not shown:
            raise PassMarkError("及格標準是空白的")
        try:
            value = float(shown.removesuffix("分").strip())
        except ValueError:
            raise PassMarkError(f"「{shown}」不是 0 到 100 的數字") from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise PassMarkError(f"「{shown}」不在 0 到 100 之間")
    return value


def format_mark(value: float) -> str:
    """``60.0`` → ``60``, ``57.5`` → ``57.5``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_marks(text: str) -> tuple[float, ...]:
    """The school's other marks typed as ``50, 40`` (also 、，; and spaces); sorted high to low.

    Raises:
        PassMarkError: one of them is not a number from 0 to 100.
    """
    normal = unicodedata.normalize("NFKC", text or "")
    for sep in "、，;；":
        normal = normal.replace(sep, ",")
    parts = [p for chunk in normal.split(",") for p in chunk.split()]
    return normalize_others(parse_mark(p) for p in parts)


def normalize_others(marks: Iterable[float], default: float | None = None) -> tuple[float, ...]:
    """Distinct marks, high to low, without the default."""
    return tuple(sorted({float(m) for m in marks if default is None or float(m) != default}, reverse=True))


def normalize_key(text: object) -> str:
    """A list key as the engine compares it: NFKC, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).upper()


@dataclass(frozen=True)
class PassMarkSettings:
    """The marks a run uses: the default, the school's other marks, and per-student marks."""

    default: float = DEFAULT_PASS_MARK
    others: tuple[float, ...] = ()
    students: Mapping[str, float] | None = None  # key (身分證號 / 學號) → mark
    source: str = ""  # where the list came from (file names; "" none)
    # students on the list; the key map may hold one student twice (身分證號 and 學號)
    listed: int | None = None

    @property
    def student_count(self) -> int:
        return self.listed if self.listed is not None else len(self.students or {})

    def summary(self) -> dict[str, object]:
        """The ``PrecheckResult.pass_marks`` document (plus where the list came from)."""
        out: dict[str, object] = {
            "default": self.default,
            "others": list(self.others),
            "students": self.student_count,
        }
        if self.source:
            out["file"] = self.source
        return out


def describe(pass_marks: Mapping[str, object] | None) -> str:
    """One zh-TW line for summaries: ``預設 60 分；其他 50、40 分；個別名單 12 人（passmarks.xlsx）``."""
    if not pass_marks:
        return f"預設 {format_mark(DEFAULT_PASS_MARK)} 分"
    default = pass_marks.get("default", DEFAULT_PASS_MARK)
    parts = [f"預設 {format_mark(float(default))} 分" if isinstance(default, (int, float)) else "預設 —"]
    others = pass_marks.get("others") or []
    if isinstance(others, (list, tuple)) and others:
        parts.append("其他 " + "、".join(format_mark(float(m)) for m in others) + " 分")
    else:
        parts.append("未設定其他及格標準")
    students = pass_marks.get("students") or 0
    if students:
        source = pass_marks.get("file")
        parts.append(f"個別名單 {students} 人" + (f"（{source}）" if source else ""))
    else:
        parts.append("無個別名單")
    return "；".join(parts)


def apply_pass_marks(options: CheckOptions, marks: PassMarkSettings) -> CheckOptions:
    """``options`` carrying the marks to the engine."""
    return replace(
        options,
        default_pass_mark=marks.default,
        other_pass_marks=tuple(marks.others),
        student_pass_marks=dict(marks.students or {}),
    )


def record_pass_marks(result: PrecheckResult, marks: PassMarkSettings) -> PrecheckResult:
    """Say in the result which marks were used (what the engine filled is kept, ours added)."""
    result.pass_marks = {**(getattr(result, "pass_marks", None) or {}), **marks.summary()}
    return result


def summary_rows(pass_marks: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """(label, text) rows for a report's 摘要: the default, the others, the list and its source."""
    if not pass_marks:
        return [("及格標準", "（本次未記錄）")]
    others = pass_marks.get("others") or []
    shown = "、".join(format_mark(float(m)) for m in others) if isinstance(others, (list, tuple)) else ""
    default = pass_marks.get("default", DEFAULT_PASS_MARK)
    return [
        ("預設及格標準", format_mark(float(default)) if isinstance(default, (int, float)) else str(default)),
        ("其他及格標準", shown or "（未設定）"),
        ("個別及格標準名單", f"{pass_marks.get('students') or 0} 人"),
        ("名單來源", str(pass_marks.get("file") or "（無）")),
    ]
