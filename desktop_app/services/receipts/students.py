"""學生名冊 (student master) services and the 難字對照表 (PUA → real character)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.hygiene import RowIssue, check_class_name, check_seat, clean_controls
from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN, IdCheck, check_id, mask_id
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.roc_date import RocDateError, format_roc_compact, parse_roc_date
from desktop_app.readers import (
    ReaderError,
    Sheet,
    Workbook,
    find_header_row,
    normalize_header,
    open_workbook,
    read_workbook,
)
from desktop_app.services.audit import record
from desktop_app.services.profile import mask_pattern
from desktop_app.storage.db import Database
from desktop_app.storage.models import PuaChar, Student


def is_pua(char: str) -> bool:
    return 0xE000 <= ord(char) <= 0xF8FF


def pua_chars(text: str) -> list[str]:
    """The 造字 (Private Use Area) characters in a text, in order, without repeats."""
    seen: list[str] = []
    for char in text or "":
        if is_pua(char) and char not in seen:
            seen.append(char)
    return seen


def pua_map(db: Database) -> dict[str, str]:
    """The 難字對照表 as {PUA char: real char}."""
    with db.read() as s:
        return {chr(r.code_point): r.real_char for r in s.scalars(select(PuaChar))}


def shown_name(text: str) -> str:
    """A name for the screen: a 造字 spelled ``〔U+E000〕``. UI fonts draw some other glyph (or
    nothing) at a PUA code point, so 「王\ue000明」 would read as a wrong name such as 「王有明」."""
    if not text or not any(is_pua(c) for c in text):
        return text
    return "".join(f"〔U+{ord(c):04X}〕" if is_pua(c) else c for c in text)


def apply_pua_map(text: str, mapping: dict[str, str]) -> str:
    if not text or not mapping or not any(is_pua(c) for c in text):
        return text
    return "".join(mapping.get(c, c) for c in text)


# === student master import ======================================================================
STUDENT_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "national_id": (
        "身分證號",
        # 「身份」 is the everyday (non-official) spelling many school exports use
        (
            "身分證號",
            "身分證統一編號",
            "身分證字號",
            "統一編號",
            "身分證",
            "證號",
            "身份證號",
            "身份證字號",
            "身份證統一編號",
            "身份證",
        ),
    ),
    "student_no": ("學號", ("學號",)),
    "name": ("姓名", ("姓名", "學生姓名")),
    "birth_date": ("出生日期", ("出生日期", "生日", "出生年月日")),
    "division": ("部別", ("部別", "部別代碼", "部別名稱")),
    "grade": ("年級", ("年級",)),
    "class_name": ("班級", ("班級", "班級名稱", "班名")),
    "seat": ("座號", ("座號",)),
    "status": ("學籍狀態", ("學籍狀態", "在學狀態", "學籍狀況")),
}
COMPARED_FIELDS = ("student_no", "name", "birth_date", "division", "grade", "class_name", "seat", "status")
FIELD_LABELS = {k: v[0] for k, v in STUDENT_FIELDS.items()}


@dataclass(frozen=True)
class StudentRecord:
    row: int  # Excel row number
    national_id: str
    student_no: str
    name: str
    birth_date: str
    division: str
    grade: int | None
    class_name: str
    seat: int | None
    status: str

    def values(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in COMPARED_FIELDS}


@dataclass(frozen=True)
class StudentChange:
    record: StudentRecord
    changes: tuple[tuple[str, str, str], ...]  # (field label, old, new)

    @property
    def summary(self) -> str:
        return "；".join(
            f"{label}：{old or '（空白）'} → {new or '（空白）'}" for label, old, new in self.changes
        )


@dataclass(frozen=True)
class InvalidStudentRow:
    """A row left out of the import: its 身分證號 (full, for the window's detail view only), the
    column and value at fault, and why. Lists, stdout and JSON show ``masked_id`` / ``shown_value``."""

    row: int
    national_id: str
    name: str
    reason: str
    column: str = "身分證號"
    value: str = ""
    masked_id: str = ""

    @property
    def shown_value(self) -> str:
        """The value as lists show it: an ID number masked."""
        return self.masked_id if self.column == "身分證號" else self.value


@dataclass(frozen=True)
class PuaFound:
    """A 造字 character in the file: where, which student, and what the 難字對照表 makes of it."""

    row: int
    column: int
    column_name: str
    student: str  # the name as it will be stored (mapping applied)
    student_no: str
    chars: tuple[str, ...]  # PUA characters found in this cell
    unmapped: tuple[str, ...]  # of those, the ones the 難字對照表 does not know
    in_name: bool = False  # the cell is the student's name (whatever the header says: 姓名, 學生姓名…)

    @property
    def code_points(self) -> str:
        return "、".join(f"U+{ord(c):04X}" for c in self.chars)


@dataclass(frozen=True)
class GoneStudent:
    id: int
    student_no: str
    name: str
    class_name: str
    masked_id: str


@dataclass(frozen=True)
class StudentImportPreview:
    file_name: str
    encoding: str | None
    added: tuple[StudentRecord, ...]
    changed: tuple[StudentChange, ...]
    unchanged: int
    gone: tuple[GoneStudent, ...]
    invalid: tuple[InvalidStudentRow, ...]
    pua: tuple[PuaFound, ...]
    mapping: dict[str, str] = field(default_factory=dict)  # field -> header as found
    student_no_padded: int = 0  # 學號 read as numbers that got their leading zeros back
    cleaned: tuple[RowIssue, ...] = ()  # cells whose control characters were replaced by U+FFFD

    def as_json(self) -> dict[str, object]:
        """The CLI's JSON: one ``pua`` entry per student whose name still holds a PUA character."""
        # keyed on the name column, not on its header text: 「學生姓名」「姓　名」 are names too
        name_pua = [p for p in self.pua if p.in_name and p.unmapped]
        return {
            "file": self.file_name,
            "encoding": self.encoding,
            "added": len(self.added),
            "updated": len(self.changed),
            "unchanged": self.unchanged,
            "gone": len(self.gone),
            "student_no_padded": self.student_no_padded,
            "invalid": [
                {
                    "row": r.row,
                    "national_id": r.masked_id,
                    "column": r.column,
                    "value": r.shown_value,
                    "name": r.name,
                    "reason": r.reason,
                }
                for r in self.invalid
            ],
            "control_chars": [
                {"row": c.row, "column": c.column, "value": c.value, "reason": c.reason} for c in self.cleaned
            ],
            "pua": [
                {
                    "row": p.row,
                    "student": p.student,
                    "student_no": p.student_no,
                    "chars": [f"U+{ord(c):04X}" for c in p.unmapped],
                }
                for p in name_pua
            ],
            "pua_all": [
                {
                    "row": p.row,
                    "column": p.column,
                    "column_name": p.column_name,
                    "student": p.student,
                    "chars": [f"U+{ord(c):04X}" for c in p.chars],
                    "mapped": [c for c in p.chars if c not in p.unmapped],
                }
                for p in self.pua
            ],
        }


def _int_or_none(text: str) -> int | None:
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _birth_text(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return ""
    try:
        return format_roc_compact(parse_roc_date(value))
    except RocDateError:
        # not a valid date: stored as given, but a 6-digit number that lost its leading zero is
        # padded so the same master read from xlsx (number) and CSV (text) compares equal
        return value.zfill(7) if value.isdigit() and len(value) == 6 else value[:7]


def _division(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip()
    return "continuing" if ("進修" in value or value in ("2", "N")) else "day"


def _locate_columns(headers: list[str]) -> dict[str, int]:
    normalized = [normalize_header(h) for h in headers]
    found: dict[str, int] = {}
    for field_name, (_label, aliases) in STUDENT_FIELDS.items():
        for alias in aliases:
            if alias in normalized and normalized.index(alias) not in found.values():
                found[field_name] = normalized.index(alias)
                break
    return found


def _numeric_rows(wb: Workbook, sheet: Sheet, column: int) -> set[int]:
    """Row indexes (0-based) whose cell in ``column`` the spreadsheet stores as a number.

    :func:`read_workbook` gives text only; the raw values say which 學號 were number cells (an
    xlsx column formatted as 數值 drops leading zeros: 012345 → 12345). CSV cells are all text.
    """
    if wb.file_type not in ("xlsx", "xls", "ods"):
        return set()
    try:
        rows = open_workbook(wb.path).sheet(sheet.name).iter_rows()
        return {
            index
            for index, row in enumerate(rows)
            if column < len(row) and isinstance(row[column], (int, float)) and not isinstance(row[column], bool)
        }
    except ReaderError:  # read once already: cannot fail now, but never pad on a doubt
        return set()


def student_no_padding(
    values: list[tuple[str, bool]],
) -> tuple[int | None, set[int]]:
    """The length 學號 should have, and which of ``values`` (text, was a number cell) to left-pad.

    The target is the most common length of the column's 學號 (ties: the longer one). Only
    number cells made of digits and shorter than that are padded; text cells never are (a text
    學號 is as the school system wrote it).
    """
    lengths: dict[int, int] = {}
    for text, _numeric in values:
        if text:
            lengths[len(text)] = lengths.get(len(text), 0) + 1
    if not lengths:
        return None, set()
    target = max(lengths, key=lambda n: (lengths[n], n))
    pad = {
        i
        for i, (text, numeric) in enumerate(values)
        if numeric and text.isdigit() and len(text) < target
    }
    return target, pad


def read_student_file(
    path: Path | str, mapping: dict[str, str], pattern: str = DEFAULT_MASK_PATTERN
) -> tuple[
    Workbook, list[StudentRecord], list[InvalidStudentRow], list[PuaFound], dict[str, str], int, list[RowIssue]
]:
    """Read a student master file: records (mapping applied), invalid rows (bad 身分證號, 班級 or
    座號: left out), 造字 found, columns used, how many 學號 got back the leading zeros a number
    cell lost, and the cells whose control characters were replaced."""
    path = Path(path)
    wb, sheet, header_index, cols = _open_student_sheet(path)
    reader = _StudentRows(path, sheet, header_index, cols, mapping, pattern, _pad_targets(wb, sheet, header_index, cols))
    for r_index in range(header_index + 1, len(sheet.rows)):
        if any((c or "").strip() for c in sheet.rows[r_index]):
            reader.add(r_index)
    if not reader.records:
        # importing it would mark every stored student as gone from the master: refuse instead
        invalid = reader.invalid
        detail = f"（{len(invalid)} 列有誤：身分證號、班級或座號）" if invalid else ""
        raise ServiceError(
            f"「{path.name}」工作表「{sheet.name}」在第 {header_index + 1} 列標題之下沒有可匯入的學生資料{detail}，"
            "未匯入（資料庫未變更）。請確認匯出的名冊含有學生資料列。"
        )
    headers = sheet.rows[header_index]
    used = {f: normalize_header(headers[i]) for f, i in cols.items()}
    return wb, reader.records, reader.invalid, reader.pua_found, used, reader.padded, reader.cleaned


def _open_student_sheet(path: Path) -> tuple[Workbook, Sheet, int, dict[str, int]]:
    """The file read as text, the sheet holding the master, its header row index and the columns
    found; refused (ServiceError saying where) when it does not look like a student master."""
    if path.is_dir():
        raise ServiceError(f"「{path}」是資料夾，不是檔案。請選擇學生名冊檔案（xlsx、xls 或 csv）。")
    try:
        wb = read_workbook(path)
    except ReaderError as exc:
        raise ServiceError(exc.message) from None
    known = [a for _label, aliases in STUDENT_FIELDS.values() for a in aliases]
    found = next(
        ((sheet, index) for sheet in wb.sheets if (index := find_header_row(sheet.rows, known, min_matches=2)) is not None),
        None,
    )
    if found is None:
        raise ServiceError(
            f"「{path.name}」找不到學生名冊的標題列（需要「身分證號」「姓名」「班級」「座號」等欄位名稱）。"
            "請確認檔案是學生資料名冊。"
        )
    sheet, header_index = found
    cols = _locate_columns(sheet.rows[header_index])
    if "national_id" not in cols:
        raise ServiceError(
            f"「{path.name}」工作表「{sheet.name}」第 {header_index + 1} 列找不到「身分證號」欄，無法比對學生。"
            "請在名冊加上身分證號欄後再匯入。"
        )
    if "class_name" not in cols and "seat" not in cols:
        # e.g. a 收訖明細 picked by mistake (身分證號, 姓名, 出生日期 but one row per item): importing it
        # would add students without class or seat, and the slips are sorted and handed out by class
        raise ServiceError(
            f"「{path.name}」工作表「{sheet.name}」第 {header_index + 1} 列沒有「班級」也沒有「座號」欄，"
            "不像學生名冊（是否選到收訖明細或其他名冊？），未匯入。請選擇學校系統匯出的學生資料名冊。"
        )
    return wb, sheet, header_index, cols


def _pad_targets(wb: Workbook, sheet: Sheet, header_index: int, cols: dict[str, int]) -> dict[int, int]:
    """Row index → 學號 length, for the number cells that lost their leading zeros."""
    if "student_no" not in cols:
        return {}
    no_col = cols["student_no"]
    numeric = _numeric_rows(wb, sheet, no_col)
    data_rows = range(header_index + 1, len(sheet.rows))
    values = [
        ((sheet.rows[r][no_col] if no_col < len(sheet.rows[r]) else "").strip(), r in numeric) for r in data_rows
    ]
    target, pad = student_no_padding(values)
    return {data_rows[i]: target for i in pad if target is not None}


class _StudentRows:
    """The data rows of a master as they are read: records, invalid rows, 造字, cleaned cells."""

    def __init__(
        self,
        path: Path,
        sheet: Sheet,
        header_index: int,
        cols: dict[str, int],
        mapping: dict[str, str],
        pattern: str,
        pad_to: dict[int, int],
    ) -> None:
        self.path, self.sheet, self.cols, self.mapping, self.pattern = path, sheet, cols, mapping, pattern
        self.headers = sheet.rows[header_index]
        self.pad_to = pad_to
        self.records: list[StudentRecord] = []
        self.invalid: list[InvalidStudentRow] = []
        self.pua_found: list[PuaFound] = []
        self.cleaned: list[RowIssue] = []
        self.seen: dict[str, int] = {}
        self.padded = 0

    def _column_name(self, c_index: int) -> str:
        name = self.headers[c_index] if c_index < len(self.headers) else ""
        return normalize_header(name) or f"第{c_index + 1}欄"

    def add(self, r_index: int) -> None:
        """Read one non-blank row: a record, or an invalid row saying why."""
        row = self.sheet.rows[r_index]
        excel_row = r_index + 1
        self._clean(row, excel_row)

        def cell(field_name: str) -> str:
            i = self.cols.get(field_name)
            return (row[i] if i is not None and i < len(row) else "").strip()

        name = apply_pua_map(cell("name"), self.mapping)
        student_no = cell("student_no")
        if r_index in self.pad_to:
            student_no = student_no.zfill(self.pad_to[r_index])
        self._find_pua(row, excel_row, name, student_no)
        check = check_id(cell("national_id"))
        problem = self._problem(check, cell, excel_row, name)
        if problem is not None:
            self.invalid.append(problem)
            return
        self.seen[check.value] = excel_row
        self.padded += r_index in self.pad_to
        self.records.append(
            StudentRecord(
                row=excel_row,
                national_id=check.value,
                student_no=student_no,
                name=name,
                birth_date=_birth_text(cell("birth_date")),
                division=_division(cell("division")),
                grade=_int_or_none(cell("grade")),
                class_name=unicodedata.normalize("NFKC", cell("class_name")),
                seat=_int_or_none(cell("seat")),
                status=cell("status") or "在學",
            )
        )

    def _clean(self, row: list[str], excel_row: int) -> None:
        """Control characters replaced by U+FFFD in place, each such cell reported."""
        for c_index, value in enumerate(row):
            text, count = clean_controls(value)
            if count:
                row[c_index] = text
                self.cleaned.append(
                    RowIssue(
                        self.path.name, self.sheet.name, excel_row, self._column_name(c_index), text,
                        f"含 {count} 個控制字元（無法列印），已改為 �",
                    )
                )  # fmt: skip

    def _find_pua(self, row: list[str], excel_row: int, name: str, student_no: str) -> None:
        for c_index, value in enumerate(row):
            chars = pua_chars(value)
            if chars:
                self.pua_found.append(
                    PuaFound(
                        excel_row,
                        c_index + 1,
                        self._column_name(c_index),
                        name,
                        student_no,
                        tuple(chars),
                        tuple(c for c in chars if c not in self.mapping),
                        in_name=c_index == self.cols.get("name"),
                    )
                )

    def _problem(
        self, check: IdCheck, cell: Callable[[str], str], excel_row: int, name: str
    ) -> InvalidStudentRow | None:
        """Why the row is left out (bad or repeated 身分證號, bad 班級 or 座號); None when it is fine."""
        masked = mask_id(check.value, self.pattern)
        if not check.valid:
            # the reason quotes the ID: masked like the rest (the full value is in ``national_id``)
            reason = check.message.replace(check.value, masked) if check.value else check.message
            return InvalidStudentRow(excel_row, check.value, name, reason, masked_id=masked)
        if check.value in self.seen:
            reason = f"身分證號與第 {self.seen[check.value]} 列重複"
            return InvalidStudentRow(excel_row, check.value, name, reason, masked_id=masked)
        for field_name, checker in (("class_name", check_class_name), ("seat", check_seat)):
            if field_name in self.cols and (bad := checker(cell(field_name))):
                column = normalize_header(self.headers[self.cols[field_name]])
                return InvalidStudentRow(
                    excel_row, check.value, name, bad, column=column, value=cell(field_name), masked_id=masked
                )
        return None


def _show(value: object) -> str:
    if value is None:
        return ""
    if value == "day":
        return "日間"
    if value == "continuing":
        return "進修部"
    return str(value)


def _diff(db_row: Student, rec: StudentRecord) -> tuple[tuple[str, str, str], ...]:
    changes = []
    for f in COMPARED_FIELDS:
        old, new = getattr(db_row, f), getattr(rec, f)
        if old != new:
            changes.append((FIELD_LABELS[f], _show(old), _show(new)))
    if not db_row.in_master:
        changes.append(("名冊", "已不在名冊", "重新列入"))
    return tuple(changes)


def _analyse(s: Session, path: Path, pattern: str, mapping: dict[str, str]) -> StudentImportPreview:
    wb, records, invalid, pua_found, used, padded, cleaned = read_student_file(path, mapping, pattern)
    existing = {st.national_id: st for st in s.scalars(select(Student))}
    added, changed = [], []
    unchanged = 0
    for rec in records:
        row = existing.get(rec.national_id)
        if row is None:
            added.append(rec)
            continue
        diff = _diff(row, rec)
        if diff:
            changed.append(StudentChange(rec, diff))
        else:
            unchanged += 1
    in_file = {r.national_id for r in records}
    gone = [
        GoneStudent(st.id, st.student_no, st.name, st.class_name, mask_id(st.national_id, pattern))
        for st in existing.values()
        if st.in_master and st.national_id not in in_file
    ]
    gone.sort(key=lambda g: (g.class_name, g.student_no))
    return StudentImportPreview(
        path.name,
        wb.encoding,
        tuple(added),
        tuple(changed),
        unchanged,
        tuple(gone),
        tuple(invalid),
        tuple(pua_found),
        used,
        padded,
        tuple(cleaned),
    )


def preview_student_import(db: Database, path: Path | str) -> StudentImportPreview:
    """What importing this master would do (added / changed / gone / invalid / 造字), nothing written."""
    mapping = pua_map(db)
    pattern = mask_pattern(db)
    with db.read() as s:
        return _analyse(s, Path(path), pattern, mapping)


def import_students(
    db: Database, path: Path | str, *, progress: ProgressFn | None = None, strict: bool = False
) -> StudentImportPreview:
    """Import (or re-import) the student master, keyed by 身分證號; one transaction.

    Students missing from the file are kept (batches refer to them) but marked as no longer in the
    master. Rows with an invalid 身分證號, 班級 or 座號 are not imported and are listed in the
    result; with ``strict`` any such row refuses the whole import (nothing written).
    """
    path = Path(path)
    mapping = pua_map(db)
    pattern = mask_pattern(db)
    with db.transaction() as s:
        preview = _analyse(s, path, pattern, mapping)
        if strict and preview.invalid:
            raise ServiceError(strict_refusal(preview))
        total = len(preview.added) + len(preview.changed) + len(preview.gone)
        done = 0
        if progress:
            progress(0, total)
        chunk = 500
        added = [{"national_id": r.national_id, **r.values(), "in_master": True} for r in preview.added]
        for i in range(0, len(added), chunk):
            s.execute(insert(Student), added[i : i + chunk])
            done += len(added[i : i + chunk])
            if progress:
                progress(done, total)
        ids = dict(s.execute(select(Student.national_id, Student.id)).all())
        updates = [
            {"id": ids[c.record.national_id], **c.record.values(), "in_master": True} for c in preview.changed
        ]
        gone = [{"id": g.id, "in_master": False} for g in preview.gone]
        for batch in (updates, gone):
            for i in range(0, len(batch), chunk):
                s.execute(update(Student), batch[i : i + chunk])
                done += len(batch[i : i + chunk])
                if progress:
                    progress(done, total)
        record(
            s,
            "students.import",
            "student",
            None,
            summary=(
                f"匯入學生名冊「{path.name}」：新增 {len(preview.added)}、更新 {len(preview.changed)}、"
                f"未變 {preview.unchanged}、不在名冊 {len(preview.gone)}、有誤未匯入 {len(preview.invalid)}"
            ),
            after={
                "file": path.name,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "added": len(preview.added),
                "updated": len(preview.changed),
                "gone": len(preview.gone),
                "student_no_padded": preview.student_no_padded,
            },
        )
    return preview


def invalid_row_text(r: InvalidStudentRow) -> str:
    """One left-out row for lists and stdout (ID masked)."""
    what = f"「{r.column}」欄「{r.shown_value}」" if r.column != "身分證號" else f"身分證號「{r.masked_id}」"
    return f"第 {r.row} 列 {r.name} {what}：{r.reason}"


def strict_refusal(preview: StudentImportPreview) -> str:
    shown = "；".join(invalid_row_text(r) for r in preview.invalid[:10])
    more = f"（另有 {len(preview.invalid) - 10} 列）" if len(preview.invalid) > 10 else ""
    return (
        f"「{preview.file_name}」有 {len(preview.invalid)} 列資料有誤，依設定整批不匯入（資料庫未變更）：{shown}{more}。"
        "請修正檔案後再匯入，或取消「有錯誤列時整批不匯入」只匯入正確的列。"
    )


# === the student list ===========================================================================
@dataclass(frozen=True)
class StudentInfo:
    id: int
    student_no: str
    name: str
    class_name: str
    seat: int | None
    grade: int | None
    division: str
    status: str
    masked_id: str
    in_master: bool
    birth_date: str

    @property
    def has_pua(self) -> bool:
        return bool(pua_chars(self.name))

    @property
    def division_text(self) -> str:
        return _show(self.division)


def list_students(db: Database, search: str = "", *, include_gone: bool = False) -> list[StudentInfo]:
    """Students sorted by 班級, 座號; ``search`` matches name, 學號 or class (substring)."""
    pattern = mask_pattern(db)
    mapping = pua_map(db)
    stmt = select(Student)
    if not include_gone:
        stmt = stmt.where(Student.in_master.is_(True))
    text = unicodedata.normalize("NFKC", search or "").strip()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            or_(Student.name.like(like), Student.student_no.like(like), Student.class_name.like(like))
        )
    with db.read() as s:
        rows = [
            StudentInfo(
                st.id,
                st.student_no,
                apply_pua_map(st.name, mapping),
                st.class_name,
                st.seat,
                st.grade,
                st.division,
                st.status,
                mask_id(st.national_id, pattern),
                st.in_master,
                st.birth_date,
            )
            for st in s.scalars(stmt)
        ]
    rows.sort(key=lambda r: (r.class_name, r.seat if r.seat is not None else 10**6, r.student_no))
    return rows


def list_classes(db: Database) -> list[str]:
    with db.read() as s:
        return sorted(
            c
            for c in s.scalars(select(Student.class_name).where(Student.in_master.is_(True)).distinct())
            if c
        )


# === the 難字對照表 =============================================================================
@dataclass(frozen=True)
class PuaEntry:
    code_point: int
    real_char: str  # "" when the character is found in names but not mapped yet
    note: str
    students: int  # students whose stored name holds the PUA character
    who: tuple[str, ...] = ()  # those students: 「301 5號 王[U+E000]明」 (the first few)

    @property
    def code(self) -> str:
        return f"U+{self.code_point:04X}"

    @property
    def pua_char(self) -> str:
        return chr(self.code_point)


def parse_code_point(text: str) -> int:
    """``U+E000``, ``E000``, ``0xE000`` or the PUA character itself."""
    value = unicodedata.normalize("NFKC", text or "").strip() if not pua_chars(text or "") else text.strip()
    if len(value) == 1 and is_pua(value):
        return ord(value)
    hex_text = value.upper().removeprefix("U+").removeprefix("0X")
    try:
        cp = int(hex_text, 16)
    except ValueError:
        raise ServiceError(f"「{text}」不是造字碼位，請寫成 U+E000 的形式。") from None
    if not 0xE000 <= cp <= 0xF8FF:
        raise ServiceError(f"U+{cp:04X} 不在造字區（U+E000–U+F8FF），不需要對照。")
    return cp


def list_pua_entries(db: Database) -> list[PuaEntry]:
    """The 難字對照表 plus the 造字 still found in stored names (with an empty real character)."""
    with db.read() as s:
        mapped = {r.code_point: (r.real_char, r.note) for r in s.scalars(select(PuaChar))}
        counts: dict[int, int] = {}
        who: dict[int, list[str]] = {}
        rows = s.execute(select(Student.name, Student.class_name, Student.seat))
        for name, class_name, seat in rows:
            for c in set(pua_chars(name)):
                counts[ord(c)] = counts.get(ord(c), 0) + 1
                if len(who.setdefault(ord(c), [])) < 5:
                    shown = "".join(f"[U+{ord(x):04X}]" if is_pua(x) else x for x in name)
                    seat_text = f" {seat}號" if seat is not None else ""
                    who[ord(c)].append(f"{class_name}{seat_text} {shown}")
    entries = [
        PuaEntry(cp, real, note, counts.get(cp, 0), tuple(who.get(cp, ()))) for cp, (real, note) in mapped.items()
    ] + [PuaEntry(cp, "", "", n, tuple(who.get(cp, ()))) for cp, n in counts.items() if cp not in mapped]
    return sorted(entries, key=lambda e: e.code_point)


def set_pua_char(db: Database, code: str | int, real_char: str, note: str = "") -> PuaEntry:
    """Add or change one 難字對照表 entry and apply it to the names already stored."""
    cp = code if isinstance(code, int) else parse_code_point(code)
    real = (real_char or "").strip()
    if len(real) != 1 or is_pua(real):
        raise ServiceError(
            f"U+{cp:04X} 的對照字「{real_char}」應為一個真正的字（不可空白、不可是造字），例如 堃。"
        )
    pua = chr(cp)
    with db.transaction() as s:
        row = s.get(PuaChar, cp)
        before = None if row is None else {"real_char": row.real_char, "note": row.note}
        if row is None:
            row = PuaChar(code_point=cp, real_char=real, note=note)
            s.add(row)
        else:
            row.real_char, row.note = real, note
        fixed = 0
        for st in s.scalars(select(Student).where(Student.name.like(f"%{pua}%"))):
            st.name = st.name.replace(pua, real)
            fixed += 1
        record(
            s,
            "pua.set",
            "pua_char",
            f"U+{cp:04X}",
            summary=f"難字對照表：U+{cp:04X} → {real}（更正 {fixed} 位學生姓名）",
            before=before,
            after={"real_char": real, "note": note, "names_fixed": fixed},
        )
    return PuaEntry(cp, real, note, 0)


def delete_pua_char(db: Database, code: str | int) -> None:
    cp = code if isinstance(code, int) else parse_code_point(code)
    with db.transaction() as s:
        row = s.get(PuaChar, cp)
        if row is None:
            raise ServiceError(f"難字對照表沒有 U+{cp:04X}。")
        before = {"real_char": row.real_char, "note": row.note}
        s.delete(row)
        record(s, "pua.delete", "pua_char", f"U+{cp:04X}", summary=f"刪除難字對照 U+{cp:04X}", before=before)
