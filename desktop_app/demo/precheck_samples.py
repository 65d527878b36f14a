"""Deterministic sample plans and rosters (tests, the benchmark, the demo).

Nothing here is random between runs: every generator takes a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.precheck.model import PlanCourse
from desktop_app.domain.precheck.plan import CoursePlan

SCHOOL_CODE = "011302"

PLAN_HEADER_RAW = [
    "實施學年度",
    "課程類型",
    "課程代碼",
    "科目名稱",
    "授課學期學分節數",
    "授課學期開課方式",
    "課程屬性",
]
PLAN_HEADER_VENDOR = [
    "群組代碼", "課程代碼", "科目名稱", "入學年", "部定校訂", "必修選修", "課程類型", "群別", "科別", "班群",
    "授課學期學分/節數", "授課開課方式", "課程屬性",
]  # fmt: skip

DAY_SEMESTER_HEADER = [
    "身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格", "補考成績",
    "補考及格", "是否採計學分", "質性文字描述", "備註(學生姓名)", "備註(資料當學期班級)", "備註(資料當學期座號)",
    "備註(資料當學期學號)", "備註(資料次學期班級)", "備註(資料次學期座號)", "備註(資料次學期學號)",
]  # fmt: skip
RETAKE_HEADER = [
    "身分證號", "出生日期", "應修課學年度", "應修課學期", "課程代碼", "科目名稱", "開課年級", "修課學分", "補修成績",
    "補修及格", "補考成績", "補考及格", "補修方式", "是否採計學分", "質性文字描述", "備註(學生姓名)",
    "備註(資料當學期班級)", "備註(資料當學期座號)", "備註(資料當學期學號)", "備註(資料次學期班級)",
    "備註(資料次學期座號)", "備註(資料次學期學號)",
]  # fmt: skip
TRANSFER_HEADER = [
    "身分證號", "出生日期", "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課學分", "身分別",
    "抵免後成績", "成績及格", "是否採計學分", "質性文字描述", "備註(學生姓名)", "備註(資料當學期班級)",
    "備註(資料當學期座號)", "備註(資料當學期學號)", "備註(資料次學期班級)", "備註(資料次學期座號)",
    "備註(資料次學期學號)",
]  # fmt: skip
COVER_HEADER = ["學校代碼", "學年度", "學期", "名冊別"]

# (科目名稱, 課程類別, 科目屬性, 領域, 授課學期學分節數)
SAMPLE_COURSES: tuple[tuple[str, str, str, str, str], ...] = (
    ("國語文", "1", "1", "01", "444444"),
    ("英語文", "1", "1", "01", "444444"),
    ("數學", "1", "1", "02", "444400"),
    ("歷史", "1", "1", "03", "220000"),
    ("地理", "1", "1", "03", "002200"),
    ("公民與社會", "1", "1", "03", "220000"),
    ("物理", "1", "1", "04", "200000"),
    ("化學", "1", "1", "04", "020000"),
    ("生物", "1", "1", "04", "002000"),
    ("地球科學", "1", "1", "04", "000200"),
    ("音樂", "1", "1", "05", "110000"),
    ("美術", "1", "1", "05", "001100"),
    ("生活科技", "1", "1", "07", "200200"),
    ("健康與護理", "1", "1", "08", "110000"),
    ("體育", "1", "1", "08", "222222"),
    ("全民國防教育", "1", "1", "09", "110000"),
    ("專題閱讀與研究", "2", "1", "01", "000022"),
    ("程式設計", "5", "1", "07", "002200"),
    ("選修物理－力學", "3", "1", "04", "000044"),
    ("班級活動", "8", "0", "00", "111111"),
    ("自主學習", "9", "A", "00", "111111"),
    ("充實補強", "9", "D", "00", "111111"),
)

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "家豪志明俊傑建宏怡君淑芬雅婷美玲宗翰冠宇承恩品妍子晴宥廷"


def course_code(entry_year: int, school: str, index: int, category: str, attribute: str, domain: str) -> str:
    """A 23-character code: 適用入學年度, 學校代碼, H 11 101 A (群科班), 類別, 開課方式 0, 屬性, 領域, 科目."""
    return f"{entry_year:03d}{school}H11101A{category}0{attribute}{domain}{index:02d}"


def sample_plan(year: int = 113, school: str = SCHOOL_CODE) -> CoursePlan:
    """Plan of the three cohorts in school in 學年度 ``year`` (entry years year-2 … year)."""
    courses = []
    for entry_year in (year - 2, year - 1, year):
        for index, (name, category, attribute, domain, credits) in enumerate(SAMPLE_COURSES, start=1):
            code = course_code(entry_year, school, index, category, attribute, domain)
            methods = "".join("-" if c == "0" else "1" for c in credits)
            courses.append(
                PlanCourse(code, name, credits, methods, f"{category}{attribute}{domain}", "H", year)
            )
    return CoursePlan.from_courses(courses, source="sample")


def plan_rows(plan: CoursePlan, layout: str = "raw") -> list[list[object]]:
    """The plan as the platform export (``raw``) or the vendor variant (``vendor``), header first."""
    if layout == "raw":
        rows: list[list[object]] = [list(PLAN_HEADER_RAW)]
        for c in plan.values():
            rows.append([c.year or "", c.course_type, c.code, c.name, c.credits, c.methods, c.attributes])
        return rows
    rows = [list(PLAN_HEADER_VENDOR)]
    for c in plan.values():
        rows.append(
            [
                c.code[:16],
                c.code,
                c.name,
                c.code[:3],
                "部定" if c.attributes[:1] == "1" else "校訂",
                "必修",
                c.code[9],
                c.code[10:12],
                c.code[12:15],
                c.code[15],
                c.credits,
                c.methods,
                c.attributes,
            ]
        )
    return rows


def cover_rows(
    school: str = SCHOOL_CODE, year: int = 113, term: int = 1, roster_type: str = ""
) -> list[list[object]]:
    return [list(COVER_HEADER), [school, str(year), str(term), roster_type]]


def students(count: int, year: int, seed: int = 1) -> list[tuple[str, str, str, int, str, str]]:
    """(ID, 出生日期, 姓名, 年級, 班級, 座號) for ``count`` students, spread over grades 1–3."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        grade = n % 3 + 1
        letter = "ABDEFHKLMNPQ"[n % 12]
        sex = "12"[n % 2]
        student_id = make_valid_id(f"{letter}{sex}{n:07d}")
        birth_year = year - 15 - grade + 1
        birth = f"{birth_year:03d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3 + 1) % len(GIVEN)]
        klass = f"{grade}{(n // 3) % 12 + 1:02d}"
        seat = str((n // 36) % 40 + 1)
        out.append((student_id, birth, name, grade, klass, seat))
    return out


def due_courses(plan: CoursePlan, year: int, term: int, grade: int) -> list[PlanCourse]:
    """Plan courses a student of ``grade`` takes in (year, term): taught then and submittable."""
    entry = year - grade + 1
    out = []
    for c in plan.values():
        if int(c.code[:3]) != entry:
            continue
        if c.credits[(grade - 1) * 2 + term - 1] == "0":
            continue
        if c.attributes[0] in "89" and c.attributes[1] != "D":
            continue
        out.append(c)
    return out


def semester_rows(
    plan: CoursePlan,
    n_rows: int,
    *,
    year: int = 113,
    term: int = 1,
    kind: str = "final",
    seed: int = 7,
    skip_codes: Iterable[str] = (),
) -> Iterator[list[object]]:
    """Clean 學期成績 rows (no header) for about ``n_rows`` rows (exactly, cut at n_rows)."""
    rng = random.Random(seed)
    skip = set(skip_codes)
    by_grade = {g: [c for c in due_courses(plan, year, term, g) if c.code not in skip] for g in (1, 2, 3)}
    per_student = sum(len(v) for v in by_grade.values()) / 3
    count = int(n_rows / per_student) + 3
    produced = 0
    for student_id, birth, name, grade, klass, seat in students(count, year, seed):
        for c in by_grade[grade]:
            if produced >= n_rows:
                return
            credit_char = c.credits[(grade - 1) * 2 + term - 1]
            credits = int(credit_char) if credit_char.isdigit() else ord(credit_char) - 64
            if kind == "pre":
                grades: list[object] = ["", "", "", "", ""]
            elif c.attributes[:2] == "9D":
                grades = [-1, -1, -1, -1, 3]
            else:
                score = rng.randint(35, 100)
                if score >= 60:
                    grades = [score, 1, -1, -1, 1]
                else:
                    makeup = rng.randint(40, 90)
                    grades = [score, 0, makeup, 1 if makeup >= 60 else 0, 1]
            produced += 1
            yield [
                student_id,
                birth,
                c.code,
                c.name,
                grade,
                credits,
                *grades,
                "",
                name,
                klass,
                seat,
                f"{year - grade + 1}{int(seat):04d}",
                "",
                "",
                "",
            ]


def write_xlsx(path: Path, sheets: dict[str, Iterable[Sequence[object]]]) -> Path:
    """Write sheets with openpyxl's write-only mode (streams rows; fine for 150,000 rows)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def write_csv(path: Path, rows: Iterable[Sequence[object]], encoding: str = "utf-8-sig") -> Path:
    """Write a CSV in ``utf-8``, ``utf-8-sig``, ``utf-16`` or ``cp950`` (造字 PUA → Big5 EUDC bytes)."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buffer.getvalue()
    if encoding == "cp950":
        from desktop_app.readers.cp950 import pua_to_eudc

        data = b"".join(pua_to_eudc(ch) if 0xE000 <= ord(ch) <= 0xF848 else ch.encode("cp950") for ch in text)
        path.write_bytes(data)
    else:
        path.write_bytes(text.encode(encoding))
    return path


def bench_roster(
    path: Path, plan: CoursePlan, n_rows: int = 150_000, *, year: int = 113, term: int = 1, seed: int = 11
) -> dict[str, int]:
    """A final day roster with injected errors, for the benchmark. Returns the injected counts."""
    rng = random.Random(seed)
    # a due course left out entirely → O01; one course with wrong credits on every row → P01 (R10)
    grade2 = due_courses(plan, year, term, 2)
    omitted = grade2[4].code
    pattern_code = grade2[0].code
    injected: dict[str, int] = {}

    def rows() -> Iterator[list[object]]:
        yield list(DAY_SEMESTER_HEADER)
        for row in semester_rows(plan, n_rows, year=year, term=term, seed=seed, skip_codes=[omitted]):
            if row[2] == pattern_code:
                row[5] = int(str(row[5])) + 1
            roll = rng.random()
            if roll < 0.02:
                kind = rng.choice(("R03", "R04", "R06", "R08", "R09", "R14", "R15", "R17", "W01", "R12"))
                injected[kind] = injected.get(kind, 0) + 1
                if kind == "R12":
                    yield list(row)  # the same row twice
                else:
                    _inject_bench_error(row, kind)
            yield row

    write_xlsx(path, {"封面": cover_rows(SCHOOL_CODE, year, term, ""), "學期成績": rows()})
    return injected


def _inject_bench_error(row: list[Any], kind: str) -> None:
    """Change ``row`` (of :data:`DAY_SEMESTER_HEADER`) so that it gets finding ``kind``."""
    if kind == "R03":
        row[0] = row[0][:-1] + str((int(row[0][-1]) + 1) % 10)
    elif kind == "R04":
        row[1] = str(row[1])[:3] + "1345"
    elif kind == "R06":
        row[2] = str(row[2])[:20]
    elif kind == "R08":
        row[2] = str(row[2])[:21] + "99"
    elif kind == "R09":
        row[3] = str(row[3]) + "（一）"
    elif kind == "R14":
        row[6] = 105
    elif kind == "R15":
        row[7] = 1 if row[7] == 0 else 0
    elif kind == "R17":
        row[10] = 4
    elif kind == "W01":
        row[12] = f" {row[12]} "


def clean_rows(
    plan: CoursePlan,
    *,
    year: int = 113,
    term: int = 1,
    kind: str = "final",
    per_grade: int = 1,
    seed: int = 7,
) -> list[dict[str, object]]:
    """One student per grade (``per_grade`` each) taking every due course: a roster with no finding."""
    n = sum(len(due_courses(plan, year, term, g)) for g in (1, 2, 3)) * per_grade
    return [
        dict(zip(DAY_SEMESTER_HEADER, row, strict=True))
        for row in semester_rows(plan, n, year=year, term=term, kind=kind, seed=seed)
    ]


def as_rows(
    rows: Iterable[dict[str, object]], header: Sequence[str] = DAY_SEMESTER_HEADER
) -> list[list[object]]:
    """Dict rows → a sheet (header first)."""
    return [list(header), *([r.get(h, "") for h in header] for r in rows)]


def write_roster(
    path: Path,
    rows: Iterable[dict[str, object]],
    *,
    cover: Sequence[object] | None = (SCHOOL_CODE, "113", "1", ""),
    sheet: str = "學期成績",
    header: Sequence[str] = DAY_SEMESTER_HEADER,
    extra: dict[str, list[list[object]]] | None = None,
) -> Path:
    """An xlsx roster: optional 封面, one data sheet from dict rows, extra sheets as given."""
    sheets: dict[str, Iterable[Sequence[object]]] = {}
    if cover is not None:
        sheets["封面"] = [COVER_HEADER, list(cover)]
    sheets[sheet] = as_rows(rows, header)
    sheets.update(extra or {})
    return write_xlsx(path, sheets)
