"""Backups (online API), restore, a second instance, and a writer killed mid-transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.services.working_group import MemberInput, add_member, list_members
from desktop_app.storage.backup import create_backup, list_backups, restore_backup
from desktop_app.storage.db import Database, ReadOnlyError
from desktop_app.storage.migrate import open_database


def test_backup_change_restore_gives_the_old_data_back(db_path: Path) -> None:
    db = open_database(db_path)
    add_member(db, MemberInput(114, "原本的成員", "教師代表"))
    backup = create_backup(db_path, reason="manual")
    assert backup is not None and backup.parent == db_path.parent / "backups"
    add_member(db, MemberInput(114, "後來加的", "家長代表"))
    assert len(list_members(db, 114)) == 2
    safety = restore_backup(backup, db_path)
    assert safety is not None and safety.exists()
    assert [m.name for m in list_members(db, 114)] == ["原本的成員"]
    db.close()
    # the safety backup holds what the restore replaced
    other = Database(safety, exclusive=False)
    assert len(list_members(other, 114)) == 2
    other.close()


def test_only_the_last_ten_backups_are_kept(db_path: Path) -> None:
    db = open_database(db_path)
    db.close()
    for _ in range(13):
        create_backup(db_path, reason="auto")
    assert len(list_backups(db_path)) == 10


def test_startup_makes_a_backup(db_path: Path) -> None:
    open_database(db_path).close()
    assert list_backups(db_path) == []  # nothing to back up on creation
    open_database(db_path).close()
    assert len(list_backups(db_path)) == 1


def test_second_instance_is_read_only_and_cannot_write(db_path: Path) -> None:
    first = open_database(db_path)
    add_member(first, MemberInput(114, "甲", "教師代表"))
    code = (
        "import sys\n"
        "from desktop_app.storage.migrate import open_database\n"
        "from desktop_app.services.working_group import MemberInput, add_member, list_members\n"
        "from desktop_app.storage.db import ReadOnlyError\n"
        f"db = open_database(r'{db_path}')\n"
        "print('read_only', db.read_only, len(list_members(db, 114)))\n"
        "try:\n"
        "    add_member(db, MemberInput(114, '乙', '家長代表'))\n"
        "except ReadOnlyError as exc:\n"
        "    print('refused', exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "read_only True 1" in out.stdout
    assert "refused" in out.stdout and "另一個視窗" in out.stdout
    assert [m.name for m in list_members(first, 114)] == ["甲"]
    first.close()
    # once the first instance is gone, a new one can write
    again = open_database(db_path)
    assert not again.read_only
    again.close()


def test_read_only_database_refuses_transactions(db_path: Path) -> None:
    first = open_database(db_path)
    second = Database(db_path)  # same process, lock already held → read-only
    assert second.read_only
    with pytest.raises(ReadOnlyError):
        add_member(second, MemberInput(114, "乙", "家長代表"))
    second.close()
    first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_writer_killed_mid_transaction_leaves_the_database_as_before(db_path: Path) -> None:
    db = open_database(db_path)
    add_member(db, MemberInput(114, "既有成員", "教師代表"))
    db.close()
    code = (
        "import sys, time\n"
        "from sqlalchemy import insert\n"
        "from desktop_app.storage.migrate import open_database\n"
        "from desktop_app.storage.models import Member\n"
        f"db = open_database(r'{db_path}', backup=None)\n"
        "with db.transaction() as s:\n"
        "    for chunk in range(200):\n"
        "        s.execute(insert(Member), [dict(year=114, name=f'n{chunk}-{i}', seat='其他', title='', unit='',\n"
        "                                         note='x' * 200, sort_order=i) for i in range(2000)])\n"
        "        if chunk == 20:\n"
        "            print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    db = open_database(db_path, backup=None)
    assert [m.name for m in list_members(db, 114)] == ["既有成員"]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("pragma integrity_check").scalar() == "ok"
    db.close()
