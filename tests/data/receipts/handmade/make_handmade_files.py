"""Regenerate the hand-made 收訖明細 fixtures: ``python tests/data/receipts/handmade/make_handmade_files.py``.

Written by hand for the review (not with the project's demo or fixture generators): student masters
as school systems export them and 收訖明細 files in three header styles. People are fictional; the
check digits are computed here from formats.md, independently of ``domain/national_id``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import xlwt

HERE = Path(__file__).resolve().parent
LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def valid_id(letter: str, sex: int, seven: str) -> str:
    value = LETTERS[letter]
    digits = [value // 10, value % 10, sex, *map(int, seven)]
    total = sum(d * w for d, w in zip(digits, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return f"{letter}{sex}{seven}{(10 - total % 10) % 10}"


NAMES = ["王小明", "李大華", "陳美玲", "林志豪", "張雅婷", "黃冠宇", "吳佩珊", "劉家豪",
         "蔡宜臻", "楊承翰", "許庭瑋", "鄭宇翔"]  # fmt: skip
CLASSES = ["301"] * 4 + ["302"] * 4 + ["201"] * 4
STUDENTS = [
    {
        "no": f"0{112001 + i}",  # 學號 with a leading zero
        "name": name,
        "nid": valid_id("ABCDEFGHJKLM"[i], 1 + i % 2, f"{(1000000 + i * 1234567) % 9000000:07d}"),
        "birth": f"0{920101 + i * 3}",  # the last one, 0920134, is not a date (kept: it happens)
        "cls": CLASSES[i],
        "grade": int(CLASSES[i][0]),
        "seat": i % 4 + 1,
        "status": {3: "畢業", 7: "轉出"}.get(i, "在學"),
    }
    for i, name in enumerate(NAMES)
]
BAD_CHECK_DIGIT = "A123456780"
UNKNOWN_ID = valid_id("P", 1, "2345678")  # valid, not in the master
FULLWIDTH_HEAD = [
    "學　號",
    "姓　名",
    "身分證統一編號",
    "出生日期",
    "部別",
    "年級",
    "班級名稱",
    "座號",
    "學籍狀態",
]
PLAIN_HEAD = ["學號", "學生姓名", "身份證字號", "出生日期", "部別", "年級", "班級", "座號", "學籍狀態"]
PUA_BYTES = {"\ue000": b"\xfa\x40", "\uf6b1": b"\xc6\xa1", "\ue311": b"\x8e\x40"}


def master_xlsx() -> None:
    """Title rows above a full-width header; numbers stored as numbers; a bad and a repeated ID."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "學生名冊"
    ws.append(["臺北市立測試高級中學　學生資料名冊"])
    ws.append(["列印日期：113/09/02", None, "承辦：註冊組"])
    ws.append([])
    ws.append(FULLWIDTH_HEAD)
    for s in STUDENTS:
        ws.append([s["no"], s["name"], s["nid"], int(s["birth"]), "日間部", float(s["grade"]), s["cls"],
                   float(s["seat"]), s["status"]])  # fmt: skip
    ws.append(["0112099", "錯號碼", BAD_CHECK_DIGIT, "0920505", "日間部", 3.0, "302", 9.0, "在學"])
    ws.append(["0112098", "重複者", STUDENTS[0]["nid"], "0920505", "日間部", 3.0, "302", 10.0, "在學"])
    wb.save(HERE / "master_title_rows.xlsx")


def master_xls() -> None:
    """Excel 97-2003 (xlwt): every number a float, the class too."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名冊")
    sheet.write(0, 0, "學生名冊（113學年度第1學期）")
    for c, h in enumerate(FULLWIDTH_HEAD):
        sheet.write(2, c, h)
    for r, s in enumerate(STUDENTS, start=3):
        values = [s["no"], s["name"], s["nid"], float(int(s["birth"])), "日間部", float(s["grade"]),
                  float(int(s["cls"])), float(s["seat"]), s["status"]]  # fmt: skip
        for c, v in enumerate(values):
            sheet.write(r, c, v)
    book.save(str(HERE / "master_floats.xls"))


def master_cp950() -> None:
    """CP950 with 造字 bytes (0xFA40 → U+E000, 0xC6A1 → U+F6B1, 0x8E40 → U+E311); header 學生姓名 / 身份證字號."""
    names = {0: "王\ue000明", 4: "張\uf6b1\ue311婷"}
    lines = [",".join(PLAIN_HEAD).encode("cp950")]
    for i, s in enumerate(STUDENTS):
        cells = [s["no"], names.get(i, s["name"]), s["nid"], s["birth"], "日間部", str(s["grade"]), s["cls"],
                 str(s["seat"]), s["status"]]  # fmt: skip
        lines.append(b"".join(PUA_BYTES.get(ch) or ch.encode("cp950") for ch in ",".join(cells)))
    (HERE / "master_cp950_pua.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")


COURSES = [("國語文", "4"), ("英語文", "4"), ("數學", "4"), ("歷史", "2"), ("地理", "2"), ("物理", "2")]


def items(i: int, s: dict) -> list[tuple[str, int, int, str, str, str]]:
    out = [
        ("修課紀錄", y, t, name, cr, "") for y, t in ((112, 1), (112, 2)) for name, cr in COURSES[: 3 + i % 3]
    ]
    if i % 3 == 0:
        out.append(("幹部經歷", 112, 2, "班長", "", "1130201"))
    if i % 2 == 0:
        out.append(
            ("課程學習成果", 112, 2, f"專題報告：{s['name']}的校園植物調查（含附錄）", "", "2024-06-10")
        )
    if i % 4 != 1:
        out.append(("多元學習表現" if i == 2 else "多元表現", 112, 2, "全國科展佳作", "", "113/05/20"))
    return out


def receipts_platform_xlsx() -> None:
    """Style A (README): title rows, then 身分證號|出生日期|姓名|資料類別|學年度|學期|名稱|學分|日期|說明."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收訖明細"
    ws.append(["學生學習歷程資料庫　收訖明細產出"])
    ws.append(["學校代碼：011302"])
    ws.append(["身分證號", "出生日期", "姓名", "資料類別", "學年度", "學期", "名稱", "學分", "日期", "說明"])
    for i, s in enumerate(STUDENTS):
        for cat, y, t, title, cr, d in items(i, s):
            ws.append(
                [
                    s["nid"],
                    int(s["birth"]),
                    s["name"],
                    cat,
                    y,
                    float(t),
                    title,
                    float(cr) if cr else None,
                    d,
                    "",
                ]
            )
    ws.append([UNKNOWN_ID, "0920101", "路人甲", "修課紀錄", 112, 1, "國語文", 4, "", ""])
    wb.save(HERE / "receipts_platform.xlsx")


def receipts_vendor_cp950() -> None:
    """Style B (README), as a vendor's CP950 CSV."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["學號", "班級", "座號", "學生姓名", "身分證統一編號", "生日", "項目", "學年", "學期別", "課程名稱",
                "學分數", "起訖日期", "內容說明"])  # fmt: skip
    for i, s in enumerate(STUDENTS[:6]):
        for cat, y, t, title, cr, d in items(i, s):
            w.writerow(
                [s["no"], s["cls"], s["seat"], s["name"], s["nid"], s["birth"], cat, y, t, title, cr, d, ""]
            )
    (HERE / "receipts_vendor_cp950.csv").write_bytes(buf.getvalue().encode("cp950"))


def receipts_roster_codes() -> None:
    """A shape the README does not list: 名冊別 codes for the category, one 學年期 column, no 名稱 header."""
    codes = {"修課紀錄": "41", "幹部經歷": "24", "多元表現": "25", "多元學習表現": "25", "課程學習成果": "26"}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        ["序號", "統一證號", "學生出生年月日", "名冊別", "學年期", "資料內容", "學分/時數", "認證日期"]
    )
    n = 0
    for i, s in enumerate(STUDENTS[6:], start=6):
        for cat, y, t, title, cr, d in items(i, s):
            n += 1
            w.writerow([n, s["nid"], s["birth"], codes[cat], f"{y}{t}", title, cr, d])
    (HERE / "receipts_roster_codes.csv").write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


if __name__ == "__main__":
    master_xlsx()
    master_xls()
    master_cp950()
    receipts_platform_xlsx()
    receipts_vendor_cp950()
    receipts_roster_codes()
