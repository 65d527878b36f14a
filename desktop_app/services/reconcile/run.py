"""收訖對照: the action. A 收訖明細 batch against the final 修課紀錄/成績名冊 the school submitted
(issue 14).

:func:`reconcile` reads the rosters (``roster.py``, never writing them), matches the batch's 修課紀錄
items (rules in ``domain/reconcile.py``), records the run (files, SHA-256, counts, the 未收訖 keys)
and returns a :class:`~desktop_app.domain.reconcile_result.ReconcileResult` of plain rows.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop_app.config import os_user
from desktop_app.domain.errors import ServiceError
from desktop_app.domain.national_id import mask_id
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.reconcile import (
    KIND_LABELS,
    KINDS,
    MISSING,
    NO_RECEIPT,
    NOT_IN_ROSTER,
    NOT_SUBMITTED_SUFFIX,
    CodeIndex,
    Difference,
    MatchResult,
    ReceivedCourse,
    RosterCourse,
    code_from_text,
    match_courses,
    number_key,
)
from desktop_app.domain.reconcile_result import DIVISION_LABELS, ReconcileResult, ReconcileRow, RosterFile
from desktop_app.readers import normalize_header
from desktop_app.services.audit import record
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts import ReceiptBatchInfo, batch_term_title, get_batch
from desktop_app.services.reconcile.explanations import explanations
from desktop_app.services.reconcile.roster import ParsedRoster, prefetch_rosters, read_roster
from desktop_app.services.reconcile.sheet import plain_text
from desktop_app.storage.db import Database
from desktop_app.storage.models import ReconcileRun

COURSE_CATEGORY = "修課紀錄"

# national id → (student id, name, class, seat, 學號) as the student master has them
Master = dict[str, tuple[int, str, str, str, str]]


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
    # the batch is loaded while the rosters are parsed in a thread (calamine's parse releases the
    # GIL; a large sheet is parsed on two cores, readers/xlsx_split.py, so the overlap is partial)
    received, students, divisions = _received(db, batch_id)
    index = CodeIndex(received)
    files = _read_rosters(batch, roster_paths, parsing, {i.national_id for i in received}, index, progress)
    year, term, notes = _term_of(files, batch)
    terms = {(str(year), str(term))}.union(*(f.terms for f in files))
    matched = match_courses(received, [r for f in files for r in f.rows], terms, _roster_only(files), index)
    rows = _detail_rows(matched.differences, students, explanations(db, batch_id), mask_pattern(db))
    notes += _run_notes(files, matched, divisions, has_items=bool(received))
    if progress:
        progress(total_steps - 1, total_steps)
    counts = dict.fromkeys(KINDS, 0)
    for r in rows:
        counts[r.kind] += 1
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
        sum(f.compared_rows for f in files),
        matched.out_of_scope,
        tuple(notes),
        time.perf_counter() - started,
    )
    if record_run and not db.read_only:
        result = _record(db, result)
    if progress:
        progress(total_steps, total_steps)
    return result


def _read_rosters(
    batch: ReceiptBatchInfo,
    roster_paths: list[Path | str],
    parsing: list[Future[ParsedRoster]],
    wanted: set[str],
    index: CodeIndex,
    progress: ProgressFn | None,
) -> list[RosterFile]:
    """Each roster read through ``index`` (the first matching pass); the same file twice is refused."""
    total_steps = len(roster_paths) + 2
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
    return files


def _roster_only(files: list[RosterFile]) -> dict[str, tuple[int, RosterCourse]]:
    """Roster students not in the batch, over all rosters: national id → (rows, first row)."""
    roster_only: dict[str, tuple[int, RosterCourse]] = {}
    for f in files:
        for nid, (count, first) in f.others.items():
            before = roster_only.get(nid)
            roster_only[nid] = (count + before[0], before[1]) if before else (count, first)
    return roster_only


_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def _detail_rows(
    differences: Iterable[Difference], students: Master, notes: dict[tuple[str, str], str], pattern: str
) -> list[ReconcileRow]:
    """The rows shown and exported: by class, seat, student, kind, then course."""
    return sorted(
        (_row(d, students, notes, pattern) for d in differences),
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


def _run_notes(
    files: list[RosterFile], matched: MatchResult, divisions: dict[str, str], *, has_items: bool
) -> list[str]:
    """What the clerk should know beyond the rows: items out of scope, rows skipped, a roster missing."""
    notes: list[str] = []
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
    if not has_items:
        notes.append("此批次沒有任何「修課紀錄」類的收訖明細。")
    absent = [d.national_id for d in matched.differences if d.kind == NOT_IN_ROSTER]
    hint = _division_hint(files, absent, divisions)
    if hint:
        notes.append(hint)
    return notes


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


def _received(db: Database, batch_id: int) -> tuple[list[ReceivedCourse], Master, dict[str, str]]:
    """The batch's 修課紀錄 items, the student master (id → (student_id, name, class, seat, 學號)) and
    each student's 部別 (id → "day" | "continuing")."""
    students: Master = {}
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


def _coded_from_detail(row: tuple[Any, ...]) -> ReceivedCourse:
    item = ReceivedCourse._make(row[:9])
    return item._replace(code=code_from_text(row[9]))


def _row(
    d: Difference,
    students: Master,
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
    return dataclasses.replace(result, run_id=run_id)
