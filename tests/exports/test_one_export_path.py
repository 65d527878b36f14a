"""One export path (issue 13): the window and the installed ``desktop-app`` command call the same
service, so an export with nothing in it (or an unusable target) is refused with the same zh-TW
message in both, and no file is written. Window through qtbot, CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.demo.precheck import write_demo_plan
from desktop_app.services.working_group import MeetingInput, add_meeting, list_meetings
from desktop_app.storage.db import Database

CORRUPT_ROSTER = Path(__file__).resolve().parents[1] / "data" / "precheck" / "corrupt.xlsx"


def _cli(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    installed = Path(sys.executable).with_name("desktop-app")
    command = [str(installed)] if installed.exists() else [sys.executable, "-m", "desktop_app"]
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=120, env=env, check=False
    )


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the window's warning boxes (answered at once)."""
    shown: list[str] = []

    def warn(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        shown.append(str(args[2]))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    return shown


def test_group_exports_of_an_empty_year(qtbot, profile_db: Database, db_path: Path, tmp_path: Path, warnings) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.working_group.tab import WorkingGroupTab

    add_meeting(profile_db, MeetingInput(held_on=date(2024, 9, 10), title="第1次會議"))  # 113學年度, no members
    meeting = list_meetings(profile_db, 113)[0]
    tab = WorkingGroupTab(profile_db)
    qtbot.addWidget(tab)
    tab.year.setValue(113)
    xlsx, pdf = tmp_path / "window.xlsx", tmp_path / "window.pdf"
    assert tab.export_members(str(xlsx)) is None
    tab.sections.setCurrentIndex(1)
    tab.meeting_view.selectRow(0)
    assert tab.export_signin(str(pdf), open_after=False) is None
    assert len(warnings) == 2 and "113學年度尚未建立工作小組成員，未匯出成員名單" in warnings[0]
    assert "沒有列席人員，未產生簽到表" in warnings[1]
    profile_db.close()

    cli_xlsx, cli_pdf = tmp_path / "cli.xlsx", tmp_path / "cli.pdf"
    members = _cli(tmp_path, "group", "export", "--year", "113", "--xlsx", cli_xlsx, "--db", db_path)
    signin = _cli(tmp_path, "group", "export", "--year", "113", "--signin-pdf", cli_pdf,
                  "--meeting", str(meeting.id), "--db", db_path)  # fmt: skip
    assert (members.returncode, members.stderr.strip()) == (1, warnings[0])
    assert (signin.returncode, signin.stderr.strip()) == (1, warnings[1])
    assert not any(p.exists() for p in (xlsx, pdf, cli_xlsx, cli_pdf))


def test_selfcheck_export_to_a_folder(qtbot, profile_db: Database, db_path: Path, tmp_path: Path, warnings) -> None:  # type: ignore[no-untyped-def]
    """A form always has items (a never-saved one prints the suggestions), so the self-check
    export has no empty case: the refusal both share is the unusable target."""
    from desktop_app.ui.selfcheck.tab import SelfCheckTab

    tab = SelfCheckTab(profile_db)
    qtbot.addWidget(tab)
    term = tab.current_term()
    assert term is not None
    folder = tmp_path / "reports"
    folder.mkdir()
    assert tab.export_to("xlsx", folder) is None
    profile_db.close()
    done = _cli(tmp_path, "selfcheck", "export", "--term", term.label, "--xlsx", folder, "--db", db_path)
    assert len(warnings) == 1 and "這是資料夾，不是檔案" in warnings[0]
    assert (done.returncode, done.stderr.strip()) == (2, f"錯誤：{warnings[0]}")
    assert list(folder.iterdir()) == []


def test_precheck_annotated_copy_of_an_unreadable_roster(qtbot, profile_db: Database, tmp_path: Path, warnings) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.precheck.tab import PrecheckTab

    plan = write_demo_plan(tmp_path / "plan.xlsx")
    tab = PrecheckTab(profile_db)
    qtbot.addWidget(tab)
    assert tab.import_plan_file(plan) is not None
    tab.set_roster(CORRUPT_ROSTER)
    with qtbot.waitSignal(tab.run_finished, timeout=30000) as blocker:
        assert tab.start_check()
    assert blocker.args[0] is not None and blocker.args[0].result.fatal
    window_copy = tmp_path / "window_annotated.xlsx"
    assert tab.export_annotated(window_copy) is False

    cli_copy = tmp_path / "cli_annotated.xlsx"
    done = _cli(tmp_path, "precheck", CORRUPT_ROSTER, "--plan", plan, "--school-code", "011302",
                "--year", "114", "--term", "1", "--annotate", cli_copy)  # fmt: skip
    assert len(warnings) == 1 and "無法檢核，沒有可標註的內容，未產生標註副本" in warnings[0]
    assert done.returncode == 2 and f"錯誤：{warnings[0]}" in done.stderr.splitlines()
    assert not window_copy.exists() and not cli_copy.exists()


def test_audit_log_export_with_nothing_listed(qtbot, db: Database, tmp_path: Path, warnings) -> None:  # type: ignore[no-untyped-def]
    """The audit log has no CLI command: the window alone, through the service's rule."""
    from desktop_app.ui.dialogs.audit_dialog import AuditDialog

    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert dialog.export(tmp_path / "audit.xlsx") is None
    assert warnings == ["所選日期範圍與對象沒有任何操作紀錄，未匯出。請放寬日期範圍，或將對象改為「全部」。"]
    assert not (tmp_path / "audit.xlsx").exists()
