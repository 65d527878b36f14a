"""The test suite never hangs (issue 11): a modal dialog nobody answers is closed and fails its
test, one left open fails at teardown, and a run on a machine without a CJK font stops at once with
the reason. Each case runs pytest in a subprocess, with this suite's conftest."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.exports.fonts import FONT_DIRS_ENV, FONT_ENV, FontNotFoundError, find_cjk_font

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"
REPO = Path(__file__).resolve().parents[2]

MODAL_TESTS = '''
from PySide6.QtWidgets import QDialog, QMessageBox

KEPT = []  # like a window holding on to its dialog


def test_waits_on_a_message_box(qtbot):
    QMessageBox.warning(None, "無法列印", "找不到中文字型")  # nobody answers: would wait forever


def test_leaves_a_dialog_open(qtbot):
    dialog = QDialog()
    dialog.setWindowTitle("預覽")
    dialog.open()  # window-modal, never closed
    KEPT.append(dialog)


def test_answers_its_dialog(qtbot):
    from PySide6.QtCore import QTimer

    box = QMessageBox(QMessageBox.Icon.Question, "確認", "刪除？")
    QTimer.singleShot(50, box.reject)
    box.exec()
'''


def run_pytest(folder: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        capture_output=True, text=True, cwd=folder, env=env, timeout=120,
    )  # fmt: skip
    return done, time.perf_counter() - start


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), **extra)
    return env


def test_modal_dialogs_fail_their_test_instead_of_hanging(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_modal.py").write_text(MODAL_TESTS, encoding="utf-8")
    done, seconds = run_pytest(tmp_path, _env())
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "3 passed, 2 errors" in out, out  # failed at teardown: the test body itself returned
    assert "測試留下未關閉的對話框：QMessageBox「無法列印」 找不到中文字型" in out
    assert "測試留下未關閉的對話框：QDialog「預覽」" in out
    assert seconds < 60


def test_no_cjk_font_stops_the_run_at_once_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_any.py").write_text("def test_any():\n    assert True\n", encoding="utf-8")
    empty = tmp_path / "no_fonts"
    empty.mkdir()
    env = _env(**{FONT_DIRS_ENV: str(empty)})
    env.pop(FONT_ENV, None)
    done, seconds = run_pytest(tmp_path, env)
    assert done.returncode == 3, done.stdout + done.stderr
    text = done.stdout + done.stderr
    assert "測試需要中文 TrueType 字型" in text and "fonts-arphic-uming" in text and str(empty) in text
    assert seconds < 30


def test_font_search_path_setting_simulates_a_machine_without_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FONT_DIRS_ENV, str(tmp_path))
    monkeypatch.delenv(FONT_ENV, raising=False)
    with pytest.raises(FontNotFoundError) as raised:
        find_cjk_font()
    assert str(tmp_path / "kaiu.ttf") in str(raised.value) and "找不到可嵌入 PDF 的中文字型檔" in str(raised.value)
