"""Issue 13 point 4: a change reloads only the tabs that show it (the event hub, ui/events.py); a
tab not on screen reloads when it is next shown; restoring a backup rebuilds every tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.tabs import TAB_SPECS

RECEIPTS = Path(__file__).resolve().parents[1] / "data" / "receipts"


def count_reloads(window: MainWindow) -> dict[str, int]:
    """Build every tab and count its reloads from now on."""
    counts = {spec.key: 0 for spec in TAB_SPECS}
    for spec in TAB_SPECS:
        tab = window.tab_by_key[spec.key]
        original = tab.refresh

        def counted(original=original, key=spec.key) -> None:  # type: ignore[no-untyped-def]
            counts[key] += 1
            original()

        tab.refresh = counted  # type: ignore[method-assign]
    return counts


def shown_one_by_one(window: MainWindow, counts: dict[str, int]) -> dict[str, int]:
    """Show every tab in turn (twice): what each reloaded."""
    before = dict(counts)
    for _ in range(2):
        for spec in TAB_SPECS:
            window.show_tab(spec.key)
    return {key: counts[key] - before[key] for key in counts}


@pytest.fixture
def window(qtbot, profile_db):  # type: ignore[no-untyped-def]
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_plan_import_reloads_the_tabs_that_show_precheck_runs(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo.precheck import write_demo_plan

    counts = count_reloads(window)
    window.show_tab("precheck")
    precheck = window.tab_by_key["precheck"]
    assert precheck.import_plan_file(write_demo_plan(tmp_path / "plan.xlsx")) is not None
    # the tab itself reloaded; the others are not on screen: nothing reloaded yet
    assert counts == {"working_group": 0, "calendar": 0, "selfcheck": 0, "precheck": 1, "receipts": 0}
    # 作業期程 and 自我檢核 derive from the runs: they reload once, when shown; the others never
    assert shown_one_by_one(window, counts) == {
        "working_group": 0, "calendar": 1, "selfcheck": 1, "precheck": 0, "receipts": 0,
    }  # fmt: skip


def test_the_tab_on_screen_reloads_at_once(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.dialogs.profile_dialog import ProfileDialog

    counts = count_reloads(window)
    window.show_tab("working_group")
    monkeypatch.setattr(ProfileDialog, "exec", lambda self: 1)  # 設定 → 學校資料…, 確定
    window.edit_profile()
    assert counts["working_group"] == 1  # on screen: at once (the composition check reads the profile)
    assert shown_one_by_one(window, counts) == {
        "working_group": 0, "calendar": 1, "selfcheck": 1, "precheck": 1, "receipts": 0,
    }  # fmt: skip


def test_a_student_import_reloads_only_the_receipts_tab(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from desktop_app.services.receipts.students import list_students
    from desktop_app.ui.receipts.students import StudentPreviewDialog

    counts = count_reloads(window)
    window.show_tab("receipts")
    receipts = window.tab_by_key["receipts"]
    monkeypatch.setattr(StudentPreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    receipts.students_view.import_file(RECEIPTS / "students.csv")  # runs as a job
    qtbot.waitUntil(lambda: receipts.students_view.model.rowCount() > 0, timeout=10_000)
    assert len(list_students(window.db)) == receipts.students_view.model.rowCount()
    assert shown_one_by_one(window, counts) == {
        "working_group": 0, "calendar": 0, "selfcheck": 0, "precheck": 0, "receipts": 0,
    }  # fmt: skip


def test_restore_from_a_backup_rebuilds_every_tab(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.services.working_group import MemberInput, add_member
    from desktop_app.storage.backup import backup_database
    from desktop_app.storage.migrate import open_database

    db = open_database(tmp_path / "school.sqlite3")
    add_member(db, MemberInput(114, "備份前", "教師代表"))
    backup = backup_database(db.path, reason="manual")
    assert backup is not None
    add_member(db, MemberInput(114, "備份後", "家長代表"))
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    old_tabs = [window.tab_by_key[spec.key] for spec in TAB_SPECS]
    replaced: list[bool] = []
    window.events.database_replaced.connect(lambda: replaced.append(True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    window._restore(backup.path, "（手動）")
    assert replaced == [True] and window.built_tabs() == [window.tab_by_key["working_group"]]
    new_tabs = [window.tab_by_key[spec.key] for spec in TAB_SPECS]
    assert all(new is not old and new.db is window.db for new, old in zip(new_tabs, old_tabs, strict=True))
    members = window.tab_by_key["working_group"].member_model.rows()
    assert [m.name for m in members] == ["備份前"]
    window.db.close()
