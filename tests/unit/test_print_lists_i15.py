"""Issue 15, lists and forms: 作業期程 PDF wrapping, status words, page totals."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.exports.cjk_wrap import NO_LINE_START, wrap_text
from desktop_app.exports.fonts import font_chain


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from desktop_app.demo import build_demo_database

    return build_demo_database(tmp_path_factory.mktemp("demo") / "demo")


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    chain = font_chain()
    base = "上傳學生：學習歷程；檔案資料，至中央資料庫（含課程學習成果、多元表現），（第 1 次）B100000011"
    for n in range(0, 60):
        lines = wrap_text(chain, "測" * n + base, 9, 180)
        assert "".join(lines).replace(" ", "") == ("測" * n + base).replace(" ", "")
        for line in lines[1:]:
            assert line[:1] not in NO_LINE_START, (n, lines)
        for line in lines[:-1]:
            assert not line.endswith(("（", "「")), (n, lines)
        assert not any("B100" in ln and not ln.endswith("B100000011") for ln in lines), lines


def _texts(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(str(path)).pages]


def test_calendar_pdf_wraps_status_words_legend_and_page_total(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.exports.calendar_pdf import write_agenda_pdf
    from desktop_app.services.calendar import deadline_items

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
