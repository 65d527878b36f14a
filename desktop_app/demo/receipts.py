"""Demo data of the receipts feature: a student master (4 classes, fictional names, one 造字 name
mapped in the 難字對照表) and receipt batches: one closed, one in its confirmation period."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.receipts import CONFIRMED
from desktop_app.exports.slips_model import slip_code
from desktop_app.readers.cp950 import pua_to_eudc
from desktop_app.services.receipts.confirmation import apply_deemed, list_student_statuses, set_confirmation
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.objections import open_objection
from desktop_app.services.receipts.slips import scan_slip
from desktop_app.services.receipts.students import import_students, set_pua_char
from desktop_app.storage.db import Database

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = ["冠宇", "宜蓁", "承恩", "品妍", "柏翰", "詠晴", "宥廷", "子晴", "睿恩", "欣妤", "家豪", "雅筑",
         "俊傑", "思妤", "彥廷", "佳穎", "志明", "婉婷", "育誠", "語彤"]  # fmt: skip
CLASSES = (("301", 3), ("302", 3), ("201", 2), ("101", 1))
PER_CLASS = 8
PUA = "\ue000"  # the demo's 造字: 堃
COURSES = {1: ["國語文", "英語文", "數學", "物理", "化學", "歷史"],
           2: ["國語文", "英語文", "數學", "生物", "地理", "公民與社會"],
           3: ["國語文", "英語文", "數學A", "物理專題", "選修化學", "探究與實作"]}  # fmt: skip
RESULTS = ["自然科學專題報告", "閱讀心得", "數學建模作品", "英語簡報"]
ACTIVITIES = ["校內科展佳作", "志工服務 20 小時", "英語演講比賽第二名", "社團成果發表"]
POSTS = ["班長", "副班長", "學藝股長", "衛生股長"]


def _students() -> list[list[str]]:
    rng = random.Random(11302)
    rows = []
    n = 0
    for class_name, grade in CLASSES:
        for seat in range(1, PER_CLASS + 1):
            n += 1
            name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
            if n == 3:
                name = "陳" + PUA + "志"
            letter = "ABCDEFGHJK"[n % 10]
            sex = "1" if n % 2 else "2"
            nid = make_valid_id(f"{letter}{sex}{n:07d}")
            entry_year = 113 - grade + 1
            rows.append([f"{entry_year}{n:04d}", name, nid, f"{entry_year - 16:03d}0{(n % 9) + 1}1{n % 9}",
                         "日間部", str(grade), class_name, str(seat), "在學"])  # fmt: skip
    return rows


def _write_master(folder: Path, rows: list[list[str]]) -> Path:
    path = folder / "學生名冊.csv"
    lines = [["學號", "姓名", "身分證號", "出生日期", "部別", "年級", "班級", "座號", "學籍狀態"], *rows]
    data = b""
    for row in lines:
        text = ",".join(row) + "\r\n"
        data += b"".join(pua_to_eudc(c) if c == PUA else c.encode("cp950") for c in text)
    path.write_bytes(data)
    return path


def _write_receipts(folder: Path, rows: list[list[str]], year: int, term: int, name: str) -> Path:
    rng = random.Random(year * 10 + term)
    # items dated inside their 學期: 第1學期 Aug–Jan of ``year``, 第2學期 Feb–Jul of the next year
    results_day, activity_day, post_day = (
        ("{y}/12/1{d}", "{y}/11/0{d}", "{y}/09/02") if term == 1 else ("{y}/05/1{d}", "{y}/04/0{d}", "{y}/02/16")
    )
    day_year = year if term == 1 else year + 1
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "收訖明細"
    ws.append(["身分證號", "出生日期", "姓名", "資料類別", "學年度", "學期", "名稱", "學分", "日期", "說明"])
    for row in rows:
        grade = int(row[5])
        nid, birth, student = row[2], row[3], row[1].replace(PUA, "堃")
        for course in COURSES[grade]:
            ws.append([nid, birth, student, "修課紀錄", year, term, course, rng.choice([2, 3, 4]), "", ""])
        if rng.random() < 0.7:
            ws.append(
                [
                    nid,
                    birth,
                    student,
                    "課程學習成果",
                    year,
                    term,
                    rng.choice(RESULTS),
                    "",
                    results_day.format(y=day_year, d=rng.randrange(10)),
                    "",
                ]
            )
        if rng.random() < 0.5:
            ws.append(
                [
                    nid,
                    birth,
                    student,
                    "多元表現",
                    year,
                    term,
                    rng.choice(ACTIVITIES),
                    "",
                    activity_day.format(y=day_year, d=rng.randrange(1, 10)),
                    "",
                ]
            )
        if int(row[7]) <= 4:
            ws.append(
                [nid, birth, student, "幹部經歷", year, term, POSTS[int(row[7]) - 1], "", post_day.format(y=day_year), ""]
            )
    path = folder / name
    wb.save(path)
    return path


def seed(db: Database, *, today: date | None = None) -> None:
    today = today or date.today()
    rows = _students()
    # the sample files stay next to the demo database (``<folder>/receipts/``): the 收訖明細 tab's
    # file dialogs open there, so a user can try importing them again
    folder = db.path.parent / "receipts"
    folder.mkdir(parents=True, exist_ok=True)
    import_students(db, _write_master(folder, rows))
    set_pua_char(db, "U+E000", "堃", "示範：陳堃志的「堃」")
    # an earlier batch, closed: its 未確認 were deemed confirmed
    old = import_receipts(
        db,
        _write_receipts(folder, rows, 114, 1, "114-1收訖明細.xlsx"),
        name="114-1 收訖明細",
        start=date(2026, 3, 2),
        end=date(2026, 3, 6),
        deadline=date(2026, 3, 13),
        doc_no="臺教國署高字第1150000001號",
        today=date(2026, 3, 1),
    ).batch_id
    for st in list_student_statuses(db, old)[::2]:
        for category in st.statuses:
            set_confirmation(db, old, st.student_id, category, CONFIRMED)
    apply_deemed(db, old, today=date(2026, 3, 9))
    # the current batch, in its confirmation period
    current = import_receipts(
        db,
        _write_receipts(folder, rows, 114, 2, "114-2收訖明細.xlsx"),
        name="114-2 收訖明細",
        start=today - timedelta(days=2),
        end=today + timedelta(days=4),
        deadline=today + timedelta(days=10),
        doc_no="臺教國署高字第1150000123號",
        today=today,
    ).batch_id
    statuses = list_student_statuses(db, current)
    for st in statuses[::3]:
        scan_slip(db, current, slip_code(current, st.student_id))
        for category in st.statuses:
            set_confirmation(db, current, st.student_id, category, CONFIRMED)
    target = next(st for st in statuses if "多元表現" in st.statuses and st.status("多元表現") != CONFIRMED)
    open_objection(
        db,
        current,
        target.student_id,
        "多元表現",
        items="英語演講比賽第二名",
        statement="名次應為第一名，獎狀影本已附上。",
        received_on=today - timedelta(days=1),
        today=today,
    )
