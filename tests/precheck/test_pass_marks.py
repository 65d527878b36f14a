"""及格標準: settings, list import (preview, commit, refusal of bad rows), editing, audit entries."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.precheck.model import CheckOptions, PrecheckResult
from desktop_app.services import ServiceError
from desktop_app.services.audit import list_entries
from desktop_app.services.precheck.pass_marks import (
    PassMarkFileError,
    apply_pass_marks,
    change_pass_mark,
    delete_pass_mark,
    get_pass_mark_settings,
    import_pass_marks,
    list_pass_marks,
    preview_pass_mark_import,
    record_pass_marks,
    save_pass_mark_settings,
    set_student_pass_mark,
    stored_pass_marks,
)
from desktop_app.services.receipts.students import import_students
from desktop_app.storage.models import AuditEntry, StudentPassMark

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"
ID_WANG = make_valid_id("A12345670")  # 110001 王小明 301
ID_LI = make_valid_id("B22345671")  # 110002 李美華 301
ID_LIN = make_valid_id("D22345673")  # 110004 林雅婷 302
ID_OUTSIDE = make_valid_id("K12000001")  # a valid ID of a student not in the master


def write_xlsx(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "名單"
    if title:
        ws.append([title])  # a title row above the header, as school exports have
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "cp950") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _marks(db) -> dict[str, float]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return {r.national_id: r.mark for r in s.scalars(select(StudentPassMark))}


def _audit_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture
def master_db(db):  # type: ignore[no-untyped-def]
    import_students(db, DATA / "students.csv")
    return db


def test_settings_default_others_and_audit(db) -> None:  # type: ignore[no-untyped-def]
    assert get_pass_mark_settings(db).default == 60.0
    assert get_pass_mark_settings(db).others == ()
    saved = save_pass_mark_settings(db, "60", "５０、40, 50")  # full-width, 、 and a repeat
    assert saved.default == 60.0 and saved.others == (50.0, 40.0)
    assert get_pass_mark_settings(db).others == (50.0, 40.0)
    entry = list_entries(db, entity="pass_mark")[0]
    assert entry.action == "passmarks.settings"
    assert json.loads(entry.after or "{}") == {"default": 60.0, "others": [50.0, 40.0]}
    assert json.loads(entry.before or "{}") == {"default": 60.0, "others": []}
    before = _audit_count(db)
    save_pass_mark_settings(db, 60, [50, 40])  # nothing changed: no audit entry
    assert _audit_count(db) == before
    with pytest.raises(ServiceError, match="0 到 100"):
        save_pass_mark_settings(db, "120", "")
    with pytest.raises(ServiceError, match="不是 0 到 100 的數字"):
        save_pass_mark_settings(db, "60", "50, 四十")
    assert get_pass_mark_settings(db).others == (50.0, 40.0)


def test_xlsx_import_preview_then_commit_by_student_no_and_id(master_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = master_db
    path = write_xlsx(
        tmp_path / "及格標準.xlsx",
        [
            ["學號", "身分證號", "姓名", "及格標準"],
            [110001, "", "王小明", 50],  # a 學號 as a number cell
            ["", ID_LI.lower(), "李美華", "40"],  # lower-case ID
            ["", ID_OUTSIDE, "校外生", 50.0],  # valid ID not in the master: accepted
        ],
        title="114學年度 個別及格標準",
    )
    preview = preview_pass_mark_import(db, path)
    assert not preview.bad
    assert [(c.student_no, c.name, c.class_name, c.new) for c in preview.added] == [
        ("110001", "王小明", "301", 50.0),
        ("110002", "李美華", "301", 40.0),
        ("", "", "", 50.0),
    ]
    assert all(c.masked_id.endswith("****") for c in preview.added)
    assert _marks(db) == {}  # the preview writes nothing
    import_pass_marks(db, path)
    assert _marks(db) == {ID_WANG: 50.0, ID_LI: 40.0, ID_OUTSIDE: 50.0}
    listed = list_pass_marks(db)
    assert [(e.name, e.class_name, e.mark_text, e.source) for e in listed] == [
        ("王小明", "301", "50", "及格標準.xlsx"),
        ("李美華", "301", "40", "及格標準.xlsx"),
        ("", "", "50", "及格標準.xlsx"),
    ]
    assert all("****" in e.masked_id and e.masked_id[:6] for e in listed)
    entry = list_entries(db, entity="pass_mark")[0]
    assert entry.action == "passmarks.import" and "新增 3" in entry.summary
    after = json.loads(entry.after or "{}")
    assert after["added"] == 3 and len(after["changes"]) == 3
    assert ID_WANG not in (entry.after or "")  # the audit keeps no full ID

    # the same file again: unchanged; a changed file: added / changed / unchanged
    again = preview_pass_mark_import(db, path)
    assert (len(again.added), len(again.changed), again.unchanged) == (0, 0, 3)
    path2 = write_xlsx(
        tmp_path / "第二版.xlsx",
        [["身分證號", "及格標準"], [ID_WANG, 50], [ID_LI, 50], [ID_LIN, 40]],
    )
    second = preview_pass_mark_import(db, path2)
    assert [c.name for c in second.added] == ["林雅婷"]
    assert [(c.name, c.old, c.new) for c in second.changed] == [("李美華", 40.0, 50.0)]
    assert second.unchanged == 1 and second.not_in_file == 1
    import_pass_marks(db, path2)  # merge: the student not in the file is kept
    assert _marks(db) == {ID_WANG: 50.0, ID_LI: 50.0, ID_LIN: 40.0, ID_OUTSIDE: 50.0}
    import_pass_marks(db, path2, replace=True)  # the file becomes the whole list
    assert _marks(db) == {ID_WANG: 50.0, ID_LI: 50.0, ID_LIN: 40.0}
    assert "移除 1" in list_entries(db, entity="pass_mark")[0].summary


def test_cp950_csv_with_full_width_headers(master_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path / "marks.csv",
        [["學　號", "姓名", "及格標準（分）".replace("（分）", "")], ["１１０００４", "林雅婷", "４０"]],
    )
    preview = preview_pass_mark_import(master_db, path)
    assert preview.encoding == "cp950"
    assert [(c.name, c.new) for c in preview.added] == [("林雅婷", 40.0)]
    import_pass_marks(master_db, path)
    assert _marks(master_db) == {ID_LIN: 40.0}


def test_bad_rows_refused_with_row_column_reason_nothing_stored(master_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = master_db
    import_pass_marks(db, write_csv(tmp_path / "ok.csv", [["身分證號", "及格標準"], [ID_WANG, "50"]]))
    marks_before, audit_before = _marks(db), _audit_count(db)
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ["學號", "身分證號", "及格標準"],
            ["110002", "", "50"],  # fine
            ["119999", "", "50"],  # row 3: unknown 學號
            ["", "A123456780", "50"],  # row 4: bad check digit
            ["110004", "", "及格"],  # row 5: not a number
            ["110005", "", "150"],  # row 6: out of range
            ["", "", "50"],  # row 7: nobody
        ],
    )
    preview = preview_pass_mark_import(db, path)
    assert [(b.row, b.column) for b in preview.bad] == [
        (3, "學號"),
        (4, "身分證號"),
        (5, "及格標準"),
        (6, "及格標準"),
        (7, "身分證號"),
    ]
    assert "不在學生名冊" in preview.bad[0].reason
    assert "檢查碼" in preview.bad[1].reason
    assert "不是 0 到 100 的數字" in preview.bad[2].reason
    assert "不在 0 到 100 之間" in preview.bad[3].reason
    with pytest.raises(PassMarkFileError) as err:
        import_pass_marks(db, path)
    message = str(err.value)
    assert "bad.xlsx" in message and "5 列無法使用" in message
    assert "工作表「名單」第 3 列「學號」欄：學號「119999」不在學生名冊" in message
    assert "第 5 列「及格標準」欄" in message
    assert _marks(db) == marks_before and _audit_count(db) == audit_before  # nothing stored


def test_conflicting_duplicate_and_no_master(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "nos.csv", [["學號", "及格標準"], ["110001", "50"]], encoding="utf-8")
    preview = preview_pass_mark_import(db, path)  # no 學生名冊 imported yet
    assert "學生名冊尚未匯入" in preview.bad[0].reason
    import_students(db, DATA / "students.csv")
    dup = write_csv(
        tmp_path / "dup.csv",
        [["學號", "身分證號", "及格標準"], ["110001", "", "50"], ["", ID_WANG, "40"], ["110002", "", "50"]],
        encoding="utf-8-sig",
    )
    bad = preview_pass_mark_import(db, dup).bad
    assert [(b.row, b.column) for b in bad] == [(3, "及格標準")]
    assert "同一學生已在第 2 列" in bad[0].reason
    with pytest.raises(PassMarkFileError, match="找不到標題列"):
        preview_pass_mark_import(db, write_csv(tmp_path / "x.csv", [["學號", "姓名"], ["110001", "王"]]))


def test_edit_add_change_delete_audited(master_db) -> None:  # type: ignore[no-untyped-def]
    db = master_db
    added = set_student_pass_mark(db, "110004", "40")  # by 學號
    assert (added.name, added.class_name, added.mark, added.source) == ("林雅婷", "302", 40.0, "手動輸入")
    set_student_pass_mark(db, ID_OUTSIDE.lower(), 50)  # by 身分證號, not in the master
    assert _marks(db) == {ID_LIN: 40.0, ID_OUTSIDE: 50.0}
    changed = change_pass_mark(db, added.id, "45.5")
    assert changed.mark == 45.5 and changed.mark_text == "45.5"
    delete_pass_mark(db, added.id)
    assert _marks(db) == {ID_OUTSIDE: 50.0}
    actions = [e.action for e in list_entries(db, entity="pass_mark")]
    assert actions == [
        "passmarks.student.delete",
        "passmarks.student.set",
        "passmarks.student.set",
        "passmarks.student.set",
    ]
    latest = list_entries(db, entity="pass_mark")
    assert json.loads(latest[1].before or "{}")["mark"] == 40.0
    assert json.loads(latest[1].after or "{}")["mark"] == 45.5
    with pytest.raises(ServiceError, match="不在學生名冊"):
        set_student_pass_mark(db, "999999", 50)
    with pytest.raises(ServiceError, match="檢查碼"):
        set_student_pass_mark(db, "A123456780", 50)
    with pytest.raises(ServiceError, match="0 到 100"):
        set_student_pass_mark(db, "110001", "-5")
    with pytest.raises(ServiceError, match="已不在及格標準名單"):
        delete_pass_mark(db, added.id)
    assert _marks(db) == {ID_OUTSIDE: 50.0}


def test_stored_marks_reach_check_options_keyed_by_id_and_student_no(master_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = master_db
    save_pass_mark_settings(db, 60, "50, 40")
    import_pass_marks(db, write_csv(tmp_path / "l.csv", [["學號", "及格標準"], ["110001", "50"], ["110004", "40"]]))
    set_student_pass_mark(db, ID_OUTSIDE, 45)
    marks = stored_pass_marks(db)
    assert marks.student_count == 3
    assert dict(marks.students or {}) == {
        ID_WANG: 50.0,
        "110001": 50.0,
        ID_LIN: 40.0,
        "110004": 40.0,
        ID_OUTSIDE: 45.0,
    }
    options = apply_pass_marks(CheckOptions(kind="final"), marks)
    assert options.default_pass_mark == 60.0 and options.other_pass_marks == (50.0, 40.0)
    assert options.student_pass_marks[ID_WANG] == 50.0 and options.kind == "final"
    result = PrecheckResult("r.xlsx", "", 0, None, "final", "day", 114, 1)
    record_pass_marks(result, marks)
    assert result.pass_marks == {
        "default": 60.0,
        "others": [50.0, 40.0],
        "students": 3,
        "file": "l.csv，手動輸入 1 人",
    }
