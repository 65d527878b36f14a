"""Backups you can trust (issue 11) — checked before and after, kept by kind and age, mirrored;
a damaged database is never backed up over good ones and never written to; a restore refuses a
file that is not our backup before replacing anything."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from damage_helpers import zero_page_of
from PySide6.QtWidgets import QMessageBox

from desktop_app.services.working_group import (
    MemberInput,
    add_member,
    list_members,
)
from desktop_app.storage.backup import (
    BackupEntry,
    DamagedSourceError,
    backup_database,
    backup_entries,
    newest_verified_backup,
    restore_backup,
    select_kept,
)
from desktop_app.storage.db import DamagedDatabaseError
from desktop_app.storage.integrity import check_database
from desktop_app.storage.migrate import open_database

STUDENTS = Path(__file__).resolve().parents[1] / "data" / "receipts" / "students.csv"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESKTOP_APP_DATA_DIR": str(env_dir)}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, timeout=180, env=env
    )


# --- retention --------------------------------------------------------------------------------
def entry(name: str, created: datetime, reason: str = "startup", size: int = 4096, verified: bool | None = True) -> BackupEntry:
    return BackupEntry(Path(name), created, reason, size, verified)


def test_retention_keeps_every_manual_and_before_backup_and_the_last_startups() -> None:
    now = datetime(2026, 3, 1, 9, 0)
    old = now - timedelta(days=400)
    always = [
        entry("manual", old, "manual"),
        entry("migr", old, "before-migration"),
        entry("restore", old, "before-restore"),
        entry("delete", old, "before-delete-batch"),
    ]
    # 15 start-ups this morning, one a minute
    startups = [entry(f"s{i}", now - timedelta(minutes=i)) for i in range(15)]
    kept = select_kept(always + startups, now)
    assert {e.path for e in always} <= kept
    assert {Path(f"s{i}") for i in range(10)} <= kept
    assert not {Path(f"s{i}") for i in range(10, 15)} & kept  # same day as s0: no daily slot


def test_retention_keeps_one_a_day_for_30_days_and_never_the_broken() -> None:
    now = datetime(2026, 3, 1, 9, 0)
    daily = [entry(f"d{day}-{n}", now - timedelta(days=day, hours=n)) for day in range(45) for n in range(3)]
    # the newest start-ups are a 0-byte file and one that failed its check: they take no slot
    broken = [entry("empty", now, size=0), entry("failed", now - timedelta(seconds=1), verified=False)]
    kept = select_kept(daily + broken, now)
    assert not {Path("empty"), Path("failed")} & kept
    newest_of_day = {Path(f"d{day}-0") for day in range(31)}
    assert newest_of_day <= kept
    assert not any(str(p).startswith(("d31-0", "d40-0")) for p in kept)
    # the last 10 start-ups (by time) are kept too: days 0–3 (3 a day) and the first of day 3
    assert {Path("d0-1"), Path("d0-2"), Path("d2-2"), Path("d3-0")} <= kept
    assert Path("d5-1") not in kept


def test_the_newest_verified_backup_is_never_deleted() -> None:
    now = datetime(2026, 3, 1, 9, 0)
    verified_long_ago = entry("good", now - timedelta(days=90))
    unchecked = [entry(f"u{i}", now - timedelta(minutes=i), verified=None) for i in range(12)]
    kept = select_kept([verified_long_ago, *unchecked], now)
    assert Path("good") in kept


# --- checked backups --------------------------------------------------------------------------
def test_a_backup_is_checked_named_with_reason_and_time_and_private(db_path: Path) -> None:
    db = open_database(db_path)
    add_member(db, MemberInput(114, "甲", "教師代表"))
    outcome = backup_database(db_path, reason="manual")
    db.close()
    assert outcome is not None and outcome.check.ok
    assert outcome.path.name.startswith("test-") and outcome.path.name.endswith("-manual.sqlite3")
    [listed] = backup_entries(db_path)
    assert listed.reason_label == "手動備份" and listed.verified is True and listed.size > 0
    assert check_database(listed.path, full=True).ok
    assert not list(listed.path.parent.glob("*.partial"))
    if os.name == "posix":
        assert listed.path.stat().st_mode & 0o777 == 0o600
        assert listed.path.parent.stat().st_mode & 0o777 == 0o700


def test_second_backup_folder_gets_a_verified_copy(db_path: Path, tmp_path: Path) -> None:
    from desktop_app.config import set_backup_mirror_dir

    usb = tmp_path / "usb"
    usb.mkdir()
    set_backup_mirror_dir(usb)
    open_database(db_path).close()
    outcome = backup_database(db_path, reason="manual")
    assert outcome is not None and outcome.mirror_path is not None and outcome.mirror_error is None
    assert outcome.mirror_path.read_bytes() == outcome.path.read_bytes()
    [copy] = [e for e in backup_entries(db_path)]  # the main folder
    from desktop_app.storage.backup import entries_in

    [mirrored] = entries_in(usb, db_path.stem)
    assert mirrored.verified is True and mirrored.path.name == copy.path.name
    # a stick that is not plugged in: the backup is made, the user is told about the copy
    usb.rename(tmp_path / "unplugged")
    outcome = backup_database(db_path, reason="manual")
    assert outcome is not None and outcome.path.exists()
    assert outcome.mirror_path is None and "找不到第二備份資料夾" in (outcome.mirror_error or "")


def test_damaged_database_started_12_times_keeps_its_good_backups(db_path: Path, tmp_path: Path) -> None:
    """The issue's scenario, through the start-up path (ui.app.open_gui_database, and the installed
    command once): a zeroed page, 12 starts; the verified backups from before the damage survive."""
    from desktop_app.ui.app import open_gui_database

    db = open_database(db_path)
    add_member(db, MemberInput(114, "損壞前的成員", "教師代表"))
    db.close()
    backup_database(db_path, reason="manual")
    for _ in range(10):  # ten good start-ups fill every rotating slot
        open_gui_database(str(db_path), False).close()
    before = {e.path.name for e in backup_entries(db_path)}
    good = newest_verified_backup(db_path)
    assert good is not None and len(before) == 11

    zero_page_of(db_path, "wg_member")
    damaged_sha = sha(db_path)
    for _ in range(11):
        db = open_gui_database(str(db_path), False)
        assert db.damaged and db.read_only
        db.close()
    shot = tmp_path / "damaged.png"
    run = cli("--db", str(db_path), "--screenshot", str(shot), env_dir=tmp_path / "appdata")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr

    after = {e.path.name for e in backup_entries(db_path)}
    assert after == before  # no backup of the damaged file, nothing pruned
    assert newest_verified_backup(db_path) == good
    assert check_database(good.path, full=True).ok
    assert sha(db_path) == damaged_sha  # never written to
    with pytest.raises(DamagedSourceError):
        backup_database(db_path, reason="manual")

    # restore: the good data comes back; the damaged original is kept, marked as not verified
    restore_backup(good.path, db_path)
    db = open_database(db_path, backup=None)
    assert not db.damaged and [m.name for m in list_members(db, 114)] == ["損壞前的成員"]
    db.close()
    kept_damaged = [e for e in backup_entries(db_path) if e.reason == "before-restore-damaged"]
    assert len(kept_damaged) == 1 and kept_damaged[0].verified is False


def test_students_import_on_a_damaged_database_is_refused(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    add_member(db, MemberInput(114, "甲", "教師代表"))
    db.close()
    zero_page_of(db_path, "wg_member")
    before = sha(db_path)
    run = cli("students", "import", str(STUDENTS), "--db", str(db_path), env_dir=tmp_path / "appdata")
    assert run.returncode == 2
    assert "已損壞" in run.stderr and "從備份還原" in run.stderr and "Traceback" not in run.stderr
    assert sha(db_path) == before
    assert not Path(str(db_path) + "-wal").exists() or Path(str(db_path) + "-wal").stat().st_size == 0
    assert backup_entries(db_path) == []
    # in-process, the service refuses the same way
    db = open_database(db_path)
    with pytest.raises(DamagedDatabaseError):
        add_member(db, MemberInput(114, "乙", "家長代表"))
    db.close()


def test_quick_check_on_a_damaged_page_is_detected_without_a_full_check(db_path: Path) -> None:
    db = open_database(db_path)
    with db.transaction() as session:
        from sqlalchemy import text

        session.execute(text("CREATE TABLE filler (x TEXT)"))
        session.execute(text("INSERT INTO filler SELECT hex(randomblob(200)) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 3000) SELECT n FROM c)"))
    db.close()
    zero_page_of(db_path, "filler")
    result = check_database(db_path, full=False)
    assert not result.ok and result.method == "quick_check" and result.problems


def test_restore_refuses_a_file_that_is_not_our_backup_before_replacing(  # type: ignore[no-untyped-def]
    qtbot, profile_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from PySide6.QtWidgets import QFileDialog

    from desktop_app.services.profile import get_profile
    from desktop_app.storage.backup import create_backup
    from desktop_app.storage.migrate import check_restorable
    from desktop_app.ui.main_window import MainWindow

    other = tmp_path / "grades.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE grades (x)")
    warnings: list[str] = []
    questions: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text: questions.append(text))
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.dialogs.backup_dialogs import RestoreDialog

    def other_file() -> None:  # the backup list (issue 11): 其他檔案… goes through the file dialog
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RestoreDialog):
            QTimer.singleShot(20, other_file)
            return
        dialog.other_button.click()

    QTimer.singleShot(0, other_file)
    window.restore_dialog()
    assert len(warnings) == 1 and "不是本系統的備份檔" in warnings[0] and not questions
    assert window.db is profile_db and get_profile(profile_db) is not None  # nothing replaced
    real = create_backup(profile_db.path, reason="test")
    assert real is not None
    check_restorable(real)  # a real backup passes
