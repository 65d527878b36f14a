"""Shared fixtures: a real SQLite file per test, offscreen Qt, an isolated data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
