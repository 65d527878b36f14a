"""The 自我檢核 tab: fill the self-check form of a 學期 with live evidence, finalise, compare, export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.glossary import EXPORT_PDF, EXPORT_XLSX, status_label
from desktop_app.domain.roc_date import Term, format_roc, term_of
from desktop_app.domain.selfcheck import (
    AnswerType,
    FormCatalog,
    FormDef,
    SectionDef,
    display_answer,
    normalise_answer,
)
from desktop_app.services import ServiceError
from desktop_app.services.printing import FontNotFoundError
from desktop_app.services.selfcheck import (
    AnswerInput,
    FillView,
    ItemState,
    compare_with_previous,
    export_fill,
    finalise,
    list_fills,
    load_catalog,
    open_fill,
    save_draft,
)
from desktop_app.services.selfcheck_evidence import FAILS, HOLDS, RecordLink
from desktop_app.storage.db import Database, ReadOnlyError
from desktop_app.ui.common import file_dialogs
from desktop_app.ui.common.list_model import Column, ListTableModel
from desktop_app.ui.common.read_only import enable_with_reason
from desktop_app.ui.common.settings import ui_settings
from desktop_app.ui.common.tab_base import BaseTab
from desktop_app.ui.events import Topic
from desktop_app.ui.selfcheck.compare import CompareDialog
from desktop_app.ui.selfcheck.detail import ItemDetail


@dataclass(frozen=True)
class _Row:
    """A table row: a section heading (``state`` None) or an item."""

    section: SectionDef
    state: ItemState | None


PERSON_KEY = "selfcheck/person"  # per-user setting: the 填表人 last used on this PC


class SelfCheckTab(BaseTab):
    key = "selfcheck"
    title = "自我檢核"
    owns = Topic.SELFCHECK
    shows = frozenset({  # answers and their evidence
        Topic.SELFCHECK,
        Topic.WORKING_GROUP,
        Topic.CALENDAR,
        Topic.PRECHECK,
        Topic.RECEIPTS,
        Topic.PROFILE,
    })

    def __init__(self, db: Database, parent: QWidget | None = None, *, forms_dir: Path | None = None) -> None:
        super().__init__(db, parent)
        self._forms_dir = forms_dir
        self.catalog: FormCatalog = FormCatalog()
        self.view: FillView | None = None
        self.edits: dict[str, AnswerInput] = {}
        self.dirty = False
        self.compare_dialog: CompareDialog | None = None

        top, buttons = self._build_toolbar()
        status_row = self._build_status_row()
        self._build_table()
        splitter = self._build_detail_splitter()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.errors_label)
        layout.addLayout(status_row)
        layout.addWidget(splitter, 1)
        self._connect_buttons()

        self._load_catalog()
        self._fill_terms()
        self.term_combo.currentIndexChanged.connect(self._selection_changed)
        self.form_combo.currentIndexChanged.connect(self._selection_changed)
        self.reload()

    # --- building the widgets (called once from __init__) ------------------------------------
    def _build_toolbar(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The 學期/表單/填表人 row and the row of buttons."""
        self.term_combo = QComboBox()
        self.term_combo.setMinimumWidth(170)
        self.form_combo = QComboBox()
        self.form_combo.setMinimumWidth(260)
        # the name last used on this PC (the OS account, e.g. "admin" or "teacher01", is not a name)
        self.person = QLineEdit(str(ui_settings().value(PERSON_KEY, "") or ""))
        self.person.setPlaceholderText("填表人姓名")
        self.person.editingFinished.connect(self._remember_person)
        self.person.setMaximumWidth(120)
        self.person.setToolTip("儲存與定稿時記錄的填表人")
        self.refresh_button = QPushButton("重新計算佐證")
        self.accept_all_button = QPushButton("採用全部建議")
        self.accept_all_button.setToolTip("未填答且系統有建議的項目，填入建議答案")
        self.save_button = QPushButton("儲存草稿")
        self.finalise_button = QPushButton("定稿…")
        self.compare_button = QPushButton("與上學期比較")
        self.xlsx_button = QPushButton(EXPORT_XLSX)
        self.pdf_button = QPushButton(EXPORT_PDF)

        top = QHBoxLayout()
        top.addWidget(QLabel("學期："))
        top.addWidget(self.term_combo)
        top.addWidget(QLabel("表單："))
        top.addWidget(self.form_combo, 1)
        top.addWidget(QLabel("填表人："))
        top.addWidget(self.person)
        buttons = QHBoxLayout()
        for b in (
            self.refresh_button,
            self.accept_all_button,
            self.save_button,
            self.finalise_button,
            self.compare_button,
            self.xlsx_button,
            self.pdf_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        return top, buttons

    def _build_status_row(self) -> QHBoxLayout:
        """The form's status and counts (and the hidden label for form-file errors)."""
        self.status_label = QLabel()
        self.status_label.setStyleSheet("font-weight: bold;")
        self.counts_label = QLabel()
        self.errors_label = QLabel()
        self.errors_label.setWordWrap(True)
        self.errors_label.setStyleSheet("color: #b3261e;")
        self.errors_label.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label)
        status_row.addStretch(1)
        status_row.addWidget(self.counts_label)
        return status_row

    def _build_table(self) -> None:
        """The items table: 編號, 檢核項目 (stretches), 系統佐證, 建議, 答案, 備註."""
        columns: list[Column[_Row]] = [
            Column(
                "編號",
                lambda r: r.section.title if r.state is None else r.state.item.id,
                background=self._row_background,
            ),
            Column(
                "檢核項目",
                lambda r: r.section.title if r.state is None else r.state.item.text,
                background=self._row_background,
                tooltip=lambda r: None if r.state is None else r.state.item.text,
            ),
            Column(
                "系統佐證",
                self._evidence_text,
                background=self._evidence_background,
                tooltip=lambda r: (
                    None if r.state is None or r.state.finding is None else r.state.finding.summary
                ),
            ),
            Column(
                "建議",
                lambda r: "" if r.state is None else display_answer(r.state.item, r.state.suggested),
                background=self._row_background,
            ),
            Column("答案", self._answer_text, background=self._answer_background),
            Column(
                "備註",
                lambda r: "" if r.state is None else self._edit(r.state).note,
                background=self._row_background,
            ),
        ]
        self.model: ListTableModel[_Row] = ListTableModel(columns, (), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # 檢核項目 stretches; the others stay narrow so it keeps ≥ 16 characters at 1024 px
        for col, width in ((0, 44), (2, 96), (3, 70), (4, 80), (5, 96)):
            self.table.setColumnWidth(col, width)
        self.table.setMinimumWidth(600)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)

    def _build_detail_splitter(self) -> QSplitter:
        """The table beside the scrollable detail of the chosen item."""
        self.detail = ItemDetail()
        self.detail.edited.connect(self._item_edited)
        self.detail.link_activated.connect(self._open_link)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        scroll.setMinimumWidth(300)
        splitter.setSizes([760, 500])
        return splitter

    def _connect_buttons(self) -> None:
        """Tooltips, the Ctrl+S shortcut and the buttons' actions."""
        self.refresh_button.clicked.connect(self.recompute_evidence)
        self.refresh_button.setToolTip("依資料庫目前的紀錄重新計算佐證與建議；尚未儲存的答案會保留")
        self.save_button.setToolTip("儲存草稿（Ctrl+S）")
        # Ctrl+S while this tab is shown, wherever the focus is in the window (after a click on the
        # window's tab bar the focus is outside this tab); a hidden tab's shortcut does not fire.
        # The window asks before closing with unsaved edits.
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.save_shortcut.activated.connect(self._save_shortcut)
        self.accept_all_button.clicked.connect(self.accept_all_suggestions)
        self.save_button.clicked.connect(self.save)
        self.finalise_button.clicked.connect(self.finalise_clicked)
        self.compare_button.clicked.connect(self.show_comparison)
        self.xlsx_button.clicked.connect(lambda: self.export_clicked("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export_clicked("pdf"))

    # --- set-up ----------------------------------------------------------------------------
    def _load_catalog(self) -> None:
        self.catalog = load_catalog(self._forms_dir)
        self.form_combo.clear()
        for form in self.catalog.forms:
            self.form_combo.addItem(f"{form.title}（{form.version} 版）", form.id)
        if self.catalog.errors:
            lines = [f"以下表單檔有錯誤，已略過：{e}" for e in self.catalog.errors]
            self.errors_label.setText("\n".join(lines))
            self.errors_label.show()
        else:
            self.errors_label.hide()

    def _terms(self) -> list[Term]:
        from desktop_app.services.profile import list_term_dates

        terms = {t.as_term for t in list_term_dates(self.db)}
        terms |= {f.term for f in list_fills(self.db)}
        terms.add(self.default_term())
        return sorted(terms, reverse=True)

    def default_term(self) -> Term:
        """The latest 學期 with a draft; else today's 學期 (the one before while 開學 is ahead)."""
        from desktop_app.services.profile import get_term_dates

        drafts = [f.term for f in list_fills(self.db) if f.finalised_at is None]
        if drafts:
            return max(drafts)
        today = term_of(date.today())
        dates = get_term_dates(self.db, today.year, today.term)
        if dates is not None and dates.start_date > date.today():
            return today.previous()
        return today

    def _fill_terms(self, select: Term | None = None) -> None:
        current = select or self.current_term() or self.default_term()
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        for term in self._terms():
            self.term_combo.addItem(term.title, term)
        index = self.term_combo.findText(current.title)
        self.term_combo.setCurrentIndex(max(index, 0))
        self.term_combo.blockSignals(False)

    def current_term(self) -> Term | None:
        data = self.term_combo.currentData()
        return data if isinstance(data, Term) else None

    def current_form(self) -> FormDef | None:
        form_id = self.form_combo.currentData()
        return self.catalog.get(form_id) if form_id else None

    def select_term(self, term: Term) -> None:
        index = self.term_combo.findText(term.title)
        if index < 0:
            self.term_combo.addItem(term.title, term)
            index = self.term_combo.count() - 1
        self.term_combo.setCurrentIndex(index)

    # --- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Another tab changed the database: evidence may have changed; keep unsaved edits."""
        if self.dirty:
            self._recompute(keep_edits=True)
        else:
            self._fill_terms()
            self.reload()

    def _selection_changed(self) -> None:
        if self.dirty and not self._confirm_discard():
            return
        self.reload()

    def recompute_evidence(self) -> None:
        """「重新計算佐證」: fresh evidence and suggestions; unsaved answers are kept, never dropped."""
        self._recompute(keep_edits=self.dirty)

    def _save_shortcut(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def has_unsaved_changes(self) -> bool:
        return self.dirty

    def save_unsaved(self) -> bool:
        return self.save()

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, "尚未儲存", "目前的修改尚未儲存，要放棄這些修改嗎？")
        return answer == QMessageBox.StandardButton.Yes

    def reload(self) -> None:
        self._recompute(keep_edits=False)

    def _recompute(self, *, keep_edits: bool) -> None:
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            self.view = None
            self.model.set_rows([])
            self.status_label.setText("沒有可用的自我檢核表" if form is None else "")
            self._update_buttons()
            return
        selected = self._selected_item_id()
        self.view = open_fill(self.db, form, term)
        if not keep_edits:
            self.edits = {
                s.item.id: AnswerInput(s.item.id, s.answer, s.note, s.attachments) for s in self.view.items
            }
            self.dirty = False
        rows: list[_Row] = []
        current = None
        for state in self.view.items:
            if state.section is not current:
                current = state.section
                rows.append(_Row(state.section, None))
            rows.append(_Row(state.section, state))
        self.model.set_rows(rows)
        self.table.clearSpans()
        for i, row in enumerate(rows):
            if row.state is None:  # a section heading spans the whole row
                self.table.setSpan(i, 0, 1, self.model.columnCount())
        self._update_status()
        self._select_item(selected)

    def _update_status(self) -> None:
        view = self.view
        if view is None:
            return
        unsaved = "　＊有未儲存的修改" if self.dirty else ""
        early = ""
        if view.form.effective > view.term.end:
            early = f"　（注意：此表單 {format_roc(view.form.effective)} 才生效）"
        self.status_label.setText(f"{view.term.title}　{view.status_text}{unsaved}{early}")
        with_rules = [s for s in view.items if s.item.evidence]
        holds = sum(1 for s in with_rules if s.finding is not None and s.finding.status == HOLDS)
        failing = [s for s in with_rules if s.finding is not None and s.finding.status == FAILS]
        partial = sum(1 for s in failing if s.finding is not None and s.finding.partial)
        fails = len(failing) - partial
        answered = sum(1 for e in self.edits.values() if e.answer not in (None, ""))
        self.counts_label.setText(
            f"已填答 {answered}／{len(view.items)} 項　佐證：符合 {holds}、部分符合 {partial}、不符合 {fails}、"
            f"尚無資料 {len(with_rules) - holds - len(failing)}"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = self.view is not None and not self.view.read_only and not self.db.read_only
        why = (
            "請先選擇學期與表單" if self.view is None
            else ("資料庫以唯讀方式開啟" if self.db.read_only else "這份檢核表已定稿，不能再修改")
        )
        for b in (self.save_button, self.finalise_button, self.accept_all_button):
            enable_with_reason(b, editable, why)
        has_view = self.view is not None
        for b in (self.compare_button, self.xlsx_button, self.pdf_button, self.refresh_button):
            enable_with_reason(b, has_view, "請先選擇學期與表單")

    # --- table -----------------------------------------------------------------------------
    def _edit(self, state: ItemState) -> AnswerInput:
        return self.edits.get(state.item.id) or AnswerInput(state.item.id)

    def _answer_text(self, row: _Row) -> str:
        if row.state is None:
            return ""
        value = self._edit(row.state).answer
        if value in (None, ""):
            return ""
        try:
            return display_answer(row.state.item, normalise_answer(row.state.item, value))
        except ValueError:
            return str(value)

    def _evidence_text(self, row: _Row) -> str:
        if row.state is None or not row.state.item.evidence:
            return ""
        # icon + word (never colour alone): √ 符合, △ 部分符合, ╳ 不符合
        return status_label(row.state.finding.status_label) if row.state.finding else "（尚未計算）"

    @staticmethod
    def _row_background(row: _Row) -> str | None:
        return "#DDEBF7" if row.state is None else None

    def _evidence_background(self, row: _Row) -> str | None:
        if row.state is None:
            return "#DDEBF7"
        finding = row.state.finding
        if finding is None:
            return None
        if finding.status == HOLDS:
            return "#e3f4e8"
        if finding.status == FAILS:
            return "#fff1d6" if finding.partial else "#fde7e4"  # 部分符合 amber, 不符合 red
        return "#eeeeee"

    def _answer_background(self, row: _Row) -> str | None:
        if row.state is None:
            return "#DDEBF7"
        edit = self._edit(row.state)
        suggested = row.state.suggested
        if edit.answer in (None, ""):
            return "#fff8e1" if row.state.item.required else None
        if (
            suggested is not None
            and row.state.item.answer_type is not AnswerType.DATE  # a known date needs no reason
            and self._answer_text(row) != display_answer(row.state.item, suggested)
            and not edit.note.strip()
        ):
            return "#ffd8a8"  # override without a note: will be refused on save
        return None

    def _selected_item_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.row_object(index.row())
        return row.state.item.id if row.state else None

    def _select_item(self, item_id: str | None) -> None:
        rows = self.model.rows()
        target = next((i for i, r in enumerate(rows) if r.state and r.state.item.id == item_id), None)
        if target is None:
            target = next((i for i, r in enumerate(rows) if r.state), None)
        if target is None:
            self.detail.set_state(None, None, read_only=True)
            return
        index = self.model.index(target, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self._row_selected(index)

    def select_item(self, item_id: str) -> None:
        self._select_item(item_id)

    def _row_selected(self, index) -> None:
        if not index.isValid() or self.view is None:
            return
        row = self.model.row_object(index.row())
        if row.state is None:
            self.detail.set_state(None, None, read_only=True)
            return
        read_only = self.view.read_only or self.db.read_only
        self.detail.set_state(row.state, self._edit(row.state), read_only=read_only)

    def _item_edited(self, answer: AnswerInput) -> None:
        self.edits[answer.item_id] = answer
        self.dirty = True
        rows = self.model.rows()
        for i, r in enumerate(rows):
            if r.state is not None and r.state.item.id == answer.item_id:
                self.model.dataChanged.emit(
                    self.model.index(i, 0), self.model.index(i, self.model.columnCount() - 1)
                )
        self._update_status()

    # --- actions ---------------------------------------------------------------------------
    def accept_all_suggestions(self) -> None:
        if self.view is None or self.view.read_only:
            return
        n = 0
        for state in self.view.items:
            edit = self._edit(state)
            if state.suggested is not None and edit.answer in (None, ""):
                self.edits[state.item.id] = AnswerInput(
                    state.item.id, state.suggested, edit.note, edit.attachments
                )
                n += 1
        if n:
            self.dirty = True
            self.model.layoutChanged.emit()
            self._select_item(self._selected_item_id())
            self._update_status()

    def _remember_person(self) -> None:
        name = self.person.text().strip()
        if name:
            ui_settings().setValue(PERSON_KEY, name)

    def _answers(self) -> list[AnswerInput]:
        return list(self.edits.values())

    def save(self) -> bool:
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            return False
        try:
            self._remember_person()
            save_draft(self.db, form, term, self._answers(), user=self.person.text().strip() or None)
        except (ServiceError, ReadOnlyError) as exc:
            self.show_error(str(exc), "無法儲存")
            return False
        self.dirty = False
        self.reload()
        self.publish()
        return True

    def finalise_clicked(self) -> None:
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            return
        who = self.person.text().strip()
        self._remember_person()
        answer = QMessageBox.question(
            self,
            "定稿",
            f"要將{term.title}「{form.title}」定稿嗎？\n定稿人：{who or '（未填）'}\n定稿後不能再修改。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.finalise_now(who)

    def finalise_now(self, who: str) -> bool:
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            return False
        try:
            finalise(self.db, form, term, self._answers(), by=who)
        except (ServiceError, ReadOnlyError) as exc:
            self.show_error(str(exc), "無法定稿")
            return False
        self.dirty = False
        self.reload()
        self.publish()
        return True

    def show_comparison(self) -> None:
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            return
        self.compare_dialog = CompareDialog(compare_with_previous(self.db, form, term), self)
        self.compare_dialog.open()

    def export_clicked(self, kind: str) -> None:
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            return
        suffix = "xlsx" if kind == "xlsx" else "pdf"
        filters = "Excel 活頁簿 (*.xlsx)" if kind == "xlsx" else "PDF (*.pdf)"
        path = file_dialogs.save_file(self, "匯出自我檢核表", file_dialogs.REPORTS, f"自我檢核表_{term.label}.{suffix}", filters)
        if path:
            self.export_to(kind, Path(path))

    def export_to(self, kind: str, path: Path) -> Path | None:
        """Export the saved fill (unsaved edits are not in the file: say so)."""
        form, term = self.current_form(), self.current_term()
        if form is None or term is None:
            return None
        try:
            if kind == "xlsx":
                written = export_fill(self.db, form, term, xlsx=path)
            else:
                written = export_fill(self.db, form, term, pdf=path)
        except (ServiceError, FontNotFoundError, OSError) as exc:
            self.show_error(str(exc), "無法匯出")
            return None
        note = "\n（注意：尚未儲存的修改不在檔案中）" if self.dirty else ""
        self.status_label.setText(f"已匯出：{written[0]}{note}")
        return written[0]

    def _open_link(self, link: RecordLink) -> None:
        self.navigate.emit(link.tab_key, link.record)

    def show_record(self, record: object) -> None:
        """``{"term": "113-1", "item": "1.3"}`` (either key optional) or a :class:`Term`."""
        if isinstance(record, Term):
            self.select_term(record)
            return
        if isinstance(record, dict):
            if "term" in record:
                try:
                    self.select_term(Term.parse(str(record["term"])))
                except ValueError:
                    return
            if "item" in record:
                self.select_item(str(record["item"]))
