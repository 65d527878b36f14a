"""Filling the form of a 學期: drafts, overrides need a note, finalise → read-only, comparison."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from desktop_app.domain.roc_date import Term
from desktop_app.domain.selfcheck import AnswerType, FormDef
from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.selfcheck import (
    STATUS_DRAFT,
    STATUS_FINAL,
    STATUS_NEW,
    AnswerInput,
    compare_with_previous,
    finalise,
    find_form,
    list_fills,
    load_catalog,
    open_fill,
    save_draft,
)
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import current_revision, head_revision, open_database, upgrade
from desktop_app.storage.models import CalendarTask, SelfCheckAnswer, SelfCheckFill

TERM = Term(113, 1)


@pytest.fixture
def form() -> FormDef:
    return find_form(load_catalog(), "portfolio-selfcheck")


def _tasks_done_on_time(db: Database) -> None:
    with db.transaction() as s:
        s.execute(
            insert(CalendarTask),
            [
                {
                    "year": 113,
                    "term": 1,
                    "work": "工作小組會議",
                    "due_date": date(2024, 9, 30),
                    "status": "done",  # TaskStatus.DONE (stored as a code)
                    "done_on": date(2024, 9, 10),
                    "item": "一 行政規劃",
                    "content": "",
                    "timing": "",
                    "owners": "",
                    "note": "",
                    "is_official": False,
                    "doc_no": "",
                    "template_key": "",
                    "sort_order": 0,
                }
            ],
        )


def _complete_answers(form: FormDef, *, override: str | None = None) -> list[AnswerInput]:
    out = []
    for item in form.items():
        if item.answer_type is AnswerType.RATING:
            out.append(AnswerInput(item.id, override or "符合"))
        elif item.answer_type is AnswerType.YES_NO:
            out.append(AnswerInput(item.id, "是"))
    return out


def test_new_fill_shows_live_suggestions(profile_db: Database, form: FormDef) -> None:
    _tasks_done_on_time(profile_db)
    view = open_fill(profile_db, form, TERM)
    assert view.status == STATUS_NEW and view.fill_id is None and not view.read_only
    state = view.state("3.1")
    assert state.finding is not None and state.finding.status == "holds"
    assert state.suggested == "符合"
    assert view.state("1.5").suggested is None  # no rule for this item: a person decides


def test_override_without_note_is_refused_and_changes_nothing(profile_db: Database, form: FormDef) -> None:
    _tasks_done_on_time(profile_db)
    with pytest.raises(ServiceError) as info:
        save_draft(profile_db, form, TERM, [AnswerInput("3.1", "不符合"), AnswerInput("1.5", "符合")])
    message = str(info.value)
    assert "第 3.1 項" in message and "系統建議「符合」" in message and "備註" in message
    with profile_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SelfCheckFill)) == 0
    view = save_draft(
        profile_db, form, TERM, [AnswerInput("3.1", "不符合", note="兩項工作延後，會議紀錄為證")]
    )
    state = view.state("3.1")
    assert state.answer == "不符合" and state.is_override and state.source == "override"
    assert view.status == STATUS_DRAFT


def test_draft_keeps_notes_attachments_and_dates(profile_db: Database, form: FormDef, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _tasks_done_on_time(profile_db)
    minutes = str(tmp_path / "會議紀錄.pdf")
    save_draft(
        profile_db,
        form,
        TERM,
        [
            AnswerInput("3.1", "符合", note="依作業期程", attachments=(minutes, minutes, " ")),
            AnswerInput("1.4", "113/09/10"),
            AnswerInput("3.7", "3"),
        ],
        user="陳怡君",
    )
    view = save_draft(profile_db, form, TERM, [AnswerInput("3.7", "4")], user="陳怡君")
    assert view.state("3.1").attachments == (minutes,)
    assert view.state("3.1").source == "confirmed"
    assert view.state("1.4").answer == "2024-09-10"
    assert view.state("1.4").answer_text == "113/09/10"
    assert view.state("3.7").answer_text == "4 場"
    assert view.updated_by == "陳怡君"
    assert "草稿" in view.status_text
    entries = list_entries(profile_db, entity="selfcheck_fill")
    assert [e.action for e in entries] == ["selfcheck.save", "selfcheck.save"]


def test_bad_answers_are_all_reported(profile_db: Database, form: FormDef) -> None:
    with pytest.raises(ServiceError) as info:
        save_draft(
            profile_db,
            form,
            TERM,
            [AnswerInput("1.1", "還行"), AnswerInput("1.4", "下週"), AnswerInput("9.9", "符合")],
        )
    message = str(info.value)
    assert "第 1.1 項" in message and "第 1.4 項" in message and "9.9" in message


def test_fill_finalise_then_read_only(profile_db: Database, form: FormDef) -> None:
    _tasks_done_on_time(profile_db)
    save_draft(profile_db, form, TERM, [AnswerInput("1.1", "符合")])
    with pytest.raises(ServiceError, match="必答項目未填答"):
        finalise(profile_db, form, TERM, by="陳怡君")
    with pytest.raises(ServiceError, match="定稿人"):
        finalise(profile_db, form, TERM, _complete_answers(form), by=" ")
    view = finalise(profile_db, form, TERM, _complete_answers(form), by="陳怡君")
    assert view.status == STATUS_FINAL and view.read_only
    assert view.finalised_by == "陳怡君" and view.finalised_at is not None
    assert "已定稿" in view.status_text and "陳怡君" in view.status_text
    # the stored evidence snapshot is shown, not live evidence
    assert view.state("3.1").finding is not None and view.state("3.1").suggested == "符合"
    with pytest.raises(ServiceError, match=r"已於 .* 由 陳怡君 定稿"):
        save_draft(profile_db, form, TERM, [AnswerInput("1.1", "不符合", note="x")])
    with pytest.raises(ServiceError, match="定稿"):
        finalise(profile_db, form, TERM, by="別人")
    with profile_db.read() as s:
        assert s.scalar(select(SelfCheckAnswer.answer).where(SelfCheckAnswer.item_id == "1.1")) == "符合"
    (summary,) = list_fills(profile_db)
    assert summary.status == STATUS_FINAL and summary.term == TERM
    assert next(e.action for e in list_entries(profile_db, entity="selfcheck_fill")) == "selfcheck.finalise"


def test_comparison_with_the_previous_term(profile_db: Database, form: FormDef) -> None:
    current = Term(113, 2)
    assert compare_with_previous(profile_db, form, current).previous_status == STATUS_NEW
    finalise(profile_db, form, TERM, _complete_answers(form), by="陳怡君")
    answers = _complete_answers(form)
    answers = [
        a if a.item_id != "1.5" else AnswerInput("1.5", "部分符合", note="會議未討論評核管考")
        for a in answers
    ]
    answers = [a if a.item_id != "4.4" else AnswerInput("4.4", "否") for a in answers]
    save_draft(profile_db, form, current, answers)
    comparison = compare_with_previous(profile_db, form, current)
    assert comparison.previous_term == TERM and comparison.previous_status == STATUS_FINAL
    changed = {c.item_id: c for c in comparison.changes}
    assert set(changed) == {"1.5", "4.4"}
    assert (changed["1.5"].before, changed["1.5"].after) == ("符合", "部分符合")
    assert changed["1.5"].note_after == "會議未討論評核管考"
    assert changed["4.4"].answer_changed
    assert comparison.unchanged == len(form.items()) - 2
    assert "2 項答案改變" in comparison.summary


def test_migration_0005_upgrades_a_database_at_0004(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.storage.db import Database as Db

    raw = Db(tmp_path / "old.sqlite3")
    upgrade(raw, "0004")
    assert current_revision(raw) == "0004"
    raw.close()
    db = open_database(tmp_path / "old.sqlite3", backup=None)
    assert current_revision(db) == head_revision()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SelfCheckFill)) == 0
    db.close()
