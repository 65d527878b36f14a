"""Fixtures of the 收訖明細 tests: a database with students and two receipt batches, and the tab on it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "receipts"


@pytest.fixture
def batch_db(profile_db):  # type: ignore[no-untyped-def]
    """The demo profile, ``students.csv`` and two batches of ``receipts_style_a.xlsx``: 1 「另一批」,
    2 「本批」, both open from yesterday to three days on."""
    from desktop_app.services.receipts import import_receipts
    from desktop_app.services.receipts.students import import_students

    import_students(profile_db, DATA / "students.csv")
    today = date.today()
    for name in ("另一批", "本批"):
        import_receipts(
            profile_db,
            DATA / "receipts_style_a.xlsx",
            name=name,
            start=today - timedelta(days=1),
            end=today + timedelta(days=3),
        )
    return profile_db


@pytest.fixture
def tab(qtbot, batch_db):  # type: ignore[no-untyped-def]
    """The 收訖明細 tab on ``batch_db``, shown and active, on its scan view (batch 2 chosen)."""
    from desktop_app.ui.receipts.tab import ReceiptsTab

    widget = ReceiptsTab(batch_db)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.views.setCurrentWidget(widget.scan_view)
    widget.activateWindow()
    return widget
