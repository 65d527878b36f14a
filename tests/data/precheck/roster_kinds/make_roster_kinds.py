"""Hand-made rosters of every kind (day/continuing, final/retake; written for the second review of
issue 10) from the spec alone.

Independent of ``tests/precheck_layouts.py`` and of the demo generators: sheet names and
headers are typed here from ``shared/spec/formats.md`` (which follows the school system's writer,
``LearningHistoryDataAccess.cs`` field lists 4.2/4.3/4.4, 5.2/5.3, 6.x), values as that writer
writes them (``-1`` for none, numbers as text or floats). Each builder returns the file and the
counts per code worked out by hand from ``precheck-rules.md`` (see the comment on each row).

School 801M01, roster term 113-1. Cohort 113 is in grade 1, cohort 112 in grade 2.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

SCHOOL = "801M01"
LETTER = dict(A=10, B=11, C=12, D=13, E=14, F=15, G=16, H=17, I=34, J=18, K=19, L=20, M=21, N=22, O=35,
              P=23, Q=24, R=25, S=26, T=27, U=28, V=29, W=32, X=30, Y=31, Z=33)  # fmt: skip
REMARK = ["備註(學生姓名)", "備註(資料當學期班級)", "備註(資料當學期座號)", "備註(資料當學期學號)",
          "備註(資料次學期班級)", "備註(資料次學期座號)", "備註(資料次學期學號)"]  # fmt: skip


def pid(letter: str, body: str) -> str:
    """A valid 國民身分證統一編號 from a letter and 8 digits (formats.md, IDs)."""
    v = LETTER[letter]
    s = v // 10 + (v % 10) * 9 + sum(int(c) * w for c, w in zip(body, (8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return f"{letter}{body}{(10 - s % 10) % 10}"


def bad_check(id_: str) -> str:  # the same ID with a wrong check digit
    return id_[:-1] + str((int(id_[-1]) + 1) % 10)


def cc(cohort: int, cat: str, attr: str, dom: str, subj: str, school: str = SCHOOL) -> str:
    """課程代碼: year(3) school(6) M 類型, 群 21, 科 301, 班群 0, 課程類別, 開課方式 1, 科目屬性, 領域, 科目."""
    out = f"{cohort}{school}M213010{cat}1{attr}{dom}{subj}"
    assert len(out) == 23, out
    return out


# Day-school plan (日間)
CHN = cc(113, "1", "1", "01", "11")  # 國語文 440000
MATH = cc(113, "1", "1", "02", "11")  # 數學 330000
FLEX = cc(113, "9", "D", "00", "11")  # 彈性學習 9D 110000: 是否採計學分 must be 3
CLUB = cc(113, "8", "0", "00", "11")  # 團體活動 (8, 屬性 0): R18, never due
SELF = cc(113, "9", "A", "00", "12")  # 自主學習 9A: R18, never due
ENG2 = cc(112, "2", "1", "01", "21")  # cohort 112 (grade 2) 英語文 002200
OLD = cc(112, "1", "1", "03", "11")  # cohort 112 歷史 220000: taught in grade 1 last year (重修)
DAY_PLAN = [(CHN, "國語文", "440000", "1101"), (MATH, "數學", "330000", "1102"),
            (FLEX, "彈性學習", "110000", "9D00"), (CLUB, "班級活動", "110000", "8000"),
            (SELF, "自主學習", "110000", "9A00"), (ENG2, "英語文", "002200", "2101"),
            (OLD, "歷史", "220000", "1103")]  # fmt: skip
# 進修部 plan (節數)
C_CHN = cc(113, "1", "1", "01", "31")  # 國語文 節數 330000
C_ART = cc(113, "2", "1", "05", "31")  # 美術 節數 220000
C_ONE = cc(113, "2", "1", "05", "32")  # 書法 節數 200000: 1上 only (plan_cont_odd)
C_PLAN = [(C_CHN, "國語文", "330000", "1101"), (C_ART, "美術", "220000", "2105")]
C_PLAN_ODD = [*C_PLAN, (C_ONE, "書法", "200000", "2105")]  # for cont_odd_layout only

S1, S2, S3, S4, S5 = (pid("A", "1" + f"{n:07d}") for n in (2345, 3456, 4567, 5678, 6789))
S6 = pid("F", "2" + "0011223")
BIRTH = {S1: "0920315", S2: "0921104", S3: "0930101", S4: "0920520", S5: "0921231", S6: "0930228"}
NAME = {S1: "王小明", S2: "李美玲", S3: "陳冠宇", S4: "林志豪", S5: "張雅婷", S6: "黃柏翰"}


def remarks(sid: str, seat: int) -> list[object]:
    return [NAME.get(sid, "某生"), "101", seat, f"1130{seat:02d}", "102", seat, f"1130{seat:02d}"]


PLAN_FILES = {"plan_day.xlsx": "DAY_PLAN", "plan_cont.xlsx": "C_PLAN", "plan_cont_odd.xlsx": "C_PLAN_ODD"}


def plan_file(key: str) -> str:
    """The plan a case is checked against."""
    if key == "cont_odd_layout":
        return "plan_cont_odd.xlsx"
    return "plan_cont.xlsx" if key.startswith("cont") else "plan_day.xlsx"


def write_plans(d: Path) -> None:
    for name, var in PLAN_FILES.items():
        write_plan(d / name, globals()[var])


def write_plan(path: Path, plan: list[tuple[str, str, str, str]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "課程計畫"
    ws.append(
        ["實施學年度", "課程類型", "課程代碼", "科目名稱", "授課學期學分節數", "授課學期開課方式", "課程屬性"]
    )
    for code, name, credits, attr in plan:
        ws.append([113, "M", code, name, credits, "111111", attr])
    wb.save(path)
    return path


def cover(wb: openpyxl.Workbook, kind: object, year: object = 113, term: object = 1) -> None:
    ws = wb.active
    ws.title = "封面"
    ws.append(["學校代碼", "學年度", "學期", "名冊別"])
    ws.append([SCHOOL, year, term, kind])  # number-typed 學年度/學期 as the writer stores them


def sheet(wb: openpyxl.Workbook, name: str, header: list[str], rows: list[list[object]],
          title_rows: int = 0) -> None:  # fmt: skip
    ws = wb.create_sheet(name)
    for i in range(title_rows):
        ws.append([f"{name}（匯出標題 {i + 1}）"])
    ws.append(header)
    for r in rows:
        ws.append(r)


# -- 日間 學期成績 (4.2 with DataKey) ------------------------------------------------------------
DAY_SEM = ["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格",
           "補考成績", "補考及格", "是否採計學分", "質性文字描述", "DataKey", *REMARK]  # fmt: skip
DAY_RETAKE = ["身分證號", "出生日期", "應修課學年度", "應修課學期", "課程代碼", "科目名稱", "開課年級", "修課學分",
              "補修成績", "補修及格", "補考成績", "補考及格", "補修方式", "是否採計學分", "質性文字描述", "DataKey",
              *REMARK]  # fmt: skip
DAY_TRANSFER = ["身分證號", "出生日期", "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課學分",
                "身分別", "抵免後成績", "成績及格", "是否採計學分", "質性文字描述", "DataKey", *REMARK]  # fmt: skip


def day_row(sid: str, code: str, name: str, grade: object, credits: object, score: object = -1,
            passed: object = -1, makeup: object = -1, makeup_p: object = -1, counts: object = 1,
            birth: str | None = None, seat: int = 1) -> list[object]:  # fmt: skip
    return [sid, birth or BIRTH.get(sid.strip(), "0920101"), code, name, grade, credits, score, passed, makeup, makeup_p, counts,
            "", "", *remarks(sid, seat)]  # fmt: skip


def day_pre_rows(students: list[str]) -> list[list[object]]:
    rows = []
    for seat, s in enumerate(students, 1):
        for code, name, credits in ((CHN, "國語文", 4), (MATH, "數學", 3), (FLEX, "彈性學習", 1)):
            rows.append(day_row(s, code, name, 1, credits, "", "", "", "", "", seat=seat))
    return rows


def day_pre_clean(d: Path) -> tuple[Path, dict[str, int]]:
    wb = openpyxl.Workbook()
    cover(wb, "41")
    sheet(wb, "學期成績", DAY_SEM, day_pre_rows([S1, S2, S3]))
    sheet(wb, "學期成績(缺)", DAY_SEM, [])
    p = d / "預檢_修課紀錄名冊_clean.xlsx"
    wb.save(p)
    return p, {}


def day_pre_errors(d: Path) -> tuple[Path, dict[str, int]]:
    rows = day_pre_rows([S1, S2])
    rows[0][6] = 80  # R13: a grade in a 預檢 roster
    rows += [
        day_row(pid("B", "30000001")[:-1] + "X", CHN, "國語文", 1, 4, "", "", "", "", ""),  # R02
        day_row(bad_check(S3), CHN, "國語文", 1, 4, "", "", "", "", "", birth="0930101"),  # R03
        day_row(S4, CHN, "國語文", 1, 4, "", "", "", "", "", birth="0921332"),  # R04 (no such day)
        day_row(S5, CHN[:-1], "國語文", 1, 4, "", "", "", "", ""),  # R06 (22 characters)
        day_row(S5, cc(113, "1", "1", "01", "99"), "國語文", 1, 4, "", "", "", "", ""),  # R08
        day_row(S5, cc(113, "1", "1", "01", "11", "000B00"), "國語文", 1, 4, "", "", "", "", ""),  # R07
        day_row(S5, MATH, "數學Ａ", 1, 3, "", "", "", "", ""),  # R09
        day_row(S5, FLEX, "彈性學習", 1, 2, "", "", "", "", ""),  # R10 (plan says 1)
        day_row(S5, CHN, "國語文", 3, 4, "", "", "", "", ""),  # R11 (grade 3: character 0)
        day_row(S5, CLUB, "班級活動", 1, 1, "", "", "", "", ""),  # R18
        day_row(S2, MATH, "數學", 1, 3, "", "", "", "", "", seat=2),  # R12 (S2 數學 again)
        day_row(S1, FLEX, "彈性學習", 1, 1, "", "", "", "", "", birth="0920316"),  # R12 + R19
        day_row(S6 + " ", CHN, "國語文", 1, 4, "", "", "", "", ""),  # W01 (trailing space), clean
        day_row(S6, "", "國語文", 1, 4, "", "", "", "", ""),  # R05
    ]
    wb = openpyxl.Workbook()
    cover(wb, "41")
    sheet(wb, "學期成績", DAY_SEM, rows)
    # two rows of the (缺) form: R05 each (S6 row identical to a good one but in (缺))
    sheet(wb, "學期成績(缺)", DAY_SEM, [day_row(S6, "", "生涯規劃", 1, 1, "", "", "", "", ""),
                                     day_row(S6, "", "本土語", 1, 1, "", "", "", "", "")])  # fmt: skip
    p = d / "預檢_修課紀錄名冊_errors.xlsx"
    wb.save(p)
    # R05: 1 + 2 (缺). R12: S2 數學, S1 彈性學習. R19: S1 with 0920316.
    # grade 3 appears (R11 row) but no cohort-111 code is in the plan: no O01.
    return p, {"R13": 1, "R02": 1, "R03": 1, "R04": 1, "R06": 1, "R08": 1, "R07": 1, "R09": 1, "R10": 1,
               "R11": 1, "R18": 1, "R12": 2, "R19": 1, "W01": 1, "R05": 3}  # fmt: skip


def day_final_rows() -> list[list[object]]:
    return [
        day_row(S1, CHN, "國語文", 1, 4, 75, 1, -1, -1, 1, seat=1),
        day_row(S1, MATH, "數學", "1", "3", "58.5", "0", "61", "1", "1", seat=1),  # text-typed
        day_row(S1, FLEX, "彈性學習", 1, 1, -1, -1, -1, -1, 3, seat=1),  # 9D: 不需評分
        day_row(S2, CHN, "國語文", 1.0, 4.0, 60.0, 1.0, -1.0, -1.0, 1.0, seat=2),  # float-typed
        day_row(S2, MATH, "數學", 1, 3, 40, 0, 30, 0, 2, seat=2),  # fails twice, 不計學分
        day_row(S2, FLEX, "彈性學習", 1, 1, -1, -1, -1, -1, 3, seat=2),
        day_row(S3, CHN, "國語文", 1, 4, 100, 1, -1, -1, 1, seat=3),
        day_row(S3, MATH, "數學", 1, 3, 0, 0, -1, -1, 1, seat=3),  # 0 and no make-up
        day_row(S3, FLEX, "彈性學習", 1, 1, -1, -1, -1, -1, 3, seat=3),
    ]


def day_final_clean(d: Path) -> tuple[Path, dict[str, int]]:
    wb = openpyxl.Workbook()
    cover(wb, None)  # the final rosters' 名冊別 is not confirmed: left blank
    header = [h.replace("(", "（").replace(")", "）") for h in DAY_SEM]  # full-width brackets
    header[0] = " 身分證號 "
    sheet(wb, "學期成績", header, day_final_rows(), title_rows=2)
    sheet(wb, "學期成績(缺)", DAY_SEM, [])
    sheet(wb, "補修成績", DAY_RETAKE, [
        [S3, BIRTH[S3], 112, 2, CHN, "國語文", 1, 4, 70, 1, -1, -1, 3, 1, "", "", *remarks(S3, 3)],
        [S2, BIRTH[S2], "112", "2", MATH, "數學", "1", "3", "45", "0", "60", "1", "3", "1", "", "",
         *remarks(S2, 2)],
    ])  # fmt: skip
    sheet(wb, "補修成績(缺)", DAY_RETAKE, [])
    sheet(wb, "轉學轉科成績", DAY_TRANSFER, [
        [S6, BIRTH[S6], 112, 2, CHN, "國語文", 1, 4, 1, 82, 1, 1, "", "", *remarks(S6, 6)],
    ])  # fmt: skip
    sheet(wb, "轉學轉科成績(缺)", DAY_TRANSFER, [])
    p = d / "成績名冊_day_clean.xlsx"
    wb.save(p)
    return p, {}


def day_final_errors(d: Path) -> tuple[Path, dict[str, int]]:
    rows = day_final_rows()
    rows += [
        day_row(S4, CHN, "國語文", 1, 4, 105, 1, -1, -1, 1, seat=4),  # R14 (> 100)
        day_row(S4, MATH, "數學", 1, 3, "缺考", 0, -1, -1, 1, seat=4),  # R14 (not a number)
        day_row(
            S4, FLEX, "彈性學習", 1, 1, -1, -1, -1, -1, 1, seat=4
        ),  # R14 (-1, 採計 1, 及格 -1) + R17 (9D)
        day_row(S5, CHN, "國語文", 1, 4, -1, 1, -1, -1, 1, seat=5),  # W03
        day_row(S5, MATH, "數學", 1, 3, 70, 0, -1, -1, 1, seat=5),  # R15
        day_row(S5, FLEX, "彈性學習", 1, 1, -1, -1, -1, -1, 4, seat=5),  # R17 (not 1/2/3)
        day_row(S6, CHN, "國語文", 1, 4, 55, 1, -1, -1, 1, seat=6),  # W02 (other mark 50)
        day_row(S6, MATH, "數學", 1, 3, 65, 1, 70, 1, 1, seat=6),  # R16 (補考 while 及格 1)
        day_row(S6, FLEX, "彈性學習", 1, 1, -1, -1, -1, 1, 3, seat=6),  # R16 (補考及格 without 補考)
        day_row(
            S3, CHN, "國語文", 1, 4, 45, 1, -1, -1, 1, seat=3
        ),  # R12 (S3 國語文 again) + W02 (45 < 50: R15)
        day_row(S3, SELF, "自主學習", 1, 1, 80, 1, seat=3),  # R18 (9A must not be submitted)
    ]
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", DAY_SEM, rows)
    sheet(wb, "學期成績(缺)", DAY_SEM, [day_row(S1, "", "本土語", 1, 1, 80, 1, -1, -1, 1)])  # R05
    sheet(wb, "補修成績", DAY_RETAKE, [
        [S3, BIRTH[S3], 112, 2, CHN, "國語文", 1, 4, 70, 0, -1, -1, 3, 1, "", "", *remarks(S3, 3)],  # R15
        [S3, BIRTH[S3], 112, 3, MATH, "數學", 1, 3, 70, 1, -1, -1, 3, 1, "", "", *remarks(S3, 3)],  # R11 學期 3
    ])  # fmt: skip
    sheet(wb, "轉學轉科成績", DAY_TRANSFER, [
        [S6, BIRTH[S6], 112, 2, CHN, "國語文", 1, 5, 1, 82, 1, 1, "", "", *remarks(S6, 6)],  # R10 (plan 4)
        [S6, BIRTH[S6], 112, 2, MATH, "數學", 1, 3, 1, 40, 1, 1, "", "", *remarks(S6, 6)],  # R15 (40 < 50)
    ])  # fmt: skip
    p = d / "成績名冊_day_errors.xlsx"
    wb.save(p)
    # with --other-pass-marks 50: W02 on S6 國語文 55/1 only; S3 45/1 is below every mark: R15.
    return p, {"R14": 3, "R17": 2, "W03": 1, "R15": 4, "W02": 1, "R16": 2, "R12": 1, "R05": 1,
               "R11": 1, "R10": 1, "R18": 1}  # fmt: skip


# -- 進修部 ---------------------------------------------------------------------------------------
C_SEM = ["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課節數", "學期學業成績", "成績及格",
         "學年學業成績", "學年及格", "是否採計學時", "質性文字描述", "DataKey", *REMARK]  # fmt: skip
C_MAKEUP = ["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "第一學期開設修課節數",
            "第二學期開設修課節數", "第一次補考成績", "第一次及格", "第二次補考成績", "第二次及格", *REMARK]  # fmt: skip
C_TRANSFER = ["身分證號", "出生日期", "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課節數",
              "身分別", "抵免後成績", "成績及格", "是否採計學時", "質性文字描述", *REMARK]  # fmt: skip


def c_row(sid: str, code: str, name: str, hours: object, score: object = -1, passed: object = -1,
          year: object = -1, year_p: object = -1, counts: object = 1, seat: int = 1) -> list[object]:  # fmt: skip
    return [sid, BIRTH[sid], code, name, 1, hours, score, passed, year, year_p, counts, "", "",
            *remarks(sid, seat)]  # fmt: skip


def cont_pre(d: Path, errors: bool) -> tuple[Path, dict[str, int]]:
    rows = [c_row(s, code, name, h, "", "", "", "", "", seat=i)
            for i, s in enumerate([S1, S2], 1) for code, name, h in ((C_CHN, "國語文", 3), (C_ART, "美術", 2))]  # fmt: skip
    expected: dict[str, int] = {}
    if errors:
        rows[1][5] = 3  # R10 (plan 2 節)
        rows[2][8] = 70  # R13 (學年學業成績)
        expected = {"R10": 1, "R13": 1}
    wb = openpyxl.Workbook()
    cover(wb, "42")
    sheet(wb, "學期成績", C_SEM, rows)
    sheet(wb, "學期成績(缺)", C_SEM, [])
    p = d / f"預檢_進修部（學校）修課紀錄名冊_{'errors' if errors else 'clean'}.xlsx"
    wb.save(p)
    return p, expected


def cont_final(d: Path, errors: bool) -> tuple[Path, dict[str, int]]:
    sem = [
        c_row(S1, C_CHN, "國語文", 3, 72, 1, -1, -1, 1, seat=1),
        c_row(S1, C_ART, "美術", 2, 40, 0, -1, -1, 1, seat=1),
        c_row(S2, C_CHN, "國語文", "3", "48", "0", "-1", "-1", "1", seat=2),
        c_row(S2, C_ART, "美術", 2.0, 90.0, 1.0, -1.0, -1.0, 1.0, seat=2),
    ]
    makeup = [
        [S1, BIRTH[S1], C_ART, "美術", 1, 2, 2, 55, 0, 62, 1, *remarks(S1, 1)],
        [S2, BIRTH[S2], C_CHN, "國語文", 1, 3, -1, 65, 1, -1, -1, *remarks(S2, 2)],
    ]
    expected: dict[str, int] = {}
    if errors:
        sem.append(c_row(S3, C_CHN, "國語文", 3, 66, 0, -1, -1, 1, seat=3))  # R15
        sem.append(c_row(S3, C_ART, "美術", 2, 70, 1, 101, 1, 1, seat=3))  # R14 (學年學業成績 101)
        makeup += [
            [
                S3,
                BIRTH[S3],
                C_CHN,
                "國語文",
                1,
                3,
                4,
                70,
                1,
                -1,
                -1,
                *remarks(S3, 3),
            ],  # R10 (第二學期: plan 3)
            [
                S3,
                BIRTH[S3],
                C_ART,
                "美術",
                1,
                2,
                2,
                65,
                1,
                70,
                1,
                *remarks(S3, 3),
            ],  # R16 (第二次 while 第一次及格 1) — and 學期成績 及格 1: one R16 per row
            [
                S2,
                BIRTH[S2],
                C_ART,
                "美術",
                1,
                2,
                2,
                50,
                1,
                -1,
                -1,
                *remarks(S2, 2),
            ],  # R16 (學期成績 及格 1) + R15 (50/1)
        ]
        expected = {"R15": 2, "R14": 1, "R10": 1, "R16": 2}
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", C_SEM, sem)
    sheet(wb, "學期成績(缺)", C_SEM, [])
    sheet(wb, "補考成績", C_MAKEUP, makeup)
    sheet(wb, "補考成績(缺)", C_MAKEUP,
          [[S1, BIRTH[S1], "", "書法", 1, 1, -1, 40, 0, -1, -1, *remarks(S1, 1)]] if errors else [])  # fmt: skip
    sheet(wb, "轉學轉科成績", C_TRANSFER, [
        [S6, BIRTH[S6], 112, 2, C_CHN, "國語文", 1, 3, 2, 77, 1, 1, "", *remarks(S6, 6)],
    ])  # fmt: skip
    sheet(wb, "轉學轉科成績(缺)", C_TRANSFER, [])
    if errors:
        expected["R05"] = 1
    p = d / f"進修部成績名冊_{'errors' if errors else 'clean'}.xlsx"
    wb.save(p)
    return p, expected


# -- 重修重讀成績名冊 --------------------------------------------------------------------------
REPEAT = ["身分證號", "出生日期", "原修課學年度", "原修課學期", "原修課課程代碼", "原修課科目名稱",
          "原修課開課年級", "原修課修課學分", "重修方式", "重修成績", "重修及格", "質性文字描述", "DataKey",
          *REMARK]  # fmt: skip
REREAD = ["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "再次修習成績", "再次修習成績及格",
          "補考成績", "補考及格", "重讀成績", "成績及格", "重讀註記", "是否採計學分", "質性文字描述", "DataKey",
          *REMARK]  # fmt: skip


def retake(d: Path, errors: bool) -> tuple[Path, dict[str, int]]:
    rep = [
        [S4, BIRTH[S4], 112, 1, OLD, "歷史", 1, 2, 3, 64, 1, "", "", *remarks(S4, 4)],
        [S5, BIRTH[S5], "112", "2", OLD, "歷史", "1", "2", "3", "59", "0", "", "", *remarks(S5, 5)],
    ]
    rer = [
        [S1, BIRTH[S1], CHN, "國語文", 1, 4, 62, 1, -1, -1, 62, 1, "重讀", 1, "", "", *remarks(S1, 1)],
        [S2, BIRTH[S2], MATH, "數學", 1, 3, 50, 0, 61, 1, 61, 1, "重讀", 1, "", "", *remarks(S2, 2)],
    ]
    expected: dict[str, int] = {}
    if errors:
        rep += [
            [
                S4,
                BIRTH[S4],
                112,
                1,
                OLD,
                "歷史",
                1,
                2,
                3,
                70,
                1,
                "",
                "",
                *remarks(S4, 4),
            ],  # R12 (ID + 原修課課程代碼 + 原修課學期 1 again)
            [S6, BIRTH[S6], 112, 1, OLD, "歷史", 1, 3, 3, 80, 1, "", "", *remarks(S6, 6)],  # R10 (plan 2)
            [S3, BIRTH[S3], 112, 1, ENG2, "英語文", 1, 2, 3, 80, 1, "", "", *remarks(S3, 3)],  # R11 (1上: 0)
            [S2, BIRTH[S2], 112, 1, OLD, "歷史", 1, 2, 3, "A", 0, "", "", *remarks(S2, 2)],  # R14
        ]
        rer += [
            [
                S3,
                BIRTH[S3],
                CHN,
                "國語文",
                1,
                4,
                70,
                0,
                -1,
                -1,
                70,
                1,
                "重讀",
                1,
                "",
                "",
                *remarks(S3, 3),
            ],  # R15
            [
                S4,
                BIRTH[S4],
                MATH,
                "數學",
                1,
                3,
                40,
                0,
                -1,
                1,
                40,
                0,
                "重讀",
                1,
                "",
                "",
                *remarks(S4, 4),
            ],  # R16
        ]
        expected = {"R12": 1, "R10": 1, "R11": 1, "R14": 1, "R15": 1, "R16": 1}
    wb = openpyxl.Workbook()
    wb.active.title = "重修成績"
    for r in [REPEAT, *rep]:
        wb.active.append(r)
    sheet(wb, "重修成績(缺)", REPEAT, [])
    sheet(wb, "重讀成績", REREAD, rer)
    sheet(wb, "重讀成績(缺)", REREAD,
          [[S5, BIRTH[S5], "", "音樂", 1, 1, 70, 1, -1, -1, 70, 1, "", 1, "", "", *remarks(S5, 5)]] if errors else [])  # fmt: skip
    if errors:
        expected["R05"] = 1
    p = d / f"重修重讀成績名冊_{'errors' if errors else 'clean'}.xlsx"
    wb.save(p)
    return p, expected


# -- CSV, other rosters ---------------------------------------------------------------------------
def day_final_csv(d: Path, encoding: str) -> tuple[Path, dict[str, int]]:
    p = d / f"學期成績_{encoding.replace('-', '')}.csv"
    with p.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(DAY_SEM)
        for r in day_final_rows():
            w.writerow(r)
    return p, {}


def cadre(d: Path) -> tuple[Path, dict[str, int]]:
    wb = openpyxl.Workbook()
    cover(wb, "24")
    sheet(wb, "幹部經歷", ["身分證號", "出生日期", "單位名稱", "開始日期", "結束日期", "擔任職務", "幹部等級"],
          [[S1, BIRTH[S1], "班級", "1130901", "1140120", "班長", 1]])  # fmt: skip
    p = d / "校內幹部經歷名冊.xlsx"
    wb.save(p)
    return p, {"F06": 1}


def master(d: Path) -> tuple[Path, dict[str, int]]:
    wb = openpyxl.Workbook()
    wb.active.title = "學生資料"
    wb.active.append(["學號", "姓名", "身分證號", "出生日期", "性別代碼", "群別代碼", "科班學程別代碼", "部別代碼",
                      "班別", "年級", "班級名稱", "座號", "特殊身分別", "學籍狀態", "學籍異動日期"])  # fmt: skip
    wb.active.append(["113001", "王小明", S1, BIRTH[S1], 1, "21", "301", 1, 1, 1, "101", 1, "", 1, ""])
    p = d / "學生名冊.xlsx"
    wb.save(p)
    return p, {"F06": 1}


def marks_file(d: Path) -> Path:
    p = d / "及格標準.csv"
    with p.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["身分證號", "及格標準"])
        w.writerow([S6, 50])
    return p


BUILDERS = {
    "day_pre_clean": day_pre_clean,
    "day_pre_errors": day_pre_errors,
    "day_final_clean": day_final_clean,
    "day_final_errors": day_final_errors,
    "cont_pre_clean": lambda d: cont_pre(d, False),
    "cont_pre_errors": lambda d: cont_pre(d, True),
    "cont_final_clean": lambda d: cont_final(d, False),
    "cont_final_errors": lambda d: cont_final(d, True),
    "retake_clean": lambda d: retake(d, False),
    "retake_errors": lambda d: retake(d, True),
    "csv_utf8sig": lambda d: day_final_csv(d, "utf-8-sig"),
    "csv_cp950": lambda d: day_final_csv(d, "cp950"),
    "cadre": cadre,
    "master": master,
}


# -- edge cases -----------------------------------------------------------------------------------
def day_marks(d: Path) -> tuple[Path, dict[str, int]]:
    """The same row (55, 及格 1) for S6 (on the list at 50), S5 (學號 on the list at 50) and S4 (not on it).

    With ``--pass-marks 及格標準.csv --other-pass-marks 50``: S4 W02 only. S6 45/1 on the list: R15.
    """
    rows = [day_row(S6, CHN, "國語文", 1, 4, 55, 1, seat=6), day_row(S5, CHN, "國語文", 1, 4, 55, 1, seat=5),
            day_row(S4, CHN, "國語文", 1, 4, 55, 1, seat=4), day_row(S6, MATH, "數學", 1, 3, 45, 1, seat=6),
            day_row(S6, FLEX, "彈性學習", 1, 1, -1, -1, counts=3, seat=6)]  # fmt: skip
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", DAY_SEM, rows)
    p = d / "成績名冊_marks.xlsx"
    wb.save(p)
    return p, {"W02": 1, "R15": 1}


def day_marks_list(d: Path) -> Path:
    p = d / "及格標準_mixed.csv"
    with p.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["身分證號或學號", "及格標準"])
        w.writerow([S6, 50])
        w.writerow(["113005", "50"])  # S5's 學號 (seat 5)
    return p


def cont_csv_makeup(d: Path) -> tuple[Path, dict[str, int]]:
    """進修部 補考成績 alone, as a UTF-16 CSV named after the sheet: 第二學期 節數 2 where the plan
    teaches 國語文 3/3 → R10; a course not taught in 第二學期 (plan 330000 → 1下 3): all taught."""
    p = d / "補考成績.csv"
    rows = [
        [S1, BIRTH[S1], C_CHN, "國語文", 1, 3, 2, 50, 0, 70, 1, *remarks(S1, 1)],  # R10
        [S2, "921104", C_CHN, "國語文", 1, -1, 3, "59.5", "0", "-1", "-1", *remarks(S2, 2)],  # clean
        [S3, BIRTH[S3], C_ART, "美術", "2", 2, 2, 70, 1, -1, -1, *remarks(S3, 3)],  # R11 (grade 2: 0)
    ]
    with p.open("w", encoding="utf-16", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(C_MAKEUP)
        w.writerows(rows)
    return p, {"R10": 1, "R11": 1}


def day_f03(d: Path) -> tuple[Path, dict[str, int]]:
    """日間 final: 學期成績 lacks 補考及格 (F03, sheet stops); 補修成績 fine and checked."""
    header = [h for h in DAY_SEM if h != "補考及格"]
    rows = [[c for i, c in enumerate(r) if DAY_SEM[i] != "補考及格"] for r in day_final_rows()]
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", header, rows)
    sheet(wb, "補修成績", DAY_RETAKE, [
        [S3, BIRTH[S3], 112, 2, CHN, "國語文", 1, 4, 70, 0, -1, -1, 3, 1, "", "", *remarks(S3, 3)],  # R15
    ])  # fmt: skip
    p = d / "成績名冊_f03.xlsx"
    wb.save(p)
    return p, {"F03": 1, "R15": 1}


def cont_f03(d: Path) -> tuple[Path, dict[str, int]]:
    """進修部 final whose 學期成績 lacks 學年及格: F03 naming it."""
    header = [h for h in C_SEM if h != "學年及格"]
    rows = [[c for i, c in enumerate(r) if C_SEM[i] != "學年及格"]
            for r in [c_row(S1, C_CHN, "國語文", 3, 72, 1), c_row(S2, C_ART, "美術", 2, 80, 1)]]  # fmt: skip
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", header, rows)
    p = d / "進修部成績名冊_f03.xlsx"
    wb.save(p)
    return p, {"F03": 1}


def day_cover_text(d: Path) -> tuple[Path, dict[str, int]]:
    """Cover with 學年度/學期 as floats and a 預檢 file whose grades are all -1; W01 cases:
    full-width digits in 修課學分, lower-case code, a score with spaces (text)."""
    rows = day_pre_rows([S1, S2])
    for r in rows:
        r[6:11] = [-1, -1, -1, -1, -1]
    rows[0][5] = "４"  # W01 (full-width digit)
    rows[1][2] = MATH.lower()  # W01 (lower case) — the code is still checked (clean)
    rows[2][1] = int(BIRTH[S1])  # a number that lost its leading zero: no W01
    rows[3][4] = "1.0"  # text float: no W01
    wb = openpyxl.Workbook()
    cover(wb, "41", 113.0, 1.0)
    sheet(wb, "學期成績", DAY_SEM, rows)
    p = d / "預檢_修課紀錄名冊_cells.xlsx"
    wb.save(p)
    return p, {"W01": 2}


def day_o01_p01(d: Path) -> tuple[Path, dict[str, int]]:
    """Final: 數學 missing for everyone (O01 once); 國語文 成績及格 0 at 70 on 5 of 6 rows (R15 ×5, P01)."""
    ids = [S1, S2, S3, S4, S5, S6]
    rows = [day_row(s, CHN, "國語文", 1, 4, 70, 0 if i < 5 else 1, seat=i + 1) for i, s in enumerate(ids)]
    rows += [day_row(s, FLEX, "彈性學習", 1, 1, -1, -1, counts=3, seat=i + 1) for i, s in enumerate(ids)]
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", DAY_SEM, rows)
    p = d / "成績名冊_o01.xlsx"
    wb.save(p)
    return p, {"R15": 5, "P01": 1, "O01": 1}


def w03_counts2(d: Path) -> tuple[Path, dict[str, int]]:
    """W03 with 是否採計學分 2; -1/-1 with 3 is fine; 9D with 3 and a score is fine (only a warning-free row)."""
    rows = [day_row(S1, CHN, "國語文", 1, 4, -1, 1, counts=2), day_row(S1, MATH, "數學", 1, 3, -1, -1, counts=3),
            day_row(S1, FLEX, "彈性學習", 1, 1, 88, 1, counts=3)]  # fmt: skip
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", DAY_SEM, rows)
    p = d / "成績名冊_w03.xlsx"
    wb.save(p)
    return p, {"W03": 1}


def day_o01_retake(d: Path) -> tuple[Path, dict[str, int]]:
    """Grade-2 students only in 學期成績; a 補修成績 row of a grade-1 course of 112 (開課年級 1):
    O01 reads the 學期成績 sheets only, so no grade-1 code of cohort 113 is due."""
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", DAY_SEM, [day_row(S1, ENG2, "英語文", 2, 2, 70, 1)])
    sheet(wb, "補修成績", DAY_RETAKE, [
        [S1, BIRTH[S1], 112, 2, OLD, "歷史", 1, 2, 66, 1, -1, -1, 3, 1, "", "", *remarks(S1, 1)],
    ])  # fmt: skip
    p = d / "成績名冊_o01_retake.xlsx"
    wb.save(p)
    return p, {}


def cont_odd_layout(d: Path) -> tuple[Path, dict[str, int]]:
    """進修部 final, the workbook as a clerk might leave it: 補考成績 before 學期成績, sheet names
    with full-width brackets and a trailing space, a title row above the cover's header, number
    cells with spaces (W01, still checked), 第二學期 節數 for a course the plan teaches only in 1上."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "封面"
    ws.append(["進修部成績名冊封面"])
    ws.append(["學校代碼", "學年度", "學期", "名冊別"])
    ws.append([SCHOOL, "113", "1", ""])
    sheet(wb, "補考成績 ", C_MAKEUP, [
        [S1, BIRTH[S1], C_CHN, "國語文", 1, 3, 3, 40, 0, -1, -1, *remarks(S1, 1)],  # R16 (學期成績 及格 1)
        [S2, BIRTH[S2], C_ONE, "書法", 1, 2, 2, 70, 1, -1, -1, *remarks(S2, 2)],  # R11 (1下: 0)
        [S2, BIRTH[S2], C_CHN, "國語文", 1, 3, 3, 55, 1, -1, -1, *remarks(S2, 2)],  # R15 (55 at 60)
    ])  # fmt: skip
    sheet(wb, "學期成績（缺）", C_SEM, [])
    sheet(wb, "學期成績", C_SEM, [
        c_row(S1, C_CHN, "國語文", 3, 75, 1, seat=1),
        c_row(S2, C_CHN, "國語文", " 3", " 45 ", "0", seat=2),  # W01 ×2 (edge spaces), clean otherwise
        c_row(S2, C_ONE, "書法", 2, 30, 0, seat=2),
        c_row(S1, C_ART, "美術", 2, 60, 1, seat=1),
        c_row(S2, C_ART, "美術", 2, 61, 1, seat=2),
        c_row(S1, C_ONE, "書法", 2, 70, 1, seat=1),
    ])  # fmt: skip
    p = d / "進修部成績名冊_odd.xlsx"
    wb.save(p)
    return p, {"R16": 1, "R11": 1, "R15": 1, "W01": 2}


def day_empty_semester(d: Path) -> tuple[Path, dict[str, int]]:
    """A final roster whose 學期成績 sheet is header-only (this term's grades sent earlier) and whose
    補修成績 carries the grades: the empty sheet must not make it a 預檢 roster."""
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績", DAY_SEM, [])
    sheet(wb, "補修成績", DAY_RETAKE, [
        [S3, BIRTH[S3], 112, 2, CHN, "國語文", 1, 4, 70, 0, -1, -1, 3, 1, "", "", *remarks(S3, 3)],  # R15
        [S2, BIRTH[S2], 112, 2, MATH, "數學", 1, 3, 64, 1, -1, -1, 3, 1, "", "", *remarks(S2, 2)],
    ])  # fmt: skip
    p = d / "成績名冊_empty_semester.xlsx"
    wb.save(p)
    return p, {"R15": 1}


def student_min(d: Path) -> tuple[Path, dict[str, int]]:
    """A school's own student list (學號, 姓名, 身分證號, 出生日期, 班級, 座號): F06, not F03."""
    wb = openpyxl.Workbook()
    wb.active.title = "學生名冊"
    wb.active.append(["學號", "姓名", "身分證號", "出生日期", "班級", "座號"])
    wb.active.append(["113001", NAME[S1], S1, BIRTH[S1], "101", 1])
    p = d / "學生名冊_簡易.xlsx"
    wb.save(p)
    return p, {"F06": 1}


def unnamed_no_credits(d: Path) -> tuple[Path, dict[str, int]]:
    """A renamed sheet (工作表1) without 修課學分: F03 names 修課學分 and the 日間 學期成績 kind."""
    wb = openpyxl.Workbook()
    wb.active.title = "工作表1"
    wb.active.append(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級"])
    wb.active.append([S1, BIRTH[S1], CHN, "國語文", 1])
    p = d / "預檢_無學分.xlsx"
    wb.save(p)
    return p, {"F03": 1}


def retake_csv(d: Path) -> tuple[Path, dict[str, int]]:
    """重修成績 alone as a CP950 CSV named after the sheet."""
    p = d / "重修成績.csv"
    with p.open("w", encoding="cp950", newline="") as f:
        w = csv.writer(f)
        w.writerow(REPEAT)
        w.writerow([S4, BIRTH[S4], 112, 1, OLD, "歷史", 1, 2, 3, 64, 1, "", "", *remarks(S4, 4)])
        w.writerow([S5, BIRTH[S5], 112, 1, OLD, "歷史", 1, 2, 3, 64, 0, "", "", *remarks(S5, 5)])  # R15
    return p, {"R15": 1}


def day_pre_writer(d: Path) -> tuple[Path, dict[str, int]]:
    """A 預檢 roster as the school system's writer leaves it (frmCheckSCAttendCourseCode.cs): cover
    「41」 with number 學年度/學期; only the first six columns filled, 修課學分 written as a double;
    the template's other main sheets (補修成績, 轉學轉科成績) left header-only; 學期成績(缺) with the
    writer's 說明 column written over the last header cell, its rows carrying the plan's code."""
    wb = openpyxl.Workbook()
    cover(wb, "41")
    rows = [[S1, BIRTH[S1], code, name, 1, float(credits)] for code, name, credits in
            ((CHN, "國語文", 4), (MATH, "數學", 3), (FLEX, "彈性學習", 1))]  # fmt: skip
    sheet(wb, "學期成績", DAY_SEM, rows)
    header = [*DAY_SEM[:-1], "說明"]
    missing = [[S2, BIRTH[S2], CHN, "國語文", 1, 4.0, *[None] * 12, "科目名稱沒有在課程規畫表內"],
               [S2, BIRTH[S2], "", "本土語文", 1, 1.0, *[None] * 12, "沒有課程規畫表"]]  # fmt: skip
    sheet(wb, "學期成績(缺)", header, missing)
    sheet(wb, "補修成績", DAY_RETAKE, [])
    sheet(wb, "轉學轉科成績", DAY_TRANSFER, [])
    p = d / "預檢成績名冊_writer.xlsx"
    wb.save(p)
    # R05 on each (缺) row. S2 has no 學期成績 row: 國語文/數學/彈性學習 are still in the roster (S1).
    return p, {"R05": 2}


def only_9d(d: Path) -> tuple[Path, dict[str, int]]:
    """Only 9D rows (是否採計學分 3, grades -1) and an empty (缺) form: nothing tells the kind, taken
    for 預檢 with a note; 國語文 and 數學 are due and missing (O01 ×2)."""
    wb = openpyxl.Workbook()
    cover(wb, None)
    sheet(wb, "學期成績(缺)", DAY_SEM, [])
    sheet(wb, "學期成績", DAY_SEM, [day_row(s, FLEX, "彈性學習", 1, 1, -1, -1, counts=3) for s in (S1, S2)])
    p = d / "成績名冊_only9d.xlsx"
    wb.save(p)
    return p, {"O01": 2}


EDGE = {
    "only_9d": only_9d,
    "day_pre_writer": day_pre_writer,
    "student_min": student_min,
    "unnamed_no_credits": unnamed_no_credits,
    "retake_csv": retake_csv,
    "day_empty_semester": day_empty_semester,
    "cont_odd_layout": cont_odd_layout,
    "day_o01_retake": day_o01_retake,
    "day_marks": day_marks,
    "cont_csv_makeup": cont_csv_makeup,
    "day_f03": day_f03,
    "cont_f03": cont_f03,
    "day_cover_text": day_cover_text,
    "day_o01_p01": day_o01_p01,
    "w03_counts2": w03_counts2,
}


# -- .xls (Excel 97-2003) copies -----------------------------------------------------------------
XLS_CASES = ("day_final_errors", "cont_final_errors", "retake_errors")


def to_xls(xlsx: Path, xls: Path) -> Path:
    """The same workbook as .xls, cell types kept (needs ``xlwt``: run this module as a script
    with xlwt on the path to rewrite the committed copies; the tests read the committed files)."""
    import xlwt  # only to write the committed fixtures

    src = openpyxl.load_workbook(xlsx)
    out = xlwt.Workbook(encoding="utf-8")
    for ws in src.worksheets:
        sh = out.add_sheet(ws.title)
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    sh.write(r, c, value)
    out.save(str(xls))
    return xls


if __name__ == "__main__":
    import tempfile

    here = Path(__file__).parent
    with tempfile.TemporaryDirectory() as tmp:
        for key in XLS_CASES:
            path, _counts = BUILDERS[key](Path(tmp))
            to_xls(path, here / f"{key}.xls")
