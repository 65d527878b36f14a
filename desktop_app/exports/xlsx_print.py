"""Print settings for xlsx sheets a clerk prints or hands on: A4, fit to width, header repeated.

Additive to whatever writes the cells (the safe cell writer stays in charge of values): call
:func:`set_print_layout` once the sheet is filled.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet


def set_print_layout(
    ws: Worksheet,
    header_row: int,
    *,
    landscape: bool = False,
    autofilter: bool = True,
    footer: str = "",
) -> None:
    """A4, fit all columns to one page width (any number of pages tall), rows 1..``header_row``
    repeated on every printed page, an autofilter on the header row and 「第 &P 頁，共 &N 頁」 below."""
    last_col = get_column_letter(ws.max_column)
    if autofilter:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{max(ws.max_row, header_row)}"
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    if ws.sheet_properties.pageSetUpPr is None:  # openpyxl makes one; its stubs allow None
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    odd = ws.oddFooter
    assert odd is not None and odd.center is not None and odd.left is not None  # openpyxl makes them all
    odd.center.text = "第 &P 頁，共 &N 頁"
    if footer:
        odd.left.text = footer
