"""作業期程: concrete tasks of a 學年度 (from the template, added by hand, or official 國教署 dates)
and the school's overrides of the timing-word mapping.

Read by the self-check evidence through ``services.calendar.tasks.list_tasks``; keep the columns.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["CalendarTask", "CalendarTiming"]


class CalendarTask(Base):
    __tablename__ = "calendar_task"
    __table_args__ = (Index("ix_calendar_task_template_key", "year", "template_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # 學年度
    term: Mapped[int | None] = mapped_column(Integer, nullable=True)
    item: Mapped[str] = mapped_column(String(50), default="")  # 項目 (一 行政規劃 …)
    work: Mapped[str] = mapped_column(String(100))  # 工作
    content: Mapped[str] = mapped_column(Text, default="")  # 內容
    timing: Mapped[str] = mapped_column(String(50), default="")  # timing word (開學初 …)
    owners: Mapped[str] = mapped_column(String(200), default="")  # 主責
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # a TaskStatus code (todo doing done na; labels in domain/calendar.py), labels before 0009
    status: Mapped[str] = mapped_column(String(10), default="todo")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    is_official: Mapped[bool] = mapped_column(Boolean, default=False)  # 國教署 date
    doc_no: Mapped[str] = mapped_column(String(100), default="")  # 文號
    template_key: Mapped[str] = mapped_column(String(100), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # added by 0004 ---------------------------------------------------------------------------
    # data that completes the task by itself: "precheck" | "meeting" | ""
    source: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # rosters / data an official deadline concerns (預檢_修課紀錄名冊 …)
    rosters: Mapped[str] = mapped_column(Text, default="", server_default="")
    # dates set by hand (moved, official): re-planning leaves them alone
    dates_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CalendarTiming(Base):
    """The school's override of one timing word (the defaults live in resources/task_template.yaml)."""

    __tablename__ = "calendar_timing"

    word: Mapped[str] = mapped_column(String(50), primary_key=True)
    start_anchor: Mapped[str] = mapped_column(String(10))  # start | end | none
    start_days: Mapped[int] = mapped_column(Integer, default=0)
    due_anchor: Mapped[str] = mapped_column(String(10))
    due_days: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
