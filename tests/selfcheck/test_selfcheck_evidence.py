"""Each evidence rule on a database where it holds and on one where it does not (real SQLite);
the pre-check evidence lists error codes, not warnings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.demo import build_demo_database
from desktop_app.demo.working_group import DEMO_MEMBERS
from desktop_app.domain.receipts import ObjectionStatus
from desktop_app.domain.roc_date import Term
from desktop_app.services.profile import set_term_dates
from desktop_app.services.selfcheck_evidence import FAILS, HOLDS, NO_DATA, evaluate, evaluate_all
from desktop_app.services.working_group import (
    MeetingInput,
    MemberInput,
    RegulationInput,
    add_meeting,
    add_member,
    add_regulation,
)
from desktop_app.storage.db import Database
from desktop_app.storage.migrate import open_database
from desktop_app.storage.models import CalendarTask, Objection, PrecheckRun, ReceiptBatch, Student

TERM = Term(113, 1)  # 開學 113/08/30, 休業式 114/01/20 (set in _seed)
TODAY = date(2025, 3, 1)  # the 學期 is over


def _task(
    work: str, due: date, status: str, done: date | None, content: str = "", term: int | None = 1
) -> dict:
    return {
        "year": 113,
        "term": term,
        "item": "",
        "work": work,
        "content": content,
        "timing": "",
        "owners": "",
        "due_date": due,
        "status": status,
        "done_on": done,
        "note": "",
        "is_official": False,
        "doc_no": "",
        "template_key": "",
        "sort_order": 0,
    }


def _run(run_at: datetime, errors: int, status: str = "ok") -> PrecheckRun:
    return PrecheckRun(
        run_at=run_at,
        os_user="t",
        year=113,
        term=1,
        kind="pre",
        division="day",
        file_name="預檢_修課紀錄名冊.xlsx",
        file_size=1,
        sha256="0" * 64,
        counts_json=f'{{"R08": {errors}}}' if errors else "{}",
        error_count=errors,
        warning_count=2,
        seconds=1.0,
        status=status,
    )


def _batch(start: date, end: date, deadline: date | None) -> ReceiptBatch:
    return ReceiptBatch(
        name="112-2 收訖明細",
        year=112,
        term=2,
        imported_at=datetime(2024, 9, 30, 9, 0),
        period_start=start,
        period_end=end,
        deadline=deadline,
    )


def _seed(db: Database, good: bool) -> None:
    from sqlalchemy import insert

    from desktop_app.demo import core

    core.seed(db)
    set_term_dates(db, 113, 1, date(2024, 8, 30), date(2025, 1, 20))  # the dates the rules below count from
    with db.transaction() as s:
        s.execute(
            insert(CalendarTask),
            [
                _task("新生宣導", date(2024, 9, 10), "完成", date(2024, 9, 5) if good else date(2024, 9, 20)),
                _task(
                    "系統操作訓練",
                    date(2024, 10, 1),
                    "完成",
                    date(2024, 9, 30) if good else date(2024, 10, 8),
                ),
                _task(
                    "成果發表",
                    date(2025, 1, 10),
                    "完成" if good else "未開始",
                    date(2025, 1, 8) if good else None,
                ),
                _task(
                    "系統維護（資料介接）",
                    date(2024, 8, 25),
                    "完成" if good else "進行中",
                    date(2024, 8, 20) if good else None,
                ),
                _task("教師認證課程學習成果", date(2025, 1, 25) if good else None, "完成", date(2025, 1, 20)),
                _task(
                    "學生上傳課程學習成果",
                    date(2025, 2, 10) if good else date(2025, 1, 25),
                    "完成",
                    date(2025, 1, 25) if good else date(2025, 1, 28),
                    term=1,
                ),
                _task(
                    "預檢名冊提交",
                    date(2024, 11, 10),
                    "完成",
                    date(2024, 11, 1) if good else date(2024, 11, 12),
                ),
            ],
        )
        s.add(_run(datetime(2024, 9, 20, 10, 0) if good else datetime(2024, 10, 3, 10, 0), 12))
        s.add(_run(datetime(2024, 10, 15, 10, 0), 0 if good else 3))
        s.add(_run(datetime(2024, 9, 1, 10, 0), 0, status="failed"))  # unreadable file: compares nothing
        batch = _batch(
            date(2024, 10, 1),
            date(2024, 10, 4) if good else date(2024, 10, 2),
            date(2024, 10, 31) if good else date(2024, 10, 1),
        )
        s.add(batch)
        student = Student(national_id="A123456789", name="王小明")
        s.add(student)
        s.flush()
        s.add(
            Objection(
                batch_id=batch.id,
                student_id=student.id,
                category="修課紀錄",
                received_on=date(2024, 10, 2),
                status=ObjectionStatus.CORRECTED,
            )
        )
        s.add(
            Objection(
                batch_id=batch.id,
                student_id=student.id,
                category="多元表現",
                received_on=date(2024, 10, 2),
                status=ObjectionStatus.NO_ERROR if good else ObjectionStatus.IN_PROGRESS,
            )
        )


def _seed_working_group(db: Database, good: bool) -> None:
    members = [m for m in DEMO_MEMBERS if good or m[1] not in ("學生代表", "進修部代表")]
    for name, seat, title, unit in members:
        if not good and seat == "召集人":
            name, title = "陳美玲", "教務主任"  # the convener must be the principal 林志明
        add_member(db, MemberInput(113, name, seat, title, unit))
    held_on = date(2024, 9, 10) if good else date(2025, 3, 5)  # bad: only a meeting in 113-2
    agenda = "一、任務分工\n二、本學年度作業期程\n三、上學期評核管考" if good else ""
    add_meeting(db, MeetingInput(held_on=held_on, title="學習歷程檔案工作小組會議", agenda=agenda))
    add_regulation(
        db,
        RegulationInput(
            version="113年9月修正",
            drafted_on=date(2024, 9, 5),
            passed_on=date(2024, 9, 26) if good else None,
            meeting_name="113學年度第1學期第1次校務會議" if good else "",
            announced_on=date(2024, 10, 1),
            url="https://www.example.edu.tw/rules" if good else "",
            covers=(True, True, True, True) if good else (True, False, True, False),
        ),
    )


def _open(path: Path, good: bool) -> Database:
    db = open_database(path, backup=None)
    _seed(db, good)
    _seed_working_group(db, good)
    return db


@pytest.fixture
def good_db(tmp_path: Path) -> Iterator[Database]:
    db = _open(tmp_path / "good.sqlite3", True)
    yield db
    db.close()


@pytest.fixture
def bad_db(tmp_path: Path) -> Iterator[Database]:
    db = _open(tmp_path / "bad.sqlite3", False)
    yield db
    db.close()


WG_RULES = [
    "wg_convener",
    "wg_composition",
    "wg_meeting_this_term",
    "regulation_complete",
    "regulation_passed",
    "regulation_published",
    "regulation_covers_data_building",
    "regulation_covers_evaluation",
]
NON_WG_RULES = [
    "tasks_on_time",
    "calendar_outreach_done",
    "calendar_training_done",
    "calendar_maintenance_done",
    "calendar_upload_done",
    "calendar_sharing_done",
    "calendar_submission_on_time",
    "certification_deadline_set",
    "upload_deadline_after_closing",
    "precheck_first_within_4_weeks",
    "precheck_latest_clean",
    "receipts_within_deadline",
    "receipts_period_min_3_days",
    "receipts_objections_closed",
]


@pytest.mark.parametrize("rule", WG_RULES + NON_WG_RULES)
def test_rule_holds_on_the_good_database_and_not_on_the_bad_one(
    rule: str, good_db: Database, bad_db: Database
) -> None:
    good = evaluate(good_db, TERM, rule, today=TODAY)
    bad = evaluate(bad_db, TERM, rule, today=TODAY)
    assert good.status == HOLDS, good
    assert bad.status == FAILS, bad
    assert good.summary and bad.summary
    assert good.links and bad.links
    assert {link.tab_key for link in good.links} <= {"working_group", "calendar", "precheck", "receipts"}


def test_rules_without_data_say_so(profile_db: Database) -> None:
    findings = {f.rule: f for f in evaluate_all(profile_db, TERM, today=TODAY)}
    for rule in [
        *NON_WG_RULES,
        "receipts_batch_imported",
        "calendar_training_done",
        "calendar_maintenance_done",
    ]:
        assert findings[rule].status == NO_DATA, rule
    assert "沒有" in findings["precheck_latest_clean"].summary
    assert "期限已過" in findings["precheck_first_within_4_weeks"].summary


def test_precheck_deadline_counts_from_the_school_opening_day(good_db: Database) -> None:
    finding = evaluate(good_db, TERM, "precheck_first_within_4_weeks", today=TODAY)
    assert "開學日 113/08/30" in finding.details[0]
    assert "113/09/27" in finding.details[0]  # 開學日 + 28 days
    assert finding.links[0].tab_key == "precheck"
    assert isinstance(finding.links[0].record, int)  # the run id the precheck tab selects


def test_no_opening_day_means_no_data(db: Database) -> None:
    with db.transaction() as s:
        s.add(_run(datetime(2024, 9, 20, 10, 0), 0))
    finding = evaluate(db, TERM, "precheck_first_within_4_weeks", today=TODAY)
    assert finding.status == NO_DATA
    assert "開學日" in finding.summary


def test_partial_findings_suggest_partly(bad_db: Database) -> None:
    finding = evaluate(bad_db, TERM, "receipts_objections_closed", today=TODAY)
    assert finding.partial  # one of two objections closed
    assert finding.status_label == "部分符合"
    tasks = evaluate(bad_db, TERM, "tasks_on_time", today=TODAY)
    assert tasks.status == FAILS and tasks.partial


def test_receipt_batches_belong_to_the_term_their_period_starts_in(good_db: Database) -> None:
    assert evaluate(good_db, TERM, "receipts_batch_imported", today=TODAY).status == HOLDS
    assert evaluate(good_db, TERM.next(), "receipts_batch_imported", today=TODAY).status == NO_DATA


def test_working_group_findings_name_what_is_missing(bad_db: Database) -> None:
    composition = evaluate(bad_db, TERM, "wg_composition", today=TODAY)
    assert "學生代表" in composition.summary and "進修部代表" in composition.summary
    assert composition.links[0].record == ("members", 113)
    convener = evaluate(bad_db, TERM, "wg_convener", today=TODAY)
    assert any("林志明" in d for d in convener.details)
    complete = evaluate(bad_db, TERM, "regulation_complete", today=TODAY)
    assert complete.partial and len(complete.details) == 2
    assert complete.links[0].record[0] == "regulation"
    published = evaluate(bad_db, TERM, "regulation_published", today=TODAY)
    assert published.partial and "網址" in published.summary
    # the regulation's covered parts still hold on the bad database
    assert evaluate(bad_db, TERM, "regulation_covers_composition", today=TODAY).status == HOLDS


def test_meeting_rule_waits_while_the_term_is_running(good_db: Database) -> None:
    running = Term(113, 2)
    finding = evaluate(good_db, running, "wg_meeting_this_term", today=date(2025, 2, 20))
    assert finding.status == NO_DATA and "學期至" in finding.summary
    assert evaluate(good_db, running, "wg_meeting_this_term", today=date(2025, 8, 5)).status == FAILS
    held = evaluate(good_db, TERM, "wg_meeting_this_term", today=TODAY)
    assert held.links[0].record[0] == "meeting"


def test_working_group_rules_without_records_say_so(profile_db: Database) -> None:
    findings = {f.rule: f for f in evaluate_all(profile_db, TERM, today=TODAY)}
    for rule in ("wg_convener", "wg_composition", "regulation_complete", "regulation_passed"):
        assert findings[rule].status == NO_DATA, rule


def test_meeting_topics_follow_the_agenda_and_minutes(good_db: Database, profile_db: Database) -> None:
    finding = evaluate(good_db, TERM, "wg_meeting_topics", today=TODAY)
    assert finding.status == HOLDS and finding.links
    assert evaluate(profile_db, TERM, "wg_meeting_topics", today=TODAY).status == NO_DATA
    add_meeting(
        profile_db, MeetingInput(held_on=date(2024, 9, 12), title="工作小組會議", agenda="一、作業期程")
    )
    partial = evaluate(profile_db, TERM, "wg_meeting_topics", today=TODAY)
    assert partial.status == FAILS and partial.partial
    assert (
        "任務分工" in partial.summary and "評核管考" in partial.summary and "作業期程" not in partial.summary
    )
    add_meeting(
        profile_db,
        MeetingInput(
            held_on=date(2024, 11, 12), title="工作小組會議", minutes="決議：任務分工、評核管考照案通過"
        ),
    )
    assert evaluate(profile_db, TERM, "wg_meeting_topics", today=TODAY).status == HOLDS


def test_evidence_lists_the_error_codes_not_the_warnings(tmp_path: Path) -> None:
    from desktop_app.domain.precheck.rules import RULES
    from desktop_app.domain.roc_date import term_of
    from desktop_app.services.precheck import runs as svc
    from desktop_app.services.selfcheck_evidence import check_precheck_latest_clean

    db = build_demo_database(tmp_path / "demo")
    try:
        latest = svc.list_runs(db)[-1]
        finding = check_precheck_latest_clean(db, term_of(latest.run_at.date()), latest.run_at.date())
        assert f"仍有 {latest.error_count} 筆錯誤" in finding.summary
        listed = [line.split("：")[0] for line in finding.details]
        assert listed and all(RULES[code].severity == "error" for code in listed)
        errors = {c: n for c, n in latest.counts.items() if RULES[c].severity == "error"}
        assert sum(errors.values()) == latest.error_count
        assert set(listed) == set(errors)  # O01/W01 (warnings) are not listed as errors
    finally:
        db.close()
