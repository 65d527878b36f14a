"""工作小組 services: members per 學年度, the composition check, meetings, 補充規定 versions.

Read contracts used by other features (calendar, self-check): ``composition_check``,
``list_meetings``, ``meeting_indicator``, ``list_regulations``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.roc_date import format_roc, term_of
from desktop_app.domain.working_group import (
    SEATS,
    CompositionResult,
    RegulationStatus,
    Seat,
    SeatHolder,
    check_composition,
    meetings_per_term,
    parse_seat,
)
from desktop_app.domain.working_group import (
    MeetingInfo as MeetingInfo,  # re-exported: the window and the demo take them from here
)
from desktop_app.domain.working_group import (
    MemberInfo as MemberInfo,
)
from desktop_app.domain.working_group import (
    MemberInput as MemberInput,
)
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.profile import get_profile
from desktop_app.storage.db import Database
from desktop_app.storage.models import Meeting, MeetingAttendee, Member, Regulation

# --- members ---------------------------------------------------------------------------------


def _member_info(m: Member) -> MemberInfo:
    return MemberInfo(
        year=m.year,
        name=m.name,
        seat=parse_seat(m.seat) or Seat.OTHER,  # stored as the code; a stray old name still reads
        title=m.title,
        unit=m.unit,
        term_start=m.term_start,
        term_end=m.term_end,
        note=m.note,
        id=m.id,
        sort_order=m.sort_order,
    )


def _validate_member(data: MemberInput) -> tuple[MemberInput, Seat]:
    """The input cleaned (its seat as the stored code) and the seat it names."""
    name = data.name.strip()
    if not name:
        raise ServiceError("請輸入成員姓名")
    seat = parse_seat(data.seat)
    if seat is None:
        raise ServiceError(f"「{data.seat}」不是工作小組的席次；可選：{'、'.join(s.label for s in SEATS)}")
    if data.term_start and data.term_end and data.term_end < data.term_start:
        raise ServiceError(
            f"{name} 的任期迄日 {format_roc(data.term_end)} 早於起日 {format_roc(data.term_start)}"
        )
    if not 50 <= data.year <= 300:
        raise ServiceError(f"學年度「{data.year}」不合理")
    cleaned = replace(data, name=name, seat=seat.value, title=data.title.strip(), unit=data.unit.strip())
    return cleaned, seat


def _audit_fields(data: MemberInput) -> dict[str, object]:
    """A member as the audit log keeps it: the seat by its zh-TW name, as people read the log."""
    fields = asdict(data)
    seat = parse_seat(data.seat)
    if seat is not None:
        fields["seat"] = seat.label
    return fields


def list_members(db: Database, year: int) -> list[MemberInfo]:
    """Members of a 學年度 in seat order (召集人 first)."""
    with db.read() as s:
        rows = s.scalars(select(Member).where(Member.year == year).order_by(Member.sort_order, Member.id))
        members = [_member_info(m) for m in rows]
    return sorted(members, key=lambda m: (SEATS.index(m.seat), m.sort_order, m.id))


def list_member_years(db: Database) -> list[int]:
    with db.read() as s:
        return sorted(s.scalars(select(Member.year).distinct()))


def add_member(db: Database, data: MemberInput) -> MemberInfo:
    data, seat = _validate_member(data)
    with db.transaction() as s:
        order = (
            s.scalar(select(func.coalesce(func.max(Member.sort_order), 0)).where(Member.year == data.year))
            or 0
        )
        m = Member(**asdict(data), sort_order=order + 1)
        s.add(m)
        s.flush()
        record(
            s,
            "member.add",
            "member",
            m.id,
            summary=f"{data.year}學年度 新增成員 {data.name}（{seat.label}）",
            after=_audit_fields(data),
        )
        return _member_info(m)


def update_member(db: Database, member_id: int, data: MemberInput) -> MemberInfo:
    data, seat = _validate_member(data)
    with db.transaction() as s:
        m = s.get(Member, member_id)
        if m is None:
            raise ServiceError(f"找不到成員（編號 {member_id}），可能已被刪除")
        before = _audit_fields(_member_info(m))
        for key, value in asdict(data).items():
            setattr(m, key, value)
        record(
            s,
            "member.update",
            "member",
            m.id,
            summary=f"修改成員 {data.name}（{seat.label}）",
            before=before,
            after=_audit_fields(data),
        )
        return _member_info(m)


def delete_member(db: Database, member_id: int) -> None:
    with db.transaction() as s:
        m = s.get(Member, member_id)
        if m is None:
            raise ServiceError(f"找不到成員（編號 {member_id}），可能已被刪除")
        info = _member_info(m)
        s.delete(m)
        record(
            s,
            "member.delete",
            "member",
            member_id,
            summary=f"刪除成員 {info.name}（{info.seat.label}）",
            before=_audit_fields(info),
        )


def copy_members(db: Database, from_year: int, to_year: int) -> list[MemberInfo]:
    """Copy a year's group into another year in one action (the target year must be empty)."""
    if from_year == to_year:
        raise ServiceError("來源與目標學年度相同")
    with db.transaction() as s:
        existing = s.scalar(select(func.count()).select_from(Member).where(Member.year == to_year))
        if existing:
            raise ServiceError(f"{to_year}學年度已有 {existing} 位成員；請先刪除，或直接修改")
        sources = list(s.scalars(select(Member).where(Member.year == from_year).order_by(Member.sort_order)))
        if not sources:
            raise ServiceError(f"{from_year}學年度沒有成員可複製")
        shift = to_year - from_year
        copies = []
        for src in sources:
            copy = Member(
                year=to_year,
                name=src.name,
                title=src.title,
                unit=src.unit,
                seat=src.seat,
                term_start=_shift_year(src.term_start, shift),
                term_end=_shift_year(src.term_end, shift),
                note=src.note,
                sort_order=src.sort_order,
            )
            s.add(copy)
            copies.append(copy)
        s.flush()
        record(
            s,
            "member.copy_year",
            "member",
            None,
            summary=f"複製 {from_year}學年度工作小組（{len(copies)} 人）到 {to_year}學年度",
            after=[c.name for c in copies],
        )
        return [_member_info(c) for c in copies]


def _shift_year(value: date | None, years: int) -> date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 2/29
        return value.replace(year=value.year + years, day=28)


def composition_check(db: Database, year: int) -> CompositionResult:
    """The live composition check of a 學年度 against 要點第5點之1 and the school profile."""
    profile = get_profile(db)
    holders = [SeatHolder(m.name, m.seat, m.title) for m in list_members(db, year)]
    return check_composition(
        year,
        holders,
        principal=profile.principal if profile else None,
        has_practice_office=bool(profile and profile.has_practice_office),
        has_continuing_division=bool(profile and profile.has_continuing_division),
    )


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    held_on: date
    title: str
    attendee_ids: tuple[int, ...] = ()
    guests: str = ""  # one per line
    agenda: str = ""
    minutes: str = ""
    attachments: tuple[str, ...] = ()  # file paths
    location: str = ""
    start_time: str = ""  # 「14:00」 (normalised by the service)


def _meeting_info(s: Session, m: Meeting) -> MeetingInfo:
    ids = tuple(a.member_id for a in m.attendees)
    names: tuple[str, ...] = ()
    if ids:
        names = tuple(s.scalars(select(Member.name).where(Member.id.in_(ids)).order_by(Member.sort_order)))
    return MeetingInfo(
        id=m.id,
        year=m.year,
        term=m.term,
        held_on=m.held_on,
        title=m.title,
        location=m.location,
        agenda=m.agenda,
        minutes=m.minutes,
        guests=m.guests,
        attachments=tuple(p for p in m.attachments.splitlines() if p.strip()),
        attendee_ids=ids,
        attendee_names=names,
        start_time=m.start_time or "",
    )


def _validate_meeting(data: MeetingInput) -> MeetingInput:
    if not data.title.strip():
        raise ServiceError("請輸入會議名稱")
    if data.held_on is None:
        raise ServiceError("請輸入會議日期")
    return replace(data, title=data.title.strip(), start_time=normalise_time(data.start_time))


def normalise_time(text: str) -> str:
    """「14:00」 from 14:00 / 14：00 / 1400 / 14時 / 下午2時30分; "" stays ""; else a zh-TW error."""
    raw = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if not raw:
        return ""
    pm = raw.startswith("下午")
    body = raw.removeprefix("下午").removeprefix("上午").removeprefix("中午")
    m = re.fullmatch(r"(\d{1,2})(?::|時|點)?(\d{2})?(?:分)?", body)
    if m is None:
        raise ServiceError(f"會議時間「{text}」看不懂，請寫成 14:00 的形式")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if pm and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        raise ServiceError(f"會議時間「{text}」不是有效的時刻，請寫成 14:00 的形式")
    return f"{hour:02d}:{minute:02d}"


def _meeting_values(data: MeetingInput) -> dict[str, object]:
    term = term_of(data.held_on)
    return {
        "year": term.year,
        "term": term.term,
        "held_on": data.held_on,
        "start_time": data.start_time,
        "title": data.title,
        "location": data.location,
        "agenda": data.agenda,
        "minutes": data.minutes,
        "guests": data.guests,
        "attachments": "\n".join(p.strip() for p in data.attachments if p.strip()),
    }


def _set_attendees(s: Session, meeting: Meeting, ids: tuple[int, ...]) -> None:
    valid = set(s.scalars(select(Member.id).where(Member.id.in_(ids)))) if ids else set()
    unknown = set(ids) - valid
    if unknown:
        raise ServiceError(f"出席成員編號 {sorted(unknown)} 不存在")
    meeting.attendees = [MeetingAttendee(member_id=i) for i in dict.fromkeys(ids)]


def add_meeting(db: Database, data: MeetingInput) -> MeetingInfo:
    """Record a meeting; its 學年度/學期 follow from its date."""
    data = _validate_meeting(data)
    with db.transaction() as s:
        m = Meeting(**_meeting_values(data))
        s.add(m)
        _set_attendees(s, m, data.attendee_ids)
        s.flush()
        record(
            s,
            "meeting.add",
            "meeting",
            m.id,
            summary=f"新增會議 {format_roc(data.held_on)} {data.title}",
            after=_meeting_values(data),
        )
        return _meeting_info(s, m)


def update_meeting(db: Database, meeting_id: int, data: MeetingInput) -> MeetingInfo:
    data = _validate_meeting(data)
    with db.transaction() as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise ServiceError(f"找不到會議（編號 {meeting_id}）")
        before = asdict(_meeting_info(s, m))
        for key, value in _meeting_values(data).items():
            setattr(m, key, value)
        _set_attendees(s, m, data.attendee_ids)
        s.flush()
        record(
            s,
            "meeting.update",
            "meeting",
            m.id,
            summary=f"修改會議 {format_roc(data.held_on)} {data.title}",
            before=before,
            after=_meeting_values(data),
        )
        return _meeting_info(s, m)


def delete_meeting(db: Database, meeting_id: int) -> None:
    with db.transaction() as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise ServiceError(f"找不到會議（編號 {meeting_id}）")
        before = asdict(_meeting_info(s, m))
        s.delete(m)
        record(s, "meeting.delete", "meeting", meeting_id, summary=f"刪除會議 {m.title}", before=before)


def get_meeting(db: Database, meeting_id: int) -> MeetingInfo:
    with db.read() as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise ServiceError(f"找不到會議（編號 {meeting_id}）")
        return _meeting_info(s, m)


def list_meetings(db: Database, year: int | None = None) -> list[MeetingInfo]:
    """Meetings (of a 學年度 when given), by date."""
    stmt = select(Meeting).order_by(Meeting.held_on, Meeting.id)
    if year is not None:
        stmt = stmt.where(Meeting.year == year)
    with db.read() as s:
        return [_meeting_info(s, m) for m in s.scalars(stmt)]


def meeting_indicator(db: Database, year: int) -> dict[int, bool]:
    """{1: a meeting held in 第1學期?, 2: … in 第2學期?}"""
    with db.read() as s:
        terms = s.scalars(select(Meeting.term).where(Meeting.year == year).distinct())
        return meetings_per_term(terms)


# --- 補充規定 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegulationInput:
    version: str
    drafted_on: date | None = None
    passed_on: date | None = None
    meeting_name: str = ""
    announced_on: date | None = None
    url: str = ""
    covers: tuple[bool, bool, bool, bool] = (False, False, False, False)
    note: str = ""


@dataclass(frozen=True)
class RegulationInfo(RegulationInput):
    id: int = 0

    @property
    def status(self) -> RegulationStatus:
        return RegulationStatus(
            drafted=self.drafted_on is not None,
            passed=self.passed_on is not None,
            announced=self.announced_on is not None and bool(self.url.strip()),
            covers=self.covers,
        )


_COVER_COLUMNS = ("covers_composition", "covers_data_building", "covers_training", "covers_evaluation")


def _regulation_info(r: Regulation) -> RegulationInfo:
    return RegulationInfo(
        version=r.version,
        drafted_on=r.drafted_on,
        passed_on=r.passed_on,
        meeting_name=r.meeting_name,
        announced_on=r.announced_on,
        url=r.url,
        covers=tuple(bool(getattr(r, c)) for c in _COVER_COLUMNS),  # type: ignore[arg-type]  # a fixed-length tuple, one per column
        note=r.note,
        id=r.id,
    )


def _regulation_values(data: RegulationInput) -> dict[str, object]:
    if not data.version.strip():
        raise ServiceError("請輸入版本名稱（例如：112年9月訂定）")
    order = [("訂定日", data.drafted_on), ("校務會議通過日", data.passed_on), ("公告日", data.announced_on)]
    dated = [(label, d) for label, d in order if d is not None]
    for (l1, d1), (l2, d2) in itertools.pairwise(dated):
        if d2 < d1:
            raise ServiceError(f"{l2} {format_roc(d2)} 早於{l1} {format_roc(d1)}")
    if data.passed_on is not None and not data.meeting_name.strip():
        raise ServiceError("已填校務會議通過日，請一併填寫會議名稱（例如：113學年度第1學期第1次校務會議）")
    url = data.url.strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise ServiceError(f"網址「{url}」應以 http:// 或 https:// 開頭")
    values: dict[str, object] = {
        "version": data.version.strip(),
        "drafted_on": data.drafted_on,
        "passed_on": data.passed_on,
        "meeting_name": data.meeting_name.strip(),
        "announced_on": data.announced_on,
        "url": url,
        "note": data.note,
    }
    values.update(dict(zip(_COVER_COLUMNS, data.covers, strict=True)))
    return values


def add_regulation(db: Database, data: RegulationInput) -> RegulationInfo:
    values = _regulation_values(data)
    with db.transaction() as s:
        r = Regulation(**values)
        s.add(r)
        s.flush()
        record(s, "regulation.add", "regulation", r.id, summary=f"新增補充規定版本 {r.version}", after=values)
        return _regulation_info(r)


def update_regulation(db: Database, regulation_id: int, data: RegulationInput) -> RegulationInfo:
    values = _regulation_values(data)
    with db.transaction() as s:
        r = s.get(Regulation, regulation_id)
        if r is None:
            raise ServiceError(f"找不到補充規定版本（編號 {regulation_id}）")
        before = asdict(_regulation_info(r))
        for key, value in values.items():
            setattr(r, key, value)
        record(
            s,
            "regulation.update",
            "regulation",
            r.id,
            summary=f"修改補充規定版本 {r.version}",
            before=before,
            after=values,
        )
        return _regulation_info(r)


def delete_regulation(db: Database, regulation_id: int) -> None:
    with db.transaction() as s:
        r = s.get(Regulation, regulation_id)
        if r is None:
            raise ServiceError(f"找不到補充規定版本（編號 {regulation_id}）")
        before = asdict(_regulation_info(r))
        s.delete(r)
        record(
            s,
            "regulation.delete",
            "regulation",
            regulation_id,
            summary=f"刪除補充規定版本 {r.version}",
            before=before,
        )


def list_regulations(db: Database) -> list[RegulationInfo]:
    """Versions, oldest first (the last one is the one in force)."""
    with db.read() as s:
        rows = s.scalars(select(Regulation).order_by(Regulation.drafted_on, Regulation.id))
        return [_regulation_info(r) for r in rows]


def delete_year(db: Database, year: int) -> int:
    """Remove a year's members (used by tests and the tab's 'clear year' action)."""
    with db.transaction() as s:
        # a DML statement's result is a CursorResult (Session.execute is typed as the general Result)
        n = cast("CursorResult[Any]", s.execute(delete(Member).where(Member.year == year))).rowcount or 0
        record(s, "member.delete_year", "member", None, summary=f"清除 {year}學年度成員 {n} 人")
        return n
