"""Importing a 收訖明細 file as a new batch: the dry run (what would be written) and the import."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.config import os_user
from desktop_app.domain.errors import ServiceError
from desktop_app.domain.hygiene import (
    check_credits,
    check_date_text,
    check_school_year,
    check_term,
    clean_controls,
)
from desktop_app.domain.national_id import mask_id, normalize_id
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.receipts import (
    CATEGORIES,
    EXEMPT,
    UNCONFIRMED,
    is_exempt,
    normalize_category,
)
from desktop_app.domain.roc_date import RocDateError, format_roc_compact, parse_roc_date
from desktop_app.services.audit import record
from desktop_app.services.profile import mask_pattern
from desktop_app.services.receipts.batches import checked_period
from desktop_app.services.receipts.confirmation import check_exemptions
from desktop_app.services.receipts.mapping import check_mapping, remember_mapping, suggest_mapping
from desktop_app.services.receipts.reading import (
    FIELD_LABELS,
    VERBATIM_FIELDS,
    ReceiptFile,
    read_receipt_file,
)
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    Confirmation,
    ReceiptBatch,
    ReceiptExemption,
    ReceiptItem,
    Student,
)

NOT_IN_MASTER = "不在學生名冊"
ID_BLANK = "身分證號空白"
ID_MASKED = "身分證號已遮蔽（含 *），無法比對學生"


@dataclass(frozen=True)
class UnknownId:
    row: int
    masked_id: str
    name: str
    reason: str = NOT_IN_MASTER
    national_id: str = ""  # as read, for the import dialog's detail line only (lists show masked_id)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str
    value: str = ""


@dataclass(frozen=True)
class ReceiptDryRun:
    """What an import would write, computed before anything is written."""

    file_name: str
    sha256: str
    total_rows: int
    matched_rows: int
    matched_students: int
    unknown: tuple[UnknownId, ...]  # 身分證號 not in the student master: rows skipped
    per_category: dict[str, int]
    students_per_category: dict[str, int]
    errors: tuple[RowProblem, ...]  # block the import
    year: int | None
    term: int | None
    birth_mismatches: tuple[RowProblem, ...] = ()  # warnings: imported, but worth a look
    rejected: tuple[RowProblem, ...] = ()  # bad 學年度/學期/學分/日期: rows left out (or import refused)
    cleaned: tuple[RowProblem, ...] = ()  # control characters replaced by U+FFFD: imported, reported

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        cats = "、".join(f"{c} {n} 筆" for c, n in self.per_category.items() if n)
        text = f"共 {self.total_rows} 列：可匯入 {self.matched_rows} 列（{self.matched_students} 位學生；{cats or '無'}）"
        if self.unknown:
            text += f"；名冊中找不到的身分證號 {len(self.unknown)} 列（不匯入）"
        if self.rejected:
            text += f"；資料有誤 {len(self.rejected)} 列（學年度、學期、學分或日期不合理，不匯入）"
        if self.cleaned:
            text += f"；控制字元已改為 � 的儲存格 {len(self.cleaned)} 個"
        if self.birth_mismatches:
            text += f"；出生日期與名冊不同 {len(self.birth_mismatches)} 列（仍匯入，請查核）"
        if self.errors:
            bad = self.total_rows - self.matched_rows - len(self.unknown) - len(self.rejected)
            text += f"；錯誤 {bad} 列（須修正後才能匯入）"
        return text


@dataclass(frozen=True)
class _PreparedRow:
    row: int
    student_id: int
    category: str
    year: str
    term: str
    title: str
    credits: str
    item_date: str
    detail: str
    course_code: str = ""
    score: str = ""


def _prepare(
    s: Session, rf: ReceiptFile, mapping: dict[str, int], pattern: str
) -> tuple[ReceiptDryRun, list[_PreparedRow]]:
    """Every row of ``rf`` checked against the student master: what would be written, and why not."""
    check_mapping(mapping, rf)
    preparer = _Preparer(s, rf, mapping, pattern)
    for offset, raw_row in enumerate(rf.rows):
        if any(c.strip() for c in raw_row):
            preparer.add(raw_row, rf.header_row + 1 + offset)
    return preparer.dry_run(), preparer.prepared


class _Preparer:
    """The rows of one file as they are checked: kept, left out (with the reason) or refused."""

    def __init__(self, s: Session, rf: ReceiptFile, mapping: dict[str, int], pattern: str) -> None:
        self.rf, self.mapping, self.pattern = rf, mapping, pattern
        self.ids: dict[str, int] = {}
        self.births: dict[int, str] = {}
        for nid, sid, birth in s.execute(select(Student.national_id, Student.id, Student.birth_date)):
            self.ids[nid] = sid
            self.births[sid] = birth
        self.total = 0
        self.prepared: list[_PreparedRow] = []
        self.unknown: list[UnknownId] = []
        self.mismatched: list[RowProblem] = []
        self.rejected: list[RowProblem] = []
        self.cleaned: list[RowProblem] = []
        self.per_category = {c: 0 for c in CATEGORIES}
        self.students_per_category: dict[str, set[int]] = {c: set() for c in CATEGORIES}
        self.terms: dict[tuple[int, int], int] = defaultdict(int)
        self.bad_categories: dict[str, list[int]] = defaultdict(list)

    def get(self, row: tuple[str, ...], field_name: str) -> str:
        i = self.mapping.get(field_name)
        if i is None:
            return ""
        if field_name in VERBATIM_FIELDS:
            # the slip must show what the student uploaded: no NFKC (it would turn 「：（）」 into
            # 「:()」 and 「Ⅱ」 into 「II」); only the surrounding spaces go
            return row[i].strip()
        return unicodedata.normalize("NFKC", row[i]).strip()

    def add(self, raw_row: tuple[str, ...], excel_row: int) -> None:
        """Check one non-blank row and keep it, or note why it is left out."""
        self.total += 1
        row = self._cleaned(raw_row, excel_row)
        nid = normalize_id(self.get(row, "national_id"))
        raw_category = self.get(row, "category")
        category = normalize_category(raw_category)
        if category is None:
            self.bad_categories[raw_category].append(excel_row)
            return
        student_id = self.ids.get(nid)
        if student_id is None:
            reason = ID_BLANK if not nid else ID_MASKED if ("*" in nid or "＊" in nid) else NOT_IN_MASTER
            self.unknown.append(UnknownId(excel_row, mask_id(nid, self.pattern), self.get(row, "name"), reason, nid))
            return
        self._check_birth(row, excel_row, nid, student_id)
        year_term = self._year_term(row, excel_row)
        if year_term is None:
            return
        year, term = year_term
        g = self.get
        self.prepared.append(
            _PreparedRow(
                excel_row, student_id, category, year, term, g(row, "title"), g(row, "credits"),
                g(row, "item_date"), g(row, "detail"), g(row, "course_code").upper(), g(row, "score"),
            )
        )  # fmt: skip
        self.per_category[category] += 1
        self.students_per_category[category].add(student_id)

    def _cleaned(self, raw_row: tuple[str, ...], excel_row: int) -> tuple[str, ...]:
        """The row with control characters replaced by U+FFFD, each such cell reported."""
        row = raw_row
        for c_index, value in enumerate(raw_row):
            text, count = clean_controls(value)
            if count:
                row = tuple(clean_controls(v)[0] for v in raw_row)
                column = self.rf.headers[c_index] or f"第{c_index + 1}欄"
                message = f"第 {excel_row} 列「{column}」欄含 {count} 個控制字元（無法列印），已改為 �"
                self.cleaned.append(RowProblem(excel_row, column, message, text))
        return row

    def _check_birth(self, row: tuple[str, ...], excel_row: int, nid: str, student_id: int) -> None:
        """A birth date unlike the master's is imported, but listed for a look."""
        birth = self.get(row, "birth_date")
        known = self.births.get(student_id)
        if birth and known and _birth_key(birth) != known:
            self.mismatched.append(
                RowProblem(
                    excel_row,
                    self.rf.headers[self.mapping["birth_date"]],
                    f"第 {excel_row} 列 {mask_id(nid, self.pattern)} 的出生日期「{birth}」與學生名冊（{known}）不同",
                )
            )

    def _year_term(self, row: tuple[str, ...], excel_row: int) -> tuple[str, str] | None:
        """The row's 學年度 and 學期 as plain numbers; None (row rejected) when a value is implausible."""
        year, term = self.get(row, "year"), self.get(row, "term")
        if year and not term and "term" not in self.mapping:
            year, term = split_year_term(year)
        year, term = _plain_year(year), _plain_term(term)
        problem = _bad_value(
            (("year", year, check_school_year), ("term", term, check_term),
             ("credits", self.get(row, "credits"), check_credits),
             ("item_date", self.get(row, "item_date"), check_date_text)),
        )  # fmt: skip
        if problem is not None:
            field_name, value, reason = problem
            column = self.rf.headers[self.mapping[field_name]] or FIELD_LABELS[field_name]
            self.rejected.append(
                RowProblem(excel_row, column, f"第 {excel_row} 列「{column}」欄「{value}」：{reason}，不匯入", value)
            )
            return None
        if year.isdigit() and term in ("1", "2"):
            self.terms[(int(year), int(term))] += 1
        return year, term

    def _category_errors(self) -> list[RowProblem]:
        """One error per unknown category value, not one per row: 60 rows of 「體育」 are one problem."""
        if not self.bad_categories:
            return []
        column = self.rf.headers[self.mapping["category"]]
        errors = []
        for raw, rows in self.bad_categories.items():
            shown = "、".join(str(r) for r in rows[:8]) + (f"…（共 {len(rows)} 列）" if len(rows) > 8 else "")
            errors.append(
                RowProblem(
                    rows[0],
                    column,
                    f"第 {shown} 列資料類別「{raw}」不認得（「{column}」欄）：應為 {'、'.join(CATEGORIES)} 之一，"
                    "或名冊別代碼 41/42（修課紀錄）、24（幹部經歷）、25（多元表現）、26/28（課程學習成果）",
                )
            )
        return errors

    def dry_run(self) -> ReceiptDryRun:
        latest = max(self.terms) if self.terms else None
        return ReceiptDryRun(
            self.rf.file_name,
            self.rf.sha256,
            self.total,
            len(self.prepared),
            len({p.student_id for p in self.prepared}),
            tuple(self.unknown),
            self.per_category,
            {c: len(v) for c, v in self.students_per_category.items()},
            tuple(self._category_errors()),
            latest[0] if latest else None,
            latest[1] if latest else None,
            tuple(self.mismatched),
            tuple(self.rejected),
            tuple(self.cleaned),
        )


def _bad_value(checks: tuple[tuple[str, str, Callable[[str], str | None]], ...]) -> tuple[str, str, str] | None:
    """The first (field, value, reason) whose non-blank value fails its check; None when all pass."""
    for field_name, value, check in checks:
        if value:
            reason = check(value)
            if reason:
                return field_name, value, reason
    return None


_YEAR_TERM_RE = re.compile(r"^(\d{2,3})\s*(?:[-/._ ]|學年度?第?)?\s*([12])\s*(?:學期)?$")


def split_year_term(text: str) -> tuple[str, str]:
    """A combined 學年期 (``1121``, ``112-1``, ``112學年度第1學期``) as (學年度, 學期); else (text, "")."""
    match = _YEAR_TERM_RE.match(text)
    # "112" alone is a 學年度, and "2021" an AD year, not 202學年度第1學期
    if match is None or (text.isdigit() and len(text) != 4) or not 80 <= int(match.group(1)) <= 199:
        return text, ""
    return match.group(1), match.group(2)


_TERM_WORDS = {"上": "1", "下": "2", "一": "1", "二": "2", "上學期": "1", "下學期": "2"}


def _plain_year(text: str) -> str:
    """``112學年度`` / ``112學年`` → ``112`` (other text is kept as it is)."""
    value = text.removesuffix("學年度").removesuffix("學年").strip()
    return value if value.isdigit() else text


def _plain_term(text: str) -> str:
    """``第1學期``, ``上``, ``下學期`` → ``1`` / ``2`` (other text is kept as it is)."""
    value = text.removeprefix("第").removesuffix("學期").strip()
    return _TERM_WORDS.get(value, _TERM_WORDS.get(text, value if value in ("1", "2") else text))


def dry_run_receipts(db: Database, rf: ReceiptFile, mapping: dict[str, int]) -> ReceiptDryRun:
    """What :func:`import_receipts` would do with this mapping; nothing is written."""
    pattern = mask_pattern(db)
    with db.read() as s:
        return _prepare(s, rf, mapping, pattern)[0]


def _birth_key(text: str) -> str:
    """A birth date as the master stores it (ROC yyyMMdd), whatever form the file used."""
    try:
        return format_roc_compact(parse_roc_date(text))
    except RocDateError:
        # not a date, but compared as the student master stores it (a number that lost its zero)
        return text.zfill(7) if text.isdigit() and len(text) == 6 else text


@dataclass(frozen=True)
class ReceiptImportResult:
    batch_id: int
    dry_run: ReceiptDryRun
    warnings: tuple[str, ...]


def import_receipts(
    db: Database,
    source: Path | str | ReceiptFile,
    *,
    name: str,
    start: date | str,
    end: date | str,
    deadline: date | str | None = None,
    doc_no: str = "",
    mapping: dict[str, int] | None = None,
    exemptions: list[tuple[str, str]] | None = None,
    year: int | None = None,
    term: int | None = None,
    today: date | None = None,
    progress: ProgressFn | None = None,
    strict: bool = False,
) -> ReceiptImportResult:
    """Import a 收訖明細 file as a new batch (one transaction): items, one confirmation per
    student × category (未確認, or 免確認 by the batch's exemptions), the remembered mapping.

    Rows whose 身分證號 is not in the student master, and rows with an implausible 學年度, 學期,
    學分 or 日期, are skipped and reported (``strict``: they refuse the whole import); rows with an
    unknown category refuse the whole import.
    """
    rf = source if isinstance(source, ReceiptFile) else read_receipt_file(source)
    if not (name or "").strip():
        raise ServiceError("請輸入批次名稱（例如「113-1 第1梯次 收訖明細」）。")
    start_d, end_d, deadline_d, warnings = checked_period(start, end, deadline, today)
    if mapping is None:
        mapping = suggest_mapping(db, rf).mapping
    check_exemptions(exemptions or [])
    pattern = mask_pattern(db)
    with db.transaction() as s:
        dry, prepared = _prepare(s, rf, mapping, pattern)
        _refuse_unimportable(rf, dry, prepared, strict)
        warnings += _same_file_warnings(s, rf)
        batch = ReceiptBatch(
            name=name.strip(),
            year=year if year is not None else dry.year,
            term=term if term is not None else dry.term,
            file_name=rf.file_name,
            sha256=rf.sha256,
            imported_at=datetime.now().replace(microsecond=0),
            imported_by=os_user(),
            period_start=start_d,
            period_end=end_d,
            deadline=deadline_d,
            deadline_doc_no=(doc_no or "").strip(),
        )
        s.add(batch)
        s.flush()
        _insert_items(s, batch.id, prepared, progress)
        _insert_confirmations(s, batch.id, prepared, exemptions or [])
        remember_mapping(s, rf, mapping)
        record(
            s,
            "receipts.import",
            "receipt_batch",
            batch.id,
            summary=f"匯入收訖明細「{rf.file_name}」為批次「{batch.name}」：{dry.summary()}",
            after={
                "file": rf.file_name,
                "sha256": rf.sha256,
                "period": [start_d, end_d],
                "deadline": deadline_d,
                "doc_no": batch.deadline_doc_no,
                "mapping": {f: rf.headers[i] for f, i in mapping.items()},
                "rows": dry.matched_rows,
                "unknown_ids": len(dry.unknown),
            },
        )
        batch_id = batch.id
    return ReceiptImportResult(batch_id, dry, tuple(warnings))


def _more(count: int, shown: int, unit: str) -> str:
    return f"（另有 {count - shown} {unit}）" if count > shown else ""


def _refuse_unimportable(rf: ReceiptFile, dry: ReceiptDryRun, prepared: list[_PreparedRow], strict: bool) -> None:
    """Refuse (ServiceError, nothing written) a file with blocking errors, with left-out rows when
    ``strict``, or with nothing to import; each message says why and what to do."""
    if dry.errors:
        shown = "；".join(p.message for p in dry.errors[:10])
        bad_rows = dry.total_rows - dry.matched_rows - len(dry.unknown)
        raise ServiceError(
            f"「{rf.file_name}」工作表「{rf.sheet_name}」有 {bad_rows} 列無法匯入：{shown}{_more(len(dry.errors), 10, '項')}。"
            "請修正檔案或調整欄位對應後再匯入；資料庫未變更。"
        )
    if strict and (dry.rejected or dry.unknown):
        left_out = [p.message for p in dry.rejected] + [
            f"第 {u.row} 列 {u.masked_id} {u.name}：{u.reason}" for u in dry.unknown
        ]
        raise ServiceError(
            f"「{rf.file_name}」有 {len(left_out)} 列無法匯入，依設定整批不匯入（資料庫未變更）："
            + "；".join(left_out[:10])
            + _more(len(left_out), 10, "列")
        )
    if prepared:
        return
    if dry.total_rows == 0:
        raise ServiceError(
            f"「{rf.file_name}」在第 {rf.header_row} 列標題之下沒有任何資料列，未匯入。請確認下載的收訖明細有內容。"
        )
    masked = sum(1 for u in dry.unknown if u.reason == ID_MASKED)
    if masked:
        raise ServiceError(
            f"「{rf.file_name}」沒有可匯入的資料列：{masked} 列的身分證號已遮蔽（例如 A12345****），"
            "無法比對學生名冊。請下載未遮蔽身分證號的收訖明細，或檢查欄位對應是否選錯欄。"
        )
    raise ServiceError(
        f"「{rf.file_name}」沒有可匯入的資料列（{len(dry.unknown)} 列的身分證號不在學生名冊或空白）。"
        "請先匯入學生名冊，或檢查欄位對應的「身分證號」欄是否選對。"
    )


def _same_file_warnings(s: Session, rf: ReceiptFile) -> list[str]:
    """Not refused (a second batch of the same file can be intended), but never silent."""
    same = s.execute(select(ReceiptBatch.id, ReceiptBatch.name).where(ReceiptBatch.sha256 == rf.sha256)).first()
    if same is None:
        return []
    return [
        f"「{rf.file_name}」與批次 #{same[0]}「{same[1]}」是同一個檔案（SHA-256 相同），"
        "已另建新批次，請確認不是重複匯入。"
    ]


def _insert_items(s: Session, batch_id: int, prepared: list[_PreparedRow], progress: ProgressFn | None) -> None:
    """The batch's items, in chunks of 1000 rows (progress after each)."""
    total = len(prepared)
    chunk = 1000
    for i in range(0, total, chunk):
        s.execute(
            insert(ReceiptItem),
            [
                {
                    "batch_id": batch_id,
                    "student_id": p.student_id,
                    "category": p.category,
                    "year": p.year,
                    "term": p.term,
                    "title": p.title,
                    "credits": p.credits,
                    "item_date": p.item_date,
                    "detail": p.detail,
                    "course_code": p.course_code,
                    "score": p.score,
                    "source_row": p.row,
                }
                for p in prepared[i : i + chunk]
            ],
        )
        if progress:
            progress(min(i + chunk, total), total)


def _insert_confirmations(
    s: Session, batch_id: int, prepared: list[_PreparedRow], exemptions: list[tuple[str, str]]
) -> None:
    """The batch's 免確認 rules, and one confirmation per student × category: 免確認 where a rule
    covers the student, else 未確認."""
    scopes: dict[str, set[str]] = defaultdict(set)
    for category, scope in exemptions:
        scopes[category].add(scope)
        s.add(ReceiptExemption(batch_id=batch_id, category=category, scope=scope))
    pairs = sorted({(p.student_id, p.category) for p in prepared})
    info = {
        sid: (st, gr)
        for sid, st, gr in s.execute(
            select(Student.id, Student.status, Student.grade).where(Student.id.in_({sid for sid, _c in pairs}))
        )
    }
    s.execute(
        insert(Confirmation),
        [
            {
                "batch_id": batch_id,
                "student_id": sid,
                "category": cat,
                "status": (EXEMPT if is_exempt(scopes.get(cat, set()), *info[sid]) else UNCONFIRMED).value,
                "changed_at": None,
            }
            for sid, cat in pairs
        ],
    )
