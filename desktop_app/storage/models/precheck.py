"""開課預檢: course-plan versions and the run history.

``PrecheckRun`` is read by other features (calendar deadlines, self-check evidence) through
``services.precheck.list_runs``; keep its columns.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["PlanCourseRow", "PlanVersion", "PrecheckRun", "PrecheckRunFindings"]


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
    # added by 0002
    encoding: Mapped[str | None] = mapped_column(String(20), nullable=True)  # CSV encoding
    source: Mapped[str] = mapped_column(String(10), default="tab")  # "tab" | "cli" | "demo"
    message: Mapped[str] = mapped_column(Text, default="")  # why a failed run failed (F01…)
    # added by 0006: the 及格標準 the run judged by ({"default", "others", "students", "file"})
    pass_marks_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class PlanVersion(Base):
    """One import of the approved course plan (課程計畫) for one 實施學年度.

    A newer import of the same year is a new version (``version`` 1, 2, …); importing the very
    same file (same SHA-256) again reuses the existing version.
    """

    __tablename__ = "precheck_plan_version"
    __table_args__ = (UniqueConstraint("year", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # 實施學年度
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(500))
    file_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # file mtime
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    os_user: Mapped[str] = mapped_column(String(100))
    course_count: Mapped[int] = mapped_column(Integer, default=0)


class PlanCourseRow(Base):
    """One course of a stored plan version."""

    __tablename__ = "precheck_plan_course"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("precheck_plan_version.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(23))
    name: Mapped[str] = mapped_column(String(200))
    credits: Mapped[str] = mapped_column(String(6))
    methods: Mapped[str] = mapped_column(String(6), default="")
    attributes: Mapped[str] = mapped_column(String(4), default="")
    course_type: Mapped[str] = mapped_column(String(20), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PrecheckRunFindings(Base):
    """The findings of one run, stored compactly (zlib-compressed JSON) for the run-to-run diff."""

    __tablename__ = "precheck_run_findings"

    run_id: Mapped[int] = mapped_column(ForeignKey("precheck_run.id", ondelete="CASCADE"), primary_key=True)
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary)
