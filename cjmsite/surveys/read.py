"""A survey's responses file -> one table of text cells, with where each row is.

CSV as real exports come (UTF-8 with or without a BOM, `,` `;` or tab, CRLF, quoted cells
over several lines) is read by Polars; `.xlsx` by python-calamine. Either way every cell
is text here (the survey's settings say how to read scores and dates), plus `_line`: the
physical line of the row in a CSV, the row number in a worksheet. The bytes are read
through safefs like every project file, and a workbook's zip is measured before it is
opened, so a small file cannot expand into gigabytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cjmsite import safefs
from cjmsite.content.parse import blob_id
from cjmsite.diagnostics import did_you_mean
from cjmsite.surveys import xlsxsize

if TYPE_CHECKING:  # Polars takes ~0.3 s to import: only sites with surveys pay it
    import polars as pl

MAX_SURVEY_BYTES = 512 * 1024 * 1024  # a million responses with comments is ~100 MB
MAX_XLSX_EXPANDED = 2 * 1024 * 1024 * 1024
MAX_COLUMNS = xlsxsize.MAX_COLUMNS  # Polars takes minutes and gigabytes past a few 10,000s
MAX_HEADER_BYTES = 1024 * 1024  # a header row of 10,000 long questions is well under it
DELIMITERS = (",", ";", "\t")
HEADER_SEARCH = 20  # the first lines (worksheet rows) searched for the header row


class Unreadable(Exception):
    """The file cannot be read as responses: (line, message)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass
class Responses:
    table: pl.DataFrame  # text columns as in the header, plus `_line` (int)
    sheet: str = ""  # the worksheet read, for an .xlsx file (messages say sheet!row)
    digest: str = ""  # the file's git blob id
    header_line: int = 1  # the line (worksheet row) that holds the headers
    headers: list[str] = field(default_factory=list)  # as written, empty ones left out


def read_responses(path: Path, root: Path, sheet: str = "", wanted: tuple[str, ...] = (),
                   header_row: int | None = None) -> Responses:
    """The responses; their headers are on line `header_row`, else on the first of the
    first HEADER_SEARCH lines that holds every `wanted` header (exports put a title and
    blank rows above them), else on the first line."""
    try:
        raw = safefs.read(path, root, MAX_SURVEY_BYTES)
    except safefs.UnsafeFile as exc:
        raise Unreadable(1, f"{path.name} {exc}") from None

    if path.suffix.lower() == ".xlsx":
        table, name, line, headers = _xlsx(raw, sheet, wanted, header_row)
        return Responses(table, name, blob_id(raw), line, headers)
    table, line, headers = _csv(raw, wanted, header_row)
    return Responses(table, "", blob_id(raw), line, headers)


def _csv(raw: bytes, wanted: tuple[str, ...] = (), header_row: int | None = None
         ) -> tuple[pl.DataFrame, int, list[str]]:
    import polars as pl  # here, not at the top: only sites with surveys import it
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        raw.decode("utf-8")  # Polars would fail too, but without the line of the bad byte
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise Unreadable(line, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}): "
                               "export it as 'CSV UTF-8'") from None
    if not raw.strip():
        raise Unreadable(1, "the file is empty: the first row must hold the headers")
    first = raw[:min(_nth_line_end(raw, HEADER_SEARCH), HEADER_SEARCH * MAX_HEADER_BYTES)]
    lines = [line[:MAX_HEADER_BYTES] for line in
             first.decode("utf-8", "replace").replace("\r", "").split("\n")]
    split = [{d: _split(line, d) for d in DELIMITERS}
             for line in lines]
    found = {i: d for i, cells in enumerate(split) for d in reversed(DELIMITERS)
             if wanted and set(wanted) <= {c.strip() for c in cells[d]}}
    skip = (header_row - 1 if header_row is not None
            else min(found) if found else 0)
    if header_row is not None:
        total = raw.count(b"\n") + (not raw.endswith(b"\n"))
        if header_row > total:
            raise Unreadable(1, f"header_row is {header_row}, but the file has "
                                f"{total:,} line{'s' * (total != 1)}")
    header = lines[skip] if skip < len(lines) else raw.split(b"\n")[skip].decode("utf-8")
    counts = {d: _outside_quotes(header).count(d) for d in DELIMITERS}
    delimiter = found.get(skip) or max(DELIMITERS,
                                       key=lambda d: (counts[d], -DELIMITERS.index(d)))
    _header_columns(raw, delimiter, _nth_line_end(raw, skip) + 1 if skip else 0, skip + 1)
    try:
        table = pl.read_csv(io.BytesIO(raw), separator=delimiter, infer_schema=False,
                            has_header=True, truncate_ragged_lines=True, skip_lines=skip,
                            row_index_name="_row", quote_char='"')
    except (pl.exceptions.PolarsError, ValueError, OSError) as exc:
        raise Unreadable(1, f"not a CSV file cjmsite can read: {str(exc).splitlines()[0]}") \
            from None
    columns = [c for c in table.columns if c != "_row"]
    # Cells may hold line breaks: each row starts after those of the rows before it.
    breaks = pl.sum_horizontal([pl.col(c).str.count_matches("\n").fill_null(0)
                                for c in columns]) if columns else pl.lit(0)
    table = table.with_columns(breaks.alias("_breaks")).with_columns(
        (pl.col("_row").cast(pl.Int64) + 2 + skip
         + pl.col("_breaks").cum_sum() - pl.col("_breaks")).alias("_line")
    ).drop("_row", "_breaks")
    # Polars names an empty header cell after its place: never shown as a header.
    headers = [c.strip() for c in _split(header, delimiter)]
    return table, skip + 1, [h for h in headers if h]


def _split(line: str, delimiter: str) -> list[str]:
    """A line's cells, or none when it is not a row of cells (a field past csv's limit)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _nth_line_end(raw: bytes, n: int) -> int:
    """Where the first `n` lines of `raw` end."""
    end = -1
    for _ in range(n):
        end = raw.find(b"\n", end + 1)
        if end < 0:
            return len(raw)
    return end


def _header_columns(raw: bytes, delimiter: str, start: int = 0, line: int = 1) -> int:
    """How many columns the header row may have, at most, in time bounded by the header
    alone; Unreadable past MAX_COLUMNS or MAX_HEADER_BYTES. Every delimiter counts, quoted
    or not, up to where the header row ends as a CSV reader sees it or as its quotes pair
    up, whichever is later (so Polars cannot read a longer header than was counted)."""
    first = raw.find(b"\n", start)
    if first < 0:
        first = len(raw)
    end, quotes = first, raw.count(b'"', start, first)
    while quotes % 2 and end < min(len(raw), start + MAX_HEADER_BYTES + 1):  # paired: ends
        next_end = raw.find(b"\n", end + 1)
        next_end = len(raw) if next_end < 0 else next_end
        quotes += raw.count(b'"', end, next_end)
        end = next_end
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(raw[start:start + MAX_HEADER_BYTES + 1].decode("utf-8",
                                                                                "replace"),
                                newline=""):
            consumed += len(line.encode("utf-8"))
            yield line

    try:
        next(csv.reader(lines(), delimiter=delimiter, quotechar='"', strict=False))
    except StopIteration:
        pass
    except csv.Error as exc:
        raise Unreadable(line, f"the header row cannot be read: {exc}") from None
    end = max(end, start + consumed)
    columns = raw.count(delimiter.encode(), start, min(end, start + MAX_HEADER_BYTES + 1)) + 1
    long = end - start > MAX_HEADER_BYTES
    if columns > MAX_COLUMNS:
        raise Unreadable(line, f"the header row has {'more than ' * long}"
                            f"{columns:,} columns, over the limit of {MAX_COLUMNS:,}")
    if long:
        raise Unreadable(line, f"the header row is longer than {MAX_HEADER_BYTES // 2**20} MiB")
    return columns


def _outside_quotes(line: str) -> str:
    """The header line without its quoted parts (a header may hold a delimiter)."""
    return "".join(line.split('"')[::2])


def _xlsx(raw: bytes, sheet: str, wanted: tuple[str, ...] = (),
          header_row: int | None = None) -> tuple[pl.DataFrame, str, int, list[str]]:
    import polars as pl  # here, not at the top: only sites with surveys import it
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > MAX_XLSX_EXPANDED:
                raise Unreadable(1, f"the workbook expands to {expanded // 2**20:,} MiB: "
                                    f"over the {MAX_XLSX_EXPANDED // 2**20:,} MiB limit")
            xlsxsize.measure(archive)  # calamine would allocate whatever a sheet names
    except xlsxsize.TooLarge as exc:
        raise Unreadable(1, f"the workbook is not read: {exc}") from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError):
        raise Unreadable(1, "not an .xlsx workbook (it is not a zip file cjmsite can "
                            "read)") from None
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
        if sheet and sheet not in names:
            raise Unreadable(1, f"no worksheet '{sheet}' (the workbook has: "
                                f"{', '.join(names)}){did_you_mean(sheet, names)}")
        name = sheet or (names[0] if names else "")
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False) if name else []
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own kinds for bad files
        raise Unreadable(1, f"the workbook cannot be read: {exc}") from None
    if not rows:
        raise Unreadable(1, f"worksheet '{name}' is empty: the first row must hold the headers")
    if header_row is not None and header_row > len(rows):
        raise Unreadable(1, f"header_row is {header_row}, but worksheet '{name}' has "
                            f"{len(rows):,} row{'s' * (len(rows) != 1)}")
    top = [[_cell(c) for c in row] for row in rows[:HEADER_SEARCH]]
    at = header_row - 1 if header_row is not None else next(
        (i for i, cells in enumerate(top) if wanted and set(wanted) <= set(cells)), 0)
    headers = [_cell(c) for c in rows[at]]
    written = [h for h in headers if h]
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if not header or header in seen:
            headers[index] = header or f"_column_{index + 1}"  # never shown: see `written`
            if header in seen:
                raise Unreadable(at + 1, f"the header '{header}' appears twice in worksheet "
                                         f"'{name}'")
        seen.add(headers[index])
    width = len(headers)
    data = {h: [_cell(r[i]) if i < len(r) else "" for r in rows[at + 1:]]
            for i, h in enumerate(headers)}
    table = pl.DataFrame(data, schema={h: pl.String for h in headers})
    return (table.with_columns(pl.int_range(at + 2, len(rows) + 1, eager=False,
                                            dtype=pl.Int64).alias("_line"))
            if width else table), name, at + 1, written


def _cell(value: object) -> str:
    """A worksheet cell as the text a CSV export would hold: whole numbers without
    ".0", dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()
