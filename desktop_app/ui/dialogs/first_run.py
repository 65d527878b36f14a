"""First run: a short wizard — where the database lives, the school profile, the PDF font.

Shown by :func:`show_first_run_if_needed` when the opened database has no school profile yet
(so never again once the profile is saved). Each page saves when the user presses 下一步/完成,
through the same services as the rest of the app; a mistake is shown in red on the page itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop_app.config import (
    BACKUPS_KEPT,
    DB_FILE_NAME,
    remember_db_path,
    remembered_db_path,
    standard_db_path,
)
from desktop_app.resources import icon_path
from desktop_app.services import ServiceError
from desktop_app.services.printing import FontNotFoundError, find_pdf_font
from desktop_app.services.profile import (
    FONT_PATH_KEY,
    get_profile,
    get_setting,
    set_setting,
)
from desktop_app.storage.db import Database, DatabaseFileError
from desktop_app.storage.migrate import open_database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.profile_form import ProfileForm

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

DB_FILTER = "資料庫 (*.sqlite3 *.db)"
FONT_FILTER = "字型檔 (*.ttf *.ttc)"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #B00020;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class _SetupPage(QWizardPage):
    """A page of the wizard: a red error line under its fields and the database the wizard writes to."""

    def _end_layout(self, layout: QVBoxLayout) -> None:
        """Close the page's layout with the error line (hidden until :meth:`_fail`) and a stretch."""
        self.error = _error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _fail(self, message: str) -> bool:
        """Show ``message`` on the page; False, so that the page stays."""
        self.error.setText(message)
        self.error.show()
        return False

    def _target_db(self) -> Database | None:
        """The database the wizard writes to (None while the page is not in a wizard)."""
        wizard = self.wizard()
        if wizard is None:
            return None
        assert isinstance(wizard, FirstRunWizard)
        return wizard.target_db()

    def _db(self) -> Database:
        db = self._target_db()
        assert db is not None
        return db


class LocationPage(_SetupPage):
    """Where the database file lives: the data folder (default) or a path the user picks."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setTitle("資料存放位置")
        self.setSubTitle(
            "所有資料存在一個資料庫檔案中。建議使用預設位置；要與舊電腦的資料接續，請選擇搬過來的資料庫檔案。"
        )
        layout = QVBoxLayout(self)
        is_standard = db.path.resolve() == standard_db_path().resolve()
        self.default_radio = QRadioButton("使用預設位置（建議）" if is_standard else "使用目前開啟的資料庫")
        self.default_radio.setChecked(True)
        self.default_label = QLabel(str(db.path))
        self.default_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.default_label.setIndent(24)
        self.other_radio = QRadioButton("指定其他位置，或開啟從舊電腦搬來的資料庫檔案")
        group = QButtonGroup(self)
        group.addButton(self.default_radio)
        group.addButton(self.other_radio)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(f"例如 D:\\教務處\\{DB_FILE_NAME}")
        self.browse = QPushButton("瀏覽…")
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        self.path_edit.textEdited.connect(lambda _t: self.other_radio.setChecked(True))
        layout.addWidget(self.default_radio)
        layout.addWidget(self.default_label)
        layout.addSpacing(8)
        layout.addWidget(self.other_radio)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(
            _note(
                f"每次開啟程式時，會自動把資料庫備份到它旁邊的「backups」資料夾，保留最近 {BACKUPS_KEPT} 份。"
                "資料庫若放在網路磁碟，同一時間只有一台電腦能修改，其他電腦以唯讀開啟。"
            )
        )
        self._end_layout(layout)

    def _browse(self) -> None:
        typed = Path(self.path_edit.text()) if self.path_edit.text() else None
        path = file_dialogs.save_file(
            self, "資料庫檔案", file_dialogs.DATABASES, typed.name if typed else DB_FILE_NAME, DB_FILTER,
            confirm_overwrite=False, folder=typed.parent if typed else self.db.path.parent,
        )
        if path:
            self.path_edit.setText(str(path))
            self.other_radio.setChecked(True)

    def chosen_path(self) -> Path:
        """The database path the page stands for (a folder gets the standard file name)."""
        if self.default_radio.isChecked():
            return self.db.path
        text = self.path_edit.text().strip().strip('"')
        path = Path(text).expanduser()
        if path.is_dir():
            path = path / DB_FILE_NAME
        elif not path.suffix:
            path = path.with_suffix(".sqlite3")
        return path

    def validatePage(self) -> bool:
        self.error.hide()
        if self.other_radio.isChecked() and not self.path_edit.text().strip():
            return self._fail("請輸入或選擇資料庫檔案的位置，或改選預設位置。")
        if self.other_radio.isChecked() and not self.chosen_path().is_absolute():
            return self._fail(
                f"「{self.path_edit.text().strip()}」不是完整路徑，請輸入像 D:\\教務處\\{DB_FILE_NAME} 的完整位置，或按「瀏覽…」選擇。"
            )
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        try:
            wizard.use_database(self.chosen_path())
        except ServiceError as exc:
            return self._fail(str(exc))
        return True


class ProfilePage(_SetupPage):
    """學校資料: the form of ProfileDialog (profile fields plus this school year's 學期 dates)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("學校資料")
        self.setSubTitle("工作小組組成檢核與各項期限會依此計算；之後可在「設定 → 學校資料」修改。")
        layout = QVBoxLayout(self)
        self.form = ProfileForm(self._target_db, "學期日期（可稍後再填）")
        layout.addWidget(self.form)
        form = self.form  # its fields, under the names callers use
        self.code, self.name, self.principal = form.code, form.name, form.principal
        self.practice, self.continuing = form.practice, form.continuing
        self.year, self.start, self.end = form.year, form.start, form.end
        self._end_layout(layout)

    def initializePage(self) -> None:
        self.form.load()  # a database brought from another PC fills the fields

    def validatePage(self) -> bool:
        self.error.hide()
        try:
            self.form.save()
        except ServiceError as exc:
            return self._fail(str(exc))
        return True


class FontPage(_SetupPage):
    """The CJK font for PDFs: the one found on this PC, or a file the user chooses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("PDF 中文字型")
        self.setSubTitle("列印收訖單、檢核表等 PDF 需要電腦裡的中文字型檔（例如標楷體 kaiu.ttf）。")
        layout = QVBoxLayout(self)
        self.found_label = QLabel()
        self.found_label.setWordWrap(True)
        self.found_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.found_radio = QRadioButton("使用找到的字型")
        self.custom_radio = QRadioButton("指定字型檔")
        group = QButtonGroup(self)
        group.addButton(self.found_radio)
        group.addButton(self.custom_radio)
        self.font_edit = QLineEdit()
        self.font_edit.setPlaceholderText(r"例如 C:\Windows\Fonts\kaiu.ttf")
        self.font_edit.textEdited.connect(lambda _t: self.custom_radio.setChecked(True))
        browse = QPushButton("瀏覽…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(self.font_edit, 1)
        row.addWidget(browse)
        layout.addWidget(self.found_label)
        layout.addSpacing(8)
        layout.addWidget(self.found_radio)
        layout.addWidget(self.custom_radio)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(_note("字型檔只記錄在資料庫的設定中，不會被複製或修改。"))
        self._end_layout(layout)
        self.found_font: Path | None = None

    def initializePage(self) -> None:
        stored = get_setting(self._db(), FONT_PATH_KEY) or None
        try:
            self.found_font = find_pdf_font(stored)
        except FontNotFoundError:
            self.found_font = None
        if self.found_font is not None:
            self.found_label.setText(f"已找到中文字型：{self.found_font}")
            self.found_label.setStyleSheet("color: #1B5E20;")
            self.found_radio.setEnabled(True)
            self.found_radio.setChecked(True)
        else:
            self.found_label.setText(
                "這台電腦上找不到可嵌入 PDF 的中文字型，產生 PDF 時會停止以免印出空白方框。"
                "請指定字型檔（如標楷體 kaiu.ttf、細明體 mingliu.ttc），或稍後再設定。"
            )
            self.found_label.setStyleSheet("color: #B00020;")
            self.found_radio.setEnabled(False)
            self.custom_radio.setChecked(True)

    def _browse(self) -> None:
        typed = Path(self.font_edit.text()).parent if self.font_edit.text() else None
        start = typed or (self.found_font.parent if self.found_font else None)
        path = file_dialogs.open_file(self, "選擇中文字型檔", file_dialogs.FONTS, FONT_FILTER, start=start)
        if path:
            self.font_edit.setText(str(path))
            self.custom_radio.setChecked(True)

    def validatePage(self) -> bool:
        self.error.hide()
        if not self.custom_radio.isChecked():
            return True
        text = self.font_edit.text().strip().strip('"')
        if not text:
            if self.found_font is None:
                return True  # no font anywhere: PDFs will say so when asked for
            return self._fail("請選擇字型檔，或改選「使用找到的字型」。")
        path = Path(text)
        chosen = None
        if path.is_file():
            try:
                chosen = find_pdf_font(path)
            except FontNotFoundError:
                chosen = None
        if chosen is None or chosen.resolve() != path.resolve():
            return self._fail(
                f"「{path}」不是可用的中文字型檔（.ttf 或 .ttc，需含中文字），請另選一個。"
            )
        set_setting(self._db(), FONT_PATH_KEY, str(path.resolve()))
        return True


class FirstRunWizard(QWizard):
    """The first-run wizard over ``db`` (the database the app opened).

    If the user picks another database on the first page, the wizard opens it (migrated, with a
    backup) and remembers it as the default; :meth:`release_database` closes it again and
    returns its path so the window can switch to it.
    """

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._other: Database | None = None
        self._remembered_before = remembered_db_path()
        self.setWindowTitle("歡迎使用 — 初次設定")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "稍後再設定")
        icon = QPixmap(str(icon_path()))
        if not icon.isNull():
            self.setPixmap(
                QWizard.WizardPixmap.LogoPixmap,
                icon.scaled(
                    48, 48, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                ),
            )
        self.location_page = LocationPage(db)
        self.profile_page = ProfilePage()
        self.font_page = FontPage()
        for page in (self.location_page, self.profile_page, self.font_page):
            self.addPage(page)
        self.setMinimumSize(680, 520)

    def target_db(self) -> Database:
        """The database the pages write to."""
        return self._other if self._other is not None else self.db

    def use_database(self, path: Path) -> None:
        """Write to the database at ``path`` from now on (opened and migrated if it is another one)."""
        path = Path(path)
        if path.resolve() == self.db.path.resolve():
            self._close_other()
            return
        if self._other is not None and self._other.path.resolve() == path.resolve():
            return
        self._close_other()
        try:
            other = open_database(path)
        except DatabaseFileError as exc:  # not SQLite, another program's, a newer version's …
            raise ServiceError(str(exc)) from None
        except Exception as exc:  # no permission, missing drive …
            if "not a database" in str(exc):
                raise ServiceError(
                    f"「{path}」不是資料庫檔案（或已損毀），請選擇 .sqlite3 資料庫檔案或備份檔。"
                ) from None
            raise ServiceError(
                f"無法開啟或建立資料庫「{path}」：{exc}。請確認位置可寫入，或選擇其他檔案。"
            ) from None
        if other.read_only:
            other.close()
            raise ServiceError(f"資料庫「{path}」正由另一個視窗或另一台電腦使用，請先關閉它再選擇。")
        self._other = other
        remember_db_path(path)

    def _close_other(self) -> None:
        if self._other is not None:
            self._other.close()
            self._other = None
            remember_db_path(self._remembered_before)  # back to what it was before the wizard

    def release_database(self) -> Path | None:
        """Close the other database the wizard opened; its path (None if it used ``db``)."""
        if self._other is None:
            return None
        path = self._other.path
        self._other.close()
        self._other = None
        return path


def needs_first_run(db: Database) -> bool:
    """True while the database has no school profile (and can be written)."""
    return not db.read_only and get_profile(db) is None


def show_first_run_if_needed(window: MainWindow) -> FirstRunWizard | None:
    """Open the wizard over the window when its database has no profile; None otherwise.

    When the wizard closes, the window switches to the database chosen in it (if another one)
    or refreshes its tabs.
    """
    if not needs_first_run(window.db):
        return None
    wizard = FirstRunWizard(window.db, window)

    def finished(_result: int) -> None:
        path = wizard.release_database()
        if path is not None and path.resolve() != window.db.path.resolve():
            window.switch_database(path)
        else:
            window.refresh_all()
        wizard.deleteLater()

    wizard.finished.connect(finished)
    wizard.open()
    return wizard
