"""The main window: menus and tab assembly, nothing else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from desktop_app import APP_TITLE
from desktop_app.services.calendar import banner_summary
from desktop_app.storage.backup import create_backup, list_backups, restore_backup
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import open_database
from desktop_app.ui.tabs import TAB_CLASSES, BaseTab
from desktop_app.ui.tabs.calendar import CalendarBanner


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
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
        for cls in TAB_CLASSES:
            tab = cls(self.db, self)
            tab.data_changed.connect(self._refresh_other_tabs)
            tab.navigate.connect(self.show_tab)
            self.tabs.addTab(tab, cls.title)
            self.tab_by_key[cls.key] = tab
        self._update_title()
        self._update_banner()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with unsaved edits (e.g. 自我檢核 answers) asks: save, discard or stay."""
        if not self.confirm_unsaved("關閉視窗"):
            event.ignore()
            return
        super().closeEvent(event)

    def confirm_unsaved(self, action: str) -> bool:
        """True when it is fine to go on with ``action``: nothing unsaved, saved, or discarded."""
        for tab in getattr(self, "tab_by_key", {}).values():
            if not tab.has_unsaved_changes():
                continue
            self.tabs.setCurrentWidget(tab)
            box = QMessageBox(QMessageBox.Icon.Question, "尚未儲存", f"「{tab.title}」有尚未儲存的修改。", parent=self)
            box.setInformativeText(f"{action}前要先儲存嗎？")
            save = box.addButton("儲存", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("不儲存", QMessageBox.ButtonRole.DestructiveRole)
            cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(save)
            box.exec()
            if box.clickedButton() is cancel:
                return False
            if box.clickedButton() is save and not tab.save_unsaved():
                return False
        return True

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

    def _update_banner(self) -> None:
        if not hasattr(self, "tab_by_key"):
            return
        overdue, soon = banner_summary(self.db, date.today())
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
        suffix = "（唯讀：另一個視窗正在使用此資料庫）" if self.db.read_only else ""
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
        self.tools_menu = bar.addMenu("工具(&T)")
        self._add(self.tools_menu, "操作紀錄(&L)…", self.show_audit_log)
        self.help_menu = bar.addMenu("說明(&H)")
        self._add(self.help_menu, "使用說明(&G)", self.open_user_guide, QKeySequence.StandardKey.HelpContents)
        self._add(self.help_menu, "關於(&A)…", self.show_about)

    def _add(self, menu, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- database actions --------------------------------------------------------------------
    def switch_database(self, path: Path) -> bool:
        """Open ``path`` in place of the current database; False (after saying why) when it cannot."""
        from desktop_app.storage.db import DatabaseFileError

        if not self.confirm_unsaved("開啟另一個資料庫"):
            return False

        try:
            new_db = open_database(path)
        except DatabaseFileError as exc:
            QMessageBox.warning(self, "開啟資料庫", str(exc))
            return False
        old = self.db
        self.db = new_db
        old.close()
        self._build_tabs()
        if new_db.read_only:
            QMessageBox.information(self, "唯讀開啟", "此資料庫正由另一個視窗使用，本視窗以唯讀方式開啟。")
        return True

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "新增資料庫", str(self.db.path.parent), "資料庫 (*.sqlite3)"
        )
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, "新增資料庫", "檔案已存在，請改用「開啟」。")
                return
            if self.switch_database(Path(path)):
                self.edit_profile()

    def open_database_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "開啟資料庫", str(self.db.path.parent), "資料庫 (*.sqlite3 *.db)"
        )
        if path:
            self.switch_database(Path(path))

    def backup_now(self) -> None:
        target = create_backup(self.db.path, reason="manual")
        QMessageBox.information(self, "備份", f"已備份到：\n{target}")

    def restore_dialog(self) -> None:
        if self.db.read_only:
            QMessageBox.warning(self, "從備份還原", "唯讀開啟時不能還原。")
            return
        backups = list_backups(self.db.path)
        start = str(backups[0].parent) if backups else str(self.db.path.parent)
        path, _ = QFileDialog.getOpenFileName(self, "選擇要還原的備份", start, "備份 (*.sqlite3)")
        if not path:
            return
        from desktop_app.storage.db import DatabaseFileError
        from desktop_app.storage.migrate import check_restorable

        try:
            check_restorable(Path(path))  # before anything is replaced
        except DatabaseFileError as exc:
            QMessageBox.warning(self, "從備份還原", str(exc))
            return
        answer = QMessageBox.question(
            self,
            "從備份還原",
            f"要用備份「{Path(path).name}」取代目前的資料嗎？\n目前的資料會先另外備份一份。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db_path = self.db.path
        self.db.engine.dispose()
        safety = restore_backup(Path(path), db_path)
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

    def show_audit_log(self) -> None:
        from desktop_app.ui.dialogs.audit_dialog import AuditDialog

        AuditDialog(self.db, self).exec()

    def open_user_guide(self) -> None:
        from desktop_app.ui.dialogs.about import open_user_guide

        open_user_guide(self)

    def show_about(self) -> None:
        from desktop_app.ui.dialogs.about import AboutDialog

        AboutDialog(self.db, self).exec()
