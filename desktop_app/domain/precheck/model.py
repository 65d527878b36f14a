"""Data types of the pre-check (interface between the engine, services, CLI JSON, reports, tab)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Severity = Literal["error", "warning"]
RosterKind = Literal["pre", "final"]  # 預檢 | final 成績/修課紀錄名冊
Division = Literal["day", "continuing"]  # 日間 | 進修部(學校)


@dataclass(frozen=True)
class PlanCourse:
    """One course of the approved course plan (課程計畫)."""

    code: str  # 23 chars, upper case
    name: str  # 科目名稱
    credits: str  # 授課學期學分節數, 6 chars (1上 1下 2上 2下 3上 3下)
    methods: str = ""  # 授課學期開課方式, 6 chars
    attributes: str = ""  # 課程屬性, 4 chars (課程類別 + 科目屬性 + 領域) or ""
    course_type: str = ""  # 課程類型
    year: int | None = None  # 實施學年度


@dataclass(frozen=True)
class CheckOptions:
    kind: RosterKind | None = None  # None: detect from 封面 名冊別 or the columns
    division: Division | None = None  # None: detect
    school_code: str | None = None
    year: int | None = None  # 學年度 of the roster
    term: int | None = None  # 學期 of the roster
    mask_pattern: str = "XXXXXX****"
    # pass marks (docs/precheck-rules.md, "Pass marks"): R15 judges 及格 at the student's own mark
    # (looked up by upper-case 身分證號, then by 學號 as in 備註(資料當學期學號)), else at the default;
    # W02 for the grey zone between the default and the lowest of the school's other marks
    default_pass_mark: float = 60.0
    other_pass_marks: tuple[float, ...] = ()
    student_pass_marks: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Finding:
    code: str  # F01…F06, W01…W03, R01…R19, P01, O01
    severity: Severity
    message: str  # zh-TW, says what and what was expected
    sheet: str | None = None
    row: int | None = None  # Excel row number as the user sees it
    column: str | None = None  # column header as in the file
    value: str | None = None
    expected: str | None = None
    student_id: str | None = None  # masked
    student_name: str | None = None
    student_class: str | None = None
    student_seat: str | None = None
    course_code: str | None = None


@dataclass(frozen=True)
class Pattern:
    """P01 相同錯誤樣態: one rule firing on many rows of one course code."""

    rule: str
    course_code: str
    subject: str
    affected: int
    total: int
    advice: str


@dataclass(frozen=True)
class OfferingGap:
    """O01: a plan code due in the roster's term with no row in the roster."""

    course_code: str
    subject: str
    grade: int
    category: str  # 課程類別 code (1–9, A–F)
    category_name: str  # e.g. 部定必修
    credits: str


@dataclass(frozen=True)
class PuaNote:
    """A 造字 (Private Use Area) character found in a roster cell (formats.md: report every one)."""

    sheet: str
    row: int  # Excel row number
    column: str  # column header as in the file
    value: str
    chars: str  # the PUA characters of the cell, e.g. "\ue000"
    student_id: str | None = None  # masked


@dataclass
class PrecheckResult:
    file: str
    sha256: str
    size: int
    encoding: str | None
    kind: RosterKind | None
    division: Division | None
    year: int | None
    term: int | None
    rows: dict[str, int] = field(default_factory=dict)  # sheet → data rows read
    counts: dict[str, int] = field(default_factory=dict)  # code → n (every code that fired)
    findings: list[Finding] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    offering: list[OfferingGap] = field(default_factory=list)
    seconds: float = 0.0
    fatal: bool = False  # F01/F02/F05: the file could not be checked at all (CLI exit 2)
    file_type: str = ""  # "xlsx" | "xls" | "ods" | "csv" ("" when the file could not be read)
    school_code: str | None = None  # the school code the codes were checked against (R07)
    pua: list[PuaNote] = field(default_factory=list)  # 造字 found (names to fix with the 難字對照表)
    notes: list[str] = field(default_factory=list)  # zh-TW: how kind/term were decided, rules not run
    # the marks used: {"default": 60.0, "others": [50.0], "students": <students on the list>}
    pass_marks: dict[str, object] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warning_count(self) -> int:
        return (
            sum(1 for f in self.findings if f.severity == "warning") + len(self.patterns) + len(self.offering)
        )
