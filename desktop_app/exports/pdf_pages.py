"""「第 N 頁／共 M 頁」 for platypus documents: a canvas that knows the page total when it saves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

FooterFn = Callable[[Canvas, int, int], None]  # (canvas, page number, page total)


def numbered_canvas(footer: FooterFn) -> type[Canvas]:
    """A canvas class for ``doc.build(..., canvasmaker=...)`` that draws ``footer`` on every page
    once the total is known (pages are kept until save, then finished in order)."""

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset, not in its stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return _NumberedCanvas


def page_of(number: int, total: int) -> str:
    return f"第 {number} 頁／共 {total} 頁"
