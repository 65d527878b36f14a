"""收訖明細 services. ``list_batches`` is the contract other features read (calendar, self-check).

Slips and reminders: :func:`slip_batch` and :func:`reminder_lines` build the plain data the PDF
writers (``exports/slips.py``, ``exports/reminders.py``) print.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from desktop_app.config import os_user
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
    CONFIRMED,
    DEEMED,
    DEFAULT_OFFICES,
    DONE_STATUSES,
    EXEMPT,
    EXEMPTION_SCOPES,
    OBJECTION,
    OBJECTION_STATUSES,
    UNCONFIRMED,
    PeriodError,
    check_period,
    normalize_category,
    reminder_text,
)
from desktop_app.domain.roc_date import RocDateError, Term, format_roc, format_roc_compact, parse_roc_date
from desktop_app.exports.slips_model import SlipBatch, SlipCategory, SlipItem, SlipStudent, parse_slip_code
from desktop_app.readers import ReaderError, normalize_header, read_workbook
from desktop_app.services import ServiceError
from desktop_app.services.audit import record
from desktop_app.services.profile import get_profile, mask_pattern
from desktop_app.services.students import apply_pua_map, pua_map
from desktop_app.storage.db import Database
from desktop_app.storage.models import (
    ColumnMapping,
    Confirmation,
    Objection,
    ReceiptBatch,
    ReceiptExemption,
    ReceiptItem,
    SlipReturn,
    Student,
)

CLOSED_OBJECTION_STATUSES = ("已更正(重新提交)", "查無誤(已回覆)")


@dataclass(frozen=True)
class ReceiptBatchInfo:
    id: int
    name: str
    year: int | None
    term: int | None
    file_name: str
    sha256: str
    imported_at: datetime
    period_start: date
    period_end: date
    deadline: date | None
    deadline_doc_no: str
    objections_total: int
    objections_open: int
    deemed_confirmed_at: datetime | None

    @property
    def period_days(self) -> int:
        return (self.period_end - self.period_start).days + 1


def list_batches(db: Database) -> list[ReceiptBatchInfo]:
    """All batches, oldest first, with their objection counts."""
    with db.read() as s:
        totals = dict(s.execute(select(Objection.batch_id, func.count()).group_by(Objection.batch_id)).all())
        open_counts = dict(
            s.execute(
                select(Objection.batch_id, func.count())
                .where(Objection.status.not_in(CLOSED_OBJECTION_STATUSES))
                .group_by(Objection.batch_id)
            ).all()
        )
        rows = s.scalars(select(ReceiptBatch).order_by(ReceiptBatch.imported_at, ReceiptBatch.id))
        return [
            ReceiptBatchInfo(
                b.id,
                b.name,
                b.year,
                b.term,
                b.file_name,
                b.sha256,
                b.imported_at,
                b.period_start,
                b.period_end,
                b.deadline,
                b.deadline_doc_no,
                totals.get(b.id, 0),
                open_counts.get(b.id, 0),
                b.deemed_confirmed_at,
            )
            for b in rows
        ]


def get_batch(db: Database, batch_id: int) -> ReceiptBatchInfo:
    for info in list_batches(db):
        if info.id == batch_id:
            return info
    raise ServiceError(f"找不到收訖明細批次 #{batch_id}，請先匯入收訖明細，或用「收訖批次」頁確認批次編號。")


def batch_term_title(batch: ReceiptBatch | ReceiptBatchInfo) -> str:
    if batch.year and batch.term in (1, 2):
        return Term(batch.year, batch.term).title
    if batch.year:
        return f"{batch.year}學年度"
    return batch.name


def _item_date_text(text: str) -> str:
    if not text:
        return ""
    try:
        return format_roc(parse_roc_date(text))
    except RocDateError:
        return text


@dataclass(frozen=True)
class _StudentRow:
    id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    national_id: str


def _sort_seat(seat: int | None) -> int:
    return seat if seat is not None else 10**6


def _confirmation_rows(
    s: Session, batch_id: int, class_name: str | None, student_ids: list[int] | None
) -> tuple[dict[int, dict[str, str]], dict[int, _StudentRow]]:
    """The batch's confirmation statuses per student (id -> category -> status) and those students.

    Args:
        class_name: only this class (all when empty).
        student_ids: only these students (database ids; all when None).
    """
    stmt = (
        select(
            Confirmation.student_id,
            Confirmation.category,
            Confirmation.status,
            Student.class_name,
            Student.seat,
            Student.student_no,
            Student.name,
            Student.national_id,
        )
        .join(Student, Student.id == Confirmation.student_id)
        .where(Confirmation.batch_id == batch_id)
    )
    if class_name:
        stmt = stmt.where(Student.class_name == class_name)
    if student_ids is not None:
        stmt = stmt.where(Student.id.in_(student_ids))
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    students: dict[int, _StudentRow] = {}
    for sid, category, status, *student in s.execute(stmt):
        statuses[sid][category] = status
        if sid not in students:
            students[sid] = _StudentRow(sid, *student)
    return statuses, students


# --- slips ---------------------------------------------------------------------------------------
def slip_batch(
    db: Database,
    batch_id: int,
    *,
    class_name: str | None = None,
    student_ids: list[int] | None = None,
    pending_only: bool = False,
) -> SlipBatch:
    """The paper slips of a batch: students sorted by 班級, 座號, with their items per category.

    Args:
        class_name: only this class.
        student_ids: only these students (database ids).
        pending_only: only students with at least one category still 未確認.
    """
    pattern = mask_pattern(db)
    profile = get_profile(db)
    mapping = pua_map(db)
    with db.read() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}，請確認批次編號。")
        statuses, students = _confirmation_rows(s, batch_id, class_name, student_ids)
        if pending_only:
            students = {k: v for k, v in students.items() if UNCONFIRMED in statuses[k].values()}
        items: dict[tuple[int, str], list[SlipItem]] = defaultdict(list)
        if students:
            item_stmt = (
                select(
                    ReceiptItem.student_id,
                    ReceiptItem.category,
                    ReceiptItem.year,
                    ReceiptItem.term,
                    ReceiptItem.title,
                    ReceiptItem.credits,
                    ReceiptItem.item_date,
                )
                .where(ReceiptItem.batch_id == batch_id)
                .order_by(ReceiptItem.student_id, ReceiptItem.year, ReceiptItem.term, ReceiptItem.source_row)
            )
            if len(students) <= 900:  # a class or a few students: let the database filter
                item_stmt = item_stmt.where(ReceiptItem.student_id.in_(list(students)))
            for sid, category, year, term, title, credits, item_date in s.execute(item_stmt):
                if sid in students:
                    items[(sid, category)].append(
                        SlipItem(year, term, title, credits, _item_date_text(item_date))
                    )
        ordered = sorted(
            students.values(), key=lambda st: (st.class_name, _sort_seat(st.seat), st.student_no, st.id)
        )
        slip_students = [
            SlipStudent(
                student_id=st.id,
                class_name=st.class_name,
                seat=st.seat,
                student_no=st.student_no,
                name=apply_pua_map(st.name, mapping),
                masked_id=mask_id(st.national_id, pattern),
                categories=[
                    SlipCategory(
                        name=cat,
                        items=items.get((st.id, cat), []),
                        exempt=statuses[st.id][cat] == EXEMPT,
                        status=statuses[st.id][cat],
                    )
                    for cat in CATEGORIES
                    if cat in statuses[st.id]
                ],
            )
            for st in ordered
        ]
        return SlipBatch(
            batch_id=batch.id,
            school_name=profile.name if profile else "",
            batch_name=batch.name,
            term_title=batch_term_title(batch),
            period_start=batch.period_start,
            period_end=batch.period_end,
            deadline=batch.deadline,
            students=slip_students,
            contact_line=profile.contact_line if profile else "",
        )


# --- reminders -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReminderLine:
    """One student's reminder (「1.收訖明細請於O月O日前完成確認。2.…。3.…。」)."""

    student_id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    masked_id: str
    confirmed: tuple[str, ...]  # 已確認 / 視為已確認
    pending: tuple[str, ...]  # 未確認
    objections: tuple[str, ...]  # 有疑義
    exempt: tuple[str, ...]  # 免確認
    text: str


def reminder_lines(db: Database, batch_id: int, class_name: str | None = None) -> list[ReminderLine]:
    """The reminder text of every student of a batch (or of one class), sorted by 班級, 座號."""
    batch = slip_batch(db, batch_id, class_name=class_name)
    lines = []
    for st in batch.students:
        confirmed = tuple(c.name for c in st.categories if c.status in DONE_STATUSES)
        pending = tuple(c.name for c in st.categories if c.status == UNCONFIRMED)
        objections = tuple(c.name for c in st.categories if c.status == OBJECTION)
        exempt = tuple(c.name for c in st.categories if c.status == EXEMPT)
        lines.append(
            ReminderLine(
                st.student_id,
                st.class_name,
                st.seat,
                st.student_no,
                st.name,
                st.masked_id,
                confirmed,
                pending,
                objections,
                exempt,
                reminder_text(batch.period_end, list(confirmed), list(pending), list(objections)),
            )
        )
    return lines


# === receipt file import ==========================================================================
# Two header styles are supported (the real export's columns are unconfirmed, formats.md):
#   A 「收訖明細產出」 style: 身分證號 | 出生日期 | 姓名 | 資料類別 | 學年度 | 學期 | 名稱 | 學分 | 日期 | 說明
#   B vendor style:          學號 | 班級 | 座號 | 學生姓名 | 身分證統一編號 | 生日 | 項目 | 學年 | 學期別 |
#                            課程名稱 | 學分數 | 起訖日期 | 內容說明
# Title rows above the header are skipped; any other shape goes through the mapping step.
RECEIPT_FIELDS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "national_id": (
        "身分證號",
        True,
        (
            "身分證號",
            "身分證統一編號",
            "身分證字號",
            "統一編號",
            "學生身分證號",
            "證號",
            "身分證",
            "身份證號",
            "身份證字號",
            "身份證統一編號",
            "學生身份證號",
            "身份證",
        ),
    ),
    "birth_date": ("出生日期", False, ("出生日期", "生日", "出生年月日")),
    "name": ("姓名", False, ("姓名", "學生姓名")),
    "category": (
        "資料類別",
        True,
        ("資料類別", "類別", "項目", "資料項目", "收訖項目", "資料種類", "資料類型", "類型", "名冊別"),
    ),
    "year": ("學年度", False, ("學年度", "學年", "應修課學年度", "實施學年度")),
    "term": ("學期", False, ("學期", "學期別", "應修課學期")),
    "title": (
        "名稱",
        True,
        ("科目名稱", "課程名稱", "名稱", "項目名稱", "成果名稱", "標題", "內容名稱", "擔任職務", "幹部名稱"),
    ),
    "credits": ("學分", False, ("學分", "學分數", "修課學分")),
    "item_date": ("日期", False, ("日期", "開始日期", "起訖日期", "時間", "取得日期", "上傳日期")),
    "detail": ("說明", False, ("說明", "內容說明", "內容", "簡述", "備註")),
    # 修課紀錄 only, when the export carries them: 收訖對照 (services/reconcile.py) matches by code
    "course_code": ("課程代碼", False, ("課程代碼", "科目代碼", "課程代碼(23碼)")),
    "score": ("成績", False, ("成績", "學期成績", "學期學業成績", "分數")),
}
FIELD_LABELS = {k: v[0] for k, v in RECEIPT_FIELDS.items()}
VERBATIM_FIELDS = ("title", "detail", "name")
REQUIRED_FIELDS = tuple(k for k, v in RECEIPT_FIELDS.items() if v[1])
MAPPING_KIND = "receipts"


@dataclass(frozen=True)
class ReceiptFile:
    """A 收訖明細 file read as text: its header row and data rows."""

    path: Path
    sha256: str
    sheet_name: str
    header_row: int  # Excel row number of the header
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # data rows after the header
    encoding: str | None = None  # CSV: the detected encoding (reported, never guessed silently)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def signature(self) -> str:
        """The header shape: files with the same headers share a remembered mapping."""
        text = "\x1f".join(normalize_header(h) for h in self.headers)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MappingGuess:
    mapping: dict[str, int]  # field -> column index (0-based)
    remembered: bool  # True when taken from a previous import of the same header shape


def read_receipt_file(path: Path | str) -> ReceiptFile:
    """Read a 收訖明細 file (xlsx/xls/ods/csv); the header row is found by known column names."""
    path = Path(path)
    if path.is_dir():
        raise ServiceError(f"「{path}」是資料夾，不是檔案。請選擇收訖明細檔案（xlsx、xls 或 csv）。")
    try:
        wb = read_workbook(path)
    except ReaderError as exc:
        raise ServiceError(exc.message) from None
    known = {normalize_header(a) for _l, _r, aliases in RECEIPT_FIELDS.values() for a in aliases}
    id_names = {normalize_header(a) for a in RECEIPT_FIELDS["national_id"][2]}
    # the best header row of any sheet, not the first: a 封面 (cover) sheet 「學校代碼|學年度|學期|名冊別」
    # or a title line naming 學年度 and 學期 matches two known names too, but has no 身分證號 column
    chosen = None
    best: tuple[bool, int] | None = None
    for sheet in wb.sheets:
        for index, row in enumerate(sheet.rows[:30]):
            names = {normalize_header(c) for c in row if c}
            score = (bool(names & id_names), len(names & known))
            if score[1] >= 2 and (best is None or score > best):
                best, chosen = score, (sheet, index)
    if chosen is None:
        sheet = next((sh for sh in wb.sheets if any(any(c.strip() for c in r) for r in sh.rows)), None)
        if sheet is None:
            raise ServiceError(f"「{path.name}」沒有任何資料。")
        index = next(i for i, r in enumerate(sheet.rows) if any(c.strip() for c in r))
        chosen = (sheet, index)
    sheet, index = chosen
    headers = tuple(h.strip() for h in sheet.rows[index])
    width = len(headers)
    rows = tuple(tuple((list(r) + [""] * width)[:width]) for r in sheet.rows[index + 1 :])
    return ReceiptFile(
        path, hashlib.sha256(path.read_bytes()).hexdigest(), sheet.name, index + 1, headers, rows, wb.encoding
    )


def guess_mapping(headers: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Best guess of field → column from header names: exact alias first, then containment."""
    normalized = [normalize_header(h) for h in headers]
    found: dict[str, int] = {}
    for exact in (True, False):
        for field_name, (_label, _req, aliases) in RECEIPT_FIELDS.items():
            if field_name in found:
                continue
            for alias in aliases:
                hit = next(
                    (
                        i
                        for i, h in enumerate(normalized)
                        if i not in found.values() and h and (h == alias if exact else alias in h)
                    ),
                    None,
                )
                if hit is not None:
                    found[field_name] = hit
                    break
    return found


def suggest_mapping(db: Database, rf: ReceiptFile) -> MappingGuess:
    """The remembered mapping for this header shape, else the guess from header names."""
    with db.read() as s:
        row = s.scalar(
            select(ColumnMapping).where(
                ColumnMapping.kind == MAPPING_KIND, ColumnMapping.signature == rf.signature
            )
        )
        if row is not None:
            stored = json.loads(row.mapping)
            mapping = {
                f: int(i) for f, i in stored.items() if f in RECEIPT_FIELDS and 0 <= int(i) < len(rf.headers)
            }
            return MappingGuess(mapping, True)
    return MappingGuess(guess_mapping(rf.headers), False)


def _mapping_field(key: object) -> str:
    by_label = {label: f for f, label in FIELD_LABELS.items()}
    field_name = key if key in RECEIPT_FIELDS else by_label.get(str(key))
    if field_name is None:
        raise ServiceError(
            f"對應設定的欄位「{key}」不認得；可用：{'、'.join(f'{f}（{label}）' for f, label in FIELD_LABELS.items())}"
        )
    return str(field_name)


def parse_mapping_spec(spec: dict[str, object], headers: tuple[str, ...]) -> dict[str, int]:
    """A user mapping {field or 中文欄名: header text or 1-based column number} → field → index."""
    normalized = [normalize_header(h) for h in headers]
    out: dict[str, int] = {}
    for key, value in spec.items():
        field_name = _mapping_field(key)
        if value is None or value == "":
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            index = int(value) - 1
            if not 0 <= index < len(headers):
                raise ServiceError(
                    f"對應設定「{key}」指向第 {value} 欄，但檔案只有 {len(headers)} 欄（欄號從 1 起算）。"
                )
        else:
            wanted = normalize_header(value)
            if wanted not in normalized:
                raise ServiceError(
                    f"對應設定「{key}」指向欄名「{value}」，但檔案標題列沒有這一欄（有：{'、'.join(headers)}）。"
                )
            index = normalized.index(wanted)
        out[field_name] = index
    return out


def merge_mapping(base: dict[str, int], spec: dict[str, object], headers: tuple[str, ...]) -> dict[str, int]:
    """The user's changes (``spec``, as :func:`parse_mapping_spec` reads it) applied to ``base``.

    Fields the spec names take its column ("" or null unmaps the field); the others keep the
    base's column unless the spec gave that column to another field. So ``{"title": "資料內容"}``
    is enough to fix one wrong guess, as in the mapping step of the tab.
    """
    chosen = parse_mapping_spec(spec, headers)
    cleared = {_mapping_field(k) for k, v in spec.items() if v is None or v == ""}
    taken = set(chosen.values())
    out = {f: i for f, i in base.items() if f not in chosen and f not in cleared and i not in taken}
    out.update(chosen)
    return out


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


def _check_mapping(mapping: dict[str, int], rf: ReceiptFile) -> None:
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise ServiceError(
            f"「{rf.file_name}」的欄位對應缺少：{'、'.join(missing)}。"
            f"請在對應步驟指定這些欄位在檔案中的哪一欄（檔案的欄名：{'、'.join(h for h in rf.headers if h)}）。"
        )
    used: dict[int, str] = {}
    for f, i in mapping.items():
        if i in used:
            raise ServiceError(
                f"欄位對應重複：「{FIELD_LABELS[used[i]]}」與「{FIELD_LABELS[f]}」都指向「{rf.headers[i]}」欄。"
            )
        used[i] = f


def _prepare(
    s: Session, rf: ReceiptFile, mapping: dict[str, int], pattern: str
) -> tuple[ReceiptDryRun, list[_PreparedRow]]:
    _check_mapping(mapping, rf)
    ids: dict[str, int] = {}
    births: dict[int, str] = {}
    for nid, sid, birth in s.execute(select(Student.national_id, Student.id, Student.birth_date)):
        ids[nid] = sid
        births[sid] = birth
    unknown: list[UnknownId] = []
    mismatched: list[RowProblem] = []
    errors: list[RowProblem] = []
    prepared: list[_PreparedRow] = []
    per_category = {c: 0 for c in CATEGORIES}
    students_per_category: dict[str, set[int]] = {c: set() for c in CATEGORIES}
    terms: dict[tuple[int, int], int] = defaultdict(int)
    bad_categories: dict[str, list[int]] = defaultdict(list)
    rejected: list[RowProblem] = []
    cleaned: list[RowProblem] = []
    total = 0

    def get(row: tuple[str, ...], field_name: str) -> str:
        i = mapping.get(field_name)
        if i is None:
            return ""
        if field_name in VERBATIM_FIELDS:
            # the slip must show what the student uploaded: no NFKC (it would turn 「：（）」 into
            # 「:()」 and 「Ⅱ」 into 「II」); only the surrounding spaces go
            return row[i].strip()
        return unicodedata.normalize("NFKC", row[i]).strip()

    for offset, raw_row in enumerate(rf.rows):
        excel_row = rf.header_row + 1 + offset
        if not any(c.strip() for c in raw_row):
            continue
        total += 1
        row = raw_row
        for c_index, value in enumerate(raw_row):
            text, count = clean_controls(value)
            if count:
                row = tuple(clean_controls(v)[0] for v in raw_row)
                column = rf.headers[c_index] or f"第{c_index + 1}欄"
                cleaned.append(
                    RowProblem(
                        excel_row,
                        column,
                        f"第 {excel_row} 列「{column}」欄含 {count} 個控制字元（無法列印），已改為 �",
                        text,
                    )
                )
        nid = normalize_id(get(row, "national_id"))
        raw_category = get(row, "category")
        category = normalize_category(raw_category)
        if category is None:
            bad_categories[raw_category].append(excel_row)
            continue
        student_id = ids.get(nid)
        if student_id is None:
            reason = ID_BLANK if not nid else ID_MASKED if ("*" in nid or "＊" in nid) else NOT_IN_MASTER
            unknown.append(UnknownId(excel_row, mask_id(nid, pattern), get(row, "name"), reason, nid))
            continue
        birth = get(row, "birth_date")
        if birth and births.get(student_id) and _birth_key(birth) != births[student_id]:
            mismatched.append(
                RowProblem(
                    excel_row,
                    rf.headers[mapping["birth_date"]],
                    f"第 {excel_row} 列 {mask_id(nid, pattern)} 的出生日期「{birth}」與學生名冊（{births[student_id]}）不同",
                )
            )
        year, term = get(row, "year"), get(row, "term")
        if year and not term and "term" not in mapping:
            year, term = split_year_term(year)
        year, term = _plain_year(year), _plain_term(term)
        problem = _bad_value(
            (("year", year, check_school_year), ("term", term, check_term),
             ("credits", get(row, "credits"), check_credits), ("item_date", get(row, "item_date"), check_date_text)),
        )  # fmt: skip
        if problem is not None:
            field_name, value, reason = problem
            column = rf.headers[mapping[field_name]] or FIELD_LABELS[field_name]
            rejected.append(
                RowProblem(excel_row, column, f"第 {excel_row} 列「{column}」欄「{value}」：{reason}，不匯入", value)
            )
            continue
        if year.isdigit() and term in ("1", "2"):
            terms[(int(year), int(term))] += 1
        prepared.append(
            _PreparedRow(
                excel_row,
                student_id,
                category,
                year,
                term,
                get(row, "title"),
                get(row, "credits"),
                get(row, "item_date"),
                get(row, "detail"),
                get(row, "course_code").upper(),
                get(row, "score"),
            )
        )
        per_category[category] += 1
        students_per_category[category].add(student_id)
    if bad_categories:
        column = rf.headers[mapping["category"]]
        for raw, rows in bad_categories.items():
            # one message per unknown value, not one per row: 60 rows of 「體育」 are one problem
            shown = "、".join(str(r) for r in rows[:8]) + (f"…（共 {len(rows)} 列）" if len(rows) > 8 else "")
            errors.append(
                RowProblem(
                    rows[0],
                    column,
                    f"第 {shown} 列資料類別「{raw}」不認得（「{column}」欄）：應為 {'、'.join(CATEGORIES)} 之一，"
                    "或名冊別代碼 41/42（修課紀錄）、24（幹部經歷）、25（多元表現）、26/28（課程學習成果）",
                )
            )
    latest = max(terms) if terms else None
    dry = ReceiptDryRun(
        rf.file_name,
        rf.sha256,
        total,
        len(prepared),
        len({p.student_id for p in prepared}),
        tuple(unknown),
        per_category,
        {c: len(v) for c, v in students_per_category.items()},
        tuple(errors),
        latest[0] if latest else None,
        latest[1] if latest else None,
        tuple(mismatched),
        tuple(rejected),
        tuple(cleaned),
    )
    return dry, prepared


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


def _parse_date(value: date | str | None, label: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return parse_roc_date(value)
    except RocDateError as exc:
        raise ServiceError(f"{label}：{exc}") from None


def _checked_period(
    start: date | str, end: date | str, deadline: date | str | None, today: date | None
) -> tuple[date, date, date | None, list[str]]:
    """The confirmation period's dates parsed and checked (ServiceError quoting the rule); its warnings."""
    start_d = _parse_date(start, "確認期間開始日")
    end_d = _parse_date(end, "確認期間結束日")
    if start_d is None or end_d is None:
        raise ServiceError("請輸入確認期間的開始日與結束日（民國日期，例如 113/10/15）。")
    deadline_d = _parse_date(deadline, "國教署期限")
    try:
        warnings = check_period(start_d, end_d, deadline_d, today=today or date.today())
    except PeriodError as exc:
        raise ServiceError(str(exc)) from None
    return start_d, end_d, deadline_d, warnings


@dataclass(frozen=True)
class ReceiptImportResult:
    batch_id: int
    dry_run: ReceiptDryRun
    warnings: tuple[str, ...]


def _exempt(scopes: set[str], student: tuple[str, int | None]) -> bool:
    status, grade = student
    return (
        "all" in scopes
        or ("graduated" in scopes and "畢業" in (status or ""))
        or ("grade3" in scopes and grade == 3)
    )


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
    start_d, end_d, deadline_d, warnings = _checked_period(start, end, deadline, today)
    if mapping is None:
        mapping = suggest_mapping(db, rf).mapping
    for category, scope in exemptions or []:
        if category not in CATEGORIES or scope not in EXEMPTION_SCOPES:
            raise ServiceError(f"免確認設定「{category}／{scope}」不正確。")
    pattern = mask_pattern(db)
    with db.transaction() as s:
        dry, prepared = _prepare(s, rf, mapping, pattern)
        if dry.errors:
            shown = "；".join(p.message for p in dry.errors[:10])
            more = f"（另有 {len(dry.errors) - 10} 項）" if len(dry.errors) > 10 else ""
            bad_rows = dry.total_rows - dry.matched_rows - len(dry.unknown)
            raise ServiceError(
                f"「{rf.file_name}」工作表「{rf.sheet_name}」有 {bad_rows} 列無法匯入：{shown}{more}。"
                "請修正檔案或調整欄位對應後再匯入；資料庫未變更。"
            )
        if strict and (dry.rejected or dry.unknown):
            left_out = [p.message for p in dry.rejected] + [
                f"第 {u.row} 列 {u.masked_id} {u.name}：{u.reason}" for u in dry.unknown
            ]
            more = f"（另有 {len(left_out) - 10} 列）" if len(left_out) > 10 else ""
            raise ServiceError(
                f"「{rf.file_name}」有 {len(left_out)} 列無法匯入，依設定整批不匯入（資料庫未變更）："
                + "；".join(left_out[:10])
                + more
            )
        if not prepared and dry.total_rows == 0:
            raise ServiceError(
                f"「{rf.file_name}」在第 {rf.header_row} 列標題之下沒有任何資料列，未匯入。請確認下載的收訖明細有內容。"
            )
        if not prepared:
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
        same = s.execute(
            select(ReceiptBatch.id, ReceiptBatch.name).where(ReceiptBatch.sha256 == rf.sha256)
        ).first()
        if same is not None:
            # not refused (a second batch of the same file can be intended), but never silent
            warnings.append(
                f"「{rf.file_name}」與批次 #{same[0]}「{same[1]}」是同一個檔案（SHA-256 相同），"
                "已另建新批次，請確認不是重複匯入。"
            )
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
        total = len(prepared)
        chunk = 1000
        for i in range(0, total, chunk):
            s.execute(
                insert(ReceiptItem),
                [
                    {
                        "batch_id": batch.id,
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
        scopes: dict[str, set[str]] = defaultdict(set)
        for category, scope in exemptions or []:
            scopes[category].add(scope)
            s.add(ReceiptExemption(batch_id=batch.id, category=category, scope=scope))
        pairs = sorted({(p.student_id, p.category) for p in prepared})
        info = {
            sid: (st, gr)
            for sid, st, gr in s.execute(
                select(Student.id, Student.status, Student.grade).where(
                    Student.id.in_({sid for sid, _c in pairs})
                )
            )
        }
        s.execute(
            insert(Confirmation),
            [
                {
                    "batch_id": batch.id,
                    "student_id": sid,
                    "category": cat,
                    "status": EXEMPT if _exempt(scopes.get(cat, set()), info[sid]) else UNCONFIRMED,
                    "changed_at": None,
                }
                for sid, cat in pairs
            ],
        )
        _remember_mapping(s, rf, mapping)
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


def _remember_mapping(s: Session, rf: ReceiptFile, mapping: dict[str, int]) -> None:
    row = s.scalar(
        select(ColumnMapping).where(
            ColumnMapping.kind == MAPPING_KIND, ColumnMapping.signature == rf.signature
        )
    )
    if row is None:
        row = ColumnMapping(kind=MAPPING_KIND, signature=rf.signature)
        s.add(row)
    row.headers = json.dumps(list(rf.headers), ensure_ascii=False)
    row.mapping = json.dumps(mapping, sort_keys=True)
    row.updated_at = datetime.now().replace(microsecond=0)


# === deleting a batch (imported by mistake) =====================================================
@dataclass(frozen=True)
class BatchContents:
    """What deleting a batch removes: the batch row and everything hanging on it."""

    batch_id: int
    name: str
    file_name: str
    items: int
    confirmations: int
    slip_returns: int
    objections: int
    exemptions: int

    def summary(self) -> str:
        """One zh-TW line for the confirmation dialog, the CLI and the audit log."""
        return (
            f"批次 #{self.batch_id}「{self.name}」（檔案 {self.file_name or '（無）'}）："
            f"收訖明細 {self.items} 筆、確認狀態 {self.confirmations} 筆、回條 {self.slip_returns} 張、"
            f"疑義 {self.objections} 件、免確認設定 {self.exemptions} 項"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "name": self.name,
            "file": self.file_name,
            "items": self.items,
            "confirmations": self.confirmations,
            "slip_returns": self.slip_returns,
            "objections": self.objections,
            "exemptions": self.exemptions,
        }


_BATCH_CHILDREN = (
    ("items", ReceiptItem),
    ("confirmations", Confirmation),
    ("slip_returns", SlipReturn),
    ("objections", Objection),
    ("exemptions", ReceiptExemption),
)


def _batch_contents(s: Session, batch_id: int) -> BatchContents:
    batch = s.get(ReceiptBatch, batch_id)
    if batch is None:
        raise ServiceError(
            f"找不到收訖明細批次 #{batch_id}（可能已刪除）。請用「receipts list」或「收訖批次」頁確認批次編號。"
        )
    counts = {
        key: s.scalar(select(func.count()).select_from(model).where(model.batch_id == batch_id)) or 0
        for key, model in _BATCH_CHILDREN
    }
    return BatchContents(batch_id, batch.name, batch.file_name, **counts)


def batch_contents(db: Database, batch_id: int) -> BatchContents:
    """What :func:`delete_batch` would remove (nothing is changed)."""
    with db.read() as s:
        return _batch_contents(s, batch_id)


def delete_batch(db: Database, batch_id: int) -> BatchContents:
    """Delete a batch with its items, confirmations, slip returns, objections and 免確認 rules.

    One transaction, audited with the name, file, SHA-256 and the counts. The students stay (the
    master is not the batch's). Callers back the database up first (the tab and the CLI do).
    """
    with db.transaction() as s:
        contents = _batch_contents(s, batch_id)
        batch = s.get(ReceiptBatch, batch_id)
        assert batch is not None
        before = {
            **contents.as_dict(),
            "sha256": batch.sha256,
            "imported_at": batch.imported_at,
            "imported_by": batch.imported_by,
            "period": [batch.period_start, batch.period_end],
            "deadline": batch.deadline,
        }
        for _key, model in _BATCH_CHILDREN:
            s.execute(delete(model).where(model.batch_id == batch_id))
        s.execute(delete(ReceiptBatch).where(ReceiptBatch.id == batch_id))
        record(
            s,
            "receipts.delete_batch",
            "receipt_batch",
            batch_id,
            summary="刪除" + contents.summary(),
            before=before,
        )
    return contents


# === the confirmation period =====================================================================
def set_period(
    db: Database,
    batch_id: int,
    *,
    start: date | str,
    end: date | str,
    deadline: date | str | None = None,
    doc_no: str = "",
    today: date | None = None,
) -> list[str]:
    """Save a batch's confirmation period, 國教署 deadline and 文號; returns warnings.

    Refused (ServiceError quoting the rule) when end − start + 1 < 3.
    """
    start_d, end_d, deadline_d, warnings = _checked_period(start, end, deadline, today)
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        before = {
            "start": batch.period_start,
            "end": batch.period_end,
            "deadline": batch.deadline,
            "doc_no": batch.deadline_doc_no,
        }
        batch.period_start, batch.period_end, batch.deadline = start_d, end_d, deadline_d
        batch.deadline_doc_no = (doc_no or "").strip()
        after = {"start": start_d, "end": end_d, "deadline": deadline_d, "doc_no": batch.deadline_doc_no}
        record(
            s,
            "receipts.period",
            "receipt_batch",
            batch_id,
            summary=f"批次「{batch.name}」確認期間 {format_roc(start_d)}–{format_roc(end_d)}",
            before=before,
            after=after,
        )
    return warnings


# === exemptions (免確認) =========================================================================
def get_exemptions(db: Database, batch_id: int) -> list[tuple[str, str]]:
    with db.read() as s:
        return [
            (e.category, e.scope)
            for e in s.scalars(
                select(ReceiptExemption)
                .where(ReceiptExemption.batch_id == batch_id)
                .order_by(ReceiptExemption.id)
            )
        ]


def set_exemptions(db: Database, batch_id: int, rules: list[tuple[str, str]]) -> int:
    """Replace a batch's 免確認 rules and re-apply them; returns how many statuses changed.

    Only 未確認 ↔ 免確認 change: a category already confirmed or under objection is left as it is.
    """
    for category, scope in rules:
        if category not in CATEGORIES or scope not in EXEMPTION_SCOPES:
            raise ServiceError(f"免確認設定「{category}／{scope}」不正確。")
    scopes: dict[str, set[str]] = defaultdict(set)
    for category, scope in rules:
        scopes[category].add(scope)
    changed = 0
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        before = [
            (e.category, e.scope)
            for e in s.scalars(select(ReceiptExemption).where(ReceiptExemption.batch_id == batch_id))
        ]
        for e in s.scalars(select(ReceiptExemption).where(ReceiptExemption.batch_id == batch_id)):
            s.delete(e)
        s.flush()
        for category, scope in sorted(set(rules)):
            s.add(ReceiptExemption(batch_id=batch_id, category=category, scope=scope))
        now = datetime.now().replace(microsecond=0)
        rows = s.execute(
            select(Confirmation, Student.status, Student.grade)
            .join(Student, Student.id == Confirmation.student_id)
            .where(Confirmation.batch_id == batch_id, Confirmation.status.in_((UNCONFIRMED, EXEMPT)))
        )
        for conf, status, grade in rows:
            wanted = EXEMPT if _exempt(scopes.get(conf.category, set()), (status, grade)) else UNCONFIRMED
            if conf.status != wanted:
                conf.status, conf.changed_at = wanted, now
                changed += 1
        record(
            s,
            "receipts.exemptions",
            "receipt_batch",
            batch_id,
            summary=f"批次「{batch.name}」免確認設定（{changed} 項狀態改變）",
            before=before,
            after=sorted(set(rules)),
        )
    return changed


# === confirmations ===============================================================================
@dataclass(frozen=True)
class StudentStatus:
    """One student's statuses in a batch (the scan view and the confirmation list)."""

    student_id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    masked_id: str
    statuses: dict[str, str]  # category -> status (only categories with items)
    returned_at: datetime | None

    def status(self, category: str) -> str:
        return self.statuses.get(category, "")


def list_student_statuses(
    db: Database, batch_id: int, *, class_name: str | None = None, student_id: int | None = None
) -> list[StudentStatus]:
    pattern = mask_pattern(db)
    mapping = pua_map(db)
    with db.read() as s:
        statuses, students = _confirmation_rows(
            s, batch_id, class_name, None if student_id is None else [student_id]
        )
        returns_stmt = select(SlipReturn.student_id, SlipReturn.scanned_at).where(
            SlipReturn.batch_id == batch_id
        )
        if student_id is not None:
            returns_stmt = returns_stmt.where(SlipReturn.student_id == student_id)
        returns = dict(s.execute(returns_stmt).all())
    out = [
        StudentStatus(
            st.id,
            st.class_name,
            st.seat,
            st.student_no,
            apply_pua_map(st.name, mapping),
            mask_id(st.national_id, pattern),
            {c: statuses[st.id][c] for c in CATEGORIES if c in statuses[st.id]},
            returns.get(st.id),
        )
        for st in students.values()
    ]
    out.sort(key=lambda r: (r.class_name, _sort_seat(r.seat), r.student_no))
    return out


def set_confirmation(db: Database, batch_id: int, student_id: int, category: str, status: str) -> str:
    """Record a student's answer for one category: 已確認, or back to 未確認 (a correction).

    有疑義 goes through :func:`open_objection`; 免確認 through the exemptions.
    """
    if status not in (CONFIRMED, UNCONFIRMED):
        raise ServiceError(f"狀態「{status}」不能直接設定：有疑義請用「登記疑義」，免確認請用免確認設定。")
    with db.transaction() as s:
        conf = s.scalar(
            select(Confirmation).where(
                Confirmation.batch_id == batch_id,
                Confirmation.student_id == student_id,
                Confirmation.category == category,
            )
        )
        if conf is None:
            raise ServiceError(f"這位學生在此批次沒有「{category}」的資料，不需確認。")
        if conf.status == EXEMPT:
            raise ServiceError(f"「{category}」在此批次為免確認，不需登記。")
        before = conf.status
        if before == status:
            return status
        conf.status, conf.changed_at = status, datetime.now().replace(microsecond=0)
        st = s.get(Student, student_id)
        record(
            s,
            "receipts.confirm",
            "receipt_confirmation",
            conf.id,
            summary=f"批次 #{batch_id} {st.class_name if st else ''} {st.name if st else ''}「{category}」{before} → {status}",
            before=before,
            after=status,
        )
    return status


# === deemed confirmed (視為已確認) ===============================================================
@dataclass(frozen=True)
class DeemedRow:
    student_id: int
    class_name: str
    seat: int | None
    name: str
    category: str


def deemed_preview(db: Database, batch_id: int) -> list[DeemedRow]:
    """Who would become 視為已確認: every category still 未確認 in the batch."""
    return [
        DeemedRow(st.student_id, st.class_name, st.seat, st.name, cat)
        for st in list_student_statuses(db, batch_id)
        for cat, status in st.statuses.items()
        if status == UNCONFIRMED
    ]


def apply_deemed(db: Database, batch_id: int, *, today: date | None = None) -> int:
    """After the period: every 未確認 becomes 視為已確認 (one audit entry with the date)."""
    today = today or date.today()
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        if today <= batch.period_end:
            raise ServiceError(
                f"確認期間到 {format_roc(batch.period_end)} 才結束，期間結束後（{format_roc(batch.period_end + timedelta(days=1))} 起）"
                "才能將未確認者視為已確認。"
            )
        now = datetime.combine(today, datetime.now().time()).replace(microsecond=0)
        confs = list(
            s.scalars(
                select(Confirmation).where(
                    Confirmation.batch_id == batch_id, Confirmation.status == UNCONFIRMED
                )
            )
        )
        for conf in confs:
            conf.status, conf.changed_at = DEEMED, now
        batch.deemed_confirmed_at = now
        record(
            s,
            "receipts.deemed",
            "receipt_batch",
            batch_id,
            summary=(
                f"批次「{batch.name}」確認期間於 {format_roc(batch.period_end)} 結束，"
                f"{format_roc(today)} 將 {len(confs)} 項未確認改為視為已確認"
            ),
            after={"date": today, "count": len(confs), "confirmation_ids": [c.id for c in confs]},
        )
    return len(confs)


# === returned slips (回條) =======================================================================
SCAN_OK = "ok"
SCAN_ALREADY = "already"
SCAN_UNKNOWN = "unknown"
SCAN_OTHER_BATCH = "other_batch"


@dataclass(frozen=True)
class ScanResult:
    outcome: str  # SCAN_OK | SCAN_ALREADY | SCAN_UNKNOWN | SCAN_OTHER_BATCH
    message: str
    code: str
    student: StudentStatus | None = None
    previous_scan: datetime | None = None


def scan_slip(db: Database, batch_id: int, code: str) -> ScanResult:
    """A scanned 回條 code: mark the slip returned, or say loudly why not."""
    text = (code or "").strip()
    parsed = parse_slip_code(text)
    if parsed is None:
        return ScanResult(SCAN_UNKNOWN, f"無法辨識的條碼「{text}」：不是本系統印製的回條。", text)
    code_batch, student_id = parsed
    if code_batch != batch_id:
        with db.read() as s:
            other = s.get(ReceiptBatch, code_batch)
            where = f"批次「{other.name}」" if other else f"批次 #{code_batch}（已不存在）"
        return ScanResult(SCAN_OTHER_BATCH, f"不是這個批次的回條：它屬於{where}。請放到該批次處理。", text)
    found = list_student_statuses(db, batch_id, student_id=student_id)
    if not found:
        return ScanResult(SCAN_UNKNOWN, f"條碼「{text}」的學生不在此批次（學生編號 {student_id}）。", text)
    student = found[0]
    if student.returned_at is not None:
        return ScanResult(
            SCAN_ALREADY,
            f"{student.class_name} {student.seat or ''}號 {student.name} 的回條已掃描過"
            f"（{format_roc(student.returned_at.date())} {student.returned_at:%H:%M}），請勿重複登記。",
            text,
            student,
            student.returned_at,
        )
    now = datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        s.add(SlipReturn(batch_id=batch_id, student_id=student_id, scanned_at=now))
        record(
            s,
            "receipts.slip_return",
            "receipt_slip_return",
            f"{batch_id}/{student_id}",
            summary=f"回條繳回：{student.class_name} {student.seat or ''}號 {student.name}",
        )
    returned = StudentStatus(
        student.student_id,
        student.class_name,
        student.seat,
        student.student_no,
        student.name,
        student.masked_id,
        student.statuses,
        now,
    )
    return ScanResult(
        SCAN_OK, f"已登記回條：{student.class_name} {student.seat or ''}號 {student.name}", text, returned
    )


# === objections (疑義) ===========================================================================
@dataclass(frozen=True)
class ObjectionInfo:
    id: int
    batch_id: int
    student_id: int
    class_name: str
    seat: int | None
    student_no: str
    name: str
    category: str
    items: str
    statement: str
    received_on: date
    office: str
    status: str
    action_taken: str
    closed_on: date | None
    days_open: int

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_OBJECTION_STATUSES

    @property
    def overdue(self) -> bool:
        """Open for more than 3 days (highlighted)."""
        return self.is_open and self.days_open > 3


def _objection_info(o: Objection, st: Student, mapping: dict[str, str], today: date) -> ObjectionInfo:
    days = ((o.closed_on or today) - o.received_on).days
    return ObjectionInfo(
        o.id,
        o.batch_id,
        o.student_id,
        st.class_name,
        st.seat,
        st.student_no,
        apply_pua_map(st.name, mapping),
        o.category,
        o.items,
        o.statement,
        o.received_on,
        o.office,
        o.status,
        o.action_taken,
        o.closed_on,
        max(days, 0),
    )


def list_objections(
    db: Database, batch_id: int | None = None, *, today: date | None = None
) -> list[ObjectionInfo]:
    today = today or date.today()
    mapping = pua_map(db)
    stmt = select(Objection, Student).join(Student, Student.id == Objection.student_id)
    if batch_id is not None:
        stmt = stmt.where(Objection.batch_id == batch_id)
    with db.read() as s:
        rows = [_objection_info(o, st, mapping, today) for o, st in s.execute(stmt.order_by(Objection.id))]
    return rows


def open_objection(
    db: Database,
    batch_id: int,
    student_id: int,
    category: str,
    *,
    items: str = "",
    statement: str = "",
    received_on: date | str | None = None,
    office: str | None = None,
    today: date | None = None,
) -> ObjectionInfo:
    """Open a 疑義 for one student and category (status 受理); the category becomes 有疑義.

    Refused when received after the confirmation period.
    """
    today = today or date.today()
    received = _parse_date(received_on, "收件日") or today
    if category not in CATEGORIES:
        raise ServiceError(f"資料類別「{category}」不正確，應為 {'、'.join(CATEGORIES)} 之一。")
    if not (statement or "").strip():
        raise ServiceError("請填寫學生的說明（哪裡有誤、應該是什麼）。")
    mapping = pua_map(db)
    with db.transaction() as s:
        batch = s.get(ReceiptBatch, batch_id)
        if batch is None:
            raise ServiceError(f"找不到收訖明細批次 #{batch_id}。")
        st = s.get(Student, student_id)
        if st is None:
            raise ServiceError(f"找不到學生 #{student_id}。")
        if received > batch.period_end:
            raise ServiceError(
                f"確認期間已於 {format_roc(batch.period_end)} 結束（收件日 {format_roc(received)}），"
                f"依規定期間內未提出疑義者視為已確認，無法再受理「{category}」的疑義。"
                "如確有錯誤，請循更正程序向國教署申請。"
            )
        if received < batch.period_start:
            raise ServiceError(
                f"收件日 {format_roc(received)} 早於確認期間開始日 {format_roc(batch.period_start)}，請確認日期。"
            )
        conf = s.scalar(
            select(Confirmation).where(
                Confirmation.batch_id == batch_id,
                Confirmation.student_id == student_id,
                Confirmation.category == category,
            )
        )
        now = datetime.now().replace(microsecond=0)
        if conf is None:
            conf = Confirmation(batch_id=batch_id, student_id=student_id, category=category, status=OBJECTION)
            s.add(conf)
        conf.status, conf.changed_at = OBJECTION, now
        o = Objection(
            batch_id=batch_id,
            student_id=student_id,
            category=category,
            items=(items or "").strip(),
            statement=statement.strip(),
            received_on=received,
            office=(office or "").strip() or DEFAULT_OFFICES[category],
            status=OBJECTION_STATUSES[0],
            action_taken="",
        )
        s.add(o)
        s.flush()
        record(
            s,
            "receipts.objection.open",
            "objection",
            o.id,
            summary=f"受理疑義：{st.class_name} {st.seat or ''}號 {st.name}「{category}」→ {o.office}",
            after={"items": o.items, "statement": o.statement, "office": o.office, "received_on": received},
        )
        return _objection_info(o, st, mapping, today)


def update_objection(
    db: Database,
    objection_id: int,
    *,
    status: str | None = None,
    action_taken: str | None = None,
    office: str | None = None,
    today: date | None = None,
) -> ObjectionInfo:
    """Move an objection forward (受理 → 處理中 → 已更正(重新提交) | 查無誤(已回覆)), record what was done."""
    today = today or date.today()
    mapping = pua_map(db)
    with db.transaction() as s:
        o = s.get(Objection, objection_id)
        if o is None:
            raise ServiceError(f"找不到疑義 #{objection_id}。")
        before = {"status": o.status, "action_taken": o.action_taken, "office": o.office}
        if status is not None and status != o.status:
            if status not in OBJECTION_STATUSES:
                raise ServiceError(f"疑義狀態「{status}」不正確，應為 {' → '.join(OBJECTION_STATUSES)}。")
            if o.status in CLOSED_OBJECTION_STATUSES:
                raise ServiceError(f"疑義 #{o.id} 已結案（{o.status}），不能再改狀態。")
            if OBJECTION_STATUSES.index(status) < OBJECTION_STATUSES.index(o.status):
                raise ServiceError(f"疑義狀態只能往前：目前是「{o.status}」，不能改回「{status}」。")
            if status in CLOSED_OBJECTION_STATUSES and not ((action_taken or o.action_taken).strip()):
                raise ServiceError("結案前請填寫處理情形（更正了什麼，或查核結果）。")
            o.status = status
            if status in CLOSED_OBJECTION_STATUSES:
                o.closed_on = today
        if action_taken is not None:
            o.action_taken = action_taken.strip()
        if office is not None and office.strip():
            o.office = office.strip()
        st = s.get(Student, o.student_id)
        assert st is not None
        record(
            s,
            "receipts.objection.update",
            "objection",
            o.id,
            summary=f"疑義 #{o.id}（{st.name}「{o.category}」）：{o.status}",
            before=before,
            after={
                "status": o.status,
                "action_taken": o.action_taken,
                "office": o.office,
                "closed_on": o.closed_on,
            },
        )
        return _objection_info(o, st, mapping, today)


# === progress ====================================================================================
TOTAL_CLASS = "合計"


@dataclass(frozen=True)
class ProgressRow:
    class_name: str  # TOTAL_CLASS for the whole batch
    category: str
    students: int
    confirmed: int  # 已確認 + 視為已確認
    deemed: int  # of which 視為已確認
    objection: int
    pending: int  # 未確認
    exempt: int

    @property
    def done_ratio(self) -> float:
        need = self.students - self.exempt
        return 1.0 if need <= 0 else (self.confirmed + self.objection) / need


def batch_progress(db: Database, batch_id: int) -> list[ProgressRow]:
    """Per class × category counts (then 合計 rows per category), sorted by class."""
    with db.read() as s:
        if s.get(ReceiptBatch, batch_id) is None:
            raise ServiceError(
                f"找不到收訖明細批次 #{batch_id}，請確認批次編號（可用的批次見「收訖批次」頁）。"
            )
        rows = s.execute(
            select(Student.class_name, Confirmation.category, Confirmation.status, func.count())
            .join(Student, Student.id == Confirmation.student_id)
            .where(Confirmation.batch_id == batch_id)
            .group_by(Student.class_name, Confirmation.category, Confirmation.status)
        ).all()
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for class_name, category, status, n in rows:
        counts[(class_name, category)][status] += n
        counts[(TOTAL_CLASS, category)][status] += n

    def make(key: tuple[str, str]) -> ProgressRow:
        c = counts[key]
        return ProgressRow(
            key[0],
            key[1],
            sum(c.values()),
            c[CONFIRMED] + c[DEEMED],
            c[DEEMED],
            c[OBJECTION],
            c[UNCONFIRMED],
            c[EXEMPT],
        )

    order = {c: i for i, c in enumerate(CATEGORIES)}
    keys = sorted(counts, key=lambda k: (k[0] == TOTAL_CLASS, k[0], order.get(k[1], 99)))
    return [make(k) for k in keys]


def progress_json(db: Database, batch_id: int) -> dict[str, object]:
    batch = get_batch(db, batch_id)
    return {
        "batch": {
            "id": batch.id,
            "name": batch.name,
            "term": batch_term_title(batch),
            "file": batch.file_name,
            "sha256": batch.sha256,
            "period_start": format_roc(batch.period_start),
            "period_end": format_roc(batch.period_end),
            "deadline": format_roc(batch.deadline),
            "doc_no": batch.deadline_doc_no,
        },
        "rows": [
            {
                "class": r.class_name,
                "category": r.category,
                "students": r.students,
                "confirmed": r.confirmed,
                "deemed": r.deemed,
                "objection": r.objection,
                "pending": r.pending,
                "exempt": r.exempt,
            }
            for r in batch_progress(db, batch_id)
        ],
    }
