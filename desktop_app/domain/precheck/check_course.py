"""Course rules R05–R12 and R18 (and their W01), built once per sheet (``docs/precheck-rules.md``).

:func:`build` returns the getter of the course cells (code, subject, 開課年級, credits, the 學期
column and the 補考成績 節數 pair, those the sheet kind has) and ``course(values) -> CourseResult``,
called once per distinct combination of those cells. R12 itself needs the row's ID and is counted
in the row loop from the ``cg_key`` returned here.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.domain.precheck.cells import (
    CODE_RE,
    Template,
    cell_text,
    clean,
    credit_char,
    getter_of,
    number,
    taught_terms,
)
from desktop_app.domain.precheck.context import SheetContext
from desktop_app.domain.precheck.model import PlanCourse
from desktop_app.domain.precheck.plan import course_attributes
from desktop_app.domain.precheck.rules import category_name, credit_value

# (code, 開課年級, templates, (code_bad: R05–R08 fired, is 9D), R12 key part: -1 when R05 fired)
CourseResult = tuple[str, int | None, tuple[Template, ...], tuple[bool, bool], int]
Getter = Callable[[list[object]], tuple[object, ...]]


def _fields(ctx: SheetContext) -> list[tuple[str, int, str]]:
    """(field, column index, title) of the course cells the sheet has, in a fixed order."""
    kind = ctx.kind
    wanted = [("code", kind.code), ("subject", kind.subject), ("grade", kind.grade)]
    wanted += [("credits", kind.credits), ("term", kind.term)]
    if kind.hours:
        wanted += [("hours1", (kind.hours[0],)), ("hours2", (kind.hours[1],))]
    out = []
    for name, names in wanted:
        i = ctx.index(names) if names else None
        if i is not None:
            out.append((name, i, ctx.title(names)))
    return out


def build(ctx: SheetContext) -> tuple[Getter, Callable[[tuple[object, ...]], CourseResult]]:
    fields = _fields(ctx)
    names = [f[0] for f in fields]
    titles = {f[0]: f[2] for f in fields}
    plan = ctx.plan
    school_code = ctx.school_code
    missing = ctx.missing
    sheet = ctx.sheet
    code_numbers = ctx.state.code_numbers
    r12_grade = ctx.kind.r12_grade

    def code_problem(code: str, code_text: str) -> Template | None:
        """R05–R08: the first that fires (one root cause, one finding)."""
        t = titles["code"]
        if missing:
            expected = "有課程代碼的課程（不放在（缺）工作表）"
            return (
                "R05",
                t,
                code_text,
                expected,
                f"「{sheet}」工作表的列不能提交：課程沒有（正確的）課程代碼",
            )
        if not code:
            return ("R05", t, code_text, "23 碼課程代碼", "課程代碼是空白的")
        if not CODE_RE.match(code):
            message = f"課程代碼「{code}」不是 23 碼的英數字（目前 {len(code)} 碼）"
            return ("R06", t, code_text, "23 碼英數字 [0-9A-Z]", message)
        if school_code and code[3:9] != school_code:
            message = f"課程代碼第 4–9 碼「{code[3:9]}」與本校學校代碼「{school_code}」不同"
            return ("R07", t, code_text, f"第 4–9 碼為 {school_code}", message)
        if code not in plan:
            return ("R08", t, code_text, "課程計畫中的課程代碼", f"課程代碼「{code}」不在課程計畫中")
        return None

    def course(values: tuple[object, ...]) -> CourseResult:
        out: list[Template] = []
        texts = dict(zip(names, (cell_text(v) for v in values), strict=True))
        cleaned = {
            n: ctx.cell_w01(titles[n], t, n != "subject", out, upper=n == "code") for n, t in texts.items()
        }
        code = cleaned.get("code", "")
        grade_num = number(cleaned.get("grade", ""))
        grade = int(grade_num) if grade_num is not None and grade_num.is_integer() else None
        problem = code_problem(code, texts.get("code", ""))
        is_9d = False
        if problem is not None:
            out.append(problem)
        else:
            entry = plan[code]
            category, attribute = course_attributes(code, entry)
            is_9d = category == "9" and attribute == "D"
            out += _plan_rules(entry, texts, cleaned, titles, grade, ctx.term)
            if category in ("8", "9") and attribute != "D":
                message = f"課程代碼「{code}」是{category_name(category)}（科目屬性 {attribute}），不應提交"
                out.append(
                    ("R18", titles["code"], texts["code"], "課程類別 8、9 只有科目屬性 D 可提交", message)
                )
        cg_key = (
            # a sheet whose rows name their own 學期 (補修/轉學轉科/重修) may hold 1上 and 1下 of
            # one code: the 學期 is part of the key there (docs/precheck-rules.md, R12)
            code_numbers.setdefault((code, grade if r12_grade else None, cleaned.get("term", "")), len(code_numbers))
            if code and not missing
            else -1
        )
        return code, grade, tuple(out), (problem is not None, is_9d), cg_key

    return getter_of([f[1] for f in fields]), course


def _plan_rules(
    entry: PlanCourse,
    texts: dict[str, str],
    cleaned: dict[str, str],
    titles: dict[str, str],
    grade: int | None,
    roster_term: int | None,
) -> list[Template]:
    """R09, R11 and R10 of a row whose code is in the plan (R10 only when R11 did not fire)."""
    out: list[Template] = []
    subject = cleaned.get("subject", "")
    if "subject" in texts and clean(entry.name) != subject:
        message = f"科目名稱「{subject}」與課程計畫的「{entry.name}」不同"
        out.append(("R09", titles["subject"], texts["subject"], entry.name, message))
    if grade is None or not 1 <= grade <= 3:
        t = titles.get("grade", "開課年級")
        out.append(
            ("R11", t, texts.get("grade", ""), "1、2 或 3", f"{t}「{texts.get('grade', '')}」不是 1–3")
        )
        return out
    if "hours1" in cleaned:  # 進修部 補考成績: each 學期's 節數 against its own character
        checks = [(1, "hours1"), (2, "hours2")]
    else:
        term = roster_term
        if "term" in cleaned:
            term_num = number(cleaned["term"])
            term = int(term_num) if term_num in (1.0, 2.0) else -1
        if term == -1:
            t = titles["term"]
            return [*out, ("R11", t, texts["term"], "1 或 2", f"{t}「{texts['term']}」不是 1 或 2")]
        if term is None or "credits" not in cleaned:
            return out
        checks = [(term, "credits")]
    r10: Template | None = None
    for term, name in checks:
        value = cleaned.get(name, "")
        if name.startswith("hours") and value in ("-1", "-1.0", ""):
            continue  # not offered that 學期
        char = credit_char(entry.credits, grade, term)
        if char == "0":
            message = f"課程計畫在 {grade} 年級第 {term} 學期沒有開「{entry.name}」（授課學期學分節數 {entry.credits}）"
            taught = taught_terms(entry.credits) or "（課程計畫沒有開課學期）"
            return [*out, ("R11", titles.get("grade", "開課年級"), texts.get("grade", ""), taught, message)]
        expected = credit_value(char)
        if r10 is None and expected is not None and number(value) != expected:
            t = titles[name]
            message = (
                f"{t}「{texts[name]}」與課程計畫的 {expected} 不同"
                f"（{grade} 年級第 {term} 學期，授課學期學分節數 {entry.credits}）"
            )
            r10 = ("R10", t, texts[name], str(expected), message)
    return out + ([r10] if r10 else [])
