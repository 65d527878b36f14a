"""Printable PDF agenda of the 作業期程 (A4 landscape, ROC dates, owners, status) for the
working-group meeting. Fonts come only from :mod:`desktop_app.exports.fonts` (embedded TrueType)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.domain.calendar import DeadlineItem
from desktop_app.domain.glossary import (
    BAD_COLOUR,
    ICON_BAD,
    ICON_OK,
    ICON_WARN,
    OK_COLOUR,
    WARN_COLOUR,
)
from desktop_app.domain.roc_date import Term, format_roc, format_roc_long
from desktop_app.exports.cjk_wrap import wrap_text
from desktop_app.exports.fonts import FontChain, font_chain
from desktop_app.exports.pdf_pages import numbered_canvas, page_of

COLUMNS = ("截止", "期間", "項目", "工作／內容", "主責", "狀態", "文號／備註")
# 273 mm between the margins of A4 landscape; 文號／備註 holds a full 文號 on one line
COL_WIDTHS = (20 * mm, 37 * mm, 22 * mm, 74 * mm, 32 * mm, 24 * mm, 64 * mm)
CELL_PAD = 13.0  # the table's left + right cell padding (6 + 6) and a hair
# Okabe–Ito colours (darkened for text on white), always with an icon and a word:
# a black-and-white printer keeps the meaning
STATE_COLOURS = {"overdue": BAD_COLOUR, "due-soon": WARN_COLOUR, "done": OK_COLOUR}
STATE_ICONS = {"overdue": ICON_BAD, "due-soon": ICON_WARN, "done": ICON_OK}
LEGEND = f"狀態：{ICON_BAD} 逾期（紅）　{ICON_WARN} 7 日內到期（橘）　{ICON_OK} 已完成（綠）"


class _Text:
    """Paragraphs whose characters each go to a font that has them (primary + fallbacks)."""

    def __init__(self, chain: FontChain) -> None:
        self.chain = chain
        base = chain.primary.name
        self.body = ParagraphStyle("body", fontName=base, fontSize=9, leading=12)
        self.small = ParagraphStyle("small", fontName=base, fontSize=8, leading=10.5)
        self.head = ParagraphStyle("head", fontName=base, fontSize=9.5, leading=12, textColor=colors.white)
        self.title = ParagraphStyle("title", fontName=base, fontSize=16, leading=21)
        self.sub = ParagraphStyle("sub", fontName=base, fontSize=10, leading=14, textColor=colors.grey)
        self.term = ParagraphStyle("term", fontName=base, fontSize=12, leading=16, spaceBefore=6)

    def markup(self, text: str) -> str:
        parts = []
        for line_no, line in enumerate(text.split("\n")):
            if line_no:
                parts.append("<br/>")
            for font_name, run in self.chain.runs(line):
                parts.append(f'<font name="{font_name}">{escape(run)}</font>')
        return "".join(parts)

    def para(
        self,
        text: str,
        style: ParagraphStyle | None = None,
        colour: str | None = None,
        width: float | None = None,
    ) -> Paragraph:
        """A paragraph; with ``width`` (points) pre-wrapped so no line starts with 「）」 or 「，」."""
        style = style or self.body
        if width is not None:
            text = "\n".join(wrap_text(self.chain, text, style.fontSize, width - CELL_PAD))
        body = self.markup(text)
        if colour:
            body = f'<font color="{colour}">{body}</font>'
        return Paragraph(body, style)


def _row(t: _Text, item: DeadlineItem) -> list[Paragraph]:
    window = ""
    if item.start_date and item.start_date != item.due_date:
        window = f"{format_roc(item.start_date)}－{format_roc(item.due_date)}"
    work = item.title if item.kind == "data" else f"{item.title}\n{item.content}".strip()
    if item.is_official:
        work = f"【國教署】{work}"
    icon = STATE_ICONS.get(item.state)
    status = f"{icon} {item.status_label}" if icon and item.state == "done" else item.status_label
    if item.state in ("overdue", "due-soon"):
        status = f"{item.status_label}\n{icon} {item.state_title}"
    if item.done_on is not None:
        status = f"{status}\n{format_roc(item.done_on)}"
    notes = "\n".join(x for x in (item.doc_no, item.rosters, item.note, *item.warnings) if x)
    w = COL_WIDTHS
    return [
        t.para(format_roc(item.due_date) or "待公告", width=w[0]),
        t.para(window, t.small, width=w[1]),
        t.para(item.item, t.small, width=w[2]),
        t.para(work, width=w[3]),
        t.para(item.owners, t.small, width=w[4]),
        t.para(status, colour=STATE_COLOURS.get(item.state), width=w[5]),
        t.para(notes, t.small, width=w[6]),
    ]


def write_agenda_pdf(
    items: Sequence[DeadlineItem],
    path: Path | str,
    *,
    year: int,
    school_name: str = "",
    today: date | None = None,
    font_path: str | Path | None = None,
) -> Path:
    """Write the agenda of a 學年度, one table per 學期 (undated items last).

    Raises :class:`~desktop_app.exports.fonts.FontNotFoundError` when no CJK font is found.
    """
    chain = font_chain(font_path)
    t = _Text(chain)
    today = today or date.today()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"{school_name}　{year}學年度 學生學習歷程檔案作業期程".strip("　")
    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=school_name or "desktop-app",
    )
    story: list[Any] = [
        t.para(title, t.title),
        t.para(
            f"列印日期：{format_roc_long(today)}　共 {len(items)} 項　{LEGEND}",
            t.sub,
        ),
        Spacer(1, 4 * mm),
    ]
    groups: dict[int | None, list[DeadlineItem]] = {}
    for item in items:
        groups.setdefault(item.term, []).append(item)
    for term in sorted(groups, key=lambda k: (k is None, k or 0)):
        heading = Term(year, term).title if term in (1, 2) else f"{year}學年度（未分學期）"
        story.append(t.para(heading, t.term))
        data = [[t.para(c, t.head) for c in COLUMNS]]
        data += [_row(t, i) for i in groups[term]]
        table = Table(data, colWidths=COL_WIDTHS, repeatRows=1)
        style: list[Any] = [  # reportlab's stubs type each command tuple narrowly
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#34587a")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa7b4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for n, item in enumerate(groups[term], start=1):
            if item.is_official:
                style.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#eef3fb")))
        table.setStyle(TableStyle(style))
        story.append(table)
        story.append(Spacer(1, 3 * mm))

    def footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        text = f"{title}　{page_of(number, total)}"
        x = landscape(A4)[0] - 12 * mm
        for font_name, run in reversed(chain.runs(text)):
            x -= canvas.stringWidth(run, font_name, 8)
            canvas.setFont(font_name, 8)
            canvas.drawString(x, 8 * mm, run)
        canvas.restoreState()

    doc.build(story, canvasmaker=numbered_canvas(footer))
    return path
