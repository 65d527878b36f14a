"""The window fits the screen and remembers its place; the title does not repeat the app's name;
tabs load when first shown; the file-dialog helper's folders; a saved PDF that cannot be opened
is reported with its path."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QStandardPaths
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop_app import APP_TITLE
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.settings import ui_settings
from desktop_app.ui.common.window_place import KEY, default_geometry, fits_a_screen
from desktop_app.ui.main_window import MainWindow


def _available() -> QRect:
    screen = QApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def test_first_window_fits_the_available_screen(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    avail = _available()
    assert avail.contains(window.geometry()), (window.geometry(), avail)
    # on the 1366×768 office screen (taskbar 40 px) the default leaves room for the title bar
    office = QRect(0, 0, 1366, 728)
    assert window.minimumSizeHint().height() <= office.height() - 40


def test_default_geometry_for_office_screens() -> None:
    class Screen:
        def __init__(self, rect: QRect) -> None:
            self._rect = rect

        def availableGeometry(self) -> QRect:
            return self._rect

    for avail in (QRect(0, 0, 1366, 728), QRect(0, 0, 1024, 728), QRect(0, 0, 1920, 1040)):
        rect = default_geometry(Screen(avail))  # type: ignore[arg-type]
        framed = rect.adjusted(-8, -32, 8, 8)  # a Windows title bar and borders
        assert avail.contains(framed), (avail, rect)
        assert rect.width() <= 1280 and rect.height() <= 800


def test_place_is_remembered_and_restored_only_when_it_fits(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    avail = _available()
    wanted = QRect(avail.x() + 10, avail.y() + 30, avail.width() - 60, avail.height() - 80)
    window.setGeometry(wanted)
    qtbot.waitUntil(lambda: window.geometry() == wanted)
    window.close()

    again = MainWindow(profile_db)
    qtbot.addWidget(again)
    assert again.geometry() == wanted

    # the place was on a second monitor that is gone now: not restored, the default instead
    settings = ui_settings()
    settings.beginGroup(KEY)
    settings.setValue("geometry", QRect(3000, 100, 900, 600))
    settings.setValue("frame", QRect(2992, 70, 916, 638))
    settings.endGroup()
    settings.sync()
    assert not fits_a_screen(QRect(2992, 70, 916, 638))
    third = MainWindow(profile_db)
    qtbot.addWidget(third)
    assert third.geometry() == default_geometry(third.screen())
    assert avail.contains(third.geometry())


def test_title_names_the_database_once_without_the_app_name(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    # the platform appends the application display name (「… — 學習歷程檔案 教務處作業系統」)
    assert APP_TITLE not in window.windowTitle()
    assert window.windowTitle() == profile_db.path.name


def test_tabs_are_built_when_first_shown(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.tabs import TAB_SPECS

    window = MainWindow(profile_db)
    qtbot.addWidget(window)
    assert window.built_tabs() == []
    window.show()
    assert [t.key for t in window.built_tabs()] == ["working_group"]
    window.tabs.setCurrentIndex(4)
    assert window.tabs.currentWidget() is window.tab_by_key["receipts"]
    assert [t.key for t in window.built_tabs()] == ["working_group", "receipts"]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [s.title for s in TAB_SPECS]


def test_file_dialogs_start_in_documents_then_remember_per_kind(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    expected_first = documents if documents.is_dir() else Path.home()
    asked: list[str] = []
    rosters = tmp_path / "名冊"
    rosters.mkdir()
    (rosters / "a.xlsx").write_bytes(b"x")
    reports = tmp_path / "報表"
    reports.mkdir()

    def fake_open(parent, title, folder, filters):  # type: ignore[no-untyped-def]
        asked.append(folder)
        return str(rosters / "a.xlsx"), filters

    def fake_save(parent, title, target, filters, options=None):  # type: ignore[no-untyped-def]
        asked.append(target)
        return str(reports / Path(target).name), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    assert file_dialogs.start_folder(file_dialogs.ROSTERS) == expected_first
    assert file_dialogs.start_folder(file_dialogs.ROSTERS) != Path.cwd() or expected_first == Path.cwd()
    assert file_dialogs.open_file(None, "選擇名冊", file_dialogs.ROSTERS) == rosters / "a.xlsx"
    assert asked[-1] == str(expected_first)
    file_dialogs.open_file(None, "選擇名冊", file_dialogs.ROSTERS)
    assert asked[-1] == str(rosters)  # the last folder of this kind
    out = file_dialogs.save_file(None, "匯出", file_dialogs.REPORTS, "報表.xlsx")
    assert asked[-1] == str(expected_first / "報表.xlsx")  # another kind: its own folder
    assert out == reports / "報表.xlsx"
    file_dialogs.save_file(None, "匯出", file_dialogs.REPORTS, "報表2.xlsx")
    assert asked[-1] == str(reports / "報表2.xlsx")
    # remembered across runs (the per-user settings file), not just in memory
    assert ui_settings().value(f"last_folder/{file_dialogs.ROSTERS}") == str(rosters)
    # a session folder (the demo's samples) wins until the user picks another folder
    demo = tmp_path / "demo"
    demo.mkdir()
    file_dialogs.use_folder_for_session(file_dialogs.ROSTERS, demo)
    try:
        file_dialogs.open_file(None, "選擇名冊", file_dialogs.ROSTERS)
        assert asked[-1] == str(demo)
    finally:
        file_dialogs.use_folder_for_session(file_dialogs.ROSTERS, None)


def test_every_file_dialog_in_the_app_goes_through_the_helper() -> None:
    root = Path(__file__).resolve().parents[2] / "desktop_app"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "file_dialogs.py"
        and any(
            f"QFileDialog.{name}" in path.read_text(encoding="utf-8")
            for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory")
        )
    ]
    assert offenders == []


def test_a_dialog_larger_than_the_screen_is_fitted(qtbot, profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.app import make_app
    from desktop_app.ui.dialogs.audit_dialog import AuditDialog

    make_app()  # installs the fitter, as the program does
    dialog = AuditDialog(profile_db)
    qtbot.addWidget(dialog)
    dialog.resize(3000, 2000)
    dialog.show()
    qtbot.waitExposed(dialog)
    avail = _available()
    assert dialog.width() <= avail.width() and dialog.height() <= avail.height()
    assert avail.contains(dialog.frameGeometry())
    dialog.close()


def test_the_demo_opens_its_roster_dialogs_in_its_sample_folder(tmp_path: Path) -> None:
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.app import _use_demo_sample_folders

    db = build_demo_database(tmp_path / "demo")
    try:
        _use_demo_sample_folders(db)
        rosters = file_dialogs.start_folder(file_dialogs.ROSTERS)
        receipts = file_dialogs.start_folder(file_dialogs.RECEIPTS)
        assert rosters == tmp_path / "demo" / "precheck" and any(rosters.glob("*.xlsx"))
        assert receipts == tmp_path / "demo" / "receipts"
        assert {p.name for p in receipts.iterdir()} >= {"學生名冊.csv", "114-1收訖明細.xlsx", "114-2收訖明細.xlsx"}
    finally:
        for kind in (file_dialogs.ROSTERS, file_dialogs.PLANS, file_dialogs.RECEIPTS):
            file_dialogs.use_folder_for_session(kind, None)
        db.close()


def test_a_saved_pdf_that_cannot_be_opened_is_reported_with_its_path(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "確認單.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    assert file_dialogs.open_saved_file(None, pdf) is False
    assert messages and str(pdf.resolve()) in messages[0] and "無法自動開啟" in messages[0]
