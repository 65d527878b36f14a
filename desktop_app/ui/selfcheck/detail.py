"""The right-hand panel of the 自我檢核 tab: one item's evidence, suggestion, answer, note, attachments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import ADD_ATTACHMENT
from desktop_app.domain.selfcheck import AnswerType, display_answer
from desktop_app.services.selfcheck import AnswerInput, ItemState
from desktop_app.services.selfcheck_evidence import FAILS, HOLDS, RecordLink
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.roc_date_edit import RocDateEdit

STATUS_COLOURS = {HOLDS: "#1b7f3b", FAILS: "#b3261e"}


class ItemDetail(QWidget):
    """Signals: ``edited(AnswerInput)`` when the person changes the answer, note or attachments;
    ``link_activated(RecordLink)`` when a record link is clicked."""

    edited = Signal(object)
    link_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: ItemState | None = None
        self._current: AnswerInput | None = None
        self._loading = False
        self._read_only = False

        self.heading = QLabel("請在左側選擇一個檢核項目")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.basis = QLabel()
        self.basis.setWordWrap(True)
        self.basis.setStyleSheet("color: #555;")

        evidence_box = self._build_evidence_box()
        answer_box = self._build_answer_box()

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.basis)
        layout.addWidget(evidence_box)
        layout.addWidget(answer_box)
        layout.addStretch(1)
        self.set_state(None, None, read_only=True)

    def _build_evidence_box(self) -> QGroupBox:
        """系統佐證: status, summary, details and a button per record link."""
        evidence_box = QGroupBox("系統佐證")
        self.evidence_status = QLabel()
        self.evidence_summary = QLabel()
        self.evidence_summary.setWordWrap(True)
        self.evidence_details = QLabel()
        self.evidence_details.setWordWrap(True)
        self.evidence_details.setStyleSheet("color: #444;")
        self.links_row = QHBoxLayout()
        self.links_row.addStretch(1)
        self.link_buttons: list[QPushButton] = []
        ev_layout = QVBoxLayout(evidence_box)
        ev_layout.addWidget(self.evidence_status)
        ev_layout.addWidget(self.evidence_summary)
        ev_layout.addWidget(self.evidence_details)
        ev_layout.addLayout(self.links_row)
        self.evidence_box = evidence_box
        return evidence_box

    def _build_answer_box(self) -> QGroupBox:
        """檢核結果: the suggestion, one answer editor at a time, the note and the attachments."""
        answer_box = QGroupBox("檢核結果")
        self.suggestion = QLabel()
        self.accept_button = QPushButton("採用建議")
        self.accept_button.setToolTip("把系統建議的答案填入")
        self.accept_button.clicked.connect(self.accept_suggestion)
        sug_row = QHBoxLayout()
        sug_row.addWidget(self.suggestion, 1)
        sug_row.addWidget(self.accept_button)

        self.choice = QComboBox()
        self.date_edit = RocDateEdit()
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("數字")
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("文字")
        self.text_edit.setMaximumHeight(80)
        # one editor shown at a time (a QStackedWidget would take the tallest editor's height)
        self.editors = QWidget()
        editors_layout = QVBoxLayout(self.editors)
        editors_layout.setContentsMargins(0, 0, 0, 0)
        self._editor_widgets = (self.choice, self.date_edit, self.number_edit, self.text_edit)
        for w in self._editor_widgets:
            editors_layout.addWidget(w)
        self._current_editor: QWidget = self.choice
        self.choice.currentIndexChanged.connect(self._changed)
        self.date_edit.dateChanged.connect(self._changed)
        self.number_edit.textEdited.connect(self._changed)
        self.text_edit.textChanged.connect(self._changed)

        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("備註（修改系統建議時必填，說明理由）")
        self.note.setMaximumHeight(90)
        self.note.textChanged.connect(self._changed)
        self.note_hint = QLabel()
        self.note_hint.setStyleSheet("color: #b3261e;")

        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(80)
        self.add_attachment_button = QPushButton(ADD_ATTACHMENT)
        self.remove_attachment_button = QPushButton("移除")
        self.add_attachment_button.clicked.connect(self._add_attachment)
        self.remove_attachment_button.clicked.connect(self._remove_attachment)
        att_buttons = QHBoxLayout()
        att_buttons.addWidget(self.add_attachment_button)
        att_buttons.addWidget(self.remove_attachment_button)
        att_buttons.addStretch(1)

        form = QFormLayout(answer_box)
        form.addRow("建議：", sug_row)
        form.addRow("答案：", self.editors)
        form.addRow("備註：", self.note)
        form.addRow("", self.note_hint)
        form.addRow("附件：", self.attachments)
        form.addRow("", att_buttons)
        self.answer_box = answer_box
        return answer_box

    # --- showing ---------------------------------------------------------------------------
    def set_state(self, state: ItemState | None, current: AnswerInput | None, *, read_only: bool) -> None:
        """Show an item (``current`` is the person's working answer, maybe unsaved)."""
        self._loading = True
        try:
            self._state = state
            self._current = current
            self._read_only = read_only
            if state is None:
                self.heading.setText("請在左側選擇一個檢核項目")
                self.basis.clear()
                self.evidence_box.hide()
                self.answer_box.setEnabled(False)
                return
            item = state.item
            self.heading.setText(f"{item.id}　{item.text}")
            basis = [f"依據：{item.basis}"] if item.basis else []
            if item.help:
                basis.append(item.help)
            self.basis.setText("\n".join(basis))
            self._show_evidence(state)
            self.answer_box.setEnabled(True)
            self._show_answer(state, current or AnswerInput(item.id))
        finally:
            self._loading = False
        self._update_hint()

    def _show_evidence(self, state: ItemState) -> None:
        for button in self.link_buttons:
            self.links_row.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop; never paint a stale button meanwhile
            button.deleteLater()
        self.link_buttons = []
        if not state.item.evidence:
            self.evidence_box.hide()
            return
        self.evidence_box.show()
        finding = state.finding
        if finding is None:
            self.evidence_status.setText("（尚未計算）")
            self.evidence_summary.clear()
            self.evidence_details.clear()
            return
        colour = STATUS_COLOURS.get(finding.status, "#6b6b6b")
        self.evidence_status.setText(f"<b style='color:{colour}'>{finding.status_label}</b>")
        self.evidence_summary.setText(finding.summary)
        self.evidence_details.setText("\n".join(finding.details[:8]))
        for link in finding.links[:4]:
            button = QPushButton(f"前往：{link.label}", self.evidence_box)
            button.setToolTip("切換到相關分頁並選取這筆紀錄")
            button.clicked.connect(lambda _=False, lk=link: self._open_link(lk))
            self.links_row.insertWidget(self.links_row.count() - 1, button)
            self.link_buttons.append(button)

    def _open_link(self, link: RecordLink) -> None:
        self.link_activated.emit(link)

    def _show_answer(self, state: ItemState, current: AnswerInput) -> None:
        item = state.item
        suggested = state.suggested
        shown = display_answer(item, suggested) if suggested else ""
        if shown and item.answer_type is AnswerType.DATE:
            shown += "（系統已知的日期，請確認）"
        self.suggestion.setText(shown or "（系統沒有建議，請自行判斷）")
        self.accept_button.setEnabled(suggested is not None and not self._read_only)
        kind = item.answer_type
        value = current.answer
        if kind in (AnswerType.RATING, AnswerType.YES_NO):
            self.choice.clear()
            self.choice.addItems(["（未填）", *kind.choices])
            index = self.choice.findText(str(value)) if value else 0
            self.choice.setCurrentIndex(max(index, 0))
            self._show_editor(self.choice)
        elif kind is AnswerType.DATE:
            self.date_edit.setDate(date.fromisoformat(str(value)) if value else None)
            self._show_editor(self.date_edit)
        elif kind is AnswerType.NUMBER:
            self.number_edit.setText(str(value or ""))
            self._show_editor(self.number_edit)
        else:
            self.text_edit.setPlainText(str(value or ""))
            self._show_editor(self.text_edit)
        self.note.setPlainText(current.note)
        self.attachments.clear()
        self.attachments.addItems(list(current.attachments))
        for w in (
            self.choice,
            self.date_edit,
            self.number_edit,
            self.add_attachment_button,
            self.remove_attachment_button,
        ):
            w.setEnabled(not self._read_only)
        self.text_edit.setReadOnly(self._read_only)
        self.note.setReadOnly(self._read_only)

    # --- editing ---------------------------------------------------------------------------
    def current_answer(self) -> str | date | None:
        if self._state is None:
            return None
        kind = self._state.item.answer_type
        if kind in (AnswerType.RATING, AnswerType.YES_NO):
            return self.choice.currentText() if self.choice.currentIndex() > 0 else None
        if kind is AnswerType.DATE:
            return self.date_edit.date()
        if kind is AnswerType.NUMBER:
            return self.number_edit.text().strip() or None
        return self.text_edit.toPlainText().strip() or None

    def accept_suggestion(self) -> None:
        if self._state is None or self._state.suggested is None or self._read_only:
            return
        if self._state.item.answer_type is AnswerType.DATE:
            self.date_edit.setDate(date.fromisoformat(self._state.suggested))
            return
        index = self.choice.findText(self._state.suggested)
        if index >= 0:
            self.choice.setCurrentIndex(index)

    def _add_attachment(self) -> None:
        for path in file_dialogs.open_files(self, "選擇附件（只記錄檔案位置）", file_dialogs.ATTACHMENTS):
            self.add_attachment(str(path))

    def add_attachment(self, path: str) -> None:
        existing = [self.attachments.item(i).text() for i in range(self.attachments.count())]
        if path and path not in existing:
            self.attachments.addItem(str(Path(path)))
            self._changed()

    def _remove_attachment(self) -> None:
        row = self.attachments.currentRow()
        if row >= 0:
            self.attachments.takeItem(row)
            self._changed()

    def _changed(self, *_args: object) -> None:
        if self._loading or self._state is None or self._read_only:
            return
        answer = self.current_answer()
        self._current = AnswerInput(
            self._state.item.id,
            answer,
            self.note.toPlainText(),
            tuple(self.attachments.item(i).text() for i in range(self.attachments.count())),
        )
        self._update_hint()
        self.edited.emit(self._current)

    def _update_hint(self) -> None:
        state, current = self._state, self._current
        needs_note = (
            state is not None
            and current is not None
            and state.suggested is not None
            and state.item.answer_type is not AnswerType.DATE  # a known date is offered, not judged
            and current.answer not in (None, "")
            and str(current.answer) != state.suggested
            and not current.note.strip()
        )
        self.note_hint.setText("與系統建議不同：請在備註說明理由" if needs_note else "")
        self.note.setStyleSheet("background: #fff4e0;" if needs_note else "")

    def _show_editor(self, editor: QWidget) -> None:
        self._current_editor = editor
        for w in self._editor_widgets:
            w.setVisible(w is editor)

    def focus_answer(self) -> None:
        self._current_editor.setFocus(Qt.FocusReason.OtherFocusReason)
