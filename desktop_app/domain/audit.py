"""The audit log's rows as plain values, and the zh-TW names of its entities and actions (the log
stores stable English keys). Pure: the services read the log, the window and the xlsx export show it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain.roc_date import format_roc


@dataclass(frozen=True)
class AuditRow:
    """One audit entry: who changed what, when, with the JSON before and after."""

    id: int
    at: datetime
    os_user: str
    action: str
    entity: str
    entity_id: str | None
    summary: str
    before: str | None
    after: str | None


ENTITY_NAMES = {
    "school_profile": "學校資料", "term_dates": "學期日期", "setting": "設定", "member": "工作小組成員",
    "meeting": "工作小組會議", "regulation": "補充規定", "calendar_task": "作業期程工作",
    "calendar_timing": "作業期程時程對照", "selfcheck_fill": "自我檢核表", "precheck_plan_version": "課程計畫",
    "precheck_run": "開課預檢", "receipt_batch": "收訖明細批次", "receipt_confirmation": "收訖明細確認",
    "receipt_slip_return": "紙本確認單回條", "objection": "疑義", "student": "學生名冊", "pua_char": "難字對照",
    "pass_mark": "及格標準",
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
    "receipts.deemed": "視為已確認", "receipts.delete_batch": "刪除收訖批次", "receipts.exemptions": "設定免確認", "receipts.slip_return": "登錄回條",
    "receipts.objection.open": "受理疑義", "receipts.objection.update": "處理疑義",
    "receipts.reconcile": "收訖對照", "receipts.reconcile_explain": "說明未收訖",
    "pua.set": "設定難字對照", "pua.delete": "刪除難字對照",
    "passmarks.settings": "設定及格標準", "passmarks.import": "匯入及格標準名單",
    "passmarks.student.set": "設定個別及格標準", "passmarks.student.delete": "刪除個別及格標準",
}  # fmt: skip


def entity_name(key: str) -> str:
    """The zh-TW name of an audit entity key (the key itself when unknown)."""
    return ENTITY_NAMES.get(key, key)


def action_name(key: str) -> str:
    """The zh-TW name of an audit action key (the key itself when unknown)."""
    return ACTION_NAMES.get(key, key)


FIELD_NAMES = {
    "school_code": "學校代碼", "name": "名稱", "principal": "校長", "has_practice_office": "設有實習處",
    "has_continuing_division": "設有進修部", "start_date": "開始日", "end_date": "結束日",
    "term_start": "學期開始", "term_end": "學期結束", "year": "學年度", "term": "學期", "seat": "席次",
    "title": "名稱", "unit": "單位", "note": "備註", "held_on": "開會日期", "location": "地點",
    "agenda": "議程", "minutes": "決議", "guests": "列席人員", "attachments": "附件", "version": "版本",
    "drafted_on": "訂定日", "passed_on": "校務會議通過日", "meeting_name": "會議名稱", "announced_on": "公告日",
    "url": "網址", "covers_composition": "涵蓋（一）", "covers_data_building": "涵蓋（二）",
    "covers_training": "涵蓋（三）", "covers_evaluation": "涵蓋（四）", "item": "項目", "work": "工作",
    "content": "內容", "owners": "主責", "due_date": "截止日", "done_on": "完成日", "status": "狀態",
    "is_official": "國教署期限", "doc_no": "文號", "rosters": "名冊／資料", "date": "日期",
    "deadline": "國教署期限", "period": "確認期間", "file": "檔案", "sha256": "檔案核對碼", "rows": "列數",
    "count": "筆數", "counts": "各代碼筆數", "courses": "課程數", "plan_version_id": "課程計畫版本",
    "added": "新增", "updated": "更新", "gone": "移除", "created": "新增", "unknown_ids": "無法對應",
    "names_fixed": "修正姓名", "confirmation_ids": "確認紀錄", "mapping": "欄位對照", "real_char": "實際字",
    "office": "承辦單位", "received_on": "收件日", "statement": "學生說明", "items": "資料內容",
    "answers": "答案", "answer": "答案", "finalised_at": "定稿時間", "finalised_by": "定稿人",
    "mark": "及格標準", "default": "預設及格標準", "others": "其他及格標準", "source": "來源",
    "changes": "變更", "removed": "移除",
    "birth_date": "出生日期", "category": "資料類別", "contact_office": "確認單聯絡單位",
    "contact_phone": "聯絡電話／分機", "credits": "學分", "detail": "說明", "item_date": "資料日期",
    "national_id": "身分證號", "start_time": "開會時間", "student_no_padded": "學號補零",
}  # fmt: skip

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")


def _value_text(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return format_roc(date.fromisoformat(value))
        if _ISO_DATETIME.match(value):
            moment = datetime.fromisoformat(value)
            return f"{format_roc(moment.date())} {moment:%H:%M}"
        return value
    if isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, str) and _ISO_DATE.match(v) for v in value):
            return "–".join(_value_text(v) for v in value)  # a period
        if len(value) > 12:
            return f"{len(value)} 筆"
        return "、".join(_value_text(v) for v in value)
    if isinstance(value, dict):
        return f"{len(value)} 項"
    return str(value)


def describe_change(text: str | None) -> str:
    """An audit entry's before/after (JSON with English keys, ISO dates) as zh-TW text with ROC dates."""
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict):
        return "；".join(f"{FIELD_NAMES.get(str(k), str(k))}：{_value_text(v)}" for k, v in value.items())
    return _value_text(value)


def _localise(value: object) -> object:
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            name = FIELD_NAMES.get(str(key), str(key))
            while name in out:  # two keys with one zh-TW name (name / title): keep both
                name += "＊"
            out[name] = _localise(item)
        return out
    if isinstance(value, list):
        return [_localise(v) for v in value]
    return value


def localise_json(text: str | None) -> str:
    """An audit entry's stored JSON with its keys in zh-TW (values untouched, nothing lost)."""
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(_localise(value), ensure_ascii=False)
