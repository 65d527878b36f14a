"""作業期程: concrete tasks of a 學年度 (from the template, added by hand, or official 國教署 dates).

Read by the self-check evidence through ``services.calendar.list_tasks``; keep the columns.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["CalendarTask"]


class CalendarTask(Base):
    __tablename__ = "calendar_task"

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
    status: Mapped[str] = mapped_column(String(10), default="未開始")  # 未開始 進行中 完成 不適用
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    is_official: Mapped[bool] = mapped_column(Boolean, default=False)  # 國教署 date
    doc_no: Mapped[str] = mapped_column(String(100), default="")  # 文號
    template_key: Mapped[str] = mapped_column(String(100), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
