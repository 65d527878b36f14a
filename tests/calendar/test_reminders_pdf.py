"""Reminder lists for 導師: the deck's text per student, one page (or more) per class."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop_app.demo import build_demo_database
from desktop_app.exports.reminders import write_reminders
from desktop_app.exports.slips import UnprintableTextError
from desktop_app.services.receipts.batches import list_batches
from desktop_app.services.receipts.slips import ReminderLine, reminder_lines


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_reminders_from_the_demo_batch_one_page_per_class(tmp_path: Path) -> None:
    db = build_demo_database(tmp_path / "demo")
    batch = list_batches(db)[-1]
    lines = reminder_lines(db, batch.id)
    by_class: dict[str, list[ReminderLine]] = {}
    for line in lines:
        by_class.setdefault(line.class_name, []).append(line)
    assert len(by_class) >= 2
    pages_seen: list[int] = []
    report = write_reminders(
        tmp_path / "rem.pdf",
        by_class,
        school_name="示範高中",
        batch_title=batch.name,
        progress=lambda d, t: pages_seen.append(d),
    )
    reader = PdfReader(str(report.path))
    texts = [_flat(p.extract_text()) for p in reader.pages]
    assert report.pages == len(texts) == len(by_class)  # a small class fits one page
    assert pages_seen == list(range(1, len(texts) + 1))
    assert report.students == len(lines)
    for page, class_name in zip(texts, sorted(by_class), strict=True):
        assert f"班級：{class_name}" in page
        for line in by_class[class_name]:
            assert line.name in page
            assert _flat(line.text) in page
            assert "您" not in line.text and "：無。" not in line.text and "：無" not in page
            if line.pending:
                points = line.text.split("\n")
                assert points[0].startswith("1.收訖明細請於") and points[1].startswith("2.你已完成確認：")
                assert points[2].startswith("3.你尚未完成確認：")
            else:
                assert "尚未完成確認" not in line.text


def test_long_class_continues_and_pua_names_are_refused(tmp_path: Path) -> None:
    def line(seat: int, name: str, cls: str = "301") -> ReminderLine:
        text = "1.收訖明細請於10月21日前完成確認。\n2.你已完成確認：修課紀錄。\n3.你尚未完成確認：幹部經歷、多元表現。"
        return ReminderLine(
            seat,
            cls,
            seat,
            f"1130{seat:03d}",
            name,
            "A12345****",
            ("修課紀錄",),
            ("幹部經歷", "多元表現"),
            (),
            (),
            text,
        )

    rows = {"301": [line(seat, f"學生{seat}") for seat in range(60, 0, -1)]}
    report = write_reminders(tmp_path / "long.pdf", rows, batch_title="第1梯次")
    texts = [_flat(p.extract_text()) for p in PdfReader(str(report.path)).pages]
    assert len(texts) >= 2 and "班級：301（續）" in texts[1]
    joined = "".join(texts)
    assert joined.index("學生1") < joined.index("學生2") < joined.index("學生60")  # by seat

    rows["302"] = [line(1, "王\ue001明", "302")]
    with pytest.raises(UnprintableTextError) as err:
        write_reminders(tmp_path / "pua.pdf", rows)
    assert "U+E001" in str(err.value) and "302 1號" in str(err.value) and "提醒名單" in str(err.value)
    assert not (tmp_path / "pua.pdf").exists()


def test_points_on_their_own_lines_and_status_by_word_not_shade(tmp_path: Path) -> None:
    from datetime import date

    from desktop_app.domain.receipts import reminder_text

    end = date(2024, 10, 21)
    todo = reminder_text(end, ["修課紀錄"], ["幹部經歷"], [])
    done = reminder_text(end, ["修課紀錄", "幹部經歷"], [], [])
    disputed = reminder_text(end, ["修課紀錄"], [], ["多元表現"])
    assert "尚未完成確認" not in done and "：無" not in done and done.startswith("已全部完成確認")
    assert "已提出疑義" in disputed and "尚未完成" not in disputed
    # a student with a category under objection is not 「已全部完成」 (a 導師 would stop chasing)
    assert "全部" not in disputed and disputed.startswith("已完成確認：修課紀錄。")

    def row(seat: int, name: str, text: str, pending: tuple[str, ...], objections=()) -> ReminderLine:  # type: ignore[no-untyped-def]
        return ReminderLine(seat, "301", seat, f"1130{seat:03d}", name, "A12345****", (), pending, objections, (), text)

    rows = {"301": [row(1, "甲生", todo, ("幹部經歷",)), row(2, "乙生", done, ()),
                    row(3, "丙生", disputed, (), ("多元表現",))]}  # fmt: skip
    report = write_reminders(tmp_path / "r.pdf", rows, batch_title="第1梯次")
    raw = PdfReader(str(report.path)).pages[0].extract_text()
    lines = [ln.strip() for ln in raw.splitlines()]
    # each point starts its own line of text
    assert any(ln.startswith("2.你已完成確認") for ln in lines)
    assert any(ln.startswith("3.你尚未完成確認") for ln in lines)
    flat = _flat(raw)
    assert "甲生" in flat and "○未完成" in flat and "√已完成" in flat and "！有疑義" in flat
    assert "○未完成1人" in flat and "狀態：○未完成＝" in flat  # legend
