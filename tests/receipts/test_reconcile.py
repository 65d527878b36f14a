"""收訖對照 on a real database with real xlsx/CSV files: each kind of difference injected with exact
counts, the code and the no-code key, both divisions, 補修/重修 sheets, another 學期 refused, masked IDs
in every output, the files untouched, runs and explanations stored."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import reconcile_builders as rb

from desktop_app.domain.reconcile import KEY_CODE, KEY_TITLE, KEY_TITLE_CREDITS, KINDS
from desktop_app.services import ServiceError
from desktop_app.services.receipts.importing import import_receipts
from desktop_app.services.receipts.students import import_students
from desktop_app.services.reconcile.explanations import explain_missing, latest_run, unexplained_by_student
from desktop_app.services.reconcile.roster import RosterFileError, read_roster
from desktop_app.services.reconcile.run import reconcile
from desktop_app.storage.models import ReconcileRun


def _setup(db, case: rb.Case) -> int:  # type: ignore[no-untyped-def]
    import_students(db, case.students_csv)
    return import_receipts(db, case.receipts, name="113-1 收訖", start="113/10/15", end="113/10/20").batch_id


def _sha(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_each_kind_exact_counts_by_code(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    before = {p: _sha(p) for p in (case.roster, case.receipts, case.students_csv)}
    result = reconcile(profile_db, batch, [case.roster])
    assert result.counts == case.expected
    assert list(result.as_json()["counts"]) == list(
        KINDS
    )  # missing, extra, mismatch, no_receipt, not_in_roster
    assert result.matched_by[KEY_CODE] == result.matched == 9 and result.out_of_scope == 1
    assert result.roster_rows == 13 and result.received_items == 12  # 14 rows less the 團體活動 one
    by_kind = {k: [r for r in result.rows if r.kind == k] for k in KINDS}
    s1, s2, s3, s4, s5, s6, s7 = case.people
    assert [(r.national_id, r.title, r.class_name) for r in by_kind["missing"]] == [(s1.nid, "數學", "301")]
    assert [(r.national_id, r.title) for r in by_kind["extra"]] == [(s3.nid, "舊課程")]
    assert sorted((r.national_id, r.fields) for r in by_kind["mismatch"]) == sorted(
        [(s2.nid, ("學分",)), (s4.nid, ("科目名稱",)), (s4.nid, ("成績",))]
    )
    assert {r.national_id for r in by_kind["no_receipt"]} == {s5.nid, s7.nid}
    s7_row = next(r for r in by_kind["no_receipt"] if r.national_id == s7.nid)
    assert s7_row.student_id is None and s7_row.class_name == s7.class_name and s7_row.count == 2  # from 備註
    assert [r.national_id for r in by_kind["not_in_roster"]] == [s6.nid]
    # per class
    per_class = dict(result.class_counts())  # 301: S1–S4, 302: S5–S7
    assert per_class["301"] == {"missing": 1, "extra": 1, "mismatch": 3, "no_receipt": 0, "not_in_roster": 0}
    assert per_class["302"] == {"missing": 0, "extra": 0, "mismatch": 0, "no_receipt": 2, "not_in_roster": 1}
    # the 補修 row of an earlier 學期 matched (its 學期 is in scope through the roster)
    assert not any(r.code == rb.code(9) for r in result.rows)
    assert any("(缺)" in n and "1 列" in n for n in result.notes)
    assert any("團體活動" in n for n in result.notes)
    # files untouched, SHA-256 recorded
    assert {p: _sha(p) for p in before} == before
    assert result.files[0].sha256 == before[case.roster][0] and result.files[0].division == "day"
    run = latest_run(profile_db, batch)
    assert (
        run is not None and run.counts == case.expected and run.files[0]["sha256"] == before[case.roster][0]
    )
    assert run.unexplained == 3  # 1 missing item + 2 roster students with no receipt


def test_no_code_matching_path(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = rb.mixed_case(tmp_path, with_code=False)
    batch = _setup(profile_db, case)
    result = reconcile(profile_db, batch, [case.roster])
    assert result.counts == case.expected
    assert result.matched_by == {KEY_CODE: 0, KEY_TITLE_CREDITS: 8, KEY_TITLE: 1}
    credits = next(r for r in result.rows if r.kind == "mismatch" and r.fields == ("學分",))
    assert credits.key == KEY_TITLE and (credits.credits, credits.received_credits) == ("4", "3")
    assert {r.key for r in result.rows if r.kind in ("missing", "extra")} == {KEY_TITLE_CREDITS}
    assert "科目名稱+學年度學期+學分" in result.keys_text()


def test_continuing_division_and_both_rosters(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = rb.mixed_case(tmp_path, division="continuing")
    batch = _setup(profile_db, case)
    roster = read_roster(case.roster)
    assert roster.division == "continuing" and (roster.year, roster.term) == (113, 1)
    assert reconcile(profile_db, batch, [case.roster]).counts == case.expected
    # a second (進修部 → here 日間) roster holding S6: S6 is no longer "not in roster"
    s6 = case.people[5]
    other = rb.Roster(113, 1, "day", term_rows=[(s6, rb.COURSES[0])])
    day = rb.write_roster_xlsx(tmp_path / "day.xlsx", other)
    both = reconcile(profile_db, batch, [case.roster, day])
    assert both.counts == {**case.expected, "not_in_roster": 0}
    assert [f.division for f in both.files] == ["continuing", "day"]


def test_retake_sheet_uses_original_code_and_term(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    people = rb.students(2)
    a, b = people
    old = rb.Course(rb.code(12), "化學", 2, 75, "112", "1")
    roster = rb.Roster(
        113, 1, term_rows=[(a, rb.COURSES[0]), (b, rb.COURSES[0])], retake_rows=[(a, old), (b, old)]
    )
    path = rb.write_roster_xlsx(tmp_path / "retake.xlsx", roster)
    rows = [
        rb.ReceiptRow(a, "113", "1", "國語文", "4", rb.code(1), "81"),
        rb.ReceiptRow(b, "113", "1", "國語文", "4", rb.code(1), "81"),
        rb.ReceiptRow(a, "112", "1", "化學", "2", rb.code(12), "75"),  # b's 重修 not received
    ]
    receipts = rb.write_receipts_xlsx(tmp_path / "r.xlsx", rows, with_code=True, with_score=True)
    import_students(profile_db, rb.write_students_csv(tmp_path / "s.csv", people))
    batch = import_receipts(profile_db, receipts, name="x", start="113/10/15", end="113/10/20").batch_id
    result = reconcile(profile_db, batch, [path])
    assert result.counts == {"missing": 1, "extra": 0, "mismatch": 0, "no_receipt": 0, "not_in_roster": 0}
    (missing,) = result.rows
    assert (missing.national_id, missing.code, missing.year_term) == (b.nid, rb.code(12), "112-1")
    assert "重修成績" in missing.source


def test_roster_of_another_term_refused(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = rb.mixed_case(tmp_path / "a")
    batch = _setup(profile_db, case)
    other = rb.mixed_case(tmp_path / "b", year=112, term=2)
    with pytest.raises(ServiceError) as err:
        reconcile(profile_db, batch, [other.roster])
    message = str(err.value)
    assert "112學年度第2學期" in message and "113學年度第1學期" in message and "不同學期" in message
    with profile_db.read() as s:
        assert s.scalar(select(func.count()).select_from(ReconcileRun)) == 0


def test_bad_files_refused_with_message(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    with pytest.raises(RosterFileError, match="不是修課紀錄／成績名冊"):
        reconcile(profile_db, batch, [case.receipts])  # a 收訖明細 file, not a roster
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RosterFileError, match=r"broken\.xlsx"):
        reconcile(profile_db, batch, [broken])
    with pytest.raises(RosterFileError, match="找不到名冊檔案"):
        reconcile(profile_db, batch, [tmp_path / "nope.xlsx"])
    with pytest.raises(ServiceError, match="同一個檔案"):
        reconcile(profile_db, batch, [case.roster, case.roster])


def test_outputs_mask_ids_and_export_is_safe(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.exports.reconcile_xlsx import write_reconcile_xlsx

    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    result = reconcile(profile_db, batch, [case.roster])
    out = write_reconcile_xlsx(tmp_path / "out.xlsx", result, "測試高中")
    text = json.dumps(result.as_json(), ensure_ascii=False)
    wb = load_workbook(out)
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    dumped = "\n".join(map(str, cells))
    for p in case.people:
        assert p.nid not in text and p.nid not in dumped
        assert p.nid[:6] + "****" in dumped or p.nid == case.people[4].nid or p is case.people[6]
    detail = wb["明細"]
    assert [c.value for c in detail[1]][:6] == ["差異", "班級", "座號", "學號", "姓名", "身分證號"]
    assert detail.max_row == 1 + sum(case.expected.values())
    assert [c.value for c in wb["各班"][1]] == [
        "班級",
        "未收訖",
        "多出",
        "不一致",
        "名冊有、無收訖",
        "收訖有、名冊無",
    ]


def test_formula_like_text_stays_text(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.exports.reconcile_xlsx import write_reconcile_xlsx

    (a,) = rb.students(1)
    roster = rb.write_roster_xlsx(tmp_path / "r.xlsx", rb.Roster(113, 1, term_rows=[(a, rb.COURSES[0])]))
    rows = [
        rb.ReceiptRow(a, "113", "1", "國語文", "4", rb.code(1), "81"),
        rb.ReceiptRow(a, "113", "1", '=HYPERLINK("http://x","y")', "1", rb.code(5)),
    ]
    receipts = rb.write_receipts_xlsx(tmp_path / "rc.xlsx", rows, with_code=True, with_score=True)
    import_students(profile_db, rb.write_students_csv(tmp_path / "s.csv", [a]))
    batch = import_receipts(profile_db, receipts, name="x", start="113/10/15", end="113/10/20").batch_id
    result = reconcile(profile_db, batch, [roster])
    assert result.counts["extra"] == 1
    out = write_reconcile_xlsx(tmp_path / "out.xlsx", result)
    cell = next(
        c for row in load_workbook(out)["明細"].iter_rows() for c in row if str(c.value).startswith("=HYP")
    )
    assert cell.data_type == "s" and cell.quotePrefix


def test_explanations_and_flags(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    result = reconcile(profile_db, batch, [case.roster])
    s1, s5 = case.people[0], case.people[4]
    flags = unexplained_by_student(profile_db, batch)
    assert len(flags) == 2 and sorted(flags.values()) == [1, 1]  # S1's missing item, S5 (S7: not in master)
    missing = next(r for r in result.rows if r.kind == "missing")
    explain_missing(profile_db, batch, s1.nid, missing.item_key, "已於 113/10/16 重新上傳")
    no_receipt = next(r for r in result.rows if r.kind == "no_receipt" and r.national_id == s5.nid)
    explain_missing(profile_db, batch, s5.nid, no_receipt.item_key, "學生已轉出")
    run = latest_run(profile_db, batch)
    assert run is not None and run.unexplained == 1  # S7
    assert unexplained_by_student(profile_db, batch) == {}
    again = reconcile(profile_db, batch, [case.roster])
    assert next(r for r in again.rows if r.kind == "missing").note == "已於 113/10/16 重新上傳"
    assert again.unexplained == 1
    explain_missing(profile_db, batch, s1.nid, missing.item_key, "")  # an empty note removes it
    assert latest_run(profile_db, batch).unexplained == 2  # type: ignore[union-attr]


def test_selfcheck_rule_no_unexplained_missing(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from desktop_app.domain.roc_date import Term
    from desktop_app.services.selfcheck_evidence import FAILS, HOLDS, NO_DATA, evaluate

    term, today = Term(113, 1), date(2024, 11, 1)
    assert evaluate(profile_db, term, "receipts_reconciled", today=today).status == NO_DATA
    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    not_run = evaluate(profile_db, term, "receipts_reconciled", today=today)
    assert not_run.status == FAILS and "尚未與期末名冊對照" in not_run.summary
    result = reconcile(profile_db, batch, [case.roster])
    open_ = evaluate(profile_db, term, "receipts_reconciled", today=today)
    assert open_.status == FAILS and "3 筆未收訖尚未說明" in open_.summary
    assert open_.links[0].tab_key == "receipts" and open_.links[0].record == batch
    for row in result.rows:
        if row.unexplained:
            explain_missing(profile_db, batch, row.national_id, row.item_key, "已查明：學生已轉出")
    done = evaluate(profile_db, term, "receipts_reconciled", today=today)
    assert done.status == HOLDS and "未收訖均已說明" in done.summary


def test_code_written_in_the_detail_text_is_used(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (a,) = rb.students(1)
    roster = rb.write_roster_xlsx(
        tmp_path / "r.xlsx", rb.Roster(113, 1, term_rows=[(a, c) for c in rb.COURSES])
    )
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(rb.RECEIPT_HEADERS)
    for c in rb.COURSES[:2]:  # 說明 「課程代碼：…」, the title spelled differently: matched by the code
        ws.append(
            [a.nid, a.birth, a.name, "修課紀錄", 113, 1, c.title + " ", c.credits, "", f"課程代碼：{c.code}"]
        )
    ws.append([a.nid, a.birth, a.name, "修課紀錄", 113, 1, "數學A", 4, "", "無代碼"])
    wb.save(tmp_path / "rc.xlsx")
    import_students(profile_db, rb.write_students_csv(tmp_path / "s.csv", [a]))
    batch = import_receipts(
        profile_db, tmp_path / "rc.xlsx", name="x", start="113/10/15", end="113/10/20"
    ).batch_id
    result = reconcile(profile_db, batch, [roster])
    assert result.matched_by[KEY_CODE] == 2
    assert result.counts == {"missing": 1, "extra": 1, "mismatch": 0, "no_receipt": 0, "not_in_roster": 0}
    assert {r.key for r in result.rows} == {KEY_TITLE_CREDITS}  # the item without a code: the no-code key


def test_pairing_while_reading_equals_matching_after_reading(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.domain.reconcile import match_courses
    from desktop_app.services.reconcile.run import _received

    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    fast = reconcile(profile_db, batch, [case.roster], record_run=False)
    received, _students, _divisions = _received(profile_db, batch)
    plain_roster = read_roster(case.roster)  # every row an object, no index
    terms = {("113", "1"), *plain_roster.terms}
    slow = match_courses(received, plain_roster.rows, terms)
    assert fast.counts == slow.counts() == case.expected
    assert fast.matched == slow.matched and fast.matched_by == slow.matched_by
    assert sorted((r.kind, r.national_id, r.item_key) for r in fast.rows) == sorted(
        (d.kind, d.national_id, d.item_key) for d in slow.differences
    )


def test_student_whose_items_are_all_of_another_term(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (a,) = rb.students(1)
    roster = rb.write_roster_xlsx(
        tmp_path / "r.xlsx", rb.Roster(113, 1, term_rows=[(a, c) for c in rb.COURSES[:2]])
    )
    rows = [rb.ReceiptRow(a, "112", "2", "國語文", "4", rb.code(1), "81")]  # only an older 學期 received
    receipts = rb.write_receipts_xlsx(tmp_path / "rc.xlsx", rows, with_code=True, with_score=True)
    import_students(profile_db, rb.write_students_csv(tmp_path / "s.csv", [a]))
    batch = import_receipts(
        profile_db, receipts, name="x", start="113/10/15", end="113/10/20", year=113, term=1
    )
    result = reconcile(profile_db, batch.batch_id, [roster])
    assert result.counts == {"missing": 2, "extra": 0, "mismatch": 0, "no_receipt": 0, "not_in_roster": 0}
    assert result.out_of_scope == 1


def test_export_service_is_the_one_checked_path(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window and the CLI both export through ``export_reconcile_xlsx``: no result, a folder, a
    missing folder and a full disk are zh-TW errors that leave no file; a result is written under
    the school's name."""
    from desktop_app.services.profile import get_profile
    from desktop_app.services.reconcile.export import export_reconcile_xlsx

    target = tmp_path / "對照.xlsx"
    with pytest.raises(ServiceError, match="沒有對照結果可匯出"):
        export_reconcile_xlsx(profile_db, None, target)
    assert not target.exists()
    case = rb.mixed_case(tmp_path)
    result = reconcile(profile_db, _setup(profile_db, case), [case.roster])
    with pytest.raises(ServiceError, match=r"是資料夾.*請指定收訖對照的檔名"):
        export_reconcile_xlsx(profile_db, result, tmp_path)
    with pytest.raises(ServiceError, match="不存在"):
        export_reconcile_xlsx(profile_db, result, tmp_path / "nope" / "x.xlsx")
    assert not (tmp_path / "nope").exists()
    if Path("/dev/full").exists():
        with pytest.raises(ServiceError, match="無法寫入收訖對照「/dev/full」：磁碟空間不足"):
            export_reconcile_xlsx(profile_db, result, "/dev/full")
    assert export_reconcile_xlsx(profile_db, result, target) == target
    profile = get_profile(profile_db)
    assert profile is not None and profile.name
    title = load_workbook(target)["摘要"]["A1"].value
    assert title == f"{profile.name} 收訖對照（收訖明細 × 期末修課紀錄／成績名冊）"


def test_prefetch_says_when_the_files_are_open(profile_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The CLI imports SQLAlchemy once the rosters are open (the guard has run); a file that cannot be
    opened is "open" too (its error comes from the future), so the wait never hangs."""
    from desktop_app.services.reconcile.roster import prefetch_rosters

    case = rb.mixed_case(tmp_path)
    batch = _setup(profile_db, case)
    parsing = prefetch_rosters([case.roster, tmp_path / "missing.xlsx"])
    parsing.wait_opened(timeout=30)
    assert all(event.is_set() for event in parsing.opened)
    with pytest.raises(RosterFileError, match="找不到名冊檔案"):
        parsing[1].result()
    assert parsing[0].result().sheets
    result = reconcile(profile_db, batch, [case.roster], prefetched=prefetch_rosters([case.roster]))
    assert result.counts == case.expected
