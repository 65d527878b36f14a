"""Regenerate the fixture files of the receipts tests: ``python tests/data/receipts/make_files.py``.

All people are fictional; IDs have valid check digits (make_valid_id).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from desktop_app.domain.national_id import make_valid_id
from desktop_app.readers.cp950 import pua_to_eudc

HERE = Path(__file__).resolve().parent
HEADER = ["學號", "姓名", "身分證號", "出生日期", "部別", "年級", "班級", "座號", "學籍狀態"]
PUA = "\ue000"  # a 造字 (stands for 堃 in the tests' 難字對照表)

STUDENTS = [
    ["110001", "王小明", make_valid_id("A12345670"), "0920315", "日間部", "3", "301", "1", "畢業"],
    ["110002", "李美華", make_valid_id("B22345671"), "0920416", "日間部", "3", "301", "2", "畢業"],
    ["110003", f"陳{PUA}志", make_valid_id("C12345672"), "0920517", "日間部", "3", "301", "3", "畢業"],
    ["110004", "林雅婷", make_valid_id("D22345673"), "0920618", "日間部", "3", "302", "1", "在學"],
    ["110005", "張家豪", make_valid_id("E12345674"), "0920719", "日間部", "3", "302", "2", "在學"],
    ["112001", "黃怡君", make_valid_id("F22345675"), "0940820", "日間部", "1", "101", "1", "在學"],
]
INVALID = ["110099", "吳錯誤", "A123456780", "0921201", "日間部", "3", "302", "9", "在學"]


def ids() -> list[str]:
    return [s[2] for s in STUDENTS]


def write_students() -> None:
    # UTF-8 CSV with one invalid ID
    with open(HERE / "students.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for row in [*STUDENTS, INVALID]:
            w.writerow([c.replace(PUA, "堃") for c in row])
    # CP950 CSV with a title row and a 造字 byte pair in one name
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["國立示範高級中學 學生名冊"])
    w.writerow(HEADER)
    for row in STUDENTS:
        w.writerow(row)
    data = b""
    for char in buf.getvalue():
        data += pua_to_eudc(char) if char == PUA else char.encode("cp950")
    (HERE / "students_cp950.csv").write_bytes(data)
    # a later master: 110005 gone, 110004 moved seat, a new student
    wb = Workbook()
    ws = wb.active
    ws.title = "學生名冊"
    ws.append(HEADER)
    for row in STUDENTS:
        if row[0] == "110005":
            continue
        row = list(row)
        row[1] = row[1].replace(PUA, "堃")
        if row[0] == "110004":
            row[7] = "5"
        ws.append(row)
    ws.append(["112002", "周子翔", make_valid_id("G12345676"), "0940921", "日間部", "1", "101", "2", "在學"])
    wb.save(HERE / "students_v2.xlsx")


ITEMS = [
    # (student index, category, year, term, title, credits, date)
    (0, "修課紀錄", "113", "1", "國語文", "4", ""),
    (0, "修課紀錄", "113", "1", "數學", "4", ""),
    (0, "多元表現", "113", "1", "全國科展佳作", "", "113/10/05"),
    (1, "修課紀錄", "113", "1", "英語文", "4", ""),
    (1, "幹部經歷", "113", "1", "班長", "", "113/09/02"),
    (2, "修課紀錄", "113", "1", "物理", "2", ""),
    (2, "課程學習成果", "113", "1", "物理專題報告", "", "113/12/20"),
    (3, "修課紀錄", "113", "1", "化學", "2", ""),
    (3, "多元表現", "113", "1", "志工服務", "", "113/11/11"),
    (4, "修課紀錄", "113", "1", "歷史", "2", ""),
    (5, "修課紀錄", "113", "1", "地理", "2", ""),
]
UNKNOWN_ID = make_valid_id("H12345677")


def write_receipts() -> None:
    # Style A (「收訖明細產出」-like) as xlsx with a title row
    wb = Workbook()
    ws = wb.active
    ws.title = "收訖明細"
    ws.append(["113學年度第1學期 收訖明細產出"])
    ws.append(["身分證號", "出生日期", "姓名", "資料類別", "學年度", "學期", "名稱", "學分", "日期", "說明"])
    for i, cat, year, term, title, credits, day in ITEMS:
        s = STUDENTS[i]
        ws.append([s[2], s[3], s[1].replace(PUA, "堃"), cat, year, term, title, credits, day, ""])
    ws.append([UNKNOWN_ID, "0920101", "查無此人", "修課紀錄", "113", "1", "國語文", "4", "", ""])
    wb.save(HERE / "receipts_style_a.xlsx")
    # Style B (vendor-like) as UTF-8 CSV, other category spellings
    spelled = {"多元表現": "多元學習表現", "幹部經歷": "校內幹部經歷", "課程學習成果": "學生課程學習成果"}
    with open(HERE / "receipts_style_b.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["學號", "班級", "座號", "學生姓名", "身分證統一編號", "生日", "項目", "學年", "學期別",
                    "課程名稱", "學分數", "起訖日期", "內容說明"])  # fmt: skip
        for i, cat, year, term, title, credits, day in ITEMS:
            s = STUDENTS[i]
            w.writerow([s[0], s[6], s[7], s[1].replace(PUA, "堃"), s[2], s[3], spelled.get(cat, cat), year, term,
                        title, credits, day, ""])  # fmt: skip
    # A file with a bad category on row 4
    with open(HERE / "receipts_bad_category.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["身分證號", "資料類別", "學年度", "學期", "名稱"])
        w.writerow([STUDENTS[0][2], "修課紀錄", "113", "1", "國語文"])
        w.writerow([STUDENTS[1][2], "修課紀錄", "113", "1", "英語文"])
        w.writerow([STUDENTS[2][2], "體育成績", "113", "1", "游泳"])


if __name__ == "__main__":
    write_students()
    write_receipts()
