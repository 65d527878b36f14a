"""The filled self-check form as an xlsx workbook (one sheet, printable on A4 landscape)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from desktop_app.domain.roc_date import format_roc
from desktop_app.domain.selfcheck import FillDocument
from desktop_app.exports.xlsx_safe import append_safe, save_workbook, write_cell

HEADERS = ("編號", "檢核項目", "檢核結果", "答案來源", "系統佐證", "備註", "附件")
WIDTHS = (8, 60, 12, 10, 42, 36, 30)
SIGNATURES = ("承辦人", "單位主管", "校長")

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def write_selfcheck_xlsx(
    view: FillDocument, path: Path, *, school_name: str = "", printed_on: date | None = None
) -> Path:
    """Write ``view`` to ``path``; returns the path.

    Layout: title rows (school, form, 學期, version, status), a header row, then per section a
    section row followed by its items; signature lines 承辦人 / 單位主管 / 校長 at the end.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "自我檢核表"
    ncol = len(HEADERS)
    last = get_column_letter(ncol)
    title = f"{school_name}{view.form.title}" if school_name else view.form.title
    append_safe(ws, [title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_safe(ws, [f"{view.term.title}　版本 {view.form.version}（{format_roc(view.form.effective)} 生效）"])
    ws.merge_cells(f"A2:{last}2")
    append_safe(ws, [f"狀態：{view.status_text}　列印日期：{format_roc(printed_on or date.today())}"])
    ws.merge_cells(f"A3:{last}3")
    append_safe(ws, list(HEADERS))
    header_row = ws.max_row
    for col in range(1, ncol + 1):
        cell = ws.cell(header_row, col)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    current_section = None
    for row in view.rows:
        if row.section != current_section:
            current_section = row.section
            append_safe(ws, [current_section])
            r = ws.max_row
            ws.merge_cells(f"A{r}:{last}{r}")
            ws.cell(r, 1).font = Font(bold=True)
            ws.cell(r, 1).fill = _SECTION_FILL
            ws.cell(r, 1).border = _BORDER
        append_safe(ws,
            [row.id, row.text, row.answer, row.source, row.evidence, row.note, row.attachments]
        )
        r = ws.max_row
        for col in range(1, ncol + 1):
            ws.cell(r, col).alignment = _WRAP
            ws.cell(r, col).border = _BORDER
    append_safe(ws, [])
    append_safe(ws, [])
    sign_row = ws.max_row + 1
    for i, label in enumerate(SIGNATURES):
        col = 2 + i * 2 if i else 1
        write_cell(ws, sign_row, col, f"{label}：")
        ws.cell(sign_row, col).font = Font(bold=True)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:  # openpyxl makes one; its stubs allow None
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path
