"""The 收訖明細 imports (student masters, receipt files, column mapping) on hand-made files
(tests/data/receipts/handmade/).

Each test pins a finding of an acceptance review: what the spec asks, what the app did before the fix."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.services import ServiceError
from desktop_app.services.receipts.importing import (
    ID_BLANK,
    ID_MASKED,
    NOT_IN_MASTER,
    dry_run_receipts,
    import_receipts,
    split_year_term,
)
from desktop_app.services.receipts.mapping import merge_mapping, suggest_mapping
from desktop_app.services.receipts.reading import read_receipt_file
from desktop_app.services.receipts.students import import_students, preview_student_import
from desktop_app.storage.models import AuditEntry, Confirmation, ReceiptBatch, ReceiptItem, Student

REVIEW = Path(__file__).resolve().parents[1] / "data" / "receipts" / "handmade"
TODAY = date(2026, 11, 28)


def counts(db) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Student, ReceiptBatch, ReceiptItem, Confirmation, AuditEntry)
        )


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def master_db(db):  # type: ignore[no-untyped-def]
    import_students(db, REVIEW / "master_title_rows.xlsx")
    return db


# --- student master ---------------------------------------------------------------------------
def test_master_with_title_rows_fullwidth_headers_and_floats(db) -> None:  # type: ignore[no-untyped-def]
    result = import_students(db, REVIEW / "master_title_rows.xlsx")
    data = result.as_json()
    assert (data["added"], data["updated"], data["unchanged"]) == (12, 0, 0)
    # Excel rows: 3 title/blank rows, header on row 4, 12 students on 5–16, then the two bad rows
    assert [(r["row"], r["name"]) for r in data["invalid"]] == [(17, "錯號碼"), (18, "重複者")]
    assert "檢查碼" in data["invalid"][0]["reason"] and "第 5 列重複" in data["invalid"][1]["reason"]
    with db.read() as s:
        first = s.scalar(select(Student).where(Student.student_no == "0112001"))
        assert (first.seat, first.grade, first.class_name, first.birth_date) == (1, 3, "301", "0920101")
        # 0920134 is no date; stored as a number it lost its zero: padded back all the same
        odd = s.scalar(select(Student).where(Student.student_no == "0112012"))
        assert odd.birth_date == "0920134"
        assert {st.status for st in s.scalars(select(Student))} == {"在學", "畢業", "轉出"}


def test_same_master_from_xls_with_floats_changes_nothing(master_db) -> None:  # type: ignore[no-untyped-def]
    before = counts(master_db)
    result = import_students(master_db, REVIEW / "master_floats.xls")
    assert (len(result.added), len(result.changed), result.unchanged) == (0, 0, 12)
    assert counts(master_db)[0] == before[0]


def test_cp950_pua_reported_per_student_whatever_the_name_header(db) -> None:  # type: ignore[no-untyped-def]
    # header 「學生姓名」: the pua list used to be empty because it looked for a column named 姓名
    data = import_students(db, REVIEW / "master_cp950_pua.csv").as_json()
    assert data["encoding"] == "cp950" and data["added"] == 12
    assert data["pua"] == [
        {"row": 2, "student": "王\ue000明", "student_no": "0112001", "chars": ["U+E000"]},
        {"row": 6, "student": "張\uf6b1\ue311婷", "student_no": "0112005", "chars": ["U+F6B1", "U+E311"]},
    ]


def test_master_without_student_rows_is_refused_and_changes_nothing(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a header-only export used to mark all 12 students as gone from the master
    empty = write_csv(tmp_path / "empty_master.csv", [["學號", "姓名", "身分證號", "班級", "座號"]])
    before = counts(master_db)
    with pytest.raises(ServiceError, match="沒有可匯入的學生資料"):
        import_students(master_db, empty)
    with pytest.raises(ServiceError, match="沒有可匯入的學生資料"):
        preview_student_import(master_db, empty)
    assert counts(master_db) == before
    with master_db.read() as s:
        assert s.scalar(select(func.count()).where(Student.in_master.is_(True))) == 12


def test_directory_given_as_master_says_so(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="是資料夾"):
        import_students(db, tmp_path)
    with pytest.raises(ServiceError, match="是資料夾"):
        read_receipt_file(tmp_path)


# --- receipt files ----------------------------------------------------------------------------
def test_platform_style_keeps_titles_as_submitted(master_db) -> None:  # type: ignore[no-untyped-def]
    result = import_receipts(
        master_db,
        REVIEW / "receipts_platform.xlsx",
        name="A",
        start="115/11/30",
        end="115年12月2日",
        today=TODAY,
    )
    assert [u.reason for u in result.dry_run.unknown] == [NOT_IN_MASTER]
    with master_db.read() as s:
        titles = set(s.scalars(select(ReceiptItem.title).where(ReceiptItem.category == "課程學習成果")))
    # NFKC used to print 「專題報告:…(含附錄)」 on the slip: not what the student uploaded
    assert "專題報告：王小明的校園植物調查（含附錄）" in titles


def test_vendor_style_in_cp950_is_guessed(master_db) -> None:  # type: ignore[no-untyped-def]
    rf = read_receipt_file(REVIEW / "receipts_vendor_cp950.csv")
    mapping = suggest_mapping(master_db, rf).mapping
    assert {f: rf.headers[i] for f, i in mapping.items()} == {
        "national_id": "身分證統一編號",
        "birth_date": "生日",
        "name": "學生姓名",
        "category": "項目",
        "year": "學年",
        "term": "學期別",
        "title": "課程名稱",
        "credits": "學分數",
        "item_date": "起訖日期",
        "detail": "內容說明",
    }
    dry = dry_run_receipts(master_db, rf, mapping)
    assert dry.ok and dry.matched_students == 6 and not dry.unknown


def test_unforeseen_shape_refused_clearly_then_imported_with_one_mapping_change(master_db) -> None:  # type: ignore[no-untyped-def]
    rf = read_receipt_file(REVIEW / "receipts_roster_codes.csv")
    guess = suggest_mapping(master_db, rf).mapping
    before = counts(master_db)
    with pytest.raises(ServiceError, match="欄位對應缺少：名稱"):
        import_receipts(
            master_db, rf, name="C", start="115/11/30", end="115/12/02", mapping=guess, today=TODAY
        )
    assert counts(master_db) == before
    # the user only says which column is the title; the rest of the guess stays
    mapping = merge_mapping(guess, {"title": "資料內容"}, rf.headers)
    assert rf.headers[mapping["title"]] == "資料內容" and "detail" not in mapping
    assert rf.headers[mapping["category"]] == "名冊別"
    result = import_receipts(
        master_db, rf, name="C", start="115/11/30", end="115/12/02", mapping=mapping, today=TODAY
    )
    dry = result.dry_run
    # 名冊別 41/24/25/26 are the four categories (formats.md); counted from the file itself
    with (REVIEW / "receipts_roster_codes.csv").open(encoding="utf-8-sig", newline="") as fh:
        codes = [row["名冊別"] for row in csv.DictReader(fh)]
    names = {"41": "修課紀錄", "24": "幹部經歷", "26": "課程學習成果", "25": "多元表現"}
    assert dry.per_category == {name: codes.count(code) for code, name in names.items()}
    assert all(dry.per_category.values())
    with master_db.read() as s:
        batch = s.get(ReceiptBatch, result.batch_id)
        assert (batch.year, batch.term) == (112, 2)
        pairs = set(
            s.execute(select(ReceiptItem.year, ReceiptItem.term).where(ReceiptItem.batch_id == batch.id))
        )
    assert pairs == {("112", "1"), ("112", "2")}  # 學年期 1121 / 1122 split


def test_merge_mapping_unmaps_and_moves_columns() -> None:
    headers = ("身分證號", "資料類別", "名稱", "說明")
    base = {"national_id": 0, "category": 1, "title": 2, "detail": 3}
    assert merge_mapping(base, {"detail": ""}, headers) == {"national_id": 0, "category": 1, "title": 2}
    assert merge_mapping(base, {"title": 4}, headers) == {"national_id": 0, "category": 1, "title": 3}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1121", ("112", "1")), ("112-2", ("112", "2")), ("112學年度第1學期", ("112", "1")), ("112", ("112", "")),
     ("2021", ("2021", ""))],
)  # fmt: skip
def test_split_year_term(text: str, expected: tuple[str, str]) -> None:
    assert split_year_term(text) == expected


def test_unknown_category_reported_once_per_value_and_nothing_written(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    nid = "A110000004"
    rows = [["身分證號", "資料類別", "名稱"]] + [[nid, "體育成績", f"第{i}項"] for i in range(12)]
    rows.append([nid, "修課紀錄", "國語文"])
    path = write_csv(tmp_path / "bad_category.csv", rows)
    before = counts(master_db)
    with pytest.raises(ServiceError) as caught:
        import_receipts(master_db, path, name="X", start="115/11/30", end="115/12/02", today=TODAY)
    message = str(caught.value)
    assert "有 12 列無法匯入" in message and message.count("體育成績") == 1 and "共 12 列" in message
    assert "資料庫未變更" in message
    assert counts(master_db) == before


def test_blank_and_masked_ids_are_named_as_such(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [["身份證字號", "資料類別", "名稱"], ["", "修課紀錄", "數學"], ["A11000****", "修課紀錄", "數學"],
            [" a110000004 ", "修課紀錄", "數學"], ["Ｂ２２２３４５６７３", "修課紀錄", "數學"]]  # fmt: skip
    rf = read_receipt_file(write_csv(tmp_path / "ids.csv", rows))
    dry = dry_run_receipts(master_db, rf, suggest_mapping(master_db, rf).mapping)  # 身份證字號 is guessed
    assert [(u.row, u.reason) for u in dry.unknown] == [(2, ID_BLANK), (3, ID_MASKED)]
    assert dry.matched_students == 2
    masked = write_csv(
        tmp_path / "masked.csv", [["身分證號", "資料類別", "名稱"], ["A11000****", "修課紀錄", "數學"]]
    )
    with pytest.raises(ServiceError, match="已遮蔽"):
        import_receipts(master_db, masked, name="M", start="115/11/30", end="115/12/02", today=TODAY)


def test_period_rule_and_same_file_warning(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = shutil.copy(REVIEW / "receipts_vendor_cp950.csv", tmp_path / "r.csv")
    before = counts(master_db)
    with pytest.raises(ServiceError, match=r"早於開始日 115/12/05.*填反"):
        import_receipts(master_db, path, name="R", start="115/12/05", end="115/12/01", today=TODAY)
    with pytest.raises(ServiceError, match=r"只有 2 日.*不得少於 3 日"):
        import_receipts(master_db, path, name="R", start="115/11/30", end="2026-12-01", today=TODAY)
    assert counts(master_db) == before
    first = import_receipts(master_db, path, name="R", start="115/11/30", end="115/12/02", today=TODAY)
    assert first.warnings == ()
    again = import_receipts(master_db, path, name="R2", start="115.11.30", end="1151202", today=TODAY)
    assert any(f"批次 #{first.batch_id}「R」是同一個檔案" in w for w in again.warnings)


def test_cover_sheet_is_not_taken_for_the_header(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook, load_workbook

    source = load_workbook(REVIEW / "receipts_platform.xlsx").active
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"  # 學年度, 學期, 名冊別 are known names: it used to be read as the header
    cover.append(["學校代碼", "學年度", "學期", "名冊別"])
    cover.append(["011302", 112, 2, "收訖明細"])
    data = wb.create_sheet("收訖明細")
    for row in source.iter_rows(values_only=True):
        data.append(list(row))
    wb.save(tmp_path / "with_cover.xlsx")
    rf = read_receipt_file(tmp_path / "with_cover.xlsx")
    assert (rf.sheet_name, rf.header_row) == ("收訖明細", 3)
    dry = dry_run_receipts(master_db, rf, suggest_mapping(master_db, rf).mapping)
    # the 0920134 stored as the number 920134 in both files is the same (not a date, padded alike)
    assert dry.ok and dry.matched_students == 12 and dry.birth_mismatches == ()


def test_year_and_term_spelled_in_words(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [["身分證號", "資料類別", "學年度", "學期", "名稱"],
            ["A110000004", "修課紀錄", "112學年度", "第1學期", "國語文"],
            ["A110000004", "修課紀錄", "112學年", "下", "數學"],
            ["A110000004", "多元表現", "112", "暑期", "營隊"]]  # fmt: skip
    result = import_receipts(
        master_db,
        write_csv(tmp_path / "words.csv", rows),
        name="W",
        start="115/11/30",
        end="115/12/02",
        today=TODAY,
    )
    with master_db.read() as s:
        got = list(s.execute(select(ReceiptItem.year, ReceiptItem.term).order_by(ReceiptItem.source_row)))
        batch = s.get(ReceiptBatch, result.batch_id)
        assert (batch.year, batch.term) == (112, 2)
    assert got == [("112", "1"), ("112", "2"), ("112", "暑期")]  # what is not a term is kept as written


def test_receipt_file_picked_as_master_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    # 身分證號 + 姓名 + 出生日期 match, but it has one row per item and no class: it used to add
    # 13 students without class or seat (and list 103 「重複」 rows)
    with pytest.raises(ServiceError, match="不像學生名冊"):
        import_students(db, REVIEW / "receipts_platform.xlsx")
    assert counts(db)[0] == 0


def test_receipt_file_with_header_only(master_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "header_only.csv", [["身分證號", "資料類別", "名稱"]])
    before = counts(master_db)
    with pytest.raises(ServiceError, match="標題之下沒有任何資料列"):
        import_receipts(master_db, path, name="H", start="115/11/30", end="115/12/02", today=TODAY)
    assert counts(master_db) == before
