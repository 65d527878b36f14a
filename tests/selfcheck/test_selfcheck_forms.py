"""Form definitions: the shipped form validates and covers guideline §4; bad files say file/line/why."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.selfcheck import AnswerType, FormFileError, load_form, load_forms, normalise_answer
from desktop_app.resources import forms_dir
from desktop_app.services.selfcheck import load_catalog
from desktop_app.services.selfcheck_evidence import RULES

DATA = Path(__file__).resolve().parent.parent / "data" / "selfcheck"


def test_shipped_forms_load_without_errors() -> None:
    catalog = load_catalog()
    assert catalog.errors == ()
    form = catalog.get("portfolio-selfcheck")
    assert form is not None
    assert form.title == "學生學習歷程檔案工作自我檢核表"
    assert form.effective == date(2024, 8, 1)
    assert form.version == "1.0"


def test_shipped_form_covers_guideline_section_4() -> None:
    form = load_catalog().get("portfolio-selfcheck")
    assert form is not None
    text = "\n".join(f"{i.text} {i.basis} {i.help}" for i in form.items())
    # the Q&A duties (一)-(十): every one is cited by some item
    basis = " ".join(i.basis for i in form.items())
    for duty in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十"):
        assert f"（{duty}）" in basis, f"no item cites Q&A ({duty})"
    # the themes §4 lists, including the workload rules of 要點第5點
    for phrase in (
        "召集人",
        "召開一次會議",
        "校務會議",
        "公告",
        "組成、運作及督導",
        "方式、人員、期程及內容",
        "研習之規劃",
        "成效評核及獎勵",
        "宣導",
        "操作訓練",
        "認證期限",
        "開學後4週內",
        "核對成績",
        "提交",
        "不少於3日",
        "疑義",
        "質量相對較重之報告件數",
        "未強制規定",
        "額外專門製作",
        "舒緩行政及學生壓力",
        "休業式後2週",
        "代理人",
    ):
        assert phrase in text, phrase
    # every built-in rule named by the form exists, and the core checks are all used
    used = {rule for item in form.items() for rule in item.evidence}
    assert used <= set(RULES)
    for core in (
        "wg_composition",
        "wg_meeting_this_term",
        "regulation_passed",
        "regulation_published",
        "regulation_complete",
        "tasks_on_time",
        "precheck_first_within_4_weeks",
        "precheck_latest_clean",
        "receipts_period_min_3_days",
        "receipts_objections_closed",
    ):
        assert core in used, core
    kinds = {item.answer_type for item in form.items()}
    assert kinds == set(AnswerType)


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("bad_syntax.yaml", 8, "YAML 格式錯誤"),
        ("bad_answer_type.yaml", 14, "答案類型「maybe」不認得"),
        ("bad_unknown_key.yaml", 8, "不認得的欄位「itmes」"),
        ("bad_duplicate_item.yaml", 15, "項目代號「x1」重複"),
        ("bad_evidence_rule.yaml", 12, "佐證規則「no_such_rule」不是內建的檢查"),
        ("bad_effective.yaml", 4, "沒有 2 月 30 日"),
        ("bad_missing_text.yaml", 9, "缺少必填欄位「text」"),
    ],
)
def test_bad_file_is_refused_with_file_line_and_reason(name: str, line: int, reason: str) -> None:
    with pytest.raises(FormFileError) as info:
        load_form(DATA / name, known_rules=RULES.keys())
    error = info.value.error
    assert error.file == DATA / name
    assert error.line == line
    assert reason in error.reason
    assert f"{name} 第 {line} 行" in str(info.value)


def test_bad_files_are_skipped_and_the_others_still_load(tmp_path: Path) -> None:
    for path in DATA.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(forms_dir() / "portfolio_selfcheck.yaml", tmp_path / "portfolio_selfcheck.yaml")
    (tmp_path / "readme.txt").write_text("not a form", encoding="utf-8")
    catalog = load_forms(tmp_path, known_rules=RULES.keys())
    assert sorted(f.id for f in catalog.forms) == ["portfolio-selfcheck", "small-form"]
    assert sorted(e.file.name for e in catalog.errors) == sorted(p.name for p in DATA.glob("bad_*.yaml"))
    assert all(e.line > 0 for e in catalog.errors)


def test_duplicate_form_id_in_a_second_file_is_refused(tmp_path: Path) -> None:
    shutil.copy(DATA / "good_small.yaml", tmp_path / "a.yaml")
    shutil.copy(DATA / "good_small.yaml", tmp_path / "b.yaml")
    catalog = load_forms(tmp_path)
    assert [f.source.name for f in catalog.forms if f.source] == ["a.yaml"]
    (error,) = catalog.errors
    assert (error.file.name, error.line) == ("b.yaml", 1)
    assert "small-form" in error.reason and "a.yaml" in error.reason


def test_empty_and_non_utf8_files(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "big5.yaml").write_bytes("title: 自我檢核".encode("cp950"))
    catalog = load_forms(tmp_path)
    reasons = {e.file.name: e.reason for e in catalog.errors}
    assert "空的" in reasons["empty.yaml"]
    assert "UTF-8" in reasons["big5.yaml"]


def test_normalise_answer_by_type() -> None:
    form = load_form(DATA / "good_small.yaml")
    rating, when = form.item("a"), form.item("b")
    assert normalise_answer(rating, " 部分符合 ") == "部分符合"
    assert normalise_answer(rating, "") is None
    with pytest.raises(ValueError, match="不是可選的答案"):
        normalise_answer(rating, "還可以")
    assert normalise_answer(when, "113/09/02") == "2024-09-02"
    assert normalise_answer(when, date(2024, 9, 2)) == "2024-09-02"
    with pytest.raises(ValueError, match="無法辨識的日期"):
        normalise_answer(when, "下週")
    shipped = load_catalog().get("portfolio-selfcheck")
    assert shipped is not None
    assert normalise_answer(shipped.item("3.7"), "4.0") == "4"
    assert normalise_answer(shipped.item("4.4"), "yes") == "是"
    with pytest.raises(ValueError, match="不是數字"):
        normalise_answer(shipped.item("3.7"), "四")
