"""工作小組: members per 學年度, meetings, 補充規定 versions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.storage.models.base import Base

__all__ = ["Meeting", "MeetingAttendee", "Member", "Regulation"]


class Member(Base):
    __tablename__ = "wg_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # 學年度
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(50), default="")  # 職稱
    unit: Mapped[str] = mapped_column(String(50), default="")  # 單位
    seat: Mapped[str] = mapped_column(String(20))  # see domain.working_group.Seat
    term_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    term_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Meeting(Base):
    __tablename__ = "wg_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # 學年度
    term: Mapped[int] = mapped_column(Integer)  # 學期
    held_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(20), default="", server_default="")  # 14:00
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(100), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")  # resolutions / minutes
    guests: Mapped[str] = mapped_column(Text, default="")  # one per line
    attachments: Mapped[str] = mapped_column(Text, default="")  # file paths, one per line

    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class MeetingAttendee(Base):
    __tablename__ = "wg_meeting_attendee"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("wg_meeting.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("wg_member.id", ondelete="CASCADE"), primary_key=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class Regulation(Base):
    """One version of the school's 學生學習歷程檔案作業補充規定."""

    __tablename__ = "wg_regulation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(50))  # e.g. "112年9月修正"
    drafted_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 訂定日
    passed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 校務會議通過日
    meeting_name: Mapped[str] = mapped_column(String(200), default="")  # 會議名稱
    announced_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 公告日
    url: Mapped[str] = mapped_column(String(500), default="")
    covers_composition: Mapped[bool] = mapped_column(Boolean, default=False)  # (一) 組成、運作及督導
    covers_data_building: Mapped[bool] = mapped_column(Boolean, default=False)  # (二) 資料建置
    covers_training: Mapped[bool] = mapped_column(Boolean, default=False)  # (三) 研習之規劃
    covers_evaluation: Mapped[bool] = mapped_column(Boolean, default=False)  # (四) 成效評核及獎勵
    note: Mapped[str] = mapped_column(Text, default="")
