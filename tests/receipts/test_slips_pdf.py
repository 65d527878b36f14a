"""The paper confirmation slips: PDF text, masking, pages, progress, refusals, the 回條 barcode."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.barcode.code128 import _patterns

from desktop_app.domain.national_id import make_valid_id, mask_id
from desktop_app.domain.progress import Cancelled
from desktop_app.domain.receipts import EXEMPT, UNCONFIRMED
from desktop_app.domain.roc_date import format_roc, format_roc_long
from desktop_app.exports.slips import (
    BOTTOM,
    PAGE_H,
    SLIP_H,
    UnprintableTextError,
    check_printable,
    write_slips,
)
from desktop_app.exports.slips_model import (
    CATEGORIES,
    SlipBatch,
    SlipCategory,
    SlipItem,
    SlipStudent,
    parse_slip_code,
    slip_code,
)

STUDENTS = [  # (db id, class, seat, name, id prefix)
    (41, "301", 2, "林志明", "A12345678"),
    (17, "301", 1, "陳怡君", "B22345678"),
    (58, "302", 5, "黃堃喆", "E12222333"),
]


def _student(sid: int, cls: str, seat: int, name: str, prefix: str, n_items: int = 3) -> SlipStudent:
    full = make_valid_id(prefix)
    cats = [
        SlipCategory(
            "修課紀錄",
            [SlipItem("113", "1", f"國語文{i}", "4") for i in range(n_items)],
            exempt=(cls == "302"),
            status=EXEMPT if cls == "302" else UNCONFIRMED,
        ),
        SlipCategory("幹部經歷", [SlipItem("113", "1", "班長", date="113/09/02")]),
        SlipCategory("課程學習成果", [SlipItem("113", "1", "物理實驗報告：單擺", date="113/10/01")]),
        SlipCategory("多元表現", []),
    ]
    return SlipStudent(sid, cls, seat, f"113{sid:04d}", name, mask_id(full), cats)


def _batch(students: list[SlipStudent]) -> SlipBatch:
    return SlipBatch(
        batch_id=3,
        school_name="臺北市立示範高級中學",
        batch_name="113-1 第1梯次",
        term_title="113學年度第1學期",
        period_start=date(2024, 10, 15),
        period_end=date(2024, 10, 21),
        deadline=date(2024, 10, 31),
        students=students,
    )


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def test_pdf_text_has_names_masked_ids_categories_and_roc_dates(tmp_path: Path) -> None:
    batch = _batch([_student(*row) for row in STUDENTS])
    report = write_slips(tmp_path / "slips.pdf", batch)
    pages = _texts(report.path)
    assert report.pages == len(pages) == 3
    # sorted by class then seat: 301-1, 301-2, 302-5
    assert ["陳怡君" in pages[0], "林志明" in pages[1], "黃堃喆" in pages[2]] == [True, True, True]
    for page, (_sid, _cls, _seat, name, prefix) in zip(
        pages, sorted(STUDENTS, key=lambda r: (r[1], r[2])), strict=True
    ):
        full = make_valid_id(prefix)
        assert name in page
        assert mask_id(full) in page
        assert full not in page and full[-4:] not in page.replace(mask_id(full), "")
        for category in CATEGORIES:
            assert category in page
        assert format_roc_long(batch.period_end) in page
        # one date form, one deadline: the school's; the 國教署 date is not the student's business
        assert format_roc(batch.period_end) not in page
        assert format_roc_long(batch.deadline) not in page and "國教署收訖確認期限" not in page
        assert "視為已確認" in page and "家長簽名" in page and "回條" in page
        assert "學生學習歷程檔案收訖明細確認單" in page and batch.school_name in page
    assert "免確認" in pages[2].replace("標示「免確認」", "")
    assert report.codes == tuple(slip_code(3, sid) for sid in (17, 41, 58))


def test_fonts_are_embedded_truetype_subsets(tmp_path: Path) -> None:
    report = write_slips(tmp_path / "slips.pdf", _batch([_student(*STUDENTS[0])]))
    reader = PdfReader(str(report.path))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    xobjects = reader.pages[0]["/Resources"].get("/XObject", {})
    names = set()
    for res in [fonts, *[x.get_object()["/Resources"]["/Font"] for x in xobjects.values()]]:
        for ref in res.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]  # embedded, not a CID/standard font
    assert names and all("+" in n for n in names)  # subset tag


def test_long_list_continues_with_header_repeated(tmp_path: Path) -> None:
    student = _student(9, "305", 7, "王大同", "F12345678", n_items=150)
    report = write_slips(tmp_path / "long.pdf", _batch([student]))
    pages = _texts(report.path)
    assert report.pages == len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "王大同" in page and "學生學習歷程檔案收訖明細確認單" in page
        assert f"第 {number} 頁／共 {len(pages)} 頁" in page
    assert "修課紀錄（續）" in pages[1]
    assert all(f"國語文{i}" in "".join(pages) for i in range(150))
    assert "家長簽名：" in pages[-1] and "家長簽名：" not in pages[0]


def test_progress_per_page_and_cancel_leaves_no_file(tmp_path: Path) -> None:
    batch = _batch([_student(*row) for row in STUDENTS])
    calls: list[tuple[int, int]] = []
    write_slips(tmp_path / "a.pdf", batch, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]

    def cancel(done: int, _total: int) -> None:
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        write_slips(tmp_path / "b.pdf", batch, progress=cancel)
    assert not (tmp_path / "b.pdf").exists()
    assert list(tmp_path.glob("b.pdf*")) == []


def test_pua_and_missing_characters_are_listed_before_printing(tmp_path: Path) -> None:
    students = [
        _student(1, "301", 1, "王\ue000明", "A12345678"),
        _student(2, "301", 2, "林𡈽", "B22345678"),
        _student(3, "301", 3, "陳怡君", "E12222333"),
    ]
    batch = _batch(students)
    problems = check_printable(batch)
    assert [(p.codepoint, p.kind) for p in problems] == [("U+E000", "造字"), ("U+2123D", "缺字")]
    assert problems[0].students == ("301 1號 王[U+E000]明",)
    assert problems[1].students == ("301 2號 林𡈽",)
    with pytest.raises(UnprintableTextError) as err:
        write_slips(tmp_path / "x.pdf", batch)
    message = str(err.value)
    assert "U+E000" in message and "難字對照表" in message and "301 2號 林𡈽" in message
    assert not (tmp_path / "x.pdf").exists()
    # printing anyway marks them visibly
    report = write_slips(tmp_path / "x.pdf", batch, allow_missing=True)
    text = "".join(_texts(report.path))
    assert "王[U+E000]明" in text and "林[U+2123D]" in text
    assert len(report.problems) == 2


# ---------------------------------------------------------------------------------------------
# Barcode: render the 回條 with poppler and decode the Code 128 symbol from the pixels.

_WIDTHS = {
    value: tuple(ord(ch.lower()) - ord("a") + 1 for ch in pattern) for value, pattern in _patterns.items()
}
_BY_EDGES: dict[tuple[int, ...], list[int]] = {}
for _value, _w in _WIDTHS.items():
    _BY_EDGES.setdefault(tuple(_w[i] + _w[i + 1] for i in range(4)), []).append(_value)


def _symbol(widths: list[int]) -> int | None:
    """Value of a 6-element symbol, read edge to similar edge (immune to ink spread)."""
    module = sum(widths) / 11.0
    edges = tuple(round((widths[i] + widths[i + 1]) / module) for i in range(4))
    candidates = _BY_EDGES.get(edges, [])
    if not candidates:
        return None
    bars = (widths[0] + widths[2] + widths[4]) / module
    return min(candidates, key=lambda v: abs(sum(_WIDTHS[v][0:5:2]) - bars))


def _runs(row: list[int]) -> list[tuple[bool, int]]:
    runs: list[tuple[bool, int]] = []
    for px in row:
        dark = px < 128
        if runs and runs[-1][0] == dark:
            runs[-1] = (dark, runs[-1][1] + 1)
        else:
            runs.append((dark, 1))
    return runs


def _decode_code128(row: list[int]) -> str | None:
    """Decode one scanline: find a start symbol, read symbols to the stop, verify the check."""
    runs = _runs(row)
    for begin in range(len(runs) - 6):
        if not runs[begin][0]:
            continue
        if _symbol([w for _, w in runs[begin : begin + 6]]) not in (103, 104, 105):
            continue
        values, i = [], begin
        while i + 6 <= len(runs):
            value = _symbol([w for _, w in runs[i : i + 6]])
            if value is None:
                break
            values.append(value)
            i += 6
            if value == 106:
                break
        if len(values) < 3 or values[-1] != 106:
            continue
        start, data, check = values[0], values[1:-2], values[-2]
        if (start + sum((n + 1) * v for n, v in enumerate(data))) % 103 != check:
            continue
        out, code = [], {103: "A", 104: "B", 105: "C"}[start]
        for v in data:
            if code == "C" and v < 100:
                out.append(f"{v:02d}")
            elif v == 99:
                code = "C"
            elif v == 100:
                code = "B"
            elif v == 101:
                code = "A"
            elif code == "B":
                out.append(chr(v + 32))
            else:
                out.append(chr(v + 32) if v < 64 else chr(v - 64))
        return "".join(out)
    return None


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_barcode_decodes_back_to_batch_and_student(tmp_path: Path) -> None:
    batch = _batch([_student(*row) for row in STUDENTS])
    report = write_slips(tmp_path / "slips.pdf", batch)
    dpi = 400
    scale = dpi / 72.0
    middle_from_top = PAGE_H - (BOTTOM + SLIP_H - 14 - 15)  # the bars span top-44 … top-14
    y0 = int((middle_from_top - 8) * scale)
    decoded = []
    for page, sid in ((1, 17), (3, 58)):
        out = tmp_path / f"bar{page}"
        subprocess.run(
            [
                "pdftoppm",
                "-gray",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-y",
                str(y0),
                "-H",
                str(int(16 * scale)),
                "-x",
                "0",
                "-W",
                str(int(596 * scale)),
                "-singlefile",
                str(report.path),
                str(out),
            ],
            check=True,
        )
        image = Image.open(f"{out}.pgm")
        row = [image.getpixel((x, image.height // 2)) for x in range(image.width)]
        value = _decode_code128(row)
        assert value == slip_code(batch.batch_id, sid)
        decoded.append(parse_slip_code(value))
    assert decoded == [(3, 17), (3, 58)]


def test_student_without_seat_or_items_and_global_settings_restored(tmp_path: Path) -> None:
    from reportlab import rl_config

    before = rl_config.useA85
    bare = SlipStudent(77, "補校", None, "", "張三", "A12345****", [SlipCategory(c) for c in CATEGORIES])
    report = write_slips(tmp_path / "bare.pdf", _batch([bare]))
    text = _texts(report.path)[0]
    assert report.pages == 1 and "張三" in text and text.count("（本類無資料）") == 4
    assert rl_config.useA85 == before


# -- issue 15: slips a parent cannot misread --------------------------------------------------


def test_slip_says_who_submitted_what_one_deadline_print_date_contact_and_gloss(tmp_path: Path) -> None:
    batch = _batch([_student(*STUDENTS[0])])
    contact = "有疑問請洽：教務處註冊組（電話 (02)2345-6789 分機 123）"
    batch = SlipBatch(**{**batch.__dict__, "contact_line": contact, "printed_on": date(2024, 10, 14)})
    text = _texts(write_slips(tmp_path / "s.pdf", batch).path)[0]
    flat = text.replace("\n", "")
    # 修課紀錄 / 幹部經歷 are the school's submission, not something the student uploaded
    assert "修課紀錄、幹部經歷由學校提交" in flat
    assert "與你上傳的相符" not in flat
    compact = flat.replace(" ", "")
    assert "修課紀錄（共3筆）由學校提交" in compact
    assert "幹部經歷（共1筆）由學校提交" in compact
    assert "課程學習成果（共1筆）由你上傳並勾選提交" in compact
    # one deadline (the school's), in one date form
    assert flat.count("113年10月21日") >= 2 and "113/10/21" not in flat and "113年10月31日" not in flat
    assert "113/10/01" not in flat and "113年10月1日" in flat  # item dates in the same form
    assert "列印日期：113年10月14日" in flat
    assert "有疑問請洽：教務處註冊組（電話 (02)2345-6789 分機 123）" in flat
    assert "「收訖明細」是國教署學習歷程資料庫「已收到」的你的資料清單" in flat
    assert "您" not in flat


def test_no_page_holds_only_the_return_strip(tmp_path: Path) -> None:
    # one student per item count: every count from 1 to 130 courses (and long achievements)
    students = []
    for n in range(1, 131):
        st = _student(1000 + n, "310", n, "王小明", "F12345678", n_items=n)
        cats = list(st.categories)
        cats[2] = SlipCategory(
            "課程學習成果", [SlipItem("113", "1", f"報告{i}" + "長" * 90, date="113/10/01") for i in range(n % 7)]
        )
        students.append(SlipStudent(**{**st.__dict__, "categories": cats}))
    report = write_slips(tmp_path / "all.pdf", _batch(students))
    pages = _texts(report.path)
    slip_pages = [p for p in pages if "家長簽名：" in p]
    assert len(slip_pages) == 130
    for page in slip_pages:
        body = page.split("請沿虛線剪下回條")[0]
        # the 回條 shares its page with at least one category table row
        assert "（續）" in body or "（共" in body, body[:200]


def test_duplex_pads_each_student_to_an_even_page_count(tmp_path: Path) -> None:
    short = _student(*STUDENTS[0])  # 1 page
    long = _student(9, "305", 7, "王大同", "F12345678", n_items=150)  # several pages
    plain = write_slips(tmp_path / "plain.pdf", _batch([short, long]))
    duplex = write_slips(tmp_path / "duplex.pdf", _batch([short, long]), duplex=True)
    pages = _texts(duplex.path)
    assert duplex.pages == len(pages)
    # every student starts on an odd page (a new sheet) and owns an even number of pages
    starts = [i for i, p in enumerate(pages) if "第 1 頁／共" in p]
    assert [s % 2 for s in starts] == [0, 0]
    assert len(pages) % 2 == 0 and len(pages) >= plain.pages
    blanks = [p for p in pages if "此頁空白" in p]
    assert len(blanks) == len(pages) - plain.pages >= 1
    assert all("林志明" not in b and "王大同" not in b for b in blanks)
