"""Every code of the catalogue: a file that triggers it and a near-miss that must not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from precheck_helpers import (
    BIRTH,
    CODE,
    COUNTS,
    CREDITS,
    GRADE,
    ID,
    MAKEUP,
    MAKEUP_PASS,
    NAME,
    OPTIONS,
    PASSED,
    PLAN,
    SCORE,
    SUBJECT,
)

from desktop_app.demo.precheck_samples import (
    DAY_SEMESTER_HEADER,
    RETAKE_HEADER,
    as_rows,
    clean_rows,
    course_code,
    write_csv,
    write_roster,
    write_xlsx,
)
from desktop_app.domain.national_id import make_valid_id
from desktop_app.domain.precheck.model import CheckOptions, PrecheckResult
from desktop_app.domain.precheck.plan import CoursePlan
from desktop_app.domain.precheck.rules import RULES
from desktop_app.services.precheck.check import check_roster

Rows = list[dict[str, object]]


def run(tmp_path: Path, rows: Rows, options: CheckOptions = OPTIONS, **kwargs: object) -> PrecheckResult:
    path = write_roster(tmp_path / "roster.xlsx", rows, **kwargs)  # type: ignore[arg-type]
    return check_roster(path, PLAN, options)


def base() -> Rows:
    return clean_rows(PLAN)


def first(rows: Rows, subject: str = "國語文", grade: int = 1) -> dict[str, object]:
    return next(r for r in rows if r[SUBJECT] == subject and r[GRADE] == grade)


def test_clean_roster_has_no_finding(tmp_path: Path) -> None:
    result = run(tmp_path, base())
    assert result.counts == {}
    assert result.rows == {"學期成績": 27}
    assert (result.kind, result.division, result.year, result.term) == ("final", "day", 113, 1)
    assert not result.fatal


def _set(**changes: object) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        first(rows).update(changes)

    return apply


def _dup(rows: Rows) -> None:
    rows.append(dict(first(rows)))


def _dup_other_grade(rows: Rows) -> None:
    row = dict(first(rows))
    row[GRADE] = 2
    rows.append(row)


def _r18(rows: Rows) -> None:
    row = dict(first(rows))
    row.update({CODE: course_code(113, "011302", 20, "8", "0", "00"), SUBJECT: "班級活動", CREDITS: 1})
    rows.append(row)


def _other_birth(rows: Rows, birth: object) -> None:
    row = first(rows, "英語文")
    row[BIRTH] = birth


def _r19(rows: Rows) -> None:
    _other_birth(rows, "0990101")


def _r19_near(rows: Rows) -> None:
    # the same date stored as a number that lost its leading zero is the same date
    _other_birth(rows, int(str(first(rows)[BIRTH])))


def _fix_9d(counts: object) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        first(rows, "充實補強").update({COUNTS: counts})

    return apply


CASES: list[tuple[str, Callable[[Rows], None], Callable[[Rows], None]]] = [
    ("W01", _set(**{NAME: " 陳家豪 "}), _set(**{NAME: "陳 家豪", CREDITS: 4.0, GRADE: "1"})),
    ("W01", _set(**{ID: "a100000001"}), _set(**{ID: "A100000001"})),
    ("W01", _set(**{CREDITS: "４"}), _set(**{SUBJECT: "國語文"})),
    ("R01", _set(**{ID: ""}), _set(**{ID: make_valid_id("A81234567")})),
    ("R02", _set(**{ID: "A12345678"}), _set(**{ID: make_valid_id("AC1234567")})),
    ("R03", _set(**{ID: "A100000002"}), _set(**{ID: make_valid_id("Z91234567")})),
    ("R04", _set(**{BIRTH: "0981345"}), _set(**{BIRTH: 980605})),
    (
        "R04",
        _set(**{BIRTH: "98/06/05"}),
        _set(**{BIRTH: "0980229".replace("098", "097")}),
    ),  # 97 is a leap year
    ("R05", _set(**{CODE: ""}), _set(**{CODE: " 113011302H11101A1010101 "})),
    ("R06", _set(**{CODE: "113011302H11101A10101"}), _set(**{CODE: "113011302h11101a1010101"})),
    ("R07", _set(**{CODE: "113999999H11101A1010101"}), _set(**{CODE: "113011302H11101A1010101"})),
    ("R08", _set(**{CODE: "113011302H11101A1010199"}), _set(**{CODE: "１１３011302H11101A1010101"})),
    ("R09", _set(**{SUBJECT: "國文"}), _set(**{SUBJECT: "國語文"})),
    ("R10", _set(**{CREDITS: 3}), _set(**{CREDITS: "4.0"})),
    ("R11", _set(**{GRADE: 4}), _set(**{GRADE: 1.0})),
    ("R12", _dup, _dup_other_grade),
    ("R14", _set(**{SCORE: 105}), _set(**{SCORE: 100, PASSED: 1})),
    ("R14", _set(**{SCORE: -1, PASSED: -1}), _set(**{SCORE: -1, PASSED: -1, COUNTS: 3})),
    ("R15", _set(**{SCORE: 80, PASSED: 0}), _set(**{SCORE: 60, PASSED: 1})),
    (
        "R16",
        _set(**{SCORE: 80, PASSED: 1, MAKEUP: 70}),
        _set(**{SCORE: 50, PASSED: 0, MAKEUP: 70, MAKEUP_PASS: 1}),
    ),
    (  # 補考成績/補考及格 is one of R15's pairs (the catalogue since issue 10)
        "R15",
        _set(**{SCORE: 50, PASSED: 0, MAKEUP: 70, MAKEUP_PASS: 0}),
        _set(**{SCORE: 50, PASSED: 0, MAKEUP: 59.5, MAKEUP_PASS: 0}),
    ),
    ("R17", _set(**{COUNTS: 4}), _set(**{COUNTS: 2})),
    ("R17", _fix_9d(1), _fix_9d("3")),
    ("R18", _r18, _fix_9d(3)),
    ("R19", _r19, _r19_near),
]


@pytest.mark.parametrize(
    ("code", "trigger", "near_miss"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_code_fires_and_near_miss_does_not(
    tmp_path: Path, code: str, trigger: Callable[[Rows], None], near_miss: Callable[[Rows], None]
) -> None:
    rows = base()
    trigger(rows)
    hit = run(tmp_path, rows)
    assert hit.counts.get(code) == 1, hit.counts
    finding = next(f for f in hit.findings if f.code == code)
    assert finding.sheet == "學期成績" and finding.row is not None and finding.row >= 2
    assert finding.severity == RULES[code].severity
    assert finding.column and finding.message
    rows = base()
    near_miss(rows)
    miss = run(tmp_path, rows)
    assert code not in miss.counts, miss.findings


def test_finding_fields_are_filled(tmp_path: Path) -> None:
    rows = base()
    first(rows)[CREDITS] = 3
    (finding,) = run(tmp_path, rows).findings
    assert finding.code == "R10"
    assert finding.row == 2 and finding.column == "修課學分"
    assert (finding.value, finding.expected) == ("3", "4")
    assert finding.student_id == "A10000****"
    assert (finding.student_name, finding.student_class, finding.student_seat) == ("陳家豪", "101", "1")
    assert finding.course_code == "113011302H11101A1010101"


def test_r11_course_not_taught_that_term(tmp_path: Path) -> None:
    rows = base()
    row = first(rows, "歷史")  # 220000: taught 1上 1下 only
    row[GRADE] = 2  # 2上 is "0"; also R10 must not be reported (R11 is the root cause)
    row[CREDITS] = 9
    result = run(tmp_path, rows)
    assert result.counts.get("R11") == 1 and "R10" not in result.counts


def test_r13_pre_roster_with_grades(tmp_path: Path) -> None:
    rows = clean_rows(PLAN, kind="pre")
    first(rows)[SCORE] = 80
    hit = run(tmp_path, rows, cover=("011302", "113", "1", "41"))
    assert hit.kind == "pre" and hit.counts == {"R13": 1}
    rows = clean_rows(PLAN, kind="pre")
    first(rows).update({SCORE: -1, PASSED: "-1", MAKEUP: -1.0})
    miss = run(tmp_path, rows, cover=("011302", "113", "1", "41"))
    assert miss.kind == "pre" and miss.counts == {}


def test_r05_every_row_of_a_missing_sheet(tmp_path: Path) -> None:
    rows = base()
    missing = [dict(rows[0], **{CODE: ""}), dict(rows[1])]
    result = run(tmp_path, rows, extra={"學期成績(缺)": as_rows(missing)})
    assert result.counts == {"R05": 2}
    assert {f.sheet for f in result.findings} == {"學期成績(缺)"}
    empty_missing = run(tmp_path, rows, extra={"學期成績（缺）": [DAY_SEMESTER_HEADER]})
    assert empty_missing.counts == {}


def test_p01_pattern_needs_five_rows_and_half(tmp_path: Path) -> None:
    rows = clean_rows(PLAN, per_grade=4)  # 4 grade-1 students → 4 rows of 國語文 (grade 1)
    code = "113011302H11101A1010101"
    for row in rows:
        if row[CODE] == code:
            row[CREDITS] = 3
    miss = run(tmp_path, rows)
    assert miss.counts.get("R10") == 4 and "P01" not in miss.counts
    rows = clean_rows(PLAN, per_grade=10)
    hits = [r for r in rows if r[CODE] == code]
    assert len(hits) == 10
    for row in hits[:5]:
        row[CREDITS] = 3
    hit = run(tmp_path, rows)
    assert hit.counts.get("P01") == 1
    (pattern,) = hit.patterns
    assert (pattern.rule, pattern.course_code, pattern.affected, pattern.total) == ("R10", code, 5, 10)
    assert pattern.subject == "國語文" and pattern.advice
    for row in hits[:5]:
        row[CREDITS] = 4
    for row in hits[:4]:
        row[CREDITS] = 3
    assert "P01" not in run(tmp_path, rows).counts  # 4 rows: under the minimum of 5


def test_p01_not_under_half(tmp_path: Path) -> None:
    rows = clean_rows(PLAN, per_grade=12)
    code = "113011302H11101A1010101"
    hits = [r for r in rows if r[CODE] == code]
    assert len(hits) == 12
    for row in hits[:5]:
        row[CREDITS] = 3
    assert "P01" not in run(tmp_path, rows).counts  # 5 of 12 < half


def test_o01_due_code_without_rows(tmp_path: Path) -> None:
    rows = [r for r in base() if r[SUBJECT] != "物理"]
    result = run(tmp_path, rows)
    assert result.counts == {"O01": 1}
    (gap,) = result.offering
    assert (gap.subject, gap.grade, gap.category, gap.category_name) == ("物理", 1, "1", "部定必修")
    # a grade with no rows at all makes nothing due; 8/9-not-D codes are never due
    only_grade_1 = [r for r in base() if r[GRADE] == 1]
    assert run(tmp_path, only_grade_1).counts == {}


def test_f01_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    result = check_roster(path, PLAN, OPTIONS)
    assert result.fatal and result.counts == {"F01": 1}
    good = check_roster(write_roster(tmp_path / "ok.xlsx", base()), PLAN, OPTIONS)
    assert not good.fatal


def test_f02_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(",".join(DAY_SEMESTER_HEADER).encode("utf-8") + b"\r\n\x81\xff\xff,\xff\r\n")
    result = check_roster(path, PLAN, OPTIONS)
    assert result.fatal and result.counts == {"F02": 1}
    good = check_roster(write_csv(tmp_path / "ok.csv", as_rows(base()), "cp950"), PLAN, OPTIONS)
    assert good.counts == {} and good.encoding == "cp950"


def test_f03_missing_column_stops_only_that_sheet(tmp_path: Path) -> None:
    header = [h for h in DAY_SEMESTER_HEADER if h != BIRTH]
    retake = [RETAKE_HEADER, ["A100000001", "0980605", "112", "1", "", "國語文", 1, 4, 70, 1, -1, -1, 3, 1]]
    result = run(tmp_path, base(), header=header, extra={"補修成績": retake})
    assert {k: v for k, v in result.counts.items() if k != "O01"} == {"F03": 1, "R05": 1}
    assert not result.fatal and result.rows == {"學期成績": 0, "補修成績": 1}
    f03 = next(f for f in result.findings if f.code == "F03")
    assert "出生日期" in f03.message and f03.sheet == "學期成績"
    sheet = as_rows(base())
    sheet[0] = [h.replace("(", "（").replace(")", "）") + " " for h in DAY_SEMESTER_HEADER]
    result = check_roster(write_xlsx(tmp_path / "fw.xlsx", {"學期成績": sheet}), PLAN, OPTIONS)
    assert result.counts == {} and result.rows == {"學期成績": 27}


def test_f03_final_roster_needs_grade_columns(tmp_path: Path) -> None:
    header = [h for h in DAY_SEMESTER_HEADER if h != MAKEUP_PASS]
    result = run(
        tmp_path, base(), CheckOptions(kind="final", school_code="011302", year=113, term=1), header=header
    )
    assert result.counts == {"F03": 1} and "補考及格" in result.findings[0].message
    pre = run(
        tmp_path,
        clean_rows(PLAN, kind="pre"),
        CheckOptions(kind="pre", school_code="011302", year=113, term=1),
        header=header,
    )
    assert pre.counts == {}


@pytest.mark.parametrize(
    ("cover", "options", "expected"),
    [
        (("011302", "112", "1", ""), OPTIONS, 1),
        (("011303", "113", "2", ""), OPTIONS, 2),
        (("011302", "113", "1", "41"), CheckOptions(kind="final", school_code="011302", year=113, term=1), 1),
        (
            ("011302", "113", "1", "42"),
            CheckOptions(division="day", school_code="011302", year=113, term=1),
            1,
        ),
        (("011302", "113", "1", "25"), OPTIONS, 1),
        ((11302, 113.0, "1", ""), OPTIONS, 0),
        (("011302", "113", "1", "41"), CheckOptions(kind="pre", school_code="011302", year=113, term=1), 0),
    ],
)
def test_f04_cover(tmp_path: Path, cover: tuple[object, ...], options: CheckOptions, expected: int) -> None:
    rows = clean_rows(PLAN, kind="pre") if "41" in cover or "42" in cover else base()
    result = run(tmp_path, rows, options, cover=cover)
    assert result.counts.get("F04", 0) == expected, result.findings
    assert not result.fatal
    for finding in result.findings:
        if finding.code == "F04":
            assert finding.sheet == "封面" and finding.row == 2 and finding.column


def test_f05_no_data_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "roster.xlsx", {"說明": [["這是說明"], ["沒有資料"]]})
    result = check_roster(path, PLAN, OPTIONS)
    assert result.fatal and result.counts == {"F05": 1}
    titled = write_xlsx(
        tmp_path / "titled.xlsx", {"Sheet1": [["113學年度第1學期 學期成績"], [], *as_rows(base())]}
    )
    result = check_roster(titled, PLAN, OPTIONS)
    assert result.counts == {} and result.rows == {"Sheet1": 27}  # checked as 學期成績, named as in the file
    assert result.findings == []


def test_term_from_cover_and_cover_absent(tmp_path: Path) -> None:
    rows = base()
    first(rows)[CREDITS] = 3
    result = run(tmp_path, rows, CheckOptions(school_code="011302"))
    assert (result.year, result.term) == (113, 1) and result.counts == {"R10": 1}
    no_cover = run(tmp_path, rows, CheckOptions(school_code="011302"), cover=None)
    assert no_cover.term is None and "R10" not in no_cover.counts and no_cover.notes


def test_plan_code_table_complete() -> None:
    expected = {"F01", "F02", "F03", "F04", "F05", "F06", "W01", "W02", "W03", "P01", "O01"}
    expected |= {f"R{n:02d}" for n in range(1, 20)}
    assert set(RULES) == expected
    for code, info in RULES.items():
        assert info.code == code and info.title_zh and info.description_zh
        assert info.severity in ("error", "warning")
    assert {c for c, i in RULES.items() if i.severity == "warning"} == {
        "W01",
        "W02",
        "W03",
        "R15",
        "R16",
        "P01",
        "O01",
    }


def test_plan_attributes_override_code_positions(tmp_path: Path) -> None:
    # the plan's 課程屬性 says 8/0 for a code whose positions say 1/1 → R18
    code = "113011302H11101A1010101"
    courses = [
        c if c.code != code else c.__class__(c.code, c.name, c.credits, c.methods, "8000")
        for c in PLAN.values()
    ]
    plan = CoursePlan.from_courses(courses)
    result = check_roster(write_roster(tmp_path / "r.xlsx", base()), plan, OPTIONS)
    assert result.counts == {"R18": 1}


def test_id_findings_never_show_the_full_id(tmp_path: Path) -> None:
    rows = base()
    first(rows)[ID] = "A100000002"  # R03
    first(rows, "英語文")[ID] = " a100000001"  # W01 (space, lower case)
    result = run(
        tmp_path, rows, CheckOptions(school_code="011302", year=113, term=1, mask_pattern="XXXX######")
    )
    assert result.counts == {"R03": 1, "W01": 1}
    for finding in result.findings:
        text = f"{finding.message}{finding.value}{finding.expected}{finding.student_id}"
        assert "A100000002" not in text and "A100000001" not in text.upper().replace(" ", "")
        assert "######" in text


def test_w01_and_pua_in_free_text_and_extra_numeric_columns(tmp_path: Path) -> None:
    rows = base()
    rows[0]["備註(資料當學期座號)"] = 7  # a number: not W01
    rows[1][NAME] = "陳家豪\u3000"  # full-width space at the end: W01
    rows[2]["質性文字描述"] = "表現 良好"  # inner space: not W01
    rows[3][NAME] = "林\ue000"  # 造字: a PUA note, not a finding
    rows[4]["質性文字描述"] = "（佳）"  # full-width brackets in text: not W01
    result = run(tmp_path, rows)
    assert result.counts == {"W01": 1}
    assert (result.findings[0].row, result.findings[0].column) == (3, NAME)
    assert [(n.row, n.column, n.chars) for n in result.pua] == [(5, NAME, "\ue000")]
    from desktop_app.demo.precheck_samples import TRANSFER_HEADER

    transfer = [
        TRANSFER_HEADER,
        ["A100000001", "0980605", "１１３", "1", "113011302H11101A1010101", "國語文", 1, 4, "１", 80, 1, 1],
    ]
    result = run(tmp_path, base(), extra={"轉學轉科成績": transfer})
    assert result.counts == {"W01": 2}  # 對應學年度 and 身分別 are numeric columns: full-width is W01


def test_r12_counts_the_rows_own_term_on_makeup_sheets(tmp_path: Path) -> None:
    """補修成績 rows of 1上 and 1下 share one code and 年級: not a duplicate; the same 學期 twice is."""
    code = first(base())[CODE]
    student = "A100000001"

    def retake(term: str) -> list[object]:
        return [student, "0980605", "112", term, code, "國語文", 1, 4, 70, 1, -1, -1, 3, 1]

    both_terms = run(tmp_path, base(), extra={"補修成績": [RETAKE_HEADER, retake("1"), retake("2")]})
    assert both_terms.rows["補修成績"] == 2 and "R12" not in both_terms.counts
    same_term = run(tmp_path, base(), extra={"補修成績": [RETAKE_HEADER, retake("1"), retake("1")]})
    assert same_term.counts.get("R12") == 1
    r12 = next(f for f in same_term.findings if f.code == "R12")
    assert r12.sheet == "補修成績" and r12.row == 3
