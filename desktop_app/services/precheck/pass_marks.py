"""及格標準 services: the default and other marks (settings) and the per-student list.

User actions (one transaction each, audited): :func:`save_pass_mark_settings`,
:func:`import_pass_marks` (after :func:`preview_pass_mark_import`), :func:`set_student_pass_mark`,
:func:`change_pass_mark`, :func:`delete_pass_mark`.
Reads: :func:`get_pass_mark_settings`, :func:`list_pass_marks`, :func:`stored_pass_marks` (what a
pre-check run uses).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.config import os_user
from desktop_app.domain.national_id import check_id, mask_id
from desktop_app.domain.pass_marks import (
    DEFAULT_PASS_MARK,
    PassMarkError,
    PassMarkSettings,
    apply_pass_marks,
    format_mark,
    normalize_key,
    normalize_others,
    parse_mark,
    record_pass_marks,
)
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.precheck.pass_marks_file import (
    BadPassMarkRow,
    PassMarkFile,
    PassMarkFileError,
    read_pass_mark_file,
    refuse_bad_rows,
)
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts.students import apply_pua_map, pua_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import Setting, Student, StudentPassMark

DEFAULT_KEY = "precheck.default_pass_mark"
OTHERS_KEY = "precheck.other_pass_marks"
MANUAL_SOURCE = "手動輸入"

__all__ = [
    "BadPassMarkRow",
    "PassMarkFileError",
    "PassMarkImportPreview",
    "PassMarkSettings",
    "StudentPassMarkInfo",
    "apply_pass_marks",
    "change_pass_mark",
    "delete_pass_mark",
    "get_pass_mark_settings",
    "import_pass_marks",
    "list_pass_marks",
    "preview_pass_mark_import",
    "record_pass_marks",
    "remove_student_pass_mark",
    "save_pass_mark_settings",
    "set_student_pass_mark",
    "stored_pass_marks",
    "student_numbers",
]


# --------------------------------------------------------------------------- plain objects


@dataclass(frozen=True)
class StudentPassMarkInfo:
    """A listed student as the dialog shows it (ID masked; name/class from the 學生名冊 when known)."""

    id: int
    masked_id: str
    student_no: str
    name: str
    class_name: str
    seat: int | None
    mark: float
    source: str  # list file name, or 手動輸入
    updated_at: datetime
    in_master: bool  # the student is in the 學生名冊

    @property
    def mark_text(self) -> str:
        return format_mark(self.mark)


@dataclass(frozen=True)
class PassMarkChange:
    """One row of an import preview."""

    row: int
    masked_id: str
    student_no: str
    name: str
    class_name: str
    old: float | None  # None: added
    new: float


@dataclass(frozen=True)
class PassMarkImportPreview:
    file_name: str
    sheet: str
    encoding: str | None
    added: tuple[PassMarkChange, ...]
    changed: tuple[PassMarkChange, ...]
    unchanged: int
    not_in_file: int  # listed students the file does not name (kept; removed with ``replace``)
    replace: bool
    bad: tuple[BadPassMarkRow, ...]
    bad_text: str  # the bad rows as lines naming sheet, row, column and reason
    columns: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.bad and bool(self.added or self.changed or self.unchanged)

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file_name,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "not_in_file": self.not_in_file,
            "replace": self.replace,
            "removed": self.not_in_file if self.replace else 0,
            "bad": [
                {"sheet": self.sheet, "row": b.row, "column": b.column, "value": b.value, "reason": b.reason}
                for b in self.bad
            ],
        }


# --------------------------------------------------------------------------- settings


def _stored_default(s: Session) -> float:
    row = s.get(Setting, DEFAULT_KEY)
    try:
        return parse_mark(row.value) if row is not None else DEFAULT_PASS_MARK
    except PassMarkError:  # a hand-edited database: never stop a run on it
        return DEFAULT_PASS_MARK


def _stored_others(s: Session) -> tuple[float, ...]:
    row = s.get(Setting, OTHERS_KEY)
    if row is None:
        return ()
    try:
        return normalize_others(parse_mark(v) for v in json.loads(row.value))
    except (ValueError, TypeError):
        return ()


def get_pass_mark_settings(db: Database) -> PassMarkSettings:
    """The default mark and the school's other marks (no student list)."""
    with db.read() as s:
        default = _stored_default(s)
        return PassMarkSettings(default, normalize_others(_stored_others(s), default))


def save_pass_mark_settings(
    db: Database, default: float | str, others: tuple[float, ...] | list[float] | str
) -> PassMarkSettings:
    """Set the default mark and the other marks (``others`` may be typed as ``50, 40``).

    Raises:
        ServiceError: a mark is not a number from 0 to 100.
    """
    from desktop_app.domain.pass_marks import parse_marks

    try:
        value = parse_mark(default)
        marks = parse_marks(others) if isinstance(others, str) else tuple(parse_mark(m) for m in others)
    except PassMarkError as exc:
        raise ServiceError(f"及格標準{exc}。") from None
    marks = normalize_others(marks, value)
    with db.transaction() as s:
        before = {"default": _stored_default(s), "others": list(_stored_others(s))}
        after = {"default": value, "others": list(marks)}
        for key, text in ((DEFAULT_KEY, format_mark(value)), (OTHERS_KEY, json.dumps(list(marks)))):
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=text))
            else:
                row.value = text
        if before != after:
            shown = "、".join(format_mark(m) for m in marks) or "無"
            record(
                s,
                "passmarks.settings",
                "pass_mark",
                None,
                summary=f"及格標準：預設 {format_mark(value)} 分，其他 {shown}",
                before=before,
                after=after,
            )
    return PassMarkSettings(value, marks)


# --------------------------------------------------------------------------- the list


def _student_nos(s: Session) -> dict[str, str]:
    """學號 → 身分證號 from the 學生名冊 (a student still in the master wins a reused 學號)."""
    rows = s.execute(
        select(Student.student_no, Student.national_id, Student.in_master).where(Student.student_no != "")
    ).all()
    out: dict[str, str] = {}
    for no, nid, _in_master in sorted(rows, key=lambda r: bool(r[2])):  # in-master last: they win
        out[normalize_key(no)] = nid
    return out


def student_numbers(db: Database) -> dict[str, str]:
    """The 學生名冊 as 學號 → 身分證號 (to check a list file given to one run)."""
    with db.read() as s:
        return _student_nos(s)


def _students_by_id(s: Session) -> dict[str, Student]:
    return {st.national_id: st for st in s.scalars(select(Student))}


def _info(
    row: StudentPassMark, student: Student | None, pattern: str, names: dict[str, str]
) -> StudentPassMarkInfo:
    return StudentPassMarkInfo(
        row.id,
        mask_id(row.national_id, pattern),
        student.student_no if student else "",
        apply_pua_map(student.name, names) if student else "",
        student.class_name if student else "",
        student.seat if student else None,
        row.mark,
        row.source or MANUAL_SOURCE,
        row.updated_at,
        bool(student and student.in_master),
    )


def _sort_key(info: StudentPassMarkInfo) -> tuple[object, ...]:
    return (
        not info.in_master,
        info.class_name,
        info.seat if info.seat is not None else 10**6,
        info.masked_id,
    )


def list_pass_marks(db: Database) -> list[StudentPassMarkInfo]:
    """The listed students, by 班級 and 座號 (students not in the 學生名冊 last)."""
    pattern = mask_pattern(db)
    names = pua_map(db)
    with db.read() as s:
        students = _students_by_id(s)
        rows = [
            _info(r, students.get(r.national_id), pattern, names) for r in s.scalars(select(StudentPassMark))
        ]
    return sorted(rows, key=_sort_key)


def _analyse(
    s: Session, path: Path, replace_all: bool, pattern: str
) -> tuple[PassMarkImportPreview, PassMarkFile]:
    parsed = read_pass_mark_file(path, _student_nos(s))
    stored = {r.national_id: r for r in s.scalars(select(StudentPassMark))}
    students = _students_by_id(s)
    added: list[PassMarkChange] = []
    changed: list[PassMarkChange] = []
    unchanged = 0
    for row in parsed.rows:
        nid = row.national_id or row.key
        st = students.get(nid)
        old = stored.get(nid)
        change = PassMarkChange(
            row.row,
            mask_id(nid, pattern),
            st.student_no if st else (row.key if row.kind == "student_no" else ""),
            st.name if st else "",
            st.class_name if st else "",
            None if old is None else old.mark,
            row.mark,
        )
        if old is None:
            added.append(change)
        elif old.mark != row.mark:
            changed.append(change)
        else:
            unchanged += 1
    in_file = {r.national_id or r.key for r in parsed.rows}
    not_in_file = sum(1 for nid in stored if nid not in in_file)
    preview = PassMarkImportPreview(
        parsed.file_name,
        parsed.sheet,
        parsed.encoding,
        tuple(added),
        tuple(changed),
        unchanged,
        not_in_file,
        replace_all,
        parsed.bad,
        parsed.bad_text(),
        parsed.columns,
    )
    return preview, parsed


def preview_pass_mark_import(
    db: Database, path: Path | str, *, replace: bool = False
) -> PassMarkImportPreview:
    """What importing the list would do (added / changed / unchanged, bad rows); nothing written.

    Raises:
        PassMarkFileError: the file cannot be read or has no 身分證號/學號 and 及格標準 columns.
    """
    pattern = mask_pattern(db)
    with db.read() as s:
        return _analyse(s, Path(path), replace, pattern)[0]


def import_pass_marks(db: Database, path: Path | str, *, replace: bool = False) -> PassMarkImportPreview:
    """Store the list (one transaction, audited). A file with any bad row is refused whole.

    Args:
        replace: the file becomes the whole list (listed students it does not name are removed);
            otherwise they are kept.

    Raises:
        PassMarkFileError: unreadable file, or bad rows (the message names file, sheet, row,
            column and reason); the database is not changed.
    """
    path = Path(path)
    pattern = mask_pattern(db)
    now = datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        preview, parsed = _analyse(s, path, replace, pattern)
        refuse_bad_rows(parsed)
        stored = {r.national_id: r for r in s.scalars(select(StudentPassMark))}
        changes = []
        for row in parsed.rows:
            nid = row.national_id or row.key
            old = stored.get(nid)
            if old is None:
                s.add(
                    StudentPassMark(
                        national_id=nid, mark=row.mark, source=path.name, updated_at=now, updated_by=os_user()
                    )
                )
                changes.append({"id": mask_id(nid, pattern), "before": None, "after": row.mark})
            elif old.mark != row.mark:
                changes.append({"id": mask_id(nid, pattern), "before": old.mark, "after": row.mark})
                old.mark, old.source, old.updated_at, old.updated_by = row.mark, path.name, now, os_user()
        removed = 0
        if replace:
            in_file = {r.national_id or r.key for r in parsed.rows}
            gone = [nid for nid in stored if nid not in in_file]
            for nid in gone:
                changes.append({"id": mask_id(nid, pattern), "before": stored[nid].mark, "after": None})
            if gone:
                s.execute(delete(StudentPassMark).where(StudentPassMark.national_id.in_(gone)))
            removed = len(gone)
        record(
            s,
            "passmarks.import",
            "pass_mark",
            None,
            summary=(
                f"匯入及格標準名單「{path.name}」：新增 {len(preview.added)}、變更 {len(preview.changed)}、"
                f"未變 {preview.unchanged}"
                + (f"、移除 {removed}" if replace else f"、名單中其他 {preview.not_in_file} 人保留")
            ),
            after={
                "file": path.name,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "added": len(preview.added),
                "updated": len(preview.changed),
                "removed": removed,
                "changes": changes,
            },
        )
    return preview


def _resolve(s: Session, who: str) -> str:
    """The 身分證號 for a typed 身分證號 or 學號 (a 學號 must be in the 學生名冊)."""
    text = normalize_key(who)
    if not text:
        raise ServiceError("請輸入學生的身分證號或學號。")
    check = check_id(text)
    if check.valid:
        return check.value
    nos = _student_nos(s)
    if text in nos:
        return nos[text]
    if text[:1].isalpha() and len(text) == 10:
        raise ServiceError(f"身分證號{check.message}。")
    if not nos:
        raise ServiceError(
            f"學號「{who}」無法對應學生：學生名冊尚未匯入（請先匯入學生名冊，或改用身分證號）。"
        )
    raise ServiceError(f"學號「{who}」不在學生名冊，也不是有效的身分證號。")


def _mark(value: float | str) -> float:
    try:
        return parse_mark(value)
    except PassMarkError as exc:
        raise ServiceError(f"及格標準{exc}。") from None


def set_student_pass_mark(db: Database, who: str, mark: float | str) -> StudentPassMarkInfo:
    """Add a student to the list (身分證號 or 學號) or change their mark; audited."""
    value = _mark(mark)
    pattern = mask_pattern(db)
    names = pua_map(db)
    with db.transaction() as s:
        nid = _resolve(s, who)
        row = s.scalar(select(StudentPassMark).where(StudentPassMark.national_id == nid))
        old_mark = None if row is None else row.mark
        before = None if row is None else {"mark": row.mark, "source": row.source or MANUAL_SOURCE}
        now = datetime.now().replace(microsecond=0)
        if row is None:
            row = StudentPassMark(
                national_id=nid, mark=value, source="", updated_at=now, updated_by=os_user()
            )
            s.add(row)
        else:
            row.mark, row.source, row.updated_at, row.updated_by = value, "", now, os_user()
        s.flush()
        info = _info(row, _students_by_id(s).get(nid), pattern, names)
        who_text = " ".join(x for x in (info.class_name, info.name, info.masked_id) if x)
        if before is None or before["mark"] != value:
            record(
                s,
                "passmarks.student.set",
                "pass_mark",
                info.masked_id,
                summary=f"個別及格標準：{who_text} {format_mark(value)} 分"
                + ("" if old_mark is None else f"（原 {format_mark(float(old_mark))} 分）"),
                before=before,
                after={"mark": value, "source": MANUAL_SOURCE},
            )
    return info


def change_pass_mark(db: Database, entry_id: int, mark: float | str) -> StudentPassMarkInfo:
    """Change the mark of a listed student (by list entry id); audited."""
    value = _mark(mark)
    pattern = mask_pattern(db)
    names = pua_map(db)
    with db.transaction() as s:
        row = s.get(StudentPassMark, entry_id)
        if row is None:
            raise ServiceError("這位學生已不在及格標準名單（可能已被刪除），請重新整理。")
        old_mark = row.mark
        before = {"mark": row.mark, "source": row.source or MANUAL_SOURCE}
        if row.mark != value:
            row.mark, row.source = value, ""
            row.updated_at, row.updated_by = datetime.now().replace(microsecond=0), os_user()
        s.flush()
        info = _info(row, _students_by_id(s).get(row.national_id), pattern, names)
        if before["mark"] != value:
            record(
                s,
                "passmarks.student.set",
                "pass_mark",
                info.masked_id,
                summary=f"個別及格標準：{info.name or info.masked_id} {format_mark(float(old_mark))} → {format_mark(value)} 分",
                before=before,
                after={"mark": value, "source": MANUAL_SOURCE},
            )
    return info


def _delete_row(s: Session, row: StudentPassMark, pattern: str) -> StudentPassMarkInfo:
    info = _info(row, _students_by_id(s).get(row.national_id), pattern, {})
    before = {"mark": row.mark, "source": row.source or MANUAL_SOURCE}
    s.delete(row)
    who = " ".join(x for x in (info.class_name, info.name, info.masked_id) if x)
    record(
        s,
        "passmarks.student.delete",
        "pass_mark",
        info.masked_id,
        summary=f"刪除個別及格標準：{who}（原 {format_mark(row.mark)} 分）",
        before=before,
    )
    return info


def delete_pass_mark(db: Database, entry_id: int) -> StudentPassMarkInfo:
    """Remove a student from the list by list entry id (judged at the default again); audited."""
    pattern = mask_pattern(db)
    with db.transaction() as s:
        row = s.get(StudentPassMark, entry_id)
        if row is None:
            raise ServiceError("這位學生已不在及格標準名單（可能已被刪除），請重新整理。")
        return _delete_row(s, row, pattern)


def remove_student_pass_mark(db: Database, who: str) -> StudentPassMarkInfo:
    """Remove a student from the list by 身分證號 or 學號; audited."""
    pattern = mask_pattern(db)
    with db.transaction() as s:
        nid = _resolve(s, who)
        row = s.scalar(select(StudentPassMark).where(StudentPassMark.national_id == nid))
        if row is None:
            raise ServiceError(f"「{normalize_key(who)}」不在及格標準名單。")
        return _delete_row(s, row, pattern)


# --------------------------------------------------------------------------- for a run


def stored_pass_marks(db: Database) -> PassMarkSettings:
    """What a pre-check run uses from the database: the settings and the list, keyed by
    身分證號 and, for students in the 學生名冊, by 學號 too (rosters carry both)."""
    with db.read() as s:
        default = _stored_default(s)
        others = normalize_others(_stored_others(s), default)
        rows = list(
            s.execute(select(StudentPassMark.national_id, StudentPassMark.mark, StudentPassMark.source))
        )
        nos = {nid: no for no, nid in _student_nos(s).items()}
    marks: dict[str, float] = {}
    for nid, mark, _source in rows:
        marks[nid] = mark
    for nid, mark, _source in rows:
        no = nos.get(nid)
        if no and no not in marks:
            marks[no] = mark
    return PassMarkSettings(default, others, marks, _source_text(r[2] for r in rows), listed=len(rows))


def _source_text(sources: Iterable[str | None]) -> str:
    counts: dict[str, int] = {}
    for src in sources:
        counts[src or MANUAL_SOURCE] = counts.get(src or MANUAL_SOURCE, 0) + 1
    files = [f for f in counts if f != MANUAL_SOURCE]
    text = "、".join(files)
    if MANUAL_SOURCE in counts:
        manual = f"{MANUAL_SOURCE} {counts[MANUAL_SOURCE]} 人"
        text = f"{text}，{manual}" if text else manual
    return text
