"""The pre-check engine on hand-made files: roster kind, cover checks, formats, W01/R19/P01/O01 edges.

The files come from ``tests/handmade_rosters.py`` (written from the spec alone for an acceptance
review, not from the project's sample generators); every expected count is worked out by hand there."""

from __future__ import annotations

from pathlib import Path

import handmade_rosters as rf
import pytest

from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.domain.precheck.plan import CoursePlan
from desktop_app.services.precheck.check import check_roster, read_plan_file

TERM = {"school_code": "011302", "year": 114, "term": 1}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CoursePlan]:
    folder = tmp_path_factory.mktemp("plans")
    return {
        layout: read_plan_file(rf.write_plan(folder / f"plan_{layout}.xlsx", layout))
        for layout in ("platform", "vendor")
    }


@pytest.mark.parametrize("layout", ["platform", "vendor"])
def test_mixed_final_roster_gives_the_hand_counted_catalogue(
    tmp_path: Path, plans: dict[str, CoursePlan], layout: str
) -> None:
    roster = rf.write_final_day(tmp_path / "final.xlsx")
    result = check_roster(roster, plans[layout], CheckOptions(school_code="011302"))
    assert result.counts == rf.EXPECT_FINAL_DAY
    assert (result.kind, result.division, result.year, result.term) == ("final", "day", 114, 1)
    assert result.rows == {"學期成績": 45, "補修成績": 3, "轉學轉科成績": 4, "學期成績(缺)": 2}
    assert sorted(g.course_code for g in result.offering) == sorted([rf.E, rf.G])
    assert [(p.rule, p.course_code, p.affected, p.total) for p in result.patterns] == [("R10", rf.B, 6, 9)]


def test_a_pre_roster_with_a_stray_grade_stays_a_pre_roster(
    tmp_path: Path, plans: dict[str, CoursePlan]
) -> None:
    """No cover, no --kind: 7 of 8 rows carry no grade, so it is a 預檢 roster with one R13,
    not a final roster with R14/R17 on every row (the app used to call it final)."""
    roster = rf.write_pre_xlsx(tmp_path / "roster.xlsx", roster_type=None)
    result = check_roster(roster, plans["platform"], CheckOptions(**TERM))
    assert result.kind == "pre"
    assert result.counts == rf.EXPECT_PRE


def test_a_roster_where_most_rows_carry_grades_is_final(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    rows = [rf.sem(i, "0920101", rf.A, "國語文(一)", "1", "4") for i in range(1, 4)]
    rows.append(rf.sem(4, "0920101", rf.A, "國語文(一)", "1", "4", score="", passed="", counts=""))
    roster = rf.write_sheets(tmp_path / "roster.xlsx", [("學期成績", rf.SEM, rows)])
    result = check_roster(roster, plans["platform"], CheckOptions(**TERM))
    assert result.kind == "final"
    assert result.counts == {"R14": 1, "R17": 1, "O01": 4}  # B C E H due in grade 1; A has rows


@pytest.mark.parametrize(
    ("writer", "name", "encoding"),
    [
        (rf.write_pre_xlsx, "pre.xlsx", None),
        (rf.write_pre_xls, "pre.xls", None),
        (rf.write_pre_cp950_csv, "pre_cp950.csv", "cp950"),
        (rf.write_pre_utf16_tab, "pre_unicode.txt", "utf-16"),
    ],
)
def test_the_same_rows_in_every_format_give_the_same_counts(
    tmp_path: Path, plans: dict[str, CoursePlan], writer: object, name: str, encoding: str | None
) -> None:
    path = writer(tmp_path / name)  # type: ignore[operator]
    options = CheckOptions(kind="pre", **TERM) if name.endswith(".xlsx") else CheckOptions(**TERM)
    result = check_roster(path, plans["vendor"], options)
    assert result.counts == rf.EXPECT_PRE
    assert result.rows == {"學期成績": 8}
    if encoding:
        assert result.encoding == encoding
    if name.endswith("cp950.csv"):  # title rows above a full-width header: Excel rows 4..11
        assert [f.row for f in result.findings if f.code == "R13"] == [10]
        assert [(n.row, n.chars) for n in result.pua] == [(4, "\ue000")]


@pytest.mark.parametrize(
    ("roster_type", "division", "f04"),
    [("41", None, 0), ("42", None, 1), ("42", "day", 1), ("41", "continuing", 1)],
)
def test_cover_roster_type_must_fit_the_division_of_the_columns(
    tmp_path: Path, plans: dict[str, CoursePlan], roster_type: str, division: str | None, f04: int
) -> None:
    """名冊別 42 is the 進修部 預檢 roster; its sheets have 修課節數 / 是否採計學時 (formats.md).
    A 42 cover on 日間 columns is F04, reported once even when --division also disagrees."""
    roster = rf.write_pre_xlsx(tmp_path / "roster.xlsx", roster_type=roster_type)
    result = check_roster(roster, plans["platform"], CheckOptions(division=division))  # type: ignore[arg-type]
    assert result.counts.get("F04", 0) == f04
    assert {k: v for k, v in result.counts.items() if k != "F04"} == rf.EXPECT_PRE  # rows still checked
    if f04:
        (finding,) = [f for f in result.findings if f.code == "F04"]
        assert (finding.sheet, finding.row, finding.column) == ("封面", 2, "名冊別")


def test_cover_41_on_continuing_columns_is_f04(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    header = [h.replace("修課學分", "修課節數").replace("是否採計學分", "是否採計學時") for h in rf.SEM]
    roster = rf.write_pre_xlsx(tmp_path / "roster.xlsx", roster_type="41", header=header)
    result = check_roster(roster, plans["platform"], CheckOptions())
    assert result.counts == {"F04": 1, **rf.EXPECT_PRE}
    assert "進修部" in next(f.message for f in result.findings if f.code == "F04")


def test_cover_against_chosen_term_school_and_kind(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    roster = rf.write_pre_xlsx(tmp_path / "roster.xlsx", roster_type="41")
    plan = plans["platform"]
    assert check_roster(roster, plan, CheckOptions()).counts == rf.EXPECT_PRE
    wrong_term = check_roster(roster, plan, CheckOptions(year=113, term=2))
    assert wrong_term.counts["F04"] == 2  # 學年度 and 學期
    wrong_school = check_roster(roster, plan, CheckOptions(school_code="011303"))
    assert wrong_school.counts["F04"] == 1 and wrong_school.counts["R07"] == 8
    assert check_roster(roster, plan, CheckOptions(kind="final")).counts["F04"] == 1


def test_continuing_final_roster_reads_its_own_columns(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    roster = rf.write_sheets(tmp_path / "cont.xlsx", [("學期成績", rf.CONT, rf.CONT_ROWS)])
    result = check_roster(roster, plans["platform"], CheckOptions(**TERM))
    assert (result.kind, result.division) == ("final", "continuing")
    assert result.counts == rf.EXPECT_CONT


def test_w01_edges_and_masked_ids(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    rows = [
        rf.sem(1, "0920101", rf.A, "國語文(一)", "1", "4", id_value=" " + rf.S[1]),  # W01
        rf.sem(2, "0920101", rf.A.lower(), "國語文(一)", "1", "4"),  # W01 (lower case code)
        rf.sem(3, "0920101", rf.A, "國語文(一)", "1", "4.0"),  # nothing: 4.0 is how it is stored
        rf.sem(4, "920101", rf.A, "國語文(一)", "1", "4"),  # nothing: the birth date lost its zero
        rf.sem(5, "0920101", rf.A, "國語文【一】", "1", "4"),  # R09 only, not W01
        rf.sem(6, "0920101", rf.A, "國語文(一)", "１", "4"),  # W01
        rf.sem(7, "0920101", rf.A, "國語文(一)", "1", "4", score="８０"),  # W01
        rf.sem(8, "0920101", rf.A, "國語文(一)", "1", "4", id_value="Ｆ" + rf.S[8][1:]),  # W01
        rf.sem(9, "0920101", rf.A, "國語文(一)", "1", "4", counts="1 "),  # W01
        rf.sem(10, "0920101", rf.A, "國語文(一)", "1", "4", score="  "),  # spaces only = empty: R14
    ]
    roster = rf.write_sheets(tmp_path / "w01.xlsx", [("學期成績", rf.SEM, rows)])
    result = check_roster(roster, plans["platform"], CheckOptions(kind="final", **TERM))
    assert {k: v for k, v in result.counts.items() if k != "O01"} == {"W01": 6, "R09": 1, "R14": 1}
    assert [f.row for f in result.findings if f.code == "W01"] == [2, 3, 7, 8, 9, 10]
    spaced = next(f for f in result.findings if f.code == "W01" and f.row == 2)
    assert spaced.value == " " + rf.S[1][:6] + "****"  # the mask is not shifted by the space
    for finding in result.findings:
        assert not any(s in f"{finding.value}{finding.message}{finding.student_id}" for s in rf.S[1:])


def test_r19_compares_cleaned_dates_and_skips_bad_ones(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    rows = [
        rf.sem(1, 920101, rf.A, "國語文(一)", "1", "4"),
        rf.sem(1, "0920101", rf.B, "數學", "1", "3"),  # same date stored as text: no R19
        rf.sem(2, "０９２０１０１", rf.A, "國語文(一)", "1", "4"),  # W01
        rf.sem(2, "0920101", rf.B, "數學", "1", "3"),  # same date once cleaned: no R19
        rf.sem(3, "0920101", rf.A, "國語文(一)", "1", "4"),
        rf.sem(3, "0920102", rf.B, "數學", "1", "3"),  # R19
        rf.sem(3, "0920103", rf.C, "彈性學習", "1", "1", score="-1", passed="-1", counts="3"),  # R19
        rf.sem(4, "0921301", rf.A, "國語文(一)", "1", "4"),  # R04; not the reference date
        rf.sem(4, "0920101", rf.B, "數學", "1", "3"),
        rf.sem(4, "0920102", rf.H, "多元選修", "1", "1"),  # R19
    ]
    roster = rf.write_sheets(tmp_path / "r19.xlsx", [("學期成績", rf.SEM, rows)])
    result = check_roster(roster, plans["platform"], CheckOptions(kind="final", **TERM))
    assert {k: v for k, v in result.counts.items() if k != "O01"} == {"R19": 3, "R04": 1, "W01": 1}
    assert [f.row for f in result.findings if f.code == "R19"] == [7, 8, 11]


def test_p01_thresholds(tmp_path: Path, plans: dict[str, CoursePlan]) -> None:
    rows = [rf.sem(i, "0920101", rf.A, "國語文(一)", "1", "3" if i < 5 else "4") for i in range(10)]  # 5/10
    rows += [rf.sem(i, "0920101", rf.B, "數學", "1", "2") for i in range(10, 14)]  # 4/4: < 5 rows
    rows += [
        rf.sem(i, "0920101", rf.H, "多元" if i < 20 else "多元選修", "1", "1") for i in range(15, 26)
    ]  # 5/11
    roster = rf.write_sheets(tmp_path / "p01.xlsx", [("學期成績", rf.SEM, rows)])
    result = check_roster(roster, plans["platform"], CheckOptions(kind="final", **TERM))
    assert [(p.rule, p.course_code, p.affected, p.total) for p in result.patterns] == [("R10", rf.A, 5, 10)]
    assert result.counts["P01"] == 1 and result.counts["R10"] == 9 and result.counts["R09"] == 5


def test_o01_lists_the_due_部定必修_first_and_never_forbidden_codes(tmp_path: Path) -> None:
    from desktop_app.domain.precheck.model import PlanCourse

    elective_g2 = rf.code(113, "5", "1", "05", "09")  # sorts first by code (cohort 113)
    group_g2 = rf.code(113, "8", "0", "00", "09")  # 團體活動: R18 forbids it, never due
    courses = [PlanCourse(c, name, credits, attributes=attr) for c, name, credits, attr in rf.PLAN]
    courses += [PlanCourse(elective_g2, "多元二", "002000", "5105"), PlanCourse(group_g2, "班會二", "001100")]
    plan = CoursePlan.from_courses(courses)
    rows = [
        rf.sem(1, "0920101", rf.A, "國語文(一)", "1", "4"),
        rf.sem(2, "0920101", rf.G, "國語文(三)", "2", "4"),
    ]
    roster = rf.write_sheets(tmp_path / "r.xlsx", [("學期成績", rf.SEM, rows)])
    result = check_roster(roster, plan, CheckOptions(kind="final", **TERM))
    assert [(g.course_code, g.category_name) for g in result.offering] == [
        (rf.E, "部定必修"),
        (elective_g2, "多元選修"),
        (rf.B, "校訂必修"),
        (rf.H, "多元選修"),
        (rf.C, "彈性學習時間"),
    ]
