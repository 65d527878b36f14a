"""`--year`, `--term` and `--font` are checked on every command that takes them (issue 11): an
implausible 學年度 or a file that is not a TrueType font is refused in zh-TW, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.domain.hygiene import school_year_range


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *map(str, args)], capture_output=True, text=True, timeout=120
    )


YEAR_COMMANDS = [
    ("group", "status"),
    ("group", "export", "--xlsx", "{tmp}/g.xlsx"),
    ("calendar", "plan"),
    ("calendar", "export", "--xlsx", "{tmp}/c.xlsx"),
    ("precheck", "{tmp}/roster.xlsx", "--plan", "{tmp}/plan.xlsx", "--term", "1"),
]


@pytest.mark.parametrize("year", ["-5", "2024", "99", "abc"])
@pytest.mark.parametrize("command", YEAR_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_implausible_year_is_refused(command: tuple[str, ...], year: str, tmp_path: Path) -> None:
    low, high = school_year_range()
    args = [a.format(tmp=tmp_path) for a in command]
    done = run(*args, "--year", year, "--db", tmp_path / "db.sqlite3")
    assert done.returncode == 2
    assert f"學年度須為民國年 {low}–{high}" in done.stderr and f"收到「{year}」" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # refused before anything was opened
    if year == "2024":
        assert "西元年" in done.stderr


@pytest.mark.parametrize("term", ["2024-1", "99-1", "113-7"])
@pytest.mark.parametrize("sub", ["evidence", "export"])
def test_selfcheck_term_checked(sub: str, term: str, tmp_path: Path) -> None:
    done = run("selfcheck", sub, "--term", term, "--db", tmp_path / "db.sqlite3")
    assert done.returncode == 2 and "參數 --term" in done.stderr and "Traceback" not in done.stderr


def test_precheck_term_must_be_1_or_2(tmp_path: Path) -> None:
    done = run("precheck", tmp_path / "r.xlsx", "--plan", tmp_path / "p.xlsx", "--year", "113", "--term", "3")
    assert done.returncode == 2 and "參數 --term 不接受" in done.stderr


@pytest.mark.parametrize("sub", ["slips", "reminders"])
def test_font_that_is_not_truetype_is_refused(sub: str, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    for font, expected in (
        ("/etc/passwd", "不是 TrueType 字型檔"),
        (str(tmp_path / "missing.ttf"), "不存在"),
        (str(tmp_path), "是資料夾"),
    ):
        done = run("receipts", sub, "1", "--out", tmp_path / "x.pdf", "--font", font, "--db", db)
        assert done.returncode == 2, done
        assert "參數 --font：" in done.stderr and expected in done.stderr and "Traceback" not in done.stderr
    otf = tmp_path / "cff.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 100)
    done = run("receipts", sub, "1", "--out", tmp_path / "x.pdf", "--font", otf, "--db", db)
    assert done.returncode == 2 and "OpenType/CFF" in done.stderr


def test_truetype_font_without_chinese_is_refused(tmp_path: Path) -> None:
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.is_file():
        pytest.skip("DejaVu Sans not installed")
    from desktop_app.demo import build_demo_database

    build_demo_database(tmp_path).close()
    db = tmp_path / "demo.sqlite3"
    done = run("receipts", "slips", "1", "--out", tmp_path / "x.pdf", "--font", latin, "--db", db)
    assert done.returncode == 2 and "沒有中文字" in done.stderr and not (tmp_path / "x.pdf").exists()
