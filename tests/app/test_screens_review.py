"""What the clerk sees at 1366×768 and 1024×768 after the merges (r-screens review)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.demo import build_demo_database
from desktop_app.ui.main_window import MainWindow


@pytest.fixture
def demo_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = build_demo_database(tmp_path / "demo")
    window = MainWindow(db)
    qtbot.addWidget(window)
    yield window
    db.close()


def _progress_view(qtbot, window, width: int):  # type: ignore[no-untyped-def]
    window.resize(width, 700)  # what fits a 1366×768 / 1024×768 screen with its taskbar
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab_by_key["receipts"]
    window.show_tab("receipts")
    tab.views.setCurrentWidget(tab.progress_view)
    view = tab.progress_view
    qtbot.waitUntil(lambda: view.progress_model.rowCount() > 0)
    qtbot.wait(20)
    return view


def _last_column_right(table) -> int:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    last = header.count() - 1
    return header.sectionViewportPosition(last) + header.sectionSize(last)


def test_progress_class_table_shows_its_last_column_at_1366(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """完成率 (the class table's last column) was cut to 「38」 of 「38%」 at 1366 px."""
    view = _progress_view(qtbot, demo_window, 1280)
    table = view.progress_table
    assert _last_column_right(table) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    # no wider than its columns need: the student table gets the rest (its 回條 column in sight)
    assert table.width() <= view.class_table_width() + 4
    assert view.student_table.width() >= view.MIN_STUDENT_WIDTH


def test_progress_student_table_keeps_its_width_at_1024(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    view = _progress_view(qtbot, demo_window, 1008)
    assert view.student_table.width() >= view.MIN_STUDENT_WIDTH
    assert view.progress_table.width() >= view.splitter.width() // 3 - 10


def test_a_dragged_divider_stays_where_the_clerk_put_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    view = _progress_view(qtbot, demo_window, 1280)
    view.splitter.splitterMoved.emit(300, 1)  # what a drag of the handle emits
    view.splitter.setSizes([300, sum(view.splitter.sizes()) - 300])
    view.refresh()
    assert abs(view.splitter.sizes()[0] - 300) <= 2
