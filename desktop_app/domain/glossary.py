"""The zh-TW words and formats every screen, PDF and export uses (one place, one spelling).

- 學期: ``115學年度第1學期`` in prose (titles, sentences), ``115-1`` in table cells.
- Dates: ROC ``115/12/03`` in tables and input fields, ``115年12月3日`` in prose (letters, slips).
- Export buttons: ``匯出 Excel…`` / ``匯出 PDF…`` (never "(xlsx)…", "xlsx…", "Excel（.xlsx）…").
- Student-facing text (slips, reminders) says 你, never 您.
- Status words always come with an icon (status never by colour alone) and the palette is
  colour-blind safe (Okabe–Ito).

Words the user must never read (developer words) are listed in :data:`DEVELOPER_WORDS`; a test scans
the UI modules' string literals and the rendered PDFs/xlsx for them.
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain.roc_date import format_roc, format_roc_long

# -- 學期 ------------------------------------------------------------------------------------


def term_prose(year: int, term: int | None = None) -> str:
    """``115學年度第1學期`` (or ``115學年度`` without a 學期): for titles and sentences."""
    if term in (1, 2):
        return f"{year}學年度第{term}學期"
    return f"{year}學年度"


def term_cell(year: int, term: int | None = None) -> str:
    """``115-1`` (or ``115``): for table cells and narrow columns."""
    if term in (1, 2):
        return f"{year}-{term}"
    return str(year)


# -- dates -----------------------------------------------------------------------------------


def date_cell(d: date | None) -> str:
    """``115/12/03``: tables, lists, input fields."""
    return format_roc(d)


def date_prose(d: date | None) -> str:
    """``115年12月3日``: sentences and printed slips."""
    return format_roc_long(d)


def print_date_line(d: date | None = None) -> str:
    """「列印日期：115年12月3日」 (today by default)."""
    return f"列印日期：{date_prose(d or date.today())}"


# -- buttons and menu words ------------------------------------------------------------------

EXPORT_XLSX = "匯出 Excel…"


def export_xlsx(what: str = "") -> str:
    """「匯出 Excel…」 or, naming what is exported, 「匯出成員名單 Excel…」."""
    return f"匯出{what} Excel…" if what else EXPORT_XLSX


EXPORT_PDF = "匯出 PDF…"
PRINT_PDF = "列印 PDF…"
ADD_ATTACHMENT = "加入附件…"
DUPLEX_OPTION = "雙面列印：每位學生從新的一張開始"

# -- addressing ------------------------------------------------------------------------------

YOU_STUDENT = "你"  # student-facing text (slips, reminders); 您 is not used there

# -- statuses: word + icon (never colour alone) and an Okabe–Ito colour ------------------------
# (text colours darkened a little from the Okabe–Ito palette so words stay readable on white)

OK_COLOUR = "#007A5E"  # bluish green
WARN_COLOUR = "#A86A00"  # orange
BAD_COLOUR = "#C04000"  # vermillion
INFO_COLOUR = "#0072B2"  # blue
NEUTRAL_COLOUR = "#6B6B6B"  # grey

# icons every CJK font has (Big5 symbols: 標楷體 and 細明體 print them too)
ICON_OK = "√"
ICON_PARTIAL = "△"
ICON_BAD = "╳"
ICON_EMPTY = "○"
ICON_WARN = "！"
ICON_NA = "－"
ICON_BUSY = "◎"

STATUS_ICONS = {
    "符合": ICON_OK,
    "部分符合": ICON_PARTIAL,
    "不符合": ICON_BAD,
    "未填": ICON_EMPTY,
    "不適用": ICON_NA,
    "逾期": ICON_BAD,
    "即將到期": ICON_WARN,
    "已完成": ICON_OK,
    "完成": ICON_OK,
    "未開始": ICON_EMPTY,
    "進行中": ICON_BUSY,
    "已確認": ICON_OK,
    "視為已確認": ICON_OK,
    "有疑義": ICON_WARN,
    "未確認": ICON_EMPTY,
    "免確認": ICON_NA,
}

STATUS_COLOURS = {
    "符合": OK_COLOUR,
    "部分符合": WARN_COLOUR,
    "不符合": BAD_COLOUR,
    "未填": NEUTRAL_COLOUR,
    "不適用": NEUTRAL_COLOUR,
    "逾期": BAD_COLOUR,
    "即將到期": WARN_COLOUR,
    "已完成": OK_COLOUR,
    "未開始": NEUTRAL_COLOUR,
    "進行中": INFO_COLOUR,
}


def status_label(word: str) -> str:
    """「✓ 符合」: the status word with its icon (the word alone when it has none)."""
    icon = STATUS_ICONS.get(word)
    return f"{icon} {word}" if icon else word


# -- the words a user must never read -----------------------------------------------------------

DEVELOPER_WORDS = (
    "SHA-256",
    "SHA256",
    "CP950",
    "cp950",
    "Unicode 私用區",
    "Unicode私用區",
    "TrueType",
    "結束日 − 開始日 + 1",
    "結束日 - 開始日 + 1",
    "開學日+0 天",
    "0.00 秒",
    "Traceback",
)

FILE_CHECKSUM = "檔案核對碼"  # what the user reads for a file's SHA-256


def duration_text(seconds: float) -> str:
    """「1.2 秒」, 「不到 0.1 秒」: never 「0.00 秒」."""
    if seconds < 0.1:
        return "不到 0.1 秒"
    return f"{seconds:.1f} 秒"


def offset_text(anchor: str, days: int) -> str:
    """「開學日當天」, 「開學日後 13 天」, 「休業式前 3 天」: never 「開學日+0 天」."""
    if days == 0:
        return f"{anchor}當天"
    return f"{anchor}{'後' if days > 0 else '前'} {abs(days)} 天"


# the receipts' plain-language gloss (one line, for parents)
RECEIPTS_GLOSS = (
    "「收訖明細」是國教署學習歷程資料庫「已收到」的你的資料清單，請核對內容是否正確。"
)
