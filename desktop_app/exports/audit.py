"""The audit log as xlsx."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from desktop_app.domain.audit import AuditRow, action_name, describe_change, entity_name, localise_json
from desktop_app.domain.roc_date import format_roc
from desktop_app.exports.xlsx_safe import append_safe, save_workbook

# 修改前/後 in words; the stored JSON (keys in zh-TW) kept at the end so the export loses nothing
HEADERS = ["時間", "使用者", "動作", "對象", "編號", "摘要", "修改前", "修改後", "修改前（原始資料）", "修改後（原始資料）"]


def write_audit_xlsx(path: Path | str, rows: Sequence[AuditRow]) -> Path:
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "操作紀錄"
    append_safe(ws, HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        append_safe(ws, [
            f"{format_roc(r.at.date())} {r.at:%H:%M:%S}", r.os_user, action_name(r.action), entity_name(r.entity),
            r.entity_id or "", r.summary,
            describe_change(r.before), describe_change(r.after), localise_json(r.before), localise_json(r.after),
        ])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:J{len(rows) + 1}"
    for col, width in zip("ABCDEFGHIJ", (20, 12, 20, 16, 8, 48, 40, 40, 30, 30), strict=True):
        ws.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)
    return path
