"""Hand-made real-format pre-check files (plans, rosters; written for the acceptance review of issue 3)
from the spec alone.

Deliberately independent of ``desktop_app.demo.precheck_samples`` and ``demo/precheck.py`` (they
share the authors' reading of the spec): IDs, codes and rows are built here from
``shared/spec/formats.md`` and the expected counts worked out by hand from ``precheck-rules.md``
(see the comment on each row). School 011302, roster term 114-1.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

LETTERS = dict(A=10, B=11, C=12, D=13, E=14, F=15, G=16, H=17, I=34, J=18, K=19, L=20, M=21, N=22, O=35,
               P=23, Q=24, R=25, S=26, T=27, U=28, V=29, W=32, X=30, Y=31, Z=33)  # fmt: skip


def nid(letter: str, body8: str) -> str:
    """A valid ID: letter + 8 digits + the check digit (formats.md 'IDs')."""
    value = LETTERS[letter]
    total = (
        value // 10
        + (value % 10) * 9
        + sum(int(c) * w for c, w in zip(body8, (8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    )
    return letter + body8 + str((10 - total % 10) % 10)


def code(year: int, cat: str, attr: str, domain: str, subject: str, school: str = "011302") -> str:
    """23 chars: 適用入學年度 + 學校代碼 + H 11 101 0 + 課程類別 + 開課方式 1 + 科目屬性 + 領域 + 科目."""
    return f"{year}{school}H111010{cat}1{attr}{domain}{subject}"


A = code(114, "1", "1", "01", "01")  # 國語文(一) 440000
B = code(114, "2", "1", "02", "01")  # 數學 330000
C = code(114, "9", "D", "00", "01")  # 彈性學習 9D: must be 是否採計學分 3; due (not forbidden)
D = code(114, "8", "0", "00", "01")  # 班會: R18, never due
E = code(114, "1", "1", "03", "01")  # 歷史 200000: due in 1上, no rows in the rosters → O01
F = code(114, "3", "1", "04", "01")  # 物理 020000: not taught in 1上
G = code(113, "1", "1", "01", "02")  # cohort 113 → grade 2 in 114; 004400
H = code(114, "5", "1", "05", "01")  # 多元選修 A00000 (對開 1 credit)
K = code(114, "1", "1", "01", "03")  # positions say 部定必修, 課程屬性 9C00 says forbidden
J = code(114, "1", "1", "01", "04")  # 課程屬性 8A00: forbidden, never due
N = code(114, "9", "C", "00", "02")  # 9C: forbidden, never due
PLAN = [
    (A, "國語文(一)", "440000", "1101"), (B, "數學", "330000", "2102"), (C, "彈性學習", "110000", "9D00"),
    (D, "班會", "110000", "8000"), (E, "歷史", "200000", "1103"), (F, "物理", "020000", "3104"),
    (G, "國語文(三)", "004400", "1101"), (H, "多元選修", "A00000", "5105"), (K, "特色活動", "110000", "9C00"),
    (J, "自主學習", "220000", "8A00"), (N, "充實", "110000", "9C00"),
]  # fmt: skip


def write_plan(path: Path, layout: str) -> Path:
    """The platform's raw export (``platform``) or the vendor variant (``vendor``), header row 1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "課程計畫"
    if layout == "platform":
        ws.append(
            [
                "實施學年度",
                "課程類型",
                "課程代碼",
                "科目名稱",
                "授課學期學分節數",
                "授課學期開課方式",
                "課程屬性",
            ]
        )
        for c, name, credits, attributes in PLAN:
            ws.append([114, "H", c, name, credits, "111111", attributes])
    else:
        ws.append(["群組代碼", "課程代碼", "科目名稱", "入學年", "部定校訂", "必修選修", "課程類型", "群別", "科別",
                   "班群", "授課學期學分/節數", "授課開課方式", "課程屬性"])  # fmt: skip
        for c, name, credits, attributes in PLAN:
            ws.append(
                [c[:16], c, name, c[:3], "部定", "必修", "H", "11", "101", "0", credits, "111111", attributes]
            )
    wb.save(path)
    return path


REMARKS = ["備註(學生姓名)", "備註(資料當學期班級)", "備註(資料當學期座號)", "備註(資料當學期學號)",
           "備註(資料次學期班級)", "備註(資料次學期座號)", "備註(資料次學期學號)"]  # fmt: skip
SEM = ["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格", "補考成績",
       "補考及格", "是否採計學分", "質性文字描述", *REMARKS]  # fmt: skip
RET = ["身分證號", "出生日期", "應修課學年度", "應修課學期", "課程代碼", "科目名稱", "開課年級", "修課學分", "補修成績",
       "補修及格", "補考成績", "補考及格", "補修方式", "是否採計學分", "質性文字描述", *REMARKS]  # fmt: skip
TRA = ["身分證號", "出生日期", "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課學分", "身分別",
       "抵免後成績", "成績及格", "是否採計學分", "質性文字描述", *REMARKS]  # fmt: skip
CONT = ["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課節數", "學期學業成績", "成績及格", "補考成績",
        "補考及格", "學年學業成績", "學年及格", "是否採計學時", "質性文字描述", *REMARKS]  # fmt: skip
S = [nid("A" if i % 2 else "F", ("1" if i % 3 else "2") + f"{i:07d}") for i in range(60)]
BAD_CHECK = S[7][:-1] + str((int(S[7][-1]) + 1) % 10)


def remarks(i: int, name: str | None = None) -> list[str]:
    return [name or f"學生{i}", "101", str(i % 40 + 1), f"11{i:04d}", "", "", ""]


def sem(i: int, birth: object, c: str, subject: str, grade: object, credits: object, score: object = "80",
        passed: str = "1", makeup: str = "-1", makeup_pass: str = "-1", counts: str = "1",
        id_value: str | None = None, name: str | None = None) -> list[object]:  # fmt: skip
    student = S[i] if id_value is None else id_value
    return [student, birth, c, subject, grade, credits, score, passed, makeup, makeup_pass, counts, "",
            *remarks(i, name)]  # fmt: skip


FINAL_DAY_ROWS = [
    sem(1, "0920315", A, "國語文（一）", "1", "4"),  # ok: full-width punctuation in 科目名稱
    sem(1, "0920315", B, "數學", "1", "3"),
    sem(2, "0920101", A, "國語文(一)", "1", "4", id_value=S[2].lower()),  # W01 lower-case ID
    sem(3, 920101, A, "國語文(一)", 1, "4.0", score=60.0),  # ok: birth lost its zero, 4.0, numbers
    sem(4, "０９２０１０１", A, "國語文(一)", "1", "４"),  # W01 x2 (full-width birth, credits)
    sem(5, "0920101", A, " 國語文(一)", "1", "4"),  # W01 (leading space)
    sem(6, "0920101", A, "國語文(一)", "1", "4", name="王小明 "),  # W01 (any text cell)
    sem(0, "0920101", A, "國語文(一)", "1", "4", id_value=""),  # R01
    sem(0, "0920101", A, "國語文(一)", "1", "4", id_value="A12345678"),  # R02
    sem(7, "0920101", A, "國語文(一)", "1", "4", id_value=BAD_CHECK),  # R03
    sem(8, "0921301", A, "國語文(一)", "1", "4"),  # R04 (month 13)
    sem(9, "0920101", "", "國語文(一)", "1", "4", counts="9"),  # R05 (R17 skipped)
    sem(10, "0920101", A[:-1], "國語文(一)", "1", "4"),  # R06
    sem(11, "0920101", code(114, "1", "1", "01", "01", "011303"), "國語文(一)", "1", "4"),  # R07 (not R08)
    sem(12, "0920101", code(114, "1", "1", "01", "99"), "亂寫", "1", "4", counts="7"),  # R08 only
    sem(13, "0920101", A, "國文", "1", "4"),  # R09
    sem(14, "0920101", A, "國語文(一)", "1", "3"),  # R10
    sem(15, "0920101", A, "國語文(一)", "2", "9"),  # R11 (R10 skipped)
    sem(16, "0920101", A, "國語文(一)", "4", "4"),  # R11 (grade 4)
    sem(1, "0920315", A, "國語文(一)", "1", "4"),  # R12 (repeat of the first row)
    sem(17, "0920101", A, "國語文(一)", "1", "4", score="101", passed="0"),  # R14 (R15 skipped)
    sem(18, "0920101", A, "國語文(一)", "1", "4", score="-1", passed="1"),  # W03 (no score, credit granted; issue 10)
    sem(19, "0920101", A, "國語文(一)", "1", "4", score="-1", passed="-1", counts="3"),  # ok
    sem(20, "0920101", A, "國語文(一)", "1", "4", score="59", passed="1"),  # R15
    sem(21, "0920101", A, "國語文(一)", "1", "4", makeup="70", makeup_pass="1"),  # R16 (passed 1)
    sem(22, "0920101", A, "國語文(一)", "1", "4", score="50", passed="0", makeup_pass="1"),  # R16
    sem(
        23, "0920101", A, "國語文(一)", "1", "4", score="50", passed="0", makeup="50", makeup_pass="1"
    ),  # R15 (補考成績/補考及格 is an R15 pair since issue 10)
    sem(24, "0920101", A, "國語文(一)", "1", "4", counts="4"),  # R17
    sem(25, "0920101", C, "彈性學習", "1", "1", counts="1"),  # R17 (9D must be 3)
    sem(26, "0920101", C, "彈性學習", "1", "1", score="-1", passed="-1", counts="3"),  # ok
    sem(27, "0920101", D, "班會", "1", "1"),  # R18
    sem(28, "0920101", K, "特色活動", "1", "1"),  # R18 (課程屬性 9C00 overrides the code)
    sem(2, "0920102", B, "數學", "1", "3"),  # R19 (first valid birth of S2 was 0920101)
    sem(3, "abc", B, "數學", "1", "3"),  # R04 + W01 (lower case in 出生日期); R19 skipped
    sem(29, "0920101", H, "多元選修", "1", "1"),
    *[sem(i, "0920101", B, "數學", "1", "2") for i in range(30, 36)],  # R10 x6: P01 (6 of 9 rows of B)
    *[sem(i, "0920101", H, "多元", "1", "1") for i in range(36, 40)],  # R09 x4: no P01 (< 5)
]
MISSING_ROWS = [
    sem(40, "0920101", "", "社團", "1", "1"),
    sem(41, "0920101", A, "國語文(一)", "1", "4"),
]  # R05 x2


def tra(i: int, c: str, subject: str, term: str, grade: str, credits: str) -> list[object]:
    return [S[i], "0920101", "113", term, c, subject, grade, credits, "1", "80", "1", "1", "", *remarks(i)]


TRANSFER_ROWS = [
    tra(42, A, "國語文(一)", "2", "1", "4"),  # ok: 1下 = 4
    tra(43, F, "物理", "1", "1", "2"),  # R11: 對應學期 1, 物理 not taught in 1上
    tra(44, F, "物理", "2", "1", "2"),  # ok
    tra(45, A, "國語文(一)", "１", "1", "4"),  # W01 (full-width 對應學期)
]


def ret(
    i: int, c: str, subject: str, term: str, credits: str, score: str = "70", passed: str = "1"
) -> list[object]:
    return [S[i], "0920101", "113", term, c, subject, "1", credits, score, passed, "-1", "-1", "3", "1", "",
            *remarks(i)]  # fmt: skip


RETAKE_ROWS = [
    ret(46, A, "國語文(一)", "2", "4"),  # ok
    ret(47, F, "物理", "1", "2"),  # R11 (應修課學期 1)
    ret(48, A, "國語文(一)", "1", "4", score="40", passed="1"),  # R15 on 補修成績/補修及格
]
# O01: grades with rows are 1, 2 (the R11 row) and 4; due in 114-1 with no row: E (g1) and G (g2).
EXPECT_FINAL_DAY = {"W01": 7, "R01": 1, "R02": 1, "R03": 1, "R04": 2, "R05": 3, "R06": 1, "R07": 1,
                    "R08": 1, "R09": 5, "R10": 7, "R11": 4, "R12": 1, "R14": 1, "R15": 3, "R16": 2, "R17": 2,
                    "R18": 2, "R19": 1, "W03": 1, "P01": 1, "O01": 2}  # fmt: skip


def add_cover(wb: openpyxl.Workbook, school: str = "011302", year: int = 114, term: int = 1,
              roster_type: str = "") -> None:  # fmt: skip
    ws = wb.create_sheet("封面")
    ws.append(["學校代碼", "學年度", "學期", "名冊別"])
    ws.append([school, year, term, roster_type])


def write_sheets(
    path: Path, sheets: list[tuple[str, list[str], list[list[object]]]], cover: dict | None = None
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if cover is not None:
        add_cover(wb, **cover)
    for name, header, rows in sheets:
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def write_final_day(path: Path, **cover: object) -> Path:
    sheets = [("學期成績", SEM, FINAL_DAY_ROWS), ("補修成績", RET, RETAKE_ROWS),
              ("轉學轉科成績", TRA, TRANSFER_ROWS), ("學期成績(缺)", SEM, MISSING_ROWS)]  # fmt: skip
    return write_sheets(path, sheets, cover=dict(cover))


def pre_rows() -> list[list[object]]:
    """A 預檢 roster (no grades) with one stray grade (R13) and one wrong credit (R10)."""
    rows = [sem(i, "0920101", A, "國語文(一)", "1", "4", score="", passed="", counts="", makeup="", makeup_pass="")
            for i in range(1, 6)]  # fmt: skip
    rows.append(sem(6, "0920101", B, "數學", "1", "3", score="-1", passed="-1", counts="-1"))
    rows.append(
        sem(7, "0920101", B, "數學", "1", "3", score="80", passed="", counts="", makeup="", makeup_pass="")
    )
    rows.append(
        sem(8, "0920101", B, "數學", "1", "2", score="", passed="", counts="", makeup="", makeup_pass="")
    )
    return rows


# 114-1 with rows in grade 1 only: C (9D), E and H are due with no row
EXPECT_PRE = {"R13": 1, "R10": 1, "O01": 3}


def write_pre_xlsx(path: Path, roster_type: str | None = "41", header: list[str] = SEM) -> Path:
    cover = None if roster_type is None else {"roster_type": roster_type}
    return write_sheets(path, [("學期成績", header, pre_rows())], cover=cover)


def _fw_header(name: str) -> str:
    """Full-width brackets and spaces around: matched after NFKC and trimming (formats.md)."""
    return " " + name.replace("(", "（").replace(")", "）") + "\u3000"


def write_pre_cp950_csv(path: Path) -> Path:
    """CP950 CSV, two title rows above a full-width header, a 造字 (Big5 EUDC 0xFA40 → U+E000) name."""
    rows = pre_rows()
    rows[0][12] = "林\ue000明"
    lines = ["114學年度第1學期 預檢 學期成績名冊", "", ",".join(_fw_header(h) for h in SEM)]
    lines += [",".join(str(v) for v in row) for row in rows]
    data = bytearray()
    for ch in "\r\n".join(lines) + "\r\n":
        data += b"\xfa\x40" if ch == "\ue000" else ch.encode("cp950")
    path.write_bytes(bytes(data))
    return path


def write_pre_utf16_tab(path: Path) -> Path:
    """Excel's 'Unicode text': UTF-16 with BOM, tab separated."""
    text = "\t".join(SEM) + "\r\n" + "".join("\t".join(str(v) for v in row) + "\r\n" for row in pre_rows())
    path.write_bytes(text.encode("utf-16"))
    return path


def write_pre_xls(path: Path) -> Path:
    """Excel 97-2003 with numbers stored as numbers (birth date without its leading zero, 1.0, 4.0)."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("學期成績")
    for j, name in enumerate(SEM):
        ws.write(0, j, name)
    for i, row in enumerate(pre_rows(), start=1):
        for j, value in enumerate(row):
            if j == 1:
                value = int(str(value))
            elif j in (4, 5):
                value = float(str(value))
            ws.write(i, j, value)
    wb.save(str(path))
    return path


def cont(i: int, c: str, subject: str, credits: str, score: str = "80", passed: str = "1",
         year_score: str = "-1", counts: str = "1") -> list[object]:  # fmt: skip
    return [S[i], "0920101", c, subject, "1", credits, score, passed, "-1", "-1", year_score, "-1", counts, "",
            *remarks(i)]  # fmt: skip


CONT_ROWS = [
    cont(1, A, "國語文(一)", "4"),
    cont(2, A, "國語文(一)", "3"),  # R10 (修課節數)
    cont(3, A, "國語文(一)", "4", counts="5"),  # R17 (是否採計學時)
    cont(4, A, "國語文(一)", "4", year_score="８０"),  # W01 (學年學業成績 is numeric); R15 (學年及格 -1)
    cont(5, B, "數學", "3", score="55", passed="1"),  # R15
]
EXPECT_CONT = {"R10": 1, "R17": 1, "W01": 1, "R15": 2, "O01": 3}
