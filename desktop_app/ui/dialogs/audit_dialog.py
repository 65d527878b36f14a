"""工具 → 操作紀錄: the audit log, filtered by date and entity, exportable to xlsx."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.audit import AuditRow, action_name, describe_change, entity_name
from desktop_app.domain.glossary import EXPORT_XLSX
from desktop_app.domain.roc_date import format_roc
from desktop_app.services import ServiceError
from desktop_app.services.audit import export_audit_log, list_entities, list_entries
from desktop_app.storage.db import Database
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.roc_date_edit import RocDateEdit


class AuditDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("操作紀錄")
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("日期"))
        self.since = RocDateEdit(date.today() - timedelta(days=90))
        self.until = RocDateEdit(date.today())
        bar.addWidget(self.since)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.until)
        bar.addWidget(QLabel("對象"))
        self.entity = QComboBox()
        self.entity.addItem("全部", "")
        for name in list_entities(db):
            self.entity.addItem(entity_name(name), name)
        bar.addWidget(self.entity)
        apply = QPushButton("查詢")
        apply.clicked.connect(self.refresh)
        bar.addWidget(apply)
        bar.addStretch(1)
        self.export_button = QPushButton(EXPORT_XLSX)
        self.export_button.clicked.connect(lambda: self.export())
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.model: ListTableModel[AuditRow] = ListTableModel([
            Column("時間", lambda r: f"{format_roc(r.at.date())} {r.at:%H:%M:%S}", sort_key=lambda r: r.at.isoformat()),
            Column("使用者", lambda r: r.os_user),
            Column("對象", lambda r: entity_name(r.entity), tooltip=lambda r: r.entity),
            Column("動作", lambda r: action_name(r.action), tooltip=lambda r: r.action),
            Column("摘要", lambda r: r.summary),
            Column("修改前", lambda r: describe_change(r.before)[:80], tooltip=lambda r: describe_change(r.before)),
            Column("修改後", lambda r: describe_change(r.after)[:80], tooltip=lambda r: describe_change(r.after)),
        ])
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.view)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.entity.currentIndexChanged.connect(self.refresh)
        self.since.dateChanged.connect(self.refresh)
        self.until.dateChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        rows = list_entries(self.db, since=self.since.date(), until=self.until.date(),
                            entity=self.entity.currentData() or None)
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.count.setText(f"共 {len(rows)} 筆")

    def export(self, path: str | Path | None = None) -> Path | None:
        """The listed entries as xlsx (the same service rule as every export: none listed, no file)."""
        if not path:
            path = file_dialogs.save_file(self, "匯出操作紀錄", file_dialogs.REPORTS, "操作紀錄.xlsx", "Excel (*.xlsx)")
        if not path:
            return None
        try:
            return export_audit_log(self.model.rows(), path)
        except ServiceError as exc:
            QMessageBox.warning(self, "無法匯出", str(exc))
            return None
