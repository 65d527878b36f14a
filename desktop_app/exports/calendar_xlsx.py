"""xlsx export of the 作業期程 (one sheet, ROC dates as text, overdue rows tinted)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop_app.domain.calendar import DeadlineItem
from desktop_app.domain.roc_date import format_roc
from desktop_app.exports.xlsx_print import set_print_layout
from desktop_app.exports.xlsx_safe import append_safe, save_workbook

HEADERS = (
    "學期",
    "項目",
    "工作",
    "內容",
    "時程",
    "主責",
    "開始",
    "截止",
    "狀態",
    "完成日",
    "期限狀態",
    "類別",
    "文號",
    "名冊/資料",
    "備註",
)
WIDTHS = (8, 12, 22, 36, 14, 22, 11, 11, 8, 11, 10, 8, 28, 24, 30)
KIND_TITLES = {"task": "工作", "official": "國教署", "data": "資料"}
FILLS = {"overdue": "FFD7D7", "due-soon": "FFEBC2", "done": "E2F0D9"}


def item_row(item: DeadlineItem) -> list[str]:
    notes = "；".join(x for x in (item.note, *item.warnings) if x)
    return [
        f"{item.year}-{item.term}" if item.term else str(item.year),
        item.item,
        item.title,
        item.content,
        item.timing,
        item.owners,
        format_roc(item.start_date),
        format_roc(item.due_date),
        item.status_label,
        format_roc(item.done_on),
        item.state_title,
        KIND_TITLES.get(item.kind, item.kind),
        item.doc_no,
        item.rosters,
        notes,
    ]


def write_xlsx(items: Sequence[DeadlineItem], path: Path | str, title: str = "作業期程") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "作業期程"
    append_safe(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    append_safe(ws, list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for item in items:
        append_safe(ws, item_row(item))
        colour = FILLS.get(item.state)
        if colour:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor=colour)
    for idx, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(HEADERS))}{ws.max_row}"
    set_print_layout(ws, 2, landscape=True, footer=title)
    save_workbook(wb, path)
    return path
