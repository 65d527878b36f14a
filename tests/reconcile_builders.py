"""Builders for 收訖對照 tests (and bench/reconcile_bench.py): a student master, a 收訖明細 file and
final rosters (日間 / 進修部) written as real xlsx/CSV files, with each kind of difference injected.

``mixed_case`` injects, against a 113-1 日間 roster with a 補修成績 sheet:
  missing 1 (S1's third course), extra 1 (S3's old course), mismatch 3 (S2 學分, S4 科目名稱, S4 成績),
  no_receipt 2 (S5 in the master, S7 only in the roster), not_in_roster 1 (S6);
  plus one received item of another 學期 (out of scope) and a 幹部經歷 item (not compared).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from desktop_app.domain.national_id import make_valid_id

DAY_TERM_COLUMNS = [
    "身分證號",
    "出生日期",
    "課程代碼",
    "科目名稱",
    "開課年級",
    "修課學分",
    "學期學業成績",
    "成績及格",
    "補考成績",
    "補考及格",
    "是否採計學分",
    "質性文字描述",
]
CONT_TERM_COLUMNS = [
    "身分證號",
    "出生日期",
    "課程代碼",
    "科目名稱",
    "開課年級",
    "修課節數",
    "學期學業成績",
    "成績及格",
    "學年學業成績",
    "學年及格",
    "是否採計學時",
    "質性文字描述",
]
MAKEUP_COLUMNS = [
    "身分證號",
    "出生日期",
    "應修課學年度",
    "應修課學期",
    "課程代碼",
    "科目名稱",
    "開課年級",
    "修課學分",
    "補修成績",
    "補修及格",
    "補考成績",
    "補考及格",
    "補修方式",
    "是否採計學分",
    "質性文字描述",
]
RETAKE_COLUMNS = [
    "身分證號",
    "出生日期",
    "原修課學年度",
    "原修課學期",
    "原修課課程代碼",
    "原修課科目名稱",
    "原修課開課年級",
    "原修課修課學分",
    "重修方式",
    "重修成績",
    "重修及格",
    "質性文字描述",
]
NOTE_COLUMNS = [
    "備註(學生姓名)",
    "備註(資料當學期班級)",
    "備註(資料當學期座號)",
    "備註(資料當學期學號)",
    "備註(資料次學期班級)",
    "備註(資料次學期座號)",
    "備註(資料次學期學號)",
]
RECEIPT_HEADERS = [
    "身分證號",
    "出生日期",
    "姓名",
    "資料類別",
    "學年度",
    "學期",
    "名稱",
    "學分",
    "日期",
    "說明",
]


def code(n: int, category: str = "1") -> str:
    """A 23-character 課程代碼 (school 011302, 普通型), subject number ``n``."""
    return f"110011302H11101{'0'}{category}1{'1'}01{n:02d}"


@dataclass
class Student:
    nid: str
    name: str
    class_name: str
    seat: int
    no: str
    birth: str = "0920315"
    division: str = "日間部"


def students(n: int, *, start: int = 1, classes: tuple[str, ...] = ("301", "302")) -> list[Student]:
    out = []
    per_class = max(1, (n + len(classes) - 1) // len(classes))
    for i in range(start, start + n):
        cls = classes[min((i - start) // per_class, len(classes) - 1)]
        out.append(
            Student(
                make_valid_id(f"{'ABDEFH'[i % 6]}{1 + i % 2}{(i * 7919) % 10**7:07d}"),
                f"學生{i}",
                cls,
                (i - start) % per_class + 1,
                f"11{i:04d}",
            )
        )
    return out


def write_students_csv(path: Path, people: list[Student]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["學號", "姓名", "身分證號", "出生日期", "部別", "年級", "班級", "座號", "學籍狀態"])
        for p in people:
            w.writerow(
                [p.no, p.name, p.nid, p.birth, p.division, p.class_name[0], p.class_name, p.seat, "在學"]
            )
    return path


@dataclass
class ReceiptRow:
    student: Student
    year: str
    term: str
    title: str
    credits: str
    code: str = ""
    score: str = ""
    category: str = "修課紀錄"


def _text_cell(ws: object, value: object) -> object:
    """Text kept as text (a title like ``=HYPERLINK(…)`` must reach the importer as typed)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws)
        cell._value, cell.data_type = value, "s"
        return cell
    return value


def write_receipts_xlsx(path: Path, rows: list[ReceiptRow], *, with_code: bool, with_score: bool) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("收訖明細")
    headers = list(RECEIPT_HEADERS) + (["課程代碼"] if with_code else []) + (["成績"] if with_score else [])
    ws.append(headers)
    for r in rows:
        line = [
            r.student.nid,
            r.student.birth,
            r.student.name,
            r.category,
            r.year,
            r.term,
            r.title,
            r.credits,
            "",
            "",
        ]
        if with_code:
            line.append(r.code)
        if with_score:
            line.append(r.score)
        ws.append([_text_cell(ws, v) for v in line])
    wb.save(path)
    return path


@dataclass
class Course:
    code: str
    title: str
    credits: int
    score: float = 80.0
    year: str = ""  # 補修/重修: 應修課/原修課 學年度
    term: str = ""


@dataclass
class Roster:
    year: int
    term: int
    division: str = "day"  # "day" | "continuing"
    term_rows: list[tuple[Student, Course]] = field(default_factory=list)
    makeup_rows: list[tuple[Student, Course]] = field(default_factory=list)
    retake_rows: list[tuple[Student, Course]] = field(default_factory=list)
    missing_code_rows: list[tuple[Student, Course]] = field(default_factory=list)  # 學期成績(缺)
    cover: bool = True


def _notes(s: Student) -> list[object]:
    return [s.name, s.class_name, s.seat, s.no, s.class_name, s.seat, s.no]


def write_roster_xlsx(path: Path, roster: Roster) -> Path:
    wb = Workbook(write_only=True)
    if roster.cover:
        cover = wb.create_sheet("封面")
        cover.append(["學校代碼", "學年度", "學期", "名冊別"])
        cover.append(["011302", roster.year, roster.term, 41 if roster.division == "day" else 42])
    continuing = roster.division == "continuing"
    ws = wb.create_sheet("學期成績")
    ws.append((CONT_TERM_COLUMNS if continuing else DAY_TERM_COLUMNS) + NOTE_COLUMNS)
    for s, c in roster.term_rows:
        if continuing:
            ws.append(
                [s.nid, s.birth, c.code, c.title, 1, c.credits, c.score, 1, c.score, 1, 1, "", *_notes(s)]
            )
        else:
            ws.append([s.nid, s.birth, c.code, c.title, 1, c.credits, c.score, 1, -1, -1, 1, "", *_notes(s)])
    if roster.missing_code_rows:
        ws = wb.create_sheet("學期成績(缺)")
        ws.append(DAY_TERM_COLUMNS + NOTE_COLUMNS)
        for s, c in roster.missing_code_rows:
            ws.append([s.nid, s.birth, "", c.title, 1, c.credits, c.score, 1, -1, -1, 1, "", *_notes(s)])
    if roster.makeup_rows:
        ws = wb.create_sheet("補修成績")
        ws.append(MAKEUP_COLUMNS + NOTE_COLUMNS)
        for s, c in roster.makeup_rows:
            ws.append(
                [
                    s.nid,
                    s.birth,
                    c.year,
                    c.term,
                    c.code,
                    c.title,
                    1,
                    c.credits,
                    c.score,
                    1,
                    -1,
                    -1,
                    3,
                    1,
                    "",
                    *_notes(s),
                ]
            )
    if roster.retake_rows:
        ws = wb.create_sheet("重修成績")
        ws.append(RETAKE_COLUMNS + NOTE_COLUMNS)
        for s, c in roster.retake_rows:
            ws.append(
                [s.nid, s.birth, c.year, c.term, c.code, c.title, 1, c.credits, 3, c.score, 1, "", *_notes(s)]
            )
    wb.save(path)
    return path


COURSES = [
    Course(code(1), "國語文", 4, 81),
    Course(code(2), "英語文", 4, 72),
    Course(code(3), "數學", 4, 65),
]


@dataclass
class Case:
    students_csv: Path
    receipts: Path
    roster: Path
    people: list[Student]
    expected: dict[str, int]


def mixed_case(
    tmp: Path, *, with_code: bool = True, division: str = "day", year: int = 113, term: int = 1
) -> Case:
    """Six students in the master (S1–S6, classes 301/302), S7 only in the roster; see the module doc."""
    people = students(7, classes=("301", "302"))
    s1, s2, s3, s4, s5, s6, s7 = people
    y, t = str(year), str(term)
    c1, c2, c3 = COURSES
    roster = Roster(year, term, division)
    roster.term_rows = [
        (s1, c1),
        (s1, c2),
        (s1, c3),
        (s2, c1),
        (s2, c2),
        (s3, c1),
        (s3, c2),
        (s4, c1),
        (s4, c2),
        (s5, c1),
        (s7, c1),
        (s7, c2),
    ]
    old = Course(code(9), "物理", 2, 70, "112", "2")
    roster.makeup_rows = [(s2, old)]
    roster.missing_code_rows = [(s1, Course("", "無代碼課程", 1))]
    roster.term_rows.append((s1, Course(code(40, "8"), "團體活動時間", 0)))  # not submitted: not compared

    def r(s: Student, c: Course, **kw: str) -> ReceiptRow:
        values = {
            "year": c.year or y,
            "term": c.term or t,
            "title": c.title,
            "credits": str(c.credits),
            "code": c.code,
            "score": str(int(c.score)),
        }
        values.update(kw)
        return ReceiptRow(s, **values)

    rows = [
        r(s1, c1),
        r(s1, c2),  # c3 missing
        r(s1, Course(code(7), "歷史", 2, 90), year="111", term="1"),  # another 學期: out of scope
        r(s2, c1),
        r(s2, c2, credits="3"),  # mismatch 學分
        r(s2, old),
        r(s3, c1),
        r(s3, c2),
        r(s3, Course(code(8), "舊課程", 2, 60)),  # extra
        r(s4, c1, title="國文") if with_code else r(s4, c1),  # mismatch 科目名稱 (only with a code)
        r(s4, c2, score="99"),  # mismatch 成績
        r(s6, c1),  # not in roster
        ReceiptRow(s1, y, t, "班長", "", category="幹部經歷"),
    ]
    tmp.mkdir(parents=True, exist_ok=True)
    master = write_students_csv(tmp / "students.csv", people[:6])
    receipts = write_receipts_xlsx(tmp / "receipts.xlsx", rows, with_code=with_code, with_score=True)
    roster_path = write_roster_xlsx(tmp / f"roster_{division}_{year}{term}.xlsx", roster)
    expected = {
        "missing": 1,
        "extra": 1,
        "mismatch": 3 if with_code else 2,
        "no_receipt": 2,
        "not_in_roster": 1,
    }
    return Case(master, receipts, roster_path, people, expected)
