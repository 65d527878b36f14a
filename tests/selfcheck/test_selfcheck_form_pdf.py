"""The printed self-check form: 草稿 mark, date items from the dates the app knows, comparison
without 未填, CJK punctuation at line ends."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain.roc_date import Term, format_roc
from desktop_app.domain.selfcheck import AnswerType, FormDef
from desktop_app.services.selfcheck import (
    AnswerInput,
    compare_with_previous,
    export_fill,
    finalise,
    find_form,
    load_catalog,
    open_fill,
    save_draft,
)
from desktop_app.services.working_group import MeetingInput, add_meeting
from desktop_app.storage.db import Database


@pytest.fixture
def form() -> FormDef:
    return find_form(load_catalog(), "portfolio-selfcheck")


def _flat(path: Path) -> list[str]:
    return [re.sub(r"\s", "", p.extract_text()) for p in PdfReader(str(path)).pages]


def _answers(form: FormDef, value: str = "符合") -> list[AnswerInput]:
    out = []
    for item in form.items():
        if item.answer_type is AnswerType.RATING:
            out.append(AnswerInput(item.id, value))
        elif item.answer_type is AnswerType.YES_NO:
            out.append(AnswerInput(item.id, "是"))
    return out


def test_draft_pdf_is_marked_and_final_is_not(profile_db: Database, form: FormDef, tmp_path: Path) -> None:
    term = Term(113, 1)
    answers = _answers(form)
    answers = [a if a.item_id != "1.3" else AnswerInput("1.3", "部分符合", note="只開一次") for a in answers]
    answers = [a if a.item_id != "1.5" else AnswerInput("1.5", "不符合", note="未討論") for a in answers]
    save_draft(profile_db, form, term, answers)
    (draft,) = export_fill(profile_db, form, term, pdf=tmp_path / "draft.pdf", today=date(2024, 12, 1))
    pages = _flat(draft)
    assert all("【草稿】" in page for page in pages)
    assert all(f"第{i}頁／共{len(pages)}頁" in page for i, page in enumerate(pages, start=1))
    text = "".join(pages)
    # 部分符合 and 不符合 read differently (icon + word), a legend says which is which
    assert "△部分符合" in text and "╳不符合" in text and "√符合" in text
    assert "檢核結果：√符合△部分符合╳不符合－不適用" in text
    finalise(profile_db, form, term, answers, by="陳怡君")
    (final,) = export_fill(profile_db, form, term, pdf=tmp_path / "final.pdf", today=date(2024, 12, 1))
    assert not any("草稿" in page for page in _flat(final))


def test_date_items_are_filled_from_the_dates_the_app_knows(profile_db: Database, form: FormDef, tmp_path: Path) -> None:
    from desktop_app.services.calendar.tasks import TaskInput, add_task

    term = Term(113, 1)
    add_meeting(profile_db, MeetingInput(held_on=date(2024, 9, 20), title="第2次"))
    add_meeting(profile_db, MeetingInput(held_on=date(2024, 9, 10), title="第1次"))
    add_task(profile_db, TaskInput(year=113, term=1, item="三 平台規劃", work="學生上傳課程學習成果截止",
                                   due_date=date(2025, 2, 3)))  # fmt: skip
    view = open_fill(profile_db, form, term, today=date(2024, 12, 1))
    assert view.state("1.4").suggested == "2024-09-10"
    assert view.state("7.3").suggested == "2025-02-03"
    (pdf,) = export_fill(profile_db, form, term, pdf=tmp_path / "d.pdf", today=date(2024, 12, 1))
    text = "".join(_flat(pdf))
    assert f"1.4本學期工作小組會議日期{format_roc(date(2024, 9, 10))}（系統帶入，待確認）" in text
    assert f"{format_roc(date(2025, 2, 3))}（系統帶入，待確認）" in text


def test_comparison_does_not_count_unanswered_as_a_change(profile_db: Database, form: FormDef) -> None:
    previous, current = Term(113, 1), Term(113, 2)
    finalise(profile_db, form, previous, _answers(form), by="陳怡君")
    answers = _answers(form)
    answers = [a for a in answers if a.item_id not in ("2.1", "2.2", "2.3")]  # not yet answered
    answers = [a if a.item_id != "1.5" else AnswerInput("1.5", "部分符合", note="未談管考") for a in answers]
    save_draft(profile_db, form, current, answers)
    comparison = compare_with_previous(profile_db, form, current)
    assert [c.item_id for c in comparison.changes] == ["1.5"]
    assert comparison.unanswered_now == 3
    assert "1 項答案改變" in comparison.summary and "本學期尚有 3 項未填（不算改變）" in comparison.summary


def test_receipts_period_end_is_offered_for_6_6(tmp_path: Path) -> None:
    from desktop_app.demo import build_demo_database
    from desktop_app.demo.selfcheck import demo_term
    from desktop_app.services.receipts.batches import list_batches

    db = build_demo_database(tmp_path / "demo")
    form = find_form(load_catalog(), None)
    term = demo_term()
    ends = [b.period_end for b in list_batches(db) if term.contains(b.period_start)]
    assert ends  # the demo's current batch runs in the demo 學期
    view = open_fill(db, form, term)
    assert view.state("6.6").suggested == max(ends).isoformat()
    db.close()


def test_pdf_lines_never_start_with_closing_or_end_with_opening_punctuation(tmp_path: Path) -> None:
    """The demo's 1.3 evidence 「本學期已召開 1 次會議（115/09/10 起）」 ended a line with 「（」
    (reportlab's CJK wrap); every table cell is now wrapped by cjk_wrap."""
    from desktop_app.demo import build_demo_database
    from desktop_app.demo.selfcheck import demo_term
    from desktop_app.exports.cjk_wrap import NO_LINE_END, NO_LINE_START

    db = build_demo_database(tmp_path / "demo")
    try:
        (pdf,) = export_fill(db, find_form(load_catalog(), None), demo_term(), pdf=tmp_path / "sc.pdf")
    finally:
        db.close()
    lines = [ln.strip() for page in PdfReader(str(pdf)).pages for ln in page.extract_text().splitlines()]
    assert any("1 次會議" in ln for ln in lines)
    assert not [ln for ln in lines if ln and ln[-1] in NO_LINE_END], lines
    assert not [ln for ln in lines if ln and ln[0] in NO_LINE_START - {"．", "."}], lines
