"""開課預檢: course-plan versions and the run history.

``PrecheckRun`` is read by other features (calendar deadlines, self-check evidence) through
``services.precheck.list_runs``; keep its columns.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["PrecheckRun"]


class PrecheckRun(Base):
    """One pre-check run (from the tab or the CLI with ``--db``)."""

    __tablename__ = "precheck_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    os_user: Mapped[str] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # 學年度
    term: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 學期
    kind: Mapped[str] = mapped_column(String(10))  # "pre" | "final"
    division: Mapped[str] = mapped_column(String(12))  # "day" | "continuing"
    file_name: Mapped[str] = mapped_column(String(500))
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    plan_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows_json: Mapped[str] = mapped_column(Text, default="{}")  # {sheet: rows read}
    counts_json: Mapped[str] = mapped_column(Text, default="{}")  # {code: n}
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(10), default="ok")  # "ok" | "failed" (exit 2)
