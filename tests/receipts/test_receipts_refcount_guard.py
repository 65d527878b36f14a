"""Many void PySide6 calls must not abort the interpreter (shiboken 6.12 on Python 3.11 drops a
reference to None per call; ``desktop_app.ui`` guards against it)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import desktop_app.ui
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range(300_000):
    label.setText("x")
print("done")
"""


def test_many_void_calls_then_clean_exit() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "done"
