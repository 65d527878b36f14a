"""Migration 0003 upgrades a database at 0002 (students kept, marked in the master) and downgrades."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from desktop_app.storage.db import Database
from desktop_app.storage.migrate import alembic_config, current_revision, upgrade


def test_0003_upgrades_from_0002_and_back(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.sqlite3")
    try:
        upgrade(db, "0002")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO student (national_id, student_no, name, birth_date, division, class_name, status)"
                    " VALUES ('A123456789', '1', '王小明', '', 'day', '301', '在學')"
                )
            )
        upgrade(db, "0003")
        assert current_revision(db) == "0003"
        tables = set(inspect(db.engine).get_table_names())
        assert {"receipt_item", "receipt_confirmation", "receipt_slip_return", "column_mapping", "pua_char"} <= tables
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name, in_master FROM student")).all() == [("王小明", 1)]
        cfg = alembic_config(db.path)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        assert "pua_char" not in set(inspect(db.engine).get_table_names())
        assert "in_master" not in {c["name"] for c in inspect(db.engine).get_columns("student")}
    finally:
        db.close()
