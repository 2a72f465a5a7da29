"""The built example site, read the way a visitor reads it: pages, links, counts, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import parse_html

PAGES = [
    "index.html", "journeys/index.html", "personas/index.html", "touchpoints/index.html",
    "gaps/index.html", "journeys/experiencia-global/index.html",
    "journeys/recepcion-y-facturacion/index.html", "personas/carla-conductora/index.html",
    "touchpoints/recepcion/index.html", "404.html",
]


def _links(page: Path) -> list[str]:
    doc = parse_html(page)
    refs = doc.xpath("//a/@href | //link/@href | //script/@src | //img/@src")
    refs += doc.xpath("//*[local-name()='a']/@*[local-name()='href']")
    return refs


def test_every_page_type_exists(example_build: Path) -> None:
    for rel in PAGES:
        assert (example_build / rel).is_file(), rel
    assert (example_build / "journeys/experiencia-global/map.svg").is_file()


def test_every_internal_link_resolves(example_build: Path) -> None:
    checked = 0
    for page in sorted(example_build.rglob("*.html")):
        for href in _links(page):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            assert not href.startswith("/"), f"{page}: absolute link {href} breaks file://"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(example_build)}: broken link {href}"
            if parts.fragment and target.suffix == ".html":
                ids = parse_html(target).xpath("//@id")
                assert parts.fragment in ids, f"{page}: missing anchor {href}"
            checked += 1
    assert checked > 200


def test_navigation_and_breadcrumbs_on_every_page(example_build: Path) -> None:
    for rel in PAGES:
        doc = parse_html(example_build / rel)
        nav = doc.xpath("//nav[contains(@class,'mainnav')]//a/text()")
        assert nav == ["Inicio", "Journeys", "Personas", "Puntos de contacto",
                       "Brechas y acciones", "Atención", "Encuestas", "Hallazgos"], rel
        assert doc.get("lang") == "es"
    crumbs = parse_html(example_build / "journeys/experiencia-global/index.html").xpath(
        "//nav[contains(@class,'crumbs')]//li//text()")
    assert crumbs == ["Inicio", "Journeys", "Experiencia global del cliente del taller"]


def test_home_lists_journeys_with_counts(example_build: Path) -> None:
    doc = parse_html(example_build / "index.html")
    rows = doc.xpath("//section[@aria-labelledby='h-journeys']//tbody/tr")
    assert len(rows) == 2
    cells = [c.text_content().strip() for c in rows[0].xpath("./th|./td")]
    assert cells[0].startswith("Experiencia global del cliente del taller")
    assert "Carla Quispe" in cells[1] and "Roberto Mamani" in cells[1]
    assert cells[3] == "Publicado" and cells[4] == "10"
    # Open gaps by severity, then the closed ones; overdue actions (counted in the
    # browser), the next review, the evidence coverage.
    assert " ".join(cells[5].split()) == "Alta: 2 · Media: 2 · Baja: 0(1 cerrada)"
    assert cells[7] == "2026-10-13" and cells[8] == "100 %"
    assert rows[0].xpath(".//svg[contains(@class,'cjm-spark')]")
    open_gaps = doc.xpath("//section[@aria-labelledby='h-gaps']//li")
    assert len(open_gaps) == 6  # one of the seven gaps is closed (status: cerrada)
    assert "Tiempo de espera para la recepción del auto" in open_gaps[0].text_content()


def test_journey_page_shows_stages_in_order_with_fields(example_build: Path) -> None:
    doc = parse_html(example_build / "journeys/experiencia-global/index.html")
    titles = doc.xpath("//article[@class='stage']//h3/text()")
    assert titles[0] == "Búsqueda de información" and titles[-1] == "Reseña en redes sociales"
    assert len(titles) == 10
    stage = doc.xpath("//article[@id='stage-facturacion']")[0].text_content()
    for text in ("Tiempo de espera para la facturación", "Prefacturar al cerrar la orden",
                 "Tiempo medio de facturación", "Administración", "2027-01-15"):
        assert text in stage
    svg = doc.xpath("//svg[contains(@class,'cjm-map')]")
    assert svg, "the journey map is inline"
    facts = doc.xpath("//dl[@class='facts']")[0].text_content()
    assert "Gerencia de Experiencia del Cliente" in facts and "Global" in facts


def test_touchpoint_page_links_back_with_emotion_and_gaps(example_build: Path) -> None:
    doc = parse_html(example_build / "touchpoints/recepcion/index.html")
    uses = doc.xpath("//section[@aria-labelledby='h-used']//tbody/tr")
    journeys = {r.xpath("./td[1]//a/text()")[0] for r in uses}
    assert journeys == {"Experiencia global del cliente del taller",
                        "Recepción y facturación en el taller"}
    text = doc.xpath("//section[@aria-labelledby='h-used']")[0].text_content()
    assert "frustrado" in text
    gaps = doc.xpath("//section[@aria-labelledby='h-gaps']//a/text()")
    assert "Tiempo de espera para la recepción del auto" in gaps


def test_persona_page_links_every_journey(example_build: Path) -> None:
    doc = parse_html(example_build / "personas/carla-conductora/index.html")
    links = doc.xpath("//section[@aria-labelledby='h-journeys']//tbody//th/a/@href")
    assert links == ["../../journeys/experiencia-global/index.html",
                     "../../journeys/recepcion-y-facturacion/index.html"]
    assert doc.xpath("//img[@class='avatar']/@src") == ["picture.svg"]
    roberto = parse_html(example_build / "personas/roberto-flota/index.html")
    assert len(roberto.xpath("//section[@aria-labelledby='h-journeys']//tbody/tr")) == 1


def test_gap_index_has_every_gap_with_filters_and_exports(example_build: Path) -> None:
    doc = parse_html(example_build / "gaps/index.html")
    rows = doc.xpath("//table[@id='gap-table']/tbody/tr")
    assert len(rows) == 7
    first = rows[0]
    assert first.get("data-journey") == "Experiencia global del cliente del taller"
    assert first.get("data-severity") == "medium"
    assert first.get("data-status") == "planned"
    selects = doc.xpath("//form[@id='gap-filters']//select/@name")
    assert selects == ["gap_status", "journey", "severity", "status", "owner"]
    # Shown from the first paint (no layout shift when the script runs); without
    # JavaScript, which they need, a <noscript> style hides them.
    assert not doc.xpath("//form[@id='gap-filters']/@hidden")
    assert any(".filters{display:none}" in n.text_content() for n in doc.xpath("//head/noscript"))
    data = json.loads((example_build / "gaps.json").read_text(encoding="utf-8"))
    assert len(data["gaps"]) == 7
    assert data["gaps"][0]["actions"][0]["due"] == "2027-01-31"
    text = (example_build / "gaps.csv").read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    assert len(records) == 10  # one row per action, gaps without actions keep one row
    assert records[0]["gap"] == "Llamadas no atendidas en horas punta"


def test_no_build_date_by_default(example_build: Path) -> None:
    footer = parse_html(example_build / "index.html").xpath("//footer")[0].text_content()
    assert "Hecho con cjmsite" in footer and "Generado el" not in footer


def test_sitemap_and_root_relative_404_when_base_url_is_set(make_site) -> None:
    from conftest import run

    site = make_site({"cjmsite.toml": '[site]\ntitle = "CX"\nbase_url = "https://cx.example.org/maps"\n'})
    assert run("build", str(site)).exit_code == 0
    sitemap = (site / "output/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://cx.example.org/maps/journeys/buy/</loc>" in sitemap
    assert "<loc>https://cx.example.org/maps/touchpoints/phone/</loc>" in sitemap
    doc = parse_html(site / "output/404.html")
    # Served for a missing URL at any depth, so its links start from the site's root path.
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["/maps/assets/style.css"]
    assert doc.xpath("//form[@id='search']/@data-root") == ["/maps/"]
    assert "/maps/journeys/index.html" in doc.xpath("//nav//a/@href")
    plain = make_site({"cjmsite.toml": '[site]\ntitle = "CX"\n'})
    assert run("build", str(plain)).exit_code == 0
    assert not (plain / "output/sitemap.xml").exists()
    assert parse_html(plain / "output/404.html").xpath(
        "//link[@rel='stylesheet']/@href") == ["assets/style.css"]


def test_home_lists_the_ten_most_severe_open_gaps_and_links_to_all(make_site) -> None:
    from conftest import run

    severities = ["low", "high", "medium"] * 4
    files = {f"content/journeys/buy/{i + 2:02d}-s{i}.md": (
        f"---\ntitle: Stage {i}\ngaps:\n  - title: Gap {i}\n    severity: {sev}\n---\n")
        for i, sev in enumerate(severities)}
    site = make_site(files)
    assert run("build", str(site)).exit_code == 0
    doc = parse_html(site / "output/index.html")
    items = doc.xpath("//ul[@class='gap-list']/li")
    assert len(items) == 10
    badges = [li.xpath("string(.//span[contains(@class,'sev')])") for li in items]
    assert badges == ["High"] * 4 + ["Medium"] * 4 + ["Low"] * 2
    assert [li.xpath("string(a)") for li in items][:2] == ["Gap 1", "Gap 4"]  # stage order
    more = doc.xpath("//a[starts-with(., 'All 12 open gaps')]/@href")
    assert more == ["gaps/index.html"]
    assert doc.xpath("string(//ul[@class='stats']/li[4]//strong)") == "12"
