"""gaps.xlsx: the gap and action index as a workbook, because CX teams live in Excel and
Spanish Excel splits a comma CSV wrongly. Two sheets: gaps (one row each) and actions (one
row each), named in the site's language.

Written with XlsxWriter: text as text (nothing is ever read as a formula or number),
dates as real date cells, `overdue` as a boolean, `page` as a hyperlink (a link record,
never a HYPERLINK formula; relative to the workbook, or absolute under base_url), the
header row frozen with a filter on it, and a fixed creation date so the same content gives
the same bytes."""

from __future__ import annotations

import datetime as dt
import io

from cjmsite.render.exports import ACTION_SHEET, GAP_SHEET

_CREATED = dt.datetime(2000, 1, 1)  # deterministic output; the content's date is in git
_WIDTHS = {"journey_title": 30, "stage_title": 28, "gap": 40, "change": 40, "action": 36,
           "page": 40, "personas": 24}
_DATES = {"gap_closed", "action_due", "as_of"}


def _sheet(book, name: str, columns: tuple[str, ...], rows: list[list[object]],  # noqa: ANN001
           formats: dict[str, object], base_url: str) -> None:
    page = book.add_worksheet(name[:31])
    for column, title in enumerate(columns):
        page.set_column(column, column, _WIDTHS.get(title, 14))
        page.write_string(0, column, title, formats["bold"])
    for row, values in enumerate(rows, 1):
        for column, (title, value) in enumerate(zip(columns, values, strict=True)):
            if isinstance(value, bool):
                page.write_boolean(row, column, value)
            elif isinstance(value, int):
                page.write_number(row, column, value)
            elif title in _DATES and value:
                page.write_datetime(row, column, dt.datetime.fromisoformat(str(value)),
                                    formats["date"])
            elif title == "page":
                url = f"{base_url.rstrip('/')}/{value}" if base_url else f"external:{value}"
                page.write_url(row, column, url, formats["link"], string=str(value))
            else:
                page.write_string(row, column, str(value))
    page.freeze_panes(1, 0)
    page.autofilter(0, 0, len(rows), len(columns) - 1)


def gaps_workbook(gaps: list[list[object]], actions: list[list[object]],
                  sheets: tuple[str, str], base_url: str = "") -> bytes:
    import xlsxwriter  # here, not at the top: a rebuild with no new gaps never needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True,
                                     "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"created": _CREATED})
    formats = {"bold": book.add_format({"bold": True}),
               "date": book.add_format({"num_format": "yyyy-mm-dd"}),
               "link": book.get_default_url_format()}
    _sheet(book, sheets[0], GAP_SHEET, gaps, formats, base_url)
    _sheet(book, sheets[1], ACTION_SHEET, actions, formats, base_url)
    book.close()
    return out.getvalue()
