"""Migration 0011: statuses stored as zh-TW labels become codes (and back on downgrade); the
screens' and exports' words come from the labels in domain/receipts.py."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop_app.domain.receipts import (
    CONFIRMATION_LABELS,
    OBJECTION_LABELS,
    ConfirmationStatus,
    ObjectionStatus,
)
from desktop_app.services.receipts.batches import list_batches
from desktop_app.services.receipts.confirmation import list_student_statuses
from desktop_app.services.receipts.objections import list_objections
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import alembic_config, current_revision, upgrade
from desktop_app.storage.models import Confirmation, Objection, ReceiptBatch, Student

CATEGORIES = ("修課紀錄", "幹部經歷", "課程學習成果", "多元表現", "其他")
OLD_CONFIRMATIONS = ("未確認", "已確認", "有疑義", "免確認", "視為已確認")
OLD_OBJECTIONS = ("受理", "處理中", "已更正(重新提交)", "查無誤(已回覆)")


def _old_database(path: Path) -> Database:
    """A database at 0008 holding every status label the old code stored."""
    db = Database(path)
    upgrade(db, "0010")
    with Session(db.engine) as s, s.begin():
        student = Student(national_id="A123456789", name="王小明", class_name="301", seat=1, status="畢業")
        batch = ReceiptBatch(
            name="舊批次", file_name="r.xlsx", sha256="x", imported_at=datetime(2024, 10, 1),
            period_start=date(2024, 10, 1), period_end=date(2024, 10, 20),
        )  # fmt: skip
        s.add_all([student, batch])
        s.flush()
        for category, status in zip(CATEGORIES, OLD_CONFIRMATIONS, strict=True):
            s.add(Confirmation(batch_id=batch.id, student_id=student.id, category=category, status=status))
        for status in OLD_OBJECTIONS:
            s.add(Objection(batch_id=batch.id, student_id=student.id, category="多元表現",
                            received_on=date(2024, 10, 2), status=status))  # fmt: skip
    return db


def _stored(db: Database, table: str) -> list[str]:
    with db.engine.connect() as conn:
        return [row[0] for row in conn.execute(text(f"SELECT status FROM {table} ORDER BY id"))]


def test_labels_become_codes_and_back(tmp_path: Path) -> None:
    db = _old_database(tmp_path / "old.sqlite3")
    try:
        upgrade(db, "0011")
        assert current_revision(db) == "0011"
        assert _stored(db, "receipt_confirmation") == [s.value for s in ConfirmationStatus]
        assert _stored(db, "objection") == [s.value for s in ObjectionStatus]
        with db.engine.connect() as conn:  # the student's 學籍狀態 is school data, not a status code
            assert conn.execute(text("SELECT status FROM student")).scalar() == "畢業"

        # what people read is unchanged: the labels, from one place
        (student,) = list_student_statuses(db, 1)
        assert [CONFIRMATION_LABELS[v] for v in student.statuses.values()] == list(OLD_CONFIRMATIONS)[:4]
        assert [o.status.label for o in list_objections(db, 1)] == list(OLD_OBJECTIONS)
        assert [OBJECTION_LABELS[o.status] for o in list_objections(db, 1)] == list(OLD_OBJECTIONS)
        (batch,) = list_batches(db)
        assert (batch.objections_total, batch.objections_open) == (4, 2)  # closed ones recognised

        cfg = alembic_config(db.path)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0010")
        assert _stored(db, "receipt_confirmation") == list(OLD_CONFIRMATIONS)
        assert _stored(db, "objection") == list(OLD_OBJECTIONS)
    finally:
        db.close()
