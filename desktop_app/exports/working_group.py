"""工作小組 exports: the member list (xlsx) and a meeting sign-in sheet (簽到表, PDF)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.roc_date import format_roc, format_roc_long
from desktop_app.domain.working_group import CompositionResult, split_guest
from desktop_app.exports.fonts import find_cjk_font
from desktop_app.exports.pdf_pages import numbered_canvas, page_of
from desktop_app.exports.xlsx_safe import append_safe, save_workbook, write_cell
from desktop_app.services.working_group import MeetingInfo, MemberInfo

THIN = Side(style="thin", color="808080")


def write_member_list_xlsx(
    path: Path | str,
    *,
    school_name: str,
    year: int,
    members: Sequence[MemberInfo],
    composition: CompositionResult | None = None,
) -> Path:
    """One sheet 工作小組成員: 序號, 席次, 姓名, 職稱, 單位, 任期, 備註 (+ the composition check)."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "工作小組成員"
    append_safe(ws, [f"{school_name} {year}學年度 學生學習歷程檔案工作小組成員名單"])
    ws["A1"].font = Font(bold=True, size=14)
    headers = ["序號", "席次", "姓名", "職稱", "單位", "任期起", "任期迄", "備註"]
    append_safe(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    for i, m in enumerate(members, start=1):
        append_safe(ws, [i, m.seat.label, m.name, m.title, m.unit, format_roc(m.term_start), format_roc(m.term_end), m.note])
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:H{len(members) + 2}"
    for col, width in zip("ABCDEFGH", (6, 18, 12, 16, 12, 12, 12, 24), strict=True):
        ws.column_dimensions[col].width = width
    if composition is not None:
        row = len(members) + 4
        write_cell(ws, row, 1, "組成檢核").font = Font(bold=True)
        write_cell(ws, row, 2, composition.summary)
        for j, text in enumerate(composition.suggestions, start=1):
            write_cell(ws, row + j, 2, f"建議：{text}")
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path


def write_signin_pdf(
    path: Path | str,
    *,
    school_name: str,
    meeting: MeetingInfo,
    members: Sequence[MemberInfo],
    font_path: str | None = None,
) -> Path:
    """A4 sign-in sheet: school, meeting, ROC date, one row per member with a signature box.

    Guests (one per line in the meeting record) get rows under 列席人員. No ID numbers appear.
    Raises :class:`~desktop_app.exports.fonts.FontNotFoundError` when no CJK font is usable.
    """
    font = find_cjk_font(font_path).name
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    def page_footer(c: Canvas, number: int, total: int) -> None:
        c.setFont(font, 9)
        c.drawRightString(width - 18 * mm, 14 * mm, page_of(number, total))

    width, height = A4
    canvas = numbered_canvas(page_footer)(str(path), pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{meeting.title} 簽到表")
    canvas.setAuthor(school_name)
    left, right = 18 * mm, width - 18 * mm
    columns = [("序號", 14 * mm), ("席次", 36 * mm), ("職稱", 32 * mm), ("姓名", 30 * mm)]
    sign_w = (right - left) - sum(w for _, w in columns)
    columns.append(("簽名", sign_w))
    row_h = 13 * mm
    rows: list[tuple[str, str, str, str]] = [
        (str(i), m.seat.label, m.title, m.name) for i, m in enumerate(members, start=1)
    ]
    guests = [g.strip() for g in meeting.guests.splitlines() if g.strip()]

    def fit(text: str, size: float, max_w: float) -> float:
        while size > 6 and stringWidth(text, font, size) > max_w:
            size -= 0.5
        return size

    def header(page: int) -> float:
        title = f"{school_name}學生學習歷程檔案工作小組"
        canvas.setFont(font, fit(title, 18, right - left))
        canvas.drawCentredString(width / 2, height - 22 * mm, title)
        canvas.setFont(font, fit(f"{meeting.title} 簽到表", 15, right - left))
        canvas.drawCentredString(width / 2, height - 31 * mm, f"{meeting.title} 簽到表")
        canvas.setFont(font, 11)
        weekday = "一二三四五六日"[meeting.held_on.weekday()]
        when = f"日期：{format_roc_long(meeting.held_on)}（星期{weekday}）"
        canvas.drawString(left, height - 41 * mm, when)
        clock = meeting.start_time or "＿＿時＿＿分"
        canvas.drawString(left + 66 * mm, height - 41 * mm, f"時間：{clock}")
        place = f"地點：{meeting.location or '＿＿＿＿＿＿'}"
        canvas.setFont(font, fit(place, 11, right - left - 108 * mm))
        canvas.drawString(left + 108 * mm, height - 41 * mm, place)
        return height - 46 * mm

    def table_header(y: float, label: str = "出席人員") -> float:
        canvas.setFont(font, 11)
        canvas.drawString(left, y - 5 * mm, label)
        y -= 8 * mm
        canvas.setFillGray(0.9)
        canvas.rect(left, y - 8 * mm, right - left, 8 * mm, stroke=0, fill=1)
        canvas.setFillGray(0)
        x = left
        for title, w in columns:
            canvas.drawCentredString(x + w / 2, y - 5.6 * mm, title)
            x += w
        _grid(y, 8 * mm)
        return y - 8 * mm

    def _grid(y: float, h: float) -> None:
        canvas.setLineWidth(0.6)
        canvas.rect(left, y - h, right - left, h, stroke=1, fill=0)
        x = left
        for _, w in columns[:-1]:
            x += w
            canvas.line(x, y, x, y - h)

    def draw_row(y: float, values: Sequence[str]) -> float:
        _grid(y, row_h)
        x = left
        for (_, w), value in zip(columns, values, strict=False):
            size = fit(value, 11, w - 3 * mm)
            canvas.setFont(font, size)
            canvas.drawCentredString(x + w / 2, y - row_h / 2 - size / 3, value)
            x += w
        return y - row_h

    page = 1
    y = table_header(header(page))
    bottom = 22 * mm
    for values in rows:
        if y - row_h < bottom:
            canvas.showPage()
            page += 1
            y = table_header(header(page))
        y = draw_row(y, values)
    if guests:
        if y - row_h - 16 * mm < bottom:
            canvas.showPage()
            page += 1
            y = header(page)
        y = table_header(y - 4 * mm, "列席人員")
        for i, guest in enumerate(guests, start=1):
            if y - row_h < bottom:
                canvas.showPage()
                page += 1
                y = table_header(header(page), "列席人員")
            title, name = split_guest(guest)
            y = draw_row(y, (str(i), "列席", title, name))
    canvas.setFont(font, 9)
    canvas.drawString(left, 14 * mm, f"應出席 {len(rows)} 人　實到＿＿人　請假＿＿人")
    canvas.showPage()
    canvas.save()
    return path
