"""The same row judged three ways, end to end: at the default 60 (R15), at 50 from the list (no
finding), and in the grey zone when the school declares other marks (W02). Through the services
(as the tab runs), the tab, and the installed command in a subprocess; the report's 摘要 says which
marks were used and the run history keeps them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.demo.precheck_samples import (
    clean_rows,
    plan_rows,
    sample_plan,
    write_csv,
    write_roster,
    write_xlsx,
)
from desktop_app.domain.pass_marks import PassMarkSettings
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.exports.precheck_report import write_report
from desktop_app.services.precheck import runs as svc
from desktop_app.services.precheck.pass_marks import (
    delete_pass_mark,
    list_pass_marks,
    save_pass_mark_settings,
    set_student_pass_mark,
)

OPTIONS = CheckOptions(kind="final", school_code="011302", year=113, term=1)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, object]:
    """A clean final roster but for one row: score 55 with 成績及格 1 (the school's mark was 50)."""
    plan = sample_plan(113)
    rows = clean_rows(plan, per_grade=1)
    target = next(
        r for r in rows if r["是否採計學分"] == 1 and isinstance(r["學期學業成績"], int) and r["學期學業成績"] >= 60
    )
    target.update({"學期學業成績": 55, "成績及格": 1, "補考成績": -1, "補考及格": -1})
    for r in rows:  # the student's other failed scores below 50 too: 及格 0 holds at 60 and at 50
        for column in ("學期學業成績", "補考成績"):
            score = r[column]
            if r is not target and r["身分證號"] == target["身分證號"] and isinstance(score, int) and 50 <= score < 60:
                r[column] = 45
    roster = write_roster(tmp_path / "final.xlsx", rows)
    plan_file = write_xlsx(tmp_path / "plan.xlsx", {"課程計畫": plan_rows(plan)})
    return {
        "roster": roster,
        "plan": plan_file,
        "id": str(target["身分證號"]),
        "student_no": str(target["備註(資料當學期學號)"]),
        "row": rows.index(target) + 2,
    }


def _codes(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c: n for c, n in result.counts.items() if c not in ("O01", "P01")}


def test_services_judge_the_row_at_60_at_50_and_w02(db, files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    version = svc.import_plan(db, files["plan"]).version

    def run():  # type: ignore[no-untyped-def]
        return svc.run_precheck(db, files["roster"], plan_version_id=version.id, options=OPTIONS)

    at_60 = run()  # nothing stored: the default 60, no others, no list
    assert _codes(at_60.result) == {"R15": 1}
    finding = next(f for f in at_60.result.findings if f.code == "R15")
    assert finding.row == files["row"] and finding.column == "成績及格"
    assert at_60.result.pass_marks == {"default": 60.0, "others": [], "students": 0}

    entry = set_student_pass_mark(db, files["id"], 50)  # on the list at 50
    at_50 = run()
    assert _codes(at_50.result) == {}
    assert at_50.result.pass_marks == {"default": 60.0, "others": [], "students": 1, "file": "手動輸入 1 人"}

    delete_pass_mark(db, entry.id)
    save_pass_mark_settings(db, 60, "50, 40")  # not on the list; the school has 50 and 40 too
    grey = run()
    assert _codes(grey.result) == {"W02": 1}
    w02 = next(f for f in grey.result.findings if f.code == "W02")
    assert w02.row == files["row"] and "及格標準待確認" in w02.message and "60、50、40" in w02.message
    assert grey.result.pass_marks == {"default": 60.0, "others": [50.0, 40.0], "students": 0}
    assert list_pass_marks(db) == []

    # the run history keeps the marks; a report of the stored run says them in its 摘要
    stored = svc.result_from_run(db, grey.run.id)
    assert stored.pass_marks == grey.result.pass_marks
    report = write_report(stored, tmp_path / "report.xlsx")
    cells = {r[0]: r[1] for r in load_workbook(report)["摘要"].iter_rows(values_only=True) if r and r[0]}
    assert (cells["預設及格標準"], cells["其他及格標準"], cells["個別及格標準名單"], cells["名單來源"]) == (
        "60",
        "50、40",
        "0 人",
        "（無）",
    )

    # marks given for one run (as the CLI's flags do) override the stored ones
    override = svc.run_precheck(
        db,
        files["roster"],
        plan_version_id=version.id,
        options=OPTIONS,
        pass_marks=PassMarkSettings(60.0, (), {files["student_no"]: 50.0}, "list.csv", listed=1),
    )
    assert _codes(override.result) == {}  # matched by 學號 (備註(資料當學期學號))


def test_tab_run_shows_the_marks(qtbot, db, files) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui.precheck.tab import PrecheckTab

    save_pass_mark_settings(db, 60, "50")
    set_student_pass_mark(db, files["id"], 50)
    tab = PrecheckTab(db)
    qtbot.addWidget(tab)
    tab.import_plan_file(files["plan"])
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("final"))
    tab.set_roster(files["roster"])
    with qtbot.waitSignal(tab.run_finished, timeout=60000) as blocker:
        assert tab.start_check()
    outcome = blocker.args[0]
    assert outcome is not None and _codes(outcome.result) == {}
    assert "及格標準：預設 60 分；其他 50 分；個別名單 1 人（手動輸入 1 人）" in tab.result_label.text()
    qtbot.waitUntil(tab.is_idle, timeout=10000)


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("desktop-app")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "desktop_app"]
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"), PYTHONIOENCODING="utf-8")
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_cli_judges_the_row_at_60_at_50_and_w02(files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = [
        "precheck", str(files["roster"]), "--plan", str(files["plan"]), "--kind", "final",
        "--school-code", "011302", "--year", "113", "--term", "1",
    ]  # fmt: skip
    out = tmp_path / "out.json"

    def counts(*flags: str) -> dict[str, int]:
        proc = _cli(tmp_path, *base, "--json", str(out), *flags)
        assert proc.returncode in (0, 1), proc.stderr
        data = json.loads(out.read_text(encoding="utf-8"))
        return {c: n for c, n in data["counts"].items() if c not in ("O01", "P01")}

    assert counts() == {"R15": 1}
    by_no = write_csv(tmp_path / "list.csv", [["學號", "及格標準"], [files["student_no"], "50"]])
    assert counts("--pass-marks", str(by_no)) == {}
    assert json.loads(out.read_text(encoding="utf-8"))["pass_marks"]["file"] == "list.csv"
    assert counts("--other-pass-marks", "50,40") == {"W02": 1}
    # the whole school at 50: the row passes; rows scored 50–59 with 及格 0 are now the R15s
    assert set(counts("--default-pass-mark", "50")) == {"R15"}
    data = json.loads(out.read_text(encoding="utf-8"))
    assert files["row"] not in {f["row"] for f in data["findings"]}
    assert all(50 <= float(f["message"].split("成績 ")[1].split(" ")[0]) < 60 for f in data["findings"])
    proc = _cli(tmp_path, *base, "--other-pass-marks", "50,40")
    assert "及格標準：預設 60 分；其他 50、40 分；無個別名單" in proc.stdout
