"""Text rules: W01 and 造字 (PUA) notes in the columns no other rule reads (names, remarks,
質性文字描述, DataKey, …), built once per sheet (``docs/precheck-rules.md``).

:func:`build` returns the getter of those cells and ``other(values) -> templates`` (the template
code ``"PUA"`` is a 造字 note, not a finding). The usual row (no edge spaces, no PUA character) is
decided with one ``join`` in C.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.domain.precheck.cells import PUA_RE, Template, clean, getter_of, w01_reason

Getter = Callable[[list[object]], tuple[object, ...]]


def build(
    header: list[str], indexes: list[int], numeric: set[int]
) -> tuple[Getter, Callable[[tuple[object, ...]], tuple[Template, ...]]]:
    """``indexes``: the columns to read; ``numeric``: those where full-width/lower case is W01 too."""
    strict_any = any(i in numeric for i in indexes)
    columns = [
        (i, header[i].strip() if i < len(header) and header[i].strip() else f"第 {i + 1} 欄") for i in indexes
    ]

    def other(values: tuple[object, ...]) -> tuple[Template, ...]:
        if not strict_any:
            try:
                joined = "\x00".join(values)  # type: ignore[arg-type]  # a non-str cell raises TypeError (caught)
            except TypeError:  # a number or a date among them: the cell-by-cell path
                pass
            else:  # the usual case, decided in C: no edge spaces anywhere, no PUA character
                if joined == "\x00".join(map(str.strip, values)) and (  # type: ignore[arg-type]  # all str: joined above
                    joined.isascii() or max(joined) < "\ue000"
                ):
                    return ()
        out: list[Template] = []
        for (i, column), value in zip(columns, values, strict=True):
            if value.__class__ is not str or not value:
                continue
            text: str = value
            reason = w01_reason(text, i in numeric)
            if reason:
                cleaned = clean(text)
                out.append(
                    ("W01", column, text, cleaned, f"{column}「{text}」{reason}，已清理為「{cleaned}」")
                )
            if not text.isascii():
                chars = "".join(PUA_RE.findall(text))
                if chars:
                    out.append(("PUA", column, text, chars, f"{column}含造字 {chars!r}"))
        return tuple(out)

    return getter_of(indexes), other
