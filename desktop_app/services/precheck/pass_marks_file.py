"""Reading a 及格標準 list file (身分證號 or 學號 → 及格標準) from xlsx/xls/ods/CSV.

No database here (the command line without ``--db`` reads a list too); the caller passes the
student master's 學號 when it has one, so that an unknown 學號 is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.national_id import check_id
from desktop_app.domain.pass_marks import PassMarkError, normalize_key, parse_mark
from desktop_app.readers import (
    ReaderError,
    Sheet,
    Workbook,
    find_header_row,
    normalize_header,
    read_workbook,
)
from desktop_app.services import ServiceError

ID_HEADERS = (
    "身分證號", "身分證統一編號", "身分證字號", "統一編號", "身分證", "證號",
    "身份證號", "身份證字號", "身份證統一編號", "身份證",
)  # fmt: skip
NO_HEADERS = ("學號", "備註(資料當學期學號)")
# one column holding either (the wording of the CLI help and of the spec: "身分證號 or 學號")
EITHER_HEADERS = ("身分證號或學號", "身分證號/學號", "學號或身分證號", "學號/身分證號", "身分證號(學號)")
MARK_HEADERS = ("及格標準", "修課及格標準", "及格分數", "及格基準", "及格線", "及格標準分數")
MAX_LISTED_BAD_ROWS = 10


@dataclass(frozen=True)
class PassMarkRow:
    """One usable row of a list file."""

    row: int  # Excel row number
    key: str  # upper-case 身分證號, or 學號 as in the file
    kind: str  # "national_id" | "student_no"
    mark: float
    national_id: str = ""  # the 身分證號 (for a 學號: from the student master, "" when unknown)


@dataclass(frozen=True)
class BadPassMarkRow:
    """A row the list cannot use: where and why (zh-TW)."""

    row: int
    column: str  # header as in the file
    value: str
    reason: str

    def text(self, sheet: str) -> str:
        return f"工作表「{sheet}」第 {self.row} 列「{self.column}」欄：{self.reason}"


@dataclass(frozen=True)
class PassMarkFile:
    file_name: str
    path: Path
    file_type: str
    encoding: str | None
    sheet: str
    rows: tuple[PassMarkRow, ...]
    bad: tuple[BadPassMarkRow, ...]
    columns: dict[str, str]  # "national_id" / "student_no" / "mark" → header as found

    def bad_text(self, limit: int = MAX_LISTED_BAD_ROWS) -> str:
        lines = [b.text(self.sheet) for b in self.bad[:limit]]
        if len(self.bad) > limit:
            lines.append(f"…另有 {len(self.bad) - limit} 列")
        return "\n".join(lines)


class PassMarkFileError(ServiceError):
    """The list file cannot be used (unreadable, no header, or bad rows); nothing was stored."""

    def __init__(self, message: str, parsed: PassMarkFile | None = None) -> None:
        super().__init__(message)
        self.parsed = parsed


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    wanted = [normalize_header(n) for n in names]
    normalized = [normalize_header(h) for h in headers]
    for name in wanted:
        if name in normalized:
            return normalized.index(name)
    return None


def _match_student_no(key: str, student_nos: Mapping[str, str], lengths: set[int]) -> str | None:
    """The master's 學號 for ``key``; a number cell that lost its leading zeros (012345 → 12345)
    is matched by padding it to a length the master's 學號 have."""
    if key in student_nos:
        return key
    if key.isdigit():
        for n in sorted(lengths, reverse=True):
            if len(key) < n and key.zfill(n) in student_nos:
                return key.zfill(n)
    return None


@dataclass(frozen=True)
class _Columns:
    """Where a list file's sheet has its header and its ID, 學號 and mark columns."""

    sheet: Sheet
    header: int  # index of the header row
    headers: list[str]
    id_col: int | None
    no_col: int | None
    mark_col: int
    either: bool  # one column holds 身分證號 or 學號

    def cell(self, values: list[str], col: int | None) -> str:
        return (values[col] if col is not None and col < len(values) else "").strip()

    def found(self) -> dict[str, str]:
        """"national_id" / "student_no" / "mark" → the header as found."""
        pairs = (("national_id", self.id_col), ("student_no", self.no_col), ("mark", self.mark_col))
        return {name: self.headers[col] for name, col in pairs if col is not None}


def _open_list(path: Path) -> Workbook:
    if path.is_dir():
        raise PassMarkFileError(f"「{path}」是資料夾，不是檔案。請選擇及格標準名單（xlsx 或 csv）。")
    if not path.is_file():
        raise PassMarkFileError(f"找不到及格標準名單「{path}」，請確認路徑。")
    try:
        return read_workbook(path)
    except ReaderError as exc:
        raise PassMarkFileError(f"及格標準名單「{path.name}」無法讀取：{exc.message}") from None


def _find_columns(file_name: str, wb: Workbook) -> _Columns:
    """The first sheet with a header naming a student column and a mark column."""
    known = ID_HEADERS + NO_HEADERS + EITHER_HEADERS + MARK_HEADERS
    for sheet in wb.sheets:
        header = find_header_row(sheet.rows, known, min_matches=2)
        if header is not None:
            break
    else:
        raise PassMarkFileError(
            f"及格標準名單「{file_name}」找不到標題列：需要「身分證號」或「學號」欄，以及「及格標準」欄。"
        )
    headers = sheet.rows[header]
    id_col = _column(headers, ID_HEADERS)
    no_col = _column(headers, NO_HEADERS)
    mark_col = _column(headers, MARK_HEADERS)
    either = False
    if id_col is None and no_col is None:
        id_col = no_col = _column(headers, EITHER_HEADERS)
        either = id_col is not None
    where = f"及格標準名單「{file_name}」工作表「{sheet.name}」第 {header + 1} 列"
    if mark_col is None:
        raise PassMarkFileError(f"{where}找不到「及格標準」欄。")
    if id_col is None and no_col is None:
        raise PassMarkFileError(f"{where}找不到「身分證號」或「學號」欄。")
    return _Columns(sheet, header, headers, id_col, no_col, mark_col, either)


def _student_of(
    cols: _Columns,
    values: list[str],
    excel_row: int,
    student_nos: Mapping[str, str] | None,
    lengths: set[int],
) -> tuple[str, str, str] | BadPassMarkRow:
    """(key, kind, 身分證號) of the student a row names, or why it names nobody usable.

    ``lengths``: the lengths of the master's 學號 (to pad a number that lost its leading zeros).
    """
    headers = cols.headers
    raw_id, raw_no = cols.cell(values, cols.id_col), cols.cell(values, cols.no_col)
    if cols.either:  # an ID starts with a letter; anything else is a 學號
        raw_id, raw_no = (raw_id, "") if raw_id[:1].isalpha() else ("", raw_no)
    if raw_id:
        check = check_id(raw_id)
        if not check.valid:
            return BadPassMarkRow(excel_row, headers[cols.id_col or 0], raw_id, check.message)
        return check.value, "national_id", check.value
    if not raw_no:
        column = headers[cols.id_col] if cols.id_col is not None else headers[cols.no_col or 0]
        return BadPassMarkRow(excel_row, column, "", "身分證號與學號都是空白的，無法對應學生")
    key = normalize_key(raw_no)
    if student_nos is None:
        return key, "student_no", ""
    matched = _match_student_no(key, student_nos, lengths)
    if matched is None:
        reason = (
            f"學號「{raw_no}」不在學生名冊"
            if student_nos
            else f"學號「{raw_no}」無法對應學生：學生名冊尚未匯入（請先匯入學生名冊，或改用身分證號）"
        )
        return BadPassMarkRow(excel_row, headers[cols.no_col or 0], raw_no, reason)
    return matched, "student_no", student_nos[matched]


def read_pass_mark_file(path: Path | str, student_nos: Mapping[str, str] | None = None) -> PassMarkFile:
    """Read a list file: usable rows and bad rows (a bad row refuses the whole file at import).

    Args:
        student_nos: the student master as 學號 → 身分證號; a 學號 not in it is a bad row. None:
            no master to check against (the command line without a database): 學號 are kept.

    Raises:
        PassMarkFileError: the file cannot be read, or has no header with an ID and a mark column.
    """
    path = Path(path)
    wb = _open_list(path)
    cols = _find_columns(path.name, wb)
    mark_header = cols.headers[cols.mark_col]
    lengths = {len(k) for k in student_nos} if student_nos else set()
    rows: list[PassMarkRow] = []
    bad: list[BadPassMarkRow] = []
    seen: dict[str, tuple[int, float]] = {}  # student (身分證號, else 學號) → (row, mark)
    for index in range(cols.header + 1, len(cols.sheet.rows)):
        values = cols.sheet.rows[index]
        if not any((v or "").strip() for v in values):
            continue
        excel_row = index + 1
        who = _student_of(cols, values, excel_row, student_nos, lengths)
        if isinstance(who, BadPassMarkRow):
            bad.append(who)
            continue
        key, kind, national_id = who
        raw_mark = cols.cell(values, cols.mark_col)
        try:
            mark = parse_mark(raw_mark)
        except PassMarkError as exc:
            bad.append(BadPassMarkRow(excel_row, mark_header, raw_mark, f"及格標準{exc}"))
            continue
        student = national_id or key
        if student in seen and seen[student][1] != mark:
            first_row, first_mark = seen[student]
            reason = f"同一學生已在第 {first_row} 列（及格標準 {first_mark:g}），兩列的及格標準不同"
            bad.append(BadPassMarkRow(excel_row, mark_header, raw_mark, reason))
            continue
        if student in seen:
            continue  # the same student with the same mark again: harmless
        seen[student] = (excel_row, mark)
        rows.append(PassMarkRow(excel_row, key, kind, mark, national_id))
    return PassMarkFile(
        path.name, path, wb.file_type, wb.encoding, cols.sheet.name, tuple(rows), tuple(bad), cols.found()
    )


def refuse_bad_rows(parsed: PassMarkFile) -> None:
    """Raise :class:`PassMarkFileError` naming file, row, column and reason when any row is bad,
    or when the file lists nobody."""
    if parsed.bad:
        raise PassMarkFileError(
            f"及格標準名單「{parsed.file_name}」有 {len(parsed.bad)} 列無法使用，整份未採用"
            f"（資料未變更）。請修正後重新匯入：\n{parsed.bad_text()}",
            parsed,
        )
    if not parsed.rows:
        raise PassMarkFileError(
            f"及格標準名單「{parsed.file_name}」工作表「{parsed.sheet}」在標題列之下沒有學生資料。", parsed
        )


def load_pass_mark_file(path: Path | str, student_nos: Mapping[str, str] | None = None) -> PassMarkFile:
    """Read a list for a run (the command line): every row usable, else :class:`PassMarkFileError`."""
    parsed = read_pass_mark_file(path, student_nos)
    refuse_bad_rows(parsed)
    return parsed
