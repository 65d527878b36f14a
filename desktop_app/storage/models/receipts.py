"""收訖明細: students, receipt batches, items, confirmations, slip returns, objections,
remembered column mappings and the 難字對照表.

``ReceiptBatch`` and ``Objection`` are read by other features (calendar, self-check) through
``services.receipts.list_batches``; keep their columns.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = [
    "ColumnMapping",
    "Confirmation",
    "Objection",
    "PuaChar",
    "ReceiptBatch",
    "ReceiptExemption",
    "ReceiptItem",
    "SlipReturn",
    "Student",
]


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
    # False once a re-import of the master no longer lists the student (kept: batches refer to them)
    in_master: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


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


class ReceiptItem(Base):
    """One row of a 收訖明細 file, joined to the student master."""

    __tablename__ = "receipt_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))  # one of CATEGORIES
    year: Mapped[str] = mapped_column(String(10), default="")  # 學年度
    term: Mapped[str] = mapped_column(String(10), default="")  # 學期
    title: Mapped[str] = mapped_column(String(500), default="")  # 科目名稱 / title
    credits: Mapped[str] = mapped_column(String(10), default="")  # 學分
    item_date: Mapped[str] = mapped_column(String(40), default="")  # date text as given
    detail: Mapped[str] = mapped_column(Text, default="")
    course_code: Mapped[str] = mapped_column(String(30), default="", server_default="")  # 課程代碼, if given
    score: Mapped[str] = mapped_column(String(20), default="", server_default="")  # 成績, if given
    source_row: Mapped[int] = mapped_column(Integer, default=0)  # Excel row number in the file


class Confirmation(Base):
    """Per batch × student × category: 未確認 → 已確認 | 有疑義; 免確認; 視為已確認 at period end.

    ``status`` holds a :class:`~desktop_app.domain.receipts.ConfirmationStatus` code; its label is shown.
    """

    __tablename__ = "receipt_confirmation"
    __table_args__ = (UniqueConstraint("batch_id", "student_id", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # ConfirmationStatus.PENDING (no domain import at start-up)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ReceiptExemption(Base):
    """Per-batch 免確認 rule: a category needs no confirmation for a group of students."""

    __tablename__ = "receipt_exemption"
    __table_args__ = (UniqueConstraint("batch_id", "category", "scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20))  # "graduated" | "grade3" | "all"


class SlipReturn(Base):
    """A returned paper slip (回條), scanned once per batch and student."""

    __tablename__ = "receipt_slip_return"
    __table_args__ = (UniqueConstraint("batch_id", "student_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    scanned_at: Mapped[datetime] = mapped_column(DateTime)


class ColumnMapping(Base):
    """A remembered column mapping for files of one header shape."""

    __tablename__ = "column_mapping"
    __table_args__ = (UniqueConstraint("kind", "signature"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "receipts"
    signature: Mapped[str] = mapped_column(String(64))  # SHA-256 of the normalized header row
    headers: Mapped[str] = mapped_column(Text, default="")  # JSON list, for display
    mapping: Mapped[str] = mapped_column(Text, default="")  # JSON {field: header}
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PuaChar(Base):
    """難字對照表: a 造字 (Private Use Area) code point → the real Unicode character."""

    __tablename__ = "pua_char"

    code_point: Mapped[int] = mapped_column(Integer, primary_key=True)  # e.g. 0xE000
    real_char: Mapped[str] = mapped_column(String(4))  # e.g. 堃 (may be outside the BMP)
    note: Mapped[str] = mapped_column(String(200), default="")


class Objection(Base):
    """疑義: statuses 受理 → 處理中 → 已更正(重新提交) | 查無誤(已回覆), stored as
    :class:`~desktop_app.domain.receipts.ObjectionStatus` codes."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))  # 修課紀錄 | 幹部經歷 | 課程學習成果 | 多元表現
    items: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")  # what the student says
    received_on: Mapped[date] = mapped_column(Date)
    office: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(20), default="received")  # ObjectionStatus.RECEIVED (no domain import at start-up)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
