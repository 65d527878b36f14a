"""The approved course plan (課程計畫) as the pre-check's reference.

:meth:`CoursePlan.from_workbook` reads the platform's raw export or the vendor variant (docs/precheck-rules.md),
mapping columns by header name (NFKC, spaces ignored) wherever the header row is. Values are cleaned
tolerantly (spaces, full-width forms, lower case, numbers stored as floats or that lost leading
zeros) and checked exactly: a bad row raises :class:`PlanError` naming file, sheet, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from desktop_app.domain.precheck.model import PlanCourse
from desktop_app.domain.precheck.rules import CREDIT_CHARS
from desktop_app.readers import Workbook, find_header_row, normalize_header

CODE_RE = re.compile(r"^[0-9A-Z]{23}$")

# role → accepted header names (compared after normalize_header)
PLAN_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("課程代碼",),
    "name": ("科目名稱",),
    "credits": ("授課學期學分節數", "授課學期學分/節數", "授課學期學分"),
    "methods": ("授課學期開課方式", "授課開課方式"),
    "attributes": ("課程屬性",),
    "course_type": ("課程類型",),
    "year": ("實施學年度",),
    "entry_year": ("入學年",),
    "group": ("群組代碼",),
}
REQUIRED = ("code", "name", "credits")
MAX_REPORTED_PROBLEMS = 20


class PlanError(ValueError):
    """A course plan file that cannot be used; ``problems`` lists every bad cell found."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _digits_float(value: str) -> str:
    """``"222000.0"`` → ``"222000"`` (a credits string typed as a number)."""
    if value.endswith(".0") and value[:-2].isascii() and value[:-2].isdigit():
        return value[:-2]
    return value


class CoursePlan(dict[str, PlanCourse]):
    """Course code (23 chars, upper case) → :class:`PlanCourse`."""

    source: str = ""  # file name the plan was read from ("" when built in code)

    @classmethod
    def from_courses(cls, courses: Iterable[PlanCourse], source: str = "") -> CoursePlan:
        plan = cls()
        for course in courses:
            plan[course.code] = course
        plan.source = source
        return plan

    @classmethod
    def from_workbook(cls, wb: Workbook) -> CoursePlan:
        """Build the plan from the first sheet that has the plan's header row (either layout)."""
        file_name = wb.path.name
        known = [name for names in PLAN_COLUMNS.values() for name in names]
        for sheet in wb.sheets:
            header_index = find_header_row(sheet.rows, known, min_matches=3)
            if header_index is None:
                continue
            return cls._from_sheet(file_name, sheet.name, sheet.rows, header_index)
        sheets = "、".join(f"「{s.name}」" for s in wb.sheets) or "（沒有工作表）"
        raise PlanError(
            f"課程計畫檔「{file_name}」的工作表 {sheets} 前 30 列都找不到標題列"
            "（需要「課程代碼」「科目名稱」「授課學期學分節數」等欄位）。請確認選的是課程計畫平臺匯出的檔案。"
        )

    @classmethod
    def _from_sheet(
        cls, file_name: str, sheet_name: str, rows: list[list[str]], header_index: int
    ) -> CoursePlan:
        columns, titles = _header_columns(rows[header_index])
        where = f"課程計畫檔「{file_name}」工作表「{sheet_name}」"
        missing = [PLAN_COLUMNS[r][0] for r in REQUIRED if r not in columns]
        if missing:
            raise PlanError(
                f"{where}第 {header_index + 1} 列（標題列）缺少欄位：{'、'.join(missing)}。"
                "請使用課程計畫平臺的原始匯出檔。"
            )

        def cell(row: list[str], role: str) -> str:
            index = columns.get(role)
            if index is None or index >= len(row):
                return ""
            return _clean(row[index])

        def raw(row: list[str], role: str) -> str:
            index = columns.get(role)
            return str(row[index]).strip() if index is not None and index < len(row) else ""

        problems: list[str] = []

        def problem(excel_row: int, role: str, text: str) -> None:
            problems.append(f"{where}第 {excel_row} 列「{titles[role]}」欄：{text}")

        plan = cls()
        plan.source = file_name
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            if not any(str(v).strip() for v in row):
                continue
            course = _course_of(row, offset, cell, raw, problem)
            if len(problems) >= MAX_REPORTED_PROBLEMS:
                break
            if course is None:
                continue
            previous = plan.get(course.code)
            if previous is not None and (previous.year or 0) > (course.year or 0):
                continue  # the same permanent code listed for several 實施學年度: keep the newest
            plan[course.code] = course
        if problems:
            more = "（只列出前 20 項）" if len(problems) >= MAX_REPORTED_PROBLEMS else ""
            raise PlanError(
                f"課程計畫有 {len(problems)} 處錯誤{more}，請修正後重新匯入：\n" + "\n".join(problems),
                problems,
            )
        if not plan:
            raise PlanError(f"{where}沒有任何課程（標題列在第 {header_index + 1} 列，之後沒有資料）。")
        return plan

    def attributes_of(self, code: str) -> tuple[str, str]:
        """(課程類別, 科目屬性) of a code: the plan's 課程屬性 when it has one, else positions 17 and 19."""
        return course_attributes(code, self.get(code))


def _header_columns(header: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """The plan's columns in a header row: role → column index, and role → the title as written.

    The first column of a role wins (a file may repeat a header further right).
    """
    columns: dict[str, int] = {}
    titles: dict[str, str] = {}
    lookup = {normalize_header(n): role for role, names in PLAN_COLUMNS.items() for n in names}
    for index, cell in enumerate(header):
        role = lookup.get(normalize_header(cell))
        if role and role not in columns:
            columns[role] = index
            titles[role] = str(cell).strip()
    return columns, titles


def _course_of(
    row: list[str],
    offset: int,
    cell: Callable[[list[str], str], str],
    raw: Callable[[list[str], str], str],
    problem: Callable[[int, str, str], None],
) -> PlanCourse | None:
    """One plan row as a course, or None after reporting its bad cells with ``problem``."""
    code = cell(row, "code").upper()
    name = raw(row, "name")  # kept as written (the engine compares names after NFKC)
    credits = _digits_float(cell(row, "credits")).upper()
    if credits.isascii() and credits.isdigit() and len(credits) < 6:
        credits = credits.zfill(6)  # "022000" typed as a number lost its leading zero
    methods = cell(row, "methods").upper()
    attributes = cell(row, "attributes").upper()
    attributes = _digits_float(attributes)  # 課程類別 is never 0: no lost leading zero here
    year_text = _digits_float(cell(row, "year"))
    bad = False
    if not CODE_RE.match(code):
        problem(offset, "code", f"「{code}」不是 23 碼的課程代碼（英數字）")
        bad = True
    if not name:
        problem(offset, "name", "科目名稱是空白的")
        bad = True
    if len(credits) != 6 or any(c not in CREDIT_CHARS for c in credits):
        problem(
            offset,
            "credits",
            f"「{credits}」不是 6 碼的授課學期學分節數（每學期一碼：0–9、A–I、R–T、Z）",
        )
        bad = True
    if attributes and (len(attributes) != 4 or not attributes.isalnum()):
        problem(offset, "attributes", f"「{attributes}」不是 4 碼的課程屬性（課程類別＋科目屬性＋領域）")
        bad = True
    year: int | None = None
    if year_text:
        if year_text.isascii() and year_text.isdigit():
            year = int(year_text)
        else:
            problem(offset, "year", f"「{year_text}」不是學年度數字")
            bad = True
    if bad:
        return None
    return PlanCourse(
        code=code,
        name=name,
        credits=credits,
        methods=methods,
        attributes=attributes,
        course_type=cell(row, "course_type"),
        year=year,
    )


def course_attributes(code: str, course: PlanCourse | None) -> tuple[str, str]:
    if course is not None and len(course.attributes) == 4:
        return course.attributes[0], course.attributes[1]
    if len(code) == 23:
        return code[16], code[18]
    return "", ""
