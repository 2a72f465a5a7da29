"""gaps.xlsx: the gap and action index as a workbook, because CX teams live in Excel and
Spanish Excel splits a comma CSV wrongly. Same rows and columns as gaps.csv.

Written with XlsxWriter: every cell as a string (nothing is ever read as a formula,
number or link), the header row frozen with a filter on it, and a fixed creation date so
the same content gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io

from cjmsite.render.exports import CSV_COLUMNS

_CREATED = dt.datetime(2000, 1, 1)  # deterministic output; the content's date is in git
_WIDTHS = {"journey_title": 30, "stage_title": 28, "gap": 40, "change": 40, "action": 36,
           "page": 40, "title": 40, "gaps": 40, "metrics": 30}


Sheet = tuple[str, tuple[str, ...], list[list[str]]]  # name, header, rows


def gaps_workbook(cells: list[list[str]], sheet: str, others: tuple[Sheet, ...] = ()) -> bytes:
    """The gaps sheet, then `others` (the portfolio's opportunities), each as a table."""
    import xlsxwriter  # here, not at the top: a rebuild with no new gaps never needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True,
                                     "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"created": _CREATED})
    bold = book.add_format({"bold": True})
    for name, header, rows in ((sheet, CSV_COLUMNS, cells), *others):
        page = book.add_worksheet(name[:31])
        for column, key in enumerate(header):
            page.set_column(column, column, _WIDTHS.get(key, 14))
            page.write_string(0, column, key, bold)
        for row, values in enumerate(rows, 1):
            for column, value in enumerate(values):
                page.write_string(row, column, value)
        page.freeze_panes(1, 0)
        page.autofilter(0, 0, len(rows), len(header) - 1)
    book.close()
    return out.getvalue()
