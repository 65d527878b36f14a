"""收訖明細 services. ``list_batches`` is the contract other features read (calendar, self-check)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from desktop_app.storage.db import Database
from desktop_app.storage.models import Objection, ReceiptBatch

CLOSED_OBJECTION_STATUSES = ("已更正(重新提交)", "查無誤(已回覆)")


@dataclass(frozen=True)
class ReceiptBatchInfo:
    id: int
    name: str
    year: int | None
    term: int | None
    file_name: str
    sha256: str
    imported_at: datetime
    period_start: date
    period_end: date
    deadline: date | None
    deadline_doc_no: str
    objections_total: int
    objections_open: int
    deemed_confirmed_at: datetime | None

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1


def list_batches(db: Database) -> list[ReceiptBatchInfo]:
    """All batches, oldest first, with their objection counts."""
    with db.read() as s:
        totals = dict(s.execute(select(Objection.batch_id, func.count()).group_by(Objection.batch_id)).all())
        open_counts = dict(
            s.execute(
                select(Objection.batch_id, func.count())
                .where(Objection.status.not_in(CLOSED_OBJECTION_STATUSES))
                .group_by(Objection.batch_id)
            ).all()
        )
        rows = s.scalars(select(ReceiptBatch).order_by(ReceiptBatch.imported_at, ReceiptBatch.id))
        return [
            ReceiptBatchInfo(
                b.id,
                b.name,
                b.year,
                b.term,
                b.file_name,
                b.sha256,
                b.imported_at,
                b.period_start,
                b.period_end,
                b.deadline,
                b.deadline_doc_no,
                totals.get(b.id, 0),
                open_counts.get(b.id, 0),
                b.deemed_confirmed_at,
            )
            for b in rows
        ]
