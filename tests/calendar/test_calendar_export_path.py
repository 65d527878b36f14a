"""One export path: the window and the CLI write the 作業期程 through the same service, with the
same rules (an empty 學年度 writes nothing and says so), and neither touches the writers itself."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

import desktop_app
from desktop_app.demo import core
from desktop_app.domain.errors import ServiceError
from desktop_app.services.calendar.exports import export_calendar, export_xlsx
from desktop_app.services.calendar.planning import plan_year
from desktop_app.storage.migrate import open_database
from desktop_app.ui.calendar.tab import CalendarTab

TODAY = date(2025, 9, 10)
EMPTY = "100學年度沒有任何作業期程項目，未匯出任何檔案。"  # no 學期 dates, no task: no item at all
PACKAGE = Path(desktop_app.__file__).parent


def _command() -> list[str]:
    installed = Path(sys.executable).with_name("desktop-app")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "desktop_app"]


def _run(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"))
    return subprocess.run([*_command(), *map(str, args)], capture_output=True, text=True, timeout=120, env=env)


def _answer_next_message_box(seen: list[str]) -> None:
    """Read and close the next QMessageBox (a modal left open would fail the test)."""

    def step() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, step)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, step)


def _export_action(tab: CalendarTab, word: str):  # type: ignore[no-untyped-def]
    menu = tab.export_button.menu()
    return next(a for a in menu.actions() if word in a.text())


def test_window_refuses_an_empty_year_with_a_message_and_writes_nothing(
    qtbot, profile_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "作業期程_114.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    tab = CalendarTab(profile_db, today=TODAY)
    qtbot.addWidget(tab)
    tab.show()
    tab.year.setValue(100)
    seen: list[str] = []
    _answer_next_message_box(seen)
    _export_action(tab, "Excel").trigger()  # 匯出 → Excel…, the file dialog answered above
    qtbot.waitUntil(lambda: bool(seen))
    assert EMPTY in seen[0] and not target.exists()

    # a planned year: the same menu item writes the file the CLI would
    plan_year(profile_db, 114)
    tab.year.setValue(114)
    _export_action(tab, "Excel").trigger()
    rows = list(load_workbook(target).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(tab.items) and "已匯出" in tab.message.text()


def test_cli_refuses_an_empty_year_with_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "cal.sqlite3"
    db = open_database(db_path)
    core.seed(db)
    db.close()
    outputs = {"--ics": tmp_path / "a.ics", "--xlsx": tmp_path / "a.xlsx", "--pdf": tmp_path / "a.pdf"}
    for option, out in outputs.items():
        done = _run(tmp_path, "calendar", "export", "--year", "100", option, out, "--db", db_path)
        assert done.returncode == 1, done.stderr
        assert EMPTY in done.stderr and "Traceback" not in done.stderr
        assert not out.exists()
    # a folder given as the output file: the same check as every export, before any work
    assert _run(tmp_path, "calendar", "plan", "--year", "114", "--db", db_path).returncode == 0
    done = _run(tmp_path, "calendar", "export", "--year", "114", "--xlsx", tmp_path, "--db", db_path)
    assert done.returncode == 2 and "是資料夾" in done.stderr and "Traceback" not in done.stderr


def test_service_checks_the_target_and_the_kind(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ServiceError, match=EMPTY):
        export_xlsx(profile_db, 100, out / "x.xlsx", today=TODAY)
    plan_year(profile_db, 114)
    with pytest.raises(ServiceError, match="不支援的匯出格式"):
        export_calendar(profile_db, 114, "csv", out / "x.csv", today=TODAY)
    assert not list(out.iterdir())
    with pytest.raises(ServiceError, match=r"資料夾「.*」不存在"):  # one rule: exports/files.check_target
        export_xlsx(profile_db, 114, out / "missing" / "x.xlsx", today=TODAY)
    assert not list(out.iterdir())
    assert export_calendar(profile_db, 114, "ics", out / "x.ics", today=TODAY).stat().st_size


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_window_and_cli_call_services_and_the_writers_import_no_service() -> None:
    callers = [*sorted((PACKAGE / "ui" / "calendar").glob("*.py")), PACKAGE / "commands" / "calendar.py"]
    writers = [*sorted((PACKAGE / "exports").glob("calendar_*.py")), PACKAGE / "exports" / "reminders.py"]
    assert len(callers) > 5 and len(writers) == 4
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for paths, banned in ((callers, "desktop_app.exports"), (writers, "desktop_app.services"))
        for path in paths
        for name in sorted(_imported_modules(path))
        if name == banned or name.startswith(banned + ".")
    ]
    assert offenders == []


def test_reminder_lists_one_path_with_one_empty_rule(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from desktop_app.demo import build_demo_database
    from desktop_app.services.calendar.reminder_lists import reminder_lists, write_reminder_lists
    from desktop_app.services.receipts import list_batches

    db = build_demo_database(tmp_path / "demo")
    batch_id = list_batches(db)[-1].id
    with pytest.raises(ServiceError, match="沒有符合條件的學生"):
        reminder_lists(db, batch_id, class_name="999")
    lists = reminder_lists(db, batch_id)
    out = write_reminder_lists(lists, tmp_path / "rem.pdf", allow_missing=True)
    assert out.classes == len(lists.by_class) and out.students == lists.students > 0
    assert "導師簽名" in PdfReader(str(out.path)).pages[0].extract_text()
    with pytest.raises(ServiceError, match="是資料夾"):
        write_reminder_lists(lists, tmp_path)
    db_path = tmp_path / "demo" / "demo.sqlite3"
    db.close()

    target = tmp_path / "none.pdf"
    args = ["receipts", "reminders", batch_id, "--class", "999", "--out", target, "--db", db_path]
    done = _run(tmp_path, *map(str, args))
    assert done.returncode == 1 and "沒有符合條件的學生" in done.stderr and not target.exists()
