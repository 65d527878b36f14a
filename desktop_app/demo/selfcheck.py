"""Demo data of the selfcheck feature: the previous 學期's form finalised, the demo 學期's as a draft.

Runs after the other seeders, so the suggestions come from their live demo records.
"""

from __future__ import annotations

from datetime import date

from desktop_app.demo.core import CURRENT_YEAR
from desktop_app.domain.roc_date import Term, school_year_of, term_of
from desktop_app.domain.selfcheck import AnswerType, FormDef
from desktop_app.services.selfcheck import (
    AnswerInput,
    finalise,
    find_form,
    load_catalog,
    open_fill,
    save_draft,
)
from desktop_app.storage.db import Database


def demo_term(today: date | None = None) -> Term:
    """Today's 學期 of the demo's current 學年度 (the other demo seeders fill it with records)."""
    today = today or date.today()
    if school_year_of(today) == CURRENT_YEAR:
        return term_of(today)
    return Term(CURRENT_YEAR, 1)


DEMO_OFFICER = "陳怡君"  # fictional 註冊組長


def _answers(db: Database, form: FormDef, term: Term, *, complete: bool) -> list[AnswerInput]:
    view = open_fill(db, form, term)
    out = []
    for state in view.items:
        item = state.item
        if state.suggested is not None and item.answer_type is AnswerType.DATE and not complete:
            continue  # the draft leaves the known dates for the user to confirm
        if state.suggested is not None:
            out.append(AnswerInput(item.id, state.suggested))
        elif not complete:
            continue  # the demo 學期 leaves the items without evidence for the user
        elif item.answer_type is AnswerType.RATING:
            out.append(AnswerInput(item.id, "符合"))
        elif item.answer_type is AnswerType.YES_NO:
            out.append(AnswerInput(item.id, "是"))
    if complete:
        out = [a for a in out if a.item_id != "1.4"]
        out.append(
            AnswerInput("1.4", term.start.replace(day=20) if term.term == 1 else date(term.start.year, 3, 5))
        )
        out.append(AnswerInput("3.7", "4"))
        out.append(AnswerInput("8.4", "宣導場次偏少，下學期於親職座談加開家長說明。"))
    return out


def seed(db: Database, term: Term | None = None) -> None:
    term = term or demo_term()
    catalog = load_catalog()
    if not catalog.forms:
        return
    form = find_form(catalog, None)
    previous = term.previous()
    finalise(db, form, previous, _answers(db, form, previous, complete=True), by=DEMO_OFFICER)
    save_draft(db, form, term, _answers(db, form, term, complete=False), user=DEMO_OFFICER)
