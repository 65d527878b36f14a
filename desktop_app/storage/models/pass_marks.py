"""及格標準: each listed student's own pass mark (the default and other marks are settings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["StudentPassMark"]


class StudentPassMark(Base):
    """One student's 及格標準, keyed by 身分證號 (a 學號 in a list is resolved through the 學生名冊)."""

    __tablename__ = "student_pass_mark"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    national_id: Mapped[str] = mapped_column(String(10), unique=True)
    mark: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")  # list file name; "" typed in the app
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
