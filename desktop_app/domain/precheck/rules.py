"""The pre-check rule catalogue (codes, severities, Chinese titles) and the code-table names.

The catalogue with every code and the readings chosen is ``docs/precheck-rules.md`` in this
repository. Codes are part of the public interface (CLI JSON, reports, tests): never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.precheck.model import Division, RosterKind, Severity


@dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: Severity
    title_zh: str  # short title for summary cards and report headings
    description_zh: str  # when the rule fires


def _rule(code: str, severity: Severity, title: str, description: str) -> tuple[str, RuleInfo]:
    return code, RuleInfo(code, severity, title, description)


RULES: dict[str, RuleInfo] = dict(
    [
        _rule(
            "F01",
            "error",
            "檔案無法讀取",
            "不是試算表或 CSV、檔案損毀、設有密碼，或大到不合理（訊息會說明上限）",
        ),
        _rule(
            "F02", "error", "CSV 編碼無法判讀", "CSV 的內容不是 UTF-8、UTF-8 BOM、UTF-16 或 CP950 任一種編碼"
        ),
        _rule("F03", "error", "缺少必要欄位", "資料工作表缺少必要欄位（該工作表不檢查，其他工作表照常檢查）"),
        _rule(
            "F04",
            "error",
            "封面與設定不符",
            "封面的學校代碼、學年度、學期與學校設定或所選學期不符，或名冊別與名冊種類不符",
        ),
        _rule("F05", "error", "找不到資料", "沒有任何資料工作表，或找不到標題列"),
        _rule(
            "F06",
            "error",
            "不是修課／成績名冊",
            "檔案是其他名冊（幹部經歷、多元表現、課程學習成果、學生資料名冊等），不是修課紀錄或成績名冊",
        ),
        _rule(
            "W01",
            "warning",
            "儲存格需要清理",
            "前後有空白、身分證號/出生日期/課程代碼/數字欄位含全形或小寫字元",
        ),
        _rule("R01", "error", "身分證號空白", "身分證號是空白的"),
        _rule("R02", "error", "身分證號格式錯誤", "身分證號不是國民身分證、舊式居留證或新式統一證號的格式"),
        _rule("R03", "error", "身分證號檢查碼錯誤", "身分證號格式正確，但檢查碼不正確"),
        _rule("R04", "error", "出生日期錯誤", "出生日期不是有效的民國日期 yyyMMdd（7 碼）"),
        _rule("R05", "error", "課程代碼空白", "課程代碼是空白的（「(缺)」工作表的每一列都算）"),
        _rule("R06", "error", "課程代碼格式錯誤", "課程代碼不是 23 碼的英數字 [0-9A-Z]"),
        _rule("R07", "error", "課程代碼學校代碼不符", "課程代碼第 4–9 碼與本校學校代碼不同"),
        _rule("R08", "error", "課程代碼不在課程計畫", "課程代碼不在核定的課程計畫中"),
        _rule("R09", "error", "科目名稱不符", "科目名稱與課程計畫中該課程代碼的科目名稱不同"),
        _rule(
            "R10",
            "error",
            "修課學分(節數)不符",
            "修課學分（進修部：修課節數）與課程計畫在該開課年級、學期的學分（節）數不同",
        ),
        _rule(
            "R11", "error", "該年級學期未開課", "課程計畫在該開課年級、學期沒有開這門課，或開課年級不是 1–3"
        ),
        _rule("R12", "error", "重複的修課紀錄", "同一工作表中同一身分證號＋課程代碼＋開課年級（列上有學期者連同學期）重複出現"),
        _rule("R13", "error", "預檢名冊含成績", "預檢名冊不應有成績：成績欄位不是空白或 -1"),
        _rule(
            "R14",
            "error",
            "成績錯誤",
            "成績不是 0–100 的數字或 -1；或學期學業成績為 -1、是否採計學分為 1 或 2，而成績及格不是 1",
        ),
        _rule(
            "R15",
            "warning",
            "及格欄位不符",
            "及格欄位與成績不一致（依學生的及格標準：達標為 1，未達為 0，無成績為 -1）",
        ),
        _rule(
            "R16",
            "warning",
            "補考欄位不一致",
            "成績及格為 1 卻有補考成績、無補考成績卻有補考及格、第一次補考已及格卻有第二次補考，"
            "或學期成績已及格卻有補考成績列",
        ),
        _rule(
            "W02",
            "warning",
            "及格標準待確認",
            "及格為 1、成績低於預設及格標準但不低於本校其他及格標準，且不知道此學生的及格標準",
        ),
        _rule(
            "W03",
            "warning",
            "無原始成績給學分",
            "學期學業成績為 -1、成績及格為 1、是否採計學分為 1 或 2：沒有原始成績卻給學分，請確認",
        ),
        _rule(
            "R17",
            "error",
            "是否採計學分錯誤",
            "是否採計學分不是 1、2、3，或 9D 課程（彈性學習 授予學分）不是 3",
        ),
        _rule("R18", "error", "不應提交的課程", "課程類別為 8 或 9 且科目屬性不是 D：這門課不應提交"),
        _rule("R19", "error", "出生日期前後不一", "同一身分證號在不同列的出生日期不同"),
        _rule(
            "P01",
            "warning",
            "相同錯誤樣態",
            "同一課程代碼有 5 列以上、且至少一半的列犯同一錯誤：請先檢查成績系統設定或程式",
        ),
        _rule("O01", "warning", "應開未見", "課程計畫在本學期應開的課程代碼，名冊中沒有任何一列"),
    ]
)

SEVERITY_ZH = {"error": "錯誤", "warning": "警告"}

# 課程代碼 position 17 (課程類別), formats.md
COURSE_CATEGORIES: dict[str, str] = {
    "1": "部定必修",
    "2": "校訂必修",
    "3": "加深加廣選修",
    "4": "補強性選修",
    "5": "多元選修",
    "6": "其他",
    "7": "校訂選修",
    "8": "團體活動時間",
    "9": "彈性學習時間",
    "A": "大學預修課程",
    "B": "基礎訓練",
    "C": "職前訓練",
    "D": "寒暑假課程",
    "E": "返校課程",
    "F": "職業技能訓練",
}

# 課程代碼 position 19 (科目屬性), formats.md
SUBJECT_ATTRIBUTES: dict[str, str] = {
    "0": "不分屬性",
    "1": "一般科目",
    "2": "專業科目",
    "3": "實習科目",
    "4": "專精科目",
    "5": "專精科目(核心)",
    "6": "特殊需求領域",
    "A": "自主學習",
    "B": "選手培訓",
    "C": "充實(增廣)/補強性教學(不授予學分)",
    "D": "充實(增廣)/補強性教學(授予學分)",
    "E": "學校特色活動",
    "F": "專精(專業/實習)(核心)",
    "G": "專精(專業/實習)(核心)",
    "H": "專精(專業/實習)(核心)",
    "I": "專精(專業/實習)(核心)",
}

# 課程代碼 position 10 (課程類型); E, S, C, F occur but their meaning is unconfirmed.
COURSE_TYPES: dict[str, str] = {"H": "普通型高中", "V": "技術型高中", "M": "綜合型高中"}

# 課程代碼 positions 20–21 (領域)
DOMAINS: dict[str, str] = {
    "00": "不分",
    "01": "語文",
    "02": "數學",
    "03": "社會",
    "04": "自然科學",
    "05": "藝術",
    "06": "綜合活動",
    "07": "科技",
    "08": "健康與體育",
    "09": "全民國防教育",
}

# 封面 名冊別 → (roster kind, division). Only the 預檢 numbers are confirmed (formats.md);
# the final-roster numbers are not published, so a final roster is recognised by its columns.
ROSTER_TYPES: dict[str, tuple[RosterKind, Division]] = {"41": ("pre", "day"), "42": ("pre", "continuing")}
# Other 名冊別 numbers that are not course-record rosters at all (always F04 here).
OTHER_ROSTER_TYPES: dict[str, str] = {
    "24": "校內幹部經歷名冊",
    "25": "多元學習表現",
    "26": "學生課程學習成果",
    "28": "進修部學生課程學習成果",
}

KIND_ZH = {"pre": "預檢名冊", "final": "成績名冊"}
DIVISION_ZH = {"day": "日間", "continuing": "進修部(學校)"}

P01_MIN_ROWS = 5  # a pattern needs at least 5 affected rows of the code …
P01_RULES = ("R09", "R10", "R11", "R14", "R15", "R16", "R17", "W02", "W03")  # … and at least half of its rows
P01_ADVICE = (
    "同一課程代碼有多位學生犯同一錯誤：請先檢查成績系統（校務行政系統）的設定或程式，"
    "從源頭一次修正所有受影響的學生，不要逐筆手改。"
)


def category_name(category: str) -> str:
    return COURSE_CATEGORIES.get(category, f"未知類別 {category}")


def credit_value(char: str) -> int | None:
    """Credits of one 授課學期學分節數 character; None when not taught (``0``) or unknown."""
    if "1" <= char <= "9":
        return int(char)
    if "A" <= char <= "I":
        return ord(char) - ord("A") + 1
    if char in "RST" and char:
        return 10 + "RST".index(char)
    if char == "Z":
        return 0
    return None


CREDIT_CHARS = frozenset("0123456789ABCDEFGHIRSTZ")
