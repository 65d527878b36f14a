"""收訖對照: the runs recorded and the clerk's notes on 未收訖 items.

:func:`explain_missing` stores the clerk's note on a 未收訖 item; the self-check rule
``receipts_reconciled`` and the 確認進度 student list count the 未收訖 items of the latest run that
have no note (:func:`latest_run`, :func:`unexplained_by_student`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from desktop_app.config import os_user
from desktop_app.domain.national_id import mask_id
from desktop_app.services.audit import record
from desktop_app.services.receipts import get_batch
from desktop_app.storage.db import Database
from desktop_app.storage.models import ReconcileExplanation, ReconcileRun, Student


@dataclass(frozen=True)
class ReconcileRunInfo:
    id: int
    batch_id: int
    year: int | None
    term: int | None
    run_at: datetime
    run_by: str
    files: list[dict[str, object]]
    counts: dict[str, int]
    missing: list[tuple[str, str]]  # (national_id, item_key)
    explained: int  # of ``missing``, how many carry a note now

    @property
    def unexplained(self) -> int:
        return len(self.missing) - self.explained


def latest_run(db: Database, batch_id: int) -> ReconcileRunInfo | None:
    with db.read() as s:
        run = s.scalars(
            select(ReconcileRun)
            .where(ReconcileRun.batch_id == batch_id)
            .order_by(ReconcileRun.id.desc())
            .limit(1)
        ).first()
        if run is None:
            return None
        missing = [(a, b) for a, b in json.loads(run.missing or "[]")]
        info = (run.id, run.batch_id, run.year, run.term, run.run_at, run.run_by, run.files, run.counts)
    notes = explanations(db, batch_id)
    explained = sum(1 for key in missing if key in notes)
    return ReconcileRunInfo(*info[:6], json.loads(info[6]), json.loads(info[7]), missing, explained)


def unexplained_by_student(db: Database, batch_id: int) -> dict[int, int]:
    """student id → unexplained 未收訖 items (a roster student with no receipt counts 1), latest run."""
    run = latest_run(db, batch_id)
    if run is None or not run.unexplained:
        return {}
    notes = explanations(db, batch_id)
    per: Counter[str] = Counter(nid for nid, key in run.missing if (nid, key) not in notes)
    with db.read() as s:
        ids = dict(
            s.execute(select(Student.national_id, Student.id).where(Student.national_id.in_(list(per)))).all()
        )
    return {ids[nid]: n for nid, n in per.items() if nid in ids}


def explain_missing(db: Database, batch_id: int, national_id: str, item_key: str, note: str) -> None:
    """Store (or, with an empty note, remove) the clerk's explanation of a 未收訖 item."""
    note = note.strip()
    get_batch(db, batch_id)
    with db.transaction() as s:
        old = s.scalars(
            select(ReconcileExplanation).where(
                ReconcileExplanation.batch_id == batch_id,
                ReconcileExplanation.national_id == national_id,
                ReconcileExplanation.item_key == item_key,
            )
        ).first()
        before = old.note if old else None
        if not note:
            s.execute(
                delete(ReconcileExplanation).where(
                    ReconcileExplanation.batch_id == batch_id,
                    ReconcileExplanation.national_id == national_id,
                    ReconcileExplanation.item_key == item_key,
                )
            )
        elif old is None:
            s.add(
                ReconcileExplanation(
                    batch_id=batch_id,
                    national_id=national_id,
                    item_key=item_key,
                    note=note,
                    explained_at=datetime.now(),
                    explained_by=os_user(),
                )
            )
        else:
            old.note, old.explained_at, old.explained_by = note, datetime.now(), os_user()
        record(
            s,
            "receipts.reconcile_explain",
            "receipt_batch",
            batch_id,
            summary=f"收訖對照未收訖說明（{mask_id(national_id)} {item_key or '整位學生'}）",
            before=before,
            after=note or None,
        )


def explanations(db: Database, batch_id: int) -> dict[tuple[str, str], str]:
    """The clerk's notes on the batch's 未收訖 items: (national id, item key) → note."""
    with db.read() as s:
        return {
            (e.national_id, e.item_key): e.note
            for e in s.scalars(select(ReconcileExplanation).where(ReconcileExplanation.batch_id == batch_id))
        }
