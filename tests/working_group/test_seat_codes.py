"""Seats are stored as codes, shown by their zh-TW names; migration 0010 converts stored names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from desktop_app.domain.working_group import SEAT_LABELS, SEATS, Seat, parse_seat
from desktop_app.services.audit import list_entries
from desktop_app.services.working_group import MemberInput, add_member, list_members, update_member
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)

OLD_NAMES = [  # what the database held before 0010, one row per seat, plus a stray unknown value
    ("召集人", "convener"), ("執行秘書", "secretary"), ("教務處代表", "academic"),
    ("學務處代表", "student_affairs"), ("輔導處(室)代表", "counseling"),
    ("課程諮詢教師代表", "course_counselor"), ("教師代表", "teacher"), ("家長代表", "parent"),
    ("學生代表", "student"), ("實習處代表", "practice"), ("進修部代表", "continuing"), ("其他", "other"),
]  # fmt: skip


def _stored_seats(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("select seat from wg_member order by sort_order")]


def test_every_seat_has_one_label_and_parses_from_code_and_name() -> None:
    assert set(SEAT_LABELS) == set(Seat) and len(set(SEAT_LABELS.values())) == len(Seat)
    for seat in SEATS:
        assert parse_seat(seat.value) is seat and parse_seat(seat.label) is seat
    assert parse_seat("輔導處（室）代表") is Seat.COUNSELING  # full-width parentheses, as typed
    assert parse_seat("課諮師代表") is Seat.COURSE_COUNSELOR  # the short name found in sheets
    assert parse_seat(" TEACHER ") is Seat.TEACHER
    assert parse_seat("校長") is None and parse_seat("") is None


def test_the_database_holds_codes_and_the_audit_log_names(db) -> None:  # type: ignore[no-untyped-def]
    member = add_member(db, MemberInput(114, "甲", "教師代表"))
    assert member.seat is Seat.TEACHER and member.seat.label == "教師代表"
    update_member(db, member.id, MemberInput(114, "甲", Seat.PARENT))
    assert _stored_seats(db.path) == ["parent"]
    assert [m.seat for m in list_members(db, 114)] == [Seat.PARENT]
    summaries = [e.summary for e in list_entries(db)]
    assert "修改成員 甲（家長代表）" in summaries and "114學年度 新增成員 甲（教師代表）" in summaries


def _downgrade(db: Database, revision: str) -> None:
    cfg = alembic_config(db.path)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_0010_converts_stored_names_to_codes_and_back(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(path)
    upgrade(db, "0009")
    rows = [*OLD_NAMES, ("輔導處（室）代表", "counseling"), ("顧問", "顧問")]
    with db.engine.begin() as conn:
        for order, (name, _code) in enumerate(rows, start=1):
            conn.exec_driver_sql(
                "insert into wg_member (year, name, title, unit, seat, note, sort_order)"
                " values (113, ?, '', '', ?, '', ?)",
                (f"成員{order}", name, order),
            )
    db.close()

    db = open_database(path)  # the app's own path: backup, then upgrade to head
    try:
        assert current_revision(db) == head_revision()
        assert _stored_seats(path) == [code for _name, code in rows]
        shown = {m.name: m.seat.label for m in list_members(db, 113)}
        assert [shown[f"成員{i}"] for i in range(1, 13)] == [name for name, _code in OLD_NAMES]
        assert shown["成員13"] == "輔導處(室)代表"
        assert shown["成員14"] == "其他"  # the unknown value reads as 其他, and stays stored
        _downgrade(db, "0009")
        assert _stored_seats(path) == [*(name for name, _code in OLD_NAMES), "輔導處(室)代表", "顧問"]
    finally:
        db.close()


@pytest.mark.parametrize("seat", list(Seat))
def test_migration_table_matches_the_labels(seat: Seat) -> None:
    """The frozen table in 0010 names each seat as the domain does today (a new seat needs a row)."""
    from importlib import import_module

    migration = import_module("desktop_app.storage.migrations.versions.0010_seat_codes")
    assert migration.LABELS[seat.value] == seat.label


def test_member_dialog_shows_the_name_and_keeps_the_code(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.working_group.dialogs import MemberDialog

    member = add_member(db, MemberInput(114, "蔡宗翰", "家長代表"))
    dialog = MemberDialog(114, member)
    qtbot.addWidget(dialog)
    assert dialog.seat.currentText() == "家長代表" and dialog.hint.text() == "家長會代表"
    assert [dialog.seat.itemText(i) for i in range(dialog.seat.count())] == [s.label for s in SEATS]
    update_member(db, member.id, dialog.value())
    assert _stored_seats(db.path) == ["parent"]
