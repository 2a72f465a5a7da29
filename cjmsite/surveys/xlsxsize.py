"""A workbook measured before python-calamine reads it.

Calamine allocates a worksheet's whole range, from A1 to its farthest cell, and copies a
shared string into every cell that names it: a 1.6 KB file with one cell at XFD1048576
asks for 512 GiB and aborts the process, and one 10 MB string in 300 cells asks for
gigabytes. Calamine cannot be told to stop, so every XML part of the zip is read here
first, streaming and with fixed memory, the way calamine will read it (cells placed by
their `r` reference, else after the previous one; elements matched by local name), and
the workbook is refused when its range, cell count or text would pass a limit. Nothing
a part holds is kept but counts; a part that is not well-formed XML, or a DOCTYPE, is
refused too (real workbooks have neither, and calamine might read past what expat
cannot)."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pyexpat import ExpatError, ParserCreate, XMLParserType

MAX_CELLS = 10_000_000  # a worksheet's range, rows x columns (100,000 responses x 100)
MAX_ROWS = 1_048_576  # Excel's own limit; calamine takes nothing past it either
MAX_COLUMNS = 10_000  # as for a CSV header (Excel itself stops at 16,384)
MAX_CELL_TEXT = 32_767  # what a spreadsheet cell can hold (Excel's own limit)
MAX_TEXT = 128 * 1024 * 1024  # characters of all cells of a sheet, shared strings counted
_CHUNK = 1024 * 1024  # per cell that names them, or of all shared strings
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_SHEET_TYPES = ("worksheet", "chartsheet", "dialogsheet", "macrosheet", "sharedstrings",
                "styles")


class TooLarge(Exception):
    """The workbook would pass a limit, or cannot be measured: the message says which."""


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _position(ref: str, part: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref.strip().upper())
    if not match or not 1 <= int(match.group(2)) <= MAX_ROWS:
        raise TooLarge(f"{part}: cell reference '{ref[:20]}' is not a cell of a worksheet")
    return int(match.group(2)) - 1, _column(match.group(1))


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Part:
    """Counts for one XML part: its shared strings (lengths), or its cells."""

    def __init__(self, name: str, strings: list[int] | None):
        self.name = name
        self.strings = strings  # lengths of the shared strings read so far (None: a sheet)
        self.lengths: list[int] = []  # this part's own shared strings, if it has any
        self.row = self.column = 0  # where a cell without `r` goes, as calamine counts
        self.rows = self.columns = 0  # the range: farthest row and column + 1
        self.cells = 0
        self.text = 0  # characters of all cells, or of all shared strings
        self.in_si = self.in_cell = False
        self.cell_text = 0
        self.shared = False  # the open cell's value is an index into the shared strings
        self.value: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "sst":
            count = attrs.get("uniqueCount", attrs.get("count", "0"))
            if count.strip().isdigit() and int(count) > MAX_CELLS:  # calamine reserves it
                raise TooLarge(f"{self.name}: {int(count):,} shared strings, over the "
                               f"limit of {MAX_CELLS:,}")
        elif name == "si":
            self.in_si, self.cell_text = True, 0
        elif name == "dimension" and "ref" in attrs:
            corners = [_position(ref, self.name) for ref in attrs["ref"].split(":")[:2]]
            self._reach(max(r for r, _ in corners), max(c for _, c in corners))
        elif name == "row":
            if "r" in attrs:
                number = attrs["r"].strip()
                if not number.isdigit() or not 1 <= int(number) <= MAX_ROWS:
                    raise TooLarge(f"{self.name}: row number '{number[:20]}' is not a row "
                                   "of a worksheet")
                self.row = int(number) - 1
        elif name == "c":
            if "r" in attrs:
                row, self.column = _position(attrs["r"], self.name)
            else:
                row = self.row
            self._reach(row, self.column)
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise TooLarge(f"{self.name}: more than {MAX_CELLS:,} cells")
            self.in_cell, self.cell_text, self.value = True, 0, []
            self.shared = attrs.get("t", "") == "s"

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "si" and self.in_si:
            self.in_si = False
            self.lengths.append(self.cell_text)
            if len(self.lengths) > MAX_CELLS:
                raise TooLarge(f"{self.name}: more than {MAX_CELLS:,} shared strings")
        elif name == "row":
            self.row, self.column = self.row + 1, 0
        elif name == "c" and self.in_cell:
            self.in_cell = False
            self.column += 1
            if self.shared and self.strings is not None:
                index = "".join(self.value).strip()
                length = self.strings[int(index)] if index.isdigit() \
                    and int(index) < len(self.strings) else 0
                self._add(length)

    def text_data(self, data: str) -> None:
        if self.in_si:
            self._add(len(data))
        elif self.in_cell:
            if self.shared:
                if len(self.value) < 4:  # an index: a few digits; anything longer is junk
                    self.value.append(data[:32])
            else:
                self._add(len(data))

    def _add(self, length: int) -> None:
        self.cell_text += length
        self.text += length
        if self.cell_text > MAX_CELL_TEXT:
            raise TooLarge(f"{self.name}: a cell holds more than {MAX_CELL_TEXT:,} "
                           "characters, more than a spreadsheet cell can")
        if self.text > MAX_TEXT:
            raise TooLarge(f"{self.name}: the cells hold more than {MAX_TEXT // 2**20:,} "
                           "million characters")

    def _reach(self, row: int, column: int) -> None:
        self.rows, self.columns = max(self.rows, row + 1), max(self.columns, column + 1)
        _limits(self.name, self.rows, self.columns, 0, 0)


def _parser(info: zipfile.ZipInfo) -> XMLParserType:
    """An expat parser that refuses a DOCTYPE (so no entity is ever declared)."""
    parser = ParserCreate()

    def doctype(*_: object) -> None:
        raise TooLarge(f"{info.filename}: a DOCTYPE, which workbooks never have")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    return parser


def _measure(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
             strings: list[int] | None) -> _Part:
    part = _Part(info.filename, strings)
    parser = _parser(info)
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.StartElementHandler = part.start
    parser.EndElementHandler = part.end
    parser.CharacterDataHandler = part.text_data
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except ExpatError as exc:
        raise TooLarge(f"{info.filename} is not well-formed XML (line {exc.lineno})") \
            from None
    return part


def measure(archive: zipfile.ZipFile) -> None:
    """Raise TooLarge when any part of the workbook would pass a limit once read."""
    members = [i for i in archive.infolist() if not i.is_dir()]
    xml = [i for i in members if i.filename.lower().endswith((".xml", ".rels"))]
    for info in members:  # every sheet calamine may read is among the parts measured
        if info.filename.lower().endswith(".rels"):
            _check_targets(archive, info)
    strings: list[int] = []
    for info in xml:  # shared strings first: a cell's text is the string it names
        if "sharedstrings" in info.filename.lower():
            found = _measure(archive, info, None).lengths
            strings = [max(a, b) for a, b in zip(strings, found, strict=False)] + \
                found[len(strings):] + strings[len(found):]
    for info in xml:
        if "sharedstrings" not in info.filename.lower() and not _quick(archive, info, strings):
            _measure(archive, info, strings)


_LETTERS = re.compile(rb'<c r="([A-Za-z]*)')
_DIGITS = re.compile(rb'<c r="[A-Za-z]*([0-9]*)"')
_ROW_REF = re.compile(rb'<row r="([0-9]*)"')
_V = re.compile(rb"<v>([^<]*)</v>")
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')
_PREFIXED = re.compile(rb":(?:c|v|row|dimension)[\s/>]")
_SPACED = re.compile(rb"r\s+=")
_OTHER_R = (b' header="', b' footer="', b' xmlns:r="')  # attributes every sheet may have


def _quick(archive: zipfile.ZipFile, info: zipfile.ZipInfo, strings: list[int]) -> bool:
    """The same limits as _measure, by counting bytes (ten times as fast), for parts as
    spreadsheet programs write them: each cell `<c r="B7"`, each value `<v>…</v>` with
    nothing but text in it, no prefixes, comments or CDATA. False when a part is not like
    that; it is then measured by _measure. The counts prove the shape: every `r=` in the
    part must be the first attribute of a `<c` or a `<row`, every `<c` and `<v` the plain
    form; and a `<v>` that holds a number counts as an index into the shared strings,
    whatever its cell (so the bound errs high, never low)."""
    rows = columns = cells = text = 0
    carry = b""
    with archive.open(info) as stream:
        while True:
            block = stream.read(8 * _CHUNK)
            data = carry + block
            if block:  # cut after the last cell or row, so no cell spans two pieces
                cut = max(data.rfind(b"</c>") + 4, data.rfind(b"</row>") + 6)
                if cut < 6:
                    if len(data) > 64 * _CHUNK:
                        return False
                    carry = data
                    continue
                data, carry = data[:cut], data[cut:]
            if b"<!" in data or _PREFIXED.search(data) or _SPACED.search(data):
                return False  # comments, CDATA, prefixed tags, `r = "…"`
            letters = _LETTERS.findall(data)
            digits = _DIGITS.findall(data)
            row_refs = _ROW_REF.findall(data)
            tags = data.count(b"<c") - data.count(b"<col")
            others = data.count(b"r=") - sum(data.count(name) for name in _OTHER_R)
            if not len(letters) == len(digits) == tags or others != tags + len(row_refs):
                return False  # a cell without `r` first (placed by counting), an odd `r`
            cells += tags
            for letter in set(letters):
                if len(letter) > 3:
                    return False  # not a cell of a worksheet: the exact measure says so
                columns = max(columns, _column(letter.decode().upper()) + 1)
            for number in {*digits, *row_refs}:
                if not 1 <= int(number or 0) <= MAX_ROWS:
                    return False
                rows = max(rows, int(number))
            for ref in _DIMENSION.findall(data):
                for corner in ref.decode("ascii", "replace").split(":")[:2]:
                    row, column = _position(corner, info.filename)
                    rows, columns = max(rows, row + 1), max(columns, column + 1)
            values = _V.findall(data)
            if len(values) != data.count(b"<v"):
                return False  # a <v> with attributes or markup inside
            for value, times in Counter(values).items():
                if value.isdigit():
                    index = int(value)
                    text += strings[index] * times if index < len(strings) else 0
                elif b"&" in value or value.strip().isdigit():
                    return False  # an index written another way
            _limits(info.filename, rows, columns, cells, text)
            if not block:
                return True


def _limits(part: str, rows: int, columns: int, cells: int, text: int) -> None:
    if columns > MAX_COLUMNS:
        raise TooLarge(f"{part}: a cell in column {columns:,}, over the limit of "
                       f"{MAX_COLUMNS:,} columns")
    if rows * columns > MAX_CELLS:
        raise TooLarge(f"{part}: its cells span {rows:,} rows by {columns:,} columns, over "
                       f"the limit of {MAX_CELLS:,} cells")
    if cells > MAX_CELLS:
        raise TooLarge(f"{part}: more than {MAX_CELLS:,} cells")
    if text > MAX_TEXT:
        raise TooLarge(f"{part}: the cells hold more than {MAX_TEXT // 2**20:,} million "
                       "characters")


def _check_targets(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A relationship to a sheet, styles or shared strings must name an .xml part."""
    targets: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and attrs.get("TargetMode", "") != "External":
            targets.append((attrs.get("Type", ""), attrs.get("Target", "")))

    parser = _parser(info)
    parser.StartElementHandler = start
    try:
        with archive.open(info) as stream:
            parser.Parse(stream.read(16 * _CHUNK + 1), True)
    except ExpatError as exc:
        raise TooLarge(f"{info.filename} is not well-formed XML (line {exc.lineno})") \
            from None
    for kind, target in targets:
        if kind.rpartition("/")[2].lower() in _SHEET_TYPES \
                and not target.lower().endswith(".xml"):
            raise TooLarge(f"{info.filename}: a sheet in '{target[:40]}', not an .xml part")
