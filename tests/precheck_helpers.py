"""What the pre-check engine and rule tests share: the sample 課程計畫, the check options and the
roster column names, and ``run_cli`` (``python -m desktop_app precheck …`` in a subprocess with
its own data folder). Imported by name (pytest puts this folder on sys.path; no __init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from desktop_app.demo.precheck_samples import sample_plan
from desktop_app.domain.precheck.model import CheckOptions

PLAN = sample_plan(113)
OPTIONS = CheckOptions(school_code="011302", year=113, term=1)
ID, BIRTH, CODE, SUBJECT, GRADE, CREDITS = (
    "身分證號",
    "出生日期",
    "課程代碼",
    "科目名稱",
    "開課年級",
    "修課學分",
)
SCORE, PASSED, MAKEUP, MAKEUP_PASS, COUNTS = (
    "學期學業成績",
    "成績及格",
    "補考成績",
    "補考及格",
    "是否採計學分",
)
NAME = "備註(學生姓名)"


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``desktop-app precheck ARGS`` in a subprocess, its data folder under ``tmp_path``."""
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "precheck", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
def record_two_runs(db, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Two recorded runs of the demo roster in 114-1 (10 and 20 Sept 2025), the second with other errors."""
    from desktop_app.demo.precheck import write_demo_plan, write_demo_roster
    from desktop_app.services.precheck import runs as svc

    version = svc.import_plan(db, write_demo_plan(folder / "plan.xlsx")).version
    plan = svc.load_plan(db, version.id)
    options = svc.resolve_options(db, CheckOptions())
    for name, errors, when in (
        ("a.xlsx", "first", datetime(2025, 9, 10, 9)),
        ("b.xlsx", "second", datetime(2025, 9, 20, 9)),
    ):
        result = svc.check_roster_file(write_demo_roster(folder / name, errors=errors), plan, options)
        svc.record_run(db, result, plan_version_id=version.id, run_at=when)
