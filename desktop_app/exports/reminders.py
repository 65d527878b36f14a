"""Reminder lists for homeroom teachers (導師): one PDF, each class on its own page(s).

Each student gets the deck's reminder text 「1.收訖明細請於O月O日前完成確認。2.你已完成確認：…。
3.你尚未完成確認：…。」 (built by the receipts service; each point on its own line), so the 導師 can
read it out or hand it over; a 狀態 column (icon + word, plus a grey row for those still to chase)
tells finished students from unfinished ones, also on a black-and-white printer.
Same fonts, fallback and refusal of unprintable characters as the slips.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.progress import ProgressFn
from desktop_app.exports.files import check_pdf_target, save_pdf
from desktop_app.exports.fonts import FontChain, font_chain, is_pua
from desktop_app.exports.slips import (
    PrintProblem,
    UnprintableTextError,
    _marked,
    _Pen,
)

PAGE_W, PAGE_H = A4
MARGIN_X = 40.0
CONTENT_W = PAGE_W - 2 * MARGIN_X
TOP = PAGE_H - 36.0
BOTTOM = 40.0
TEXT_SIZE = 10.0
LINE_H = 13.5
COLS = (28.0, 80.0, 52.0, 54.0, CONTENT_W - 28.0 - 80.0 - 52.0 - 54.0 - 40.0, 40.0)
LABELS = ("座號", "姓名", "學號", "狀態", "提醒內容", "已轉達")  # 狀態: icon + word, never shade alone
TEXT_COL = 4
PENDING_FILL = 0.93  # rows still to chase: light grey as well as the word 「○ 未完成」
LEGEND = "狀態：○ 未完成＝尚有類別未確認，請提醒；！ 有疑義＝已提出疑義，處理中；√ 已完成＝不需再提醒"


class ReminderLike(Protocol):
    """What a reminder row needs (``services.receipts.ReminderLine`` has it; read-only, so a
    frozen dataclass fits)."""

    @property
    def class_name(self) -> str: ...
    @property
    def seat(self) -> int | None: ...
    @property
    def student_no(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def pending(self) -> tuple[str, ...]: ...
    @property
    def objections(self) -> tuple[str, ...]: ...
    @property
    def text(self) -> str: ...


def reminder_status(line: ReminderLike) -> str:
    """「○ 未完成」 / 「！ 有疑義」 / 「√ 已完成」 (icons every CJK font has, Big5 included)."""
    if line.pending:
        return "○ 未完成"
    if line.objections:
        return "！ 有疑義"
    return "√ 已完成"


def _wrap_points(pen: _Pen, text: str, size: float, width: float) -> list[str]:
    """Each reminder point on its own line(s): 1. 2. 3. never run together."""
    return [line for point in text.split("\n") for line in pen.wrap(point, size, width)]


@dataclass(frozen=True)
class ReminderReport:
    path: Path
    pages: int
    classes: int
    students: int
    problems: tuple[PrintProblem, ...] = ()


def _label(line: ReminderLike) -> str:
    seat = f" {line.seat}號" if line.seat is not None else ""
    return f"{line.class_name}{seat} " + "".join(_marked(c) if is_pua(c) else c for c in line.name)


def check_reminders_printable(
    lines_by_class: Mapping[str, Sequence[ReminderLike]], chain: FontChain
) -> list[PrintProblem]:
    found: dict[str, list[str]] = {}
    for lines in lines_by_class.values():
        for line in lines:
            for char in sorted({c for c in (line.name + line.text + line.class_name) if ord(c) > 0x7F}):
                if is_pua(char) or chain.font_for(char) is None:
                    found.setdefault(char, []).append(_label(line))
    return [
        PrintProblem(char, "造字" if is_pua(char) else "缺字", tuple(who))
        for char, who in sorted(found.items(), key=lambda kv: ord(kv[0]))
    ]


_Row = tuple[ReminderLike, list[str]]  # a student's line and its wrapped reminder text
HEADER_H = 78.0  # the class header above the table


@dataclass(frozen=True)
class _Page:
    class_name: str
    part: int  # 1, then 2 … for a class continued on the next page
    rows: list[_Row]


def write_reminders(
    path: str | Path,
    lines_by_class: Mapping[str, Sequence[ReminderLike]],
    *,
    school_name: str = "",
    batch_title: str = "",
    font_path: str | Path | None = None,
    progress: ProgressFn | None = None,
    allow_missing: bool = False,
    chain: FontChain | None = None,
) -> ReminderReport:
    """Write the reminder lists: per class a header, then one row per student (座號 order).

    Args:
        lines_by_class: class name → that class's reminder lines (any order; sorted by seat here).
        batch_title: e.g. ``113學年度第1學期　113-1 第1梯次``.
        progress: ``progress(page, pages)`` per page; may raise ``Cancelled`` (no file is left).

    Raises:
        FontNotFoundError, UnprintableTextError (see :func:`exports.slips.write_slips`).
    """
    target = check_pdf_target(path, "提醒名單")
    chain = chain or font_chain(font_path, lazy=True)
    problems = check_reminders_printable(lines_by_class, chain)
    if problems and not allow_missing:
        raise UnprintableTextError(problems, what="提醒名單")
    tmp = target.with_name(target.name + ".part")
    canvas = Canvas(str(tmp), pagesize=A4, pageCompression=1, initialFontName=chain.primary.name)  # type: ignore[arg-type]  # the stubs type it as a float
    canvas.setTitle(f"{school_name}收訖明細確認提醒 {batch_title}".strip())
    pen = _Pen(canvas, chain, {p.char: _marked(p.char) for p in problems})
    pages = _paginate(pen, lines_by_class)
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    students = 0
    try:
        for number, page in enumerate(pages, start=1):
            pen.page_started()
            _draw_header(pen, page, lines_by_class[page.class_name], school_name, batch_title)
            students += _draw_table(pen, canvas, page.rows)
            pen.draw(PAGE_W / 2, BOTTOM - 18, f"第 {number} 頁／共 {len(pages)} 頁", 8.5, "center")
            canvas.showPage()
            if progress is not None:
                progress(number, len(pages))
        if not pages:
            pen.draw(PAGE_W / 2, PAGE_H / 2, "（沒有符合條件的學生）", 14, "center")
            canvas.showPage()
        save_pdf(canvas, tmp, target, "提醒名單")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        rl_config.useA85 = a85
    return ReminderReport(target, max(1, len(pages)), len(lines_by_class), students, tuple(problems))


def _paginate(pen: _Pen, lines_by_class: Mapping[str, Sequence[ReminderLike]]) -> list[_Page]:
    """Each class's rows (座號 order, text wrapped) cut into pages; a class starts a new page."""
    pages: list[_Page] = []
    text_w = COLS[TEXT_COL] - 8
    room = TOP - HEADER_H - BOTTOM
    for class_name in sorted(lines_by_class):
        rows = sorted(
            lines_by_class[class_name], key=lambda r: (r.seat if r.seat is not None else 10_000, r.student_no)
        )
        avail, part = room, 1
        page_rows: list[_Row] = []
        for row in rows:
            wrapped = _wrap_points(pen, row.text, TEXT_SIZE, text_w)
            h = _row_height(wrapped)
            if page_rows and h > avail:
                pages.append(_Page(class_name, part, page_rows))
                page_rows, part, avail = [], part + 1, room
            page_rows.append((row, wrapped))
            avail -= h
        pages.append(_Page(class_name, part, page_rows))
    return pages


def _row_height(wrapped: list[str]) -> float:
    return len(wrapped) * LINE_H + 6


def _draw_header(
    pen: _Pen, page: _Page, all_rows: Sequence[ReminderLike], school_name: str, batch_title: str
) -> None:
    """Title, batch, class (「（續）」 on a continued page), the class's counts and the legend."""
    pending = sum(1 for r in all_rows if r.pending)
    pen.draw(PAGE_W / 2, TOP - 14, f"{school_name}學生學習歷程檔案收訖明細確認提醒", 15, "center")
    pen.draw(PAGE_W / 2, TOP - 31, batch_title, 10, "center")
    head = f"班級：{page.class_name}" + ("（續）" if page.part > 1 else "")
    pen.draw(MARGIN_X, TOP - 52, head, 13)
    pen.draw(
        MARGIN_X + 130,
        TOP - 52,
        f"共 {len(all_rows)} 人：○ 未完成 {pending} 人、√ 已完成或有疑義 {len(all_rows) - pending} 人"
        "　　導師簽名：＿＿＿＿＿＿",
        10,
    )
    pen.draw(MARGIN_X, TOP - 68, LEGEND, 8)


def _draw_table(pen: _Pen, canvas: Canvas, rows: list[_Row]) -> int:
    """The column labels, one row per student, the column lines and frame; returns the row count."""
    y = TOP - HEADER_H
    canvas.setFillGray(0.88)
    canvas.rect(MARGIN_X, y - 15, CONTENT_W, 15, stroke=0, fill=1)
    canvas.setFillGray(0)
    x = MARGIN_X
    for w, label in zip(COLS, LABELS, strict=True):
        pen.draw(x + w / 2, y - 11, label, 9, "center")
        x += w
    y -= 15
    canvas.setLineWidth(0.4)
    for row, wrapped in rows:
        y = _draw_row(pen, canvas, row, wrapped, y)
    top = TOP - HEADER_H
    x = MARGIN_X
    for w in COLS[:-1]:
        x += w
        canvas.line(x, top, x, y)
    canvas.setLineWidth(0.7)
    canvas.rect(MARGIN_X, y, CONTENT_W, top - y, stroke=1, fill=0)
    return len(rows)


def _draw_row(pen: _Pen, canvas: Canvas, row: ReminderLike, wrapped: list[str], y: float) -> float:
    """One student's row from ``y`` down (grey when still to chase); returns the row's bottom."""
    h = _row_height(wrapped)
    base = y - LINE_H + 1
    x = MARGIN_X
    if row.pending:
        canvas.setFillGray(PENDING_FILL)
        canvas.rect(MARGIN_X, y - h, CONTENT_W, h, stroke=0, fill=1)
        canvas.setFillGray(0)
    pen.draw(x + COLS[0] / 2, base, "" if row.seat is None else str(row.seat), TEXT_SIZE, "center")
    x += COLS[0]
    pen.draw(x + 4, base, pen.fit(row.name, TEXT_SIZE, COLS[1] - 8), TEXT_SIZE)
    x += COLS[1]
    pen.draw(x + 4, base, row.student_no, TEXT_SIZE)
    x += COLS[2]
    pen.draw(x + 4, base, reminder_status(row), TEXT_SIZE)
    x += COLS[3]
    for i, text in enumerate(wrapped):
        pen.draw(x + 4, base - i * LINE_H, text, TEXT_SIZE)
    x += COLS[TEXT_COL]
    canvas.rect(x + COLS[-1] / 2 - 4.5, base - 1, 9, 9, stroke=1, fill=0)
    canvas.setStrokeGray(0.6)
    canvas.line(MARGIN_X, y - h, MARGIN_X + CONTENT_W, y - h)
    canvas.setStrokeGray(0)
    return y - h
