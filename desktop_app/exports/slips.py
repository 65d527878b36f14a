"""The paper confirmation slips (紙本確認單) as one A4 PDF, one student per page.

Drawn with reportlab's canvas API directly (no platypus): the layout of every student is computed
first from fixed row heights (cheap, gives the page count for progress), then drawn with cached
text runs and widths, tables as plain lines and the barcode as one path. Fonts are TrueType
subsets embedded through :mod:`desktop_app.exports.fonts` with a per-character fallback; the
characters no font has and the unmapped 造字 (PUA) are listed by :func:`check_printable` and,
unless the caller says otherwise, refused before anything is written.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.errors import ServiceError
from desktop_app.domain.glossary import RECEIPTS_GLOSS, date_prose, print_date_line
from desktop_app.domain.print_problems import (
    PrintProblem as PrintProblem,  # re-exported: writers import it from here
)
from desktop_app.domain.progress import ProgressFn
from desktop_app.domain.receipts import UNCONFIRMED, confirmation_label
from desktop_app.domain.roc_date import RocDateError, parse_roc_date
from desktop_app.exports.barcodes import code128_bars, draw_code128
from desktop_app.exports.files import check_pdf_target, save_pdf
from desktop_app.exports.fonts import FontChain, font_chain, is_pua
from desktop_app.exports.slips_model import (
    SlipBatch,
    SlipCategory,
    SlipItem,
    SlipStudent,
    slip_code,
)

COURSE_CATEGORY = "修課紀錄"
_NO_LINE_START = set("。，、：；）」』！？….,:;)")  # never start a line with these
MARK_OPTION_HINT = "若仍要列印，請在分頁選「仍要列印（以 [U+XXXX] 標示）」；命令列加上 --allow-missing。"


# --------------------------------------------------------------------------------------------
# Problems found before printing


class UnprintableTextError(ServiceError):
    """Refusal to print boxes: the message lists every problem character and the students."""

    def __init__(self, problems: list[PrintProblem], what: str = "確認單") -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p.describe()}" for p in problems)
        super().__init__(
            f"有 {len(problems)} 個字元無法正確列印，為避免印出空白方框，已停止產生{what}：\n"
            f"{lines}\n{MARK_OPTION_HINT}"
        )


def _marked(char: str) -> str:
    return f"[U+{ord(char):04X}]"


def _student_label(student: SlipStudent) -> str:
    seat = f" {student.seat}號" if student.seat is not None else ""
    name = "".join(_marked(c) if is_pua(c) else c for c in student.name)
    return f"{student.class_name}{seat} {name}"


def _student_texts(student: SlipStudent) -> Iterable[str]:
    yield student.name
    yield student.class_name
    yield student.student_no
    for category in student.categories:
        for item in category.items:
            yield item.title
            yield item.year
            yield item.term
            yield item.credits
            yield item.date


def check_printable(batch: SlipBatch, chain: FontChain | None = None) -> list[PrintProblem]:
    """Characters of the batch that would not print, with the students they belong to.

    PUA characters (造字 not yet in the 難字對照表) are always problems, even when some font
    happens to have a glyph there; any other character is a problem when no font of the chain
    has it. Characters only a fallback font has are fine (they print through the fallback).
    """
    chain = chain or font_chain()
    found: dict[str, list[str]] = {}

    def scan(texts: Iterable[str], who: str) -> None:
        chars = {c for text in texts for c in text if ord(c) > 0x7F}
        for char in sorted(chars):
            if is_pua(char) or chain.font_for(char) is None:
                holders = found.setdefault(char, [])
                if who not in holders:
                    holders.append(who)

    scan((batch.school_name, batch.batch_name, batch.term_title), "（表頭：校名／批次名稱）")
    for student in _sorted_students(batch.students):
        scan(_student_texts(student), _student_label(student))
    return [
        PrintProblem(char, "造字" if is_pua(char) else "缺字", tuple(students))
        for char, students in sorted(found.items(), key=lambda kv: ord(kv[0]))
    ]


# --------------------------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class SlipReport:
    path: Path
    pages: int
    students: int
    problems: tuple[PrintProblem, ...] = ()  # printed marked as [U+XXXX] (allow_missing=True)
    fallback_chars: str = ""  # characters drawn with a fallback font
    codes: tuple[str, ...] = ()  # the barcode payloads drawn, in page order
    font_name: str = ""
    size_bytes: int = 0


# --------------------------------------------------------------------------------------------
# Geometry (points). A4 = 595.3 x 841.9.

PAGE_W, PAGE_H = float(A4[0]), float(A4[1])
MARGIN_X = 42.0
CONTENT_W = PAGE_W - 2 * MARGIN_X
TOP = PAGE_H - 34.0
BOTTOM = 26.0
FOOTER_Y = 13.0  # print date and contact line
HEADER_H = 76.0  # title, subtitle, student box
CAT_HEAD_H = 16.0
COL_HEAD_H = 12.0
ROW_H = 12.5
LINE_H = 11.0  # extra lines of a wrapped row
BLOCK_GAP = 5.0
SLIP_H = 184.0  # 回條 incl. the cut line
INTRO_SIZE = 9.5
INTRO_LEAD = 13.0
ITEM_SIZE = 9.0
COL_GAP = 10.0
GRID_GRAY = 0.55
HEAD_FILL = 0.88


@dataclass
class _Block:
    category: SlipCategory
    continued: bool
    items: list[SlipItem]
    rows: int  # table rows (course: ceil(n/2) per column pair; others: wrapped lines counted)
    height: float
    wrapped: list[list[str]] = field(default_factory=list)  # other categories: title lines


@dataclass
class _Page:
    blocks: list[_Block]
    intro: bool
    slip: bool


def _sorted_students(students: list[SlipStudent]) -> list[SlipStudent]:
    return sorted(
        students,
        key=lambda s: (s.class_name, s.seat if s.seat is not None else 10_000, s.student_no),
    )


def _prose_date(text: str) -> str:
    """An item's date in the slip's one date form (115年12月3日); unparsable text as given."""
    if not text:
        return ""
    try:
        return date_prose(parse_roc_date(text))
    except RocDateError:
        return text


def _year_term(item: SlipItem) -> str:
    if item.year and item.term:
        return f"{item.year}-{item.term}"
    return item.year or item.term


# --------------------------------------------------------------------------------------------
# Text with per-character fallback and cached widths


class _Pen:
    """Draws text in the chain's fonts; caches runs and widths per string."""

    def __init__(self, canvas: Canvas, chain: FontChain, replace: dict[str, str]) -> None:
        self.canvas = canvas
        self.chain = chain
        self.primary = chain.primary.name
        self.replace = replace
        self._runs: dict[str, tuple[tuple[str, str, float], ...]] = {}
        self._char_w: dict[str, float] = {}
        self.fallback_chars: set[str] = set()
        self._font: tuple[str, float] | None = None

    def clean(self, text: str) -> str:
        if self.replace and any(c in self.replace for c in text):
            return "".join(self.replace.get(c, c) for c in text)
        return text

    def runs(self, text: str) -> tuple[tuple[str, str, float], ...]:
        try:
            return self._runs[text]
        except KeyError:
            pass
        out = []
        for font, run in self.chain.runs(self.clean(text)):
            if font != self.primary:
                self.fallback_chars.update(run)
            out.append((font, run, pdfmetrics.stringWidth(run, font, 1000.0)))
        result = tuple(out)
        self._runs[text] = result
        return result

    def width(self, text: str, size: float) -> float:
        return sum(w for _, _, w in self.runs(text)) * size / 1000.0

    def char_width(self, char: str) -> float:
        """Width of one character at 1000 pt in the font that draws it."""
        try:
            return self._char_w[char]
        except KeyError:
            font = self.chain.font_for(char) or self.chain.primary
            w = float(pdfmetrics.stringWidth(char, font.name, 1000.0))
            self._char_w[char] = w
            return w

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        text = self.clean(text)
        if self.width(text, size) <= width:
            return [text]
        limit = width * 1000.0 / size
        lines: list[str] = []
        start, acc = 0, 0.0
        for i, char in enumerate(text):
            w = self.char_width(char)
            if acc + w > limit and i > start and char not in _NO_LINE_START:
                cut = i
                # keep a numbered point's "3." together on the next line
                if text[i - 1] == "." and i - 2 > start and text[i - 2].isdigit():
                    cut = i - 2
                lines.append(text[start:cut])
                acc = sum(self.char_width(c) for c in text[cut:i])
                start = cut
            acc += w
        lines.append(text[start:])
        return lines

    def fit(self, text: str, size: float, width: float) -> str:
        """``text`` cut with … to fit ``width`` (for one-line cells)."""
        if self.width(text, size) <= width:
            return text
        ell = self.char_width("…") * size / 1000.0
        out, acc = "", 0.0
        for char in self.clean(text):
            w = self.char_width(char) * size / 1000.0
            if acc + w + ell > width:
                break
            out += char
            acc += w
        return out + "…"

    def draw(self, x: float, y: float, text: str, size: float, align: str = "left") -> None:
        if not text:
            return
        runs = self.runs(text)
        if align != "left":
            total = sum(w for _, _, w in runs) * size / 1000.0
            x -= total if align == "right" else total / 2.0
        canvas = self.canvas
        if len(runs) == 1:
            font = runs[0][0]
            if self._font != (font, size):
                canvas.setFont(font, size)
                self._font = (font, size)
            canvas.drawString(x, y, runs[0][1])
            return
        # fallback runs in one text object: one line of text for viewers, search and copy
        text_object = canvas.beginText(x, y)
        for font, run, _w in runs:
            text_object.setFont(font, size)
            text_object.textOut(run)
        canvas.drawText(text_object)
        self._font = None

    def page_started(self) -> None:
        self._font = None  # a new page's stream restates the font


# --------------------------------------------------------------------------------------------
# Layout


class _Layout:
    def __init__(self, pen: _Pen) -> None:
        self.pen = pen
        half = (CONTENT_W - COL_GAP) / 2.0
        self.course_cols = (62.0, half - 62.0 - 34.0, 34.0)  # 學年度/學期, 科目名稱, 學分
        self.other_cols = (62.0, CONTENT_W - 62.0 - 78.0, 78.0)  # 學年度/學期, 名稱, 日期

    def body_top(self) -> float:
        return TOP - HEADER_H

    def intro_height(self, intro_lines: int) -> float:
        return intro_lines * INTRO_LEAD + 16.0

    def paginate(self, student: SlipStudent, intro_h: float) -> list[_Page]:
        pages: list[_Page] = [_Page([], True, False)]
        avail = self.body_top() - BOTTOM - intro_h

        def new_page() -> None:
            nonlocal avail
            pages.append(_Page([], False, False))
            avail = self.body_top() - BOTTOM

        for category in student.categories:
            remaining = list(category.items)
            continued = False
            while True:
                fixed = CAT_HEAD_H + COL_HEAD_H + BLOCK_GAP
                if avail < fixed + ROW_H:
                    new_page()
                rows_fit = max(1, int((avail - fixed) // ROW_H))
                if not remaining:
                    block = _Block(category, continued, [], 1, fixed + ROW_H)
                elif category.name == COURSE_CATEGORY:
                    take = remaining[: rows_fit * 2]
                    rows = math.ceil(len(take) / 2)
                    block = _Block(category, continued, take, rows, fixed + rows * ROW_H)
                else:
                    width = self.other_cols[1] - 8.0
                    take, wrapped, height = [], [], fixed
                    for item in remaining:
                        lines = self.pen.wrap(item.title, ITEM_SIZE, width)
                        h = ROW_H + (len(lines) - 1) * LINE_H
                        if take and height + h > avail:
                            break
                        take.append(item)
                        wrapped.append(lines)
                        height += h
                    block = _Block(category, continued, take, len(take), height, wrapped)
                pages[-1].blocks.append(block)
                avail -= block.height
                remaining = remaining[len(block.items) :]
                if not remaining:
                    break
                new_page()
                continued = True
        if avail < SLIP_H:
            # never a page holding only the 回條: the last items go over with it
            self._move_tail(pages)
        pages[-1].slip = True
        return pages

    def block(self, category: SlipCategory, continued: bool, items: list[SlipItem]) -> _Block:
        """A category block of exactly ``items`` (heights as paginate computes them)."""
        fixed = CAT_HEAD_H + COL_HEAD_H + BLOCK_GAP
        if not items:
            return _Block(category, continued, [], 1, fixed + ROW_H)
        if category.name == COURSE_CATEGORY:
            rows = math.ceil(len(items) / 2)
            return _Block(category, continued, list(items), rows, fixed + rows * ROW_H)
        width = self.other_cols[1] - 8.0
        wrapped = [self.pen.wrap(item.title, ITEM_SIZE, width) for item in items]
        height = fixed + sum(ROW_H + (len(lines) - 1) * LINE_H for lines in wrapped)
        return _Block(category, continued, list(items), len(items), height, wrapped)

    def _move_tail(self, pages: list[_Page]) -> None:
        """Start a new last page with the last few items of the last block, and the 回條."""
        last = pages[-1]
        if not last.blocks:  # nothing to move (cannot happen with categories): 回條 alone
            pages.append(_Page([], False, False))
            return
        block = last.blocks.pop()
        room = self.body_top() - BOTTOM - SLIP_H
        items = list(block.items)
        # move up to 4 items, leaving at least one behind (a block of 0–1 items moves whole)
        count = min(4, len(items) - 1) if len(items) > 1 else len(items)
        while count > 1 and self.block(block.category, True, items[-count:]).height > room:
            count -= 1
        keep, moved = items[: len(items) - count], items[len(items) - count :]
        if keep:
            last.blocks.append(self.block(block.category, block.continued, keep))
            tail = self.block(block.category, True, moved)
        else:
            tail = self.block(block.category, block.continued, moved)
        if not last.blocks and not last.intro:
            pages.pop()
        pages.append(_Page([tail], False, False))


# --------------------------------------------------------------------------------------------
# Drawing


class _SlipDrawer:
    """Draws the pages. Whatever is the same on many pages (header frame and labels, the rule
    text, the 回條 form, table grids) is drawn once as a PDF form XObject and placed per page:
    the PDF stays small and the 3,000-page run spends its time on the student's own text."""

    FORM_BOX = (0.0, -PAGE_H, PAGE_W, PAGE_H)  # forms drawn relative to a reference top at y=0

    def __init__(self, canvas: Canvas, pen: _Pen, batch: SlipBatch, layout: _Layout) -> None:
        self.c = canvas
        self.pen = pen
        self.batch = batch
        self.layout = layout
        self.title = f"{batch.school_name}學生學習歷程檔案收訖明細確認單"
        self.subtitle = "　".join(t for t in (batch.term_title, batch.batch_name) if t)
        end_long = date_prose(batch.period_end)
        # one deadline for the student: the school's period end. The 國教署 deadline is the
        # office's business and is never printed on a student's slip (there is no office copy).
        self.period_line = f"確認期間：{date_prose(batch.period_start)}至{end_long}"
        self.rule = (
            f"請親自核對下列資料，並於{end_long}前完成確認。"
            "修課紀錄、幹部經歷由學校提交，請核對是否與你實際修課、擔任幹部的情形相符；"
            "課程學習成果、多元表現請核對是否與你上傳並勾選提交的相符。"
            "正確者勾「資料正確」，有錯誤者勾「有疑義」並寫明哪一筆、哪裡有誤；由學生及家長簽名後，"
            "沿虛線剪下回條交回。期限內未確認也未提出疑義者，資料視為已確認。標示「免確認」的類別不需確認。"
        )
        width = CONTENT_W - 12.0
        self.intro_lines = [
            *pen.wrap(self.rule, INTRO_SIZE, width),
            *pen.wrap(RECEIPTS_GLOSS, INTRO_SIZE, width),
        ]
        if batch.contact_line:
            self.intro_lines += pen.wrap(batch.contact_line, INTRO_SIZE, width)
        self.print_line = print_date_line(batch.printed_on)
        self.cells = (
            ("班級", 32.0, 48.0),
            ("座號", 32.0, 30.0),
            ("學號", 32.0, 64.0),
            ("姓名", 32.0, 0.0),
            ("身分證號", 50.0, 74.0),
        )
        self.name_w = CONTENT_W - sum(lw + vw for _, lw, vw in self.cells)
        self._forms: set[str] = set()
        self.barcode_module = 0.9
        self.barcode_height = 30.0

    # -- forms -------------------------------------------------------------------------------
    def _form(self, name: str, draw: Callable[[], None]) -> None:
        """Place form ``name`` (drawn by ``draw`` the first time) on the current page."""
        c = self.c
        if len(name) > 100:
            # PDF names longer than 127 bytes break some readers (poppler warns "name token is
            # longer than …"): a table of 25 wrapped rows spells out 25 heights in its key
            name = "F" + hashlib.sha1(name.encode("utf-8")).hexdigest()
        if name not in self._forms:
            c.beginForm(name, *self.FORM_BOX)  # type: ignore[arg-type]  # stubs say int; reportlab takes floats
            self.pen.page_started()
            draw()
            c.endForm()
            self.pen.page_started()
            self._forms.add(name)
        c.doForm(name)

    def _form_at(self, name: str, top: float, draw: Callable[[], None]) -> None:
        """Place a form drawn relative to y=0 with its top at ``top``."""
        c = self.c
        c.saveState()
        c.translate(0, top)
        self._form(name, draw)
        c.restoreState()

    # -- header ------------------------------------------------------------------------------
    def _draw_header_static(self) -> None:
        c, pen = self.c, self.pen
        size = 16.0
        while size > 10 and pen.width(self.title, size) > CONTENT_W:
            size -= 0.5  # a long school name shrinks the title instead of running off the page
        pen.draw(PAGE_W / 2, TOP - 16, self.title, size, "center")
        pen.draw(PAGE_W / 2, TOP - 33, pen.fit(self.subtitle, 10.5, CONTENT_W - 200), 10.5, "center")
        top, h = TOP - 42, 24.0
        x = MARGIN_X
        c.setFillGray(HEAD_FILL)
        xs = []
        for _label, lw, vw in self.cells:
            c.rect(x, top - h, lw, h, stroke=0, fill=1)
            xs.append(x)
            x += lw + (vw or self.name_w)
        c.setFillGray(0)
        c.setLineWidth(0.8)
        c.rect(MARGIN_X, top - h, CONTENT_W, h, stroke=1, fill=0)
        path = c.beginPath()
        for (_label, lw, _vw), x0 in zip(self.cells, xs, strict=True):
            if x0 > MARGIN_X:
                path.moveTo(x0, top - h)
                path.lineTo(x0, top)
            path.moveTo(x0 + lw, top - h)
            path.lineTo(x0 + lw, top)
        c.setLineWidth(0.5)
        c.drawPath(path, stroke=1, fill=0)
        for (label, lw, _vw), x0 in zip(self.cells, xs, strict=True):
            pen.draw(x0 + lw / 2, top - h + 8, label, 9.5, "center")

    def header(self, student: SlipStudent, page_no: int, page_count: int) -> None:
        pen = self.pen
        self._form("hdr", self._draw_header_static)
        pen.draw(PAGE_W - MARGIN_X, TOP - 33, f"第 {page_no} 頁／共 {page_count} 頁", 8.5, "right")
        if page_no > 1:
            pen.draw(MARGIN_X, TOP - 33, "（續前頁）", 8.5)
        elif student.notice:
            pen.draw(MARGIN_X, TOP - 33, pen.fit(student.notice, 8.5, CONTENT_W - 90), 8.5)
        self.footer()
        values = (
            student.class_name,
            "" if student.seat is None else str(student.seat),
            student.student_no,
            student.name,
            student.masked_id,
        )
        x = MARGIN_X
        base = TOP - 42 - 24 + 8
        for (label, lw, vw), value in zip(self.cells, values, strict=True):
            room = (vw or self.name_w) - 10
            size = 12.0 if label == "姓名" else 10.5
            while size > 7 and pen.width(value, size) > room:
                size -= 0.5
            pen.draw(x + lw + 6, base - (1 if label == "姓名" else 0), pen.fit(value, size, room), size)
            x += lw + (vw or self.name_w)

    def footer(self) -> None:
        """The print date (and the contact line) under the page, every page."""
        pen = self.pen
        pen.draw(MARGIN_X, FOOTER_Y, self.print_line, 7.5)
        if self.batch.contact_line:
            room = CONTENT_W - pen.width(self.print_line, 7.5) - 20
            pen.draw(PAGE_W - MARGIN_X, FOOTER_Y, pen.fit(self.batch.contact_line, 7.5, room), 7.5, "right")

    def blank(self) -> None:
        """The padding page of double-sided printing: says it is blank on purpose."""
        self.pen.draw(PAGE_W / 2, PAGE_H / 2, "（此頁空白：雙面列印時讓下一位學生從新的一張開始）", 9, "center")
        self.footer()

    # -- intro -------------------------------------------------------------------------------
    def _draw_intro(self) -> None:
        c, pen = self.c, self.pen
        lines = [self.period_line, *self.intro_lines]
        height = len(lines) * INTRO_LEAD + 6
        c.setFillGray(0.95)
        c.setStrokeGray(0.6)
        c.setLineWidth(0.5)
        c.rect(MARGIN_X, -height, CONTENT_W, height, stroke=1, fill=1)
        c.setFillGray(0)
        c.setStrokeGray(0)
        yy = -INTRO_LEAD + 2
        for i, line in enumerate(lines):
            pen.draw(MARGIN_X + 6, yy, line, INTRO_SIZE + (0.5 if i == 0 else 0))
            yy -= INTRO_LEAD

    def intro(self, y: float) -> float:
        self._form_at("intro", y, self._draw_intro)
        return y - (len(self.intro_lines) + 1) * INTRO_LEAD - 16

    # -- categories --------------------------------------------------------------------------
    def category(self, block: _Block, y: float) -> float:
        pen = self.pen
        cat = block.category
        course = cat.name == COURSE_CATEGORY
        if not block.items:
            heights: tuple[float, ...] = (ROW_H,)
            kind = "empty"
        elif course:
            heights = (ROW_H,) * block.rows
            kind = "course2" if len(block.items) > block.rows else "course1"
        else:
            heights = tuple(ROW_H + (len(lines) - 1) * LINE_H for lines in block.wrapped)
            kind = "other"
        name = f"tbl-{kind}-{'-'.join(f'{h:g}' for h in heights)}"
        self._form_at(name, y, lambda: self._draw_table(kind, heights))
        # the category's own text
        head = f"{cat.name}（續）" if block.continued else f"{cat.name}（共 {len(cat.items)} 筆）"
        pen.draw(MARGIN_X + 5, y - CAT_HEAD_H + 4.5, head, 11)
        source = CATEGORY_SOURCE.get(cat.name)
        if source:
            pen.draw(MARGIN_X + 15 + pen.width(head, 11), y - CAT_HEAD_H + 5, source, 8.5)
        if cat.exempt:
            self._form_at("exempt", y, self._draw_exempt)
        elif cat.status and cat.status != UNCONFIRMED:
            label = confirmation_label(cat.status)
            pen.draw(PAGE_W - MARGIN_X - 6, y - CAT_HEAD_H + 5, f"目前狀態：{label}", 8.5, "right")
        top = y - CAT_HEAD_H - COL_HEAD_H
        if kind == "empty":
            pen.draw(MARGIN_X + CONTENT_W / 2, top - ROW_H + 4, "（本類無資料）", ITEM_SIZE, "center")
        elif course:
            cols = self.layout.course_cols
            half = sum(cols) + COL_GAP
            rows = block.rows
            for i, item in enumerate(block.items):
                x = MARGIN_X + (half if i >= rows else 0.0)
                base = top - (i % rows + 1) * ROW_H + 4
                pen.draw(x + cols[0] / 2, base, _year_term(item), ITEM_SIZE, "center")
                pen.draw(x + cols[0] + 4, base, pen.fit(item.title, ITEM_SIZE, cols[1] - 8), ITEM_SIZE)
                pen.draw(x + cols[0] + cols[1] + cols[2] / 2, base, item.credits, ITEM_SIZE, "center")
        else:
            cols = self.layout.other_cols
            x = MARGIN_X
            row_top = top
            for item, lines, h in zip(block.items, block.wrapped, heights, strict=True):
                base = row_top - ROW_H + 4
                pen.draw(x + cols[0] / 2, base, _year_term(item), ITEM_SIZE, "center")
                for i, line in enumerate(lines):
                    pen.draw(x + cols[0] + 4, base - i * LINE_H, line, ITEM_SIZE)
                pen.draw(x + cols[0] + cols[1] + cols[2] / 2, base, _prose_date(item.date), ITEM_SIZE, "center")
                row_top -= h
        return y - CAT_HEAD_H - COL_HEAD_H - sum(heights) - BLOCK_GAP

    def _draw_exempt(self) -> None:
        c, pen = self.c, self.pen
        w = pen.width("免確認", 10) + 10
        x0 = PAGE_W - MARGIN_X - w - 4
        c.setLineWidth(0.9)
        c.rect(x0, -CAT_HEAD_H + 2.5, w, CAT_HEAD_H - 5, stroke=1, fill=0)
        pen.draw(x0 + w / 2, -CAT_HEAD_H + 5.5, "免確認", 10, "center")
        pen.draw(x0 - 6, -CAT_HEAD_H + 5.5, "本類資料不需確認", 8.5, "right")

    def _draw_table(self, kind: str, heights: tuple[float, ...]) -> None:
        """Heading bar, column heads and grid of a category table, top at y=0."""
        c = self.c
        c.setFillGray(HEAD_FILL)
        c.rect(MARGIN_X, -CAT_HEAD_H, CONTENT_W, CAT_HEAD_H, stroke=0, fill=1)
        c.setFillGray(0)
        y = -CAT_HEAD_H
        bottom = y - COL_HEAD_H - sum(heights)
        rows_y = [y - COL_HEAD_H]
        for h in heights[:-1]:
            rows_y.append(rows_y[-1] - h)
        if kind == "empty":
            self._grid(MARGIN_X, y, bottom, (CONTENT_W,), rows_y)
        elif kind.startswith("course"):
            cols = self.layout.course_cols
            half = sum(cols) + COL_GAP
            for side in range(2 if kind == "course2" else 1):
                x = MARGIN_X + side * half
                self._grid(x, y, bottom, cols, rows_y)
                self._col_heads(x, y, cols, ("學年度-學期", "科目名稱", "學分"))
        else:
            cols = self.layout.other_cols
            self._grid(MARGIN_X, y, bottom, cols, rows_y)
            self._col_heads(MARGIN_X, y, cols, ("學年度-學期", "名稱", "日期"))

    def _grid(
        self, x: float, top: float, bottom: float, cols: tuple[float, ...], rows_y: list[float]
    ) -> None:
        c = self.c
        width = sum(cols)
        path = c.beginPath()
        for ry in rows_y:
            path.moveTo(x, ry)
            path.lineTo(x + width, ry)
        cx = x
        for w in cols[:-1]:
            cx += w
            path.moveTo(cx, top)
            path.lineTo(cx, bottom)
        c.setStrokeGray(GRID_GRAY)
        c.setLineWidth(0.4)
        c.drawPath(path, stroke=1, fill=0)
        c.setStrokeGray(0)
        c.setLineWidth(0.7)
        c.rect(x, bottom, width, top - bottom, stroke=1, fill=0)

    def _col_heads(self, x: float, y: float, cols: tuple[float, ...], labels: tuple[str, ...]) -> None:
        cx = x
        for w, label in zip(cols, labels, strict=True):
            self.pen.draw(cx + w / 2, y - COL_HEAD_H + 3.5, label, 8.5, "center")
            cx += w

    # -- 回條 ----------------------------------------------------------------------------------
    def _checkbox(self, x: float, y: float, size: float = 8.5) -> None:
        self.c.rect(x, y, size, size, stroke=1, fill=0)

    def _draw_slip_static(self, categories: tuple[tuple[str, bool], ...], bars_w: float) -> None:
        c, pen = self.c, self.pen
        top = BOTTOM + SLIP_H
        caption = f"請沿虛線剪下回條，於{date_prose(self.batch.period_end)}前交回"
        cap_w = pen.width(caption, 8.5) + 16
        mid = PAGE_W / 2
        c.setDash(4, 3)
        c.setLineWidth(0.7)
        c.line(MARGIN_X - 20, top, mid - cap_w / 2, top)
        c.line(mid + cap_w / 2, top, PAGE_W - MARGIN_X + 20, top)
        c.setDash()
        pen.draw(mid, top - 3, caption, 8.5, "center")

        y = top - 24
        pen.draw(MARGIN_X, y, "回條", 14)
        bx = PAGE_W - MARGIN_X - bars_w - 4
        caption_w = bx - 14 - (MARGIN_X + 36)
        pen.draw(MARGIN_X + 36, y + 1, pen.fit(f"收訖明細確認單　{self.subtitle}", 9.5, caption_w), 9.5)

        row_h = 16.0
        left_w = 250.0
        table_top = top - 60
        c.setLineWidth(0.6)
        for i, (name, exempt) in enumerate(categories):
            ry = table_top - (i + 1) * row_h
            c.setStrokeGray(GRID_GRAY)
            c.line(MARGIN_X, ry, MARGIN_X + left_w, ry)
            c.setStrokeGray(0)
            pen.draw(MARGIN_X + 4, ry + 5, name, 10)
            if exempt:
                pen.draw(MARGIN_X + 96, ry + 5, "免確認（不需勾選）", 9.5)
            else:
                self._checkbox(MARGIN_X + 96, ry + 4)
                pen.draw(MARGIN_X + 108, ry + 5, "資料正確", 10)
                self._checkbox(MARGIN_X + 168, ry + 4)
                pen.draw(MARGIN_X + 180, ry + 5, "有疑義", 10)
        box_h = max(len(categories), 4) * row_h
        c.setLineWidth(0.7)
        c.rect(MARGIN_X, table_top - box_h, left_w, box_h, stroke=1, fill=0)
        ox = MARGIN_X + left_w + 10
        ow = CONTENT_W - left_w - 10
        c.rect(ox, table_top - box_h, ow, box_h, stroke=1, fill=0)
        pen.draw(ox + 4, table_top - 11, "疑義說明（勾「有疑義」者請寫明類別、哪一筆、哪裡有誤）：", 8.5)
        c.setStrokeGray(0.7)
        c.setLineWidth(0.4)
        c.setDash(1, 2)
        for i in range(1, 4):
            ly = table_top - box_h + i * row_h - 4
            c.line(ox + 6, ly, ox + ow - 6, ly)
        c.setDash()
        c.setStrokeGray(0)

        y = table_top - box_h - 24
        c.setLineWidth(0.6)
        pen.draw(MARGIN_X, y, "學生簽名：", 10.5)
        c.line(MARGIN_X + 54, y - 2, MARGIN_X + 170, y - 2)
        pen.draw(MARGIN_X + 184, y, "家長簽名：", 10.5)
        c.line(MARGIN_X + 238, y - 2, MARGIN_X + 354, y - 2)
        pen.draw(MARGIN_X + 368, y, "日期：　　　年　　　月　　　日", 10.5)

    def slip(self, student: SlipStudent, code: str) -> None:
        """The tear-off 回條 at the bottom of the student's last page."""
        c, pen = self.c, self.pen
        key = tuple((cat.name, cat.exempt) for cat in student.categories)
        module, bar_h = self.barcode_module, self.barcode_height
        bars_w = code128_bars(code).modules * module
        name = "slip-" + "-".join(f"{CATEGORY_KEYS.get(n, n)}{int(e)}" for n, e in key) + f"-{int(bars_w)}"
        self._form(name, lambda: self._draw_slip_static(key, bars_w))
        top = BOTTOM + SLIP_H
        bx = PAGE_W - MARGIN_X - bars_w - 4
        by = top - 14 - bar_h
        draw_code128(c, code, bx, by, module=module, height=bar_h)
        pen.draw(bx + bars_w / 2, by - 10, code, 9, "center")
        info = (
            f"班級：{student.class_name}　　座號：{'' if student.seat is None else student.seat}"
            f"　　姓名：{student.name}"
        )
        pen.draw(MARGIN_X, top - 48, pen.fit(info, 12, bx - 20 - MARGIN_X), 12)


CATEGORY_KEYS = {"修課紀錄": "C", "幹部經歷": "L", "課程學習成果": "R", "多元表現": "P"}
# who submitted a category: the school (修課紀錄, 幹部經歷) or the student (the other two)
CATEGORY_SOURCE = {
    "修課紀錄": "由學校提交",
    "幹部經歷": "由學校提交",
    "課程學習成果": "由你上傳並勾選提交",
    "多元表現": "由你上傳並勾選提交",
}


# --------------------------------------------------------------------------------------------
# Entry point


def write_slips(
    path: str | Path,
    batch: SlipBatch,
    *,
    font_path: str | Path | None = None,
    progress: ProgressFn | None = None,
    allow_missing: bool = False,
    chain: FontChain | None = None,
    duplex: bool = False,
) -> SlipReport:
    """Write the confirmation slips of ``batch`` to ``path`` (one PDF, A4, students by class/seat).

    Args:
        font_path: the user's font setting (else ``$DESKTOP_APP_FONT``, else the installed ones).
        progress: called ``progress(page, pages)`` after each page; may raise ``Cancelled``
            (the partial file is removed).
        allow_missing: print even when :func:`check_printable` finds problems; each such
            character is printed as ``[U+XXXX]`` and listed in the report.
        duplex: 「雙面列印：每位學生從新的一張開始」: a student with an odd page count gets a
            blank page after their last one, so printed double-sided no sheet holds two students.

    Raises:
        FontNotFoundError: no embeddable CJK TrueType font.
        UnprintableTextError: unmapped 造字 or characters no font has (unless ``allow_missing``).
    """
    target = check_pdf_target(path, "確認單")
    chain = chain or font_chain(font_path, lazy=True)
    problems = check_printable(batch, chain)
    if problems and not allow_missing:
        raise UnprintableTextError(problems)
    students = _sorted_students(batch.students)
    tmp = target.with_name(target.name + ".part")
    canvas = _slips_canvas(tmp, batch, chain)
    # ASCII85 on top of Flate makes streams 25% bigger and costs ~10% of the run; plain binary
    # Flate streams are standard PDF. rl_config is global: restored right after saving (another
    # PDF written at the same moment in another thread would merely get binary streams too).
    a85 = rl_config.useA85
    pen = _Pen(canvas, chain, {p.char: _marked(p.char) for p in problems})
    layout = _Layout(pen)
    drawer = _SlipDrawer(canvas, pen, batch, layout)
    rl_config.useA85 = 0
    try:
        done, codes = _draw_slips(drawer, layout, students, duplex, progress)
        save_pdf(canvas, tmp, target, "確認單")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        rl_config.useA85 = a85
    return SlipReport(
        path=target,
        pages=done,
        students=len(students),
        problems=tuple(problems),
        fallback_chars="".join(sorted(pen.fallback_chars)),
        codes=tuple(codes),
        font_name=chain.primary.name,
        size_bytes=target.stat().st_size,
    )


def _slips_canvas(tmp: Path, batch: SlipBatch, chain: FontChain) -> Canvas:
    canvas = Canvas(
        str(tmp),
        pagesize=A4,
        pageCompression=1,
        initialFontName=chain.primary.name,  # type: ignore[arg-type]  # the stubs type it as a float
        initialFontSize=10,
    )
    canvas.setTitle(f"{batch.school_name}學生學習歷程檔案收訖明細確認單 {batch.batch_name}")
    canvas.setAuthor(batch.school_name)
    canvas.setSubject(batch.term_title)
    return canvas


def _draw_slips(
    drawer: _SlipDrawer, layout: _Layout, students: list[SlipStudent], duplex: bool, progress: ProgressFn | None
) -> tuple[int, list[str]]:
    """Draw every student's pages (a blank one after an odd count when ``duplex``); returns the
    pages drawn and the barcode payloads in page order."""
    canvas, pen, batch = drawer.c, drawer.pen, drawer.batch
    intro_h = layout.intro_height(len(drawer.intro_lines) + 1)
    plans = [layout.paginate(student, intro_h) for student in students]
    pads = [duplex and len(p) % 2 == 1 for p in plans]
    total = sum(len(p) for p in plans) + sum(pads) or 1
    done = 0
    codes: list[str] = []
    if not students:
        pen.draw(PAGE_W / 2, PAGE_H / 2, "（沒有符合條件的學生）", 14, "center")
        canvas.showPage()
        done = 1
    for student, pages, pad in zip(students, plans, pads, strict=True):
        code = slip_code(batch.batch_id, student.student_id)
        for index, page in enumerate(pages, start=1):
            pen.page_started()
            drawer.header(student, index, len(pages))
            y = layout.body_top()
            if page.intro:
                y = drawer.intro(y)
            for block in page.blocks:
                y = drawer.category(block, y)
            if page.slip:
                drawer.slip(student, code)
                codes.append(code)
            canvas.showPage()
            done += 1
            if progress is not None:
                progress(done, total)
        if pad:
            pen.page_started()
            drawer.blank()
            canvas.showPage()
            done += 1
    return done, codes
