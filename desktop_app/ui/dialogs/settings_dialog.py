"""設定 → 個資與列印: the ID mask pattern and the PDF font."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN, mask_id
from desktop_app.services.printing import FontNotFoundError, find_pdf_font
from desktop_app.services.profile import (
    FONT_PATH_KEY,
    MASK_PATTERN_KEY,
    get_setting,
    mask_pattern,
    set_setting,
)
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.dialog_buttons import ok_cancel_buttons

SAMPLE_ID = "A123456789"


class SettingsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("個資與列印設定")
        form = QFormLayout(self)
        self.pattern = QLineEdit(mask_pattern(db))
        self.pattern.setToolTip("X 表示保留該位字元，其他字元（如 *）表示以該字元遮蔽；預設 XXXXXX****（遮蔽末4碼）")
        self.preview = QLabel()
        self.pattern.textChanged.connect(self._preview)
        form.addRow("身分證號遮罩", self.pattern)
        form.addRow("範例", self.preview)
        self.font_path = QLineEdit(get_setting(db, FONT_PATH_KEY))
        self.font_path.setPlaceholderText("空白：自動尋找（標楷體、細明體、微軟正黑體、AR PL UMing…）")
        # wide enough for the whole hint (and a typical path): it was cut off in a narrow dialog
        metrics = self.font_path.fontMetrics()
        self.font_path.setMinimumWidth(metrics.horizontalAdvance(self.font_path.placeholderText()) + 24)
        browse = QPushButton("選擇…")
        browse.clicked.connect(self._browse)
        test = QPushButton("測試")
        test.clicked.connect(self.test_font)
        row = QHBoxLayout()
        row.addWidget(self.font_path, 1)
        row.addWidget(browse)
        row.addWidget(test)
        form.addRow("PDF 中文字型", row)
        self.font_status = QLabel()
        self.font_status.setWordWrap(True)
        form.addRow("", self.font_status)
        buttons = ok_cancel_buttons(
            self, "儲存", on_accept=self.save, ok_button=QDialogButtonBox.StandardButton.Save
        )
        form.addRow(buttons)
        self._preview()

    def _preview(self) -> None:
        pattern = self.pattern.text().strip() or DEFAULT_MASK_PATTERN
        self.preview.setText(mask_id(SAMPLE_ID, pattern))

    def _browse(self) -> None:
        path = file_dialogs.open_file(self, "選擇字型檔", file_dialogs.FONTS, "字型檔 (*.ttf *.ttc)")
        if path:
            self.font_path.setText(str(path))
            self.test_font()

    def test_font(self) -> bool:
        try:
            font = find_pdf_font(self.font_path.text().strip() or None)
        except FontNotFoundError as exc:
            self.font_status.setText(str(exc))
            return False
        explicit = self.font_path.text().strip()
        if explicit and str(font) != explicit:
            self.font_status.setText(f"指定的字型無法使用（需為含中文字的 .ttf 或 .ttc 字型檔），將改用：{font}")
            return False
        self.font_status.setText(f"可用：{font}")
        return True

    def save(self) -> None:
        pattern = self.pattern.text().strip() or DEFAULT_MASK_PATTERN
        if "X" not in pattern or pattern == "X" * len(pattern):
            QMessageBox.warning(self, "設定", "遮罩必須至少保留一碼（X）並至少遮蔽一碼")
            return
        set_setting(self.db, MASK_PATTERN_KEY, pattern)
        set_setting(self.db, FONT_PATH_KEY, self.font_path.text().strip())
        self.accept()
