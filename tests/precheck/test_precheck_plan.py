"""Course plan import: both header layouts, tolerant values, exact errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.demo.precheck_samples import PLAN_HEADER_RAW, plan_rows, sample_plan, write_csv, write_xlsx
from desktop_app.domain.precheck.plan import CoursePlan, PlanError, course_attributes
from desktop_app.domain.precheck.rules import COURSE_CATEGORIES, SUBJECT_ATTRIBUTES, credit_value
from desktop_app.readers import read_workbook
from desktop_app.services import ServiceError
from desktop_app.services.precheck.check import read_plan_file

PLAN = sample_plan(113)


@pytest.mark.parametrize("layout", ["raw", "vendor"])
def test_both_layouts_give_the_same_plan(tmp_path: Path, layout: str) -> None:
    path = write_xlsx(tmp_path / "plan.xlsx", {"課程計畫": plan_rows(PLAN, layout)})
    plan = CoursePlan.from_workbook(read_workbook(path))
    assert set(plan) == set(PLAN) and len(plan) == 66
    code = "113011302H11101A1010101"
    assert (plan[code].name, plan[code].credits, plan[code].attributes) == ("國語文", "444444", "1101")
    assert plan.source == "plan.xlsx"


def test_tolerant_values_title_rows_and_csv(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["113學年度 課程計畫 原始匯出"],
        [],
        [
            " 實施學年度 ",
            "課程類型",
            "課程代碼",
            "科目名稱 ",
            "授課學期學分節數",
            "授課學期開課方式",
            "課程屬性",
        ],
        [113.0, "H", " 113011302h11101a1010101 ", " 國語文", 444444.0, "111111", 1101],
        [113, "H", "１１３011302H11101A1010304", "歷史", 220000, "11----", "1103"],
        [113, "H", "113011302H11101A1010305", "地理", 2200, "--11--", ""],  # lost its leading zeros
        [],
    ]
    plan = CoursePlan.from_workbook(read_workbook(write_xlsx(tmp_path / "p.xlsx", {"工作表1": rows})))
    assert plan["113011302H11101A1010101"].credits == "444444"
    assert plan["113011302H11101A1010101"].attributes == "1101"
    assert plan["113011302H11101A1010304"].name == "歷史"
    assert plan["113011302H11101A1010305"].credits == "002200"
    assert plan["113011302H11101A1010305"].year == 113
    csv_plan = read_plan_file(write_csv(tmp_path / "p.csv", plan_rows(PLAN), "cp950"))
    assert csv_plan == PLAN


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ([113, "H", "113011302H11101A10101", "國語文", "444444", "", ""], "第 2 列「課程代碼」欄"),
        ([113, "H", "113011302H11101A1010101", "", "444444", "", ""], "第 2 列「科目名稱」欄"),
        ([113, "H", "113011302H11101A1010101", "國語文", "44444X", "", ""], "第 2 列「授課學期學分節數」欄"),
        ([113, "H", "113011302H11101A1010101", "國語文", "444444", "", "11"], "第 2 列「課程屬性」欄"),
        (["一一三", "H", "113011302H11101A1010101", "國語文", "444444", "", ""], "第 2 列「實施學年度」欄"),
    ],
)
def test_bad_rows_name_file_sheet_row_column(tmp_path: Path, row: list[object], where: str) -> None:
    path = write_xlsx(tmp_path / "plan.xlsx", {"核定課程": [PLAN_HEADER_RAW, row]})
    with pytest.raises(PlanError) as info:
        CoursePlan.from_workbook(read_workbook(path))
    message = str(info.value)
    assert "plan.xlsx" in message and "核定課程" in message and where in message
    assert isinstance(info.value, ValueError) and info.value.problems


def test_missing_columns_and_no_header(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx", {"S": [["課程代碼", "科目名稱", "實施學年度"], ["x", "y", 113]]}
    )
    with pytest.raises(PlanError, match="缺少欄位：授課學期學分節數"):
        CoursePlan.from_workbook(read_workbook(path))
    path = write_xlsx(tmp_path / "other.xlsx", {"S": [["姓名", "電話"], ["王", "1"]]})
    with pytest.raises(PlanError, match="找不到標題列"):
        CoursePlan.from_workbook(read_workbook(path))
    path = write_xlsx(tmp_path / "empty.xlsx", {"S": [PLAN_HEADER_RAW]})
    with pytest.raises(PlanError, match="沒有任何課程"):
        CoursePlan.from_workbook(read_workbook(path))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(ServiceError, match="無法讀取"):
        read_plan_file(broken)


def test_newest_year_wins_for_a_repeated_code(tmp_path: Path) -> None:
    rows = [
        PLAN_HEADER_RAW,
        [113, "H", "112011302H11101A1010101", "國語文", "444444", "", ""],
        [112, "H", "112011302H11101A1010101", "國文", "440000", "", ""],
    ]
    plan = CoursePlan.from_workbook(read_workbook(write_xlsx(tmp_path / "p.xlsx", {"S": rows})))
    assert plan["112011302H11101A1010101"].name == "國語文"


def test_code_tables_and_credit_characters() -> None:
    assert COURSE_CATEGORIES["1"] == "部定必修" and COURSE_CATEGORIES["9"] == "彈性學習時間"
    assert len(COURSE_CATEGORIES) == 15 and SUBJECT_ATTRIBUTES["D"].endswith("(授予學分)")
    assert [credit_value(c) for c in "0129ADIRSTZ"] == [None, 1, 2, 9, 1, 4, 9, 10, 11, 12, 0]
    assert course_attributes("113011302H11101A1010101", None) == ("1", "1")
    nine_d = next(c for c in PLAN.values() if c.name == "充實補強")
    assert course_attributes(nine_d.code, nine_d) == ("9", "D")
