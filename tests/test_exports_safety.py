"""Exports open safely in spreadsheets; the sitemap is real XML."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import unquote, urlsplit

from conftest import parse_html, run
from lxml import etree

ATTACKS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
           "-2+3"]


def test_safe_cell_follows_owasp() -> None:
    from cjmsite.render.exports import safe_cell

    for attack in (*ATTACKS, "\tTabbed", "\rReturn"):
        assert safe_cell(attack) == "'" + attack
    assert safe_cell("Llamadas abandonadas") == "Llamadas abandonadas"
    assert safe_cell("") == ""


def test_csv_cells_never_start_a_formula(make_site) -> None:
    gaps = "".join(
        f"  - title: {json.dumps(text)}\n    actions:\n      - title: {json.dumps(text)}\n"
        f"        owner: {json.dumps(text)}\n" for text in ATTACKS)
    site = make_site({"content/journeys/buy/01-call.md":
                      f"---\ntitle: Call\ntouchpoints: [phone]\nemotion: 1\ngaps:\n{gaps}---\n"})
    assert run("build", str(site)).exit_code == 0
    text = (site / "output/gaps.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(ATTACKS)
    for row, attack in zip(rows, ATTACKS, strict=True):
        for column in ("gap", "action", "action_owner"):
            assert row[column] == "'" + attack, (column, row[column])
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for cell in row.values())
    data = json.loads((site / "output/gaps.json").read_text(encoding="utf-8"))
    assert [g["title"] for g in data["gaps"]] == ATTACKS  # JSON keeps the text as written


def test_sitemap_is_xml_with_percent_encoded_urls(make_site) -> None:
    site = make_site({
        "cjmsite.toml": '[site]\nbase_url = "https://cx.example.org/diseño/"\n',
        "content/journeys/instalación/index.md":
            "---\ntitle: Instalación & más\npersona: ana\nobjective: Ver <todo>\n---\n",
        "content/journeys/instalación/01-visita.md": "---\ntitle: Visita\n---\n",
    })
    assert run("build", str(site)).exit_code == 0
    raw = (site / "output/sitemap.xml").read_bytes()
    assert b"\\u" not in raw
    tree = etree.fromstring(raw)
    locs = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://cx.example.org/dise%C3%B1o/" in locs
    for loc in locs:
        assert loc.isascii() and " " not in loc, loc
        parts = urlsplit(loc)
        assert parts.scheme == "https" and parts.netloc == "cx.example.org"
        page = site / "output" / unquote(parts.path).removeprefix("/diseño/") / "index.html"
        assert page.is_file(), loc
    assert "https://cx.example.org/dise%C3%B1o/journeys/instalacion/" in locs
    assert parse_html(site / "output/journeys/instalacion/index.html") is not None
