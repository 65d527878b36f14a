"""收訖明細: students, receipt batches, objections.

``ReceiptBatch`` and ``Objection`` are read by other features (calendar, self-check) through
``services.receipts.list_batches``; keep their columns.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["Objection", "ReceiptBatch", "Student"]


class Student(Base):
    """學生名冊, keyed by 身分證號."""

    __tablename__ = "student"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    national_id: Mapped[str] = mapped_column(String(10), unique=True)
    student_no: Mapped[str] = mapped_column(String(20), default="", index=True)  # 學號
    name: Mapped[str] = mapped_column(String(50), default="")
    birth_date: Mapped[str] = mapped_column(String(7), default="")  # ROC yyyMMdd as in rosters
    division: Mapped[str] = mapped_column(String(12), default="day")  # "day" | "continuing"
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 年級
    class_name: Mapped[str] = mapped_column(String(30), default="", index=True)  # 班級
    seat: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 座號
    status: Mapped[str] = mapped_column(String(20), default="在學")  # 學籍狀態


class ReceiptBatch(Base):
    """One imported 收訖明細 file and its confirmation period."""

    __tablename__ = "receipt_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # 梯次 name
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 學年度
    term: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_name: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)  # 國教署 deadline
    deadline_doc_no: Mapped[str] = mapped_column(String(100), default="")  # 文號
    deemed_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Objection(Base):
    """疑義: statuses 受理 → 處理中 → 已更正(重新提交) | 查無誤(已回覆)."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))  # 修課紀錄 | 幹部經歷 | 課程學習成果 | 多元表現
    items: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")  # what the student says
    received_on: Mapped[date] = mapped_column(Date)
    office: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(20), default="受理")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
