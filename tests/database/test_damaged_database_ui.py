"""Issue 11 in the window: the damaged-database banner and its restore, the restore list, a --db
that does not exist is asked about, the backup settings."""

from __future__ import annotations

from pathlib import Path

from damage_helpers import zero_page_of
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.services.working_group import MemberInput, add_member, list_members
from desktop_app.storage.backup import backup_database
from desktop_app.storage.migrate import open_database
from desktop_app.ui.app import open_gui_database
from desktop_app.ui.main_window import MainWindow


class ModalAnswerer:
    """Answers every message box that opens (Yes / OK), recording their texts."""

    def __init__(self, answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> None:
        self.answer = answer
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.texts.append(box.text())
            button = box.button(self.answer) or box.button(QMessageBox.StandardButton.Ok)
            if button is None:
                button = box.buttons()[0]
            button.click()

    def stop(self) -> None:
        self.timer.stop()


def damaged_database(db_path: Path) -> None:
    db = open_database(db_path)
    add_member(db, MemberInput(114, "損壞前的成員", "教師代表"))
    db.close()
    backup_database(db_path, reason="manual")
    zero_page_of(db_path, "wg_member")


def test_damaged_database_banner_restores_the_newest_good_backup(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    damaged_database(db_path)
    window = MainWindow(open_gui_database(str(db_path), False))
    qtbot.addWidget(window)
    window.show()
    banner = window.damaged_banner
    assert banner.isVisible() and "已損壞" in banner.label.text() and "最近一次完好的備份" in banner.label.text()
    assert banner.latest_button.isEnabled()
    assert "唯讀：資料庫已損壞" in window.windowTitle()
    answerer = ModalAnswerer()
    try:
        qtbot.mouseClick(banner.latest_button, Qt.MouseButton.LeftButton)
    finally:
        answerer.stop()
    assert any("取代目前的資料" in t for t in answerer.texts)
    assert any("已還原" in t for t in answerer.texts)
    assert not window.db.damaged and not window.db.read_only
    assert not banner.isVisible()
    assert [m.name for m in list_members(window.db, 114)] == ["損壞前的成員"]
    add_member(window.db, MemberInput(114, "還原後新增", "家長代表"))  # writable again
    window.db.close()


def test_restore_dialog_lists_date_reason_size_and_verified(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.dialogs.backup_dialogs import RestoreDialog

    open_database(db_path).close()
    backup_database(db_path, reason="manual")
    backup_database(db_path, reason="startup")
    dialog = RestoreDialog(db_path)
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(5)] for r in range(dialog.table.rowCount())]
    assert [r[1] for r in rows] == ["開啟時自動備份", "手動備份"]
    assert all(r[3] == "√ 已驗證" and r[2].endswith("KB") for r in rows)
    assert rows[0][0][:4].isdigit() and rows[0][0][4] == "-"
    dialog.table.selectRow(1)
    dialog.restore_button.click()
    assert dialog.chosen is not None and dialog.chosen.name.endswith("-manual.sqlite3")


def test_missing_db_is_asked_about_and_not_created(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.app import run_gui

    missing = tmp_path / "typo.sqlite3"
    answerer = ModalAnswerer(QMessageBox.StandardButton.No)
    try:
        assert run_gui(db_path=str(missing)) == 2
    finally:
        answerer.stop()
    assert any("找不到資料庫檔案" in t and "建立新的" in t for t in answerer.texts)
    assert not missing.exists()


def test_backup_settings_choose_a_second_folder(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.config import backup_mirror_dir
    from desktop_app.ui.dialogs.backup_dialogs import BackupSettingsDialog

    dialog = BackupSettingsDialog()
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "not-plugged-in"))
    dialog.save()
    assert "找不到資料夾" in dialog.status.text() and backup_mirror_dir() is None
    (tmp_path / "usb").mkdir()
    dialog.folder.setText(str(tmp_path / "usb"))
    dialog.save()
    assert backup_mirror_dir() == tmp_path / "usb"
