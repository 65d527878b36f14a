"""Hand-made files for the 收訖對照 review (issue 14), independent of ``reconcile_builders``.

Rosters in the layouts of formats.md: a 日間 roster (封面 41; 學期成績 with a DataKey column and
numbers stored as text; 補修成績; 轉學轉科成績; 學期成績(缺)), a 進修部 roster (封面 42; 學期成績 with
修課節數/學年學業成績; 補考成績; 轉學轉科成績(缺)), a 重修重讀 roster (重修成績 with 原修課 columns,
重讀成績). The expected counts are worked out by hand in the docstrings of the ``*_receipts`` writers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def nid(letter: str, body: str) -> str:
    """A valid 身分證號: ``letter`` + the 8 digits of ``body`` + the check digit."""
    d = _LETTERS[letter]
    digits = [d // 10, d % 10, *map(int, body)]
    total = sum(x * w for x, w in zip(digits, (1, 9, 8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return f"{letter}{body}{(10 - total % 10) % 10}"


def code(category: str, subject: int, attribute: str = "1") -> str:
    # 111 | 012345 | H | 11 | 101 | 0 | category | A | attribute | 01 | subject
    text = f"111012345H111010{category}A{attribute}01{subject:02d}"
    assert len(text) == 23
    return text


# students: (id, name, class, seat, division)
D1 = (nid("A", "12345670"), "王小明", "301", 1, "日間部")
D2 = (nid("B", "22345671"), "李小華", "301", 2, "日間部")
D3 = (nid("C", "12345672"), "張大同", "301", 3, "日間部")
D4 = (nid("D", "22345673"), "陳美麗", "302", 1, "日間部")
D5 = (nid("E", "12345674"), "林志明", "302", 2, "日間部")
D6 = (nid("F", "22345675"), "黃淑芬", "302", 3, "日間部")
N1 = (nid("G", "12345676"), "吳建國", "303", 1, "日間部")  # roster only, in the master
N2 = (nid("H", "22345677"), "鄭不在", "303", 9, "日間部")  # roster only, not in the master
R1 = (nid("J", "12345678"), "周收訖", "303", 2, "日間部")  # receipts only
C1 = (nid("K", "22345679"), "許進修", "夜301", 1, "進修部")
C2 = (nid("L", "12345680"), "蔡進修", "夜301", 2, "進修部")
C3 = (nid("M", "22345681"), "蘇進修", "夜301", 3, "進修部")
MASTER = (D1, D2, D3, D4, D5, D6, N1, R1, C1, C2, C3)
EVERYONE = (*MASTER, N2)

# day courses of 113-1: (code, title, credits)
DAY = [(code("1", 1), "國語文", 4), (code("1", 2), "數學", 4), (code("1", 3), "英語文", 3), (code("2", 4), "物理", 2)]
GROUP = (code("8", 90), "班級活動", 1)  # 團體活動時間: not submitted
MAKEUP = (code("1", 5), "歷史", 2)  # 補修 of 112-2
TRANSFER = (code("1", 6), "地理", 2)  # 轉學轉科 of 112-1
RETAKE = (code("1", 7), "化學", 2)  # 重修 of 112-1
RETAKE2 = (code("1", 10), "生物", 2)  # 重修 of 112-2
REREAD = (code("1", 8), "公民與社會", 2)  # 重讀 of 113-1
CONT = [(code("1", 11), "國語文", 3), (code("1", 12), "數學", 4)]  # 進修部 (節數)
OLD = (code("1", 9), "舊課程", 2)

NOTE_COLS = ["備註(學生姓名)", "備註(資料當學期班級)", "備註(資料當學期座號)", "備註(資料當學期學號)",
             "備註(資料次學期班級)", "備註(資料次學期座號)", "備註(資料次學期學號)"]  # fmt: skip


def _notes(s: tuple) -> list[object]:  # type: ignore[type-arg]
    return [s[1], s[2], str(s[3]), f"1100{s[3]:02d}", s[2], str(s[3]), f"1100{s[3]:02d}"]


def _cover(wb: Workbook, year: int, term: int, roster_no: str) -> None:
    ws = wb.active
    ws.title = "封面"
    ws.append(["學校代碼", "學年度", "學期", "名冊別"])
    ws.append(["012345", str(year), str(term), roster_no])  # text-typed, as a school writer leaves it


def day_scores() -> dict[tuple[str, str], int]:
    """(student id, code) → 學期學業成績 of the day roster."""
    out = {}
    for n, s in enumerate((D1, D2, D3, D4, D5, D6, N1, N2)):
        for m, (c, _t, _cr) in enumerate(DAY):
            out[(s[0], c)] = 60 + n * 3 + m
    return out


def write_day_roster(path: Path, year: int = 113, term: int = 1) -> Path:
    """8 students × (4 courses + 1 團體活動 row) in 學期成績; D1 補修 歷史 112-2; D2 轉學轉科 地理 112-1;
    one row in 學期成績(缺)."""
    wb = Workbook()
    _cover(wb, year, term, "41")
    ws = wb.create_sheet("學期成績")
    ws.append(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格",
               "補考成績", "補考及格", "是否採計學分", "質性文字描述", "DataKey", *NOTE_COLS])  # fmt: skip
    scores = day_scores()
    k = 0
    for s in (D1, D2, D3, D4, D5, D6, N1, N2):
        for c, t, cr in DAY:
            k += 1
            # numbers as text ("4", "72"), as many school writers leave them
            ws.append([s[0], "0920315", c, t, "3", str(cr), str(scores[(s[0], c)]), "1", "-1", "-1", "1", "",
                       f"K{k:05d}", *_notes(s)])  # fmt: skip
        ws.append([s[0], "0920315", GROUP[0], GROUP[1], "3", "1", "-1", "-1", "-1", "-1", "3", "", "", *_notes(s)])
    ws = wb.create_sheet("補修成績")
    ws.append(["身分證號", "出生日期", "應修課學年度", "應修課學期", "課程代碼", "科目名稱", "開課年級", "修課學分",
               "補修成績", "補修及格", "補考成績", "補考及格", "補修方式", "是否採計學分", "質性文字描述",
               *NOTE_COLS])  # fmt: skip
    ws.append([D1[0], "0920315", "112", "2", MAKEUP[0], MAKEUP[1], "2", 2, 66, 1, -1, -1, 3, 1, "", *_notes(D1)])
    ws = wb.create_sheet("轉學轉科成績")
    ws.append(["身分證號", "出生日期", "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課學分",
               "身分別", "抵免後成績", "成績及格", "是否採計學分", "質性文字描述", *NOTE_COLS])  # fmt: skip
    ws.append([D2[0], "0920315", 112, 1, TRANSFER[0], TRANSFER[1], 2, 2, 1, 70, 1, 1, "", *_notes(D2)])
    ws = wb.create_sheet("學期成績(缺)")
    ws.append(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "學期學業成績", "成績及格",
               "補考成績", "補考及格", "是否採計學分", "質性文字描述", *NOTE_COLS])  # fmt: skip
    ws.append([D3[0], "0920315", "", "多元選修(未編碼)", 3, 2, 80, 1, -1, -1, 1, "", *_notes(D3)])
    wb.save(path)
    return path


def write_continuing_roster(path: Path) -> Path:
    """進修部 113-1: C1..C3 × 2 courses (修課節數 as text; 學年學業成績); a 補考成績 sheet (not compared);
    a 轉學轉科成績(缺) sheet."""
    wb = Workbook()
    _cover(wb, 113, 1, "42")
    ws = wb.create_sheet("學期成績")
    ws.append(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課節數", "學期學業成績", "成績及格",
               "學年學業成績", "學年及格", "是否採計學時", "質性文字描述", *NOTE_COLS])  # fmt: skip
    year_scores = {(C1[0], CONT[1][0]): (55, 62), (C2[0], CONT[0][0]): (81, -1)}
    for s in (C1, C2, C3):
        for c, t, cr in CONT:
            term_score, year_score = year_scores.get((s[0], c), (75, -1))
            ws.append([s[0], "0910101", c, t, "3", str(cr), term_score, 1, year_score, 1 if year_score > 0 else -1,
                       "1", "", *_notes(s)])  # fmt: skip
    ws = wb.create_sheet("補考成績")
    ws.append(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "第一學期開設修課節數", "第二學期開設修課節數",
               "第一次補考成績", "第一次及格", "第二次補考成績", "第二次及格", *NOTE_COLS])  # fmt: skip
    ws.append([C1[0], "0910101", CONT[1][0], CONT[1][1], 3, 4, -1, 62, 1, -1, -1, *_notes(C1)])
    ws = wb.create_sheet("轉學轉科成績(缺)")
    ws.append(["身分證號", "出生日期", "對應學年度", "對應學期", "課程代碼", "科目名稱", "對應年級", "修課節數",
               "身分別", "抵免後成績", "成績及格", "是否採計學時", "質性文字描述", *NOTE_COLS])  # fmt: skip
    wb.save(path)
    return path


def write_retake_roster(path: Path) -> Path:
    """重修重讀成績名冊 of 113-1: D3 重修 化學 112-1 (65); D6 重修 生物 112-2 (61); D1 重讀 公民與社會."""
    wb = Workbook()
    _cover(wb, 113, 1, "")
    ws = wb.create_sheet("重修成績")
    ws.append(["身分證號", "出生日期", "原修課學年度", "原修課學期", "原修課課程代碼", "原修課科目名稱", "原修課開課年級",
               "原修課修課學分", "重修方式", "重修成績", "重修及格", "質性文字描述", "DataKey", *NOTE_COLS])  # fmt: skip
    ws.append([D3[0], "0920315", "112", "1", RETAKE[0], RETAKE[1], "2", "2", "3", "65", "1", "", "X1", *_notes(D3)])
    ws.append([D6[0], "0920315", "112", "2", RETAKE2[0], RETAKE2[1], "2", "2", "3", "61", "1", "", "X2", *_notes(D6)])
    ws = wb.create_sheet("重讀成績")
    ws.append(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課學分", "再次修習成績", "再次修習成績及格",
               "補考成績", "補考及格", "重讀成績", "成績及格", "重讀註記", "是否採計學分", "質性文字描述", "DataKey",
               *NOTE_COLS])  # fmt: skip
    ws.append([D1[0], "0920315", REREAD[0], REREAD[1], 3, 2, -1, -1, -1, -1, 77, 1, 1, 1, "", "Y1", *_notes(D1)])
    ws = wb.create_sheet("重修成績(缺)")
    ws.append(["身分證號", "出生日期", "原修課學年度", "原修課學期", "原修課課程代碼", "原修課科目名稱"])
    wb.save(path)
    return path


def write_master(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["學號", "姓名", "身分證號", "出生日期", "部別", "年級", "班級", "座號", "學籍狀態"])
        for s in MASTER:
            w.writerow([f"1100{s[3]:02d}{s[2][-1]}", s[1], s[0], "0920315", s[4], "3", s[2], s[3], "在學"])
    return path


RECEIPT_HEADER = ["身分證號", "出生日期", "姓名", "資料類別", "學年度", "學期", "科目名稱", "學分", "課程代碼", "成績",
                  "說明"]  # fmt: skip


def _item(s: tuple, year: int, term: int, c: str, title: str, credits: object, score: object,  # type: ignore[type-arg]
          detail: str = "") -> list[object]:  # fmt: skip
    return [s[0], "0920315", s[1], "修課紀錄", year, term, title, credits, c, score, detail]


def write_coded_receipts(path: Path) -> tuple[Path, dict[str, int]]:
    """The batch with 課程代碼, against the three rosters. By hand:

    - D1: 4 day courses, 補修 歷史 112-2, 重讀 公民與社會: all equal. One more item of 111-2 (no roster
      covers 111-2: out of scope, not a difference).
    - D2: 國語文, 數學, 英語文 received; 物理 and 轉學轉科 地理 not → **missing 2**.
    - D3: 數學 學分 3 (roster 4) → mismatch; 英語文 成績 70 (roster 68) → mismatch; 重修 化學 equal →
      **mismatch 2**.
    - D4: all 4, 國語文 titled 「國　語 文」 (spaces only: equal), 物理 titled 「物理(一)」 → **mismatch 1**;
      舊課程 (an old upload) → **extra 1**.
    - D5: only a 幹部經歷 item → **no_receipt 1**; N1 (master, no receipt), N2 (not in the master)
      → **no_receipt 2**.
    - D6: 英語文, 物理 only → missing 國語文, 數學, and 重修 生物 112-2 → **missing 3**.
    - R1: 2 items, in no roster → **not_in_roster 1**.
    - C1: both, 數學 成績 62 = the 學年學業成績 (學期 55): equal. C2: 國語文 成績 80 (roster 81) →
      **mismatch 1**. C3: 國語文 only → **missing 1** (數學).

    missing 2+3+1 = 6, extra 1, mismatch 2+1+1 = 4, no_receipt 3, not_in_roster 1.
    """
    sc = day_scores()
    rows: list[list[object]] = []
    for c, t, cr in DAY:
        rows.append(_item(D1, 113, 1, c, t, cr, sc[(D1[0], c)]))
    rows.append(_item(D1, 112, 2, MAKEUP[0], MAKEUP[1], 2, 66))
    rows.append(_item(D1, 113, 1, REREAD[0], REREAD[1], 2, 77))
    rows.append(_item(D1, 111, 2, code("1", 20), "音樂", 1, 90))
    for c, t, cr in DAY[:3]:
        rows.append(_item(D2, 113, 1, c, t, cr, sc[(D2[0], c)]))
    for c, t, cr in DAY:
        credits = 3 if t == "數學" else cr
        score = 70 if t == "英語文" else sc[(D3[0], c)]
        rows.append(_item(D3, 113, 1, c, t, credits, score))
    rows.append(_item(D3, 112, 1, RETAKE[0], RETAKE[1], 2, 65))
    for c, t, cr in DAY:
        title = {"國語文": "國　語 文", "物理": "物理(一)"}.get(t, t)
        rows.append(_item(D4, 113, 1, c, title, cr, sc[(D4[0], c)]))
    rows.append(_item(D4, 113, 1, OLD[0], OLD[1], 2, 88))
    rows.append([D5[0], "0920315", D5[1], "幹部經歷", 113, 1, "班長", "", "", "", "113/09/01-114/01/20"])
    for c, t, cr in DAY[2:]:
        rows.append(_item(D6, 113, 1, c, t, cr, sc[(D6[0], c)]))
    rows.append(_item(R1, 113, 1, DAY[0][0], DAY[0][1], 4, 80))
    rows.append(_item(R1, 113, 1, DAY[1][0], DAY[1][1], 4, 81))
    rows.append(_item(C1, 113, 1, CONT[0][0], CONT[0][1], 3, 75))
    rows.append(_item(C1, 113, 1, CONT[1][0], CONT[1][1], 4, 62))
    rows.append(_item(C2, 113, 1, CONT[0][0], CONT[0][1], 3, 80))
    rows.append(_item(C2, 113, 1, CONT[1][0], CONT[1][1], 4, 75))
    rows.append(_item(C3, 113, 1, CONT[0][0], CONT[0][1], 3, 75))
    _write_csv(path, RECEIPT_HEADER, rows)
    return path, {"missing": 6, "extra": 1, "mismatch": 4, "no_receipt": 3, "not_in_roster": 1}


def write_plain_receipts(path: Path) -> tuple[Path, dict[str, int], dict[str, int]]:
    """A batch without a 課程代碼 column, against the day roster only. By hand:

    - D1: 4 day courses by 科目名稱 + 學年度學期 + 學分, and 補修 歷史 112-2 → 5 matched, equal.
    - D2: 國語文, 英語文 equal; 數學 學分 3 (roster 4) → matched on 科目名稱 + 學年度學期, **mismatch 1**;
      物理 and 轉學轉科 地理 not received → **missing 2**.
    - D3: 4 courses, 物理's 說明 carries its 課程代碼 (matched by code); 化學 113-1 is in no roster row
      → **extra 1**.
    - D4, D5, D6, N1, N2: no 修課紀錄 item → **no_receipt 5**.

    Keys: 課程代碼 1, 科目名稱+學年度學期+學分 5 + 2 + 3 = 10, 科目名稱+學年度學期 1.
    """
    header = [h for h in RECEIPT_HEADER if h not in ("課程代碼", "成績")]
    rows: list[list[object]] = []

    def item(s: tuple, year: int, term: int, title: str, credits: object, detail: str = "") -> None:  # type: ignore[type-arg]
        rows.append([s[0], "0920315", s[1], "修課紀錄", year, term, title, credits, detail])

    for _c, t, cr in DAY:
        item(D1, 113, 1, t, cr)
    item(D1, 112, 2, MAKEUP[1], 2)
    item(D2, 113, 1, "國語文", 4)
    item(D2, 113, 1, "數學", 3)
    item(D2, 113, 1, "英語文", 3)
    for c, t, cr in DAY:
        item(D3, 113, 1, t, cr, f"課程代碼 {c}" if t == "物理" else "")
    item(D3, 113, 1, "化學", 2)
    _write_csv(path, header, rows)
    counts = {"missing": 2, "extra": 1, "mismatch": 1, "no_receipt": 5, "not_in_roster": 0}
    keys = {"課程代碼": 1, "科目名稱+學年度學期+學分": 10, "科目名稱+學年度學期": 1}
    return path, counts, keys


def write_exact_receipts(path: Path) -> Path:
    """Exactly the 進修部 roster's 6 rows (C2's 國語文 score 81, C1's 數學 62): nothing differs."""
    rows = []
    for s in (C1, C2, C3):
        for c, t, cr in CONT:
            score = {(C1[0], CONT[1][0]): 62, (C2[0], CONT[0][0]): 81}.get((s[0], c), 75)
            rows.append(_item(s, 113, 1, c, t, cr, score))
    _write_csv(path, RECEIPT_HEADER, rows)
    return path


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
