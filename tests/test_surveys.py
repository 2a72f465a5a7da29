"""Survey responses -> metrics: figures checked against plain arithmetic written here (not
the code under test), row warnings at the right lines, .xlsx, structural errors, personal
data kept out, the pages and exports that show them, and the cache."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import parse_html, run, write_files

SITE = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/personas/bob.md": "---\nname: Bob\n---\n",
    "content/touchpoints/phone.md": "---\ntitle: Phone line\nchannel: phone\n---\n",
    "content/touchpoints/desk.md": "---\ntitle: Front desk\nchannel: in-person\n---\n",
    "content/journeys/buy/index.md": "---\ntitle: Buying\npersona: [ana, bob]\n"
                                     "objective: Understand buying\n---\n",
    "content/journeys/buy/01-call.md": "---\ntitle: Call\nemotion: -1\ntouchpoints: [phone]\n"
                                       "metrics:\n  - {name: NPS call, survey: nps, target: 0}\n"
                                       "---\n",
    "content/journeys/buy/02-visit.md": "---\ntitle: Visit\nemotion: 1\n---\n",
    "content/surveys/nps.md": "---\ntitle: NPS after each stage\nmetric: nps\njourney: buy\n"
                              "date_format: \"%d/%m/%Y\"\ncolumns:\n  date: Fecha\n"
                              "  stage: Etapa\n  touchpoint: Canal\n  persona: Perfil\n"
                              "  score: Nota\n  comment: Comentario\nvalues:\n  stage:\n"
                              "    Llamada: call\n    Visita: visit\n  touchpoint:\n"
                              "    Teléfono: phone\n    Mostrador: desk\n  persona:\n"
                              "    Particular: ana\n    Empresa: bob\n---\nSMS survey.\n",
}
# (date, stage, channel, profile, score, comment): Spanish Excel as it comes.
ROWS = [
    ("03/05/2026", "Llamada", "Teléfono", "Particular", "10", "Muy bien"),
    ("04/05/2026", "Llamada", "Teléfono", "Empresa", "6", ""),
    ("15/05/2026", "Llamada", "Teléfono", "Particular", "9", "Rápido"),
    ("20/05/2026", "Visita", "Mostrador", "Particular", "8,5", ""),
    ("02/06/2026", "Llamada", "Teléfono", "Empresa", "3", '"Tardaron; mucho\r\nde verdad"'),
    ("05/06/2026", "Visita", "Mostrador", "Empresa", "7", ""),
    ("09/06/2026", "Visita", "Mostrador", "Particular", "10", "Excelente"),
    ("10/06/2026", "Llamadas", "Teléfono", "Particular", "9", ""),  # unknown stage
    ("11/06/2026", "Visita", "Mostrador", "Particular", "11", ""),  # out of scale
    ("31/02/2026", "Visita", "Mostrador", "Particular", "5", ""),  # no such date
    ("12/06/2026", "Visita", "Mostrador", "Particular", "", ""),  # no score: not counted
    ("13/06/2026", "Visita", "Mostrador", "Desconocido", "4", ""),  # unknown persona
]


def _csv(rows: list[tuple[str, ...]], extra: str = "") -> bytes:
    lines = ["Fecha;Etapa;Canal;Perfil;Nota;Comentario" + (";Email" if extra else "")]
    lines += [";".join(row) + (f";{extra}" if extra else "") for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", {**SITE, "content/surveys/nps.csv": _csv(ROWS)})


def _build(root: Path, *args: str) -> str:
    result = run("build", *args, str(root))
    assert result.exit_code == 0, result.output
    return result.output


def _records(root: Path) -> dict[tuple, dict]:
    data = json.loads((root / "output/metrics.json").read_text(encoding="utf-8"))
    return {(r["scope"], r["id"], r["period"]): r for r in data["metrics"]}


def _nps(scores: list[float]) -> tuple[int, float, float]:
    n = len(scores)
    pro = sum(s >= 9 for s in scores) / n
    det = sum(s <= 6 for s in scores) / n
    value = 100 * (pro - det)
    half = 100 * 1.96 * math.sqrt((pro + det - (pro - det) ** 2) / n)
    return round(value), round(max(value - half, -100), 1), round(min(value + half, 100), 1)


def test_figures_match_plain_arithmetic(site: Path) -> None:
    output = _build(site)
    records = _records(site)
    good = [10, 6, 9, 8.5, 3, 7, 10]  # the rows without a problem, in file order
    value, low, high = _nps(good)
    overall = records[("survey", "", None)]
    assert (overall["n"], overall["value"], overall["ci_low"], overall["ci_high"]) == \
        (7, value, low, high)
    call = records[("stage", "buy/call", None)]
    assert (call["n"], call["value"]) == (4, _nps([10, 6, 9, 3])[0])
    assert records[("stage", "buy/call", "2026-05")]["value"] == _nps([10, 6, 9])[0]
    assert records[("persona", "bob", None)]["value"] == _nps([6, 3, 7])[0]
    assert records[("touchpoint", "desk", None)]["n"] == 3
    assert records[("journey", "buy", "2026-06")]["n"] == 3
    csv_text = (site / "output/metrics.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == "survey,metric,scope,id,period,n,value,ci_low," \
                                       "ci_high,target"
    assert len(csv_text.splitlines()) == len(records) + 1
    assert "content/surveys/nps.csv: 12 rows read, 4 left out" in output


def test_row_warnings_at_their_lines_and_strict(site: Path) -> None:
    result = run("build", str(site))
    # Header on line 1; the quoted comment of row 5 spans two lines, so row 8 is line 10.
    for expected in (
            "content/surveys/nps.csv:10: warning: unknown stage 'Llamadas' of journey 'buy' "
            "(did you mean 'Llamada'?)",
            "content/surveys/nps.csv:11: warning: score '11' is not a number from 0 to 10",
            "content/surveys/nps.csv:12: warning: date '31/02/2026' does not match %d/%m/%Y",
            "content/surveys/nps.csv:14: warning: unknown persona 'Desconocido'"):
        assert expected in result.output, result.output
    assert result.exit_code == 0 and ":13:" not in result.output  # empty score: not counted
    strict = run("build", "--strict", str(site))
    assert strict.exit_code == 1 and "nps.csv:11: error: score '11'" in strict.output


def test_pages_show_the_evidence(site: Path) -> None:
    _build(site)
    out = site / "output"
    page = parse_html(out / "journeys/buy/index.html")
    svg = page.xpath("//*[local-name()='svg' and contains(@class, 'cjm-map')]")[0]
    assert svg.xpath(".//*[@data-survey='nps']//*[local-name()='polygon']")
    assert [e.get("data-evidence") for e in svg.xpath(".//*[@data-evidence]")] == \
        ["measured", "measured"]
    call = page.xpath("//article[@id='stage-call']")[0]
    text = " ".join(call.text_content().split())
    value = _nps([10, 6, 9, 3])[0]
    shown = "0" if value == 0 else f"{value:+d}".replace("-", "−")
    assert f"NPS {shown} (n = 4" in text
    assert "Tardaron; mucho" in text  # the latest comment for this stage
    survey = parse_html(out / "surveys/nps/index.html")
    assert survey.xpath("//svg[@class='cjm-bars']") and survey.xpath("//svg[@class='cjm-trend']")
    assert [a.get("href") for a in survey.xpath("//nav[@class='mainnav']//a")][-1] == \
        "../../surveys/index.html"
    desk = parse_html(out / "touchpoints/desk/index.html")
    assert "n = 3" in desk.text_content()
    search = (out / "search/others.js").read_text(encoding="utf-8")
    assert "NPS after each stage" in search and "Excelente" not in search


def test_unmapped_columns_never_reach_the_output(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", {
        **SITE, "content/surveys/nps.csv": _csv(ROWS[:4], extra="ana@example.org"),
        "cjmsite.toml": "[site]\nsearch_comments = true\n"})
    _build(root)
    for path in (root / "output").rglob("*"):
        if path.is_file():
            assert b"ana@example.org" not in path.read_bytes(), path
    assert "Muy bien" in (root / "output/search/others.js").read_text(encoding="utf-8")


def test_xlsx_with_real_dates_and_sheet_rows(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Respuestas"
    sheet.append(["Fecha", "Etapa", "Nota"])
    sheet.append([dt.date(2026, 5, 3), "call", 9])
    sheet.append([dt.date(2026, 6, 3), "visit", 10])
    sheet.append([dt.date(2026, 6, 4), "visit", "muy bien"])
    root = write_files(tmp_path / "site", {
        **{k: v for k, v in SITE.items() if not k.startswith("content/surveys")},
        "content/surveys/csat.md": "---\ntitle: CSAT\nmetric: score\nscale: [0, 10]\n"
                                   "journey: buy\nfile: answers.xlsx\nsheet: Respuestas\n"
                                   "columns: {date: Fecha, stage: Etapa, score: Nota}\n---\n",
        "content/journeys/buy/01-call.md": "---\ntitle: Call\n---\n"})
    book.save(root / "content/surveys/answers.xlsx")
    output = _build(root)
    assert "content/surveys/answers.xlsx:Respuestas!4: warning: score 'muy bien'" in output
    records = _records(root)
    assert records[("survey", "", None)]["value"] == 9.5
    assert records[("stage", "buy/visit", "2026-06")]["n"] == 1


@pytest.mark.parametrize(("files", "message"), [
    ({"content/surveys/nps.csv": None},
     "content/surveys/nps.md:1: error: responses file 'nps.csv (or nps.xlsx)' not found"),
    ({"content/surveys/nps.csv": b"Fecha;Nota\r\n01/01/2026;9\r\n"},
     "content/surveys/nps.csv:1: error: columns 'Etapa' (columns.stage), 'Canal' "
     "(columns.touchpoint), 'Perfil' (columns.persona), 'Comentario' (columns.comment) are "
     "not in the file's header (line 1 has: Fecha, Nota)\n"),
    ({"content/surveys/nps.csv": "Nota;Etapa\n9;Llamada\n".encode("latin-1") + b"\xe9\n"},
     "content/surveys/nps.csv:3: error: the file is not UTF-8"),
    ({"content/surveys/nps.md": SITE["content/surveys/nps.md"].replace("journey: buy",
                                                                       "journey: bye")},
     "content/surveys/nps.md:4: error: unknown journey 'bye' (did you mean 'buy'?)"),
    ({"content/journeys/buy/01-call.md": "---\ntitle: Call\nmetrics:\n"
                                         "  - {name: N, survey: nps, value: 3}\n---\n"},
     "content/journeys/buy/01-call.md:4: error: 'metrics[0].value' and 'survey' both given"),
    ({"content/journeys/buy/01-call.md": "---\ntitle: Call\nmetrics:\n"
                                         "  - {name: N, survey: npss}\n---\n"},
     "content/journeys/buy/01-call.md:4: error: unknown survey 'npss' (did you mean 'nps'?)"),
    ({"content/surveys/nps.csv": _csv([("01/01/2026", "Llamada", "Teléfono", "Particular",
                                        "x", "")])},
     "content/surveys/nps.csv:1: error: no usable row"),
    ({"content/surveys/nps.md": "---\ntitle: X\nmetric: nps\nscale: [1, 5]\n"
                                "columns: {score: Nota}\n---\n"},
     "content/surveys/nps.md:4: error: 'scale' of an NPS survey is [0, 10]"),
])
def test_structural_problems_are_errors(site: Path, files: dict, message: str) -> None:
    for rel, content in files.items():
        path = site / rel
        if content is None:
            path.unlink()
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (site / "output").mkdir()
    (site / "output/keep.txt").write_text("previous")
    result = run("build", str(site))
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert (site / "output/keep.txt").read_text() == "previous"


def test_unchanged_responses_are_not_read_again(site: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cjmsite.commands.build import build
    from cjmsite.surveys import load

    first = build(site)
    assert first.output is not None
    before = (site / "output/metrics.json").read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the responses file was read again")

    monkeypatch.setattr(load, "read_responses", refuse)
    again = build(site)  # a new process would do the same: the cache is on disk
    assert again.output is not None and not again.report.errors
    assert (site / "output/metrics.json").read_bytes() == before
    monkeypatch.undo()
    (site / "content/surveys/nps.csv").write_bytes(_csv(ROWS[:3]))
    build(site)
    assert _records(site)[("survey", "", None)]["n"] == 3


def test_hostile_responses_files(site: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A link out of the project, a path out of it, a fake workbook and a zip bomb: each
    an error at its place, nothing read from outside, no traceback."""
    secret = tmp_path / "secret.csv"
    secret.write_text("Nota\n10\n", encoding="utf-8")
    csv_path = site / "content/surveys/nps.csv"
    csv_path.unlink()
    csv_path.symlink_to(secret)
    result = run("build", str(site))
    assert result.exit_code == 1 and "nps.md:1: error: responses file 'nps.csv' lies " \
        "outside the project folder" in result.output, result.output
    md = site / "content/surveys/nps.md"
    md.write_text(SITE["content/surveys/nps.md"].replace(
        "metric: nps\n", "metric: nps\nfile: ../../../secret.csv\n"), encoding="utf-8")
    result = run("build", str(site))
    assert result.exit_code == 1 and "nps.md:4: error: responses file 'secret.csv' lies " \
        "outside the project folder" in result.output, result.output
    md.write_text(SITE["content/surveys/nps.md"].replace(
        "metric: nps\n", "metric: nps\nfile: fake.xlsx\n"), encoding="utf-8")
    (site / "content/surveys/fake.xlsx").write_bytes(b"Nota\n10\n")
    result = run("build", str(site))
    assert "fake.xlsx:1: error: not an .xlsx workbook" in result.output, result.output
    from openpyxl import Workbook

    from cjmsite.surveys import read

    book = Workbook()
    book.active.append(["Nota"])
    book.save(site / "content/surveys/fake.xlsx")
    monkeypatch.setattr(read, "MAX_XLSX_EXPANDED", 1000)
    from cjmsite.commands.check import check

    errors = [str(d) for d in check(site).report.errors]
    assert any("fake.xlsx:1: error: the workbook expands to" in e for e in errors), errors


# -- a title row above the header (issue 23, item 13) -------------------------------------

def _titled_xlsx(path: Path, title_rows: list[list]) -> None:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in title_rows:
        sheet.append(row)
    sheet.append(["Fecha", "Etapa", "", "Nota"])  # an empty header cell too
    sheet.append([dt.date(2026, 5, 3), "call", "x", 9])
    sheet.append([dt.date(2026, 6, 3), "visit", "y", "muy bien"])
    book.save(path)


_CSAT = {**{k: v for k, v in SITE.items() if not k.startswith("content/surveys")},
         "content/journeys/buy/01-call.md": "---\ntitle: Call\n---\n",
         "content/surveys/csat.md": "---\ntitle: CSAT\nmetric: score\nscale: [0, 10]\n"
                                    "journey: buy\nfile: answers.xlsx\n"
                                    "columns: {date: Fecha, stage: Etapa, score: Nota}\n---\n"}


def test_a_title_row_above_the_header_is_found(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", _CSAT)
    _titled_xlsx(root / "content/surveys/answers.xlsx",
                 [["Store CSAT export - October 2026"], [], ["Filtered: all stores"]])
    output = _build(root)
    assert "content/surveys/answers.xlsx:Sheet!6: warning: score 'muy bien'" in output
    assert _records(root)[("survey", "", None)]["n"] == 1
    # The same as a CSV export from Excel, with a title line and a blank one.
    (root / "content/surveys/answers.xlsx").unlink()
    (root / "content/surveys/answers.csv").write_bytes(
        "\ufeffStore CSAT export - October 2026;;;\r\n;;;\r\nFecha;Etapa;;Nota\r\n"
        "2026-05-03;call;x;9\r\n2026-06-03;visit;y;muy bien\r\n".encode())
    (root / "content/surveys/csat.md").write_text(
        _CSAT["content/surveys/csat.md"].replace("answers.xlsx", "answers.csv"))
    output = _build(root)
    assert "content/surveys/answers.csv:5: warning: score 'muy bien'" in output, output
    assert _records(root)[("survey", "", None)]["n"] == 1


def test_header_row_from_the_front_matter_and_no_made_up_names(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", _CSAT)
    # A header past the first 20 rows is not found: the message names the real cells
    # (never "_column_2") and says how to point at it.
    _titled_xlsx(root / "content/surveys/answers.xlsx",
                 [["Store CSAT export - October 2026"]] + [[f"note {n}"] for n in range(24)])
    result = run("build", str(root))
    assert result.exit_code == 1
    assert ("content/surveys/answers.xlsx:1: error: columns 'Fecha' (columns.date), "
            "'Etapa' (columns.stage), 'Nota' (columns.score) are not in the file's header "
            "(row 1 has: Store CSAT export - October 2026); no row of the first 20 holds "
            "every mapped column: if the header is further down, give its row as "
            "header_row:") in result.output, result.output
    assert "_column_" not in result.output
    csat = root / "content/surveys/csat.md"
    csat.write_text(_CSAT["content/surveys/csat.md"].replace("file: answers.xlsx\n",
                                                             "file: answers.xlsx\n"
                                                             "header_row: 26\n"))
    output = _build(root)
    assert "content/surveys/answers.xlsx:Sheet!28: warning: score 'muy bien'" in output
    for bad in ("0", "2.5", "x"):
        csat.write_text(_CSAT["content/surveys/csat.md"].replace(
            "file: answers.xlsx\n", f"file: answers.xlsx\nheader_row: {bad}\n"))
        result = run("build", str(root))
        assert result.exit_code == 1 and "content/surveys/csat.md:7: error: 'header_row'" \
            in result.output, result.output
    csat.write_text(_CSAT["content/surveys/csat.md"].replace(
        "file: answers.xlsx\n", "file: answers.xlsx\nheader_row: 99\n"))
    result = run("build", str(root))
    assert result.exit_code == 1
    assert "header_row is 99, but worksheet 'Sheet' has 28 rows" in result.output
