"""The 操作紀錄 (audit log): every audited action and entity has a zh-TW name; the dialog shows
those names, before/after values in zh-TW with ROC dates, and exports them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from desktop_app.domain.audit import ACTION_NAMES, ENTITY_NAMES
from desktop_app.services.working_group import MeetingInput, MemberInput, add_meeting, add_member
from desktop_app.ui.dialogs.audit_dialog import AuditDialog

SERVICES = Path(__file__).resolve().parents[2] / "desktop_app" / "services"


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


def test_every_audited_action_and_entity_has_a_zh_tw_name() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in SERVICES.rglob("*.py"))
    calls = re.findall(r"record\(\s*\w+,\s*\"([a-z_.]+)\",\s*\"([a-z_]+)\"", source)
    assert len(calls) > 30  # the scan really found the services' audit calls
    assert {action for action, _ in calls} <= set(ACTION_NAMES)
    assert {entity for _, entity in calls} <= set(ENTITY_NAMES)


def test_audit_dialog_shows_zh_tw_names_not_keys(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    add_member(db, MemberInput(114, "甲", "教師代表"))
    add_meeting(db, MeetingInput(date(2025, 9, 10), "會議"))
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    shown = {
        (dialog.model.index(r, 2).data(), dialog.model.index(r, 3).data()) for r in range(dialog.model.rowCount())
    }
    assert shown == {("工作小組成員", "新增成員"), ("工作小組會議", "新增會議")}
    entities = [dialog.entity.itemText(i) for i in range(dialog.entity.count())]
    assert "member" not in entities and "工作小組成員" in entities


def test_audit_before_after_read_in_zh_tw_with_roc_dates(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from desktop_app.domain.audit import describe_change
    from desktop_app.services.profile import set_term_dates

    assert describe_change('{"start_date": "2024-09-02", "end_date": null}') == "開始日：113/09/02；結束日：—"
    assert describe_change('{"period": ["2026-03-02", "2026-03-06"], "covers_training": true}') == (
        "確認期間：115/03/02–115/03/06；涵蓋（三）：是"
    )
    assert describe_change('"未確認"') == "未確認" and describe_change("plain") == "plain"
    set_term_dates(db, 113, 1, date(2024, 9, 2), date(2025, 1, 20))
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    after = dialog.model.index(0, 6).data()
    assert "113/09/02" in after and "start_date" not in after and "2024" not in after
    out = dialog.export(str(tmp_path / "audit.xlsx"))
    assert out is not None
    ws = load_workbook(out)["操作紀錄"]
    assert "113/09/02" in ws.cell(2, 8).value and "開始日" in ws.cell(2, 10).value  # raw JSON kept last, zh-TW keys
