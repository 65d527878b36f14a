"""開課預檢 services. ``list_runs`` is the contract other features read (calendar, self-check)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from desktop_app.storage.db import Database
from desktop_app.storage.models import PrecheckRun


@dataclass(frozen=True)
class PrecheckRunInfo:
    id: int
    run_at: datetime
    os_user: str
    year: int | None
    term: int | None
    kind: str  # "pre" | "final"
    division: str  # "day" | "continuing"
    file_name: str
    sha256: str
    error_count: int
    warning_count: int
    seconds: float
    status: str  # "ok" | "failed"
    counts: dict[str, int] = field(default_factory=dict)


def list_runs(db: Database, year: int | None = None, term: int | None = None) -> list[PrecheckRunInfo]:
    """Recorded runs, oldest first; filtered by 學年度/學期 when given."""
    stmt = select(PrecheckRun).order_by(PrecheckRun.run_at, PrecheckRun.id)
    if year is not None:
        stmt = stmt.where(PrecheckRun.year == year)
    if term is not None:
        stmt = stmt.where(PrecheckRun.term == term)
    with db.read() as s:
        return [
            PrecheckRunInfo(
                r.id,
                r.run_at,
                r.os_user,
                r.year,
                r.term,
                r.kind,
                r.division,
                r.file_name,
                r.sha256,
                r.error_count,
                r.warning_count,
                r.seconds,
                r.status,
                json.loads(r.counts_json or "{}"),
            )
            for r in s.scalars(stmt)
        ]
