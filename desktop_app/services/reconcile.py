"""收訖對照: a 收訖明細 batch against the final 修課紀錄/成績名冊 the school submitted (issue 14).

- :func:`read_roster` reads one roster with the shared readers (``desktop_app.readers``), never
  writing it; its SHA-256 is taken before and after reading and a file that changed meanwhile is
  refused.
- :func:`reconcile` matches the batch's 修課紀錄 items (rules in ``domain/reconcile.py``), records the
  run (files, SHA-256, counts, the 未收訖 keys) and returns plain rows.
- :func:`explain_missing` stores the clerk's note on a 未收訖 item; the self-check rule
  ``receipts_reconciled`` counts the 未收訖 items of the latest run that have no note.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from desktop_app.config import os_user
from desktop_app.domain.national_id import mask_id, normalize_id
from desktop_app.domain.reconcile import (
    COVER_SHEET,
    KEY_CODE,
    KEY_TITLE,
    KEY_TITLE_CREDITS,
    KIND_LABELS,
    KINDS,
    MISMATCH,
    MISSING,
    NO_RECEIPT,
    NOT_IN_ROSTER,
    NOT_SUBMITTED_SUFFIX,
    SKIPPED_SHEETS,
    Difference,
    ReceivedCourse,
    RosterCourse,
    SheetColumns,
    code_from_text,
    is_submitted_code,
    match_courses,
    sheet_columns,
)
from desktop_app.domain.roc_date import Term
from desktop_app.readers import ReaderError, cell_text, normalize_header, open_workbook
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.profile import mask_pattern
from desktop_app.services.progress import ProgressFn
from desktop_app.services.receipts import ReceiptBatchInfo, batch_term_title, get_batch
from desktop_app.storage.db import Database
from desktop_app.storage.models import ReceiptItem, ReconcileExplanation, ReconcileRun, Student

COURSE_CATEGORY = "修課紀錄"
DIVISION_LABELS = {"day": "日間", "continuing": "進修部", "": "未標示"}


class RosterFileError(ServiceError):
    """A roster that cannot be read or is not a 修課紀錄/成績名冊 (CLI exit status 2)."""


# -- reading a roster -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterFile:
    path: Path
    size: int
    sha256: str
    division: str  # "day" | "continuing" | "" (not told by cover or columns)
    school_code: str
    year: int | None  # from the 封面
    term: int | None
    sheets: dict[str, int]  # sheet → data rows read
    skipped: dict[str, int]  # sheet → rows not compared ((缺) sheets, 進修部 補考成績)
    not_submitted: int  # rows of 課程類別 8/9 codes (not submitted, except 科目屬性 D)
    rows: tuple[RosterCourse, ...] = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def term_title(self) -> str:
        if self.year and self.term:
            return Term(self.year, self.term).title
        return "（封面無學年度學期）"

    def info(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": str(self.path.resolve()),
            "size": self.size,
            "sha256": self.sha256,
            "division": self.division,
            "year": self.year,
            "term": self.term,
            "sheets": self.sheets,
            "skipped": self.skipped,
            "not_submitted": self.not_submitted,
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _text(value: object) -> str:
    return value.strip() if value.__class__ is str else cell_text(value).strip()  # type: ignore[union-attr]


def _first(index: dict[str, int], names: tuple[str, ...]) -> int | None:
    for name in names:
        i = index.get(normalize_header(name))
        if i is not None:
            return i
    return None


def _read_cover(rows: Iterator[list[object]]) -> dict[str, str]:
    head = next(rows, None)
    values = next(rows, None)
    if not head or not values:
        return {}
    return {normalize_header(h): _text(v) for h, v in zip(head, values, strict=False) if h}


def _int_or_none(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def _sheet_rows(
    path: Path, sheet: str, rows: Iterator[list[object]], cols: SheetColumns, year: str, term: str
) -> tuple[list[RosterCourse], bool, int]:
    """(rows, continuing?, not-submitted count) of one data sheet; the header is found in its first 10 rows."""
    header: list[object] | None = None
    header_row = 0
    for n, row in enumerate(rows, start=1):
        names = {normalize_header(c) for c in row if isinstance(c, str)}
        if normalize_header(cols.national_id[0]) in names and (
            normalize_header(cols.code[0]) in names or normalize_header(cols.title[0]) in names
        ):
            header, header_row = row, n
            break
        if n >= 10:
            break
    if header is None:
        raise RosterFileError(
            f"「{path.name}」工作表「{sheet}」前 10 列找不到標題列（應有「{cols.national_id[0]}」與"
            f"「{cols.code[0]}」欄）。請確認這是修課紀錄／成績名冊。"
        )
    index = {normalize_header(h): i for i, h in enumerate(header) if isinstance(h, str) and h.strip()}
    continuing = normalize_header("修課節數") in index or normalize_header("原修課修課節數") in index
    i_id = _first(index, cols.national_id)
    i_code = _first(index, cols.code)
    i_title = _first(index, cols.title)
    i_year = _first(index, cols.year) if cols.year else None
    i_term = _first(index, cols.term) if cols.term else None
    i_credits = _first(index, cols.credits)
    i_scores = [i for i in (_first(index, (s,)) for s in cols.scores) if i is not None]
    i_name = _first(index, cols.name)
    i_class = _first(index, cols.class_name)
    i_seat = _first(index, cols.seat)
    assert i_id is not None
    width = (
        max(
            i
            for i in (i_id, i_code, i_title, i_year, i_term, i_credits, i_name, i_class, i_seat, *i_scores, 0)
            if i is not None
        )
        + 1
    )
    out: list[RosterCourse] = []
    not_submitted = 0
    name = path.name
    append = out.append
    for n, row in enumerate(rows, start=header_row + 1):
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        nid = row[i_id]
        nid = nid.strip().upper() if nid.__class__ is str else cell_text(nid).strip().upper()
        if not nid:
            continue
        if not nid.isascii():
            nid = normalize_id(nid)
        code = _text(row[i_code]).upper() if i_code is not None else ""
        if code and not is_submitted_code(code):
            not_submitted += 1
            continue
        append(
            RosterCourse(
                nid,
                code,
                _text(row[i_title]) if i_title is not None else "",
                _text(row[i_year]) if i_year is not None else year,
                _text(row[i_term]) if i_term is not None else term,
                _text(row[i_credits]) if i_credits is not None else "",
                tuple(_text(row[i]) for i in i_scores),
                name,
                sheet,
                n,
                _text(row[i_name]) if i_name is not None else "",
                _text(row[i_class]) if i_class is not None else "",
                _text(row[i_seat]) if i_seat is not None else "",
            )
        )
    return out, continuing, not_submitted


def read_roster(path: Path | str, *, year: int | None = None, term: int | None = None) -> RosterFile:
    """Read a final 修課紀錄/成績名冊 (日間 or 進修部; 學期成績, 補修, 轉學轉科, 重修, 重讀 sheets).

    ``year``/``term`` stand in for a roster without a 封面. Raises :class:`RosterFileError`.
    """
    path = Path(path)
    if path.is_dir():
        raise RosterFileError(f"「{path}」是資料夾，不是名冊檔案。請選擇修課紀錄／成績名冊（xlsx）。")
    if not path.is_file():
        raise RosterFileError(f"找不到名冊檔案「{path}」。")
    before = file_sha256(path)
    size = path.stat().st_size
    try:
        source = open_workbook(path)
        cover: dict[str, str] = {}
        names = source.sheet_names
        for sheet_name in names:
            if normalize_header(sheet_name) == COVER_SHEET:
                cover = _read_cover(source.sheet(sheet_name).iter_rows())
        cover_year = _int_or_none(cover.get("學年度", ""))
        cover_term = _int_or_none(cover.get("學期", ""))
        roster_no = cover.get("名冊別", "")
        use_year = cover_year or year
        use_term = cover_term or term
        rows: list[RosterCourse] = []
        sheets: dict[str, int] = {}
        skipped: dict[str, int] = {}
        not_submitted = 0
        continuing = roster_no == "42"
        for sheet_name in names:
            plain = normalize_header(sheet_name)
            if plain.endswith(NOT_SUBMITTED_SUFFIX) or plain in SKIPPED_SHEETS:
                filled = sum(
                    1 for row in source.sheet(sheet_name).iter_rows() if any(c not in ("", None) for c in row)
                )
                skipped[sheet_name] = max(0, filled - 1)  # less the header row
                continue
            cols = sheet_columns(sheet_name)
            if cols is None:
                continue
            got, is_continuing, dropped = _sheet_rows(
                path,
                sheet_name,
                source.sheet(sheet_name).iter_rows(),
                cols,
                str(use_year or ""),
                str(use_term or ""),
            )
            continuing = continuing or is_continuing
            rows.extend(got)
            sheets[sheet_name] = len(got) + dropped
            not_submitted += dropped
    except ReaderError as exc:
        raise RosterFileError(exc.message) from None
    if not sheets:
        shown = "、".join(names) or "（無）"
        raise RosterFileError(
            f"「{path.name}」不是修課紀錄／成績名冊：找不到「學期成績」「補修成績」「轉學轉科成績」「重修成績」"
            f"「重讀成績」任一工作表（檔案的工作表：{shown}）。"
        )
    if file_sha256(path) != before:
        raise RosterFileError(
            f"「{path.name}」在讀取期間被修改（SHA-256 前後不同），未對照。請關閉編輯中的程式後再試。"
        )
    division = "continuing" if continuing else ("day" if roster_no == "41" or sheets else "")
    return RosterFile(
        path,
        size,
        before,
        division,
        cover.get("學校代碼", ""),
        cover_year,
        cover_term,
        sheets,
        skipped,
        not_submitted,
        tuple(rows),
    )


# -- the result ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReconcileRow:
    """One detail row, with the student as the student master (or the roster's 備註) knows them."""

    kind: str
    student_id: int | None
    national_id: str  # full; shown masked (``masked_id``) everywhere except one student's detail
    masked_id: str
    name: str
    class_name: str
    seat: str
    student_no: str
    code: str = ""
    title: str = ""  # the roster's 科目名稱 (or the received one for 多出)
    year: str = ""
    term: str = ""
    credits: str = ""
    score: str = ""
    received_code: str = ""
    received_title: str = ""
    received_credits: str = ""
    received_score: str = ""
    fields: tuple[str, ...] = ()
    key: str = ""
    source: str = ""  # roster file / sheet / row
    receipt_row: int = 0  # row in the 收訖明細 file
    count: int = 0
    item_key: str = ""
    note: str = ""  # the clerk's explanation (未收訖 / 名冊有、無收訖)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def year_term(self) -> str:
        return f"{self.year}-{self.term}" if self.year or self.term else ""

    @property
    def difference_text(self) -> str:
        if self.kind == MISMATCH:
            parts = []
            if "科目名稱" in self.fields:
                parts.append(f"科目名稱：名冊「{self.title}」／收訖「{self.received_title}」")
            if "學分" in self.fields:
                parts.append(f"學分：名冊 {self.credits or '—'}／收訖 {self.received_credits or '—'}")
            if "成績" in self.fields:
                parts.append(f"成績：名冊 {self.score or '—'}／收訖 {self.received_score or '—'}")
            return "；".join(parts)
        if self.kind == NO_RECEIPT:
            return f"名冊有 {self.count} 筆修課紀錄，收訖明細中沒有此學生的修課紀錄"
        if self.kind == NOT_IN_ROSTER:
            return f"收到 {self.count} 筆修課紀錄，但所選名冊中沒有此學生"
        if self.kind == MISSING:
            return "名冊有，中央資料庫未收到"
        return "中央資料庫收到，名冊中沒有"

    @property
    def unexplained(self) -> bool:
        return self.kind in (MISSING, NO_RECEIPT) and not self.note

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "class": self.class_name,
            "seat": self.seat,
            "student_no": self.student_no,
            "name": self.name,
            "national_id": self.masked_id,
            "code": self.code,
            "title": self.title,
            "year": self.year,
            "term": self.term,
            "credits": self.credits,
            "score": self.score,
            "received": {
                "code": self.received_code,
                "title": self.received_title,
                "credits": self.received_credits,
                "score": self.received_score,
                "row": self.receipt_row,
            },
            "fields": list(self.fields),
            "key": self.key,
            "source": self.source,
            "count": self.count,
            "difference": self.difference_text,
            "note": self.note,
        }


@dataclass(frozen=True)
class ReconcileResult:
    batch: ReceiptBatchInfo
    year: int | None
    term: int | None
    files: tuple[RosterFile, ...]
    rows: tuple[ReconcileRow, ...]
    counts: dict[str, int]
    matched: int
    matched_by: dict[str, int]
    received_items: int
    roster_rows: int
    out_of_scope: int
    notes: tuple[str, ...]
    seconds: float
    run_id: int | None = None

    @property
    def differs(self) -> bool:
        return any(self.counts.values())

    @property
    def term_title(self) -> str:
        return Term(self.year, self.term).title if self.year and self.term else batch_term_title(self.batch)

    @property
    def unexplained(self) -> int:
        return sum(1 for r in self.rows if r.unexplained)

    def class_counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per class: the count of each kind, classes sorted."""
        per: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
        for r in self.rows:
            per[r.class_name or "（無班級）"][r.kind] += 1
        return sorted(per.items())

    def keys_text(self) -> str:
        used = [f"{k} {n} 筆" for k, n in self.matched_by.items() if n]
        return "比對鍵：" + ("、".join(used) if used else "（沒有比對到的項目）")

    def as_json(self) -> dict[str, object]:
        """``counts`` first (missing, extra, mismatch, no_receipt, not_in_roster), then the rows."""
        return {
            "counts": {k: self.counts[k] for k in KINDS},
            "rows": [r.as_dict() for r in self.rows],
            "batch": {"id": self.batch.id, "name": self.batch.name},
            "year": self.year,
            "term": self.term,
            "rosters": [f.info() for f in self.files],
            "matched": self.matched,
            "matched_by": self.matched_by,
            "received_items": self.received_items,
            "roster_rows": self.roster_rows,
            "out_of_scope": self.out_of_scope,
            "unexplained": self.unexplained,
            "notes": list(self.notes),
            "run_id": self.run_id,
        }


# -- reconcile ------------------------------------------------------------------------------------
def _term_of(files: list[RosterFile], batch: ReceiptBatchInfo) -> tuple[int | None, int | None, list[str]]:
    notes: list[str] = []
    batch_term = (batch.year, batch.term) if batch.year and batch.term else None
    covered = [f for f in files if f.year and f.term]
    for f in covered:
        if batch_term and (f.year, f.term) != batch_term:
            raise ServiceError(
                f"名冊「{f.name}」是 {f.term_title}（封面），批次「{batch.name}」是 {batch_term_title(batch)}，"
                "不同學期的名冊不能對照。請選擇同一學年度學期的期末成績名冊。"
            )
    terms = {(f.year, f.term) for f in covered}
    if len(terms) > 1:
        shown = "、".join(f"「{f.name}」{f.term_title}" for f in covered)
        raise ServiceError(f"所選名冊不是同一學期：{shown}。請只選同一學年度學期的名冊。")
    for f in files:
        if not (f.year and f.term):
            notes.append(f"「{f.name}」沒有封面（學年度、學期），以批次的學年度學期為準。")
    if terms:
        year, term = next(iter(terms))
        return year, term, notes
    if batch_term:
        return batch_term[0], batch_term[1], notes
    raise ServiceError("無法判斷學年度學期：名冊沒有封面，批次也沒有學年度學期。請選擇有封面的期末成績名冊。")


def _received(
    db: Database, batch_id: int
) -> tuple[list[ReceivedCourse], dict[str, tuple[int, str, str, str, str]]]:
    """The batch's 修課紀錄 items and the student master (id → (student_id, name, class, seat, 學號))."""
    items: list[ReceivedCourse] = []
    students: dict[str, tuple[int, str, str, str, str]] = {}
    with db.read() as s:
        for st in s.execute(
            select(
                Student.national_id,
                Student.id,
                Student.name,
                Student.class_name,
                Student.seat,
                Student.student_no,
            )
        ):
            students[st[0]] = (st[1], st[2], st[3], "" if st[4] is None else str(st[4]), st[5])
        rows = s.execute(
            select(
                ReceiptItem.id,
                Student.national_id,
                ReceiptItem.year,
                ReceiptItem.term,
                ReceiptItem.title,
                ReceiptItem.credits,
                ReceiptItem.course_code,
                ReceiptItem.score,
                ReceiptItem.detail,
                ReceiptItem.source_row,
            )
            .join(Student, Student.id == ReceiptItem.student_id)
            .where(ReceiptItem.batch_id == batch_id, ReceiptItem.category == COURSE_CATEGORY)
            .order_by(ReceiptItem.id)
        )
        for item_id, nid, year, term, title, credits, code, score, detail, source_row in rows:
            items.append(
                ReceivedCourse(
                    item_id,
                    nid,
                    year,
                    term,
                    title,
                    credits,
                    (code or code_from_text(detail)).upper(),
                    score,
                    source_row,
                )
            )
    return items, students


def _explanations(db: Database, batch_id: int) -> dict[tuple[str, str], str]:
    with db.read() as s:
        return {
            (e.national_id, e.item_key): e.note
            for e in s.scalars(select(ReconcileExplanation).where(ReconcileExplanation.batch_id == batch_id))
        }


def _row(
    d: Difference,
    students: dict[str, tuple[int, str, str, str, str]],
    notes: dict[tuple[str, str], str],
    pattern: str,
) -> ReconcileRow:
    master = students.get(d.national_id)
    roster, item = d.roster, d.received
    if master:
        student_id, name, class_name, seat, student_no = master
    else:
        student_id, student_no = None, ""
        name = roster.name if roster else ""
        class_name = roster.class_name if roster else ""
        seat = roster.seat if roster else ""
    course = roster or item
    assert course is not None
    if d.kind in (NO_RECEIPT, NOT_IN_ROSTER):  # a row about the student, not about one course
        course = RosterCourse("", "", "", course.year, course.term, "", (), "", "", 0)
        roster = item = None
    return ReconcileRow(
        d.kind,
        student_id,
        d.national_id,
        mask_id(d.national_id, pattern),
        name,
        class_name,
        seat,
        student_no,
        code=course.code,
        title=course.title,
        year=course.year,
        term=course.term,
        credits=course.credits,
        score=next((s for s in roster.scores if s and s != "-1"), "")
        if roster
        else (item.score if item else ""),
        received_code=item.code if item else "",
        received_title=item.title if item else "",
        received_credits=item.credits if item else "",
        received_score=item.score if item else "",
        fields=d.fields,
        key=d.key,
        source=f"{roster.file}／{roster.sheet}／第 {roster.row} 列" if roster else "",
        receipt_row=item.source_row if item else 0,
        count=d.count,
        item_key=d.item_key,
        note=notes.get((d.national_id, d.item_key), ""),
    )


_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def reconcile(
    db: Database,
    batch_id: int,
    roster_paths: list[Path | str],
    *,
    progress: ProgressFn | None = None,
    record_run: bool = True,
) -> ReconcileResult:
    """Compare batch ``batch_id`` with the rosters; record the run (unless read-only or told not to)."""
    started = time.perf_counter()
    batch = get_batch(db, batch_id)
    if not roster_paths:
        raise ServiceError("請至少選擇一份期末修課紀錄／成績名冊。")
    total_steps = len(roster_paths) + 2
    files: list[RosterFile] = []
    for n, path in enumerate(roster_paths):
        if progress:
            progress(n, total_steps)
        files.append(read_roster(path, year=batch.year, term=batch.term))
    seen: dict[str, str] = {}
    for f in files:
        if f.sha256 in seen:
            raise ServiceError(
                f"「{f.name}」與「{seen[f.sha256]}」是同一個檔案（SHA-256 相同），請不要重複選擇。"
            )
        seen[f.sha256] = f.name
    year, term, notes = _term_of(files, batch)
    if progress:
        progress(len(files), total_steps)
    received, students = _received(db, batch_id)
    roster_rows = [r for f in files for r in f.rows]
    terms = {(str(year), str(term))} | {(r.year, r.term) for r in roster_rows if r.year and r.term}
    matched = match_courses(received, roster_rows, terms)
    pattern = mask_pattern(db)
    explained = _explanations(db, batch_id)
    rows = sorted(
        (_row(d, students, explained, pattern) for d in matched.differences),
        key=lambda r: (
            r.class_name,
            _seat_key(r.seat),
            r.national_id,
            _KIND_ORDER[r.kind],
            r.year,
            r.term,
            r.code,
            r.title,
        ),
    )
    if matched.out_of_scope:
        notes.append(
            f"收訖明細中另有 {matched.out_of_scope} 筆其他學期的修課紀錄，不在所選名冊範圍，未對照。"
        )
    for f in files:
        if f.skipped:
            shown = "、".join(f"{k} {v} 列" for k, v in f.skipped.items())
            notes.append(
                f"「{f.name}」的 {shown} 不列入對照（(缺) 工作表不能提交；進修部補考成績併入學期成績）。"
            )
        if f.not_submitted:
            notes.append(
                f"「{f.name}」有 {f.not_submitted} 列是團體活動／彈性學習時間（不提交）的課程，不列入對照。"
            )
    if not received:
        notes.append("此批次沒有任何「修課紀錄」類的收訖明細。")
    if progress:
        progress(total_steps - 1, total_steps)
    counts = dict.fromkeys(KINDS, 0)
    for r in rows:
        counts[r.kind] += 1
    seconds = time.perf_counter() - started
    result = ReconcileResult(
        batch,
        year,
        term,
        tuple(files),
        tuple(rows),
        counts,
        matched.matched,
        matched.matched_by,
        len(received),
        len(roster_rows),
        matched.out_of_scope,
        tuple(notes),
        seconds,
    )
    if record_run and not db.read_only:
        result = _record(db, result)
    if progress:
        progress(total_steps, total_steps)
    return result


def _seat_key(seat: str) -> int:
    return int(seat) if seat.isdigit() else 999


def _record(db: Database, result: ReconcileResult) -> ReconcileResult:
    missing = [[r.national_id, r.item_key] for r in result.rows if r.kind in (MISSING, NO_RECEIPT)]
    with db.transaction() as s:
        run = ReconcileRun(
            batch_id=result.batch.id,
            year=result.year,
            term=result.term,
            run_at=datetime.now(),
            run_by=os_user(),
            files=json.dumps([f.info() for f in result.files], ensure_ascii=False),
            counts=json.dumps({k: result.counts[k] for k in KINDS}),
            missing=json.dumps(missing, ensure_ascii=False),
            seconds=round(result.seconds, 3),
        )
        s.add(run)
        s.flush()
        record(
            s,
            "receipts.reconcile",
            "receipt_batch",
            result.batch.id,
            summary=f"收訖對照「{result.batch.name}」："
            + "、".join(f"{KIND_LABELS[k]} {result.counts[k]}" for k in KINDS),
            after={
                "run": run.id,
                "files": [[f.name, f.sha256] for f in result.files],
                "counts": result.counts,
            },
        )
        run_id = run.id
    return ReconcileResult(**{**result.__dict__, "run_id": run_id})


# -- runs, notes, flags ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ReconcileRunInfo:
    id: int
    batch_id: int
    year: int | None
    term: int | None
    run_at: datetime
    run_by: str
    files: list[dict[str, object]]
    counts: dict[str, int]
    missing: list[tuple[str, str]]  # (national_id, item_key)
    explained: int  # of ``missing``, how many carry a note now

    @property
    def unexplained(self) -> int:
        return len(self.missing) - self.explained


def latest_run(db: Database, batch_id: int) -> ReconcileRunInfo | None:
    with db.read() as s:
        run = s.scalars(
            select(ReconcileRun)
            .where(ReconcileRun.batch_id == batch_id)
            .order_by(ReconcileRun.id.desc())
            .limit(1)
        ).first()
        if run is None:
            return None
        missing = [(a, b) for a, b in json.loads(run.missing or "[]")]
        info = (run.id, run.batch_id, run.year, run.term, run.run_at, run.run_by, run.files, run.counts)
    notes = _explanations(db, batch_id)
    explained = sum(1 for key in missing if key in notes)
    return ReconcileRunInfo(*info[:6], json.loads(info[6]), json.loads(info[7]), missing, explained)


def unexplained_by_student(db: Database, batch_id: int) -> dict[int, int]:
    """student id → unexplained 未收訖 items (a roster student with no receipt counts 1), latest run."""
    run = latest_run(db, batch_id)
    if run is None or not run.unexplained:
        return {}
    notes = _explanations(db, batch_id)
    per: Counter[str] = Counter(nid for nid, key in run.missing if (nid, key) not in notes)
    with db.read() as s:
        ids = dict(
            s.execute(select(Student.national_id, Student.id).where(Student.national_id.in_(list(per)))).all()
        )
    return {ids[nid]: n for nid, n in per.items() if nid in ids}


def explain_missing(db: Database, batch_id: int, national_id: str, item_key: str, note: str) -> None:
    """Store (or, with an empty note, remove) the clerk's explanation of a 未收訖 item."""
    note = note.strip()
    get_batch(db, batch_id)
    with db.transaction() as s:
        old = s.scalars(
            select(ReconcileExplanation).where(
                ReconcileExplanation.batch_id == batch_id,
                ReconcileExplanation.national_id == national_id,
                ReconcileExplanation.item_key == item_key,
            )
        ).first()
        before = old.note if old else None
        if not note:
            s.execute(
                delete(ReconcileExplanation).where(
                    ReconcileExplanation.batch_id == batch_id,
                    ReconcileExplanation.national_id == national_id,
                    ReconcileExplanation.item_key == item_key,
                )
            )
        elif old is None:
            s.add(
                ReconcileExplanation(
                    batch_id=batch_id,
                    national_id=national_id,
                    item_key=item_key,
                    note=note,
                    explained_at=datetime.now(),
                    explained_by=os_user(),
                )
            )
        else:
            old.note, old.explained_at, old.explained_by = note, datetime.now(), os_user()
        record(
            s,
            "receipts.reconcile_explain",
            "receipt_batch",
            batch_id,
            summary=f"收訖對照未收訖說明（{mask_id(national_id)} {item_key or '整位學生'}）",
            before=before,
            after=note or None,
        )


def with_note(row: ReconcileRow, note: str) -> ReconcileRow:
    return ReconcileRow(**{**row.__dict__, "note": note.strip()})


KEY_NAMES = (KEY_CODE, KEY_TITLE_CREDITS, KEY_TITLE)
__all__ = [
    "DIVISION_LABELS",
    "KEY_NAMES",
    "ReconcileResult",
    "ReconcileRow",
    "ReconcileRunInfo",
    "RosterFile",
    "RosterFileError",
    "explain_missing",
    "latest_run",
    "read_roster",
    "reconcile",
    "unexplained_by_student",
    "with_note",
]
