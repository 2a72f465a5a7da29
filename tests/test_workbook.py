"""gaps.xlsx from per-journey parts: a real workbook (openpyxl reads it back cell by cell),
the text Excel would show, and a one-stage edit that writes one journey's rows again."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from conftest import copy_example, run
from openpyxl import load_workbook

from cjmsite.render import workbook
from cjmsite.render.exports import ACTION_SHEET, GAP_SHEET


def _book(gaps: list[list[object]], actions: list[list[object]], sheets: tuple[str, str],
          base_url: str = "", others: tuple = ()) -> bytes:
    """The whole workbook from rows, one part per sheet, as pieces.py assembles it."""
    return workbook.assemble([
        (sheets[0], GAP_SHEET, [workbook.rows_part(GAP_SHEET, gaps)]),
        (sheets[1], ACTION_SHEET, [workbook.rows_part(ACTION_SHEET, actions)]),
        *((name, columns, [workbook.rows_part(columns, rows)])
          for name, columns, rows in others)], base_url)


def _gap(n: int, text: str, closed: str = "") -> list[object]:
    values: dict[str, object] = {"gap_closed": closed, "actions": n, "overdue": n % 2 == 0,
                                 "as_of": "2026-12-02", "gap": text,
                                 "page": f"journeys/j{n}/index.html#stage-s{n}"}
    return [values.get(column, f"{column} {n} ñ") for column in GAP_SHEET]


def test_cells_read_back_as_written() -> None:
    long = "😀" * 20_000  # 40,000 UTF-16 units: Excel keeps 32,767, never half an emoji
    texts = [" espacio al principio", "=HYPERLINK(\"http://x\")", "a\x01b", "ya _x0041_ así",
             "<&>\"'", long, ""]
    gaps = [_gap(n, text, "2026-04-02" if n == 1 else "") for n, text in enumerate(texts)]
    data = _book(gaps, [], ("Brechas", "Acciones"),
                                  others=(("Oportunidades", ("rank", "title", "page"),
                                           [["1", "Uno", "opportunities/uno/index.html"]]),))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Brechas", "Acciones", "Oportunidades"]
    sheet = book["Brechas"]
    assert [c.value for c in sheet[1]] == list(GAP_SHEET)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P8"
    assert sheet.max_row == len(texts) + 1
    column = {title: i + 1 for i, title in enumerate(GAP_SHEET)}
    got = [sheet.cell(row, column["gap"]).value for row in range(2, len(texts) + 2)]
    # openpyxl shows the stored text, escapes included: what Excel decodes them from
    assert got[:5] == [" espacio al principio", "=HYPERLINK(\"http://x\")", "a_x0001_b",
                       "ya _x005F_x0041_ así", "<&>\"'"]
    assert got[5] == "😀" * 16_383 and got[6] in ("", None)
    assert all(sheet.cell(row, column["gap"]).data_type == "s" for row in range(2, 8))
    closed = sheet.cell(3, column["gap_closed"])
    assert closed.is_date and closed.value == dt.datetime(2026, 4, 2)
    assert sheet.cell(2, column["as_of"]).value == dt.datetime(2026, 12, 2)
    assert sheet.cell(2, column["overdue"]).value is True
    assert sheet.cell(3, column["actions"]).value == 1
    page = sheet.cell(4, column["page"])
    assert page.value == "journeys/j2/index.html#stage-s2" and page.font.u == "single"
    assert page.hyperlink.target.replace("\\", "/") == "journeys/j2/index.html"
    assert page.hyperlink.location == "stage-s2"
    other = book["Oportunidades"].cell(2, 3)
    assert other.hyperlink.target.replace("\\", "/") == "opportunities/uno/index.html"
    assert book["Acciones"].max_row == 1 and book["Acciones"].auto_filter.ref == "A1:M1"
    with zipfile.ZipFile(io.BytesIO(data)) as parts:  # every part is well-formed XML
        for name in parts.namelist():
            ElementTree.fromstring(parts.read(name))
    # a second reader, of another make (Rust), finds the rows without row numbers too
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(rows) == len(texts) + 1 and rows[2][column["gap_closed"] - 1] == dt.date(2026, 4, 2)


def test_links_are_absolute_under_base_url() -> None:
    data = _book([_gap(3, "x")], [], ("Gaps", "Actions"),
                                  base_url="https://cx.example.org/mapas/")
    link = load_workbook(io.BytesIO(data))["Gaps"].cell(2, len(GAP_SHEET)).hyperlink
    assert link.target == "https://cx.example.org/mapas/journeys/j3/index.html"
    assert link.location == "stage-s3"


def test_parts_joined_equal_one_part() -> None:
    gaps = [_gap(n, f"brecha {n}") for n in range(9)]
    actions = [[f"{c} {n}" if c not in ("overdue", "action_due", "as_of") else
                {"overdue": False, "action_due": f"2027-01-0{n + 1}",
                 "as_of": "2026-12-02"}[c] for c in ACTION_SHEET] for n in range(5)]
    whole = _book(gaps, actions, ("Gaps", "Actions"))
    split = workbook.assemble([
        ("Gaps", GAP_SHEET, [workbook.rows_part(GAP_SHEET, gaps[:4]),
                             workbook.rows_part(GAP_SHEET, []),
                             workbook.rows_part(GAP_SHEET, gaps[4:])]),
        ("Actions", ACTION_SHEET, [workbook.rows_part(ACTION_SHEET, actions)])])
    assert split == whole
    assert whole == _book(gaps, actions, ("Gaps", "Actions"))


def test_a_one_stage_edit_writes_one_journeys_rows(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    site = copy_example(tmp_path / "site")
    assert run("build", str(site)).exit_code == 0
    calls: list[int] = []
    real = workbook.rows_part

    def counted(columns: tuple[str, ...], rows: list[list[object]]) -> workbook.Part:
        calls.append(len(rows))
        return real(columns, rows)

    monkeypatch.setattr(workbook, "rows_part", counted)
    stages = sorted((site / "content/journeys").glob("*/0*.md"))
    stage = next(path for path in stages if "gaps:" in path.read_text(encoding="utf-8"))
    text = stage.read_text(encoding="utf-8")
    stage.write_text(text.replace("title: ", "title: Editada ", 1), encoding="utf-8")
    assert run("build", str(site)).exit_code == 0
    journeys = {p.parent.name for p in stages}
    assert 0 < len(calls) <= 3 < 2 * len(journeys)  # gaps and actions of one journey,
    edited = (site / "output/gaps.xlsx").read_bytes()  # and the opportunities if any
    monkeypatch.setattr(workbook, "rows_part", real)
    clean = tmp_path / "clean"
    monkeypatch.setenv("CJMSITE_CACHE_DIR", str(tmp_path / "no-cache-yet"))
    assert run("build", str(site), "--output", str(clean)).exit_code == 0
    assert (clean / "gaps.xlsx").read_bytes() == edited  # as a clean build writes it
