"""Rosters in the real layouts (日間/進修部 × 預檢/final, 重修重讀): a clean file gives zero findings,
a file with injected errors gives exact counts per code, through the engine and the CLI; pass marks;
F06; the roster files are never written."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import precheck_layouts as L
import pytest

from desktop_app.demo.precheck_samples import plan_rows, write_xlsx
from desktop_app.domain.precheck.model import CheckOptions, PrecheckResult
from desktop_app.services.precheck.check import check_roster
from desktop_app.storage.migrate import open_database

OPTIONS = CheckOptions(school_code="011302")
PRE_COVER = {"day": ("011302", 113, 1, "41"), "continuing": ("011302", 113, 1, "42")}


def check(path: Path, options: CheckOptions = OPTIONS, **kwargs: object) -> PrecheckResult:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = check_roster(path, L.PLAN, options, other_plans=[L.OLD_PLAN], **kwargs)  # type: ignore[arg-type]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before == result.sha256  # never written
    return result


KINDS: list[tuple[str, Callable[[], L.Sheets], tuple[object, ...] | None, str, str]] = [
    ("day-final", L.day_final, None, "final", "day"),
    ("day-pre", L.day_pre, PRE_COVER["day"], "pre", "day"),
    ("continuing-final", L.cont_final, None, "final", "continuing"),
    ("continuing-pre", L.cont_pre, PRE_COVER["continuing"], "pre", "continuing"),
    ("repeat-reread", L.repeat_roster, None, "final", "day"),
]


@pytest.mark.parametrize("text", [False, True], ids=["typed", "text"])
@pytest.mark.parametrize(("name", "build", "cover", "kind", "division"), KINDS, ids=[k[0] for k in KINDS])
def test_clean_roster_of_each_kind_has_no_finding(
    tmp_path: Path,
    name: str,
    build: Callable[[], L.Sheets],
    cover: object,
    kind: str,
    division: str,
    text: bool,
) -> None:
    sheets = build()
    kwargs = {"cover": cover} if cover else {}
    result = check(L.write(tmp_path / f"{name}.xlsx", sheets, text=text, **kwargs))  # type: ignore[arg-type]
    assert result.counts == {}, result.findings[:5]
    assert (result.kind, result.division, result.year, result.term) == (kind, division, 113, 1)
    assert result.rows == {sheet: len(rows) for sheet, (_layout, rows) in sheets.items()}
    assert any("DataKey" in note for note in result.notes)  # the extra column is named, not refused


def _day_final_errors() -> L.Sheets:
    s = L.day_final()
    sem = s["學期成績"][1]
    sem[0].update({"學期學業成績": 85, "成績及格": 0})  # R15
    sem[2].update({"學期學業成績": -1, "成績及格": 1})  # W03 (credit without a score)
    sem[3].update({"學期學業成績": -1, "成績及格": 0})  # R14
    sem[4].update({"補考成績": 66, "補考及格": 1})  # R16 (成績及格 1)
    s["補修成績"][1][0]["補修及格"] = 0  # R15 (72)
    s["轉學轉科成績"][1][0]["對應年級"] = 4  # R11
    s["學期成績(缺)"][1].append({**sem[5], "課程代碼": ""})  # R05
    return s


def _cont_final_errors() -> L.Sheets:
    s = L.cont_final()
    sem, makeup = s["學期成績"][1], s["補考成績"][1]
    sem[0].update({"學年學業成績": 80})  # R15 (學年及格 -1)
    passed = sem[5]  # a passed course that gets a 補考成績 row: R16 across sheets
    second = L.credits_of(L.PLAN[str(passed["課程代碼"])], 1, 2)
    makeup.append({**passed, "第一學期開設修課節數": passed["修課節數"], "第二學期開設修課節數": second or -1,
                   "第一次補考成績": 70, "第一次及格": 1, "第二次補考成績": -1, "第二次及格": -1})  # fmt: skip
    makeup[0].update({"第二次補考成績": 70, "第二次及格": 1})  # R16 (第一次及格 1)
    makeup[1]["第一學期開設修課節數"] = 9  # R10
    chem = next(c for c in L.PLAN.values() if c.code.startswith("113") and c.name == "化學")  # 020000
    makeup.append({**makeup[2], "課程代碼": chem.code, "科目名稱": "化學", "開課年級": 1,
                   "第一學期開設修課節數": 2, "第二學期開設修課節數": 2})  # fmt: skip  # R11 (1上 not taught)
    return s


def _repeat_errors() -> L.Sheets:
    s = L.repeat_roster()
    repeat, reread = s["重修成績"][1], s["重讀成績"][1]
    repeat[0]["重修及格"] = 0  # R15 (68)
    repeat.append(dict(repeat[1]))  # R12 (ID + 原修課課程代碼)
    reread[1].update({"重讀成績": "七十"})  # R14
    reread[2].update({"補考成績": 65, "補考及格": 1})  # R16 (再次修習成績及格 1)
    s["重修成績(缺)"][1].append({**repeat[1], "原修課課程代碼": ""})  # R05
    return s


def _day_pre_errors() -> L.Sheets:
    s = L.day_pre()
    s["學期成績"][1][0]["學期學業成績"] = 80  # R13
    s["學期成績"][1][1]["修課學分"] = 9  # R10
    return s


def _cont_pre_errors() -> L.Sheets:
    s = L.cont_pre()
    s["學期成績"][1][0]["學年學業成績"] = 70  # R13
    s["學期成績"][1][1]["修課節數"] = 9  # R10
    return s


ERRORS = [
    ("day-final", _day_final_errors, None, {"R05": 1, "R11": 1, "R14": 1, "R15": 2, "R16": 1, "W03": 1}),
    ("continuing-final", _cont_final_errors, None, {"R10": 1, "R11": 1, "R15": 1, "R16": 2}),
    ("repeat-reread", _repeat_errors, None, {"R05": 1, "R12": 1, "R14": 1, "R15": 1, "R16": 1}),
    ("day-pre", _day_pre_errors, PRE_COVER["day"], {"R10": 1, "R13": 1}),
    ("continuing-pre", _cont_pre_errors, PRE_COVER["continuing"], {"R10": 1, "R13": 1}),
]


@pytest.mark.parametrize(("name", "build", "cover", "expected"), ERRORS, ids=[e[0] for e in ERRORS])
def test_injected_errors_give_exact_counts_in_engine_and_cli(
    tmp_path: Path, name: str, build: Callable[[], L.Sheets], cover: object, expected: dict[str, int]
) -> None:
    kwargs = {"cover": cover} if cover else {}
    path = L.write(tmp_path / f"{name}.xlsx", build(), **kwargs)  # type: ignore[arg-type]
    result = check(path)
    assert result.counts == expected, [(f.code, f.sheet, f.row, f.message) for f in result.findings]
    before = path.read_bytes()
    document = _cli(tmp_path, path, [L.OLD_PLAN, L.PLAN])
    assert document["counts"] == expected and path.read_bytes() == before


def _cli(tmp_path: Path, roster: Path, plans: list, *extra: str) -> dict:
    """``desktop-app precheck`` in a process, with a database holding every plan version."""
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "data"))
    db = tmp_path / "app.sqlite3"
    open_database(db, backup=None).close()  # --db never creates a database
    app = [sys.executable, "-m", "desktop_app"]
    out = tmp_path / "out.json"
    for i, plan in enumerate(plans):  # each run stores its plan as a version; the last one checks
        plan_file = write_xlsx(tmp_path / f"plan{i}.xlsx", {"課程計畫": plan_rows(plan)})
        cmd = [*app, "precheck", str(roster), "--plan", str(plan_file), "--db", str(db), "--json", str(out)]
        done = subprocess.run(
            [*cmd, "--school-code", "011302", *extra], env=env, capture_output=True, check=False
        )
        assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    return json.loads(out.read_text(encoding="utf-8"))


def test_repeat_codes_are_looked_up_in_every_stored_plan(tmp_path: Path) -> None:
    path = L.write(tmp_path / "repeat.xlsx", L.repeat_roster())
    alone = check_roster(path, L.PLAN, OPTIONS)  # without the older version: its code is unknown
    assert alone.counts == {"R08": 1}
    assert check_roster(path, L.PLAN, OPTIONS, other_plans=lambda: [L.OLD_PLAN]).counts == {}


def test_f03_names_the_column_and_the_sheet_kind(tmp_path: Path) -> None:
    sheets = L.cont_final()
    L.LAYOUTS["cont_semester_old"] = [h for h in L.LAYOUTS["cont_semester"] if h != "學年及格"]
    sheets["學期成績"] = ("cont_semester_old", sheets["學期成績"][1])
    try:
        result = check(L.write(tmp_path / "f03.xlsx", sheets))
    finally:
        del L.LAYOUTS["cont_semester_old"]
    f03 = [f for f in result.findings if f.code == "F03"]
    assert len(f03) == 1 and f03[0].sheet == "學期成績" and f03[0].column == "學年及格"
    assert "進修部(學校)" in f03[0].message and "「學期成績」" in f03[0].message
    assert result.rows["補考成績"] == 3  # the other sheets are still checked


def _one_row(score: int, passed: int) -> L.Sheets:
    sheets = L.day_final()
    L.find(sheets, "學期成績", lambda r: r["學期學業成績"] == 85).update(
        {"學期學業成績": score, "成績及格": passed}
    )
    return sheets


def test_pass_marks_default_own_mark_and_grey_zone(tmp_path: Path) -> None:
    path = L.write(tmp_path / "marks.xlsx", _one_row(55, 1))
    sid, number = L.STUDENTS[0][0], L.STUDENTS[0][6]
    assert check(path).counts == {"R15": 1}  # at the default 60
    assert check(path, CheckOptions(school_code="011302", student_pass_marks={sid: 50})).counts == {}
    assert check(path, CheckOptions(school_code="011302", student_pass_marks={number: 50})).counts == {}
    own_55 = check(path, CheckOptions(school_code="011302", student_pass_marks={sid: 56}))
    assert own_55.counts == {"R15": 1} and "56" in own_55.findings[0].message
    grey = check(path, CheckOptions(school_code="011302", other_pass_marks=(50.0, 40.0)))
    assert grey.counts == {"W02": 1}
    assert "及格標準待確認" in grey.findings[0].message and "50" in grey.findings[0].message
    assert grey.pass_marks == {"default": 60.0, "others": [50.0, 40.0], "students": 0}
    below = L.write(tmp_path / "below.xlsx", _one_row(35, 1))
    assert check(below, CheckOptions(school_code="011302", other_pass_marks=(50.0, 40.0))).counts == {
        "R15": 1
    }
    fail_at_50 = L.write(tmp_path / "fail50.xlsx", _one_row(55, 0))
    marks = CheckOptions(school_code="011302", student_pass_marks={sid: 50}, other_pass_marks=(50.0,))
    assert check(fail_at_50, marks).counts == {"R15": 1}  # 55 passes at the student's 50


def test_f06_other_rosters(tmp_path: Path) -> None:
    cadre = write_xlsx(
        tmp_path / "cadre.xlsx",
        {
            "封面": [["學校代碼", "學年度", "學期", "名冊別"], ["011302", 113, 1, "24"]],
            "幹部經歷": [
                ["身分證號", "出生日期", "單位名稱", "開始日期", "結束日期", "擔任職務", "幹部等級"],
                [L.STUDENTS[0][0], L.STUDENTS[0][1], "班級", "1130901", "1140131", "班長", "1"],
            ],
        },
    )
    master = write_xlsx(
        tmp_path / "students.xlsx",
        {
            "學生資料": [
                ["學號", "姓名", "身分證號", "出生日期", "性別代碼", "部別代碼", "班別", "年級", "班級名稱", "座號", "學籍狀態"],
                ["1130001", "陳家豪", L.STUDENTS[0][0], L.STUDENTS[0][1], "1", "1", "01", "1", "101", "1", "1"],
            ]
        },
    )  # fmt: skip
    outcomes = write_xlsx(
        tmp_path / "outcomes.xlsx",
        {
            "重讀課程學習成果": [
                ["身分證號", "實際修課學期", "課程代碼", "科目名稱", "開課年級", "修課學分", "成果簡述"],
                [L.STUDENTS[0][0], 1, "113011302H11101A1010101", "國語文", 1, 4, "閱讀報告"],
            ]
        },
    )  # has 課程代碼 and 修課學分, yet it is not a 修課 roster: F06, not F03
    for path, looks in ((cadre, "校內幹部經歷名冊"), (master, "學生資料名冊"), (outcomes, "課程學習成果")):
        result = check(path)
        assert result.fatal and result.counts == {"F06": 1}, result.findings
        assert looks in result.findings[0].message and "F03" not in result.counts
    plan = write_xlsx(tmp_path / "plan.xlsx", {"課程計畫": plan_rows(L.PLAN)})
    out = tmp_path / "out.json"
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "data"))
    cmd = [
        sys.executable,
        "-m",
        "desktop_app",
        "precheck",
        str(cadre),
        "--plan",
        str(plan),
        "--json",
        str(out),
    ]
    assert subprocess.run(cmd, env=env, capture_output=True, check=False).returncode == 2
    assert json.loads(out.read_text(encoding="utf-8"))["counts"] == {"F06": 1}


def test_the_engine_opens_and_hashes_no_file() -> None:
    """File reading and hashing live in readers/services; the domain engine gets an opened source."""
    import ast

    folder = Path(__file__).resolve().parents[2] / "desktop_app" / "domain" / "precheck"
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        imported = {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names
        }
        assert not {"open", "hashlib", "open_workbook", "read_workbook", "read_bytes", "main"} & (
            names | imported
        ), path.name
