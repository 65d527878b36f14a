"""Starting the window: ``--screenshot`` needs no display, a bad ``--tab`` or database is refused
clearly (before a demo folder exists), a screenshot into a folder says what to do, ``--demo``
removes its temporary folder; the fast schema check agrees with Alembic, the first window imports
no heavy library, and the startup backup comes after the window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage


def run(tmp_path: Path, *args: str, display: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["TMPDIR"] = str(tmp_path / "tmp")  # where --demo makes its folder
    env["DESKTOP_APP_DATA_DIR"] = str(tmp_path / "appdata")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True, timeout=180, env=env
    )


def test_screenshot_without_a_display_or_platform_setting(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    proc = run(tmp_path, "--demo", "--screenshot", str(out), "--tab", "收訖明細")
    assert proc.returncode == 0, proc.stderr
    assert "xcb" not in proc.stderr
    assert QImage(str(out)).width() > 0
    # the demo's temporary folder is gone once the program ends
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_bad_tab_is_refused_before_a_demo_folder_is_made(tmp_path: Path) -> None:
    proc = run(tmp_path, "--demo", "--screenshot", str(tmp_path / "x.png"), "--tab", "nope")
    assert proc.returncode == 2
    assert "找不到分頁「nope」" in proc.stderr and "receipts（收訖明細）" in proc.stderr
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "x.png").exists()


def test_fast_head_revision_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    from desktop_app.storage.migrate import _head_from_files, alembic_config

    assert _head_from_files() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    from desktop_app.storage.migrate import open_database

    open_database(tmp_path / "a.sqlite3").close()
    code = (
        "import sys; from desktop_app.storage.migrate import open_database;"
        f"db = open_database(r'{tmp_path / 'a.sqlite3'}', backup=None); db.close();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'openpyxl', 'reportlab')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_first_window_does_not_import_heavy_libraries_or_other_tabs(tmp_path: Path) -> None:
    from desktop_app.demo import build_demo_database

    build_demo_database(tmp_path / "demo").close()
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from desktop_app.storage.migrate import open_database\n"
        "from desktop_app.ui.main_window import MainWindow\n"
        f"db = open_database(r'{tmp_path / 'demo' / 'demo.sqlite3'}', backup=None)\n"
        "w = MainWindow(db); w.show(); app.processEvents()\n"
        "heavy = ('alembic', 'openpyxl', 'reportlab', 'desktop_app.ui.precheck.tab', 'desktop_app.ui.receipts.tab',"
        " 'desktop_app.ui.selfcheck.tab', 'desktop_app.ui.calendar.tab')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
        "w.close(); db.close()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_window_options_are_read_without_the_sub_command_parser() -> None:
    from desktop_app.cli import build_parser, parse_window_args

    fast = parse_window_args(["--db", "a.sqlite3", "--tab", "收訖明細"])
    assert fast is not None and fast.command is None
    full = build_parser().parse_args(["--db", "a.sqlite3", "--tab", "收訖明細"])
    assert (fast.db, fast.tab, fast.demo, fast.screenshot, fast.self_test) == (
        full.db, full.tab, full.demo, full.screenshot, full.self_test
    )
    # anything else goes to the full parser (sub-commands, help, mistakes it explains)
    for argv in (["profile", "show"], ["--db", "x", "calendar", "due"], ["-h"], ["--version"], ["--db"], ["--dbx"]):
        assert parse_window_args(argv) is None, argv


def test_the_startup_backup_is_made_after_the_window_not_before(tmp_path: Path) -> None:
    from desktop_app.storage.backup import list_backups
    from desktop_app.storage.migrate import open_database
    from desktop_app.ui.app import open_gui_database, start_backup_after_show

    path = tmp_path / "school.sqlite3"
    open_database(path, backup=None).close()
    db = open_gui_database(str(path), demo=False, backup=None)  # as run_gui opens it
    try:
        assert list_backups(path) == []  # opening for the window does not copy the file first
        start_backup_after_show(db).join(timeout=30)
        backups = list_backups(path)
        assert len(backups) == 1 and "startup" in backups[0].name
    finally:
        db.close()


def test_gui_refuses_bad_tab_and_bad_database_clearly(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.ui.app import run_gui

    shot = tmp_path / "shot.png"
    from desktop_app.storage.migrate import open_database

    open_database(tmp_path / "a.sqlite3").close()  # --db never creates a database without asking
    assert run_gui(db_path=str(tmp_path / "a.sqlite3"), screenshot=str(shot), tab="bogus") == 2
    err = capsys.readouterr().err
    assert "找不到分頁「bogus」" in err and "working_group（工作小組）" in err
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00" * 100)
    assert run_gui(db_path=str(bad), screenshot=str(shot)) == 2
    assert "不是 SQLite 格式" in capsys.readouterr().err and not shot.exists()


def test_screenshot_to_a_folder_says_what_to_do(qtbot, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.migrate import open_database
    from desktop_app.ui.app import run_gui

    open_database(tmp_path / "a.sqlite3").close()
    assert run_gui(db_path=str(tmp_path / "a.sqlite3"), screenshot=str(tmp_path)) == 1
    assert "無法寫入截圖" in capsys.readouterr().err


def test_screenshot_command_prints_only_the_file_name(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    from desktop_app.storage.migrate import open_database

    open_database(tmp_path / "a.sqlite3").close()  # --db never creates a database without asking
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(tmp_path / "a.sqlite3"), "--screenshot", str(shot),
         "--tab", "作業期程"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(shot) and shot.stat().st_size > 10_000
    assert "propagateSizeHints" not in out.stderr
