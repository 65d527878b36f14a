"""收訖對照 as an xlsx workbook for circulation: 摘要, 各班, 明細 (ID numbers masked).

Every cell goes through the shared safe cell writer (``exports/xlsx_safe.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from desktop_app.domain.reconcile import KIND_LABELS, KINDS
from desktop_app.domain.reconcile_result import DIVISION_LABELS, ReconcileResult, ReconcileRow
from desktop_app.domain.roc_date import format_roc
from desktop_app.exports.xlsx_safe import append_safe, save_workbook

DETAIL_HEADERS = (
    "差異",
    "班級",
    "座號",
    "學號",
    "姓名",
    "身分證號",
    "課程代碼",
    "科目名稱",
    "學年度",
    "學期",
    "學分",
    "成績",
    "收訖：課程代碼",
    "收訖：科目名稱",
    "收訖：學分",
    "收訖：成績",
    "說明",
    "比對鍵",
    "名冊位置",
    "收訖明細列",
    "承辦說明",
)
KIND_FILLS = {"missing": "FCE4D6", "extra": "DDEBF7", "mismatch": "FFF2CC", "no_receipt": "F8CBAD"}


BOLD = Font(bold=True)
HEADER_FILL = "DDEBF7"
DETAIL_WIDTHS = (14, 8, 6, 10, 10, 12, 26, 16, 6, 5, 5, 6, 26, 16, 8, 8, 40, 20, 40, 8, 24)


def _append(ws: Worksheet, values: list[object]) -> None:
    append_safe(ws, values)


def _bold_last_row(ws: Worksheet, fill: str = "") -> None:
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)


def write_reconcile_xlsx(path: Path | str, result: ReconcileResult, school_name: str = "") -> Path:
    """Write the summary, the per-class counts and the detail rows; returns the path."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "摘要"
    _summary_sheet(ws, result, school_name)
    _class_sheet(wb.create_sheet("各班"), result)
    _detail_sheet(wb.create_sheet("明細"), result)
    return save_workbook(wb, Path(path))


def _summary_sheet(ws: Worksheet, result: ReconcileResult, school_name: str) -> None:
    _append(ws, [f"{school_name} 收訖對照（收訖明細 × 期末修課紀錄／成績名冊）".strip()])
    ws["A1"].font = Font(bold=True, size=14)
    batch = result.batch
    _append(
        ws,
        [
            f"批次：#{batch.id} {batch.name}　{result.term_title}　確認期間 {format_roc(batch.period_start)}–"
            f"{format_roc(batch.period_end)}"
        ],
    )
    _append(ws, [])
    _append(ws, ["差異", "筆數"])
    _bold_last_row(ws)
    for kind in KINDS:
        _append(ws, [KIND_LABELS[kind], result.counts[kind]])
    _append(ws, ["其中未收訖（含無收訖學生）尚未說明", result.unexplained])
    _append(ws, [])
    _append(ws, ["收訖修課紀錄", result.received_items])
    _append(ws, ["名冊列數（列入對照）", result.roster_rows])
    _append(ws, ["比對到", result.matched])
    _append(ws, [result.keys_text()])
    _append(ws, [])
    _append(ws, ["名冊檔案", "部別", "學年度學期", "大小（位元組）", "SHA-256", "工作表（列數）"])
    _bold_last_row(ws)
    for f in result.files:
        _append(
            ws,
            [
                f.name,
                DIVISION_LABELS.get(f.division, f.division),
                f.term_title,
                f.size,
                f.sha256,
                "、".join(f"{k} {v}" for k, v in f.sheets.items()),
            ],
        )
    if result.notes:
        _append(ws, [])
        for note in result.notes:
            _append(ws, [note])
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["E"].width = 66


def _class_sheet(wc: Worksheet, result: ReconcileResult) -> None:
    _append(wc, ["班級", *(KIND_LABELS[k] for k in KINDS)])
    _bold_last_row(wc, HEADER_FILL)
    for class_name, counts in result.class_counts():
        _append(wc, [class_name, *(counts[k] for k in KINDS)])
    for col in "BCDEF":
        wc.column_dimensions[col].width = 14


def _detail_sheet(wd: Worksheet, result: ReconcileResult) -> None:
    _append(wd, list(DETAIL_HEADERS))
    _bold_last_row(wd, HEADER_FILL)
    for r in result.rows:
        _append(wd, _detail_values(r))
        fill = KIND_FILLS.get(r.kind)
        if fill:
            wd.cell(wd.max_row, 1).fill = PatternFill("solid", fgColor=fill)
    wd.freeze_panes = "A2"
    wd.auto_filter.ref = f"A1:U{max(1, wd.max_row)}"
    for col, width in zip("ABCDEFGHIJKLMNOPQRSTU", DETAIL_WIDTHS, strict=True):
        wd.column_dimensions[col].width = width


def _detail_values(r: ReconcileRow) -> list[object]:
    """One 明細 row, in the order of ``DETAIL_HEADERS``."""
    return [
        r.kind_label,
        r.class_name,
        _number(r.seat),
        r.student_no,  # text: 學號 may start with 0
        r.name,
        r.masked_id,
        r.code,
        r.title,
        _number(r.year),
        _number(r.term),
        _number(r.credits),
        _number(r.score),
        r.received_code,
        r.received_title,
        _number(r.received_credits),
        _number(r.received_score),
        r.difference_text,
        r.key,
        r.source,
        r.receipt_row or "",
        r.note_text,
    ]


def _number(text: str) -> int | float | str:
    """座號, 學年度, 學分 and 成績 as numbers (so that Excel sorts 2 before 10); other text (blank,
    a leading zero, anything not a plain decimal) unchanged."""
    value = text.strip()
    if not _PLAIN_NUMBER.fullmatch(value):
        return text
    return int(value) if value.isdigit() else float(value)


_PLAIN_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
