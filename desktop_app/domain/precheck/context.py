"""What the rule groups of one sheet share: the sheet kind and layout, the plan, the roster's
term and school, the pass marks, and the run-wide state (R19 first birth dates, R12/R16 keys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from desktop_app.domain.precheck.cells import Template, clean, w01_reason
from desktop_app.domain.precheck.layout import Layout
from desktop_app.domain.precheck.model import PlanCourse
from desktop_app.domain.precheck.sheets import SheetKind


@dataclass
class PassMarks:
    """The marks R15/W02 judge 及格 at (``docs/precheck-rules.md``, "Pass marks")."""

    default: float = 60.0
    others: tuple[float, ...] = ()
    students: dict[str, float] = field(default_factory=dict)  # 身分證號 (upper case) or 學號 → mark

    @classmethod
    def from_options(
        cls, default: float, others: tuple[float, ...], students: Mapping[str, float]
    ) -> PassMarks:
        others = tuple(sorted({float(m) for m in others if float(m) != float(default)}, reverse=True))
        return cls(float(default), others, {clean(str(k)).upper(): float(v) for k, v in students.items()})

    @property
    def lowest_other(self) -> float | None:
        lower = [m for m in self.others if m < self.default]
        return min(lower) if lower else None


@dataclass
class RunState:
    """Cross-sheet state of one run."""

    first_birth: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # R19
    id_numbers: dict[str, int] = field(default_factory=dict)  # ID → small int (R12/R16 keys)
    # (code, grade, 學期 cell) → small int; grade and 學期 only where R12 keys them
    code_numbers: dict[tuple[str, int | None, str], int] = field(default_factory=dict)
    passed_keys: set[int] = field(default_factory=set)  # 學期成績 rows with 成績及格 1 (R16 補考成績)


@dataclass
class SheetContext:
    kind: SheetKind
    missing: bool  # a (缺) sheet: every row is R05
    sheet: str  # the sheet's name as shown
    layout: Layout
    final: bool
    plan: Mapping[str, PlanCourse]
    school_code: str | None
    term: int | None  # the roster's 學期
    marks: PassMarks
    mask: Callable[[str], str]
    state: RunState

    def index(self, names: tuple[str, ...] | None) -> int | None:
        return self.layout.index(names)

    def title(self, names: tuple[str, ...]) -> str:
        return self.layout.title(names)

    def cell_w01(self, title: str, text: str, strict: bool, out: list[Template], upper: bool = False) -> str:
        """The cleaned text of a cell; a W01 template is added when it needed cleaning."""
        reason = w01_reason(text, strict)
        cleaned = clean(text)
        if upper:
            cleaned = cleaned.upper()
        if reason:
            out.append(
                ("W01", title, text, cleaned, f"{title}「{text}」{reason}，已清理為「{cleaned}」後檢查")
            )
        return cleaned
