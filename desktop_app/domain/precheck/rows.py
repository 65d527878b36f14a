"""The row loop of one data sheet: every row rule in one pass over the streamed rows.

The cells are split in four groups, each pulled with one ``itemgetter`` call and looked up in its
own cache: ID + birth date (:mod:`check_identity`), course (:mod:`check_course`), grades
(:mod:`check_grades`) and the other columns (:mod:`check_text`). Only R12 (and the 進修部 R16
cross-sheet reading) needs per-row sets. A cached group returns finding *templates*; they become
:class:`Finding` objects (with row and student) only on the rows that have one. The loop is the one
function of the pre-check longer than ~80 lines, on purpose: names stay local in the hot path.
Rules: ``docs/precheck-rules.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from desktop_app.domain.precheck import check_course, check_grades, check_identity, check_text
from desktop_app.domain.precheck.cells import Template, cell_text, clean, num_text
from desktop_app.domain.precheck.context import SheetContext
from desktop_app.domain.precheck.model import Finding, PuaNote
from desktop_app.domain.precheck.rules import P01_RULES, RULES
from desktop_app.domain.precheck.sheets import (
    BIRTH_NAMES,
    ID_NAMES,
    STUDENT_CLASS,
    STUDENT_NAME,
    STUDENT_NUMBER,
    STUDENT_SEAT,
)

PROGRESS_EVERY = 8192
R16_MAKEUP = "-1（學期成績已及格，不需補考）"

# grade values → templates, per (flags, pass mark)
_GradeCache = dict[tuple[object, ...], tuple[Template, ...]]


@dataclass
class Sinks:
    """Where the rows' results go (the run's lists and counters)."""

    findings: list[Finding]
    pua: list[PuaNote]
    rule_code_hits: Counter[tuple[str, str]]
    progress: Callable[[int, int], None] | None = None
    done_base: int = 0
    total: int = 0
    codes: list[str] = field(default_factory=list)
    grades: set[int] = field(default_factory=set)


def _other_columns(ctx: SheetContext, used: set[int]) -> tuple[list[int], set[int]]:
    """The columns no rule group reads (W01/造字 only) and which of them are numeric."""
    numeric = {i for i in (ctx.index((name,)) for name in ctx.kind.numeric) if i is not None}
    return [i for i in range(len(ctx.layout.header)) if i not in used], numeric


def check_rows(
    ctx: SheetContext, rows: Iterator[list[object]], first_row: int, sinks: Sinks, record_passed: bool
) -> int:
    """Check every row of one sheet; returns the number of data rows."""
    width = len(ctx.layout.header)
    i_id, i_birth = ctx.index(ID_NAMES), ctx.index(BIRTH_NAMES)
    assert i_id is not None and i_birth is not None  # F03 stops a sheet without them
    pair = check_identity.build(ctx)
    get_course, course = check_course.build(ctx)
    get_grades, grades = check_grades.build(ctx)
    columns: list[object] = list(range(width))  # a getter applied to [0, 1, …] returns the indexes it reads
    used = {i_id, i_birth, *(i for i in (*get_course(columns), *get_grades(columns)) if isinstance(i, int))}
    other_idx, numeric = _other_columns(ctx, used)
    get_other, other = check_text.build(ctx.layout.header, other_idx, numeric)
    i_name, i_class, i_seat = ctx.index(STUDENT_NAME), ctx.index(STUDENT_CLASS), ctx.index(STUDENT_SEAT)
    i_number = ctx.index(STUDENT_NUMBER) if ctx.marks.students else None
    students = ctx.marks.students
    i_passed = ctx.index((ctx.kind.pairs[0].passed,)) if record_passed and ctx.kind.pairs else None
    passed_keys = ctx.state.passed_keys
    check_passed = ctx.kind.makeup == "continuing" and bool(passed_keys)
    sheet = ctx.sheet
    add = sinks.findings.append
    severity = {code: info.severity for code, info in RULES.items()}
    rule_code_hits = sinks.rule_code_hits
    pua_notes = sinks.pua
    mask = ctx.mask
    progress = sinks.progress
    code_title = ctx.title(ctx.kind.code)

    # course values → (the course's result, {pass mark: its grade cache})
    course_cache: dict[tuple[object, ...], tuple[check_course.CourseResult, dict[float | None, _GradeCache]]] = {}
    grade_caches: dict[tuple[bool, bool, float | None], _GradeCache] = {}
    other_cache: dict[tuple[object, ...], tuple[Template, ...]] = {}
    pair_cache: dict[tuple[object, ...], check_identity.PairResult] = {}
    prev_pv: tuple[object, ...] | None = None
    prev_p: check_identity.PairResult = ("", (), -1, None)
    prev_ov: tuple[object, ...] | None = None
    prev_o: tuple[Template, ...] = ()
    get_pair = itemgetter(i_id, i_birth)
    seen_keys: set[int] = set()  # R12: ID number << 24 | (code, grade) number
    seen_keys_add = seen_keys.add
    codes_append = sinks.codes.append
    data_rows = 0
    excel_row = first_row - 1
    next_progress = PROGRESS_EVERY

    for row in rows:
        excel_row += 1
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        pv = get_pair(row)
        if not pv[0] and not any(row) and all(v is None or v == "" for v in row):
            continue  # an empty row (tested only when the ID cell is empty)
        data_rows += 1
        if data_rows >= next_progress:
            next_progress += PROGRESS_EVERY
            if progress is not None:
                progress(sinks.done_base + data_rows, sinks.total)

        # rows come grouped by student: most rows repeat the previous row's ID, birth date
        # and free-text cells, and comparing with it is cheaper than hashing for the cache
        if pv != prev_pv:
            p = pair_cache.get(pv)
            if p is None:
                p = pair_cache[pv] = pair(pv[0], pv[1], excel_row)
            prev_pv, prev_p = pv, p
        id_clean, p_out, id_key, mark = prev_p
        if mark is None and i_number is not None:
            mark = students.get(clean(cell_text(row[i_number])).upper())

        cv = get_course(row)
        entry = course_cache.get(cv)  # one lookup: the course's result and its grade caches by mark
        if entry is None:
            entry = course_cache[cv] = (course(cv), {})
        (code, grade, c_out, flags, cg_key), by_mark = entry

        grade_cache = by_mark.get(mark)
        if grade_cache is None:
            grade_cache = by_mark[mark] = grade_caches.setdefault((*flags, mark), {})
        gv = get_grades(row)
        g_out = grade_cache.get(gv)
        if g_out is None:
            g_out = grade_cache[gv] = grades(gv, flags[0], flags[1], mark)

        ov = get_other(row)
        if ov != prev_ov:
            o_out = other_cache.get(ov)
            if o_out is None:
                o_out = other_cache[ov] = other(ov)
            prev_ov, prev_o = ov, o_out
        o_out = prev_o

        codes_append(code)
        extra: tuple[Template, ...] = ()
        if id_key >= 0 and cg_key >= 0:
            key = id_key | cg_key
            if key in seen_keys:  # R12 (skipped when R01 or R05 fired)
                message = f"{mask(id_clean)} 的課程代碼「{code}」（開課年級 {grade}）在本工作表重複出現"
                extra = (("R12", code_title, code, "每位學生每門課每年級一列", message),)
            else:
                seen_keys_add(key)
            if i_passed is not None and num_text(clean(cell_text(row[i_passed]))) == "1":
                passed_keys.add(key)
            elif check_passed and key in passed_keys and not any(t[0] in ("R14", "R16") for t in g_out):
                message = (
                    f"「學期成績」工作表中此學生此課程的成績及格是 1，卻有補考成績列（課程代碼「{code}」）"
                )
                extra += (("R16", code_title, code, R16_MAKEUP, message),)

        if p_out or c_out or g_out or o_out or extra:
            student_id = mask(id_clean) if id_clean else None
            name = cell_text(row[i_name]).strip() if i_name is not None else None
            klass = cell_text(row[i_class]).strip() if i_class is not None else None
            seat = cell_text(row[i_seat]).strip() if i_seat is not None else None
            for templates in (p_out, c_out, g_out, o_out, extra):
                for rule, column, value, expected, message in templates:
                    if rule == "PUA":
                        pua_notes.append(PuaNote(sheet, excel_row, column, value, expected, student_id))
                        continue
                    if rule in P01_RULES and code:
                        rule_code_hits[(rule, code)] += 1
                    add(
                        Finding(
                            rule,
                            severity[rule],
                            message,
                            sheet,
                            excel_row,
                            column,
                            value,
                            expected,
                            student_id,
                            name,
                            klass,
                            seat,
                            code or None,
                        )
                    )

    sinks.grades.update(g for (_code, g, *_), _marks in course_cache.values() if g is not None)
    return data_rows
