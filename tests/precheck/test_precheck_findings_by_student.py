"""開課預檢 findings by student: name first, one line per student and rule, key columns keep
their width; the report header has no checksum or zero seconds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from desktop_app.domain.precheck.model import Finding
from desktop_app.ui.precheck.models import COLUMNS, MIN_WIDTHS, FindingsModel, keep_min_widths

ATTRS = [attr for _title, attr in COLUMNS]


def _f(code: str, row: int, sid: str | None, name: str | None, cls: str | None, seat: str | None) -> Finding:
    return Finding(code, "error", f"{code} 訊息", "學期成績", row, "課程代碼", "X", None, sid, name, cls, seat, "C1")


FINDINGS = [
    *[_f("R08", r, "A12345****", "王小明", "301", "5") for r in (10, 11, 12, 13, 14, 15)],  # one student, six rows
    _f("R09", 16, "A12345****", "王小明", "301", "5"),
    _f("R08", 20, "B22345****", None, None, None),  # only an ID on this row …
    _f("R09", 21, "B22345****", "陳怡君", "302", "1"),  # … the name is known from another row
    _f("R08", 30, "C32345****", "林大同", "301", "2"),
]


def _row(model: FindingsModel, r: int) -> dict[str, str]:
    return {attr: model.index(r, c).data() for c, attr in enumerate(ATTRS)}


def test_name_class_seat_come_first() -> None:
    assert ATTRS[:3] == ["student_name", "student_class", "student_seat"]
    assert "SHA-256" not in [t for t, _a in COLUMNS]


def test_one_line_per_student_and_rule_with_a_count(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = FindingsModel()
    model.set_findings(FINDINGS)
    assert model.rowCount() == len(FINDINGS)
    model.set_grouped(True)
    rows = [_row(model, r) for r in range(model.rowCount())]
    assert len(rows) == 5
    # sorted by class, seat: 301-2 林大同, 301-5 王小明 ×2 rules, 302-1 陳怡君 ×2 rules
    assert [(r["student_name"], r["code"], r["count"]) for r in rows] == [
        ("林大同", "R08", "1"), ("王小明", "R08", "6"), ("王小明", "R09", "1"),
        ("陳怡君", "R08", "1"), ("陳怡君", "R09", "1"),
    ]  # fmt: skip
    assert rows[1]["row"] == "10、11、12 等 6 列"
    assert rows[3]["student_class"] == "302" and rows[3]["student_seat"] == "1"  # filled in from the ID
    assert len(model.group_at(1)) == 6
    model.set_filter("code", "R09")
    assert model.rowCount() == 2
    model.set_grouped(False)
    assert model.rowCount() == 2


def test_key_columns_keep_a_minimum_width(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = FindingsModel()
    model.set_findings(FINDINGS)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    keep_min_widths(view)
    name = ATTRS.index("student_name")
    view.horizontalHeader().resizeSection(name, 10)
    assert view.columnWidth(name) == MIN_WIDTHS["student_name"]
    view.horizontalHeader().resizeSection(name, 120)
    assert view.columnWidth(name) == 120


def test_precheck_header_has_no_checksum_or_zero_seconds(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database
    from desktop_app.ui.precheck.tab import PrecheckTab

    demo = build_demo_database()
    try:
        tab = PrecheckTab(demo)
        qtbot.addWidget(tab)
        tab.resize(1366, 768)
        text = tab.result_label.text()
        assert "錯誤" in text and "SHA-256" not in text and "0.00 秒" not in text
        headers = [tab.runs_model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.runs_model.columnCount())]
        assert "SHA-256" not in headers and "耗時" in headers
        cells = [tab.runs_model.index(r, headers.index("耗時")).data() for r in range(tab.runs_model.rowCount())]
        assert cells and not any(c == "0.00" for c in cells)
    finally:
        demo.close()
