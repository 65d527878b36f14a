"""說明 menu: the user guide opens through QDesktopServices; 關於 shows version, paths and licences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from desktop_app import __version__
from desktop_app.config import backup_dir_for
from desktop_app.resources import guide_path, license_files
from desktop_app.storage.backup import create_backup
from desktop_app.storage.db import Database
from desktop_app.ui.dialogs.about import AboutDialog, open_folder, open_user_guide
from desktop_app.ui.main_window import MainWindow


class UrlCatcher(QObject):
    """Receives file:// URLs instead of the desktop (Qt's own URL-handler hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def _catch_file_urls() -> UrlCatcher:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    return catcher


def test_help_menu_has_guide_and_about(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(db)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.help_menu.actions()]
    assert texts == ["使用說明(&G)", "開啟記錄檔資料夾(&L)", "關於(&A)…"]


def test_help_menu_opens_the_log_folder(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.log import log_dir, shutdown_logging

    catcher = _catch_file_urls()
    try:
        window = MainWindow(db)
        qtbot.addWidget(window)
        action = next(a for a in window.help_menu.actions() if a.text().startswith("開啟記錄檔資料夾"))
        action.trigger()
        assert [Path(u.toLocalFile()) for u in catcher.urls] == [log_dir()]
    finally:
        QDesktopServices.unsetUrlHandler("file")
        shutdown_logging()


def test_user_guide_opens_the_shipped_file(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    catcher = _catch_file_urls()
    try:
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.help_menu.actions()[0].trigger()
        assert [Path(u.toLocalFile()) for u in catcher.urls] == [guide_path()]
        assert open_user_guide(window) is True
    finally:
        QDesktopServices.unsetUrlHandler("file")


def test_about_shows_version_paths_and_licences(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    create_backup(db.path, reason="manual")
    dialog = AboutDialog(db)
    qtbot.addWidget(dialog)
    labels = " ".join(w.text() for w in dialog.findChildren(type(dialog.db_label)))
    assert f"版本 {__version__}" in labels
    assert str(db.path) in dialog.db_label.text()
    assert str(backup_dir_for(db.path)) in dialog.backup_label.text()
    assert "保留最近 10 份及 30 天內每天一份" in dialog.backup_label.text()
    assert "目前有 1 份" in dialog.backup_label.text()
    assert "WAL" in dialog.journal_label.text()

    files = license_files()
    assert dialog.license_list.count() == len(files) > 10
    assert dialog.license_list.item(0).text() == "總覽"
    assert "MIT" in dialog.license_text.toPlainText()
    row = [p.name for p in files].index("pyside6-essentials.txt")
    dialog.license_list.setCurrentRow(row)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.license_text.toPlainText()


def test_open_folder_creates_and_opens_the_backup_folder(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    catcher = _catch_file_urls()
    try:
        folder = backup_dir_for(db.path)
        assert not folder.exists()
        assert open_folder(folder) is True
        assert folder.is_dir()
        assert Path(catcher.urls[-1].toLocalFile()) == folder
    finally:
        QDesktopServices.unsetUrlHandler("file")
