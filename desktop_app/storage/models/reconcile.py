"""收訖對照: runs of a receipt batch against the final 修課紀錄/成績名冊, and the clerk's notes that
explain a 未收訖 item (or a roster student with no receipt)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.storage.models.base import Base

__all__ = ["ReconcileExplanation", "ReconcileRun"]


class ReconcileRun(Base):
    """One 收訖對照 run: the roster files (name, size, SHA-256, rows per sheet) and the counts."""

    __tablename__ = "reconcile_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 學年度 of the rosters
    term: Mapped[int | None] = mapped_column(Integer, nullable=True)
    run_at: Mapped[datetime] = mapped_column(DateTime)
    run_by: Mapped[str] = mapped_column(String(100), default="")
    files: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {name, size, sha256, sheets}
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON {missing, extra, mismatch, …}
    # JSON list of [national_id, item_key] of every 未收訖 item and roster student with no receipt
    # (item_key ""): what the self-check's "no 未收訖 left unexplained" compares with the notes
    missing: Mapped[str] = mapped_column(Text, default="[]")
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class ReconcileExplanation(Base):
    """The clerk's note on a 未收訖 item: why it is not (yet) in the central database."""

    __tablename__ = "reconcile_explanation"
    __table_args__ = (UniqueConstraint("batch_id", "national_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("receipt_batch.id", ondelete="CASCADE"), index=True)
    national_id: Mapped[str] = mapped_column(String(10))
    item_key: Mapped[str] = mapped_column(String(300))  # "" = the student as a whole (no receipt)
    note: Mapped[str] = mapped_column(Text, default="")
    explained_at: Mapped[datetime] = mapped_column(DateTime)
    explained_by: Mapped[str] = mapped_column(String(100), default="")
