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
from desktop_app.domain.working_group import CompositionResult, MeetingInfo, MemberInfo, split_guest
from desktop_app.exports.fonts import find_cjk_font
from desktop_app.exports.pdf_pages import numbered_canvas, page_of
from desktop_app.exports.xlsx_safe import append_safe, save_workbook, write_cell

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
    for cells in ws.iter_rows(min_row=3):
        for cell in cells:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path


ROW_H = 13 * mm
BOTTOM = 22 * mm  # rows stop above the footer line


class _SigninSheet:
    """The sign-in sheet's pages on one canvas: page header, table headers, rows with a signature box."""

    def __init__(self, canvas: Canvas, font: str, school_name: str, meeting: MeetingInfo) -> None:
        self.canvas, self.font = canvas, font
        self.school_name, self.meeting = school_name, meeting
        self.width, self.height = float(A4[0]), float(A4[1])
        self.left, self.right = 18 * mm, self.width - 18 * mm
        self.columns = [("序號", 14 * mm), ("席次", 36 * mm), ("職稱", 32 * mm), ("姓名", 30 * mm)]
        self.columns.append(("簽名", (self.right - self.left) - sum(w for _, w in self.columns)))

    def fit(self, text: str, size: float, max_w: float) -> float:
        """The font size (down to 6 pt) at which ``text`` fits in ``max_w``."""
        while size > 6 and stringWidth(text, self.font, size) > max_w:
            size -= 0.5
        return float(size)

    def header(self) -> float:
        """School and meeting titles, date, time and place; returns the y below them."""
        c, meeting, top = self.canvas, self.meeting, self.height
        middle, span = self.width / 2, self.right - self.left
        title = f"{self.school_name}學生學習歷程檔案工作小組"
        c.setFont(self.font, self.fit(title, 18, span))
        c.drawCentredString(middle, top - 22 * mm, title)
        c.setFont(self.font, self.fit(f"{meeting.title} 簽到表", 15, span))
        c.drawCentredString(middle, top - 31 * mm, f"{meeting.title} 簽到表")
        c.setFont(self.font, 11)
        weekday = "一二三四五六日"[meeting.held_on.weekday()]
        c.drawString(self.left, top - 41 * mm, f"日期：{format_roc_long(meeting.held_on)}（星期{weekday}）")
        c.drawString(self.left + 66 * mm, top - 41 * mm, f"時間：{meeting.start_time or '＿＿時＿＿分'}")
        place = f"地點：{meeting.location or '＿＿＿＿＿＿'}"
        c.setFont(self.font, self.fit(place, 11, span - 108 * mm))
        c.drawString(self.left + 108 * mm, top - 41 * mm, place)
        return float(top - 46 * mm)

    def table_header(self, y: float, label: str = "出席人員") -> float:
        """The group's label and the grey header row; returns the y below it."""
        c = self.canvas
        c.setFont(self.font, 11)
        c.drawString(self.left, y - 5 * mm, label)
        y -= 8 * mm
        c.setFillGray(0.9)
        c.rect(self.left, y - 8 * mm, self.right - self.left, 8 * mm, stroke=0, fill=1)
        c.setFillGray(0)
        x = self.left
        for title, w in self.columns:
            c.drawCentredString(x + w / 2, y - 5.6 * mm, title)
            x += w
        self.grid(y, 8 * mm)
        return float(y - 8 * mm)

    def grid(self, y: float, h: float) -> None:
        c = self.canvas
        c.setLineWidth(0.6)
        c.rect(self.left, y - h, self.right - self.left, h, stroke=1, fill=0)
        x = self.left
        for _, w in self.columns[:-1]:
            x += w
            c.line(x, y, x, y - h)

    def row(self, y: float, values: Sequence[str]) -> float:
        """One person's row (the signature cell left empty); returns the y below it."""
        self.grid(y, ROW_H)
        x = self.left
        for (_, w), value in zip(self.columns, values, strict=False):
            size = self.fit(value, 11, w - 3 * mm)
            self.canvas.setFont(self.font, size)
            self.canvas.drawCentredString(x + w / 2, y - ROW_H / 2 - size / 3, value)
            x += w
        return float(y - ROW_H)

    def new_page(self, label: str | None = "出席人員") -> float:
        """Start a page: the page header, then (unless ``label`` is None) a table header."""
        self.canvas.showPage()
        y = self.header()
        return y if label is None else self.table_header(y, label)

    def rows(self, y: float, rows: Sequence[Sequence[str]], label: str) -> float:
        """``rows`` from ``y`` on, continued on new pages under the ``label`` table header."""
        for values in rows:
            if y - ROW_H < BOTTOM:
                y = self.new_page(label)
            y = self.row(y, values)
        return y


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
    width = A4[0]

    def page_footer(c: Canvas, number: int, total: int) -> None:
        c.setFont(font, 9)
        c.drawRightString(width - 18 * mm, 14 * mm, page_of(number, total))

    canvas = numbered_canvas(page_footer)(str(path), pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{meeting.title} 簽到表")
    canvas.setAuthor(school_name)
    sheet = _SigninSheet(canvas, font, school_name, meeting)
    rows = [(str(i), m.seat.label, m.title, m.name) for i, m in enumerate(members, start=1)]
    y = sheet.rows(sheet.table_header(sheet.header()), rows, "出席人員")
    guests = [g.strip() for g in meeting.guests.splitlines() if g.strip()]
    if guests:
        if y - ROW_H - 16 * mm < BOTTOM:
            y = sheet.new_page(None)
        y = sheet.table_header(y - 4 * mm, "列席人員")
        guest_rows = [(str(i), "列席", *split_guest(guest)) for i, guest in enumerate(guests, start=1)]
        sheet.rows(y, guest_rows, "列席人員")
    canvas.setFont(font, 9)
    canvas.drawString(sheet.left, 14 * mm, f"應出席 {len(rows)} 人　實到＿＿人　請假＿＿人")
    canvas.showPage()
    canvas.save()
    return path
