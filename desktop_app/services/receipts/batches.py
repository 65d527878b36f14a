"""收訖批次: the list other features read (calendar, self-check), the confirmation period, deleting
a batch imported by mistake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.receipts import (
    CLOSED_OBJECTION_STATUSES,
    PeriodError,
    ReceiptBatchInfo,
    check_period,
)
from desktop_app.domain.roc_date import RocDateError, format_roc, parse_roc_date
from desktop_app.services.audit import record
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    Confirmation,
    Objection,
    ReceiptBatch,
    ReceiptExemption,
    ReceiptItem,
    SlipReturn,
)


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


def get_batch(db: Database, batch_id: int) -> ReceiptBatchInfo:
    for info in list_batches(db):
        if info.id == batch_id:
            return info
    raise ServiceError(f"找不到收訖明細批次 #{batch_id}，請先匯入收訖明細，或用「收訖批次」頁確認批次編號。")


def parse_date_arg(value: date | str | None, label: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return parse_roc_date(value)
    except RocDateError as exc:
        raise ServiceError(f"{label}：{exc}") from None


def checked_period(
    start: date | str, end: date | str, deadline: date | str | None, today: date | None
) -> tuple[date, date, date | None, list[str]]:
    """The confirmation period's dates parsed and checked (ServiceError quoting the rule); its warnings."""
    start_d = parse_date_arg(start, "確認期間開始日")
    end_d = parse_date_arg(end, "確認期間結束日")
    if start_d is None or end_d is None:
        raise ServiceError("請輸入確認期間的開始日與結束日（民國日期，例如 113/10/15）。")
    deadline_d = parse_date_arg(deadline, "國教署期限")
    try:
        warnings = check_period(start_d, end_d, deadline_d, today=today or date.today())
    except PeriodError as exc:
        raise ServiceError(str(exc)) from None
    return start_d, end_d, deadline_d, warnings


# === deleting a batch (imported by mistake) =====================================================
@dataclass(frozen=True)
class BatchContents:
    """What deleting a batch removes: the batch row and everything hanging on it."""

    batch_id: int
    name: str
    file_name: str
    items: int
    confirmations: int
    slip_returns: int
    objections: int
    exemptions: int

    def summary(self) -> str:
        """One zh-TW line for the confirmation dialog, the CLI and the audit log."""
        return (
            f"批次 #{self.batch_id}「{self.name}」（檔案 {self.file_name or '（無）'}）："
            f"收訖明細 {self.items} 筆、確認狀態 {self.confirmations} 筆、回條 {self.slip_returns} 張、"
            f"疑義 {self.objections} 件、免確認設定 {self.exemptions} 項"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "name": self.name,
            "file": self.file_name,
            "items": self.items,
            "confirmations": self.confirmations,
            "slip_returns": self.slip_returns,
            "objections": self.objections,
            "exemptions": self.exemptions,
        }


_BATCH_CHILDREN = (
    ("items", ReceiptItem),
    ("confirmations", Confirmation),
    ("slip_returns", SlipReturn),
    ("objections", Objection),
    ("exemptions", ReceiptExemption),
)


def _batch_contents(s: Session, batch_id: int) -> BatchContents:
    batch = s.get(ReceiptBatch, batch_id)
    if batch is None:
        raise ServiceError(
            f"找不到收訖明細批次 #{batch_id}（可能已刪除）。請用「receipts list」或「收訖批次」頁確認批次編號。"
        )
    counts = {
        key: s.scalar(select(func.count()).select_from(model).where(model.batch_id == batch_id)) or 0
        for key, model in _BATCH_CHILDREN
    }
    return BatchContents(batch_id, batch.name, batch.file_name, **counts)


def batch_contents(db: Database, batch_id: int) -> BatchContents:
    """What :func:`delete_batch` would remove (nothing is changed)."""
    with db.read() as s:
        return _batch_contents(s, batch_id)


def delete_batch(db: Database, batch_id: int) -> BatchContents:
    """Delete a batch with its items, confirmations, slip returns, objections and 免確認 rules.

    One transaction, audited with the name, file, SHA-256 and the counts. The students stay (the
    master is not the batch's). Callers back the database up first (the tab and the CLI do).
    """
    with db.transaction() as s:
        contents = _batch_contents(s, batch_id)
        batch = s.get(ReceiptBatch, batch_id)
        assert batch is not None
        before = {
            **contents.as_dict(),
            "sha256": batch.sha256,
            "imported_at": batch.imported_at,
            "imported_by": batch.imported_by,
            "period": [batch.period_start, batch.period_end],
            "deadline": batch.deadline,
        }
        for _key, model in _BATCH_CHILDREN:
            s.execute(delete(model).where(model.batch_id == batch_id))
        s.execute(delete(ReceiptBatch).where(ReceiptBatch.id == batch_id))
        record(
            s,
            "receipts.delete_batch",
            "receipt_batch",
            batch_id,
            summary="刪除" + contents.summary(),
            before=before,
        )
    return contents


# === the confirmation period =====================================================================
def set_period(
    db: Database,
    batch_id: int,
    *,
    start: date | str,
    end: date | str,
    deadline: date | str | None = None,
    doc_no: str = "",
    today: date | None = None,
) -> list[str]:
    """Save a batch's confirmation period, 國教署 deadline and 文號; returns warnings.

    Refused (ServiceError quoting the rule) when end − start + 1 < 3.
    """
    start_d, end_d, deadline_d, warnings = checked_period(start, end, deadline, today)
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        before = {
            "start": batch.period_start,
            "end": batch.period_end,
            "deadline": batch.deadline,
            "doc_no": batch.deadline_doc_no,
        }
        batch.period_start, batch.period_end, batch.deadline = start_d, end_d, deadline_d
        batch.deadline_doc_no = (doc_no or "").strip()
        after = {"start": start_d, "end": end_d, "deadline": deadline_d, "doc_no": batch.deadline_doc_no}
        record(
            s,
            "receipts.period",
            "receipt_batch",
            batch_id,
            summary=f"批次「{batch.name}」確認期間 {format_roc(start_d)}–{format_roc(end_d)}",
            before=before,
            after=after,
        )
    return warnings
