"""自我檢核 services: the forms, filling a form per 學期, finalising, comparing, exporting.

A fill is keyed by (form id, 學年度, 學期). While it is a draft, each item shows the live evidence
finding and its suggested answer; a person confirms the suggestion or overrides it (an override
needs a note). Saving stores the answers with the suggestion seen at that moment. Finalising makes
the fill read-only and records who and when.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop_app.config import os_user
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.domain.selfcheck import (
    AnswerType,
    ExportRow,
    FillDocument,
    FormCatalog,
    FormDef,
    ItemDef,
    SectionDef,
    display_answer,
    load_forms,
    normalise_answer,
)
from desktop_app.resources import forms_dir
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.selfcheck_evidence import (
    RULES,
    Finding,
    combine,
    evaluate,
    known_date,
    suggest,
)
from desktop_app.storage.db import Database
from desktop_app.storage.models import SelfCheckAnswer, SelfCheckAttachment, SelfCheckFill

SOURCE_CONFIRMED = "confirmed"  # the person took the evidence suggestion
SOURCE_OVERRIDE = "override"  # differs from the suggestion (note required)
SOURCE_MANUAL = "manual"  # no suggestion for this item
SOURCE_LABELS = {SOURCE_CONFIRMED: "採用建議", SOURCE_OVERRIDE: "修改建議", SOURCE_MANUAL: "自行填答", "": ""}

STATUS_NEW = "new"
STATUS_DRAFT = "draft"
STATUS_FINAL = "final"
FILL_STATUS_LABELS = {STATUS_NEW: "尚未填寫", STATUS_DRAFT: "草稿", STATUS_FINAL: "已定稿"}


# --- forms -------------------------------------------------------------------------------------
def load_catalog(directory: Path | str | None = None) -> FormCatalog:
    """The forms in ``forms/`` (or ``directory``), validated against the built-in evidence rules."""
    return load_forms(Path(directory) if directory else forms_dir(), known_rules=RULES.keys())


def find_form(catalog: FormCatalog, form_id: str | None) -> FormDef:
    """A form by id (the first form when ``form_id`` is None); ServiceError if it is not there."""
    if not catalog.forms:
        problems = "；".join(str(e) for e in catalog.errors) or "資料夾中沒有表單檔"
        raise ServiceError(f"沒有可用的自我檢核表（{problems}）")
    if form_id is None:
        return catalog.forms[0]
    form = catalog.get(form_id)
    if form is None:
        raise ServiceError(f"找不到自我檢核表「{form_id}」（可用：{', '.join(f.id for f in catalog.forms)}）")
    return form


# --- value objects -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerInput:
    """What a person entered for one item."""

    item_id: str
    answer: str | date | None = None
    note: str = ""
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemState:
    item: ItemDef
    section: SectionDef
    answer: str | None  # stored form (ISO date for date items)
    note: str
    attachments: tuple[str, ...]
    suggested: str | None
    finding: Finding | None  # live while a draft; the saved snapshot once final
    source: str  # SOURCE_*

    @property
    def answer_text(self) -> str:
        return display_answer(self.item, self.answer)

    @property
    def is_override(self) -> bool:
        return self.suggested is not None and self.answer is not None and self.answer != self.suggested

    @property
    def evidence_text(self) -> str:
        if self.finding is None:
            return ""
        return f"{self.finding.status_label}：{self.finding.summary}"


@dataclass(frozen=True)
class FillView:
    form: FormDef
    term: Term
    fill_id: int | None
    status: str  # STATUS_NEW | STATUS_DRAFT | STATUS_FINAL
    items: tuple[ItemState, ...]
    updated_at: datetime | None = None
    updated_by: str = ""
    finalised_at: datetime | None = None
    finalised_by: str = ""

    @property
    def read_only(self) -> bool:
        return self.status == STATUS_FINAL

    @property
    def status_text(self) -> str:
        if self.status == STATUS_FINAL and self.finalised_at is not None:
            return f"已定稿（{self.finalised_by}，{format_roc(self.finalised_at.date())} {self.finalised_at:%H:%M}）"
        if self.status == STATUS_DRAFT and self.updated_at is not None:
            return f"草稿（{self.updated_by} 於 {format_roc(self.updated_at.date())} {self.updated_at:%H:%M} 儲存）"
        return FILL_STATUS_LABELS[self.status]

    def state(self, item_id: str) -> ItemState:
        for state in self.items:
            if state.item.id == item_id:
                return state
        raise KeyError(item_id)

    def unanswered_required(self) -> list[ItemState]:
        return [s for s in self.items if s.item.required and s.answer is None]


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    text: str
    before: str  # displayed answer in the previous 學期 ("" = unanswered / item absent)
    after: str
    note_before: str
    note_after: str

    @property
    def answer_changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Comparison:
    term: Term
    previous_term: Term
    previous_status: str  # STATUS_* of the previous fill (STATUS_NEW: nothing to compare)
    changes: tuple[ItemChange, ...] = ()  # items whose answer or note changed (both 學期 filled in)
    unchanged: int = 0
    unanswered_now: int = 0  # filled in last 學期, 未填 this 學期: not a change, still to do
    unanswered_before: int = 0  # 未填 last 學期 (or a new item), filled in now: not a change

    @property
    def summary(self) -> str:
        if self.previous_status == STATUS_NEW:
            return f"{self.previous_term.title}沒有填寫此表，無從比較"
        n = sum(1 for c in self.changes if c.answer_changed)
        text = f"與{self.previous_term.title}相比：{n} 項答案改變，{len(self.changes) - n} 項僅備註改變，{self.unchanged} 項相同"
        if self.unanswered_now:
            text += f"；本學期尚有 {self.unanswered_now} 項未填（不算改變）"
        if self.unanswered_before:
            text += f"；{self.unanswered_before} 項上學期未填（不算改變）"
        return text


@dataclass(frozen=True)
class FillSummary:
    fill_id: int
    form_id: str
    term: Term
    status: str
    updated_at: datetime
    finalised_at: datetime | None
    finalised_by: str
    answered: int = field(default=0)


# --- reading -----------------------------------------------------------------------------------
def _load_fill(session: Session, form_id: str, term: Term) -> SelfCheckFill | None:
    return session.scalar(
        select(SelfCheckFill)
        .where(
            SelfCheckFill.form_id == form_id, SelfCheckFill.year == term.year, SelfCheckFill.term == term.term
        )
        .options(selectinload(SelfCheckFill.answers).selectinload(SelfCheckAnswer.attachments))
    )


def live_findings(
    db: Database, form: FormDef, term: Term, *, today: date | None = None
) -> dict[str, Finding]:
    """The combined evidence finding of every item that names rules (each rule evaluated once)."""
    cache: dict[str, Finding] = {}
    out: dict[str, Finding] = {}
    for item in form.items():
        if not item.evidence:
            continue
        parts = []
        for name in item.evidence:
            if name not in cache:
                cache[name] = evaluate(db, term, name, today=today)
            parts.append(cache[name])
        combined = combine(parts)
        if combined is not None:
            out[item.id] = combined
    return out


def _stored_finding(row: SelfCheckAnswer) -> Finding | None:
    if not row.evidence_status:
        return None
    return Finding("", "", row.evidence_status, row.evidence_summary, partial=row.suggested == "部分符合")


def open_fill(db: Database, form: FormDef, term: Term, *, today: date | None = None) -> FillView:
    """The form for a 學期: saved answers (if any) plus, while not final, live evidence and suggestions."""
    with db.read() as s:
        fill = _load_fill(s, form.id, term)
        rows = {a.item_id: a for a in fill.answers} if fill else {}
        status = STATUS_NEW if fill is None else (STATUS_FINAL if fill.finalised_at else STATUS_DRAFT)
        findings = {} if status == STATUS_FINAL else live_findings(db, form, term, today=today)
        prefills: dict[str, date | None] = {}
        states = []
        for section in form.sections:
            for item in section.items:
                row = rows.get(item.id)
                if status == STATUS_FINAL:
                    finding = _stored_finding(row) if row else None
                    suggested = row.suggested if row else None
                else:
                    finding = findings.get(item.id)
                    suggested = suggest(item, finding)
                    if suggested is None and item.prefill:
                        known = prefills.setdefault(item.prefill, known_date(db, term, item.prefill))
                        suggested = known.isoformat() if known else None
                answer = row.answer if row else None
                states.append(
                    ItemState(
                        item,
                        section,
                        answer,
                        row.note if row else "",
                        tuple(a.path for a in row.attachments) if row else (),
                        suggested,
                        finding,
                        _source(answer, suggested) if answer is not None else "",
                    )
                )
        return FillView(
            form,
            term,
            fill.id if fill else None,
            status,
            tuple(states),
            fill.updated_at if fill else None,
            fill.updated_by if fill else "",
            fill.finalised_at if fill else None,
            fill.finalised_by if fill else "",
        )


def _source(answer: str | None, suggested: str | None) -> str:
    if suggested is None:
        return SOURCE_MANUAL
    return SOURCE_CONFIRMED if answer == suggested else SOURCE_OVERRIDE


def list_fills(db: Database) -> list[FillSummary]:
    with db.read() as s:
        fills = s.scalars(
            select(SelfCheckFill)
            .options(selectinload(SelfCheckFill.answers))
            .order_by(SelfCheckFill.year, SelfCheckFill.term, SelfCheckFill.form_id)
        )
        return [
            FillSummary(
                f.id,
                f.form_id,
                Term(f.year, f.term),
                STATUS_FINAL if f.finalised_at else STATUS_DRAFT,
                f.updated_at,
                f.finalised_at,
                f.finalised_by,
                sum(1 for a in f.answers if a.answer is not None),
            )
            for f in fills
        ]


# --- writing -----------------------------------------------------------------------------------
def _validate(
    form: FormDef, term: Term, answers: Sequence[AnswerInput], findings: dict[str, Finding]
) -> list[tuple[ItemDef, str | None, str, tuple[str, ...], str | None]]:
    """Normalised answers; ServiceError naming every bad item (one message, all problems)."""
    known = {item.id: item for item in form.items()}
    problems: list[str] = []
    out = []
    seen: set[str] = set()
    for entry in answers:
        item = known.get(entry.item_id)
        if item is None:
            problems.append(f"第 {entry.item_id} 項不在「{form.title}」{form.version} 版中")
            continue
        if item.id in seen:
            problems.append(f"第 {item.id} 項重複填寫")
            continue
        seen.add(item.id)
        try:
            value = normalise_answer(item, entry.answer)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        note = (entry.note or "").strip()
        suggested = suggest(item, findings.get(item.id))
        if value is not None and suggested is not None and value != suggested and not note:
            problems.append(
                f"第 {item.id} 項「{_short(item.text)}」的答案「{value}」與系統建議「{suggested}」不同："
                "請在備註說明理由"
            )
        attachments = tuple(dict.fromkeys(p.strip() for p in entry.attachments if p and p.strip()))
        out.append((item, value, note, attachments, suggested))
    if problems:
        raise ServiceError(f"{term.title}「{form.title}」無法儲存：\n" + "\n".join(problems))
    return out


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _apply(
    session: Session,
    db: Database,
    form: FormDef,
    term: Term,
    answers: Sequence[AnswerInput],
    user: str,
    now: datetime,
    today: date | None,
) -> tuple[SelfCheckFill, dict[str, object], dict[str, object]]:
    """Save ``answers`` into the fill (created when missing); returns the fill and before/after maps."""
    fill = _load_fill(session, form.id, term)
    if fill is not None and fill.finalised_at is not None:
        raise ServiceError(
            f"{term.title}「{form.title}」已於 {format_roc(fill.finalised_at.date())} 由 {fill.finalised_by} 定稿，"
            "不能再修改"
        )
    findings = live_findings(db, form, term, today=today)
    valid = _validate(form, term, answers, findings)
    if fill is None:
        fill = SelfCheckFill(
            form_id=form.id,
            form_version=form.version,
            year=term.year,
            term=term.term,
            created_at=now,
            updated_at=now,
            updated_by=user,
            finalised_by="",
        )
        session.add(fill)
        session.flush()
    rows = {a.item_id: a for a in fill.answers}
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for item, value, note, attachments, suggested in valid:
        row = rows.get(item.id)
        old = (
            None
            if row is None
            else {"answer": row.answer, "note": row.note, "attachments": [a.path for a in row.attachments]}
        )
        new = {"answer": value, "note": note, "attachments": list(attachments)}
        finding = findings.get(item.id)
        if row is None:
            row = SelfCheckAnswer(item_id=item.id)
            fill.answers.append(row)
        row.answer = value
        row.note = note
        row.suggested = suggested
        row.evidence_status = finding.status if finding else ""
        row.evidence_summary = finding.summary if finding else ""
        row.source = _source(value, suggested) if value is not None else ""
        if [a.path for a in row.attachments] != list(attachments):
            row.attachments.clear()
            row.attachments.extend(SelfCheckAttachment(path=p) for p in attachments)
        if old != new:
            before[item.id] = old
            after[item.id] = new
    fill.form_version = form.version
    fill.updated_at = now
    fill.updated_by = user
    return fill, before, after


def save_draft(
    db: Database,
    form: FormDef,
    term: Term,
    answers: Sequence[AnswerInput],
    *,
    user: str | None = None,
    today: date | None = None,
) -> FillView:
    """Save answers as a draft (the fill is created on first save). Refuses a finalised fill."""
    user = user or os_user()
    now = datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        fill, before, after = _apply(s, db, form, term, answers, user, now, today)
        record(
            s,
            "selfcheck.save",
            "selfcheck_fill",
            fill.id,
            summary=f"{term.title}「{form.title}」儲存草稿（{len(after)} 項變更）",
            before=before or None,
            after=after or None,
        )
    return open_fill(db, form, term, today=today)


def finalise(
    db: Database,
    form: FormDef,
    term: Term,
    answers: Sequence[AnswerInput] = (),
    *,
    by: str,
    today: date | None = None,
) -> FillView:
    """Save ``answers`` and finalise the fill (then read-only, with who/when) in one transaction.

    Refused when a required item is unanswered, an override has no note, or it is already final.
    """
    by = by.strip()
    if not by:
        raise ServiceError("定稿需要填寫定稿人姓名")
    now = datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        fill, before, after = _apply(s, db, form, term, answers, by, now, today)
        s.flush()
        answered = {a.item_id for a in fill.answers if a.answer is not None}
        missing = [i for i in form.items() if i.required and i.id not in answered]
        if missing:
            listed = "、".join(f"{i.id}" for i in missing[:15]) + ("…" if len(missing) > 15 else "")
            raise ServiceError(
                f"{term.title}「{form.title}」還有 {len(missing)} 個必答項目未填答（第 {listed} 項），請填答後再定稿"
            )
        fill.finalised_at = now
        fill.finalised_by = by
        record(
            s,
            "selfcheck.finalise",
            "selfcheck_fill",
            fill.id,
            summary=f"{term.title}「{form.title}」定稿（{by}）",
            before=before or None,
            after={"finalised_by": by, "finalised_at": now, "answers": after or None},
        )
    return open_fill(db, form, term, today=today)


# --- comparison --------------------------------------------------------------------------------
def compare_with_previous(db: Database, form: FormDef, term: Term) -> Comparison:
    """What changed between this 學期's answers and the previous 學期's (same form id)."""
    prev_term = term.previous()
    with db.read() as s:
        prev = _load_fill(s, form.id, prev_term)
        cur = _load_fill(s, form.id, term)
        if prev is None:
            return Comparison(term, prev_term, STATUS_NEW)
        prev_rows = {a.item_id: (a.answer, a.note) for a in prev.answers}
        cur_rows = {a.item_id: (a.answer, a.note) for a in cur.answers} if cur else {}
        prev_status = STATUS_FINAL if prev.finalised_at else STATUS_DRAFT
    changes = []
    unchanged = unanswered_now = unanswered_before = 0
    for item in form.items():
        p = prev_rows.get(item.id)
        c = cur_rows.get(item.id)
        before = display_answer(item, p[0]) if p else ""
        after = display_answer(item, c[0]) if c else ""
        nb = p[1] if p else ""
        na = c[1] if c else ""
        if before == after and nb == na:
            unchanged += 1
        elif not after and not na:  # 未填 this 學期 is work to do, not a change
            unanswered_now += 1
        elif not before and not nb:  # 未填 last 學期: nothing to compare with
            unanswered_before += 1
        else:
            changes.append(ItemChange(item.id, item.text, before, after, nb, na))
    return Comparison(
        term, prev_term, prev_status, tuple(changes), unchanged, unanswered_now, unanswered_before
    )


# --- evidence report (CLI) ---------------------------------------------------------------------
def evidence_report(db: Database, term: Term, *, today: date | None = None) -> dict[str, object]:
    """Every evidence rule's finding for a 學期, as plain data (for ``selfcheck evidence --json``)."""
    from desktop_app.services.selfcheck_evidence import evaluate_all

    findings = evaluate_all(db, term, today=today)
    return {
        "term": term.label,
        "term_title": term.title,
        # counted by the label printed beside each finding (部分符合 apart from 不符合)
        "counts": {
            label: sum(1 for f in findings if f.status_label == label)
            for label in ("符合", "部分符合", "不符合", "尚無資料")
        },
        "findings": [f.as_dict() for f in findings],
    }


def export_rows(view: FillView) -> tuple[ExportRow, ...]:
    """Flat rows for exports: one per item, in form order."""
    return tuple(
        ExportRow(
            section=s.section.title,
            id=s.item.id,
            kind=s.item.answer_type.value,
            text=s.item.text,
            answer=s.answer_text,
            source=SOURCE_LABELS.get(s.source, ""),
            evidence=s.evidence_text,
            note=s.note,
            attachments="\n".join(s.attachments),
            suggested_date=(
                display_answer(s.item, s.suggested)
                if s.item.answer_type is AnswerType.DATE and s.suggested
                else ""
            ),
        )
        for s in view.items
    )


def fill_document(view: FillView) -> FillDocument:
    """The fill as the xlsx and PDF writers read it."""
    return FillDocument(
        form=view.form, term=view.term, status_text=view.status_text, final=view.read_only, rows=export_rows(view)
    )


def export_fill(
    db: Database,
    form: FormDef,
    term: Term,
    *,
    xlsx: Path | str | None = None,
    pdf: Path | str | None = None,
    today: date | None = None,
) -> list[Path]:
    """Write the fill of a 學期 to xlsx and/or PDF; returns the files written.

    The one export path of the window and the CLI. A form never saved exports too (its items with
    the system's suggestions, for review on paper): a form always has items, so there is no empty
    export here. Raises ServiceError for a target that cannot be written (checked before any work),
    FontNotFoundError for a PDF without a CJK font.
    """
    from desktop_app.exports.files import check_target
    from desktop_app.exports.selfcheck_pdf import write_selfcheck_pdf
    from desktop_app.exports.selfcheck_xlsx import write_selfcheck_xlsx
    from desktop_app.services.printing import pdf_font_path, school_name

    if xlsx is None and pdf is None:
        raise ServiceError("請指定要匯出的檔案（Excel 或 PDF）")
    xlsx_target = None if xlsx is None else check_target(xlsx, "自我檢核表", ".xlsx")
    pdf_target = None if pdf is None else check_target(pdf, "自我檢核表", ".pdf")
    view = open_fill(db, form, term, today=today)
    document = fill_document(view)
    school = school_name(db, default="")
    written = []
    if xlsx_target is not None:
        written.append(write_selfcheck_xlsx(document, xlsx_target, school_name=school))
    if pdf_target is not None:
        written.append(write_selfcheck_pdf(document, pdf_target, school_name=school, font_path=pdf_font_path(db)))
    return written


def dumps_report(report: dict[str, object]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)
