"""Alembic: empty → head, a database at the first revision keeps its data, a linear chain."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from desktop_app.storage.db import Database
from desktop_app.storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)


def test_revision_chain_is_linear_and_unbroken() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    bases = script.get_bases()
    assert len(bases) == 1
    revisions = list(script.walk_revisions())  # head → base
    for rev in revisions:
        down = rev.down_revision
        assert not isinstance(down, tuple), f"merge revision {rev.revision}"
    assert revisions[-1].down_revision is None
    assert len({r.revision for r in revisions}) == len(revisions)


def test_empty_to_head(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    assert current_revision(db) == head_revision()
    tables = {r[0] for r in sqlite3.connect(db.path).execute("select name from sqlite_master where type='table'")}
    assert {"school_profile", "audit_entry", "wg_member", "wg_meeting", "precheck_run"} <= tables
    db.close()


def test_database_at_first_revision_upgrades_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(path)
    upgrade(db, "0001")
    assert current_revision(db) == "0001"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into school_profile (id, school_code, name, principal, has_practice_office,"
            " has_continuing_division) values (1, '011302', '舊資料高中', '王校長', 0, 1)"
        )
        conn.exec_driver_sql(
            "insert into wg_member (year, name, title, unit, seat, note, sort_order)"
            " values (112, '舊成員', '', '', '教師代表', '', 1)"
        )
    db.close()
    db = open_database(path)
    assert current_revision(db) == head_revision()
    from desktop_app.services.profile import get_profile
    from desktop_app.services.working_group import list_members

    assert get_profile(db).name == "舊資料高中"  # type: ignore[union-attr]
    assert [m.name for m in list_members(db, 112)] == ["舊成員"]
    # an upgrade of an existing file made a backup first
    assert list((tmp_path / "backups").glob("old-*.sqlite3"))
    db.close()


def test_pragmas(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1
