"""The sheet kinds of the 修課/成績 rosters, as data (``docs/precheck-rules.md``, "Sheet kinds").

Each :class:`SheetKind` says how a sheet is recognised (its name, with or without ``(缺)``, and the
columns that only it has), which columns it requires, and which column each rule reads: the course
columns (R05–R11; the 原修課 columns of 重修成績), the score/及格 pairs (R13–R15, W02), the 節數 pair
of the 進修部 補考成績 sheet (R10/R11), the make-up reading of R16 and the 是否採計 column (R14, R17,
W03). A new sheet kind is a new entry here, not a new branch in the rule modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.readers.core import normalize_header

MISSING_SUFFIX = "(缺)"
COVER_SHEET = "封面"

ID_NAMES = ("身分證號", "身份證號", "身分證統一編號")
BIRTH_NAMES = ("出生日期",)
STUDENT_NAME = ("備註(學生姓名)", "學生姓名", "姓名")
STUDENT_CLASS = ("備註(資料當學期班級)", "班級")
STUDENT_SEAT = ("備註(資料當學期座號)", "座號")
STUDENT_NUMBER = ("備註(資料當學期學號)", "學號")
REMARKS = (
    "備註(學生姓名)",
    "備註(資料當學期班級)",
    "備註(資料當學期座號)",
    "備註(資料當學期學號)",
    "備註(資料次學期班級)",
    "備註(資料次學期座號)",
    "備註(資料次學期學號)",
)
TEXT_COLUMNS = ("質性文字描述", "重讀註記")


@dataclass(frozen=True)
class GradePair:
    """A score column and the 及格 column judged from it (R15/W02 at the student's pass mark)."""

    score: str
    passed: str
    r14: bool = True  # R14 checks the score (the day 補考成績 is checked by R16 instead)


@dataclass(frozen=True)
class SheetKind:
    key: str  # stable id, e.g. "day_semester"
    name: str  # sheet name (also the (缺) form's base)
    division: str | None  # "day" | "continuing" | None (both)
    roster: str = "term"  # "term": 學期 roster; "retake": 重修重讀成績名冊 (no O01)
    code: tuple[str, ...] = ("課程代碼",)
    subject: tuple[str, ...] = ("科目名稱",)
    grade: tuple[str, ...] = ("開課年級",)
    credits: tuple[str, ...] = ("修課學分", "修課節數")  # first name: the one F03 asks for
    term: tuple[str, ...] = ()  # the column giving the 學期 (else the roster's term)
    counts: tuple[str, ...] = ("是否採計學分", "是否採計學時")
    pairs: tuple[GradePair, ...] = ()
    hours: tuple[str, str] | None = None  # (第一學期, 第二學期) 開設修課節數: R10/R11 per 學期
    makeup: str | None = None  # R16 reading: "day" (補考成績 vs the first pair) | "continuing"
    credit_score: bool = True  # the first pair's -1 is judged with 是否採計 (R14/W03)
    signature: tuple[str, ...] = ()  # columns only this kind has (a sheet not named like one)
    all_plans: bool = False  # the code is looked up in every stored plan version (重修)
    r12_grade: bool = True  # R12 keys on ID + code + 開課年級 (else ID + code)
    numeric: tuple[str, ...] = ()  # other numeric columns (W01 strict), read by no rule

    @property
    def required_core(self) -> tuple[tuple[str, ...], ...]:
        cols = [ID_NAMES, BIRTH_NAMES, self.code, self.subject, self.grade]
        if self.credits:
            cols.append(self.credits)
        return tuple(cols)

    @property
    def required_final(self) -> tuple[tuple[str, ...], ...]:
        cols: list[tuple[str, ...]] = []
        if self.hours:
            cols += [(self.hours[0],), (self.hours[1],)]
        for pair in self.pairs:
            cols += [(pair.score,), (pair.passed,)]
        if self.counts:
            cols.append(self.counts)
        return tuple(cols)

    @property
    def grade_columns(self) -> tuple[str, ...]:
        return tuple(c for p in self.pairs for c in (p.score, p.passed))


def _continuing(names: tuple[str, ...]) -> tuple[str, ...]:
    return (names[1], names[0])


_DAY_CREDITS = ("修課學分", "修課節數")
_DAY_COUNTS = ("是否採計學分", "是否採計學時")
_CONT_CREDITS = _continuing(_DAY_CREDITS)
_CONT_COUNTS = _continuing(_DAY_COUNTS)
_MAKEUP = GradePair("補考成績", "補考及格", r14=False)

DAY_SEMESTER = SheetKind(
    "day_semester",
    "學期成績",
    "day",
    pairs=(GradePair("學期學業成績", "成績及格"), _MAKEUP),
    makeup="day",
)
CONT_SEMESTER = SheetKind(
    "continuing_semester",
    "學期成績",
    "continuing",
    credits=_CONT_CREDITS,
    counts=_CONT_COUNTS,
    pairs=(GradePair("學期學業成績", "成績及格"), GradePair("學年學業成績", "學年及格")),
    signature=("學年學業成績", "學年及格"),
)
DAY_RETAKE = SheetKind(
    "day_retake",
    "補修成績",
    "day",
    term=("應修課學期",),
    pairs=(GradePair("補修成績", "補修及格"), _MAKEUP),
    makeup="day",
    signature=("應修課學期", "補修及格"),
    numeric=("應修課學年度", "補修方式"),
)
DAY_TRANSFER = SheetKind(
    "day_transfer",
    "轉學轉科成績",
    "day",
    grade=("對應年級", "開課年級"),
    term=("對應學期",),
    pairs=(GradePair("抵免後成績", "成績及格"),),
    signature=("對應年級", "抵免後成績"),
    numeric=("對應學年度", "身分別"),
)
CONT_TRANSFER = SheetKind(
    "continuing_transfer",
    "轉學轉科成績",
    "continuing",
    grade=("對應年級", "開課年級"),
    credits=_CONT_CREDITS,
    term=("對應學期",),
    counts=_CONT_COUNTS,
    pairs=(GradePair("抵免後成績", "成績及格"),),
    signature=("對應年級", "抵免後成績"),
    numeric=("對應學年度", "身分別"),
)
CONT_MAKEUP = SheetKind(
    "continuing_makeup",
    "補考成績",
    "continuing",
    credits=(),
    counts=(),
    hours=("第一學期開設修課節數", "第二學期開設修課節數"),
    pairs=(GradePair("第一次補考成績", "第一次及格"), GradePair("第二次補考成績", "第二次及格")),
    makeup="continuing",
    credit_score=False,
    signature=("第一次補考成績", "第一學期開設修課節數"),
)
REPEAT_COURSE = SheetKind(
    "repeat_course",
    "重修成績",
    None,
    roster="retake",
    code=("原修課課程代碼",),
    subject=("原修課科目名稱",),
    grade=("原修課開課年級",),
    credits=("原修課修課學分", "原修課修課節數"),
    term=("原修課學期",),
    counts=(),
    pairs=(GradePair("重修成績", "重修及格"),),
    credit_score=False,
    signature=("原修課課程代碼", "重修及格"),
    all_plans=True,
    r12_grade=False,
    numeric=("原修課學年度", "重修方式"),
)
REREAD = SheetKind(
    "reread",
    "重讀成績",
    None,
    roster="retake",
    pairs=(
        GradePair("再次修習成績", "再次修習成績及格"),
        _MAKEUP,
        GradePair("重讀成績", "成績及格"),
    ),
    makeup="day",
    signature=("重讀成績", "再次修習成績"),
)

SHEET_KINDS: tuple[SheetKind, ...] = (
    DAY_SEMESTER,
    CONT_SEMESTER,
    DAY_RETAKE,
    DAY_TRANSFER,
    CONT_TRANSFER,
    CONT_MAKEUP,
    REPEAT_COURSE,
    REREAD,
)
SHEET_NAMES = frozenset(k.name for k in SHEET_KINDS)
# order in which sheets are checked: 學期成績 before 補考成績 (R16 reads the 學期成績 rows)
KIND_ORDER = {k.name: i for i, k in enumerate(SHEET_KINDS)}

KNOWN_HEADERS = frozenset(
    normalize_header(n)
    for names in (
        ID_NAMES,
        BIRTH_NAMES,
        STUDENT_NAME,
        STUDENT_CLASS,
        STUDENT_SEAT,
        STUDENT_NUMBER,
        REMARKS,
        TEXT_COLUMNS,
        *(
            (*k.code, *k.subject, *k.grade, *k.credits, *k.term, *k.counts, *k.grade_columns, *k.numeric)
            + (k.hours or ())
            for k in SHEET_KINDS
        ),
    )
    for n in names
)


def sheet_base(name: str) -> tuple[str, bool] | None:
    """(base name, is a (缺) sheet) when ``name`` is a roster data sheet's name (NFKC)."""
    norm = normalize_header(name)
    missing = norm.endswith(MISSING_SUFFIX)
    base = norm[: -len(MISSING_SUFFIX)] if missing else norm
    return (base, missing) if base in SHEET_NAMES else None


def _has(headers: set[str], names: tuple[str, ...]) -> bool:
    return any(normalize_header(n) in headers for n in names)


def kind_for(base: str | None, headers: set[str], division: str | None) -> SheetKind:
    """The kind of a sheet from its base name (None: not named like a data sheet) and its headers.

    Among kinds of the same name, the one whose own columns the sheet has wins; else the one of
    the roster's division; else the day school's.
    """
    candidates = [k for k in SHEET_KINDS if base is None or k.name == base]
    signed = [k for k in candidates if k.signature and _has(headers, k.signature)]
    if base is None and signed:
        candidates = signed
    if len(candidates) > 1:
        continuing = _has(headers, ("修課節數", "是否採計學時", "學年學業成績", "學年及格"))
        day = _has(headers, ("修課學分", "是否採計學分", "補考成績", "補考及格"))
        wanted = "continuing" if continuing and not day else "day" if day and not continuing else division
        # nothing tells the division: the day school's kind (not a 重修重讀 kind, whose division
        # is None and would match any)
        matching = [k for k in candidates if k.division in ((wanted or "day"), None)]
        candidates = matching or candidates
    return candidates[0]


# Rosters that are not 修課/成績 rosters (F06): name, sheet-name words, signature columns, and
# whether the roster has course columns itself (課程學習成果 carries 課程代碼, 科目名稱, 開課年級).
OTHER_ROSTERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    (
        "學生課程學習成果名冊",
        ("課程學習成果",),
        ("成果簡述", "實際修課學期", "課程學習成果簡述", "成果名稱"),
        True,
    ),
    ("校內幹部經歷名冊", ("幹部經歷", "幹部"), ("單位名稱", "擔任職務", "幹部等級"), False),
    (
        "多元學習表現名冊",
        ("多元表現", "多元學習表現"),
        ("多元表現名稱", "多元表現綜整心得", "表現類別", "多元表現簡述"),
        False,
    ),
    (
        "學生資料名冊（學籍資料）",
        ("學生資料", "學籍"),
        ("性別代碼", "學籍狀態", "部別代碼", "班別", "科班學程別代碼", "學籍異動日期", "班級名稱"),
        False,
    ),
)


def other_roster(sheet_names: list[str], headers: set[str]) -> tuple[str, str] | None:
    """(roster name, why) when the sheets/columns are those of another roster (F06), else None.

    ``headers`` are the normalised headers of every sheet that is not a data sheet. A workbook
    with 課程代碼 is another roster only when that roster has course columns itself (課程學習成果).
    """
    has_code = _has(headers, ("課程代碼", "原修課課程代碼"))
    norms = [normalize_header(n) for n in sheet_names]
    for roster, words, columns, with_code in OTHER_ROSTERS:
        if has_code and not with_code:
            continue
        hits = [c for c in columns if normalize_header(c) in headers]
        if len(hits) >= 2 or (hits and with_code):
            return roster, f"欄位有{'、'.join(hits)}"
        named = [n for n, norm in zip(sheet_names, norms, strict=True) if any(w in norm for w in words)]
        if named and hits:
            return roster, f"工作表「{named[0]}」、欄位{hits[0]}"
    # a school's own student list (學號, 姓名, 班級, 座號 beside 身分證號) with no course column at all
    course = ("課程代碼", "原修課課程代碼", "科目名稱", "原修課科目名稱", "開課年級", "修課學分", "修課節數")
    student = [
        c for c in ("學號", "姓名", "班級", "座號", "班級名稱", "性別") if normalize_header(c) in headers
    ]
    if not _has(headers, course) and _has(headers, ID_NAMES) and len(student) >= 2:
        return OTHER_ROSTERS[-1][0], f"欄位有{'、'.join(student)}，沒有課程代碼、科目名稱等課程欄位"
    return None
