"""zh-TW names of the audit log's entities and actions (the log stores stable English keys)."""

from __future__ import annotations

ENTITY_NAMES = {
    "school_profile": "學校資料", "term_dates": "學期日期", "setting": "設定", "member": "工作小組成員",
    "meeting": "工作小組會議", "regulation": "補充規定", "calendar_task": "作業期程工作",
    "calendar_timing": "作業期程時程對照", "selfcheck_fill": "自我檢核表", "precheck_plan_version": "課程計畫",
    "precheck_run": "開課預檢", "receipt_batch": "收訖明細批次", "receipt_confirmation": "收訖明細確認",
    "receipt_slip_return": "紙本確認單回條", "objection": "疑義", "student": "學生名冊", "pua_char": "難字對照",
}  # fmt: skip

ACTION_NAMES = {
    "profile.save": "儲存學校資料", "term_dates.set": "設定學期日期", "setting.set": "變更設定",
    "member.add": "新增成員", "member.update": "修改成員", "member.delete": "刪除成員",
    "member.copy_year": "複製上學年度成員", "member.delete_year": "刪除整學年度成員",
    "meeting.add": "新增會議", "meeting.update": "修改會議", "meeting.delete": "刪除會議",
    "regulation.add": "新增補充規定版本", "regulation.update": "修改補充規定", "regulation.delete": "刪除補充規定",
    "calendar.plan": "規劃學年度", "calendar.official.add": "新增國教署期限", "calendar.task.add": "新增工作",
    "calendar.task.update": "修改工作", "calendar.task.delete": "刪除工作", "calendar.task.done": "標記完成",
    "calendar.task.move": "移動工作", "calendar.task.status": "變更狀態", "calendar.timing.save": "儲存時程對照",
    "calendar.timing.reset": "還原時程對照", "selfcheck.save": "儲存自我檢核草稿", "selfcheck.finalise": "自我檢核定稿",
    "precheck.plan_import": "匯入課程計畫", "precheck.run": "執行開課預檢", "students.import": "匯入學生名冊",
    "receipts.import": "匯入收訖明細", "receipts.period": "設定確認期間", "receipts.confirm": "登錄確認",
    "receipts.deemed": "視為已確認", "receipts.exemptions": "設定免確認", "receipts.slip_return": "登錄回條",
    "receipts.objection.open": "受理疑義", "receipts.objection.update": "處理疑義",
    "pua.set": "設定難字對照", "pua.delete": "刪除難字對照",
}  # fmt: skip


def entity_name(key: str) -> str:
    """The zh-TW name of an audit entity key (the key itself when unknown)."""
    return ENTITY_NAMES.get(key, key)


def action_name(key: str) -> str:
    """The zh-TW name of an audit action key (the key itself when unknown)."""
    return ACTION_NAMES.get(key, key)
