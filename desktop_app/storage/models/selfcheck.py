"""自我檢核: filled self-check forms (owned by the self-check feature; migration slot 0005).

A form is filled once per 學期 (``SelfCheckFill``); each item's answer, the evidence suggestion
seen when it was saved, the note and the attachment paths live in ``SelfCheckAnswer`` /
``SelfCheckAttachment``. A finalised fill (``finalised_at`` set) is read-only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_app.storage.models.base import Base

__all__ = ["SelfCheckAnswer", "SelfCheckAttachment", "SelfCheckFill"]


class SelfCheckFill(Base):
    __tablename__ = "sc_fill"
    __table_args__ = (UniqueConstraint("form_id", "year", "term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[str] = mapped_column(String(50))
    form_version: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer, index=True)  # 學年度
    term: Mapped[int] = mapped_column(Integer)  # 學期
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finalised_by: Mapped[str] = mapped_column(String(100), default="")

    answers: Mapped[list[SelfCheckAnswer]] = relationship(
        back_populates="fill", cascade="all, delete-orphan", order_by="SelfCheckAnswer.id"
    )


class SelfCheckAnswer(Base):
    __tablename__ = "sc_answer"
    __table_args__ = (UniqueConstraint("fill_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fill_id: Mapped[int] = mapped_column(ForeignKey("sc_fill.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(50))
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)  # label, ISO date, number, text
    suggested: Mapped[str | None] = mapped_column(Text, nullable=True)  # evidence suggestion when saved
    evidence_status: Mapped[str] = mapped_column(String(10), default="")  # holds | fails | no_data | ""
    evidence_summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="")  # confirmed | override | manual | ""
    note: Mapped[str] = mapped_column(Text, default="")

    fill: Mapped[SelfCheckFill] = relationship(back_populates="answers")
    attachments: Mapped[list[SelfCheckAttachment]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="SelfCheckAttachment.id"
    )


class SelfCheckAttachment(Base):
    """A file kept as evidence for one answer (the path only; the file stays where it is)."""

    __tablename__ = "sc_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("sc_answer.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(1000))

    answer: Mapped[SelfCheckAnswer] = relationship(back_populates="attachments")
