"""Colours and the small HTML snippets of the 開課預檢 tab: one place for both.

A status is never told by colour alone: the words carry it, and the state marks are the glossary's
(:data:`~desktop_app.domain.glossary.ICON_OK` …), as on the other tabs.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from desktop_app.domain.glossary import ICON_BAD, ICON_OK, ICON_WARN
from desktop_app.domain.pass_marks import describe
from desktop_app.domain.precheck.model import PrecheckResult

ERROR = "#c0392b"  # errors, what got worse, late
WARNING = "#b9770e"  # warnings
OK = "#1e7b34"  # done, fixed, written
PENDING = "#7a5b00"  # not due yet
MUTED = "#555"  # secondary lines (file hints, notes, the 及格標準 line)
CARD_TEXT = "#333"
PATTERN_TITLE = "#8e2a1c"  # the 相同錯誤樣態 box: fix these at the source first
BAD_ROW = "#fde2e1"  # a table row that needs attention (an error, a failed run, 部定必修 not offered)
WARNING_ROW = "#fff4cc"  # the severity cell of a warning
DROP_BORDER = "#8a9bb5"
DROP_BACKGROUND = "#f7f9fc"

# severity → (text and border, card background, background of the chosen card)
CARD_COLOURS = {
    "error": (ERROR, "#fdecea", "#f8c9c3"),
    "warning": (WARNING, "#fef5e0", "#fbe3ad"),
}

MUTED_STYLE = f"color: {MUTED};"
OK_STYLE = f"color: {OK};"
PATTERNS_STYLE = f"QGroupBox {{ font-weight: bold; color: {PATTERN_TITLE}; }}"
DROP_BOX_STYLE = (
    f"#fileDropBox {{ border: 1px dashed {DROP_BORDER}; border-radius: 6px; background: {DROP_BACKGROUND}; }}"
)


def card_colours(severity: str) -> tuple[str, str, str]:
    """(text/border, background, chosen background) of a summary card; anything not an error is a warning."""
    return CARD_COLOURS["error" if severity == "error" else "warning"]


def card_style(severity: str, selected: bool) -> str:
    """The summary card's frame: a thick border and a deeper background when its code is chosen."""
    colour, background, chosen = card_colours(severity)
    border = f"3px solid {colour}" if selected else f"1px solid {colour}"
    return f"#summaryCard {{ background: {chosen if selected else background}; border: {border}; border-radius: 6px; }}"


def coloured(html: str, colour: str) -> str:
    """``html`` in ``colour`` (the caller escapes text that came from a file)."""
    return f"<span style='color:{colour}'>{html}</span>"


def deadline_html(in_time: bool | None, text: str) -> str:
    """The 1st-comparison deadline line: done in time, late, or still open, with its mark."""
    if in_time is None:
        return coloured(f"{ICON_WARN} {escape(text)}", PENDING)
    return coloured(f"{ICON_OK if in_time else ICON_BAD} {escape(text)}", OK if in_time else ERROR)


def fatal_html() -> str:
    """The head of a result whose file could not be checked."""
    return f"<b style='color:{ERROR}'>{ICON_BAD} 檔案無法檢核</b>　"


def run_status_text(ok: bool, message: str) -> str:
    """A run's 狀態 cell: 完成, or why the file could not be checked."""
    return f"{ICON_OK} 完成" if ok else f"{ICON_BAD} 無法檢核：{message}"


def diff_counts_html(fixed: int, new: int, remaining: int) -> str:
    """「已修正 n、新增 n、仍待修正 n」 with what got better in green and what got worse in red."""
    return (
        coloured(f"已修正 <b>{fixed:,}</b>", OK) + "、"
        + coloured(f"新增 <b>{new:,}</b>", ERROR) + "、"
        + f"仍待修正 <b>{remaining:,}</b>"
    )


def result_summary_html(
    result: PrecheckResult, *, kind: str, division: str, plan: str, when: str
) -> str:
    """The head of a shown result: file, 學期, roster kind, 部別, rows per sheet, counts, plan, 及格標準."""
    term = f"{result.year}學年度第{result.term}學期" if result.year and result.term else "學期未定"
    rows = "、".join(f"{s} {n:,} 列" for s, n in result.rows.items()) or "無資料列"
    marks = (
        f"<br>及格標準：{describe(result.pass_marks)}" if result.kind != "pre" and result.pass_marks else ""
    )
    return (
        f"{fatal_html() if result.fatal else ''}<b>{escape(Path(result.file).name, quote=False)}</b>（{term}，{kind}，"
        f"{division}）　{rows}<br>"
        f"錯誤 <b>{result.error_count:,}</b>、警告 <b>{result.warning_count:,}</b>，"
        f"使用課程計畫：{plan}　{when}{marks}"
    )
