"""回條掃描: a USB scanner types the slip code and Enter; the student shows big, then the clerk
records 已確認 (F1–F4, F8 for all) or 有疑義 (Shift+F1–F4) per category."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.receipts import (
    CATEGORIES,
    CONFIRMED,
    EXEMPT,
    UNCONFIRMED,
    StudentStatus,
    confirmation_label,
)
from desktop_app.services import ServiceError
from desktop_app.services.receipts.confirmation import list_student_statuses, set_confirmation
from desktop_app.services.receipts.slips import (
    SCAN_ALREADY,
    SCAN_OK,
    SCAN_OTHER_BATCH,
    SCAN_UNKNOWN,
    ScanResult,
    scan_slip,
)
from desktop_app.services.receipts.students import shown_name
from desktop_app.storage.db import Database
from desktop_app.ui.common.read_only import enable_with_reason
from desktop_app.ui.receipts.common import STATUS_COLOURS, ReceiptsView

BANNER_STYLES = {
    SCAN_OK: ("#1e7e34", "white"),
    SCAN_ALREADY: ("#e0a800", "black"),
    SCAN_OTHER_BATCH: ("#c82333", "white"),
    SCAN_UNKNOWN: ("#c82333", "white"),
}
BANNER_ICONS = {SCAN_OK: "✔", SCAN_ALREADY: "⚠", SCAN_OTHER_BATCH: "✖", SCAN_UNKNOWN: "✖"}


class ScanView(ReceiptsView):
    """Signals: ``objection_requested(student_id, category)`` (the tab opens the objection dialog)."""

    objection_requested = Signal(int, str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.student: StudentStatus | None = None
        self.last_result: ScanResult | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("掃描回條條碼（或輸入後按 Enter）："))
        self.scan_edit = QLineEdit(self)
        self.scan_edit.setPlaceholderText("RB0001S000123")
        font = self.scan_edit.font()
        font.setPointSize(16)
        self.scan_edit.setFont(font)
        self.scan_edit.returnPressed.connect(self._scanned)
        top.addWidget(self.scan_edit, 1)
        layout.addLayout(top)

        self.banner = QLabel(self._idle_text(), self)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        banner_font = QFont(self.banner.font())
        banner_font.setPointSize(18)
        banner_font.setBold(True)
        self.banner.setFont(banner_font)
        self.banner.setMinimumHeight(48)
        self.banner.setStyleSheet("background:#f0f0f0; border-radius:6px;")
        layout.addWidget(self.banner)

        self.student_label = QLabel("", self)
        self.student_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QFont(self.student_label.font())
        big.setPointSize(30)
        big.setBold(True)
        self.student_label.setFont(big)
        layout.addWidget(self.student_label)
        self.detail_label = QLabel("", self)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label.setWordWrap(True)
        layout.addWidget(self.detail_label)

        box = QGroupBox("各類資料（F1–F4：已確認；Shift+F1–F4：有疑義；F8：全部未確認者已確認）", self)
        grid = QGridLayout(box)
        self.category_labels: dict[str, QLabel] = {}
        self.confirm_buttons: dict[str, QPushButton] = {}
        self.objection_buttons: dict[str, QPushButton] = {}
        for row, category in enumerate(CATEGORIES):
            name = QLabel(f"{row + 1}. {category}", box)
            name_font = QFont(name.font())
            name_font.setPointSize(13)
            name.setFont(name_font)
            status = QLabel("", box)
            status.setMinimumWidth(110)
            status.setAlignment(Qt.AlignmentFlag.AlignCenter)
            confirm = QPushButton(f"已確認 (F{row + 1})", box)
            objection = QPushButton(f"有疑義 (Shift+F{row + 1})", box)
            confirm.setProperty("category", category)
            objection.setProperty("category", category)
            confirm.clicked.connect(self._confirm_clicked)
            objection.clicked.connect(self._objection_clicked)
            grid.addWidget(name, row, 0)
            grid.addWidget(status, row, 1)
            grid.addWidget(confirm, row, 2)
            grid.addWidget(objection, row, 3)
            self.category_labels[category] = status
            self.confirm_buttons[category] = confirm
            self.objection_buttons[category] = objection
        self.all_button = QPushButton("全部未確認者 → 已確認 (F8)", box)
        self.all_button.clicked.connect(self.confirm_all)
        grid.addWidget(self.all_button, len(CATEGORIES), 2, 1, 2)
        layout.addWidget(box)
        self.count_label = QLabel("", self)
        layout.addWidget(self.count_label)
        layout.addStretch(1)
        self._show_student(None)

    # --- scanning --------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.student is not None and self.batch_id is not None:
            found = list_student_statuses(self.db, self.batch_id, student_id=self.student.student_id)
            self._show_student(found[0] if found else None)
        self._update_count()

    def set_batch(self, batch_id: int | None) -> None:
        if batch_id != self.batch_id:
            self.student = None
            self._show_student(None)
            self._set_banner(None, self._idle_text(batch_id))
        super().set_batch(batch_id)

    def _idle_text(self, batch_id: int | None = None) -> str:
        if self.db.read_only:
            return "資料庫唯讀開啟（另一個視窗正在使用），不能登記回條"
        if batch_id is None:
            return "尚未選擇收訖明細批次：請先在「收訖批次」匯入收訖明細，再回來掃描回條"
        return "請掃描回條"

    def _update_count(self) -> None:
        if self.batch_id is None:
            self.count_label.setText("請先選擇批次")
            return
        rows = list_student_statuses(self.db, self.batch_id)
        returned = sum(1 for r in rows if r.returned_at is not None)
        self.count_label.setText(f"本批次回條已收 {returned} / {len(rows)} 位")

    def _scanned(self) -> None:
        code = self.scan_edit.text().strip()
        self.scan_edit.clear()
        if not code:
            return
        if self.batch_id is None:
            self._set_banner(SCAN_UNKNOWN, "請先在上方選擇批次再掃描")
            return
        result = scan_slip(self.db, self.batch_id, code)
        self.last_result = result
        self._set_banner(result.outcome, result.message)
        if result.student is not None:
            self._show_student(result.student)
        else:
            self._show_student(None)
        if result.outcome == SCAN_OK:
            self.changed.emit()
        self._update_count()
        self.scan_edit.setFocus()

    def _set_banner(self, outcome: str | None, message: str) -> None:
        if outcome is None:
            self.banner.setText(message)
            self.banner.setStyleSheet("background:#f0f0f0; border-radius:6px;")
            return
        bg, fg = BANNER_STYLES[outcome]
        self.banner.setText(f"{BANNER_ICONS[outcome]} {message}")
        self.banner.setStyleSheet(f"background:{bg}; color:{fg}; border-radius:6px; padding:6px;")
        self.banner.setWordWrap(True)
        if outcome != SCAN_OK:
            QApplication.beep()  # a scanner user looks at the paper, not the screen

    def _show_student(self, student: StudentStatus | None) -> None:
        self.student = student
        if student is None:
            self.student_label.setText("")
            self.detail_label.setText("")
        else:
            self.student_label.setText(
                f"{student.class_name} 班 {student.seat or ''} 號　{shown_name(student.name)}"
            )
            self.detail_label.setText(f"學號 {student.student_no}　身分證號 {student.masked_id}")
        for category in CATEGORIES:
            label = self.category_labels[category]
            status = student.status(category) if student else None
            label.setText(confirmation_label(status) or ("無資料" if student else ""))
            colour = STATUS_COLOURS.get(status or "")
            label.setStyleSheet(f"background:{colour}; padding:3px;" if colour else "")
            editable = bool(student and status and status != EXEMPT)
            why = (
                "請先掃描回條" if student is None
                else ("這位學生沒有這類資料" if not status else ("此類免確認" if status == EXEMPT else "已確認"))
            )
            enable_with_reason(self.confirm_buttons[category], editable and status != CONFIRMED, why)
            enable_with_reason(self.objection_buttons[category], editable, why)
        enable_with_reason(
            self.all_button,
            bool(student and UNCONFIRMED in student.statuses.values()),
            "請先掃描回條" if student is None else "這位學生沒有未確認的類別",
        )
        self.apply_read_only()

    def writable_widgets(self) -> list[QWidget]:
        return [
            self.scan_edit,
            *self.confirm_buttons.values(),
            *self.objection_buttons.values(),
            self.all_button,
        ]

    # --- recording answers -----------------------------------------------------------------------
    FUNCTION_KEYS = (Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4)

    @classmethod
    def shortcut_sequences(cls) -> list[QKeySequence]:
        """The keys this page handles (for the guide's key list and its test)."""
        keys = [QKeySequence(k) for k in cls.FUNCTION_KEYS]
        keys += [QKeySequence(Qt.KeyboardModifier.ShiftModifier | k) for k in cls.FUNCTION_KEYS]
        return [*keys, QKeySequence(Qt.Key.Key_F8)]

    def _claims(self, event: QKeyEvent) -> bool:
        """F1–F4 (with or without Shift) and F8 belong to this page while it is shown."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return False
        if event.key() == Qt.Key.Key_F8:
            return modifiers == Qt.KeyboardModifier.NoModifier
        return event.key() in self.FUNCTION_KEYS

    def showEvent(self, event: QShowEvent) -> None:
        # While the page is shown it watches the window's key events: a menu shortcut (F1 is the
        # window's 使用說明) must not win over the page's keys, wherever the focus is in the window.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or not self._claims(event):
            return False
        if not self.isVisible() or QApplication.activeModalWidget() is not None:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key goes to the widget as a key press, not to a shortcut
            return True
        self._handle_key(event)
        return True

    def _handle_key(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_F8:
            self.confirm_all()
            return
        category = CATEGORIES[self.FUNCTION_KEYS.index(key)]
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.request_objection(category)
        else:
            self.confirm(category)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F1–F4: 已確認; Shift+F1–F4: 有疑義; F8: every 未確認 → 已確認 (keys the scan field ignores
        reach this view, so the scanner field can keep the focus)."""
        if self._claims(event):
            self._handle_key(event)
            event.accept()
            return
        super().keyPressEvent(event)

    @Slot()
    def _confirm_clicked(self) -> None:
        self.confirm(str(self.sender().property("category")))

    @Slot()
    def _objection_clicked(self) -> None:
        self.request_objection(str(self.sender().property("category")))

    def confirm(self, category: str) -> None:
        if self.student is None or self.batch_id is None or not self.confirm_buttons[category].isEnabled():
            return
        try:
            set_confirmation(self.db, self.batch_id, self.student.student_id, category, CONFIRMED)
        except ServiceError as exc:
            self._set_banner(SCAN_UNKNOWN, str(exc))
            return
        self.changed.emit()
        self.refresh()
        self.scan_edit.setFocus()

    def confirm_all(self) -> None:
        if self.student is None or self.batch_id is None or not self.all_button.isEnabled():
            return
        for category, status in self.student.statuses.items():
            if status == UNCONFIRMED:
                set_confirmation(self.db, self.batch_id, self.student.student_id, category, CONFIRMED)
        self.changed.emit()
        self.refresh()
        self.scan_edit.setFocus()

    def request_objection(self, category: str) -> None:
        if self.student is None or not self.objection_buttons[category].isEnabled():
            return
        self.objection_requested.emit(self.student.student_id, category)
