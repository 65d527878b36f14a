"""Start the GUI: paths → open (backup + migrate) → first-run profile → window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, APP_TITLE
from desktop_app.config import default_db_path, remembered_db_path
from desktop_app.resources import icon_path
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import open_database


def _install_excepthook() -> None:
    """Show refusals that escape a tab (a write on a read-only database, disk full …) as a message,
    and anything unexpected in the error dialog (logged with its traceback) instead of crashing."""
    sys.excepthook = handle_exception


def handle_exception(exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
    """The GUI's excepthook (public for tests)."""
    from desktop_app.log import log_exception
    from desktop_app.services import ServiceError
    from desktop_app.storage.db import DatabaseFileError, ReadOnlyError, describe_storage_error

    parent = QApplication.activeWindow()
    if isinstance(exc, (ServiceError, ReadOnlyError, DatabaseFileError)):
        QMessageBox.warning(parent, "無法完成", str(exc))
        return
    described = describe_storage_error(exc)
    if described:
        log_exception("storage error", exc, tb)
        QMessageBox.warning(parent, "無法完成", f"{described}。")
        return
    log_exception("unexpected error in the window", exc, tb)
    from desktop_app.ui.dialogs.error_dialog import ErrorDialog

    ErrorDialog(exc, tb, parent).exec()


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setWindowIcon(QIcon(str(icon_path())))
    _install_translator(app)
    return app


def _install_translator(app: QApplication) -> None:
    """Qt's own texts (是/否/取消 in message boxes, file dialogs) in zh-TW."""
    if getattr(app, "_zh_tw_translator", None) is not None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan), "qtbase", "_", folder):
        app.installTranslator(translator)
        app._zh_tw_translator = translator  # type: ignore[attr-defined]  # keep it alive


def open_gui_database(db_path: str | None, demo: bool, *, create: bool | None = None) -> Database:
    """The start-up open (backup + migrate). ``create``: make a missing file (default: only the
    standard database in the user's data folder is created without asking)."""
    if demo:
        from desktop_app.demo import build_demo_database

        return build_demo_database()
    path = Path(db_path) if db_path else default_db_path()
    if create is None:
        from desktop_app.config import standard_db_path

        create = path == standard_db_path()
    return open_database(path, backup="startup", create=create)


def _ask_create(path: Path) -> bool:
    answer = QMessageBox.question(
        None,
        APP_TITLE,
        f"找不到資料庫檔案「{path}」。\n\n要在這個位置建立新的（空的）資料庫嗎？\n"
        "（若是路徑打錯或磁碟未連線，請選「否」。）",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def run_gui(
    db_path: str | None = None, demo: bool = False, screenshot: str | None = None, tab: str | None = None
) -> int:
    app = make_app()
    from desktop_app.ui.main_window import MainWindow

    chosen = None if (db_path or demo) else remembered_db_path()
    if chosen is not None and not chosen.parent.is_dir():  # chosen at first run: a drive not connected?
        QMessageBox.critical(
            None, APP_TITLE, f"找不到資料庫所在的資料夾「{chosen.parent}」。\n網路磁碟或隨身碟是否已連線？連線後再開啟本程式。"
        )
        return 2
    from desktop_app.storage.db import DatabaseFileError
    from desktop_app.storage.migrate import DatabaseMissingError

    try:
        try:
            db = open_gui_database(db_path, demo)
        except DatabaseMissingError as missing:
            if screenshot or not _ask_create(missing.path):
                raise
            db = open_gui_database(db_path, demo, create=True)
    except DatabaseFileError as exc:
        print(f"錯誤：{exc}", file=sys.stderr)
        if not screenshot:
            QMessageBox.critical(None, APP_TITLE, str(exc))
        return 2
    if not screenshot:
        _install_excepthook()
    window = MainWindow(db)
    if tab and not window.show_tab(tab):
        names = "、".join(f"{t.key}（{t.title}）" for t in window.tab_by_key.values())
        print(f"找不到分頁「{tab}」。可用的分頁：{names}", file=sys.stderr)
        window.db.close()
        return 2
    if screenshot:
        _quiet_offscreen_notice()
        return _screenshot(app, window, Path(screenshot))
    if db.read_only and not db.damaged:  # a damaged database says so in its red banner
        QMessageBox.information(window, "唯讀開啟", db.read_only_reason or "本視窗以唯讀方式開啟，不能修改資料。")
    for warning in db.warnings:  # e.g. the start-up backup could not be written (disk full)
        QMessageBox.warning(window, "開啟資料庫", warning)
    window.show()
    from desktop_app.ui.dialogs.first_run import show_first_run_if_needed

    # the first-run wizard (database location, school profile, PDF font) until a profile exists
    QTimer.singleShot(0, lambda: show_first_run_if_needed(window))
    return app.exec()


def _quiet_offscreen_notice() -> None:
    """The offscreen platform's harmless English notice would be the only line a screenshot prints."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:  # type: ignore[no-untyped-def]
        if "does not support propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def _screenshot(app: QApplication, window, path: Path) -> int:  # type: ignore[no-untyped-def]
    window.resize(1400, 900)
    window.show()
    for _ in range(5):
        app.processEvents()
    pixmap = window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = pixmap.save(str(path), "PNG")
    window.close()
    window.db.close()
    if ok:
        print(str(path))
    else:
        print(f"錯誤：無法寫入截圖「{path}」。請指定一個 .png 檔名（不是資料夾），且所在資料夾可寫入。", file=sys.stderr)
    return 0 if ok else 1
