"""A report that cannot be written (issue 11): one clean zh-TW line on stderr, exit 2, and no
"Exception ignored … closed file" noise from openpyxl's write-only sheets at exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import handmade_rosters as rf
import pytest


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("files")
    blocker = folder / "a_file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    return rf.write_plan(folder / "plan.xlsx", "vendor"), rf.write_pre_xlsx(folder / "roster.xlsx"), blocker


def unwritable_targets(folder: Path, blocker: Path, what: str) -> list[tuple[Path, str]]:
    """(target, the one line the CLI prints): the path refusals of every export, then the writer's."""
    targets = [
        (blocker / "sub" / "r.xlsx",
         f"錯誤：無法寫入{what}「{blocker / 'sub' / 'r.xlsx'}」：路徑中有一段不是資料夾（「{blocker}」是檔案），請改選位置。\n"),
        (folder, f"錯誤：無法讀寫檔案「{folder}」：這是資料夾，不是檔案。請指定{what}的檔名，例如 {folder / (what + '.xlsx')}。\n"),
    ]  # fmt: skip
    if Path("/dev/full").exists():
        targets.append(
            (Path("/dev/full"), f"錯誤：無法寫入{what}「/dev/full」：磁碟空間不足。請改選可寫入的位置，並確認檔案未被 Excel 開啟。\n")
        )
    return targets


@pytest.mark.parametrize("option, what", [("--report", "報表"), ("--annotate", "標註檔")])
def test_unwritable_report_gives_one_clean_line(
    option: str, what: str, files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    plan, roster, blocker = files
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "appdata"), PYTHONIOENCODING="utf-8")
    for target, line in unwritable_targets(tmp_path, blocker, what):
        done = subprocess.run(
            [sys.executable, "-m", "desktop_app", "precheck", str(roster), "--plan", str(plan),
             "--school-code", "011302", option, str(target)],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done
        assert done.stderr == line, done.stderr
