"""The confirmation progress per class and category as an xlsx workbook (for circulation)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from desktop_app.domain.roc_date import format_roc
from desktop_app.exports.xlsx_safe import append_safe, save_workbook
from desktop_app.services.receipts import TOTAL_CLASS, ProgressRow, ReceiptBatchInfo, batch_term_title

HEADERS = ("班級", "資料類別", "學生數", "已確認", "其中視為已確認", "有疑義", "未確認", "免確認", "完成率")


def write_progress_xlsx(
    path: Path | str, batch: ReceiptBatchInfo, rows: list[ProgressRow], school_name: str = ""
) -> Path:
    """Write the progress table; returns the path. No ID numbers are written."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "確認進度"
    append_safe(ws, [f"{school_name} 收訖明細確認進度".strip()])
    ws["A1"].font = Font(bold=True, size=14)
    append_safe(ws,
        [
            f"批次：{batch.name}（{batch_term_title(batch)}）　確認期間：{format_roc(batch.period_start)}–"
            f"{format_roc(batch.period_end)}　國教署期限：{format_roc(batch.deadline) or '未設定'}"
        ]
    )
    append_safe(ws, list(HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in rows:
        append_safe(ws,
            [
                r.class_name,
                r.category,
                r.students,
                r.confirmed,
                r.deemed,
                r.objection,
                r.pending,
                r.exempt,
                r.done_ratio,
            ]
        )
        ws.cell(ws.max_row, 9).number_format = "0%"
        if r.class_name == TOTAL_CLASS:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        if r.pending:
            ws.cell(ws.max_row, 7).fill = PatternFill("solid", fgColor="FCE4D6")
    for col, width in zip("ABCDEFGHI", (10, 14, 8, 8, 14, 8, 8, 8, 8), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row[2:]:
            cell.alignment = Alignment(horizontal="right")
    ws.freeze_panes = "A4"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path
