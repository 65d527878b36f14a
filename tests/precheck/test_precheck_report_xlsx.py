"""The findings report and the annotated copy, written and read back with openpyxl."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
from desktop_app.domain.precheck.model import CheckOptions, Finding, OfferingGap, Pattern, PrecheckResult
from desktop_app.exports.precheck_report import (
    DETAIL_HEADERS,
    ReportError,
    mask_ids_in_text,
    write_annotated_copy,
    write_report,
)
from desktop_app.services.precheck import runs as svc


@pytest.fixture
def checked(tmp_path: Path) -> tuple[Path, PrecheckResult]:
    plan = svc.read_plan_file(write_demo_plan(tmp_path / "plan.xlsx"))
    roster = write_demo_roster(tmp_path / "roster.xlsx", errors="first")
    result = svc.check_roster_file(roster, plan, CheckOptions(school_code="011302"))
    return roster, result


def test_report_sheets_read_back(checked, tmp_path: Path) -> None:
    roster, result = checked
    out = write_report(result, tmp_path / "report.xlsx", plan_label="114學年度 第1版")
    wb = load_workbook(out)
    assert wb.sheetnames == ["摘要", "錯誤明細", "相同錯誤樣態", "開課比對"]
    summary = {row[0]: row[1] for row in wb["摘要"].iter_rows(values_only=True) if row and row[0]}
    assert summary["檔案"] == "roster.xlsx"
    assert summary["檔案核對碼"] == svc.sha256_file(roster)
    assert summary["大小（位元組）"] == roster.stat().st_size
    assert summary["課程計畫"] == "114學年度 第1版"
    for sheet, n in result.rows.items():
        assert summary[sheet] == n
    code_rows = {r[0]: r for r in wb["摘要"].iter_rows(values_only=True) if r and r[0] in result.counts}
    assert {c: r[3] for c, r in code_rows.items()} == result.counts
    assert all(r[1] for r in code_rows.values()), "every code has its Chinese title"

    detail = wb["錯誤明細"]
    assert tuple(c.value for c in detail[1]) == DETAIL_HEADERS
    assert detail.max_row == len(result.findings) + 1
    assert detail.freeze_panes == "A2"
    assert detail.auto_filter.ref.startswith("A1:M")
    ids = [r[8] for r in detail.iter_rows(min_row=2, values_only=True) if r[8]]
    assert ids and all(i.endswith("****") for i in ids), "IDs are masked"
    texts = " ".join(str(v) for r in detail.iter_rows(min_row=2, values_only=True) for v in r if v)
    assert not re.search(r"(?<![0-9A-Z])[A-Z][0-9A-D]\d{8}(?![0-9A-Z])", texts), "no full ID in the report"
    assert wb["相同錯誤樣態"].max_row == max(len(result.patterns), 1) + 1
    assert wb["開課比對"].max_row == max(len(result.offering), 1) + 1


def test_report_masks_id_values_and_lists_patterns_and_gaps(tmp_path: Path) -> None:
    result = PrecheckResult(
        file=str(tmp_path / "x.xlsx"), sha256="0" * 64, size=1, encoding=None, kind="final",
        division="day", year=114, term=1, rows={"學期成績": 3}, counts={"R03": 1, "P01": 1, "O01": 1},
        findings=[Finding("R03", "error", "檢查碼錯誤", "學期成績", 2, "身分證號", "A123456780", None, "A12345****")],
        patterns=[Pattern("R09", "C" * 23, "數學", 6, 8, "請先檢查成績系統設定")],
        offering=[OfferingGap("D" * 23, "國語文", 1, "1", "部定必修", "444433")],
    )  # fmt: skip
    wb = load_workbook(write_report(result, tmp_path / "r.xlsx"))
    row = next(wb["錯誤明細"].iter_rows(min_row=2, values_only=True))
    assert row[6] == "A12345****"  # the value of an ID column is masked too
    pattern = next(wb["相同錯誤樣態"].iter_rows(min_row=2, values_only=True))
    assert pattern[0] == "R09" and pattern[4] == "6/8" and "成績系統" in pattern[5]
    gap = next(wb["開課比對"].iter_rows(min_row=2, values_only=True))
    assert gap[:5] == ("D" * 23, "國語文", 1, "1", "部定必修")
    assert "造字" not in wb.sheetnames


def test_report_lists_pua_characters(tmp_path: Path) -> None:
    from desktop_app.domain.precheck.model import PuaNote

    result = PrecheckResult(
        file="x.xlsx", sha256="0" * 64, size=1, encoding="cp950", kind="pre", division="day", year=114, term=1,
        pua=[PuaNote("學期成績", 5, "備註(學生姓名)", "王\ue000明", "\ue000", "A12345****")],
    )  # fmt: skip
    wb = load_workbook(write_report(result, tmp_path / "r.xlsx"))
    assert wb.sheetnames[-1] == "造字"
    assert next(wb["造字"].iter_rows(min_row=2, values_only=True)) == (
        "學期成績", 5, "備註(學生姓名)", "王\ue000明", "U+E000", "A12345****",
    )  # fmt: skip


def test_annotated_copy_has_comments_and_original_is_untouched(checked, tmp_path: Path) -> None:
    roster, result = checked
    before = roster.read_bytes()
    out = write_annotated_copy(roster, result, tmp_path / "annotated.xlsx")
    assert roster.read_bytes() == before
    wb = load_workbook(out)
    # the copy holds full IDs by design and says so (file properties, every printed page)
    assert "個人資料" in (wb.properties.title or "") and "勿外流" in (wb.properties.subject or "")
    assert all("個人資料" in ws.oddHeader.center.text for ws in wb.worksheets)
    ws = wb["學期成績"]
    commented = [(c.row, c.comment.text) for row in ws.iter_rows() for c in row if c.comment]
    row_findings = [f for f in result.findings if f.sheet == "學期成績" and f.row]
    assert commented
    assert {r for r, _ in commented} == {f.row for f in row_findings}
    assert all(any(f.code in text for f in row_findings) for _, text in commented)
    header = [c.value for c in ws[1]]
    for f in row_findings[:20]:
        if f.column in header:
            cell = ws.cell(f.row, header.index(f.column) + 1)
            assert cell.comment is not None and f.code in cell.comment.text
            assert cell.fill.fgColor.rgb.endswith(("F8CBAD", "FFE699"))


def test_annotate_refuses_to_overwrite_the_roster(checked) -> None:
    roster, result = checked
    before = roster.read_bytes()
    with pytest.raises(ReportError, match="不可覆寫"):
        write_annotated_copy(roster, result, roster)
    with pytest.raises(ReportError, match="不可寫到名冊"):
        write_report(result, roster, roster=roster)
    assert roster.read_bytes() == before


def test_mask_ids_in_text_leaves_course_codes_alone() -> None:
    text = "身分證號「A123456789」的課程代碼「114011302H1110101110304」；居留證 AB12345678"
    assert (
        mask_ids_in_text(text)
        == "身分證號「A12345****」的課程代碼「114011302H1110101110304」；居留證 AB1234****"
    )


@pytest.mark.parametrize("form", ["large-xlsx", "csv"])
def test_streamed_annotated_copy(form: str, checked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    import desktop_app.exports.precheck_report as report

    roster, _ = checked
    if form == "large-xlsx":
        monkeypatch.setattr(report, "STREAM_ABOVE_BYTES", 0)  # treat the demo roster as a large one
        source = roster
    else:
        source = tmp_path / "學期成績.csv"
        with open(source, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(load_workbook(roster)["學期成績"].iter_rows(values_only=True))
    plan = svc.read_plan_file(write_demo_plan(tmp_path / "plan2.xlsx"))
    result = svc.check_roster_file(source, plan, CheckOptions(school_code="011302", year=114, term=1))
    row_findings = [f for f in result.findings if f.row]
    assert row_findings
    before = source.read_bytes()
    out = write_annotated_copy(source, result, tmp_path / f"{form}.xlsx")
    assert source.read_bytes() == before
    wb = load_workbook(out)
    ws = wb[result.findings[0].sheet] if form == "large-xlsx" else wb.worksheets[0]
    commented = {c.row for row in ws.iter_rows() for c in row if c.comment}
    assert commented == {f.row for f in row_findings}
    header = [c.value for c in ws[1]]
    f = next(f for f in row_findings if f.column in header)
    cell = ws.cell(f.row, header.index(f.column) + 1)
    assert f.code in cell.comment.text
    assert ws.max_row == len(load_workbook(roster)["學期成績"]["A"])
