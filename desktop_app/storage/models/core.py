"""School profile, 學期 dates, settings and the audit log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["AuditEntry", "SchoolProfile", "Setting", "TermDates"]


class SchoolProfile(Base):
    """The school (one row, id = 1)."""

    __tablename__ = "school_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_code: Mapped[str] = mapped_column(String(6))  # 學校代碼
    name: Mapped[str] = mapped_column(String(100))  # 校名
    principal: Mapped[str] = mapped_column(String(50))  # 校長
    has_practice_office: Mapped[bool] = mapped_column(Boolean, default=False)  # 實習處
    has_continuing_division: Mapped[bool] = mapped_column(Boolean, default=False)  # 進修部
    # the contact line of the printed slips: 承辦單位 (e.g. 教務處註冊組) and 電話／分機
    contact_office: Mapped[str] = mapped_column(String(100), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(100), default="", server_default="")


class TermDates(Base):
    """The school's 開學日 and 休業式 of one 學期."""

    __tablename__ = "term_dates"
    __table_args__ = (UniqueConstraint("year", "term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # 學年度
    term: Mapped[int] = mapped_column(Integer)  # 1 | 2
    start_date: Mapped[date] = mapped_column(Date)  # 開學日
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # 休業式


class Setting(Base):
    """Key/value settings (ID mask pattern, PDF font path, remembered mappings …)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """One change made through a service: when, who, what, before/after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    os_user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))  # e.g. "member.add"
    entity: Mapped[str] = mapped_column(String(50), index=True)  # e.g. "member"
    entity_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")  # human summary (zh-TW)
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    after: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
