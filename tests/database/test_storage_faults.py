"""Issue 11: disk full, read-only file / folder, --db typos and devices — a clear zh-TW message
(exit 2, no traceback) on the command line, a usable window; nothing half-written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services.working_group import MemberInput, add_member, list_members
from desktop_app.storage.backup import BackupError, backup_database, backup_entries
from desktop_app.storage.db import StorageError
from desktop_app.storage.migrate import open_database

STUDENTS = Path(__file__).resolve().parents[1] / "data" / "receipts" / "students.csv"


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESKTOP_APP_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, timeout=180, env=env
    )


def student_count(path: Path) -> int:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM student").fetchone()[0])
    finally:
        conn.close()


# --- a small filesystem -----------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (root on Linux); skipped where it cannot be mounted (the simulated
    SQLITE_FULL test below still runs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root on Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m,mode=0755", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {done.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the filesystem is full."""
    filler = folder / "filler.bin"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    try:
        filler.open("ab").close()
    except OSError:
        pass
    return filler


def test_disk_full_during_import_backup_and_start(small_disk: Path, tmp_path: Path) -> None:
    db_path = small_disk / "portfolio.sqlite3"
    db = open_database(db_path)
    add_member(db, MemberInput(114, "甲", "教師代表"))
    db.close()
    backup_database(db_path, reason="manual")
    kept = [e.path.name for e in backup_entries(db_path)]
    filler = fill(small_disk)

    # import: exit 2, the message, nothing stored
    run = cli("students", "import", str(STUDENTS), "--db", str(db_path), data_dir=tmp_path / "appdata")
    assert run.returncode == 2, run.stderr
    assert "磁碟空間不足" in run.stderr and "Traceback" not in run.stderr
    assert student_count(db_path) == 0

    # backup: refused with the reason, no partial or 0-byte file takes a slot
    with pytest.raises(BackupError, match="磁碟空間不足"):
        backup_database(db_path, reason="manual")
    assert [e.path.name for e in backup_entries(db_path)] == kept
    assert not list((small_disk / "backups").glob("*.partial"))

    # start: the window's open still works (read), the failed start-up backup is reported
    from desktop_app.ui.app import open_gui_database

    db = open_gui_database(str(db_path), False)
    assert any("磁碟空間不足" in w for w in db.warnings)
    assert [m.name for m in list_members(db, 114)] == ["甲"]
    db.close()
    assert [e.path.name for e in backup_entries(db_path)] == kept

    # delete: the backup before it fails, so nothing is deleted
    run = cli("receipts", "delete", "1", "--yes", "--db", str(db_path), data_dir=tmp_path / "appdata")
    assert run.returncode == 2 and "Traceback" not in run.stderr

    filler.unlink()  # space again: everything works
    run = cli("students", "import", str(STUDENTS), "--db", str(db_path), data_dir=tmp_path / "appdata")
    assert run.returncode == 0, run.stderr
    assert student_count(db_path) > 0


def test_simulated_sqlite_full_is_a_clear_refusal(db_path: Path, tmp_path: Path) -> None:
    """Where no small filesystem can be mounted: SQLite's own page limit gives the same
    SQLITE_FULL ('database or disk is full') from a real write."""
    from sqlalchemy import event

    from desktop_app.domain.national_id import make_valid_id
    from desktop_app.services.receipts.students import import_students

    roster = tmp_path / "students.csv"
    lines = ["學號,姓名,身分證號,出生日期,部別,年級,班級,座號,學籍狀態"]
    lines += [
        f"{120000 + i},學生{i},{make_valid_id('A1' + f'{i:07d}')},0920315,日間部,1,{101 + i // 40},{i % 40 + 1},在學"
        for i in range(2000)
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")

    db = open_database(db_path)
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    with pytest.raises(StorageError, match="磁碟空間不足"):
        import_students(db, roster)
    db.close()
    assert student_count(db_path) == 0


# --- read-only file and folder ----------------------------------------------------------------
@pytest.fixture
def make_read_only() -> Iterator:  # type: ignore[type-arg]
    """Makes a file or folder unwritable: chmod for a normal user, the immutable attribute for
    root (root ignores permission bits); undone afterwards."""
    undo: list[Path] = []

    def apply(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o555 if path.is_dir() else 0o444)
        elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        undo.append(path)

    yield apply
    for path in undo:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_read_only_database_file(db_path: Path, tmp_path: Path, make_read_only) -> None:  # type: ignore[no-untyped-def]
    db = open_database(db_path)
    add_member(db, MemberInput(114, "甲", "教師代表"))
    db.close()
    make_read_only(db_path)
    run = cli("students", "import", str(STUDENTS), "--db", str(db_path), data_dir=tmp_path / "appdata")
    assert run.returncode == 2
    assert "唯讀" in run.stderr and "Traceback" not in run.stderr
    listed = cli("group", "status", "--year", "114", "--db", str(db_path), data_dir=tmp_path / "appdata")
    assert listed.returncode in (0, 1) and "（1 人）" in listed.stdout and "Traceback" not in listed.stderr
    db = open_database(db_path)
    assert db.read_only and "唯讀" in (db.read_only_reason or "")
    db.close()


def test_database_in_a_read_only_folder_opens_the_window_read_only(qtbot, tmp_path: Path, make_read_only) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "share"
    folder.mkdir()
    db_path = folder / "portfolio.sqlite3"
    db = open_database(db_path)
    add_member(db, MemberInput(114, "甲", "教師代表"))
    db.close()
    for leftover in folder.glob("portfolio.sqlite3.lock"):
        leftover.unlink()
    make_read_only(folder)

    from desktop_app.ui.app import open_gui_database
    from desktop_app.ui.main_window import MainWindow

    db = open_gui_database(str(db_path), False)  # no OSError from the lock
    assert db.read_only and "資料夾" in (db.read_only_reason or "")
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert "唯讀" in window.windowTitle()
    assert [m.name for m in list_members(db, 114)] == ["甲"]
    db.close()
    run = cli("students", "import", str(STUDENTS), "--db", str(db_path), data_dir=tmp_path / "appdata")
    assert run.returncode == 2 and "唯讀" in run.stderr and "Traceback" not in run.stderr


# --- --db mistakes ----------------------------------------------------------------------------
def test_db_typo_is_an_error_for_every_command_and_db_create_makes_one(tmp_path: Path) -> None:
    typo = tmp_path / "portfolo.sqlite3"
    data = tmp_path / "appdata"
    for line in (
        ("group", "status", "--year", "114"),
        ("calendar", "due"),
        ("students", "import", str(STUDENTS)),
        ("selfcheck", "evidence", "--term", "114-1"),
    ):
        run = cli(*line, "--db", str(typo), data_dir=data)
        assert run.returncode == 2, line
        assert "找不到資料庫檔案" in run.stderr and "db create" in run.stderr and "Traceback" not in run.stderr
        assert not typo.exists()
    made = cli("db", "create", str(typo), data_dir=data)
    assert made.returncode == 0 and typo.is_file()
    if os.name == "posix":
        assert typo.stat().st_mode & 0o777 == 0o600
    again = cli("db", "create", str(typo), data_dir=data)
    assert again.returncode == 2 and "已存在" in again.stderr
    assert cli("calendar", "due", "--db", str(typo), data_dir=data).returncode == 0


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_dev_null_as_database(tmp_path: Path) -> None:
    run = cli("group", "status", "--year", "114", "--db", "/dev/null", data_dir=tmp_path / "appdata")
    assert run.returncode == 2
    assert "不是一般檔案" in run.stderr and "Traceback" not in run.stderr


def test_default_database_is_still_created_on_first_run(tmp_path: Path) -> None:
    data = tmp_path / "appdata"
    run = cli("calendar", "due", data_dir=data)
    assert run.returncode == 0, run.stderr
    assert (data / "portfolio.sqlite3").is_file()


# --- permissions ------------------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_database_and_backups_are_private(tmp_path: Path) -> None:
    data = tmp_path / "appdata"
    assert cli("calendar", "due", data_dir=data).returncode == 0
    from desktop_app.ui.app import open_gui_database

    os.environ["DESKTOP_APP_DATA_DIR"] = str(data)  # (monkeypatched per test by conftest)
    db = open_gui_database(None, False)  # the window's start: makes a start-up backup
    db.close()
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "portfolio.sqlite3").stat().st_mode & 0o777 == 0o600
    [backup] = backup_entries(data / "portfolio.sqlite3")
    assert backup.path.stat().st_mode & 0o777 == 0o600
    assert backup.path.parent.stat().st_mode & 0o777 == 0o700
    # an old, world-readable database is tightened when opened
    (data / "portfolio.sqlite3").chmod(0o644)
    open_database(data / "portfolio.sqlite3", backup=None).close()
    assert (data / "portfolio.sqlite3").stat().st_mode & 0o777 == 0o600
