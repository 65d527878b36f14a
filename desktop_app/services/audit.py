"""The audit log: every change made through a service, with who/when and before/after."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.config import os_user
from desktop_app.domain.errors import NothingToExportError
from desktop_app.storage.db import Database
from desktop_app.storage.models import AuditEntry

if TYPE_CHECKING:  # (the labels module is not needed to record: kept off the start-up path)
    from desktop_app.domain.audit import AuditRow


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _dump(data: Any) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, default=_json_default, sort_keys=True)


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: object | None = None,
    *,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> None:
    """Add an audit entry inside the caller's transaction."""
    session.add(
        AuditEntry(
            at=datetime.now().replace(microsecond=0),
            os_user=os_user(),
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            summary=summary,
            before=_dump(before),
            after=_dump(after),
        )
    )


def list_entries(
    db: Database,
    *,
    since: date | None = None,
    until: date | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Entries newest first, filtered by date range (inclusive) and entity."""
    from desktop_app.domain.audit import AuditRow

    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(since, datetime.min.time()))
    if until is not None:
        stmt = stmt.where(AuditEntry.at <= datetime.combine(until, datetime.max.time()))
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if limit:
        stmt = stmt.limit(limit)
    with db.read() as s:
        return [
            AuditRow(e.id, e.at, e.os_user, e.action, e.entity, e.entity_id, e.summary, e.before, e.after)
            for e in s.scalars(stmt)
        ]


def list_entities(db: Database) -> list[str]:
    with db.read() as s:
        return sorted(set(s.scalars(select(AuditEntry.entity).distinct())))


AUDIT_LOG = "操作紀錄"


def export_audit_log(rows: Sequence[AuditRow], path: Path | str) -> Path:
    """The audit entries ``rows`` (as the window lists them) as xlsx at ``path``.

    Raises:
        NothingToExportError: ``rows`` is empty (no file is written).
        ServiceError: ``path`` is a folder or cannot be written.
    """
    from desktop_app.exports.audit import write_audit_xlsx
    from desktop_app.exports.files import check_target, refused_on_os_error

    if not rows:
        raise NothingToExportError("所選日期範圍與對象沒有任何操作紀錄，未匯出。請放寬日期範圍，或將對象改為「全部」。")
    target = check_target(path, AUDIT_LOG, ".xlsx")
    with refused_on_os_error(target, AUDIT_LOG):
        return write_audit_xlsx(target, rows)
