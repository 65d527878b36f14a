"""The main window: menus and tab assembly, nothing else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from desktop_app import APP_TITLE
from desktop_app.services.calendar import banner_summary
from desktop_app.storage.backup import BackupError, backup_database, newest_verified_backup, restore_backup
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import open_database
from desktop_app.ui.tabs import TAB_CLASSES, BaseTab
from desktop_app.ui.tabs.calendar import CalendarBanner
from desktop_app.ui.widgets.damaged_banner import DamagedDatabaseBanner


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        # A database that failed its integrity check at open: red, above everything, with the restore
        self.damaged_banner = DamagedDatabaseBanner(central)
        self.damaged_banner.restore_latest.connect(self.restore_latest_good)
        self.damaged_banner.restore_other.connect(self.restore_dialog)
        layout.addWidget(self.damaged_banner)
        # The start-up banner: what is overdue or due this week (作業期程), on every tab but that one
        self.banner = CalendarBanner(central)
        self.banner.clicked.connect(lambda: self.show_tab("calendar"))
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(central)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.currentChanged.connect(self._update_banner)
        self.resize(1280, 800)
        self._build_menus()
        self._build_tabs()

    # --- tabs --------------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        self.tab_by_key: dict[str, BaseTab] = {}
        self._update_damaged_banner()
        for cls in TAB_CLASSES:
            try:
                tab = cls(self.db, self)
            except Exception as exc:  # only a damaged database gets here: show the rest of the window
                if not self.db.damaged:
                    raise
                from PySide6.QtWidgets import QLabel

                from desktop_app.log import log_exception

                log_exception(f"tab {cls.key} cannot load from the damaged database", exc)
                placeholder = QLabel("此分頁的資料在損壞的資料庫中無法讀取。請用上方的按鈕從備份還原。")
                placeholder.setAlignment(placeholder.alignment() | Qt.AlignmentFlag.AlignCenter)
                self.tabs.addTab(placeholder, cls.title)
                continue
            tab.data_changed.connect(self._refresh_other_tabs)
            tab.navigate.connect(self.show_tab)
            self.tabs.addTab(tab, cls.title)
            self.tab_by_key[cls.key] = tab
        self._update_title()
        self._update_banner()

    def _refresh_other_tabs(self) -> None:
        sender = self.sender()
        for tab in self.tab_by_key.values():
            if tab is not sender:
                tab.refresh()
        self._update_banner()

    def refresh_all(self) -> None:
        """Reload every tab and the 作業期程 banner (after the profile, settings or database changed)."""
        for tab in self.tab_by_key.values():
            tab.refresh()
        self._update_banner()

    def _update_damaged_banner(self) -> None:
        latest = None
        if self.db.damaged:
            entry = newest_verified_backup(self.db.path)
            if entry is not None:
                latest = f"{entry.created:%Y-%m-%d %H:%M}（{entry.reason_label}）"
        self.damaged_banner.show_problem(self.db.damaged, latest)

    def _update_banner(self) -> None:
        if not hasattr(self, "tab_by_key"):
            return
        try:
            overdue, soon = banner_summary(self.db, date.today())
        except Exception:
            if not self.db.damaged:
                raise
            overdue, soon = [], []
        self.banner.set_summary(overdue, soon)
        on_calendar = self.tabs.currentWidget() is self.tab_by_key.get("calendar")
        self.banner.setVisible(bool(overdue or soon) and not on_calendar)

    def show_tab(self, name: str, record: object = None) -> bool:
        """Switch to a tab by key (``working_group``) or title (``工作小組``)."""
        for tab in self.tab_by_key.values():
            if name in (tab.key, tab.title):
                self.tabs.setCurrentWidget(tab)
                if record is not None:
                    tab.show_record(record)
                return True
        return False

    def _update_title(self) -> None:
        if self.db.damaged:
            suffix = "（唯讀：資料庫已損壞）"
        elif self.db.read_only and "另一個視窗" in (self.db.read_only_reason or ""):
            suffix = "（唯讀：另一個視窗正在使用此資料庫）"
        else:
            suffix = "（唯讀）" if self.db.read_only else ""
        self.setWindowTitle(f"{APP_TITLE} — {self.db.path.name}{suffix}")
        self.statusBar().showMessage(f"資料庫：{self.db.path}")

    # --- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("檔案(&F)")
        self._add(file_menu, "新增資料庫(&N)…", self.new_database)
        self._add(file_menu, "開啟(&O)…", self.open_database_dialog, QKeySequence.StandardKey.Open)
        file_menu.addSeparator()
        self._add(file_menu, "備份(&B)", self.backup_now)
        self._add(file_menu, "從備份還原(&R)…", self.restore_dialog)
        file_menu.addSeparator()
        self._add(file_menu, "結束(&X)", self.close, QKeySequence.StandardKey.Quit)
        self.settings_menu = bar.addMenu("設定(&S)")
        self._add(self.settings_menu, "學校資料(&P)…", self.edit_profile)
        self._add(self.settings_menu, "個資與列印(&M)…", self.edit_settings)
        self._add(self.settings_menu, "備份(&K)…", self.edit_backup_settings)
        self.tools_menu = bar.addMenu("工具(&T)")
        self._add(self.tools_menu, "操作紀錄(&L)…", self.show_audit_log)
        self.help_menu = bar.addMenu("說明(&H)")
        self._add(self.help_menu, "使用說明(&G)", self.open_user_guide, QKeySequence.StandardKey.HelpContents)
        self._add(self.help_menu, "開啟記錄檔資料夾(&L)", self.open_log_folder)
        self._add(self.help_menu, "關於(&A)…", self.show_about)

    def _add(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- database actions --------------------------------------------------------------------
    def switch_database(self, path: Path, *, create: bool = False) -> bool:
        """Open ``path`` in place of the current database; False (after saying why) when it cannot."""
        from desktop_app.storage.db import DatabaseFileError

        try:
            new_db = open_database(path, create=create)
        except DatabaseFileError as exc:
            QMessageBox.warning(self, "開啟資料庫", str(exc))
            return False
        old = self.db
        self.db = new_db
        old.close()
        self._build_tabs()
        if new_db.read_only and not new_db.damaged:
            QMessageBox.information(self, "唯讀開啟", new_db.read_only_reason or "本視窗以唯讀方式開啟。")
        for warning in new_db.warnings:
            QMessageBox.warning(self, "開啟資料庫", warning)
        return True

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "新增資料庫", str(self.db.path.parent), "資料庫 (*.sqlite3)"
        )
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, "新增資料庫", "檔案已存在，請改用「開啟」。")
                return
            if self.switch_database(Path(path), create=True):
                self.edit_profile()

    def open_database_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "開啟資料庫", str(self.db.path.parent), "資料庫 (*.sqlite3 *.db)"
        )
        if path:
            self.switch_database(Path(path))

    def backup_now(self) -> None:
        try:
            outcome = backup_database(self.db.path, reason="manual")
        except BackupError as exc:
            QMessageBox.warning(self, "備份", f"沒有備份：{exc}")
            return
        if outcome is None:
            QMessageBox.information(self, "備份", "資料庫還是空的，沒有需要備份的資料。")
            return
        text = f"已備份並通過檢查（{outcome.check.method}）：\n{outcome.path}"
        if outcome.mirror_path:
            text += f"\n第二備份資料夾：\n{outcome.mirror_path}"
        if outcome.mirror_error:
            text += f"\n\n但沒有複製到第二備份資料夾：{outcome.mirror_error}"
        QMessageBox.information(self, "備份", text)

    def _can_restore(self) -> bool:
        if self.db.read_only and not (self.db.damaged and self.db.lock_held):
            QMessageBox.warning(self, "從備份還原", f"唯讀開啟時不能還原。{self.db.read_only_reason or ''}")
            return False
        return True

    def restore_latest_good(self) -> None:
        """The damaged-database banner's button: the newest backup that passed its check."""
        if not self._can_restore():
            return
        entry = newest_verified_backup(self.db.path)
        if entry is None:
            QMessageBox.warning(self, "從備份還原", "找不到通過檢查的備份。請用「選擇其他備份…」指定備份檔。")
            return
        self._restore(entry.path, f"{entry.created:%Y-%m-%d %H:%M:%S}（{entry.reason_label}）")

    def restore_dialog(self) -> None:
        if not self._can_restore():
            return
        from desktop_app.ui.dialogs.backup_dialogs import RestoreDialog

        dialog = RestoreDialog(self.db.path, self)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        self._restore(dialog.chosen, f"「{dialog.chosen.name}」")

    def _restore(self, path: Path, label: str) -> None:
        from desktop_app.storage.db import DatabaseFileError
        from desktop_app.storage.migrate import check_restorable

        try:
            check_restorable(path)  # before anything is replaced
        except DatabaseFileError as exc:
            QMessageBox.warning(self, "從備份還原", str(exc))
            return
        answer = QMessageBox.question(
            self,
            "從備份還原",
            f"要用備份 {label} 取代目前的資料嗎？\n目前的資料會先另外備份一份"
            + ("（損壞的原檔也會保留一份）" if self.db.damaged else "")
            + "。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db_path = self.db.path
        self.db.engine.dispose()
        try:
            safety = restore_backup(path, db_path)
        except BackupError as exc:
            QMessageBox.warning(self, "從備份還原", f"沒有還原：{exc}")
            return
        self.db.close()
        self.db = open_database(db_path, backup=None)
        self._build_tabs()
        QMessageBox.information(self, "從備份還原", f"已還原。原本的資料已備份到：\n{safety}")

    def edit_profile(self) -> None:
        from desktop_app.ui.dialogs.profile_dialog import ProfileDialog

        if ProfileDialog(self.db, self).exec():
            self.refresh_all()

    def edit_settings(self) -> None:
        from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

        if SettingsDialog(self.db, self).exec():
            self.refresh_all()

    def edit_backup_settings(self) -> None:
        from desktop_app.ui.dialogs.backup_dialogs import BackupSettingsDialog

        BackupSettingsDialog(self).exec()

    def open_log_folder(self) -> None:
        from desktop_app.log import log_dir
        from desktop_app.ui.dialogs.about import open_folder

        open_folder(log_dir())

    def show_audit_log(self) -> None:
        from desktop_app.ui.dialogs.audit_dialog import AuditDialog

        AuditDialog(self.db, self).exec()

    def open_user_guide(self) -> None:
        from desktop_app.ui.dialogs.about import open_user_guide

        open_user_guide(self)

    def show_about(self) -> None:
        from desktop_app.ui.dialogs.about import AboutDialog

        AboutDialog(self.db, self).exec()
