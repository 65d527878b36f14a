"""``desktop-app --self-test`` from source: a real subprocess, real files, real exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import __version__
from desktop_app.selftest import CHECKS, REPORT_ENV, REPORT_FILE, SelfTestFailure, run_checks, run_self_test
from desktop_app.storage.migrate import head_revision


def test_self_test_passes_from_source(tmp_path: Path) -> None:
    report_file = tmp_path / "report.txt"
    env = dict(os.environ, DESKTOP_APP_DATA_DIR=str(tmp_path / "data"), **{REPORT_ENV: str(report_file)})
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--self-test"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert __version__ in lines[0] and "原始碼" in lines[0]
    for key, _title, _fn in CHECKS:
        assert any(line.startswith(f"[通過] {key}") for line in lines), key
    assert lines[-1].endswith("OK")
    assert report_file.read_text(encoding="utf-8").strip() == proc.stdout.strip()
    # the checks work in a temporary folder: the user's data folder holds no database afterwards
    assert not list((tmp_path / "data").glob("*.sqlite3"))


def test_each_check_reports_what_it_verified(tmp_path: Path) -> None:
    results = run_checks(workdir=tmp_path)
    by_key = {r.key: r for r in results}
    assert all(r.ok for r in results), [r.detail for r in results if not r.ok]
    assert f"最新版本 {head_revision()}" in by_key["database"].detail
    assert (tmp_path / "database" / "selftest.sqlite3").is_file()
    assert (tmp_path / "pdf" / "selftest.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "xlsx" / "selftest.xlsx").is_file()
    assert "字型" in by_key["pdf"].detail


def _fails(_workdir: Path) -> str:
    raise SelfTestFailure("故意失敗：測試用")


def _crashes(_workdir: Path) -> str:
    return str(1 / 0)


def test_a_failing_check_gives_non_zero_and_says_what(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(REPORT_ENV, raising=False)
    checks = (CHECKS[2], ("broken", "故障", _fails), ("crash", "當機", _crashes))
    assert run_self_test(checks) == 1
    out = capsys.readouterr().out
    assert "[通過] xlsx" in out
    assert "[失敗] broken    故障：故意失敗：測試用" in out
    assert "ZeroDivisionError" in out and "test_selftest_source.py" in out
    assert out.strip().splitlines()[-1] == "結果：2 項失敗（broken、crash）— FAILED"
    # without DESKTOP_APP_SELFTEST_REPORT the report goes to the data folder (no console on Windows)
    saved = Path(os.environ["DESKTOP_APP_DATA_DIR"]) / REPORT_FILE
    assert saved.read_text(encoding="utf-8").strip() == out.strip()


def test_missing_font_fails_the_pdf_check_with_the_font_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.exports import fonts

    monkeypatch.setattr(fonts, "candidate_fonts", lambda: [tmp_path / "none.ttf"])
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    fonts_check = [c for c in CHECKS if c[0] == "pdf"]
    [result] = run_checks(fonts_check, workdir=tmp_path)
    assert not result.ok
    assert "找不到可嵌入 PDF 的中文字型檔" in result.detail
