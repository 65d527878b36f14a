"""Receipt import (mapping, dry run, one transaction), period rule, deemed confirmation, scans,
objections, progress, slips data (the demo's of each term) and reminders."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.demo import build_demo_database
from desktop_app.domain.progress import Cancelled
from desktop_app.domain.receipts import (
    CONFIRMED,
    DEEMED,
    EXEMPT,
    OBJECTION,
    TOTAL_CLASS,
    UNCONFIRMED,
    ObjectionStatus,
)
from desktop_app.exports.slips_model import slip_code
from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.receipts.batches import get_batch, set_period
from desktop_app.services.receipts.confirmation import (
    apply_deemed,
    batch_progress,
    deemed_preview,
    list_student_statuses,
    set_confirmation,
    set_exemptions,
)
from desktop_app.services.receipts.importing import dry_run_receipts, import_receipts
from desktop_app.services.receipts.mapping import guess_mapping, suggest_mapping
from desktop_app.services.receipts.objections import list_objections, open_objection, update_objection
from desktop_app.services.receipts.reading import read_receipt_file
from desktop_app.services.receipts.slips import (
    SCAN_ALREADY,
    SCAN_OK,
    SCAN_OTHER_BATCH,
    SCAN_UNKNOWN,
    reminder_lines,
    scan_slip,
    slip_batch,
)
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.models import Confirmation, ReceiptBatch, ReceiptItem

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"
TODAY = date(2024, 10, 14)


@pytest.fixture
def students_db(profile_db):  # type: ignore[no-untyped-def]
    import_students(profile_db, DATA / "students.csv")
    return profile_db


def _import(db, **kw):  # type: ignore[no-untyped-def]
    args = {
        "name": "113-1 收訖明細",
        "start": "113/10/15",
        "end": "113/10/17",
        "deadline": "113/10/25",
        "today": TODAY,
    }
    args.update(kw)
    return import_receipts(db, DATA / "receipts_style_a.xlsx", **args)


def _counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (ReceiptBatch, ReceiptItem, Confirmation)
        )  # type: ignore[return-value]


@pytest.mark.parametrize("name", ["receipts_style_a.xlsx", "receipts_style_b.csv"])
def test_mapping_guess_on_both_header_styles(name: str) -> None:
    rf = read_receipt_file(DATA / name)
    mapping = guess_mapping(rf.headers)
    named = {f: rf.headers[i] for f, i in mapping.items()}
    if name.endswith("xlsx"):
        assert rf.header_row == 2  # the title row is skipped
        assert named["national_id"] == "身分證號" and named["category"] == "資料類別"
        assert named["title"] == "名稱" and named["credits"] == "學分" and named["year"] == "學年度"
    else:
        assert named["national_id"] == "身分證統一編號" and named["category"] == "項目"
        assert named["title"] == "課程名稱" and named["credits"] == "學分數" and named["term"] == "學期別"
        assert named["birth_date"] == "生日" and named["name"] == "學生姓名"


def test_dry_run_reports_unknown_ids_and_counts(students_db) -> None:  # type: ignore[no-untyped-def]
    rf = read_receipt_file(DATA / "receipts_style_a.xlsx")
    dry = dry_run_receipts(students_db, rf, guess_mapping(rf.headers))
    assert dry.ok and dry.total_rows == 12 and dry.matched_rows == 11 and dry.matched_students == 6
    assert [(u.row, u.name) for u in dry.unknown] == [(14, "查無此人")]
    assert dry.unknown[0].masked_id.endswith("****")
    assert dry.per_category == {"修課紀錄": 7, "幹部經歷": 1, "課程學習成果": 1, "多元表現": 2}
    assert (dry.year, dry.term) == (113, 1)
    assert _counts(students_db) == (0, 0, 0)


def test_import_writes_one_batch_and_remembers_mapping(students_db) -> None:  # type: ignore[no-untyped-def]
    rf = read_receipt_file(DATA / "receipts_style_b.csv")
    guess = suggest_mapping(students_db, rf)
    assert not guess.remembered
    custom = dict(guess.mapping)
    custom.pop("detail", None)  # the user changes the guess: no 說明 column
    result = import_receipts(
        students_db, rf, name="B", start="113年10月15日", end="1131017", mapping=custom, today=TODAY
    )
    assert _counts(students_db) == (1, 11, 10)
    info = get_batch(students_db, result.batch_id)
    assert info.file_name == "receipts_style_b.csv" and len(info.sha256) == 64
    assert (info.period_start, info.period_end, info.year, info.term) == (
        date(2024, 10, 15),
        date(2024, 10, 17),
        113,
        1,
    )
    again = suggest_mapping(students_db, read_receipt_file(DATA / "receipts_style_b.csv"))
    assert again.remembered and again.mapping == custom


def test_failed_import_leaves_database_unchanged(students_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="第 4 列資料類別「體育成績」"):
        import_receipts(
            students_db,
            DATA / "receipts_bad_category.csv",
            name="x",
            start="113/10/15",
            end="113/10/17",
            today=TODAY,
        )
    assert _counts(students_db) == (0, 0, 0)

    def cancel_midway(done: int, total: int) -> None:
        raise Cancelled()

    before = len(list_entries(students_db))
    with pytest.raises(Cancelled):
        _import(students_db, progress=cancel_midway)
    assert _counts(students_db) == (0, 0, 0)
    assert len(list_entries(students_db)) == before


def test_period_rule(students_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match=r"不得少於 3 日.*開始日與結束日都算，至少 3 天"):
        _import(students_db, start="113/10/15", end="113/10/16")
    assert _counts(students_db) == (0, 0, 0)
    result = _import(students_db, start="113/10/15", end="113/10/17")
    assert result.warnings == ()
    warnings = set_period(
        students_db,
        result.batch_id,
        start="113年10月20日",
        end="113/10/30",
        deadline="113/10/25",
        today=TODAY,
    )
    assert any("晚於國教署期限" in w for w in warnings)
    past = set_period(students_db, result.batch_id, start="113/09/01", end="113/09/03", today=TODAY)
    assert any("之前" in w for w in past)
    with pytest.raises(ServiceError, match="只有 2 日"):
        set_period(students_db, result.batch_id, start="2024-10-15", end="2024-10-16", today=TODAY)
    assert get_batch(students_db, result.batch_id).period_end == date(2024, 9, 3)


def test_exemptions_and_deemed_confirmation(students_db) -> None:  # type: ignore[no-untyped-def]
    batch_id = _import(students_db, exemptions=[("修課紀錄", "graduated")]).batch_id
    statuses = {s.student_no: s.statuses for s in list_student_statuses(students_db, batch_id)}
    assert statuses["110001"]["修課紀錄"] == EXEMPT and statuses["110004"]["修課紀錄"] == UNCONFIRMED
    assert set_exemptions(students_db, batch_id, []) == 3  # 3 graduated students back to 未確認
    set_exemptions(students_db, batch_id, [("修課紀錄", "graduated")])
    ids = {s.student_no: s.student_id for s in list_student_statuses(students_db, batch_id)}
    set_confirmation(students_db, batch_id, ids["110004"], "修課紀錄", CONFIRMED)
    preview = deemed_preview(students_db, batch_id)
    assert ("110004", "修課紀錄") not in {
        (s, r.category) for r in preview for s in ids if ids[s] == r.student_id
    }
    assert len(preview) == 6  # 11 pairs - 3 exempt - 1 confirmed - ... per the file
    with pytest.raises(ServiceError, match="才結束"):
        apply_deemed(students_db, batch_id, today=date(2024, 10, 17))
    assert apply_deemed(students_db, batch_id, today=date(2024, 10, 18)) == len(preview)
    after = list_student_statuses(students_db, batch_id)
    assert sum(1 for s in after for v in s.statuses.values() if v == DEEMED) == len(preview)
    entry = next(e for e in list_entries(students_db) if e.action == "receipts.deemed")
    assert "113/10/18" in entry.summary and get_batch(students_db, batch_id).deemed_confirmed_at is not None


def test_scan_outcomes(students_db) -> None:  # type: ignore[no-untyped-def]
    batch_id = _import(students_db).batch_id
    other_id = _import(students_db, name="另一批").batch_id
    sid = list_student_statuses(students_db, batch_id)[0].student_id
    first = scan_slip(students_db, batch_id, slip_code(batch_id, sid))
    assert first.outcome == SCAN_OK and first.student and first.student.returned_at
    assert scan_slip(students_db, batch_id, slip_code(batch_id, sid)).outcome == SCAN_ALREADY
    assert scan_slip(students_db, batch_id, slip_code(other_id, sid)).outcome == SCAN_OTHER_BATCH
    assert scan_slip(students_db, batch_id, "hello").outcome == SCAN_UNKNOWN
    assert scan_slip(students_db, batch_id, slip_code(batch_id, 99999)).outcome == SCAN_UNKNOWN


def test_objection_lifecycle_and_refusal_after_period(students_db) -> None:  # type: ignore[no-untyped-def]
    batch_id = _import(students_db).batch_id
    sid = next(s.student_id for s in list_student_statuses(students_db, batch_id) if s.student_no == "110001")
    o = open_objection(
        students_db, batch_id, sid, "多元表現", items="全國科展佳作", statement="名次應為第三名",
        received_on="113/10/16", today=date(2024, 10, 16),
    )  # fmt: skip
    assert (o.status, o.office, o.days_open) == (ObjectionStatus.RECEIVED, "學務處", 0)
    assert o.status.label == "受理"
    assert list_student_statuses(students_db, batch_id, student_id=sid)[0].status("多元表現") == OBJECTION
    late = list_objections(students_db, batch_id, today=date(2024, 10, 21))[0]
    assert late.days_open == 5 and late.overdue
    update_objection(students_db, o.id, status=ObjectionStatus.IN_PROGRESS, today=date(2024, 10, 17))
    with pytest.raises(ServiceError, match="處理情形"):
        update_objection(students_db, o.id, status=ObjectionStatus.CORRECTED)
    done = update_objection(
        students_db,
        o.id,
        status=ObjectionStatus.CORRECTED,
        action_taken="已請學務處更正後重新提交",
        today=date(2024, 10, 18),
    )
    assert done.closed_on == date(2024, 10, 18) and not done.is_open and done.days_open == 2
    with pytest.raises(ServiceError, match="已結案"):
        update_objection(students_db, o.id, status=ObjectionStatus.IN_PROGRESS)
    assert get_batch(students_db, batch_id).objections_open == 0
    with pytest.raises(ServiceError, match="確認期間已於 113/10/17 結束"):
        open_objection(students_db, batch_id, sid, "修課紀錄", statement="x", received_on="113/10/18")
    course = open_objection(
        students_db, batch_id, sid, "修課紀錄", statement="學分錯", received_on="113/10/17"
    )
    assert course.office == "教務處註冊組"


def test_progress_slips_and_reminders(students_db) -> None:  # type: ignore[no-untyped-def]
    batch_id = _import(students_db).batch_id
    st = {s.student_no: s.student_id for s in list_student_statuses(students_db, batch_id)}
    set_confirmation(students_db, batch_id, st["110001"], "修課紀錄", CONFIRMED)
    open_objection(
        students_db, batch_id, st["110001"], "多元表現", statement="名次有誤", received_on="113/10/15"
    )
    rows = {(r.class_name, r.category): r for r in batch_progress(students_db, batch_id)}
    r301 = rows[("301", "修課紀錄")]
    assert (r301.students, r301.confirmed, r301.objection, r301.pending) == (3, 1, 0, 2)
    assert rows[(TOTAL_CLASS, "修課紀錄")].students == 6
    assert rows[("301", "多元表現")].objection == 1
    slips = slip_batch(students_db, batch_id, class_name="301")
    assert [s.seat for s in slips.students] == [1, 2, 3]
    first = slips.students[0]
    assert first.masked_id.endswith("****") and [c.name for c in first.categories] == ["修課紀錄", "多元表現"]
    assert [i.title for i in first.categories[0].items] == ["國語文", "數學"]
    assert first.categories[1].items[0].date == "113/10/05"
    assert slips.term_title == "113學年度第1學期" and slips.school_name == "國立示範高級中學"
    pending = slip_batch(students_db, batch_id, pending_only=True)
    assert st["110001"] not in {s.student_id for s in pending.students}
    chosen = slip_batch(students_db, batch_id, student_ids=[st["110004"]])
    assert [s.student_no for s in chosen.students] == ["110004"]
    lines = {line.student_no: line for line in reminder_lines(students_db, batch_id, "301")}
    assert lines["110001"].text == (
        "已完成確認：修課紀錄。\n已提出疑義（處理中）：多元表現，請等候承辦單位回覆。"
    )
    assert lines["110002"].text.endswith("2.你已完成確認：尚無。\n3.你尚未完成確認：修課紀錄、幹部經歷。")


def test_dry_run_flags_birth_dates_that_differ_from_the_master(students_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rf = read_receipt_file(DATA / "receipts_style_b.csv")
    text = (DATA / "receipts_style_b.csv").read_text(encoding="utf-8-sig").replace("0920315", "92/03/16", 1)
    changed = tmp_path / "births.csv"
    changed.write_text(text, encoding="utf-8")
    assert dry_run_receipts(students_db, rf, guess_mapping(rf.headers)).birth_mismatches == ()
    other = read_receipt_file(changed)
    dry = dry_run_receipts(students_db, other, guess_mapping(other.headers))
    assert dry.ok and [p.row for p in dry.birth_mismatches] == [2]
    assert "92/03/16" in dry.birth_mismatches[0].message and "0920315" in dry.birth_mismatches[0].message
    assert "出生日期與名冊不同 1 列" in dry.summary()


def test_the_demo_slips_of_each_term_list_items_of_that_term(tmp_path: Path) -> None:
    from desktop_app.domain.roc_date import Term, parse_roc_date
    from desktop_app.services.receipts import list_batches, slip_batch

    db = build_demo_database(tmp_path / "demo")
    try:
        for batch in list_batches(db):
            term = Term.parse(batch.name.split()[0])  # 「114-2 收訖明細」
            dated = [
                item.date
                for student in slip_batch(db, batch.id).students
                for category in student.categories
                for item in category.items
                if item.date
            ]
            assert dated, batch.name
            outside = [d for d in dated if not term.contains(parse_roc_date(d))]
            assert outside == [], (batch.name, outside[:3])
    finally:
        db.close()
