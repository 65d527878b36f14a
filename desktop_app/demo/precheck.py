"""Demo data of the 開課預檢 feature: a course plan, two 預檢 rosters and two recorded runs.

The files are written next to the demo database (``<folder>/precheck/``) so the user can open
them, run the check again from the tab, or try the command line. Everything is fictional; the
ID numbers have valid check digits except where an error is planted on purpose.

The writers are also used by the tests (real files, deterministic content).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.demo.core import CURRENT_YEAR, demo_term_dates
from desktop_app.demo.precheck_samples import DAY_SEMESTER_HEADER as ROSTER_HEADERS
from desktop_app.demo.precheck_samples import PLAN_HEADER_RAW as PLAN_HEADERS
from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.storage.db import Database

SCHOOL = "011302"
PLAN_YEAR = 114  # default of the file writers (tests); the demo database uses CURRENT_YEAR

# (subject code, name, 課程類別, 科目屬性, 領域, credits 1上…3下)
SUBJECTS = (
    ("01", "國語文", "1", "1", "01", "444433"),
    ("02", "英語文", "1", "1", "01", "444422"),
    ("03", "數學", "1", "1", "02", "444400"),
    ("04", "歷史", "1", "1", "03", "220000"),
    ("05", "物理", "1", "1", "04", "200200"),
    ("06", "生命科學", "1", "1", "04", "022000"),
    ("07", "專題閱讀與研究", "5", "1", "01", "002200"),
    ("08", "自主學習", "9", "D", "00", "111111"),
    ("09", "班級活動", "8", "0", "00", "111111"),
    ("10", "健康與護理", "1", "1", "08", "000011"),
)
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = (
    "怡君",
    "志豪",
    "雅婷",
    "家豪",
    "佳穎",
    "冠宇",
    "詩涵",
    "宗翰",
    "宜蓁",
    "柏翰",
    "欣妤",
    "彥廷",
    "思妤",
    "承恩",
)


def course_code(cohort: int, subject: str, category: str, attribute: str, domain: str) -> str:
    """A 23-character code: cohort, school, H 普通型, 群 11, 科 101, 班群 0, 類別, 開課方式 1, 屬性, 領域, 科目."""
    code = f"{cohort:03d}{SCHOOL}H111010{category}1{attribute}{domain}{subject}"
    assert len(code) == 23, code
    return code


def write_demo_plan(path: Path, *, year: int = PLAN_YEAR, rename: dict[str, str] | None = None) -> Path:
    """The course plan of 實施學年度 ``year`` for the cohorts year−2 … year (the platform layout)."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "課程計畫"
    ws.append(list(PLAN_HEADERS))
    for cohort in (year - 2, year - 1, year):
        for subject, name, category, attribute, domain, credits in SUBJECTS:
            code = course_code(cohort, subject, category, attribute, domain)
            methods = "".join("-" if c == "0" else "1" for c in credits)
            ws.append(
                [
                    year,
                    "普通型高中",
                    code,
                    (rename or {}).get(name, name),
                    credits,
                    methods,
                    f"{category}{attribute}{domain}",
                ]
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@dataclass(frozen=True)
class Student:
    id: str
    birth: str
    name: str
    klass: str
    seat: str
    number: str
    grade: int


def demo_students(year: int = PLAN_YEAR, per_grade: int = 12) -> list[Student]:
    students = []
    for grade in (1, 2, 3):
        cohort = year - grade + 1
        for seat in range(1, per_grade + 1):
            n = grade * 100 + seat
            sex = "1" if seat % 2 else "2"
            ident = make_valid_id(f"A{sex}{(n * 7919) % 10_000_000:07d}")
            born = f"{cohort - 16:03d}{(seat % 12) + 1:02d}{(seat % 27) + 1:02d}"
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
            students.append(Student(ident, born, name, f"{grade}01", str(seat), f"{cohort}{seat:03d}", grade))
    return students


def write_demo_roster(
    path: Path,
    *,
    year: int = PLAN_YEAR,
    term: int = 1,
    per_grade: int = 12,
    errors: str = "first",
    with_cover: bool = True,
) -> Path:
    """A 預檢_修課紀錄名冊 (day school, no grades) for ``year``-``term``.

    Args:
        errors: ``"none"`` a clean roster; ``"first"`` the errors of a first download (wrong codes,
            a subject name set wrong for a whole course, a bad ID, a bad birth date, a duplicate,
            a forbidden 團體活動 code, a course never offered); ``"second"`` the same roster after
            most of those were fixed at the source, with one new mistake.
    """
    wb = Workbook()
    cover = wb.active
    assert isinstance(cover, Worksheet)  # a new workbook's one sheet
    cover.title = "封面"
    cover.append(["學校代碼", "學年度", "學期", "名冊別"])
    cover.append([SCHOOL, year, term, "41"])
    if not with_cover:
        wb.remove(cover)
    ws = wb.create_sheet("學期成績")
    ws.append(list(ROSTER_HEADERS))
    index = term - 1
    for s in demo_students(year, per_grade):
        cohort = year - s.grade + 1
        for subject, name, category, attribute, domain, credits in SUBJECTS:
            char = credits[(s.grade - 1) * 2 + index]
            if _left_out(s, subject, category, char, errors):
                continue
            code = course_code(cohort, subject, category, attribute, domain)
            row = _demo_roster_row(s, subject, name, code, char, errors)
            ws.append(row)
            if errors == "first" and subject == "05" and s.grade == 1 and s.seat == "1":
                ws.append(list(row))  # R12: the same course twice
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


SKIPPED_SUBJECT = "10"  # 健康與護理 3下: offered in the plan, no rows (O01 in term 2)


def _left_out(s: Student, subject: str, category: str, credits: str, errors: str) -> bool:
    """Whether the demo roster has no row for ``s`` in ``subject`` (``credits`` this term)."""
    if credits == "0":
        return True
    if category == "8" and errors != "first":
        return True  # 班級活動 must not be submitted (R18): the first download still has it
    if errors != "none" and subject == "06" and s.grade == 1:
        return True  # 生命科學 1下 has no students (O01 when term 2) – kept simple
    return subject == SKIPPED_SUBJECT


def _demo_roster_row(s: Student, subject: str, name: str, code: str, credits: str, errors: str) -> list[object]:
    """One 學期成績 row of the demo roster, with the mistakes of the ``errors`` download."""
    subject_name = name
    birth = s.birth
    ident = s.id
    row_credits = credits
    if errors == "first":
        if subject == "03" and s.grade == 2:
            subject_name = "數學A"  # the whole course named wrong at the source (P01 of R09)
        if subject == "02" and s.grade == 1 and s.seat == "3":
            code = code[:-2] + "99"  # R08
        if subject == "01" and s.grade == 3 and s.seat == "5":
            row_credits = "2"  # R10
        if s.grade == 1 and s.seat == "7":
            ident = ident[:-1] + str((int(ident[-1]) + 1) % 10)  # R03
        if s.grade == 3 and s.seat == "2" and subject == "01":
            birth = "0891332"  # R04
    elif errors == "second":
        if subject == "04" and s.grade == 1 and s.seat == "4":
            subject_name = "歷史 "  # W01 + a new finding since the first run
        if s.grade == 1 and s.seat == "7":
            ident = ident[:-1] + str((int(ident[-1]) + 1) % 10)  # R03 still there
    return [ident, birth, code, subject_name, s.grade, row_credits, "", "", "", "", "", "",
            s.name, s.klass, s.seat, s.number, "", "", ""]  # fmt: skip


def seed(db: Database) -> None:
    """A plan version of this 學年度 and two runs of its 第1學期 (the second after fixing most errors)."""
    from desktop_app.services.precheck import runs as svc
    from desktop_app.services.precheck.check import check_roster_file

    folder = db.path.parent / "precheck"
    year = CURRENT_YEAR
    plan = write_demo_plan(folder / f"{year}學年度課程計畫.xlsx", year=year)
    first = write_demo_roster(folder / "預檢_修課紀錄名冊_第1次.xlsx", year=year, errors="first")
    second = write_demo_roster(folder / "預檢_修課紀錄名冊_第2次.xlsx", year=year, errors="second")
    version = svc.import_plan(db, plan).version
    plan_obj = svc.load_plan(db, version.id)
    options = svc.resolve_options(db, CheckOptions())
    start = demo_term_dates(year)[1][0]
    now = datetime.now().replace(microsecond=0)
    run_times = (
        min(now, datetime.combine(start + timedelta(days=14), time(10, 12))),
        min(now, datetime.combine(start + timedelta(days=23), time(15, 40))),
    )
    for roster, when in zip((first, second), run_times, strict=True):
        result = check_roster_file(roster, plan_obj, options)
        svc.record_run(db, result, plan_version_id=version.id, source="demo", run_at=when)
