"""Course-plan versions: per 實施學年度, new version on a newer import, same file reused."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select

from desktop_app.demo.precheck import PLAN_HEADERS, SUBJECTS, write_demo_plan
from desktop_app.services import ServiceError
from desktop_app.services.precheck import runs as svc
from desktop_app.storage.migrate import head_revision, open_database, upgrade
from desktop_app.storage.models import AuditEntry, PlanCourseRow, PlanVersion


def test_import_creates_version_and_reuses_identical_file(db, tmp_path: Path) -> None:
    plan = write_demo_plan(tmp_path / "plan.xlsx")
    first = svc.import_plan(db, plan)
    assert first.created
    assert (first.version.year, first.version.version) == (114, 1)
    assert first.version.course_count == 3 * len(SUBJECTS)
    assert first.version.sha256 == svc.sha256_file(plan)
    assert first.version.file_name == "plan.xlsx"
    assert first.version.file_date is not None

    again = svc.import_plan(db, plan)
    assert not again.created
    assert again.version.id == first.version.id

    changed = write_demo_plan(tmp_path / "plan-v2.xlsx", rename={"歷史": "歷史(一)"})
    second = svc.import_plan(db, changed)
    assert second.created
    assert (second.version.year, second.version.version) == (114, 2)
    assert [v.version for v in svc.list_plan_versions(db, 114)] == [2, 1]
    courses = svc.plan_courses(svc.load_plan(db, second.version.id))
    assert {c.name for c in courses.values()} >= {"歷史(一)"}
    older = svc.plan_courses(svc.load_plan(db, first.version.id))
    assert "歷史(一)" not in {c.name for c in older.values()}

    other_year = svc.import_plan(db, write_demo_plan(tmp_path / "plan113.xlsx", year=113))
    assert (other_year.version.year, other_year.version.version) == (113, 1)
    assert svc.plan_version_for(db, 114).id == second.version.id
    assert svc.plan_version_for(db, 113).id == other_year.version.id
    assert svc.plan_version_for(db, 115).id == second.version.id  # newest earlier year
    with db.read() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "precheck.plan_import")
            )
            == 3
        )


def test_plan_without_year_column_needs_a_year(db, tmp_path: Path) -> None:
    plan = write_demo_plan(tmp_path / "plan.xlsx")
    wb = load_workbook(plan)
    ws = wb.active
    ws.delete_cols(1)  # drop 實施學年度
    assert ws.cell(1, 1).value == PLAN_HEADERS[1]
    wb.save(plan)
    with pytest.raises(ServiceError, match="實施學年度"):
        svc.import_plan(db, plan)
    imported = svc.import_plan(db, plan, default_year=115)
    assert imported.version.year == 115


def test_failed_import_changes_nothing(db, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-plan.xlsx"
    bad.write_bytes(b"this is not a spreadsheet at all")
    with pytest.raises(ServiceError, match=r"not-a-plan\.xlsx"):
        svc.import_plan(db, bad)
    with pytest.raises(ServiceError, match="找不到"):
        svc.import_plan(db, tmp_path / "missing.xlsx")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(PlanVersion)) == 0
        assert s.scalar(select(func.count()).select_from(PlanCourseRow)) == 0


def test_migration_0002_upgrades_a_0001_database(tmp_path: Path) -> None:
    from desktop_app.storage.db import Database
    from desktop_app.storage.migrate import current_revision

    path = tmp_path / "old.sqlite3"
    db = Database(path)
    upgrade(db, "0001")
    assert current_revision(db) == "0001"
    db.close()
    db = open_database(path, backup=None)
    try:
        assert current_revision(db) == head_revision()
        v = svc.import_plan(db, write_demo_plan(tmp_path / "plan.xlsx")).version
        assert v.version == 1
        _downgrade(db, "0001")  # the slot's downgrade() undoes it cleanly
        assert current_revision(db) == "0001"
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("precheck_run")}
        assert "precheck_plan_version" not in tables and "precheck_run" in tables
        assert "source" not in columns and "plan_version_id" in columns
    finally:
        db.close()


def _downgrade(db, revision: str) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from desktop_app.storage.migrate import alembic_config

    cfg = alembic_config(db.path)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
