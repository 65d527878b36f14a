"""Identity rules R01–R04 and R19 (and their W01), built once per sheet (``docs/precheck-rules.md``).

:func:`build` returns ``pair(id_value, birth_value, excel_row) -> (id_clean, templates, id_key,
mark)``: the cleaned ID, the finding templates of the ID and birth-date cells, the ID's number for
the R12/R16 keys (-1 when R01 fired) and the student's own pass mark (None when not on the list).
ID and birth date are each checked once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.domain.precheck.cells import Template, cell_text, id_problem, roc_birth_ok, w01_reason
from desktop_app.domain.precheck.context import SheetContext
from desktop_app.domain.precheck.sheets import BIRTH_NAMES, ID_NAMES

PairResult = tuple[str, tuple[Template, ...], int, float | None]


def build(ctx: SheetContext) -> Callable[[object, object, int], PairResult]:
    id_title = ctx.title(ID_NAMES)
    birth_title = ctx.title(BIRTH_NAMES)
    person_birth = _birth_checker(ctx, birth_title)
    mask = ctx.mask
    first_birth = ctx.state.first_birth
    id_numbers = ctx.state.id_numbers
    students = ctx.marks.students
    sheet = ctx.sheet
    id_cache: dict[object, tuple[str, tuple[Template, ...], str | None]] = {}
    birth_cache: dict[object, tuple[str, tuple[Template, ...], bool]] = {}

    def person_id(value: object) -> tuple[str, tuple[Template, ...], str | None]:
        """R01–R03 (+ W01) of an ID. Values and messages carry the masked ID only."""
        out: list[Template] = []
        id_text = cell_text(value)
        id_clean = ctx.cell_w01(id_title, id_text, True, out, upper=True)
        fired = id_problem(id_clean)
        shown = mask(id_clean) if out or fired in ("R02", "R03") else ""
        if out:  # W01 on the ID: mask what it shows
            masked = _mask_raw(id_text, mask)
            reason = w01_reason(id_text, True)
            out[0] = (
                "W01",
                id_title,
                masked,
                shown,
                f"{id_title}「{masked}」{reason}，已清理為「{shown}」後檢查",
            )
        if fired == "R01":
            out.append(("R01", id_title, id_text, "身分證號", "身分證號是空白的"))
        elif fired == "R02":
            expected = "國民身分證、居留證或統一證號（1 英文字母＋9 碼）"
            message = f"身分證號「{shown}」不是身分證、居留證或統一證號的格式"
            out.append(("R02", id_title, _mask_raw(id_text, mask), expected, message))
        elif fired == "R03":
            out.append(
                (
                    "R03",
                    id_title,
                    _mask_raw(id_text, mask),
                    "正確的檢查碼",
                    f"身分證號「{shown}」的檢查碼不正確",
                )
            )
        return id_clean, tuple(out), fired

    def pair(id_value: object, birth_value: object, excel_row: int) -> PairResult:
        """R19 depends on the first valid row of the ID, which is fixed once seen, so a pair
        that differed from it once differs every time: the result is cached per value pair."""
        p = id_cache.get(id_value)
        if p is None:
            p = id_cache[id_value] = person_id(id_value)
        b = birth_cache.get(birth_value)
        if b is None:
            b = birth_cache[birth_value] = person_birth(birth_value)
        id_clean, id_out, id_fired = p
        birth_clean, birth_out, birth_bad = b
        out = id_out + birth_out
        if id_fired is None and not birth_bad:
            first = first_birth.get(id_clean)
            if first is None:
                first_birth[id_clean] = (birth_clean, sheet, excel_row)
            elif first[0] != birth_clean:
                message = f"同一身分證號在「{first[1]}」第 {first[2]} 列的出生日期是 {first[0]}，此列是 {birth_clean}"
                out += (("R19", birth_title, birth_clean, first[0], message),)
        id_key = -1 if id_fired == "R01" else id_numbers.setdefault(id_clean, len(id_numbers)) << 24
        return id_clean, out, id_key, students.get(id_clean) if students else None

    return pair


def _mask_raw(text: str, mask: Callable[[str], str]) -> str:
    """The ID as typed, masked like the clean ID: edge spaces kept, the pattern applied to the
    rest (masking " A123456789" as a whole would shift the mask by one character)."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return text[:start] + mask(core) + text[start + len(core) :]


def _birth_checker(
    ctx: SheetContext, birth_title: str
) -> Callable[[object], tuple[str, tuple[Template, ...], bool]]:
    """R04 (+ W01) of a birth date: (cleaned 7-digit date, templates, bad)."""

    def person_birth(value: object) -> tuple[str, tuple[Template, ...], bool]:
        out: list[Template] = []
        birth_text = cell_text(value)
        birth_clean = ctx.cell_w01(birth_title, birth_text, True, out, upper=True)
        if not roc_birth_ok(birth_clean):
            expected = "民國 yyyMMdd 共 7 碼，例如 0920315"
            message = f"出生日期「{birth_text}」不是有效的民國日期（yyyMMdd）"
            return birth_clean, (*out, ("R04", birth_title, birth_text, expected, message)), True
        return birth_clean.zfill(7), tuple(out), False

    return person_birth
