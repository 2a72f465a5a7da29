"""Responses files that try to kill or stall the build (issue 22, items 5 and 6): a workbook
whose one far cell makes calamine allocate the whole sheet, a shared string copied into
hundreds of cells, a CSV header of millions of commas. Each is a `path:1: error:` naming
the limit, in a process that lives. The builds run in a child process with a memory
limit, so the old code fails these tests (by dying) without taking the machine down."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, write_files

SITE = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/journeys/buy/index.md": "---\ntitle: Buying\npersona: ana\nobjective: Buy\n---\n",
    "content/journeys/buy/01-call.md": "---\ntitle: Call\n---\n",
    "content/surveys/csat.md": "---\ntitle: CSAT\nmetric: score\nscale: [0, 10]\n"
                               "journey: buy\nfile: answers.xlsx\n"
                               "columns: {stage: Etapa, score: Nota}\n---\n",
}
MEMORY = 3 * 1024**3


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _build(root: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """`cjmsite check` in a child process limited to 3 GiB: the old code died here."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "POLARS_MAX_THREADS": "1",
           "RUST_BACKTRACE": "0"}
    return subprocess.run([sys.executable, "-m", "cjmsite", "check", str(root)],
                          capture_output=True, text=True, timeout=timeout, env=env,
                          preexec_fn=_limited)


def _fails(root: Path, *messages: str) -> str:
    done = _build(root)
    output = done.stdout + done.stderr
    assert done.returncode == 1, (done.returncode, output[-3000:])
    for message in messages:
        assert message in output, output[-3000:]
    assert "Traceback" not in output
    return output


def workbook(rows: str, strings: list[str] = (), dimension: str = "") -> bytes:
    """A minimal .xlsx by hand: one sheet whose <sheetData> holds `rows` as given."""
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main'
        '+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
        'sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoja1" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://'
        f'schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{shared}</sst>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{rows}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
GOOD = ('<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>9</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>7</v></c></row>')
STRINGS = ["Etapa", "Nota", "call"]


def _site(tmp_path: Path, book: bytes) -> Path:
    return write_files(tmp_path / "site", {**SITE, "content/surveys/answers.xlsx": book})


def test_the_workbook_from_the_issue_is_refused_not_a_crash(tmp_path: Path) -> None:
    """Cells in A1:C2 plus one at XFD1048576, written by a spreadsheet library: calamine
    asked for 512 GiB and aborted the process."""
    import xlsxwriter

    path = tmp_path / "answers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Hoja1")
    for column, name in enumerate(["Etapa", "Nota", "x"]):
        sheet.write(0, column, name)
        sheet.write(1, column, "call" if column == 0 else 5)
    sheet.write(1048575, 16383, 1)
    book.close()
    assert path.stat().st_size < 8000
    root = _site(tmp_path, path.read_bytes())
    _fails(root, "content/surveys/answers.xlsx:1: error: the workbook is not read: "
                 "xl/worksheets/sheet1.xml: a cell in column 16,384, over the limit of "
                 "10,000 columns")


def test_a_shared_string_copied_into_many_cells_is_refused(tmp_path: Path) -> None:
    """The issue's second workbook: one 10 MB shared string named by 300 cells."""
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>2</v></c><c r="B{r}" t="s">'
                    f'<v>3</v></c></row>' for r in range(2, 302))
    root = _site(tmp_path, workbook(HEADER + cells, [*STRINGS, "a" * 10_000_000]))
    _fails(root, "answers.xlsx:1: error: the workbook is not read: xl/sharedStrings.xml: "
                 "a cell holds more than 32,767 characters")


@pytest.mark.parametrize(("rows", "strings", "dimension", "message"), [
    # Strings each within a cell's limit, copied into enough cells to pass 128 M characters.
    ("".join(f'<row r="{r}"><c r="A{r}" t="s"><v>3</v></c></row>' for r in range(2, 4200)),
     [*STRINGS, "b" * 32_000], "", "the cells hold more than 128 million characters"),
    # Cells without `r`, placed by counting: 20,000 in one row.
    ('<row r="2">' + '<c><v>1</v></c>' * 20_000 + "</row>", STRINGS, "",
     "a cell in column 10,001, over the limit of 10,000 columns"),
    # Prefixed tags and a quoted `>` before the far reference.
    ('<x:row r="2"><x:c x:foo=">" r="A2" t="s"><x:v>2</x:v></x:c>'
     '<x:c r="ZZ1048576"><x:v>1</x:v></x:c></x:row>', STRINGS, "",
     "its cells span 1,048,576 rows by 702 columns, over the limit of 10,000,000 cells"),
    # A dimension that says the sheet is all of a worksheet.
    (GOOD, STRINGS, "A1:XFD1048576", "a cell in column 16,384"),
    # A row far down, then a cell without `r`.
    ('<row r="1048576"><c/><c/><c/><c/><c/><c/><c/><c/><c/><c><v>1</v></c></row>',
     STRINGS, "", "its cells span 1,048,576 rows by 10 columns"),
    # A cell reference past the last row of a worksheet.
    ('<row r="2"><c r="A99999999"><v>1</v></c></row>', STRINGS, "",
     "cell reference 'A99999999' is not a cell of a worksheet"),
    # An entity declared in a DOCTYPE.
    (GOOD, ['x</t></si></sst><!DOCTYPE a [<!ENTITY b "c">]><sst><si><t>y'], "",
     "xl/sharedStrings.xml"),
])
def test_workbooks_past_a_limit_are_refused(tmp_path: Path, rows: str, strings: list[str],
                                             dimension: str, message: str) -> None:
    root = _site(tmp_path, workbook(HEADER + rows, strings, dimension))
    _fails(root, "answers.xlsx:1: error: the workbook is not read: ", message)


@pytest.mark.parametrize("rows", [
    GOOD,
    # The same cells as another program may write them: prefixed, without `r`, entities.
    '<x:row><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>9</x:v></x:c></x:row>'
    '<x:row><x:c t="s"><x:v>&#50;</x:v></x:c><x:c><!-- seven --><x:v>7</x:v></x:c></x:row>',
])
def test_ordinary_workbooks_are_read(tmp_path: Path, rows: str) -> None:
    root = _site(tmp_path, workbook(HEADER + rows, STRINGS))
    done = _build(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "answers.xlsx: 2 rows read, 0 left out" in done.stdout + done.stderr


def test_measuring_a_workbook_errs_high_never_low() -> None:
    """The quick byte count and the exact XML measure agree on ordinary sheets; on odd
    ones the quick count gives up (and the exact measure decides)."""
    from cjmsite.surveys import xlsxsize

    def both(rows: str, strings: list[str] = STRINGS) -> tuple[bool, tuple[int, int, int]]:
        archive = zipfile.ZipFile(io.BytesIO(workbook(HEADER + rows, strings)))
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        part = xlsxsize._measure(archive, info, [len(s) for s in strings])
        return xlsxsize._quick(archive, info, [len(s) for s in strings]), \
            (part.rows, part.columns, part.cells)

    assert both(GOOD) == (True, (3, 2, 6))
    for odd in ('<row r="2"><c><v>1</v></c></row>',  # no r: placed by counting
                '<row r="2"><c s="1" r="A2"><v>1</v></c></row>',  # r not first
                '<row r="2"><c r="A2"><v a="1">1</v></c></row>',  # <v> with attributes
                '<row r="2"><c r="A2"><v>&#49;</v></c></row>',  # an entity
                '<row r="2"><!-- --><c r="A2"><v>1</v></c></row>'):  # a comment
        assert both(odd)[0] is False, odd


CSV_SITE = {**SITE, "content/surveys/csat.md": SITE["content/surveys/csat.md"].replace(
    "answers.xlsx", "answers.csv")}


@pytest.mark.parametrize(("header", "message"), [
    (b"," * 2_000_000, "header row has more than 1,048,578 columns, over the limit of 10,000"),
    (b"Etapa;Nota" + b";" * 10_000, "header row has 10,002 columns, over the limit of 10,000"),
    # A quote that a CSV reader takes literally, then a quoted field over two lines.
    (b'Etapa,Nota,a"b,"c\n' + b"," * 6000 + b'"' + b"," * 6000,
     "header row has 12,004 columns, over the limit of 10,000"),
    # One header cell longer than a CSV reader takes.
    (b"x" * 200_000 + b",Nota", "header row cannot be read: field larger than field limit"),
])
def test_a_csv_header_past_the_column_limit_is_refused(tmp_path: Path, header: bytes,
                                                       message: str) -> None:
    root = write_files(tmp_path / "site", {**CSV_SITE,
                                           "content/surveys/answers.csv": header + b"\ncall,9\n"})
    _fails(root, f"content/surveys/answers.csv:1: error: the {message}")
