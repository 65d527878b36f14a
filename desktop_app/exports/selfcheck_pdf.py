"""The filled self-check form as an A4 PDF: sections and items with answers and notes, ROC dates,
signature lines 承辦人 / 單位主管 / 校長. Fonts come from :mod:`desktop_app.exports.fonts` only."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop_app.domain.glossary import BAD_COLOUR, STATUS_COLOURS, STATUS_ICONS, status_label
from desktop_app.domain.roc_date import format_roc
from desktop_app.domain.selfcheck import AnswerType, display_answer
from desktop_app.exports.cjk_wrap import wrap_text
from desktop_app.exports.fonts import FontChain, font_chain
from desktop_app.exports.pdf_pages import numbered_canvas, page_of

if TYPE_CHECKING:
    from desktop_app.services.selfcheck import FillView

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


def write_selfcheck_pdf(
    view: FillView,
    path: Path,
    *,
    school_name: str = "",
    font_path: str | Path | None = None,
    printed_on: date | None = None,
) -> Path:
    """Write ``view`` as an A4 PDF; returns the path. Raises FontNotFoundError without a CJK font."""
    from desktop_app.services.selfcheck import export_rows

    chain = font_chain(font_path)
    font = chain.primary.name
    base = ParagraphStyle("sc", fontName=font, fontSize=9, leading=12.5, wordWrap="CJK")
    small = ParagraphStyle("scs", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#333333"))
    head = ParagraphStyle("sch", parent=base, fontSize=9.5, leading=13)
    title_style = ParagraphStyle("sct", parent=base, fontSize=15, leading=20, alignment=1, spaceAfter=4)
    sub_style = ParagraphStyle("scsub", parent=base, fontSize=10, leading=14, alignment=1)

    def p(text: str, style: ParagraphStyle = base, colour: str | None = None, width: float | None = None) -> Paragraph:
        """A paragraph; with ``width`` (the column's, points) pre-wrapped by :func:`wrap_text`, so no
        line starts with 「）」 or 「，」 and none ends with 「（」 (reportlab's CJK wrap allows both)."""
        if width is not None:
            text = "\n".join(wrap_text(chain, text, style.fontSize, width - CELL_PAD))
        body = _markup(chain, text)
        if colour:
            body = f'<font color="{colour}">{body}</font>'
        return Paragraph(body, style)

    from desktop_app.services.selfcheck import STATUS_FINAL

    draft = view.status != STATUS_FINAL
    suggestions = {s.item.id: s for s in view.items}

    printed = format_roc(printed_on or date.today())
    title = f"{school_name}{view.form.title}" if school_name else view.form.title
    story: list = [
        p(title, title_style),
        p(
            f"{view.term.title}　（{view.form.version} 版，{format_roc(view.form.effective)} 生效）",
            sub_style,
        ),
        p(f"狀態：{view.status_text}　列印日期：{printed}", sub_style),
    ]
    if draft:
        story.append(p("【草稿】尚未定稿，內容可能再修改，不可作為正式檢核紀錄。", sub_style, BAD_COLOUR))
    story.append(
        p(
            "檢核結果：" + "　".join(status_label(w) for w in ("符合", "部分符合", "不符合", "不適用")),
            sub_style,
        )
    )
    story.append(Spacer(1, 4 * mm))
    data: list[list] = [[p("編號", head), p("檢核項目", head), p("檢核結果", head), p("備註／佐證", head)]]
    styles: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    current = None
    for row in export_rows(view):
        if row["section"] != current:
            current = row["section"]
            data.append([p(current, head), "", "", ""])
            r = len(data) - 1
            styles += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#DDEBF7"))]
        answer = row["answer"]
        state = suggestions[row["id"]]
        if not answer and state.item.answer_type is AnswerType.DATE and state.suggested and draft:
            answer = f"{display_answer(state.item, state.suggested)}\n（系統帶入，待確認）"
        colour = STATUS_COLOURS.get(row["answer"])
        if row["answer"] in STATUS_ICONS:
            answer = status_label(row["answer"])
        answer = answer or "　"
        if row["source"] == "修改建議":
            answer += "\n（修改建議）"
        remarks = []
        if row["note"]:
            remarks.append(row["note"])
        if row["evidence"]:
            remarks.append(f"［系統佐證］{row['evidence']}")
        if row["attachments"]:
            remarks.append("［附件］" + "、".join(Path(a).name for a in row["attachments"].split("\n")))
        _id_w, text_w, answer_w, remarks_w = COL_WIDTHS
        if row["kind"] == "text":  # free text is long: it takes the result and remarks columns
            data.append(
                [p(row["id"]), p(row["text"], width=text_w), p("\n".join([answer, *remarks]), width=answer_w + remarks_w), ""]
            )
            r = len(data) - 1
            styles.append(("SPAN", (2, r), (3, r)))
        else:
            data.append(
                [
                    p(row["id"]),
                    p(row["text"], width=text_w),
                    p(answer, colour=colour, width=answer_w),
                    p("\n".join(remarks), small, width=remarks_w),
                ]
            )
    table = Table(data, colWidths=COL_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(styles))
    story.append(table)
    story.append(Spacer(1, 12 * mm))
    sign_style = ParagraphStyle("scsign", parent=base, fontSize=11, leading=16)
    cells = []
    for label in SIGNATURES:
        cells += [p(f"{label}：", sign_style), ""]
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
    story.append(KeepTogether([p("核章", head), Spacer(1, 2 * mm), signs]))

    footer_text = f"{view.form.title}　{view.term.title}"

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
    doc.build(story, canvasmaker=numbered_canvas(on_page))
    return path
