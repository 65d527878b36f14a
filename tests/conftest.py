"""Shared fixtures: a real SQLite file per test, offscreen Qt, an isolated data folder."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MODAL_GRACE_SECONDS = 5.0  # a test answers its own dialogs within milliseconds


def pytest_configure(config: pytest.Config) -> None:
    """Without a CJK TrueType font the PDF tests cannot pass and a UI test would wait on the
    error dialog: stop the run at once with the reason instead (issue 11)."""
    from desktop_app.exports.fonts import FontNotFoundError, find_cjk_font

    try:
        find_cjk_font()
    except FontNotFoundError as exc:
        pytest.exit(
            f"測試需要中文 TrueType 字型（Debian/Ubuntu：apt-get install fonts-arphic-uming）。\n{exc}", returncode=3
        )


def _open_modals(qt_widgets) -> list:  # type: ignore[no-untyped-def]
    app = qt_widgets.QApplication.instance()
    if app is None:
        return []
    return [
        w
        for w in app.topLevelWidgets()
        if w.isVisible()
        and (isinstance(w, qt_widgets.QMessageBox) or (isinstance(w, qt_widgets.QDialog) and w.isModal()))
    ]


def _describe(widget) -> str:  # type: ignore[no-untyped-def]
    text = getattr(widget, "text", lambda: "")() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__}「{widget.windowTitle()}」{(' ' + text[:80]) if text else ''}"


@pytest.fixture(autouse=True)
def _no_modal_dialog_left_open(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a modal dialog (QMessageBox / modal QDialog) open; a modal dialog
    that nobody answers for MODAL_GRACE_SECONDS is closed (so the test does not hang) and fails."""
    uses_qt = any(name in request.fixturenames for name in ("qtbot", "qapp"))
    if uses_qt:
        request.getfixturevalue("qapp")
    qt = sys.modules.get("PySide6.QtWidgets")
    stuck: list[str] = []
    timer = None
    if qt is not None and qt.QApplication.instance() is not None:
        from PySide6.QtCore import QTimer

        first_seen: dict[int, float] = {}

        def watch() -> None:
            now = time.monotonic()
            modal = qt.QApplication.activeModalWidget()
            for widget in [modal, *_open_modals(qt)]:
                # a progress dialog of long work is modal on purpose: only checked at teardown
                if widget is None or not widget.isVisible() or isinstance(widget, qt.QProgressDialog):
                    continue
                since = first_seen.setdefault(id(widget), now)
                if now - since > MODAL_GRACE_SECONDS:
                    stuck.append(_describe(widget))
                    first_seen.pop(id(widget), None)
                    if isinstance(widget, qt.QDialog):
                        widget.reject()
                    widget.close()

        timer = QTimer()
        timer.setInterval(250)
        timer.timeout.connect(watch)
        timer.start()
    yield
    if timer is not None:
        timer.stop()
    qt = sys.modules.get("PySide6.QtWidgets")
    left = _open_modals(qt) if qt is not None else []
    for widget in left:
        stuck.append(_describe(widget))
        if isinstance(widget, qt.QDialog):
            widget.reject()
        widget.close()
    if stuck:
        pytest.fail(f"測試留下未關閉的對話框：{'；'.join(dict.fromkeys(stuck))}", pytrace=False)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKTOP_APP_DATA_DIR", str(tmp_path / "appdata"))


@pytest.fixture(autouse=True)
def _detached_log_file() -> Iterator[None]:
    """A test that wrote to the log (an error dialog, a worker error) leaves no handler pointing
    into its temporary data folder for the next test."""
    yield
    import sys

    log = sys.modules.get("desktop_app.log")
    if log is not None:
        log.shutdown_logging()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator:
    """A fresh database migrated to head (real file)."""
    from desktop_app.storage.migrate import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def profile_db(db):  # type: ignore[no-untyped-def]
    """A database with the demo school profile and 學期 dates."""
    from desktop_app.demo import core

    core.seed(db)
    return db


@pytest.fixture
def demo_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The main window on a fresh demo database (not yet shown)."""
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.main_window import MainWindow

    database = build_demo_database(tmp_path / "demo")
    window = MainWindow(database)
    qtbot.addWidget(window)
    yield window
    window.db.close()
