"""The main window: menus and tab assembly, nothing else."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from desktop_app.storage.backup import BackupError, backup_database, newest_verified_backup, restore_backup
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.damaged_banner import DamagedDatabaseBanner
from desktop_app.ui.common.reminder_banner import CalendarBanner
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.common.window_place import place_window, save_window_place
from desktop_app.ui.events import AppEvents, Topic
from desktop_app.ui.tabs import TAB_SPECS

# the reminder banner sums up 作業期程's deadlines: it changes with what 作業期程 shows
BANNER_TOPICS = (Topic.CALENDAR, Topic.WORKING_GROUP, Topic.PRECHECK, Topic.RECEIPTS, Topic.PROFILE)


class TabUnavailable(KeyError):
    """A tab that cannot be built: its data cannot be read from a damaged database."""


class _LazyTabs(Mapping[str, BaseTab]):
    """``window.tab_by_key``: a tab is built (its module imported, its data loaded) on first use."""

    def __init__(self, window: MainWindow) -> None:
        # a weak reference: window → tab_by_key → window would be a cycle, leaving the window to
        # the garbage collector, which may destroy it at any later moment (even inside another
        # widget's constructor)
        self._window = weakref.ref(window)

    def __getitem__(self, key: str) -> BaseTab:
        window = self._window()
        if window is None:
            raise KeyError(key)
        for index, spec in enumerate(TAB_SPECS):
            if spec.key == key:
                return window.ensure_tab(index)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(spec.key for spec in TAB_SPECS)

    def __len__(self) -> int:
        return len(TAB_SPECS)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.events = AppEvents(self)  # what changed → the tabs (and the banner) that show it
        for topic in BANNER_TOPICS:
            self.events.signal(topic).connect(self._banner_data_changed)
        self.events.database_replaced.connect(self._build_tabs)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        # A database that failed its integrity check at open: red, above everything, with the restore
        self.damaged_banner = DamagedDatabaseBanner(central)
        self.damaged_banner.restore_latest.connect(self.restore_latest_good)
        self.damaged_banner.restore_other.connect(self.restore_dialog)
        layout.addWidget(self.damaged_banner)
        # The start-up banner: what is overdue or due this week (作業期程), above the tabs on every tab
        self.banner = CalendarBanner(central)
        self.banner.clicked.connect(self._banner_clicked)
        self.banner.setVisible(False)  # until there is something to remind of
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(central)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.tabs.currentChanged.connect(self._current_tab_changed)
        place_window(self)
        self._build_menus()
        self._build_tabs()

    # --- tabs --------------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        """One empty page per tab; a tab is built when it is first shown (or asked for)."""
        self.tabs.blockSignals(True)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        self._built: dict[str, BaseTab] = {}
        self._update_damaged_banner()
        for spec in TAB_SPECS:
            self.tabs.addTab(QWidget(), spec.title)
        self.tabs.blockSignals(False)
        self.tab_by_key: Mapping[str, BaseTab] = _LazyTabs(self)
        self._update_title()
        if self.isVisible():
            with contextlib.suppress(TabUnavailable):
                self.ensure_tab(self.tabs.currentIndex())
            self._update_banner()
        else:
            # The banner gathers every feature's deadlines (their services and models): it is
            # filled in just after the window's first paint, so it never delays the window.
            self._banner_pending = True

    def ensure_tab(self, index: int) -> BaseTab:
        """The tab at ``index``, built now if it was not yet (it replaces its empty page)."""
        spec = TAB_SPECS[index]
        built = self._built.get(spec.key)
        if built is not None:
            built.refresh_if_stale()  # data it shows changed while another tab was on screen
            return built
        try:
            tab = spec.load()(self.db, self)
        except Exception as exc:  # only a damaged database gets here: the rest of the window stays
            if not self.db.damaged:
                raise
            self._show_unreadable_tab(index, exc)
            raise TabUnavailable(spec.key) from None
        tab.subscribe(self.events)
        tab.navigate.connect(self.show_tab)
        if hasattr(tab, "use_window_banner"):
            tab.use_window_banner(self.banner)
        self._built[spec.key] = tab
        was_current = self.tabs.currentIndex() == index
        placeholder = self.tabs.widget(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, tab, spec.title)
        if was_current:
            self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        if placeholder is not None:
            placeholder.deleteLater()
        return tab

    def _show_unreadable_tab(self, index: int, exc: Exception) -> None:
        """A tab whose data cannot be read from the damaged database: a line saying so instead."""
        from PySide6.QtWidgets import QLabel

        from desktop_app.log import log_exception

        spec = TAB_SPECS[index]
        page = self.tabs.widget(index)
        if isinstance(page, QLabel):
            return
        log_exception(f"tab {spec.key} cannot load from the damaged database", exc)
        label = QLabel("此分頁的資料在損壞的資料庫中無法讀取。請用上方的按鈕從備份還原。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        was_current = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, label, spec.title)
        if was_current:
            self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        if page is not None:
            page.deleteLater()

    def built_tabs(self) -> list[BaseTab]:
        """The tabs built so far (the others load their data when first shown)."""
        return list(self._built.values())

    def _current_tab_changed(self, index: int) -> None:
        if index >= 0:
            with contextlib.suppress(TabUnavailable):
                self.ensure_tab(index)
        self._update_banner()

    def showEvent(self, event: QShowEvent) -> None:
        if self.tabs.currentIndex() >= 0:
            with contextlib.suppress(TabUnavailable):
                self.ensure_tab(self.tabs.currentIndex())
        super().showEvent(event)
        if self.property("_restore_maximized"):
            self.setProperty("_restore_maximized", False)
            self.showMaximized()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if getattr(self, "_banner_pending", False):
            self._banner_pending = False
            QTimer.singleShot(0, self._update_banner)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with unsaved edits (e.g. 自我檢核 answers) asks: save, discard or stay."""
        if not self.confirm_unsaved("關閉視窗"):
            event.ignore()
            return
        self._stop_jobs()
        save_window_place(self)
        super().closeEvent(event)

    def _stop_jobs(self) -> bool:
        """Cancel this window's background jobs (a cancelled service rolls back: the database stays
        as it was) and wait for a running one to stop; False when it is still running after the wait."""
        from desktop_app.ui.jobs import runner

        return runner().stop_jobs_of(self)

    def _jobs_stopped(self, title: str) -> bool:
        if self._stop_jobs():
            return True
        QMessageBox.warning(self, title, "背景工作還在進行，無法停止。請等它完成後再試一次。")
        return False

    def confirm_unsaved(self, action: str) -> bool:
        """True when it is fine to go on with ``action``: nothing unsaved, saved, or discarded."""
        for tab in self.built_tabs() if hasattr(self, "tab_by_key") else []:
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

    def _banner_data_changed(self, _source: object) -> None:
        self._update_banner()

    def refresh_all(self) -> None:
        """Reload every built tab and the 作業期程 banner (the first-run wizard: everything is new)."""
        for tab in self.built_tabs():
            tab.reload_now()
        self._banner_pending = False
        self._update_banner()

    def _update_damaged_banner(self) -> None:
        latest = None
        if self.db.damaged:
            entry = newest_verified_backup(self.db.path)
            if entry is not None:
                latest = f"{entry.created:%Y-%m-%d %H:%M}（{entry.reason_label}）"
        self.damaged_banner.show_problem(self.db.damaged, latest)

    def _update_banner(self) -> None:
        """The reminder banner: above the tabs, the same on every tab (作業期程 included)."""
        if not hasattr(self, "tab_by_key") or getattr(self, "_banner_pending", False):
            return
        from desktop_app.domain.roc_date import school_year_of
        from desktop_app.services.calendar import banner_summary, planned_years

        try:
            overdue, soon = banner_summary(self.db, date.today())
        except Exception:
            if not self.db.damaged:
                raise
            return  # a damaged database: its red banner says what matters
        self.banner.set_summary(overdue, soon)
        if overdue or soon:
            self.banner.setVisible(True)
            return
        year = school_year_of(date.today())
        # nothing planned for this 學年度 is not 「沒有逾期」: a grey line says so (issue 15)
        unplanned = year not in planned_years(self.db)
        if unplanned:
            self.banner.set_unplanned(year)
        self.banner.setVisible(unplanned)

    def _banner_clicked(self) -> None:
        self.show_tab("calendar")
        calendar = self.tab_by_key["calendar"]
        if hasattr(calendar, "show_pending"):
            calendar.show_pending()

    def show_tab(self, name: str, record: object = None) -> bool:
        """Switch to a tab by key (``working_group``) or title (``工作小組``)."""
        for index, spec in enumerate(TAB_SPECS):
            if name in (spec.key, spec.title):
                try:
                    tab = self.ensure_tab(index)
                except TabUnavailable:
                    self.tabs.setCurrentIndex(index)
                    return False
                self.tabs.setCurrentWidget(tab)
                if record is not None:
                    tab.show_record(record)
                return True
        return False

    def _update_title(self) -> None:
        # The platform adds the application's name (「… — 學習歷程檔案 教務處作業系統」); the title
        # itself names only the database, so the name does not appear twice.
        if self.db.damaged:
            suffix = "（唯讀：資料庫已損壞）"
        elif self.db.read_only and "另一個視窗" in (self.db.read_only_reason or ""):
            suffix = "（唯讀：另一個視窗正在使用此資料庫）"
        else:
            suffix = "（唯讀）" if self.db.read_only else ""
        self.setWindowTitle(f"{self.db.path.name}{suffix}")
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
        # Ctrl+Q on every system (Windows has no standard Quit key; the guide names Ctrl+Q)
        self._add(file_menu, "結束(&X)", self.close, QKeySequence("Ctrl+Q"))
        self.settings_menu = bar.addMenu("設定(&S)")
        self._add(self.settings_menu, "學校資料(&P)…", self.edit_profile)
        self._add(self.settings_menu, "個資與列印(&M)…", self.edit_settings)
        self._add(self.settings_menu, "及格標準(&G)…", self.edit_pass_marks)
        self._add(self.settings_menu, "備份(&K)…", self.edit_backup_settings)
        self.tools_menu = bar.addMenu("工具(&T)")
        self._add(self.tools_menu, "操作紀錄(&L)…", self.show_audit_log)
        self.help_menu = bar.addMenu("說明(&H)")
        self._add(self.help_menu, "使用說明(&G)", self.open_user_guide, QKeySequence.StandardKey.HelpContents)
        self._add(self.help_menu, "開啟記錄檔資料夾(&L)", self.open_log_folder)
        self._add(self.help_menu, "關於(&A)…", self.show_about)

    def _add(self, menu, text: str, slot, shortcut=None) -> QAction:
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

        if not self.confirm_unsaved("開啟另一個資料庫") or not self._jobs_stopped("開啟資料庫"):
            return False

        try:
            from desktop_app.storage.migrate import open_database

            new_db = open_database(path, create=create)
        except DatabaseFileError as exc:
            QMessageBox.warning(self, "開啟資料庫", str(exc))
            return False
        old = self.db
        self.db = new_db
        old.close()
        self.events.database_replaced.emit()  # every tab is built anew on the new database
        if new_db.read_only and not new_db.damaged:
            QMessageBox.information(self, "唯讀開啟", new_db.read_only_reason or "本視窗以唯讀方式開啟。")
        for warning in new_db.warnings:
            QMessageBox.warning(self, "開啟資料庫", warning)
        return True

    def new_database(self) -> None:
        path = file_dialogs.save_file(
            self, "新增資料庫", file_dialogs.DATABASES, "portfolio.sqlite3", "資料庫 (*.sqlite3)",
            folder=self.db.path.parent,
        )
        if path:
            if Path(path).exists():
                QMessageBox.warning(self, "新增資料庫", "檔案已存在，請改用「開啟」。")
                return
            if self.switch_database(Path(path), create=True):
                self.edit_profile()

    def open_database_dialog(self) -> None:
        path = file_dialogs.open_file(
            self, "開啟資料庫", file_dialogs.DATABASES, "資料庫 (*.sqlite3 *.db)", start=self.db.path.parent
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
        if answer != QMessageBox.StandardButton.Yes or not self._jobs_stopped("從備份還原"):
            return
        db_path = self.db.path
        self.db.engine.dispose()
        try:
            safety = restore_backup(path, db_path)
        except BackupError as exc:
            QMessageBox.warning(self, "從備份還原", f"沒有還原：{exc}")
            return
        self.db.close()
        from desktop_app.storage.migrate import open_database

        self.db = open_database(db_path, backup=None)
        self.events.database_replaced.emit()  # every tab is built anew on the restored data
        QMessageBox.information(self, "從備份還原", f"已還原。原本的資料已備份到：\n{safety}")

    def edit_profile(self) -> None:
        from desktop_app.ui.dialogs.profile_dialog import ProfileDialog

        if ProfileDialog(self.db, self).exec():
            self.events.publish(Topic.PROFILE)

    def edit_settings(self) -> None:
        from desktop_app.ui.dialogs.settings_dialog import SettingsDialog

        if SettingsDialog(self.db, self).exec():
            self.events.publish(Topic.SETTINGS)

    def edit_pass_marks(self) -> None:
        from desktop_app.ui.precheck.pass_marks_dialog import open_pass_marks_dialog

        def saved(changed: bool) -> None:
            if changed:
                self.events.publish(Topic.PASS_MARKS)

        self.pass_marks_dialog = open_pass_marks_dialog(self.db, self, saved)

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
