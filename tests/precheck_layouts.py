"""Rosters in the real layouts of a school system's writer (sheet names, header text and value
conventions as its published templates and writer code have them; our own generator, no copied
file). Each builder returns dict rows per sheet; :func:`write` lays them out in the template's
column order (``DataKey`` included) as xlsx, optionally with every value typed as text.

Imported by name (pytest puts this folder on sys.path; no __init__.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop_app.demo.precheck_samples import SCHOOL_CODE, due_courses, sample_plan, write_xlsx
from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.precheck.model import PlanCourse

YEAR, TERM = 113, 1
PLAN = sample_plan(YEAR)
OLD_PLAN = sample_plan(YEAR - 1)  # another stored version: cohort 110 codes (重修 of an older cohort)

REMARKS = ["備註(學生姓名)", "備註(資料當學期班級)", "備註(資料當學期座號)", "備註(資料當學期學號)",
           "備註(資料次學期班級)", "備註(資料次學期座號)", "備註(資料次學期學號)"]  # fmt: skip
HEAD = ["身分證號", "出生日期"]
COURSE = ["課程代碼", "科目名稱", "開課年級"]
LAYOUTS: dict[str, list[str]] = {
    "day_semester": [*HEAD, *COURSE, "修課學分", "學期學業成績", "成績及格", "補考成績", "補考及格",
                     "是否採計學分", "質性文字描述", "DataKey", *REMARKS],
    "day_retake": [*HEAD, "應修課學年度", "應修課學期", *COURSE, "修課學分", "補修成績", "補修及格", "補考成績",
                   "補考及格", "補修方式", "是否採計學分", "質性文字描述", "DataKey", *REMARKS],
    "day_transfer": [*HEAD, "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課學分", "身分別",
                     "抵免後成績", "成績及格", "是否採計學分", "質性文字描述", "DataKey", *REMARKS],
    "cont_semester": [*HEAD, *COURSE, "修課節數", "學期學業成績", "成績及格", "學年學業成績", "學年及格",
                      "是否採計學時", "質性文字描述", "DataKey", *REMARKS],
    "cont_makeup": [*HEAD, *COURSE, "第一學期開設修課節數", "第二學期開設修課節數", "第一次補考成績", "第一次及格",
                    "第二次補考成績", "第二次及格", "DataKey", *REMARKS],
    "cont_transfer": [*HEAD, "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課節數", "身分別",
                      "抵免後成績", "成績及格", "是否採計學時", "質性文字描述", "DataKey", *REMARKS],
    "repeat_course": [*HEAD, "原修課學年度", "原修課學期", "原修課課程代碼", "原修課科目名稱", "原修課開課年級",
                      "原修課修課學分", "重修方式", "重修成績", "重修及格", "質性文字描述", "DataKey", *REMARKS],
    "reread": [*HEAD, *COURSE, "修課學分", "再次修習成績", "再次修習成績及格", "補考成績", "補考及格", "重讀成績",
               "成績及格", "重讀註記", "是否採計學分", "質性文字描述", "DataKey", *REMARKS],
}  # fmt: skip

Row = dict[str, object]
Sheets = dict[str, tuple[str, list[Row]]]  # sheet name → (layout, rows)

STUDENTS = [  # (ID, 出生日期, 姓名, 年級, 班級, 座號, 學號)
    (make_valid_id(f"A1{n:07d}"), f"{YEAR - 15 - g:03d}0{g + 2}1{g}", name, g, f"{g}01", str(n), f"{YEAR - g + 1}{n:04d}")
    for n, (g, name) in enumerate([(1, "陳家豪"), (2, "林怡君"), (3, "黃宗翰")], start=1)
]  # fmt: skip


def credits_of(course: PlanCourse, grade: int, term: int) -> int:
    char = course.credits[(grade - 1) * 2 + term - 1]
    return int(char) if char.isdigit() else -1


def _student(s: tuple, key: str = "") -> Row:
    sid, birth, name, _grade, klass, seat, number = s
    remarks = [name, klass, seat, number, klass, seat, number]
    return {"身分證號": sid, "出生日期": birth, "DataKey": key, **dict(zip(REMARKS, remarks, strict=True))}


def _courses(grade: int) -> list[PlanCourse]:
    return sorted(due_courses(PLAN, YEAR, TERM, grade), key=lambda c: c.code)


def _is_9d(c: PlanCourse) -> bool:
    return c.attributes[:2] == "9D"


def day_final() -> Sheets:
    """日間 final: 學期成績 (one failing course per student with a passed make-up), 補修成績,
    轉學轉科成績 and an empty 學期成績(缺)."""
    sem: list[Row] = []
    for s in STUDENTS:
        for i, c in enumerate(_courses(s[3])):
            score, passed, makeup, makeup_pass = (45, 0, 70, 1) if i == 1 else (85, 1, -1, -1)
            if _is_9d(c):
                score, passed, makeup, makeup_pass = -1, -1, -1, -1
            sem.append({**_student(s, f"K{len(sem):05d}"), "課程代碼": c.code, "科目名稱": c.name, "開課年級": s[3],
                        "修課學分": credits_of(c, s[3], TERM), "學期學業成績": score, "成績及格": passed,
                        "補考成績": makeup, "補考及格": makeup_pass, "是否採計學分": 3 if _is_9d(c) else 1,
                        "質性文字描述": ""})  # fmt: skip
    s = STUDENTS[2]  # a 3rd-year student makes up 2上 國語文 (補修)
    c = next(c for c in PLAN.values() if c.code.startswith("111") and c.name == "國語文")
    retake = [{**_student(s), "應修課學年度": YEAR - 1, "應修課學期": 1, "課程代碼": c.code, "科目名稱": c.name,
               "開課年級": 2, "修課學分": 4, "補修成績": 72, "補修及格": 1, "補考成績": -1, "補考及格": -1,
               "補修方式": 3, "是否採計學分": 1, "質性文字描述": ""}]  # fmt: skip
    s = STUDENTS[1]
    c = next(c for c in PLAN.values() if c.code.startswith("112") and c.name == "歷史")
    transfer = [{**_student(s), "對應學年度": YEAR - 1, "對應學期": 1, "課程代碼": c.code, "科目名稱": c.name,
                 "對應年級": 1, "修課學分": 2, "身分別": 1, "抵免後成績": 66, "成績及格": 1, "是否採計學分": 1,
                 "質性文字描述": ""}]  # fmt: skip
    return {"學期成績": ("day_semester", sem), "補修成績": ("day_retake", retake),
            "轉學轉科成績": ("day_transfer", transfer), "學期成績(缺)": ("day_semester", [])}  # fmt: skip


def day_pre() -> Sheets:
    """日間 預檢: the same sheets; the writer fills only 身分證號 … 修課學分 (grade cells empty)."""
    return _pre(day_final())


def _pre(sheets: Sheets) -> Sheets:
    keep = {"身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "修課節數", "對應年級",
            "對應學年度", "對應學期", "應修課學年度", "應修課學期", *REMARKS}  # fmt: skip
    for _layout, rows in sheets.values():
        for row in rows:
            row.update({k: "" for k in row if k not in keep})
    return sheets


def cont_final() -> Sheets:
    """進修部 final: 學期成績 (學年 columns -1 in 第1學期), 補考成績 for the failed courses (第二次 -1),
    轉學轉科成績, and an empty 補考成績(缺)."""
    sem: list[Row] = []
    makeup: list[Row] = []
    for s in STUDENTS:
        for i, c in enumerate(_courses(s[3])):
            score, passed = (50, 0) if i == 1 else (88, 1)
            if _is_9d(c):
                score, passed = -1, -1
            base = {**_student(s), "課程代碼": c.code, "科目名稱": c.name, "開課年級": s[3]}
            sem.append({**base, "修課節數": credits_of(c, s[3], TERM), "學期學業成績": score, "成績及格": passed,
                        "學年學業成績": -1, "學年及格": -1, "是否採計學時": 3 if _is_9d(c) else 1,
                        "質性文字描述": ""})  # fmt: skip
            if passed == 0:
                second = credits_of(c, s[3], 2)
                makeup.append({**base, "第一學期開設修課節數": credits_of(c, s[3], 1),
                               "第二學期開設修課節數": second if second > 0 else -1, "第一次補考成績": 64,
                               "第一次及格": 1, "第二次補考成績": -1, "第二次及格": -1})  # fmt: skip
    s = STUDENTS[1]
    c = next(c for c in PLAN.values() if c.code.startswith("112") and c.name == "歷史")
    transfer = [{**_student(s), "對應學年度": YEAR - 1, "對應學期": 2, "課程代碼": c.code, "科目名稱": c.name,
                 "對應年級": 1, "修課節數": 2, "身分別": 2, "抵免後成績": 70, "成績及格": 1, "是否採計學時": 1,
                 "質性文字描述": ""}]  # fmt: skip
    return {"學期成績": ("cont_semester", sem), "補考成績": ("cont_makeup", makeup),
            "轉學轉科成績": ("cont_transfer", transfer), "補考成績(缺)": ("cont_makeup", [])}  # fmt: skip


def cont_pre() -> Sheets:
    """進修部 預檢: 學期成績 and 轉學轉科成績 filled up to 修課節數; the template's 補考成績 sheet
    stays empty (header only), as the writer leaves it."""
    sheets = _pre(cont_final())
    sheets["補考成績"] = ("cont_makeup", [])
    del sheets["補考成績(缺)"]
    return sheets


def repeat_roster() -> Sheets:
    """重修重讀成績名冊: 重修成績 (one course of the current plan, one of cohort 110 found only in
    an older plan version) and 重讀成績."""
    s = STUDENTS[2]
    now = next(c for c in PLAN.values() if c.code.startswith("111") and c.name == "數學")
    old = next(c for c in OLD_PLAN.values() if c.code.startswith("110") and c.name == "英語文")
    repeat = [
        {**_student(s), "原修課學年度": y, "原修課學期": 1, "原修課課程代碼": c.code, "原修課科目名稱": c.name,
         "原修課開課年級": g, "原修課修課學分": 4, "重修方式": 3, "重修成績": score, "重修及格": 1,
         "質性文字描述": ""}
        for c, y, g, score in ((now, YEAR - 1, 2, 68), (old, YEAR - 2, 2, 75))
    ]  # fmt: skip
    s = STUDENTS[0]
    reread = []
    for c in _courses(1)[:4]:
        reread.append({**_student(s), "課程代碼": c.code, "科目名稱": c.name, "開課年級": 1,
                       "修課學分": credits_of(c, 1, TERM), "再次修習成績": 40 if c.name == "國語文" else 77,
                       "再次修習成績及格": 0 if c.name == "國語文" else 1,
                       "補考成績": 62 if c.name == "國語文" else -1, "補考及格": 1 if c.name == "國語文" else -1,
                       "重讀成績": 62 if c.name == "國語文" else 77, "成績及格": 1, "重讀註記": "",
                       "是否採計學分": 1, "質性文字描述": ""})  # fmt: skip
    return {"重修成績": ("repeat_course", repeat), "重讀成績": ("reread", reread),
            "重修成績(缺)": ("repeat_course", [])}  # fmt: skip


def write(
    path: Path,
    sheets: Sheets,
    *,
    cover: tuple[object, ...] | None = (SCHOOL_CODE, YEAR, TERM, ""),
    text: bool = False,
) -> Path:
    """The workbook: 封面 (學年度/學期 typed as numbers by default), then the sheets in the
    template's column order. ``text``: every value written as text, as some writers do."""
    out: dict[str, list[list[object]]] = {}
    if cover is not None:
        out["封面"] = [["學校代碼", "學年度", "學期", "名冊別"], list(cover)]
    for name, (layout, rows) in sheets.items():
        header = LAYOUTS[layout]
        cells = [[r.get(h, "") for h in header] for r in rows]
        if text:
            cells = [["" if v is None else str(v) for v in row] for row in cells]
        out[name] = [header, *cells]
    return write_xlsx(path, out)


def find(sheets: Sheets, sheet: str, match: Callable[[Row], bool]) -> Row:
    return next(r for r in sheets[sheet][1] if match(r))
