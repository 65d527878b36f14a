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

import json
import time
from collections import Counter, defaultdict
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from desktop_app.config import os_user
from desktop_app.domain.national_id import mask_id
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.reconcile import (
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
    CodeIndex,
    Difference,
    ReceivedCourse,
    RosterCourse,
    code_from_text,
    match_courses,
    number_key,
)
from desktop_app.domain.roc_date import Term
from desktop_app.readers import normalize_header
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts import ReceiptBatchInfo, batch_term_title, get_batch
from desktop_app.services.reconcile.roster import (
    DIVISION_LABELS,
    ParsedRoster,
    RosterFile,
    RosterFileError,
    plain_text,
    prefetch_rosters,
    read_roster,
)
from desktop_app.storage.db import Database
from desktop_app.storage.models import ReconcileExplanation, ReconcileRun, Student

COURSE_CATEGORY = "修課紀錄"


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
) -> tuple[list[ReceivedCourse], dict[str, tuple[int, str, str, str, str]], dict[str, str]]:
    """The batch's 修課紀錄 items, the student master (id → (student_id, name, class, seat, 學號)) and
    each student's 部別 (id → "day" | "continuing")."""
    students: dict[str, tuple[int, str, str, str, str]] = {}
    divisions: dict[str, str] = {}
    with db.read() as s:
        for nid, sid, name, class_name, seat, student_no, division in s.connection().exec_driver_sql(
            "SELECT national_id, id, name, class_name, seat, student_no, division FROM student"
        ):
            students[nid] = (sid, name, class_name, "" if seat is None else str(seat), student_no)
            divisions[nid] = division or ""
        # plain DBAPI rows in the field order of ReceivedCourse (75,000 items: no ORM layer, one C call
        # per item); 說明 only where the code is blank, to look for a code written there
        # the DBAPI cursor itself: SQLAlchemy's Row wrapping costs 0.1 s on 75,000 rows
        cursor = s.connection().connection.cursor()
        rows = (
            cursor.execute(
                "SELECT i.id, st.national_id, i.year, i.term, i.title, i.credits, UPPER(i.course_code), i.score, "
                "i.source_row, CASE WHEN i.course_code = '' THEN i.detail ELSE '' END "
                "FROM receipt_item i JOIN student st ON st.id = i.student_id "
                "WHERE i.batch_id = ? AND i.category = ? ORDER BY i.id",
                (batch_id, COURSE_CATEGORY),
            )
        ).fetchall()
        cursor.close()
        make = ReceivedCourse._make
        items = [make(row[:9]) if row[6] or not row[9] else _coded_from_detail(row) for row in rows]
    return items, students, divisions


def _coded_from_detail(row: tuple) -> ReceivedCourse:  # type: ignore[type-arg]
    item = ReceivedCourse._make(row[:9])
    return item._replace(code=code_from_text(row[9]))


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
        name = plain_text(roster.name) if roster else ""
        class_name = plain_text(roster.class_name) if roster else ""
        seat = plain_text(roster.seat) if roster else ""
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
        credits=number_key(course.credits),
        score=next((number_key(s) for s in roster.scores if number_key(s)), "")
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
    prefetched: list[Future[ParsedRoster]] | None = None,
) -> ReconcileResult:
    """Compare batch ``batch_id`` with the rosters; record the run (unless read-only or told not to).

    ``prefetched``: :func:`prefetch_rosters` of the same paths, started earlier (the CLI starts it
    before opening the database).
    """
    started = time.perf_counter()
    batch = get_batch(db, batch_id)
    if not roster_paths:
        raise ServiceError("請至少選擇一份期末修課紀錄／成績名冊。")
    total_steps = len(roster_paths) + 2
    parsing = prefetched if prefetched is not None else prefetch_rosters(roster_paths)
    if progress:
        progress(0, total_steps)
    # the batch is loaded while the rosters are parsed in a thread (python-calamine holds the GIL
    # for most of its parse, measured 2026-12: the overlap is small, but it costs nothing)
    received, students, divisions = _received(db, batch_id)
    wanted = {i.national_id for i in received}
    index = CodeIndex(received)
    files: list[RosterFile] = []
    for n, (path, future) in enumerate(zip(roster_paths, parsing, strict=True)):
        if progress:
            progress(n + 1, total_steps)
        parsed = future.result()
        files.append(
            read_roster(path, year=batch.year, term=batch.term, wanted=wanted, parsed=parsed, index=index)
        )
    seen: dict[str, str] = {}
    for f in files:
        if f.sha256 in seen:
            raise ServiceError(
                f"「{f.name}」與「{seen[f.sha256]}」是同一個檔案（SHA-256 相同），請不要重複選擇。"
            )
        seen[f.sha256] = f.name
    year, term, notes = _term_of(files, batch)
    roster_rows = [r for f in files for r in f.rows]
    roster_only: dict[str, tuple[int, RosterCourse]] = {}
    for f in files:
        for nid, (count, first) in f.others.items():
            before = roster_only.get(nid)
            roster_only[nid] = (count + before[0], before[1]) if before else (count, first)
    terms = {(str(year), str(term))}.union(*(f.terms for f in files))
    matched = match_courses(received, roster_rows, terms, roster_only, index)
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
        skipped = skipped_note(f)
        if skipped:
            notes.append(skipped)
        if f.not_submitted:
            notes.append(
                f"「{f.name}」有 {f.not_submitted} 列是團體活動／彈性學習時間（不提交）的課程，不列入對照。"
            )
    if not received:
        notes.append("此批次沒有任何「修課紀錄」類的收訖明細。")
    hint = _division_hint(files, [d.national_id for d in matched.differences if d.kind == NOT_IN_ROSTER], divisions)
    if hint:
        notes.append(hint)
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
        sum(sum(f.sheets.values()) - f.not_submitted for f in files),
        matched.out_of_scope,
        tuple(notes),
        seconds,
    )
    if record_run and not db.read_only:
        result = _record(db, result)
    if progress:
        progress(total_steps, total_steps)
    return result


def skipped_note(f: RosterFile) -> str:
    """What of roster ``f`` is not compared and why ((缺) sheets, 進修部 補考成績); "" if nothing."""
    lacking = [f"{k} {v} 列" for k, v in f.skipped.items() if v and _lacking(k)]
    makeup = [f"{k} {v} 列" for k, v in f.skipped.items() if v and not _lacking(k)]
    parts = []
    if lacking:
        parts.append(f"{'、'.join(lacking)}不列入對照（沒有課程代碼，不能提交）")
    if makeup:
        parts.append(f"{'、'.join(makeup)}不另外對照（進修部補考的課程已在學期成績工作表中）")
    return f"「{f.name}」的 {'；'.join(parts)}。" if parts else ""


def _lacking(sheet: str) -> bool:
    return normalize_header(sheet).endswith(NOT_SUBMITTED_SUFFIX)


def _division_hint(files: list[RosterFile], absent: list[str], divisions: dict[str, str]) -> str:
    """A hint when the 「收訖有、名冊無」 students belong (by the student master) to a division no chosen
    roster is of: most likely the other division's roster was not chosen."""
    chosen = {f.division for f in files}
    if "" in chosen or not absent:
        return ""
    other = [nid for nid in absent if divisions.get(nid, "") not in ("", *chosen)]
    if not other:
        return ""
    names = "、".join(DIVISION_LABELS.get(d, d) for d in sorted({divisions[n] for n in other}))
    chosen_names = "、".join(DIVISION_LABELS.get(d, d) for d in sorted(chosen))
    return (
        f"「收訖有、名冊無」的 {len(other)} 位學生在學生名冊屬{names}，所選名冊只有{chosen_names}："
        f"如要一併對照，請加入{names}的期末名冊。"
    )


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
