from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from desktop_app.services.working_group import MeetingInput, MemberInput, add_meeting, add_member
from desktop_app.ui.dialogs.audit_dialog import AuditDialog


def test_filter_by_entity_and_date_and_export(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_member(db, MemberInput(114, "甲", "教師代表"))
    add_member(db, MemberInput(114, "乙", "家長代表"))
    add_meeting(db, MeetingInput(date(2025, 9, 10), "會議"))
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 3
    dialog.entity.setCurrentIndex(dialog.entity.findData("member"))
    assert dialog.model.rowCount() == 2
    assert {r.entity for r in dialog.model.rows()} == {"member"}
    dialog.since.setDate(date.today() + timedelta(days=1))
    assert dialog.model.rowCount() == 0
    dialog.since.setDate(date.today())
    out = dialog.export(str(tmp_path / "audit.xlsx"))
    assert out is not None
    ws = load_workbook(out)["操作紀錄"]
    assert ws.max_row == 3
    assert {ws.cell(r, 4).value for r in (2, 3)} == {"工作小組成員"}  # zh-TW names, not keys
    assert "新增成員" in ws.cell(2, 6).value
