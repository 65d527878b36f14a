"""The confirmation progress per class and category as an xlsx workbook (for circulation)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from desktop_app.domain.glossary import status_label
from desktop_app.domain.receipts import (
    CATEGORIES,
    OBJECTION,
    TOTAL_CLASS,
    UNCONFIRMED,
    ProgressRow,
    ReceiptBatchInfo,
    StudentStatus,
    batch_term_title,
)
from desktop_app.domain.roc_date import format_roc
from desktop_app.exports.xlsx_print import set_print_layout
from desktop_app.exports.xlsx_safe import append_safe, save_workbook

HEADERS = ("班級", "資料類別", "學生數", "已確認", "其中視為已確認", "有疑義", "未確認", "免確認", "完成率")


def write_progress_xlsx(
    path: Path | str,
    batch: ReceiptBatchInfo,
    rows: list[ProgressRow],
    school_name: str = "",
    students: Sequence[StudentStatus] | None = None,
) -> Path:
    """Write the progress table (and, with ``students``, a per-student 「學生名單」 sheet a clerk can
    filter and hand to 導師 as a chase list); returns the path. No ID numbers are written."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has its sheet
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
    set_print_layout(ws, 3, footer=f"{batch.name} 確認進度")
    if students is not None:
        _student_sheet(wb, batch, students, school_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path


STUDENT_HEADERS = ("班級", "座號", "學號", "姓名", *CATEGORIES, "尚未確認的類別", "狀態", "回條已交回")


def student_state(student: StudentStatus) -> str:
    """「○ 未完成」 / 「！ 有疑義」 / 「√ 已完成」: the word a 導師 filters on."""
    values = student.statuses.values()
    if UNCONFIRMED in values:
        return status_label("未確認").replace("未確認", "未完成")
    if OBJECTION in values:
        return status_label("有疑義")
    return status_label("已完成")


def _student_sheet(
    wb: Workbook, batch: ReceiptBatchInfo, students: Sequence[StudentStatus], school_name: str
) -> None:
    ws = wb.create_sheet("學生名單")
    append_safe(ws, [f"{school_name} 收訖明細確認進度（每位學生）".strip()])
    ws["A1"].font = Font(bold=True, size=14)
    append_safe(
        ws,
        [
            f"批次：{batch.name}（{batch_term_title(batch)}）　確認期間：{format_roc(batch.period_start)}–"
            f"{format_roc(batch.period_end)}　用「狀態」欄篩選「○ 未完成」即為待提醒名單"
        ]
    )
    append_safe(ws, list(STUDENT_HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for st in students:
        pending = [c for c in CATEGORIES if st.statuses.get(c) == UNCONFIRMED]
        append_safe(
        ws,
            [
                st.class_name,
                st.seat if st.seat is not None else "",
                st.student_no,
                st.name,
                *(status_label(st.statuses[c].label) if c in st.statuses else "（無資料）" for c in CATEGORIES),
                "、".join(pending),
                student_state(st),
                format_roc(st.returned_at.date()) if st.returned_at else "",
            ]
        )
        if pending:
            ws.cell(ws.max_row, len(STUDENT_HEADERS) - 1).fill = PatternFill("solid", fgColor="FCE4D6")
    for col, width in zip("ABCDEFGHIJK", (8, 6, 10, 12, 12, 12, 14, 12, 22, 10, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    set_print_layout(ws, 3, landscape=True, footer=f"{batch.name} 學生名單")
