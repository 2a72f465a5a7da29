"""gaps.xlsx: the gap and action index as a workbook, because CX teams live in Excel and
Spanish Excel splits a comma CSV wrongly. Two sheets: gaps (one row each) and actions (one
row each), named in the site's language, then the portfolio's opportunities.

Text is text (nothing is ever read as a formula or number), dates are real date cells,
`overdue` is a boolean, `page` is a hyperlink (a link record, never a HYPERLINK formula;
relative to the workbook, or absolute under base_url), the header row is frozen with a
filter on it, and a fixed creation date makes the same content give the same bytes.

Written in two parts, so a one-stage edit costs one journey's rows and not the whole
workbook (XlsxWriter takes ~30 µs a cell, 2.5 s for the 10,500 rows of an 11,000-file
site, and it cannot reuse any of it):
- XlsxWriter writes the workbook itself: styles, sheets, column widths, the frozen header,
  the filter, with one probe row in each sheet that tells which style index it gave
  dates and links;
- `rows_part` writes one journey's rows of a sheet as SpreadsheetML `<row>` elements
  without row numbers (each row follows the one before, as the format allows), so the
  part is the same wherever the journey's rows land and is cached with the journey
  (cjmsite.render.pieces); `assemble` puts the parts in place of the probe row and adds
  each row's hyperlink, whose cell reference is only known then."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from urllib.parse import quote
from xml.sax.saxutils import escape

_CREATED = dt.datetime(2000, 1, 1)  # deterministic output; the content's date is in git
_WIDTHS = {"journey_title": 30, "stage_title": 28, "gap": 40, "change": 40, "action": 36,
           "page": 40, "personas": 24, "title": 40, "gaps": 40, "metrics": 30}
_DATES = {"gap_closed", "action_due", "as_of"}
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system, its leap-year bug included)
_MAX_UNITS = 32767  # Excel's longest cell text, in UTF-16 code units
# Style placeholders in cached parts: control bytes never survive escaping, so they can
# only be these; `assemble` swaps in the indexes XlsxWriter gave the date and link styles.
_DATE_STYLE, _LINK_STYLE = "\x01", "\x02"
_DATE_BYTE, _LINK_BYTE = _DATE_STYLE.encode(), _LINK_STYLE.encode()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LOOKS_ESCAPED = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_UNUSUAL = re.compile(f"{_CONTROL.pattern}|{_LOOKS_ESCAPED.pattern}")  # either of the two
_QUOTE = {'"': "&quot;"}  # for attribute values (escape() does &, < and >)
_HYPERLINK = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
              "hyperlink")

Part = tuple[bytes, list[str]]  # a journey's rows of one sheet, and each row's page


def _text(value: str) -> str:
    """Cell text as SpreadsheetML holds it (as Excel and XlsxWriter write it): at most
    32,767 UTF-16 units, `_xHHHH_` for control characters (XML cannot hold them) and for
    text that would otherwise read as such an escape."""
    if len(value) > _MAX_UNITS // 2:
        units = value.encode("utf-16-le", "surrogatepass")[:2 * _MAX_UNITS]
        value = units.decode("utf-16-le", "ignore")  # never half a surrogate pair
    if _UNUSUAL.search(value):  # rare: most cells skip both passes
        value = _LOOKS_ESCAPED.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f'<c t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _cell(title: str, value: object) -> str:
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    if title in _DATES and value:
        day = (dt.date.fromisoformat(str(value)[:10]) - _EPOCH).days
        return f'<c s="{_DATE_STYLE}"><v>{day}</v></c>'
    if title == "page":
        return _text(str(value)).replace("<c ", f'<c s="{_LINK_STYLE}" ', 1)
    return _text(str(value))


def rows_part(columns: tuple[str, ...], rows: list[list[object]]) -> Part:
    """One journey's rows of a sheet (see the module docstring), and each row's page."""
    xml = "".join("<row>" + "".join(_cell(title, value) for title, value in
                                    zip(columns, values, strict=True)) + "</row>"
                  for values in rows)
    page = columns.index("page")
    return xml.encode("utf-8", "replace"), [str(values[page]) for values in rows]


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, left = divmod(index - 1, 26)
        name = chr(65 + left) + name
    return name


def _link(page: str, base_url: str) -> tuple[str, str]:
    """(relationship target, location in it) as XlsxWriter writes a link: under base_url
    an absolute URL, else a path relative to the workbook (Excel's backslashes)."""
    path, _, anchor = page.partition("#")
    if base_url:
        return quote(f"{base_url.rstrip('/')}/{path}", safe=":/?=&%~+@!$'()*,;"), anchor
    return quote(path, safe="/").replace("/", "\\"), anchor


def _shell(sheets: list[tuple[str, tuple[str, ...], int]]) -> bytes:
    """The workbook with each sheet's header and filter over `int` rows, and the probe
    row in their place."""
    import xlsxwriter  # here, not at the top: a rebuild with no new gaps never needs it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True,
                                     "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"created": _CREATED})
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    link = book.get_default_url_format()
    for name, columns, count in sheets:
        page = book.add_worksheet(name[:31])
        for column, title in enumerate(columns):
            page.set_column(column, column, _WIDTHS.get(title, 14))
            page.write_string(0, column, title, bold)
        page.freeze_panes(1, 0)
        page.autofilter(0, 0, count, len(columns) - 1)
        page.write_datetime(1, 0, _CREATED, date)  # the probe row
        page.write_url(1, 1, "external:probe.html", link, string="probe")
    book.close()
    return out.getvalue()


_PROBE = re.compile(rb'<row r="2"[^>]*><c r="A2" s="(\d+)"><v>[^<]*</v></c>'
                    rb'<c r="B2" s="(\d+)" t="s"><v>\d+</v></c></row>')


def _sheet_xml(xml: bytes, columns: tuple[str, ...], parts: list[Part], base_url: str
               ) -> tuple[bytes, bytes]:
    """A shell sheet with `parts` in place of its probe row, and its relationships. The
    parts stay bytes, as cached: only the links are made as text."""
    probe = _PROBE.search(xml)
    assert probe is not None, "XlsxWriter wrote the probe row differently"
    date_style, link_style = probe.groups()
    body = b"".join(part for part, _ in parts)
    body = body.replace(_DATE_BYTE, date_style).replace(_LINK_BYTE, link_style)
    pages = [page for _, rows in parts for page in rows]
    letter = _column(columns.index("page"))
    links, rels = [], []
    for number, page in enumerate(pages, 2):
        target, anchor = _link(page, base_url)
        where = f' location="{escape(anchor, _QUOTE)}"' if anchor else ""
        links.append(f'<hyperlink ref="{letter}{number}" r:id="rId{number - 1}"{where}/>')
        rels.append(f'<Relationship Id="rId{number - 1}" Type="{_HYPERLINK}" '
                    f'Target="{escape(target, _QUOTE)}" TargetMode="External"/>')
    xml = xml[:probe.start()] + body + xml[probe.end():]
    dimension = f'<dimension ref="A1:{_column(len(columns) - 1)}{len(pages) + 1}"/>'
    xml = re.sub(rb'<dimension ref="[^"]*"/>', dimension.encode(), xml, count=1)
    hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
    xml = re.sub(rb"<hyperlinks>.*?</hyperlinks>", hyperlinks.encode("utf-8"), xml, count=1,
                 flags=re.S)
    relations = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f"{''.join(rels)}</Relationships>")
    return xml, relations.encode("utf-8")


def assemble(sheets: list[tuple[str, tuple[str, ...], list[Part]]], base_url: str = ""
             ) -> bytes:
    """The workbook from each sheet's name, columns and parts (see the module
    docstring)."""
    shell = zipfile.ZipFile(io.BytesIO(_shell(
        [(name, columns, sum(len(pages) for _, pages in parts))
         for name, columns, parts in sheets])))
    replaced: dict[str, bytes] = {}
    for number, (_, columns, parts) in enumerate(sheets, 1):
        sheet = f"xl/worksheets/sheet{number}.xml"
        replaced[sheet], replaced[f"xl/worksheets/_rels/sheet{number}.xml.rels"] = \
            _sheet_xml(shell.read(sheet), columns, parts, base_url)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in shell.infolist():  # same order, names and dates: the same bytes
            data = replaced[info.filename] if info.filename in replaced \
                else shell.read(info)
            book.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
