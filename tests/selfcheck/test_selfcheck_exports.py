"""Exports (xlsx cells, PDF text read back with pypdf) and the `selfcheck` command lines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.cli import main as cli_main
from desktop_app.domain.errors import ServiceError
from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.domain.selfcheck import AnswerType, FormDef
from desktop_app.services.selfcheck import AnswerInput, export_fill, finalise, find_form, load_catalog
from desktop_app.storage.db import Database

TERM = Term(113, 1)


@pytest.fixture
def form() -> FormDef:
    return find_form(load_catalog(), "portfolio-selfcheck")


def _finalised(db: Database, form: FormDef) -> None:
    answers = []
    for item in form.items():
        if item.answer_type is AnswerType.RATING:
            answers.append(AnswerInput(item.id, "符合"))
        elif item.answer_type is AnswerType.YES_NO:
            answers.append(AnswerInput(item.id, "是"))
    answers = [
        a if a.item_id != "1.6" else AnswerInput("1.6", "部分符合", note="新進教師尚待說明") for a in answers
    ]
    answers.append(AnswerInput("1.4", "113/09/10"))
    answers.append(AnswerInput("8.4", "下學期加開家長說明會"))
    finalise(db, form, TERM, answers, by="陳怡君")


def test_xlsx_export_reads_back(profile_db: Database, form: FormDef, tmp_path: Path) -> None:
    _finalised(profile_db, form)
    with pytest.raises(ServiceError, match="不存在"):  # one rule for every export: no folder made
        export_fill(profile_db, form, TERM, xlsx=tmp_path / "out" / "sc.xlsx")
    (tmp_path / "out").mkdir()
    (path,) = export_fill(profile_db, form, TERM, xlsx=tmp_path / "out" / "sc.xlsx")
    ws = load_workbook(path).active
    assert ws["A1"].value == "國立示範高級中學學生學習歷程檔案工作自我檢核表"
    assert "113學年度第1學期" in ws["A2"].value and "113/08/01 生效" in ws["A2"].value
    assert "已定稿" in ws["A3"].value and "陳怡君" in ws["A3"].value
    assert [c.value for c in ws[4]] == [
        "編號",
        "檢核項目",
        "檢核結果",
        "答案來源",
        "系統佐證",
        "備註",
        "附件",
    ]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["一、工作小組之組成及運作"][1] is None  # a section row
    assert rows["1.6"][2] == "部分符合" and rows["1.6"][5] == "新進教師尚待說明"
    assert rows["1.4"][2] == "113/09/10"
    assert rows["8.4"][2] == "下學期加開家長說明會"
    assert rows["3.1"][4].startswith("尚無資料")
    assert len([k for k in rows if k and k[0].isdigit()]) == len(form.items())
    flat = [v for r in ws.iter_rows(values_only=True) for v in r if v]
    for label in ("承辦人：", "單位主管：", "校長："):
        assert label in flat


def test_pdf_export_reads_back(profile_db: Database, form: FormDef, tmp_path: Path) -> None:
    _finalised(profile_db, form)
    (path,) = export_fill(profile_db, form, TERM, pdf=tmp_path / "sc.pdf")
    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = "\n".join(page.extract_text() for page in reader.pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "國立示範高級中學學生學習歷程檔案工作自我檢核表" in compact
    assert "113學年度第1學期" in compact
    assert "一、工作小組之組成及運作" in compact and "八、評核管考及回饋" in compact
    assert "新進教師尚待說明" in compact
    assert "113/09/10" in compact
    assert format_roc(date.today()) in compact
    for label in ("承辦人", "單位主管", "校長："):
        assert label in compact
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # embedded TrueType subsets, never reportlab's CID fonts


def test_cli_evidence_and_export(
    profile_db: Database, form: FormDef, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _finalised(profile_db, form)
    profile_db.close()
    out_json = tmp_path / "ev.json"
    assert (
        cli_main(["selfcheck", "evidence", "--term", "113-1", "--db", str(db_path), "--json", str(out_json)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "113學年度第1學期 佐證檢核" in printed and "開學後4週內完成第1次預檢" in printed  # zh title, id in JSON
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert report["term"] == "113-1"
    rules = {f["rule"]: f for f in report["findings"]}
    assert rules["precheck_latest_clean"]["status"] == "no_data"
    assert rules["receipts_period_min_3_days"]["links"][0]["tab"] == "receipts"
    xlsx, pdf = tmp_path / "a.xlsx", tmp_path / "a.pdf"
    assert (
        cli_main(
            [
                "selfcheck",
                "export",
                "--term",
                "113-1",
                "--form",
                "portfolio-selfcheck",
                "--xlsx",
                str(xlsx),
                "--pdf",
                str(pdf),
                "--db",
                str(db_path),
            ]
        )
        == 0
    )
    assert xlsx.stat().st_size > 0 and pdf.read_bytes().startswith(b"%PDF")
    assert cli_main(["selfcheck", "export", "--term", "113-1", "--db", str(db_path)]) == 2
    assert (
        cli_main(
            [
                "selfcheck",
                "export",
                "--term",
                "113-1",
                "--form",
                "nope",
                "--xlsx",
                str(xlsx),
                "--db",
                str(db_path),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "找不到自我檢核表「nope」" in err
    with pytest.raises(SystemExit):
        cli_main(["selfcheck", "evidence", "--term", "113-3", "--db", str(db_path)])
