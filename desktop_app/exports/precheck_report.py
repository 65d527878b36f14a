"""開課預檢 reports: the findings workbook and the annotated copy of a roster (openpyxl).

- :func:`write_report` — sheets 摘要, 錯誤明細, 相同錯誤樣態, 開課比對. IDs are masked (the report
  circulates among the staff who fix the data).
- :func:`write_annotated_copy` — a NEW workbook with the roster's cells that have findings
  coloured and a comment on each. The roster itself is only read; its SHA-256 is checked before
  and after.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.national_id import DEFAULT_MASK_PATTERN
from desktop_app.domain.pass_marks import summary_rows
from desktop_app.domain.precheck.labels import (  # re-exported: the reports' own names
    DIVISION_LABELS,
    KIND_LABELS,
    PERSONAL_DATA_NOTICE,
    SEVERITY_LABELS,
    code_sort_key,
    mask_ids_in_text,
    masked_value,
    norm_header,
    rule_titles,
)
from desktop_app.domain.precheck.model import Finding, PrecheckResult
from desktop_app.domain.progress import ProgressFn
from desktop_app.exports.xlsx_safe import append_safe, clean_text, os_error_reason, safe_cell, save_workbook

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")

DETAIL_HEADERS = (
    "代碼", "嚴重度", "說明", "工作表", "列", "欄位", "內容", "應為",
    "身分證號", "姓名", "班級", "座號", "課程代碼",
)  # fmt: skip


class ReportError(ServiceError):
    """The report could not be written (message in zh-TW): a refusal like any service's."""


def _header(ws: Any, values: list[str]) -> list[Cell]:
    """A styled header row for a write-only sheet."""
    cells = []
    for value in values:
        cell = safe_cell(ws, value)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cells.append(cell)
    return cells


def _sheet(wb: Workbook, title: str, widths: list[int], headers: list[str]) -> Any:
    """A write-only sheet with its column widths, a frozen header row and the header written."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    append_safe(ws, _header(ws, headers))
    return ws


def _summary_sheet(
    wb: Workbook, result: PrecheckResult, roster: Path | str | None, plan_label: str | None, titles: dict[str, tuple[str, str]]
) -> None:
    """摘要: the file and how it was checked, rows per sheet, counts per rule."""
    ws = _sheet(wb, "摘要", [18, 70, 12], ["項目", "內容"])
    term = f"{result.year}學年度第{result.term}學期" if result.year and result.term else "未定"
    for label, value in (
        ("檔案", Path(result.file).name),
        ("完整路徑", str(roster) if roster is not None else ""),
        ("大小（位元組）", result.size),
        ("檔案核對碼", result.sha256),
        ("編碼", result.encoding or "（試算表，不適用）"),
        ("名冊別", KIND_LABELS.get(result.kind or "", "未定")),
        ("部別", DIVISION_LABELS.get(result.division or "", "未定")),
        ("學期", term),
        ("課程計畫", plan_label or ""),
        ("檢核秒數", round(result.seconds, 3)),
        ("錯誤數", result.error_count),
        ("警告數", result.warning_count),
        *summary_rows(getattr(result, "pass_marks", None)),  # which 及格標準 R15/W02 judged by
    ):
        append_safe(ws, [label, value])
    append_safe(ws, [])
    append_safe(ws, _header(ws, ["工作表", "資料列數"]))
    for sheet, n in result.rows.items():
        append_safe(ws, [sheet, n])
    append_safe(ws, [])
    append_safe(ws, _header(ws, ["代碼", "說明", "嚴重度", "筆數"]))
    for code in sorted(result.counts, key=code_sort_key):
        severity, title = titles.get(code, ("", ""))
        append_safe(ws, [code, title, SEVERITY_LABELS.get(severity, severity), result.counts[code]])


def _detail_row(f: Finding, mask_pattern: str) -> list[Any]:
    return [
        f.code,
        SEVERITY_LABELS.get(f.severity, f.severity),
        mask_ids_in_text(f.message, mask_pattern),
        f.sheet or "",
        f.row,
        f.column or "",
        masked_value(f, mask_pattern),
        f.expected or "",
        f.student_id or "",
        f.student_name or "",
        f.student_class or "",
        f.student_seat or "",
        f.course_code or "",
    ]


def _details_sheet(wb: Workbook, result: PrecheckResult, mask_pattern: str, progress: ProgressFn | None) -> None:
    """錯誤明細: one row per finding, IDs in messages and values masked, with an auto filter."""
    ws = _sheet(wb, "錯誤明細", [7, 8, 50, 14, 7, 16, 24, 24, 13, 10, 10, 6, 26], list(DETAIL_HEADERS))
    total = len(result.findings)
    for i, f in enumerate(result.findings):
        append_safe(ws, _detail_row(f, mask_pattern))
        if progress is not None and i % 5000 == 0:
            progress(i, total)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(DETAIL_HEADERS))}{max(total + 1, 2)}"


def _patterns_sheet(wb: Workbook, result: PrecheckResult, titles: dict[str, tuple[str, str]]) -> None:
    """相同錯誤樣態: the same error on most rows of a course code (fix the source, not each row)."""
    headers = ["規則", "規則說明", "課程代碼", "科目名稱", "受影響／該代碼列數", "建議"]
    ws = _sheet(wb, "相同錯誤樣態", [8, 30, 26, 10, 10, 70], headers)
    for p in result.patterns:
        title = titles.get(p.rule, ("", ""))[1]
        append_safe(ws, [p.rule, title, p.course_code, p.subject, f"{p.affected}/{p.total}", p.advice])
    if not result.patterns:
        append_safe(ws, ["", "沒有相同錯誤樣態（P01）"])


def _offering_sheet(wb: Workbook, result: PrecheckResult) -> None:
    """開課比對: the plan's courses of this 學期 that no student in the roster takes."""
    headers = ["課程代碼", "科目名稱", "年級", "課程類別", "類別名稱", "學分節數"]
    ws = _sheet(wb, "開課比對", [26, 24, 8, 10, 14, 12], headers)
    for g in result.offering:
        append_safe(ws, [g.course_code, g.subject, g.grade, g.category, g.category_name, g.credits])
    if not result.offering:
        append_safe(ws, ["", "課程計畫中本學期應開課程在名冊中皆有學生（無 O01）"])


def _pua_sheet(wb: Workbook, result: PrecheckResult) -> None:
    """造字 (formats.md: report every one, so names can be fixed with the 難字對照表); only when found."""
    pua = list(getattr(result, "pua", []) or [])
    if not pua:
        return
    ws = _sheet(wb, "造字", [14, 7, 18, 24, 16, 13], ["工作表", "列", "欄位", "內容", "造字碼位", "身分證號"])
    for p in pua:
        codepoints = " ".join(f"U+{ord(c):04X}" for c in p.chars)
        append_safe(ws, [p.sheet, p.row, p.column, p.value, codepoints, p.student_id or ""])


def write_report(
    result: PrecheckResult,
    out: Path | str,
    *,
    mask_pattern: str = DEFAULT_MASK_PATTERN,
    plan_label: str | None = None,
    roster: Path | str | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """Write the findings report workbook to ``out`` (a new file).

    Args:
        roster: the checked file, when known (the report refuses to overwrite it).

    Raises:
        ReportError: ``out`` is the roster itself, or cannot be written.
    """
    out = Path(out)
    if roster is not None and out.resolve() == Path(roster).resolve():
        raise ReportError(f"報表不可寫到名冊本身「{out.name}」，請另選檔名。")
    titles = rule_titles()
    wb = Workbook(write_only=True)
    _summary_sheet(wb, result, roster, plan_label, titles)
    _details_sheet(wb, result, mask_pattern, progress)
    _patterns_sheet(wb, result, titles)
    _offering_sheet(wb, result)
    _pua_sheet(wb, result)
    try:
        save_workbook(wb, out)
    except OSError as exc:
        raise ReportError(
            f"無法寫入報表「{out}」：{os_error_reason(exc)}。請改選可寫入的位置，並確認檔案未被 Excel 開啟。"
        ) from None
    return out


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _comment_text(findings: list[Finding], titles: dict[str, tuple[str, str]]) -> str:
    lines = []
    for f in findings[:6]:
        title = titles.get(f.code, ("", ""))[1]
        text = f"{f.code} {title}：{f.message}" if title else f"{f.code}：{f.message}"
        if f.expected:
            text += f"（應為 {f.expected}）"
        lines.append(text)
    if len(findings) > 6:
        lines.append(f"…另有 {len(findings) - 6} 項")
    return "\n".join(lines)


STREAM_ABOVE_BYTES = (
    2 * 1024 * 1024
)  # larger xlsx rosters are copied streamed (openpyxl load: ~80 s at 150k rows)


def mark_personal_data(wb: Any) -> None:
    """Say in the copy itself that it holds personal data: file properties and every printed page."""
    wb.properties.title = "開課預檢標註副本（含個人資料）"
    wb.properties.subject = PERSONAL_DATA_NOTICE
    wb.properties.keywords = "個人資料;請勿外流"
    wb.properties.description = PERSONAL_DATA_NOTICE
    for ws in wb.worksheets:
        ws.oddHeader.center.text = "含個人資料　請勿外流"
        ws.evenHeader.center.text = "含個人資料　請勿外流"


def write_annotated_copy(
    roster: Path | str,
    result: PrecheckResult,
    out: Path | str,
    *,
    progress: ProgressFn | None = None,
) -> Path:
    """Write a copy of ``roster`` with the cells that have findings coloured and commented.

    A small xlsx roster is copied with openpyxl (its formatting kept); a large one, and xls/ods/CSV
    rosters, are copied value by value in a streamed (write-only) workbook, which is many times
    faster. The roster is never written: its SHA-256 is compared before and after.

    Raises:
        ReportError: ``out`` is the roster, the roster cannot be read, or it changed meanwhile.
    """
    from desktop_app.readers import ReaderError, sniff_file_type

    roster = Path(roster)
    out = Path(out)
    if out.resolve() == roster.resolve():
        raise ReportError(f"標註檔不可覆寫名冊本身「{roster.name}」，請另選檔名。")
    before = sha256_of(roster)
    titles = rule_titles()
    by_sheet: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        if f.sheet:
            by_sheet[norm_header(f.sheet)].append(f)
    try:
        kind = sniff_file_type(roster)
    except ReaderError as exc:
        raise ReportError(f"名冊「{roster.name}」無法讀取：{exc.message}") from exc
    if kind == "xlsx" and roster.stat().st_size <= STREAM_ABOVE_BYTES:
        wb = _annotate_in_place_copy(roster, by_sheet, titles, progress)
    else:
        wb = _annotate_streamed(roster, by_sheet, titles, progress)
    mark_personal_data(wb)
    try:
        save_workbook(wb, out)
    except OSError as exc:
        raise ReportError(
            f"無法寫入標註檔「{out}」：{os_error_reason(exc)}。請改選可寫入的位置，並確認檔案未被 Excel 開啟。"
        ) from None
    if sha256_of(roster) != before:
        raise ReportError(f"名冊「{roster.name}」在產生標註檔期間被修改，請重新檢核。")
    return out


def _comment(group: list[Finding], titles: dict[str, tuple[str, str]]) -> Comment:
    # a comment quotes the cell's value: control characters from the roster would make invalid XML
    comment = Comment(clean_text(_comment_text(group, titles)), "開課預檢")
    comment.width = 320
    comment.height = 60 + 18 * min(len(group), 7)
    return comment


def _fill(group: list[Finding]) -> PatternFill:
    return ERROR_FILL if any(f.severity == "error" for f in group) else WARNING_FILL


def _cells_of(findings: list[Finding], columns: dict[str, int]) -> dict[int, dict[int, list[Finding]]]:
    """Excel row → column (1-based) → the findings of that cell (no column: the first cell)."""
    cells: dict[int, dict[int, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.row is None:
            continue
        col = columns.get(norm_header(f.column), 1) if f.column else 1
        cells[f.row][col].append(f)
    return cells


def _annotate_in_place_copy(
    roster: Path,
    by_sheet: dict[str, list[Finding]],
    titles: dict[str, tuple[str, str]],
    progress: ProgressFn | None,
) -> Workbook:
    try:
        wb = load_workbook(roster, rich_text=False)
    except Exception as exc:  # openpyxl raises many types on odd files
        raise ReportError(f"名冊「{roster.name}」無法以 Excel 格式開啟：{exc}") from exc
    sheets = {norm_header(ws.title): ws for ws in wb.worksheets}
    total = sum(len(v) for v in by_sheet.values())
    done = 0
    for key, findings in by_sheet.items():
        ws = sheets.get(key)
        if ws is None:
            continue
        columns = _header_columns(ws, {norm_header(f.column) for f in findings if f.column})
        for row, by_col in _cells_of(findings, columns).items():
            for col, group in by_col.items():
                cell = ws.cell(row=row, column=col)
                cell.fill = _fill(group)
                cell.comment = _comment(group, titles)
                done += len(group)
        if progress is not None:
            progress(done, total)
    return wb


def _annotate_streamed(
    roster: Path,
    by_sheet: dict[str, list[Finding]],
    titles: dict[str, tuple[str, str]],
    progress: ProgressFn | None,
) -> Workbook:
    from desktop_app.readers import ReaderError, open_workbook

    try:
        source = open_workbook(roster)
        sheets = [source.sheet(name) for name in source.sheet_names]
    except ReaderError as exc:
        raise ReportError(f"名冊「{roster.name}」無法讀取：{exc.message}") from exc
    wb = Workbook(write_only=True)
    total = sum(s.total_rows for s in sheets) or 1
    done = 0
    for sheet in sheets:
        # a CSV has one sheet, named by the engine after the data it holds
        findings = by_sheet.get(norm_header(sheet.name)) or (
            [f for group in by_sheet.values() for f in group] if source.file_type == "csv" else []
        )
        ws = wb.create_sheet((sheet.name or "Sheet")[:31])
        rows = iter(sheet.iter_rows())
        head = [list(r) for r in itertools.islice(rows, 30)]
        wanted = {norm_header(f.column) for f in findings if f.column}
        columns = _header_columns_of(head, wanted)
        cells = _cells_of(findings, columns)
        for excel_row, raw in enumerate(itertools.chain(head, rows), start=1):
            values: list[Any] = [None if v == "" else v for v in raw]
            marks = cells.get(excel_row)
            if marks:
                width = max(len(values), max(marks))
                values += [None] * (width - len(values))
                for col, group in marks.items():
                    cell = safe_cell(ws, values[col - 1])
                    cell.fill = _fill(group)
                    cell.comment = _comment(group, titles)
                    values[col - 1] = cell
            append_safe(ws, values)
            done += 1
            if progress is not None and done % 5000 == 0:
                progress(done, total)
    return wb


def _header_columns_of(rows: list[list[object]], wanted: set[str]) -> dict[str, int]:
    """Like :func:`_header_columns` over plain rows."""
    best: dict[str, int] = {}
    best_hits = 0
    for row in rows:
        found: dict[str, int] = {}
        for index, value in enumerate(row, start=1):
            name = norm_header(value)
            if name and name not in found:
                found[name] = index
        hits = sum(1 for k in wanted if k in found)
        if hits > best_hits:
            best, best_hits = found, hits
    return best


def _header_columns(ws: Any, wanted: set[str], scan: int = 30) -> dict[str, int]:
    """Normalised header → 1-based column, taken from the row (among the first ``scan``) that
    holds the most of the ``wanted`` headers."""
    best: dict[str, int] = {}
    best_hits = 0
    for row in ws.iter_rows(min_row=1, max_row=min(scan, ws.max_row or 1)):
        found: dict[str, int] = {}
        for cell in row:
            name = norm_header(cell.value)
            if name and name not in found:
                found[name] = cell.column
        hits = sum(1 for k in wanted if k in found)
        if hits > best_hits:
            best, best_hits = found, hits
            if hits == len(wanted):
                break
    return best
