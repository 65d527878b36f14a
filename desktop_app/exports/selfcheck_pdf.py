"""The filled self-check form as an A4 PDF: sections and items with answers and notes, ROC dates,
signature lines 承辦人 / 單位主管 / 校長. Fonts come from :mod:`desktop_app.exports.fonts` only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.domain.glossary import BAD_COLOUR, STATUS_COLOURS, STATUS_ICONS, status_label
from desktop_app.domain.roc_date import format_roc
from desktop_app.domain.selfcheck import AnswerType, ExportRow, FillDocument
from desktop_app.exports.cjk_wrap import wrap_text
from desktop_app.exports.fonts import FontChain, font_chain
from desktop_app.exports.pdf_pages import numbered_canvas, page_of

SIGNATURES = ("承辦人", "單位主管", "校長")
COL_WIDTHS = (13 * mm, 80 * mm, 22 * mm, 65 * mm)  # 編號 檢核項目 檢核結果 備註／佐證 (180 mm of 210)
CELL_PAD = 7.0  # the table's left + right cell padding (3 + 3) and a hair


def _markup(chain: FontChain, text: str) -> str:
    """Paragraph markup drawing each character with a font of the chain that has it."""
    parts = []
    for line in text.split("\n"):
        runs = chain.runs(line)
        parts.append(
            "".join(
                escape(run) if name == chain.primary.name else f'<font face="{name}">{escape(run)}</font>'
                for name, run in runs
            )
        )
    return "<br/>".join(parts)


class _Writer:
    """Paragraphs in the font chain's faces, in the form's styles (one per PDF written)."""

    def __init__(self, chain: FontChain) -> None:
        self.chain = chain
        self.font = chain.primary.name
        self.base = ParagraphStyle("sc", fontName=self.font, fontSize=9, leading=12.5, wordWrap="CJK")
        self.small = ParagraphStyle(
            "scs", parent=self.base, fontSize=8, leading=11, textColor=colors.HexColor("#333333")
        )
        self.head = ParagraphStyle("sch", parent=self.base, fontSize=9.5, leading=13)
        self.title = ParagraphStyle("sct", parent=self.base, fontSize=15, leading=20, alignment=1, spaceAfter=4)
        self.sub = ParagraphStyle("scsub", parent=self.base, fontSize=10, leading=14, alignment=1)
        self.sign = ParagraphStyle("scsign", parent=self.base, fontSize=11, leading=16)

    def p(
        self,
        text: str,
        style: ParagraphStyle | None = None,
        colour: str | None = None,
        width: float | None = None,
    ) -> Paragraph:
        """A paragraph; with ``width`` (the column's, points) pre-wrapped by :func:`wrap_text`, so no
        line starts with 「）」 or 「，」 and none ends with 「（」 (reportlab's CJK wrap allows both)."""
        style = style or self.base
        if width is not None:
            text = "\n".join(wrap_text(self.chain, text, style.fontSize, width - CELL_PAD))
        body = _markup(self.chain, text)
        if colour:
            body = f'<font color="{colour}">{body}</font>'
        return Paragraph(body, style)


def _title_block(w: _Writer, doc: FillDocument, title: str, printed: str) -> list[Flowable]:
    """Title, 學期 and version, status and print date, the draft warning, the legend."""
    story: list[Flowable] = [
        w.p(title, w.title),
        w.p(f"{doc.term.title}　（{doc.form.version} 版，{format_roc(doc.form.effective)} 生效）", w.sub),
        w.p(f"狀態：{doc.status_text}　列印日期：{printed}", w.sub),
    ]
    if not doc.final:
        story.append(w.p("【草稿】尚未定稿，內容可能再修改，不可作為正式檢核紀錄。", w.sub, BAD_COLOUR))
    legend = "　".join(status_label(v) for v in ("符合", "部分符合", "不符合", "不適用"))
    story += [w.p("檢核結果：" + legend, w.sub), Spacer(1, 4 * mm)]
    return story


def _answer_text(row: ExportRow, draft: bool) -> str:
    """The 檢核結果 cell: the answer (a status with its icon), a draft's date suggestion, the source."""
    answer = row.answer
    if not answer and row.kind == AnswerType.DATE.value and row.suggested_date and draft:
        answer = f"{row.suggested_date}\n（系統帶入，待確認）"
    if row.answer in STATUS_ICONS:
        answer = status_label(row.answer)
    answer = answer or "　"
    if row.source == "修改建議":
        answer += "\n（修改建議）"
    return answer


def _remarks(row: ExportRow) -> list[str]:
    """The 備註／佐證 cell's lines: the note, the system's evidence, the attachments' file names."""
    remarks = []
    if row.note:
        remarks.append(row.note)
    if row.evidence:
        remarks.append(f"［系統佐證］{row.evidence}")
    if row.attachments:
        remarks.append("［附件］" + "、".join(Path(a).name for a in row.attachments.split("\n")))
    return remarks


def _items_table(w: _Writer, doc: FillDocument) -> Table:
    """One row per item under its section's row; free text spans the result and remarks columns."""
    data: list[list[Any]] = [[w.p("編號", w.head), w.p("檢核項目", w.head), w.p("檢核結果", w.head), w.p("備註／佐證", w.head)]]
    styles: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    _id_w, text_w, answer_w, remarks_w = COL_WIDTHS
    current = None
    for row in doc.rows:
        if row.section != current:
            current = row.section
            data.append([w.p(current, w.head), "", "", ""])
            r = len(data) - 1
            styles += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#DDEBF7"))]
        answer, remarks = _answer_text(row, not doc.final), _remarks(row)
        if row.kind == "text":  # free text is long: it takes the result and remarks columns
            both = w.p("\n".join([answer, *remarks]), width=answer_w + remarks_w)
            data.append([w.p(row.id), w.p(row.text, width=text_w), both, ""])
            styles.append(("SPAN", (2, len(data) - 1), (3, len(data) - 1)))
        else:
            colour = STATUS_COLOURS.get(row.answer)
            data.append([
                w.p(row.id),
                w.p(row.text, width=text_w),
                w.p(answer, colour=colour, width=answer_w),
                w.p("\n".join(remarks), w.small, width=remarks_w),
            ])
    table = Table(data, colWidths=COL_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(styles))
    return table


def _signatures(w: _Writer) -> KeepTogether:
    """核章: 承辦人 / 單位主管 / 校長 with a line to sign on, kept on one page."""
    cells: list[Any] = []
    for label in SIGNATURES:
        cells += [w.p(f"{label}：", w.sign), ""]
    signs = Table([cells], colWidths=(28 * mm, 30 * mm) * 3)
    signs.setStyle(
        TableStyle(
            [
                *[("LINEBELOW", (i, 0), (i, 0), 0.6, colors.black) for i in (1, 3, 5)],
                ("TOPPADDING", (0, 0), (-1, -1), 14),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return KeepTogether([w.p("核章", w.head), Spacer(1, 2 * mm), signs])


def _page_decorator(font: str, doc: FillDocument, printed: str) -> Callable[[Canvas, int, int], None]:
    """What every page carries: the footer with 第n頁／共m頁, and on a draft the 草稿 watermark."""
    draft = not doc.final
    footer_text = f"{doc.form.title}　{doc.term.title}"

    def on_page(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        if draft:  # a draft says so on every page, across the page and in the corner
            canvas.setFillColor(colors.Color(0.75, 0.75, 0.75, alpha=0.35))
            canvas.setFont(font, 110)
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(40)
            canvas.drawCentredString(0, -40, "草稿")
            canvas.rotate(-40)
            canvas.translate(-A4[0] / 2, -A4[1] / 2)
            canvas.setFillColor(colors.HexColor(BAD_COLOUR))
            canvas.setFont(font, 11)
            canvas.drawRightString(A4[0] - 15 * mm, A4[1] - 10 * mm, "【草稿】")
        canvas.setFillColor(colors.black)
        canvas.setFont(font, 8)
        canvas.drawString(15 * mm, 10 * mm, footer_text + ("　草稿" if draft else ""))
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{page_of(number, total)}　列印 {printed}")
        canvas.restoreState()

    return on_page


def write_selfcheck_pdf(
    view: FillDocument,
    path: Path,
    *,
    school_name: str = "",
    font_path: str | Path | None = None,
    printed_on: date | None = None,
) -> Path:
    """Write ``view`` as an A4 PDF; returns the path. Raises FontNotFoundError without a CJK font."""
    w = _Writer(font_chain(font_path))
    printed = format_roc(printed_on or date.today())
    title = f"{school_name}{view.form.title}" if school_name else view.form.title
    story = _title_block(w, view, title, printed)
    story += [_items_table(w, view), Spacer(1, 12 * mm), _signatures(w)]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=school_name or "desktop-app",
        subject=view.term.title,
    )
    doc.build(story, canvasmaker=numbered_canvas(_page_decorator(w.font, view, printed)))
    return path
