"""iCalendar (.ics) export of the 作業期程 for Outlook / Google Calendar.

Each dated item becomes an all-day event on its due date (the window, owners, status and 文號 go
in the description); the UID is stable, so importing again updates the events instead of
duplicating them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from desktop_app.domain.calendar import DeadlineItem
from desktop_app.domain.roc_date import format_roc

PRODID = "-//desktop-app//作業期程//ZH-TW"
UID_DOMAIN = "calendar.desktop-app"


def event_summary(item: DeadlineItem) -> str:
    """``【國教署】預檢名冊提交`` / ``操作訓練：系統操作``."""
    prefix = "【國教署】" if item.is_official else ""
    body = f"{item.title}：{item.content}" if item.content and item.kind != "data" else item.title
    return f"{prefix}{body}"


def event_description(item: DeadlineItem) -> str:
    lines = []
    if item.item:
        lines.append(f"項目：{item.item}")
    if item.content:
        lines.append(f"內容：{item.content}")
    if item.start_date and item.start_date != item.due_date:
        lines.append(f"期間：{format_roc(item.start_date)}－{format_roc(item.due_date)}")
    lines.append(f"截止：{format_roc(item.due_date)}")
    if item.owners:
        lines.append(f"主責：{item.owners}")
    # 「完成（完成）」said twice: the deadline state only when it adds something (逾期, 7 天內到期 …)
    state = "" if item.state_title == item.status_label else f"（{item.state_title}）"
    lines.append(f"狀態：{item.status_label}{state}")
    if item.doc_no:
        lines.append(f"文號：{item.doc_no}")
    if item.rosters:
        lines.append(f"名冊/資料：{item.rosters}")
    if item.note:
        lines.append(f"備註：{item.note}")
    return "\n".join(lines)


def build_calendar(items: Sequence[DeadlineItem], name: str = "作業期程") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        if item.due_date is None:
            continue
        event = Event()
        event.add("uid", f"{item.year}-{item.key.replace(':', '-')}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_date)
        event.add("dtend", item.due_date + timedelta(days=1))
        event.add("summary", event_summary(item))
        event.add("description", event_description(item))
        event.add("categories", [c for c in (item.item, "國教署" if item.is_official else "") if c])
        event.add("transp", "TRANSPARENT")
        if item.state == "done":
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal


def write_ics(items: Sequence[DeadlineItem], path: Path | str, name: str = "作業期程") -> Path:
    """Write the items to ``path`` (UTF-8, CRLF lines as RFC 5545 requires)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_calendar(items, name).to_ical())
    return path
