"""Demo data of the calendar feature: the current 學年度 planned from the template, tasks already
past done (with dates and notes), one left overdue, and official 國教署 deadlines with 文號."""

from __future__ import annotations

from datetime import date, timedelta

from desktop_app.domain.calendar import TaskStatus
from desktop_app.domain.roc_date import Term, school_year_of
from desktop_app.services.calendar.planning import plan_year
from desktop_app.services.calendar.tasks import OfficialInput, add_official, list_tasks, mark_done
from desktop_app.services.profile import get_term_dates, set_term_dates
from desktop_app.storage.db import Database

OVERDUE_KEY = "training-system"  # 操作訓練：系統操作 is left overdue in the demo


def _ensure_term_dates(db: Database, year: int) -> None:
    """The demo school's 學期 dates for ``year`` (core seeds some years; fill any gap)."""
    for term in (1, 2):
        if get_term_dates(db, year, term) is None:
            t = Term(year, term)
            if term == 1:
                set_term_dates(db, year, 1, date(t.start.year, 8, 30), date(t.end.year, 1, 20))
            else:
                set_term_dates(db, year, 2, date(t.start.year, 2, 11), date(t.start.year, 6, 30))


def seed(db: Database, today: date | None = None) -> None:
    today = today or date.today()
    year = school_year_of(today)
    _ensure_term_dates(db, year)
    plan_year(db, year)
    term = 1 if today.month >= 8 or today.month == 1 else 2
    dates = get_term_dates(db, year, term)
    assert dates is not None  # _ensure_term_dates stored both 學期
    start = dates.start_date

    # the 國教署 window for the 預檢名冊 (as in 112: 9/11–11/10), entered from the official letter
    add_official(
        db,
        OfficialInput(
            year=year,
            title="預檢名冊提交至中央資料庫",
            start_date=start + timedelta(days=11),
            due_date=start + timedelta(days=70),
            doc_no="臺教國署高字第1120113411號",
            rosters="預檢_修課紀錄名冊、預檢_進修部（學校）修課紀錄名冊（不含成績）",
            owners="註冊組、教學組",
        ),
    )
    # the 勾選/提交 task waits for the 國教署 date: the letter gives it one (due within the week)
    submit = next(t for t in list_tasks(db, year) if t.template_key == f"submit@{term}")
    add_official(
        db,
        OfficialInput(
            year=year,
            title="學習歷程檔案提交中央資料庫",
            due_date=today + timedelta(days=5),
            doc_no="臺教國署高字第1120106017號",
            rosters=(
                "（一）所有學生之修課紀錄；（二）高一及高二學生之基本資料（含「校內幹部經歷名冊」）"
                "與課程學習成果、多元表現；不同學制分梯次提交"
            ),
            apply_to_task_id=submit.id,
        ),
    )
    # what is already past is done, except one task left overdue
    for task in list_tasks(db, year):
        if task.due_date is None or task.due_date >= today or task.status == TaskStatus.DONE:
            continue
        if task.template_key.startswith(OVERDUE_KEY):
            continue
        done_on = min(task.due_date - timedelta(days=2), today)
        if task.start_date is not None and done_on < task.start_date:
            done_on = task.start_date
        mark_done(db, task.id, done_on, "示範資料：已依期程完成")
