"""The frozen application's entry script (PyInstaller analyses it; from source use ``desktop-app``)."""

from __future__ import annotations

import os
import sys


def _ensure_streams() -> None:
    # A windowed (no console) build on Windows has no stdout/stderr: argparse and logging would
    # crash writing to None. Send them nowhere; ``--self-test`` can also write its report to the
    # file named by DESKTOP_APP_SELFTEST_REPORT.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


if __name__ == "__main__":
    _ensure_streams()
    from desktop_app.__main__ import main

    sys.exit(main())
