"""Start-up: seconds from launching the process to the first paint of the main window, for the
app on the demo database (``desktop-app --db demo.sqlite3``) and, as the baseline measured in the
same run, a bare PySide6 ``QMainWindow``. Prints both medians and the ratio (target ≤ 5×).

    QT_QPA_PLATFORM=offscreen python bench/startup_bench.py [--runs 7] [--db PATH]

Each launch is a fresh process (cold imports, as a user's double-click). The child reports the
first Paint event of its main window and quits; the parent times from launch to that report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Installed into the child before the app starts: on the first Paint of a main window, say so and quit.
_PROBE = r"""
import sys
import importlib.abc
import importlib.machinery

# The probe must not import PySide6 itself (that would change what the app imports after Qt):
# it patches QApplication.exec when the program imports PySide6.QtWidgets.
def _install_probe(widgets):
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and isinstance(obj, widgets.QMainWindow):
                print("PAINTED", flush=True)
                widgets.QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, widgets.QApplication.instance().quit)
            return False

    probe = _FirstPaint()
    original = widgets.QApplication.exec

    def exec_with_probe(*_args):
        widgets.QApplication.instance().installEventFilter(probe)
        return original()

    widgets.QApplication.exec = exec_with_probe
    widgets._startup_probe = probe


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module):
            run(module)
            _install_probe(module)

        loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Finder())
"""

BARE = _PROBE + r"""
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 720)
window.show()
app.exec()
"""

APP = _PROBE + r"""
from desktop_app.__main__ import main
main(["--db", sys.argv[1]])
"""


_CHILD_ENV: dict[str, str] = {}


def launch(code: str, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **_CHILD_ENV)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "PYTHONPYCACHEPREFIX" in _CHILD_ENV:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "PAINTED":
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError("the window never painted")
    proc.wait(timeout=60)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a demo database (default: build one in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        os.environ["DESKTOP_APP_DATA_DIR"] = str(Path(tmp) / "appdata")  # no first-run wizard state, no remembered db
        # An installed program runs from compiled bytecode (pip and PyInstaller compile it). A
        # checkout with PYTHONDONTWRITEBYTECODE would compile every module at every start (≈0.1 s):
        # the children keep their bytecode in a cache of this run, written by the warm-up launches.
        _CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        db_path = args.db
        if db_path is None:
            sys.path.insert(0, str(REPO))
            from desktop_app.demo import build_demo_database

            db = build_demo_database(Path(tmp) / "demo")
            db_path = db.path
            db.close()
        launch(BARE)  # warm the OS file cache for both
        launch(APP, str(db_path))
        bare, app = [], []
        for _ in range(args.runs):  # interleaved: both see the same machine load
            bare.append(launch(BARE))
            app.append(launch(APP, str(db_path)))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window : {b:.3f} s (median of {args.runs})")
    print(f"desktop-app (demo)  : {a:.3f} s (median of {args.runs})")
    print(f"ratio               : {a / b:.1f}×  (target ≤ 5×, ≤ 0.6 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
