"""Timing words → dates, the shipped template, deadline states (pure rules)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from desktop_app.domain.calendar import (
    TemplateError,
    TermAnchors,
    TimingRule,
    deadline_state,
    first_precheck_deadline,
    parse_template,
    plan_tasks,
    resolve_timing,
    split_owners,
    upload_deadline_floor,
)
from desktop_app.resources import resource_path


@pytest.fixture(scope="module")
def template():  # type: ignore[no-untyped-def]
    return parse_template(yaml.safe_load(resource_path("task_template.yaml").read_text(encoding="utf-8")))


# 114 學年度: 第1學期 starts Monday 2025-09-01; 第2學期 starts Wednesday 2026-02-11 (mid-week)
TERM1 = TermAnchors(114, 1, date(2025, 9, 1), date(2026, 1, 20))
TERM2 = TermAnchors(114, 2, date(2026, 2, 11), date(2026, 6, 30))


def test_shipped_template_holds_the_guideline_table(template) -> None:  # type: ignore[no-untyped-def]
    items = {t.item for t in template.tasks}
    assert items == {"一 行政規劃", "二 研習規劃", "三 平台規劃"}
    works = {t.work for t in template.tasks}
    for work in (
        "工作小組會議",
        "宣導說明",
        "操作訓練",
        "操作訓練(研習指導)",
        "發表分享",
        "上傳/認證",
        "勾選/提交",
        "系統維護",
    ):
        assert work in works
    words = {t.word for t in template.timings}
    for word in (
        "開學前(或學期末)",
        "開學初",
        "學期中",
        "學期初或學期末",
        "選課前",
        "課諮後",
        "依國教署公告時間",
    ):
        assert word in words
    assert all(t.owners for t in template.tasks)
    sources = {t.key: t.source for t in template.tasks if t.source}
    assert sources == {"wg-meeting": "meeting", "precheck-first": "precheck"}


def test_template_table_rows_match_the_guideline_and_the_split_tasks() -> None:
    """The `table` section quotes guideline §3 row by row; its split tasks join back to each row."""
    data = yaml.safe_load(resource_path("task_template.yaml").read_text(encoding="utf-8"))
    tasks = {t["key"]: t for t in data["tasks"]}
    rows = [(r["item"], r["work"], r["content"], r["timing"], r["owners"]) for r in data["table"]]
    assert rows == [
        ("一 行政規劃", "工作小組會議", "任務分工、作業期程、評核管考", "每學期", "工作小組"),
        ("二 研習規劃", "宣導說明", "新生宣導(新生始業輔導)、家長宣導(親職座談)、師生說明", "學期中",
         "教務處、輔導室(課諮師)"),
        ("二 研習規劃", "操作訓練", "系統操作、檔案實務", "開學初、學期中", "網管人員、教務處(進修部)"),
        ("二 研習規劃", "操作訓練(研習指導)", "選課輔導、課程成果、多元表現", "選課前、學期中、學期中",
         "課諮師、教務處、學務處"),
        ("二 研習規劃", "發表分享", "成果發表、回饋指導", "學期初或學期末", "教務處、輔導室(進修部)"),
        ("三 平台規劃", "上傳/認證", "課諮紀錄、學籍資料、修課紀錄、課程成果、多元表現", "課諮後、學期中、學期中",
         "課諮師、教學組、學務處"),
        ("三 平台規劃", "勾選/提交", "收訖明細、檔案提交", "依國教署公告時間", "教務處(進修部)"),
        ("三 平台規劃", "系統維護", "校務行政系統學習歷程模組、資料介接(學籍資料、修課成績、課程計畫)",
         "開學前(或學期末)", "網管人員、註冊組、教學組(進修部)"),
    ]
    for row in data["table"]:
        split = [tasks[k] for k in row["tasks"]]
        assert {(t["item"], t["work"]) for t in split} == {(row["item"], row["work"])}
        assert "、".join(t["content"] for t in split) == row["content"]
        assert "、".join(t["owners"] for t in split) == row["owners"]
        timings = row["timing"].split("、")
        assert [t["timing"] for t in split] == (timings if len(split) > 1 else [row["timing"]])


@pytest.mark.parametrize("anchors", [TERM1, TERM2], ids=["term1-monday", "term2-wednesday"])
def test_timing_words_to_dates_in_both_terms(template, anchors) -> None:  # type: ignore[no-untyped-def]
    rules = template.timing_map()
    s, e = anchors.start, anchors.end
    assert resolve_timing(rules["開學初"], anchors) == (s, s + timedelta(days=13))
    assert resolve_timing(rules["開學後4週內"], anchors) == (s, s + timedelta(days=28))
    assert resolve_timing(rules["開學前(或學期末)"], anchors) == (
        s - timedelta(days=21),
        s - timedelta(days=1),
    )
    assert resolve_timing(rules["學期中"], anchors) == (s + timedelta(days=14), e - timedelta(days=21))
    assert resolve_timing(rules["每學期"], anchors) == (s, e)
    assert resolve_timing(rules["依國教署公告時間"], anchors) == (None, None)
    start, due = resolve_timing(rules["休業式後2週"], anchors)
    assert start == e and due == upload_deadline_floor(e) == e + timedelta(days=14)
    for word in ("學期初或學期末", "選課前", "課諮後"):
        start, due = resolve_timing(rules[word], anchors)
        assert start is not None and due is not None and s <= start <= due <= e


def test_mid_week_start_counts_calendar_days_not_weeks() -> None:
    # 開學 on a Wednesday: 開學初 ends on the Tuesday 13 days later, the comparison 4 weeks later
    assert TERM2.start.weekday() == 2
    rule = TimingRule("開學初", "start", 0, "start", 13)
    assert resolve_timing(rule, TERM2) == (date(2026, 2, 11), date(2026, 2, 24))
    assert first_precheck_deadline(TERM2.start) == date(2026, 3, 11)
    assert first_precheck_deadline(TERM1.start) == date(2025, 9, 29)


def test_missing_closing_day_assumes_twenty_weeks() -> None:
    anchors = TermAnchors(114, 1, date(2025, 9, 1), None)
    rule = TimingRule("每學期", "start", 0, "end", 0)
    assert resolve_timing(rule, anchors) == (date(2025, 9, 1), date(2025, 9, 1) + timedelta(weeks=20))


def test_plan_tasks_makes_one_task_per_row_and_term(template) -> None:  # type: ignore[no-untyped-def]
    planned = plan_tasks(template, template.timing_map(), [TERM1, TERM2])
    assert len(planned) == 2 * len(template.tasks)
    keys = [p.template_key for p in planned]
    assert len(set(keys)) == len(keys)
    precheck = {p.term: p for p in planned if p.source == "precheck"}
    assert precheck[1].due_date == date(2025, 9, 29)
    assert precheck[2].due_date == date(2026, 3, 11)
    submit = [p for p in planned if p.timing == "依國教署公告時間"]
    assert submit and all(p.due_date is None and p.start_date is None for p in submit)


def test_template_errors_say_where() -> None:
    with pytest.raises(TemplateError, match=r"tasks 第 1 筆.*時程「下學期」"):
        parse_template(
            {
                "timings": [
                    {
                        "word": "開學初",
                        "start": {"anchor": "start", "days": 0},
                        "due": {"anchor": "start", "days": 13},
                    }
                ],
                "tasks": [{"key": "a", "item": "一", "work": "x", "timing": "下學期"}],
            }
        )
    with pytest.raises(TemplateError, match="anchor「middle」"):
        parse_template({"timings": [{"word": "w", "start": {"anchor": "middle"}, "due": {"anchor": "end"}}]})


def test_deadline_states() -> None:
    today = date(2025, 9, 10)
    assert deadline_state(done=False, not_applicable=False, due=date(2025, 9, 9), today=today) == "overdue"
    assert deadline_state(done=False, not_applicable=False, due=today, today=today) == "due-soon"
    assert deadline_state(done=False, not_applicable=False, due=date(2025, 9, 17), today=today) == "due-soon"
    assert deadline_state(done=False, not_applicable=False, due=date(2025, 9, 18), today=today) == "open"
    assert deadline_state(done=True, not_applicable=False, due=date(2025, 9, 1), today=today) == "done"
    assert deadline_state(done=False, not_applicable=True, due=date(2025, 9, 1), today=today) == "n/a"
    assert deadline_state(done=False, not_applicable=False, due=None, today=today) == "open"


def test_split_owners() -> None:
    assert split_owners("教務處、輔導室(課諮師)，學務處, 教務處") == ["教務處", "輔導室(課諮師)", "學務處"]


def test_task_status_codes_and_their_labels_in_one_place() -> None:
    from desktop_app.domain.calendar import TASK_STATUS_LABELS, TaskStatus

    assert [(s.value, s.label) for s in TaskStatus] == [
        ("todo", "未開始"),
        ("doing", "進行中"),
        ("done", "完成"),
        ("na", "不適用"),
    ]
    assert set(TASK_STATUS_LABELS) == set(TaskStatus)
    # typed input says the label or the code: both name the same status
    for status in TaskStatus:
        assert TaskStatus.parse(status.label) is status and TaskStatus.parse(f" {status.value} ") is status
    with pytest.raises(ValueError, match="狀態「已完成」應為 未開始、進行中、完成、不適用 之一"):
        TaskStatus.parse("已完成")


def test_set_status_takes_a_label_or_a_code_and_stores_the_code(profile_db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.domain.calendar import TaskStatus
    from desktop_app.domain.errors import ServiceError
    from desktop_app.services.audit import list_entries
    from desktop_app.services.calendar.tasks import TaskInput, add_task, set_status
    from desktop_app.storage.models import CalendarTask

    task = add_task(profile_db, TaskInput(year=114, work="說明會", status="進行中"))
    assert task.status is TaskStatus.IN_PROGRESS
    assert set_status(profile_db, task.id, "na").status is TaskStatus.NOT_APPLICABLE
    assert set_status(profile_db, task.id, "未開始").status is TaskStatus.NOT_STARTED
    with profile_db.read() as s:
        assert s.get(CalendarTask, task.id).status == "todo"
    with pytest.raises(ServiceError, match="狀態「x」"):
        set_status(profile_db, task.id, "x")
    # the audit log keeps speaking the words the user saw
    entry = list_entries(profile_db, entity="calendar_task")[0]
    assert entry.summary == "工作「說明會」狀態：不適用 → 未開始"
