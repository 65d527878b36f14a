"""Grade rules R13–R17, W02 and W03 (and their W01), built once per sheet
(``docs/precheck-rules.md``).

:func:`build` returns the getter of the grade cells (every score/及格 pair of the sheet kind, then
its 是否採計 column) and ``grades(values, code_bad, is_9d, mark) -> templates``, called once per
distinct combination of those cells, course flags and the student's own pass mark (None: not on
the list, judged at the default with W02 for the grey zone).
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.domain.precheck.cells import (
    NONE_VALUES,
    Template,
    cell_text,
    fmt_number,
    getter_of,
    num_text,
    number,
)
from desktop_app.domain.precheck.context import PassMarks, SheetContext
from desktop_app.domain.precheck.sheets import GradePair

Getter = Callable[[list[object]], tuple[object, ...]]
Grades = Callable[[tuple[object, ...], bool, bool, "float | None"], tuple[Template, ...]]
# (pair, value position of its score, of its 及格 cell) of a sheet's grade pairs
Pairs = list[tuple[GradePair, "int | None", "int | None"]]


def build(ctx: SheetContext) -> tuple[Getter, Grades]:
    kind = ctx.kind
    fields: list[tuple[int, str]] = []  # (column index, title) in value order
    pairs: Pairs = []  # value positions of score / 及格
    for pair in kind.pairs:
        positions = []
        for name in (pair.score, pair.passed):
            i = ctx.index((name,))
            positions.append(len(fields) if i is not None else None)
            if i is not None:
                fields.append((i, ctx.title((name,))))
        pairs.append((pair, positions[0], positions[1]))
    counts_at: int | None = None
    i = ctx.index(kind.counts) if kind.counts else None
    if i is not None:
        counts_at = len(fields)
        fields.append((i, ctx.title(kind.counts)))
    titles = [t for _i, t in fields]
    judge = _Judge(ctx.marks, titles)

    def grades(
        values: tuple[object, ...], code_bad: bool, is_9d: bool, mark: float | None
    ) -> tuple[Template, ...]:
        out: list[Template] = []
        texts = [cell_text(v) for v in values]
        clean = [num_text(ctx.cell_w01(t, x, True, out)) for t, x in zip(titles, texts, strict=True)]
        if not ctx.final:
            return tuple(out + _r13(pairs, texts, clean, titles))
        counts = clean[counts_at] if counts_at is not None else None
        out += judge.pairs(pairs, kind.credit_score, kind.makeup, texts, clean, counts, mark)
        if counts is not None and counts_at is not None and not code_bad:
            out += _r17(counts, is_9d, texts[counts_at], titles[counts_at])
        return tuple(out)

    return getter_of([i for i, _t in fields]), grades


def _r13(pairs: Pairs, texts: list[str], clean: list[str], titles: list[str]) -> list[Template]:
    """A 預檢 roster carries grades: the first grade cell that is neither empty nor -1."""
    for _pair, s, p in pairs:
        for at in (s, p):
            if at is not None and clean[at] not in NONE_VALUES:
                message = f"預檢名冊不應有成績：{titles[at]}是「{texts[at]}」"
                return [("R13", titles[at], texts[at], "空白或 -1", message)]
    return []


def _r17(counts: str, is_9d: bool, text: str, title: str) -> list[Template]:
    if counts not in ("1", "2", "3"):
        return [("R17", title, text, "1、2 或 3", f"{title}「{text}」不是 1、2 或 3")]
    if is_9d and counts != "3":
        message = f"彈性學習時間（9D）課程的{title}應為 3（不需評分），不是「{counts}」"
        return [("R17", title, text, "3", message)]
    return []


class _Judge:
    """R14, R15, R16, W02 and W03 of one row's pairs (one finding per code and row)."""

    def __init__(self, marks: PassMarks, titles: list[str]) -> None:
        self.default = marks.default
        self.lowest = marks.lowest_other
        self.others = marks.others
        self.titles = titles

    def pairs(
        self,
        pairs: Pairs,
        credit_score: bool,
        makeup: str | None,
        texts: list[str],
        clean: list[str],
        counts: str | None,
        mark: float | None,
    ) -> list[Template]:
        out: list[Template] = []
        fired: set[str] = set()
        first_passed: str | None = None
        first_r14 = False
        for index, (pair, s, p) in enumerate(pairs):
            if s is None:
                continue
            passed = clean[p] if p is not None else None
            if index == 0:
                first_passed = passed
            if not pair.r14:  # the day 補考成績: its own reading of R16
                if makeup == "day" and not first_r14:
                    first_title = self.titles[pairs[0][2]] if pairs[0][2] is not None else "成績及格"
                    first = (first_passed, first_title)
                    out += self._day_makeup(s, p, texts, clean, first, mark, fired)
                continue
            found = self._score(
                s, p, texts, clean, counts if index == 0 and credit_score else None, mark, fired
            )
            if found and found[0] == "R14" and index == 0:
                first_r14 = True
            if found and found[0] not in fired:
                fired.add(found[0])
                out.append(found)
        if makeup == "continuing" and len(pairs) > 1 and not first_r14:
            second = pairs[1][1]
            if (
                second is not None
                and clean[second] not in NONE_VALUES
                and first_passed == "1"
                and "R16" not in fired
            ):
                t = self.titles[second]
                first_title = self.titles[pairs[0][2]] if pairs[0][2] is not None else "第一次及格"
                message = f"{first_title}是 1，卻有{t}「{texts[second]}」"
                out.append(("R16", t, texts[second], "-1（第一次補考已及格）", message))
        return out

    def _score(
        self,
        s: int,
        p: int | None,
        texts: list[str],
        clean: list[str],
        counts: str | None,
        mark: float | None,
        fired: set[str],
    ) -> Template | None:
        """R14 of a score; else W03, or R15/W02 of its 及格 cell."""
        t = self.titles[s]
        score = number(clean[s])
        passed = clean[p] if p is not None else None
        if score == -1:
            if counts in ("1", "2"):
                if passed == "1" and p is not None:  # (passed is "1" only when p is set)
                    message = f"{t}為 -1（沒有原始成績）但{self.titles[p]}為 1、是否採計為 {counts}：請確認是否確實給予學分"
                    return ("W03", t, texts[s], "有原始成績，或確認免評分給學分", message)
                message = f"{t}為 -1，但是否採計為「{counts}」（1、2 需要成績，3 才可為 -1）"
                return ("R14", t, texts[s], "0–100（-1 只用於是否採計為 3 或及格 1）", message)
        elif score is None or not 0 <= score <= 100:
            return ("R14", t, texts[s], "0–100 的數字", f"{t}「{texts[s]}」不是 0–100 的數字")
        if p is None or "R15" in fired:
            return None
        return self._passed(score, s, p, texts, passed, mark)

    def _passed(
        self, score: float, s: int, p: int, texts: list[str], passed: str | None, mark: float | None
    ) -> Template | None:
        """R15 (or W02): the 及格 cell against the score at the student's pass mark."""
        at = self.default if mark is None else mark
        expected = "-1" if score == -1 else ("1" if score >= at else "0")
        if passed == expected:
            return None
        t, score_text = self.titles[p], fmt_number(score)
        if mark is None and passed == "1" and self.lowest is not None and self.lowest <= score < self.default:
            marks = "、".join(fmt_number(m) for m in (self.default, *self.others))
            message = (
                f"{t}為 1，但{self.titles[s]} {score_text} 低於預設及格標準 {fmt_number(self.default)}；"
                f"本校另有及格標準 {marks}，此學生的及格標準待確認"
            )
            return ("W02", t, texts[p], f"依此學生的及格標準（{marks}）", message)
        mark_text = "" if mark is None else f"（此學生及格標準 {fmt_number(mark)}）"
        message = f"{t}「{texts[p]}」與成績 {score_text} 不符（應為 {expected}）{mark_text}"
        return ("R15", t, texts[p], expected, message)

    def _day_makeup(
        self,
        s: int,
        p: int | None,
        texts: list[str],
        clean: list[str],
        first: tuple[str | None, str],
        mark: float | None,
        fired: set[str],
    ) -> list[Template]:
        """R16 (日間): a 補考成績 while the first 及格 is 1; 補考及格 without 補考成績; a 補考成績
        that is not 0–100. Otherwise R15/W02 of 補考及格."""
        makeup, makeup_pass = clean[s], clean[p] if p is not None else ""
        has_makeup, t = makeup not in NONE_VALUES, self.titles[s]
        first_passed, first_title = first
        if has_makeup and first_passed == "1":
            message = f"{first_title}是 1，卻有{t}「{texts[s]}」"
            found: Template | None = ("R16", t, texts[s], "-1（成績已及格不需補考）", message)
        elif p is not None and makeup_pass not in NONE_VALUES and not has_makeup:
            tp = self.titles[p]
            found = ("R16", tp, texts[p], "-1（沒有補考成績）", f"沒有{t}，{tp}卻是「{texts[p]}」")
        elif has_makeup and ((n := number(makeup)) is None or not 0 <= n <= 100):
            found = ("R16", t, texts[s], "0–100 的數字", f"{t}「{texts[s]}」不是 0–100 的數字")
        elif has_makeup and n is not None and p is not None and "R15" not in fired:  # (n: bound above)
            found = self._passed(n, s, p, texts, makeup_pass, mark)
        else:
            found = None
        if found is None or found[0] in fired:
            return []
        fired.add(found[0])
        return [found]
