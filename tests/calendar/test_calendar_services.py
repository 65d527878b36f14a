"""作業期程 services on a real SQLite file: planning, editing, official dates, data-driven deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain.calendar import TaskStatus, TimingRule
from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.calendar.deadlines import deadline_items
from desktop_app.services.calendar.planning import plan_year, preview_plan
from desktop_app.services.calendar.reminders import due_items
from desktop_app.services.calendar.tasks import (
    OfficialInput,
    TaskInput,
    add_official,
    add_task,
    delete_task,
    list_tasks,
    mark_done,
    move_task,
    set_status,
)
from desktop_app.services.calendar.timings import list_timing_rules, reset_timing_rule, save_timing_rule
from desktop_app.services.profile import set_term_dates
from desktop_app.services.working_group import MeetingInput, add_meeting
from desktop_app.storage.models import CalendarTask, PrecheckRun, ReceiptBatch

# profile_db: 114-1 starts 2025-09-01 (休業式 2026-01-20), 114-2 starts 2026-02-11 (休業式 2026-06-30)


def _by_key(db, year: int):  # type: ignore[no-untyped-def]
    return {t.template_key: t for t in list_tasks(db, year)}


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(CalendarTask))


def test_plan_a_year_gives_dated_tasks_for_both_terms(profile_db) -> None:  # type: ignore[no-untyped-def]
    result = plan_year(profile_db, 114)
    tasks = _by_key(profile_db, 114)
    assert result.created == len(tasks) == 30
    assert tasks["precheck-first@1"].due_date == date(2025, 9, 29)  # 開學日 + 28 days
    assert tasks["precheck-first@2"].due_date == date(2026, 3, 11)
    assert tasks["training-system@1"].start_date == date(2025, 9, 1)
    assert tasks["training-system@1"].due_date == date(2025, 9, 14)  # 開學初 = first 2 weeks
    assert tasks["upload-deadline@1"].due_date == date(2026, 2, 3)  # 休業式 + 14 days
    assert tasks["submit@1"].due_date is None  # 依國教署公告時間: no date yet
    assert all(t.status == TaskStatus.NOT_STARTED and t.owners for t in tasks.values())
    assert list_entries(profile_db, entity="calendar_task")[0].action == "calendar.plan"


def test_planning_twice_does_not_duplicate_and_offers_to_update(profile_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(profile_db, 114)
    assert _count(profile_db) == 30
    again = plan_year(profile_db, 114)
    assert (again.created, again.updated, again.unchanged) == (0, (), 30)
    assert _count(profile_db) == 30

    # the school moves 開學日 of 第1學期 by two days: planning again offers to update, never duplicates
    set_term_dates(profile_db, 114, 1, date(2025, 9, 3), date(2026, 1, 20))
    preview = preview_plan(profile_db, 114)
    assert preview.already_planned and not preview.to_create
    changed = {c.template_key: c for c in preview.to_update}
    assert "precheck-first@1" in changed
    assert "截止 114/09/29 → 114/10/01" in changed["precheck-first@1"].changes
    only_new = plan_year(profile_db, 114, update_existing=False)
    assert only_new.created == 0 and only_new.updated == ()
    assert _by_key(profile_db, 114)["precheck-first@1"].due_date == date(2025, 9, 29)
    updated = plan_year(profile_db, 114)
    assert {c.template_key for c in updated.updated} == set(changed)
    assert _by_key(profile_db, 114)["precheck-first@1"].due_date == date(2025, 10, 1)
    assert _count(profile_db) == 30


def test_replanning_keeps_hand_moved_dates_and_status(profile_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(profile_db, 114)
    tasks = _by_key(profile_db, 114)
    moved = move_task(profile_db, tasks["promo@1"].id, date(2025, 11, 20))
    assert moved.dates_locked and moved.due_date == date(2025, 11, 20)
    # window length kept
    assert moved.due_date - moved.start_date == tasks["promo@1"].due_date - tasks["promo@1"].start_date
    mark_done(profile_db, tasks["sharing@1"].id, date(2025, 9, 20), "提前辦理")
    set_term_dates(profile_db, 114, 1, date(2025, 9, 8), date(2026, 1, 20))
    result = plan_year(profile_db, 114)
    after = _by_key(profile_db, 114)
    assert after["promo@1"].due_date == date(2025, 11, 20)
    assert any("宣導說明" in k for k in result.kept)
    assert after["sharing@1"].status == TaskStatus.DONE and after["sharing@1"].done_on == date(2025, 9, 20)
    assert after["training-system@1"].start_date == date(2025, 9, 8)


def test_timing_mapping_is_editable_and_stored(profile_db) -> None:  # type: ignore[no-untyped-def]
    save_timing_rule(profile_db, TimingRule("開學初", "start", 0, "start", 20, "前 3 週"))
    infos = {i.rule.word: i for i in list_timing_rules(profile_db)}
    assert infos["開學初"].overridden and infos["開學初"].rule.due_days == 20
    assert infos["開學初"].default is not None and infos["開學初"].default.due_days == 13
    plan_year(profile_db, 114)
    assert _by_key(profile_db, 114)["training-system@1"].due_date == date(2025, 9, 21)
    reset_timing_rule(profile_db, "開學初")
    assert not {i.rule.word: i for i in list_timing_rules(profile_db)}["開學初"].overridden
    result = plan_year(profile_db, 114)
    assert _by_key(profile_db, 114)["training-system@1"].due_date == date(2025, 9, 14)
    # only the tasks timed 開學初 (系統操作, both 學期) changed
    assert {c.template_key for c in result.updated} == {"training-system@1", "training-system@2"}


def test_upload_deadline_cannot_be_earlier_than_two_weeks_after_closing(profile_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="休業式後 14 天"):
        save_timing_rule(profile_db, TimingRule("休業式後2週", "end", 0, "end", 7))
    plan_year(profile_db, 114)
    task = _by_key(profile_db, 114)["upload-deadline@1"]
    with pytest.raises(ServiceError, match=r"休業式.*後 2 週"):
        move_task(profile_db, task.id, date(2026, 1, 25))
    assert _by_key(profile_db, 114)["upload-deadline@1"].due_date == date(2026, 2, 3)  # nothing changed
    move_task(profile_db, task.id, date(2026, 2, 10))


def test_add_edit_delete_and_mark_done_with_note(profile_db) -> None:  # type: ignore[no-untyped-def]
    task = add_task(
        profile_db,
        TaskInput(
            year=114,
            work="課程計畫變更後再比對",
            item="三 平台規劃",
            owners="教學組",
            due_date=date(2025, 12, 1),
        ),
    )
    assert task.term == 1 and task.status == TaskStatus.NOT_STARTED
    done = mark_done(profile_db, task.id, date(2025, 11, 28), "新課程代碼已核發")
    assert done.status == TaskStatus.DONE and done.done_on == date(2025, 11, 28) and done.note == "新課程代碼已核發"
    assert done.done_on_time is True
    assert set_status(profile_db, task.id, "不適用").done_on is None
    with pytest.raises(ServiceError, match=r"開始日.*晚於截止日"):
        add_task(
            profile_db,
            TaskInput(year=114, work="x", start_date=date(2025, 10, 2), due_date=date(2025, 10, 1)),
        )
    with pytest.raises(ServiceError, match=r"完成日期.*在未來"):
        mark_done(profile_db, task.id, date.today() + timedelta(days=30))
    delete_task(profile_db, task.id)
    assert list_tasks(profile_db, 114) == []
    actions = [e.action for e in list_entries(profile_db, entity="calendar_task")]
    assert actions[:4] == [
        "calendar.task.delete",
        "calendar.task.status",
        "calendar.task.done",
        "calendar.task.add",
    ]


def test_official_deadline_with_doc_no_and_onto_a_waiting_task(profile_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(profile_db, 114)
    official = add_official(
        profile_db,
        OfficialInput(
            year=114,
            title="預檢名冊提交至中央資料庫",
            start_date=date(2025, 9, 11),
            due_date=date(2025, 11, 10),
            doc_no="臺教國署高字第1120113411號",
            rosters="預檢_修課紀錄名冊",
        ),
    )
    assert official.is_official and official.doc_no == "臺教國署高字第1120113411號"
    items = {i.key: i for i in deadline_items(profile_db, 114, today=date(2025, 11, 5))}
    item = items[f"task:{official.id}"]
    assert item.kind == "official" and item.state == "due-soon" and item.rosters == "預檢_修課紀錄名冊"

    waiting = _by_key(profile_db, 114)["submit@1"]
    applied = add_official(
        profile_db,
        OfficialInput(
            year=114,
            title="提交",
            due_date=date(2025, 12, 31),
            doc_no="臺教國署高字第1120106017號",
            apply_to_task_id=waiting.id,
        ),
    )
    assert applied.id == waiting.id and applied.due_date == date(2025, 12, 31) and applied.is_official
    assert len(list_tasks(profile_db, 114)) == 31  # one new official item, the waiting task filled in
    with pytest.raises(ServiceError, match="文號"):
        add_official(
            profile_db, OfficialInput(year=114, title="x", due_date=date(2025, 12, 1), doc_no="第12號公文")
        )


def _add_run(db, run_at: datetime, year: int, term: int) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        s.add(
            PrecheckRun(
                run_at=run_at,
                os_user="t",
                year=year,
                term=term,
                kind="pre",
                division="day",
                file_name="預檢_修課紀錄名冊.xlsx",
                sha256="0" * 64,
            )
        )


def test_data_driven_deadlines_flip_to_done_when_the_record_appears(profile_db) -> None:  # type: ignore[no-untyped-def]
    today = date(2025, 10, 15)
    items = {i.key: i for i in deadline_items(profile_db, 114, today=today)}
    # not planned yet: the data deadlines exist anyway
    assert items["precheck:114-1"].state == "overdue" and items["precheck:114-1"].due_date == date(
        2025, 9, 29
    )
    assert items["meeting:114-1"].state == "open"
    _add_run(profile_db, datetime(2025, 9, 20, 10, 0), 114, 1)
    add_meeting(profile_db, MeetingInput(held_on=date(2025, 10, 1), title="114-1 工作小組會議"))
    items = {i.key: i for i in deadline_items(profile_db, 114, today=today)}
    assert items["precheck:114-1"].state == "done" and items["precheck:114-1"].on_time is True
    assert items["meeting:114-1"].state == "done" and items["meeting:114-1"].done_on == date(2025, 10, 1)
    assert items["meeting:114-2"].state == "open"

    # once planned, the template's tasks carry the data status (no duplicate items)
    plan_year(profile_db, 114)
    items = deadline_items(profile_db, 114, today=today)
    assert not any(i.key.startswith(("precheck:", "meeting:")) for i in items)
    tasks = _by_key(profile_db, 114)
    assert tasks["precheck-first@1"].status == TaskStatus.DONE and tasks["precheck-first@1"].done_by_data
    assert tasks["precheck-first@1"].done_on_time is True
    assert tasks["wg-meeting@1"].status == TaskStatus.DONE
    assert tasks["precheck-first@2"].status == TaskStatus.NOT_STARTED
    _add_run(profile_db, datetime(2026, 3, 20, 9, 0), 114, 2)  # after 開學日 + 28 days: done, late
    late = {i.key: i for i in deadline_items(profile_db, 114, today=date(2026, 3, 25))}
    second = late[f"task:{tasks['precheck-first@2'].id}"]
    assert second.state == "done" and second.on_time is False and second.warnings


def test_receipt_batch_period_is_a_dated_item(profile_db) -> None:  # type: ignore[no-untyped-def]
    with profile_db.transaction() as s:
        s.add(
            ReceiptBatch(
                name="114-1 第1梯次",
                year=114,
                term=1,
                imported_at=datetime(2025, 10, 1),
                period_start=date(2025, 10, 6),
                period_end=date(2025, 10, 7),
                deadline=date(2025, 10, 31),
                deadline_doc_no="臺教國署高字第1120106017號",
            )
        )
    items = [i for i in deadline_items(profile_db, 114, today=date(2025, 10, 3)) if i.source == "receipts"]
    assert len(items) == 1
    item = items[0]
    assert (item.start_date, item.due_date, item.state) == (date(2025, 10, 6), date(2025, 10, 7), "due-soon")
    assert item.doc_no == "臺教國署高字第1120106017號"
    assert any("不得少於 3 天" in w for w in item.warnings)
    after = [i for i in deadline_items(profile_db, 114, today=date(2025, 10, 9)) if i.source == "receipts"]
    assert after[0].state == "done"


def test_due_items_lists_overdue_and_upcoming(profile_db) -> None:  # type: ignore[no-untyped-def]
    plan_year(profile_db, 114)
    due = due_items(profile_db, days=7, today=date(2025, 9, 10))
    states = {i.title: i.state for i in due}
    assert states["系統維護"] == "overdue"  # 開學前: due 2025-08-31
    assert states["操作訓練"] == "due-soon"  # 開學初: due 2025-09-14
    assert all(i.state in ("overdue", "due-soon") for i in due)


def test_planning_without_term_dates_says_what_to_do(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="開學日尚未設定"):
        plan_year(db, 114)
