"""與上學期比較: which answers and notes changed since the previous 學期."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop_app.services.selfcheck import Comparison, ItemChange
from desktop_app.ui.common.list_model import Column, ListTableModel


def _mark(change: ItemChange) -> str | None:
    return "#fff2cc" if change.answer_changed else None


COLUMNS: list[Column[ItemChange]] = [
    Column("編號", lambda c: c.item_id),
    Column("檢核項目", lambda c: c.text, tooltip=lambda c: c.text),
    Column("上學期", lambda c: c.before or "（未填）", background=_mark),
    Column("本學期", lambda c: c.after or "（未填）", background=_mark),
    Column("上學期備註", lambda c: c.note_before, tooltip=lambda c: c.note_before or None),
    Column("本學期備註", lambda c: c.note_after, tooltip=lambda c: c.note_after or None),
]


class CompareDialog(QDialog):
    def __init__(self, comparison: Comparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"與上學期比較：{comparison.previous_term.title} → {comparison.term.title}")
        self.resize(1000, 560)
        self.summary = QLabel(comparison.summary)
        self.summary.setWordWrap(True)
        self.model: ListTableModel[ItemChange] = ListTableModel(COLUMNS, comparison.changes, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 50), (2, 100), (3, 100), (4, 180), (5, 180)):
            self.table.setColumnWidth(col, width)
        buttons = QDialogButtonBox()
        close = buttons.addButton("關閉", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
