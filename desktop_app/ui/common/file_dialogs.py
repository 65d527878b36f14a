"""Every open/save dialog of the app goes through here.

The first dialog of a kind starts in the user's Documents folder (never the program's working
folder, which the installer sets to the program folder); after that, in the folder last used for
that kind of file, remembered in the per-user settings. The demo points the roster dialogs at its
sample folder for the session (:func:`use_folder_for_session`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.ui.common.settings import ui_settings

# kinds of file, each with its own remembered folder
ROSTERS = "rosters"  # 學生名冊, 收訖明細, 預檢名冊 (spreadsheets/CSV read in)
PLANS = "plans"  # 課程計畫 / 開課計畫
REPORTS = "reports"  # xlsx / PDF / ics written out (報表, 匯出)
SLIPS = "slips"  # 紙本確認單, 導師提醒名單 (PDF to print)
RECEIPTS = "receipts"  # 收訖明細 and 學生名冊 files of the 收訖明細 tab
DATABASES = "databases"  # 資料庫檔案, 備份
ATTACHMENTS = "attachments"  # 會議與檢核附件 (only their paths are recorded)
FONTS = "fonts"  # 中文字型檔
KINDS = (ROSTERS, PLANS, REPORTS, SLIPS, RECEIPTS, DATABASES, ATTACHMENTS, FONTS)

_session_folders: dict[str, Path] = {}


def documents_folder() -> Path:
    """The user's Documents folder (文件), or the home folder when the system names none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def use_folder_for_session(kind: str, folder: Path | None) -> None:
    """Start ``kind``'s dialogs in ``folder`` until the user picks another folder (not saved:
    used by the demo for its sample files, which live in a temporary folder)."""
    if folder is None:
        _session_folders.pop(kind, None)
    else:
        _session_folders[kind] = Path(folder)


def start_folder(kind: str) -> Path:
    """Where a dialog for ``kind`` opens: the session's folder, the last folder used, else 文件."""
    session = _session_folders.get(kind)
    if session is not None and session.is_dir():
        return session
    saved = ui_settings().value(f"last_folder/{kind}")
    if saved:
        folder = Path(str(saved))
        if folder.is_dir():
            return folder
    return documents_folder()


def remember_folder(kind: str, chosen: Path) -> None:
    """The folder of ``chosen`` becomes the start folder of ``kind``'s dialogs (also next time)."""
    folder = chosen if chosen.is_dir() else chosen.parent
    _session_folders.pop(kind, None)
    settings = ui_settings()
    settings.setValue(f"last_folder/{kind}", str(folder))
    settings.sync()


def open_file(parent: QWidget | None, title: str, kind: str, filters: str = "", start: Path | None = None) -> Path | None:
    """Ask for one existing file; None when cancelled. ``start`` overrides the remembered folder."""
    folder = start if start is not None and start.is_dir() else start_folder(kind)
    path, _ = QFileDialog.getOpenFileName(parent, title, str(folder), filters)
    if not path:
        return None
    remember_folder(kind, Path(path))
    return Path(path)


def open_files(parent: QWidget | None, title: str, kind: str, filters: str = "") -> list[Path]:
    """Ask for one or more existing files (empty when cancelled)."""
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(kind)), filters)
    if paths:
        remember_folder(kind, Path(paths[0]))
    return [Path(p) for p in paths]


def choose_folder(parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
    """Ask for a folder (e.g. the second backup folder); None when cancelled."""
    folder = start if start is not None and start.is_dir() else documents_folder()
    path = QFileDialog.getExistingDirectory(parent, title, str(folder))
    return Path(path) if path else None


def save_file(
    parent: QWidget | None,
    title: str,
    kind: str,
    suggested_name: str,
    filters: str = "",
    *,
    confirm_overwrite: bool = True,
    folder: Path | None = None,
) -> Path | None:
    """Ask where to save ``suggested_name`` (a bare file name: the folder is chosen here, or
    ``folder`` when given, e.g. beside the roster an annotated copy is made of)."""
    start = folder if folder is not None and folder.is_dir() else start_folder(kind)
    target = start / Path(suggested_name).name
    options = QFileDialog.Option(0) if confirm_overwrite else QFileDialog.Option.DontConfirmOverwrite
    path, _ = QFileDialog.getSaveFileName(parent, title, str(target), filters, options=options)
    if not path:
        return None
    remember_folder(kind, Path(path))
    return Path(path)


def open_saved_file(parent: QWidget | None, path: Path) -> bool:
    """Open a file just written (a PDF) with the system's program; say so, with the path, when
    that is not possible (no PDF reader installed, or no desktop to ask)."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve()))):
        return True
    QMessageBox.information(
        parent,
        "無法開啟檔案",
        f"檔案已儲存，但無法自動開啟（電腦上可能沒有可開啟此類檔案的程式）：\n{Path(path).resolve()}\n"
        "請用檔案總管找到它，以 PDF 閱讀器開啟。",
    )
    return False
