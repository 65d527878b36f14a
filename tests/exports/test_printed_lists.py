"""Printed lists and forms: CJK line wrapping (no closing punctuation at a line start), the 作業期程
PDF (status words, legend, page totals) and xlsx print setup, the 工作小組 sign-in sheet (guest
columns, meeting time), the 收訖明細 progress xlsx's printable student sheet."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.domain.receipts import UNCONFIRMED
from desktop_app.exports.cjk_wrap import NO_LINE_START, wrap_text
from desktop_app.exports.fonts import font_chain


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database

    return build_demo_database(tmp_path_factory.mktemp("demo") / "demo")


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    chain = font_chain()
    base = (
        "上傳學生：學習歷程；檔案資料，至中央資料庫（含課程學習成果、多元表現），（第 1 次）B100000011"
        "已召開 1 次會議（115/09/10 起）"  # a number right after 「（」: kept whole, 「（」 goes down with it
    )
    for n in range(0, 60):
        lines = wrap_text(chain, "測" * n + base, 9, 180)
        assert "".join(lines).replace(" ", "") == ("測" * n + base).replace(" ", "")
        for line in lines[1:]:
            assert line[:1] not in NO_LINE_START, (n, lines)
        for line in lines[:-1]:
            assert not line.endswith(("（", "「")), (n, lines)
        assert not any("B100" in ln and "B100000011" not in ln for ln in lines), lines
        assert not any("115/" in ln and "115/09/10" not in ln for ln in lines), lines


def _texts(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(str(path)).pages]


def test_calendar_pdf_wraps_status_words_legend_and_page_total(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.exports.calendar_pdf import write_agenda_pdf
    from desktop_app.services.calendar.deadlines import deadline_items

    items = deadline_items(demo_db, 114, today=date(2025, 10, 1))
    long = "請各處室依分工確認，並於期限內上傳（含課程學習成果、多元表現）" * 3
    items = [replace(i, content=f"{i.content}{long}", kind="task") for i in items] * 8  # several pages
    path = write_agenda_pdf(items, tmp_path / "a.pdf", year=114, school_name="示範高中", today=date(2025, 10, 1))
    pages = _texts(path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert re.sub(r"\s", "", f"第 {number} 頁／共 {len(pages)} 頁") in re.sub(r"\s", "", text)
        for line in text.splitlines()[1:]:
            assert line.strip()[:1] not in "）」，、：；。", line
    flat = re.sub(r"\s", "", "".join(pages))
    # status never by colour alone: icon + word, with a legend
    assert "╳逾期" in flat and "√完成" in flat and "狀態：╳逾期（紅）" in flat


# -- 簽到表 ---------------------------------------------------------------------------------


def test_split_guest_title_and_name() -> None:
    from desktop_app.domain.working_group import split_guest

    assert split_guest("資訊組長 周志強") == ("資訊組長", "周志強")
    assert split_guest("周志強　資訊組長") == ("資訊組長", "周志強")
    assert split_guest("林美惠（課程諮詢師）") == ("課程諮詢師", "林美惠")
    assert split_guest("周志強") == ("", "周志強")


def test_meeting_time_is_normalised_and_refused_when_unreadable(db) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services import ServiceError
    from desktop_app.services.working_group import MeetingInput, add_meeting, normalise_time

    assert [normalise_time(t) for t in ("14:00", "14：00", "1400", "下午2時30分", "9點", "")] == [
        "14:00", "14:00", "14:00", "14:30", "09:00", ""]  # fmt: skip
    with pytest.raises(ServiceError, match="會議時間「三點半」"):
        normalise_time("三點半")
    info = add_meeting(db, MeetingInput(held_on=date(2025, 9, 10), title="第1次會議", start_time="1410"))
    assert info.start_time == "14:10"


def test_signin_sheet_guest_columns_time_and_full_width_labels(tmp_path: Path) -> None:
    from desktop_app.demo import build_demo_database
    from desktop_app.demo.core import CURRENT_YEAR
    from desktop_app.exports.working_group import write_signin_pdf
    from desktop_app.services.working_group import list_meetings, list_members

    db = build_demo_database(tmp_path / "demo")
    meeting = next(m for m in list_meetings(db, CURRENT_YEAR) if m.guests)
    path = write_signin_pdf(
        tmp_path / "s.pdf", school_name="示範高中", meeting=meeting, members=list_members(db, CURRENT_YEAR)
    )
    page = PdfReader(str(path)).pages[0]
    placed: list[tuple[str, float]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: placed.append((text.strip(), tm[4] * cm[0] + cm[4])))
    text = page.extract_text()
    assert "時間：14:00" in text and "日期：" in text and "日期:" not in text and "（星期" in text
    assert "第 1 頁／共 1 頁" in text
    mm = 72 / 25.4
    x = {t: pos for t, pos in placed if t}
    # 職稱 column 68–100 mm from the page edge, 姓名 100–130 mm
    assert 68 * mm < x["資訊組長"] < 100 * mm and 100 * mm < x["周志強"] < 130 * mm
    assert 68 * mm < x["課程諮詢師"] < 100 * mm and 100 * mm < x["林美惠"] < 130 * mm


# -- xlsx: per-student sheet, autofilter, print settings -----------------------------------------


def _assert_print_layout(ws, header_row: int) -> None:  # type: ignore[no-untyped-def]
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"$1:${header_row}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:")
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4


def test_progress_xlsx_has_a_filterable_printable_student_sheet(tmp_path: Path) -> None:
    import subprocess
    import sys

    from openpyxl import load_workbook

    from desktop_app.demo import build_demo_database
    from desktop_app.services.receipts.batches import list_batches
    from desktop_app.services.receipts.confirmation import list_student_statuses

    db = build_demo_database(tmp_path / "demo")
    batch = list_batches(db)[-1]
    students = list_student_statuses(db, batch.id)
    db.close()
    out = tmp_path / "progress.xlsx"
    exe = Path(sys.executable).parent / "desktop-app"
    run = subprocess.run(
        [str(exe), "receipts", "progress", str(batch.id), "--xlsx", str(out), "--db", str(tmp_path / "demo" / "demo.sqlite3")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["確認進度", "學生名單"]
    _assert_print_layout(wb["確認進度"], 3)
    ws = wb["學生名單"]
    _assert_print_layout(ws, 3)
    header = [c.value for c in ws[3]]
    assert header[:4] == ["班級", "座號", "學號", "姓名"] and "狀態" in header
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert len(rows) == len(students)
    state = header.index("狀態")
    pending = header.index("尚未確認的類別")
    by_no = {str(r[2]): r for r in rows}
    for st in students:
        row = by_no[st.student_no]
        assert row[3] == st.name
        if UNCONFIRMED in st.statuses.values():
            assert row[state] == "○ 未完成" and row[pending]
        else:
            assert row[state] in ("√ 已完成", "！ 有疑義") and not row[pending]
    assert {r[state] for r in rows} >= {"○ 未完成"}
    flat = " ".join(str(v) for r in rows for v in r if v)
    assert not re.search(r"[A-Z][12]\d{8}", flat)  # no full ID number


def test_calendar_xlsx_prints_fit_to_width_with_repeated_header(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from desktop_app.exports.calendar_xlsx import write_xlsx
    from desktop_app.services.calendar.deadlines import deadline_items

    path = write_xlsx(deadline_items(demo_db, 114), tmp_path / "c.xlsx")
    ws = load_workbook(path).active
    _assert_print_layout(ws, 2)
    assert ws.page_setup.orientation == "landscape"
