"""Start the GUI: paths → open (backup + migrate) → first-run profile → window."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, APP_TITLE
from desktop_app.config import default_db_path, remembered_db_path
from desktop_app.resources import icon_path

if TYPE_CHECKING:
    from desktop_app.storage.db import Database
    from desktop_app.ui.main_window import MainWindow


def _install_excepthook() -> None:
    """Show refusals that escape a tab (a write on a read-only database, disk full …) as a message,
    and anything unexpected in the error dialog (logged with its traceback) instead of crashing."""
    sys.excepthook = handle_exception


def handle_exception(exc_type, exc, tb) -> None:
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
    _prefer_traditional_glyphs(app)
    from desktop_app.ui.common.window_place import install_dialog_fitter

    install_dialog_fitter(app)  # no dialog larger than a 1024×768 / 1366×768 screen
    return app


# CJK fonts that carry a Taiwan face, best first. "AR PL UMing" alone resolves to its CN face, and
# every AR PL UMing face draws 啟 like 啓 (開啟 reads 開啓): Noto Sans CJK TC (fonts-noto-cjk, which
# .ci/setup installs) draws the Taiwan standard forms, so it comes before AR PL UMing TW.
_TW_FAMILIES = ("Microsoft JhengHei UI", "Microsoft JhengHei", "PMingLiU", "Noto Sans CJK TC", "Noto Sans TC",
                "Source Han Sans TW", "AR PL UMing TW", "AR PL UKai TW")


def _prefer_traditional_glyphs(app: QApplication) -> None:
    """Draw UI text with a Taiwan (Traditional) face: on Linux, fontconfig picks the CN face of
    AR PL UMing for Chinese text, which shows 開啟 as 開啓 (see _TW_FAMILIES). Only Linux needs this; Windows and
    macOS already choose their Traditional Chinese UI font for a zh-TW locale."""
    if not sys.platform.startswith("linux"):
        return
    families = set(QFontDatabase.families())
    tw = [name for name in _TW_FAMILIES if name in families]
    if not tw:
        return
    font = QFont(app.font())
    font.setFamilies([*tw, *font.families()])
    app.setFont(font)


# Texts of Qt 6's file dialog that Qt's zh_TW catalogues lack (they date from older wordings,
# e.g. "Look in:" where Qt 6 says "&Look in:"), so the dialog was half English.
_QT_TEXTS_ZH_TW: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查詢(&L)：",
    ("QFileDialog", "Files of &type:"): "檔案類型(&T)：",
    ("QFileDialog", "File not found.\nPlease verify the correct file name was given."): "找不到檔案。\n請確認檔名是否正確。",
    ("QFileDialog", "%1\nFile not found.\nPlease verify the correct file name was given."):
        "%1\n找不到檔案。\n請確認檔名是否正確。",
    ("QFileDialog", "%1\nDirectory not found.\nPlease verify the correct directory name was given."):
        "%1\n找不到資料夾。\n請確認資料夾名稱是否正確。",
    ("QFileDialog", "'%1' is write protected.\nDo you want to delete it anyway?"): "「%1」受寫入保護。\n仍要刪除嗎？",
    ("QFileDialog", "Could not delete directory."): "無法刪除資料夾。",
}


class _QtTextsZhTw(QTranslator):
    """The file-dialog texts missing from Qt's catalogues (asked after them)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return _QT_TEXTS_ZH_TW.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


def _install_translator(app: QApplication) -> None:
    """Qt's own texts (是/否/取消 in message boxes, the file dialog's 檔名/檔案類型/上一層) in zh-TW,
    whatever the system's language (an office PC may run an English Windows or a C locale)."""
    if getattr(app, "_zh_tw_translator", None) is not None:
        return
    zh_tw = QLocale(QLocale.Language.Chinese, QLocale.Script.TraditionalChineseScript, QLocale.Country.Taiwan)
    QLocale.setDefault(zh_tw)  # the file dialog's dates and sizes too
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    supplement = _QtTextsZhTw(app)
    app.installTranslator(supplement)  # installed first: asked last
    kept: list[QTranslator] = [supplement]
    # qt_zh_TW is an old, incomplete catalogue (its file dialog says "Look in:"); qtbase_zh_TW is
    # the current one. Installed last, qtbase is asked first; qt fills what qtbase lacks.
    for catalogue in ("qt", "qtbase"):
        translator = QTranslator(app)
        if translator.load(zh_tw, catalogue, "_", folder):
            app.installTranslator(translator)
            kept.append(translator)
    app._zh_tw_translator = kept  # type: ignore[attr-defined]  # keep them alive


def open_gui_database(
    db_path: str | None, demo: bool, *, create: bool | None = None, backup: str | None = "startup"
) -> Database:
    """The start-up open (integrity check + migrate). ``create``: make a missing file (default: only
    the standard database in the user's data folder is created without asking). The window passes
    ``backup=None`` and makes its start-up backup after the first paint
    (:func:`start_backup_after_show`), so the copy never delays the window; a schema upgrade still
    backs up first, inside ``open_database``."""
    if demo:
        from desktop_app.demo import build_demo_database

        return build_demo_database()
    from desktop_app.storage.migrate import open_database

    path = Path(db_path) if db_path else default_db_path()
    if create is None:
        from desktop_app.config import standard_db_path

        create = path == standard_db_path()
    return open_database(path, backup=backup, create=create)


def start_backup_after_show(db: Database) -> threading.Thread:
    """Back up the database in a worker thread (SQLite's online backup: consistent while the
    window reads and writes). Returns the thread; :func:`run_gui` waits for it before exiting."""
    from desktop_app.storage.backup import backup_database

    def work() -> None:
        try:
            # the integrity check made at open is reused (a damaged file never gets here: read-only)
            backup_database(db.path, reason="startup", source_check=db.open_check)
        except Exception:  # a failed backup must not take the window down; the next start retries
            import logging

            logging.getLogger(__name__).exception("startup backup failed")

    thread = threading.Thread(target=work, name="startup-backup", daemon=True)
    thread.start()
    return thread


def _known_tab(tab: str) -> bool:
    from desktop_app.ui.tabs import TAB_SPECS

    return any(tab in (spec.key, spec.title) for spec in TAB_SPECS)


def _tab_names() -> str:
    from desktop_app.ui.tabs import TAB_SPECS

    return "、".join(f"{spec.key}（{spec.title}）" for spec in TAB_SPECS)


def _use_demo_sample_folders(db: Database) -> None:
    """The demo's roster dialogs open where its sample files are (beside the demo database)."""
    from desktop_app.ui.common import file_dialogs

    folder = db.path.parent
    file_dialogs.use_folder_for_session(file_dialogs.ROSTERS, folder / "precheck")
    file_dialogs.use_folder_for_session(file_dialogs.PLANS, folder / "precheck")
    file_dialogs.use_folder_for_session(file_dialogs.RECEIPTS, folder / "receipts")


def _remove_demo_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


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
    if screenshot:
        # rendering to a file needs no display: without this, a machine with no X server aborts
        # in the xcb plugin before anything can be said
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if tab and not _known_tab(tab):  # before anything is created (a demo folder, a window)
        print(f"找不到分頁「{tab}」。可用的分頁：{_tab_names()}", file=sys.stderr)
        return 2
    app = make_app()
    from desktop_app.ui.main_window import MainWindow

    db = _open_for_gui(db_path, demo, screenshot)
    if db is None:
        return 2
    demo_folder = db.path.parent if demo else None
    try:
        if demo:
            _use_demo_sample_folders(db)
        if not screenshot:
            _install_excepthook()
        window = MainWindow(db)
        if tab:
            window.show_tab(tab)
        if screenshot:
            _quiet_offscreen_notice()
            return _screenshot(app, window, Path(screenshot))
        return _run_window(app, window, db, demo)
    finally:
        if demo_folder is not None:
            db.close()
            _remove_demo_folder(demo_folder)


def _open_for_gui(db_path: str | None, demo: bool, screenshot: str | None) -> Database | None:
    """The database the window opens, or None once the reason was told (stderr, and a message box
    unless taking a screenshot). A missing file is created only when the person says yes."""
    chosen = None if (db_path or demo) else remembered_db_path()
    if chosen is not None and not chosen.parent.is_dir():  # chosen at first run: a drive not connected?
        QMessageBox.critical(
            None, APP_TITLE, f"找不到資料庫所在的資料夾「{chosen.parent}」。\n網路磁碟或隨身碟是否已連線？連線後再開啟本程式。"
        )
        return None
    from desktop_app.storage.db import DatabaseFileError
    from desktop_app.storage.migrate import DatabaseMissingError

    try:
        try:
            return open_gui_database(db_path, demo, backup=None)  # the backup runs after the first paint
        except DatabaseMissingError as missing:
            if screenshot or not _ask_create(missing.path):
                raise
            return open_gui_database(db_path, demo, create=True, backup=None)
    except DatabaseFileError as exc:
        print(f"錯誤：{exc}", file=sys.stderr)
        if not screenshot:
            QMessageBox.critical(None, APP_TITLE, str(exc))
        return None


def _run_window(app: QApplication, window: MainWindow, db: Database, demo: bool) -> int:
    """Show the window (after what the person must know about the database), back up after the
    first paint, offer the first-run wizard, and run the event loop until the window closes."""
    if db.read_only and not db.damaged:  # a damaged database says so in its red banner
        QMessageBox.information(window, "唯讀開啟", db.read_only_reason or "本視窗以唯讀方式開啟，不能修改資料。")
    for warning in db.warnings:  # e.g. the backup before an upgrade could not be written (disk full)
        QMessageBox.warning(window, "開啟資料庫", warning)
    window.show()
    backups: list[threading.Thread] = []
    if not demo and not db.read_only:
        # after the first paint: the backup (a copy of the whole file) never delays the window
        QTimer.singleShot(0, lambda: backups.append(start_backup_after_show(db)))
    from desktop_app.ui.dialogs.first_run import show_first_run_if_needed

    # the first-run wizard (database location, school profile, PDF font) until a profile exists
    QTimer.singleShot(0, lambda: show_first_run_if_needed(window))
    status = app.exec()
    for thread in backups:
        thread.join()  # never exit in the middle of writing a backup
    window.db.close()
    return status


def _quiet_offscreen_notice() -> None:
    """The offscreen platform's harmless English notice would be the only line a screenshot prints."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if "does not support propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def _screenshot(app: QApplication, window, path: Path) -> int:
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
