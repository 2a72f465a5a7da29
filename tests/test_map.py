"""The journey map as a pure function: model in, well-formed SVG out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SVG_NS, XLINK, parse_html, parse_svg, run
from stress import LONG, make_stress_site

from cjmsite.commands.check import check
from cjmsite.i18n import translator
from cjmsite.mapsvg.blocks import SIZE
from cjmsite.mapsvg.draw import draw_map, standalone_svg
from cjmsite.mapsvg.layout import LABEL_W
from cjmsite.mapsvg.svg import num
from cjmsite.mapsvg.text import text_width, wrap


def _map(site: Path, journey: str, language: str = "en"):
    result = check(site)
    report, model = result.report, result.site
    assert not report.errors, report.items
    svg = draw_map(model.journeys[journey], model, language, translator(language)).svg
    return parse_svg(svg.encode()), model


def _lane_labels(svg) -> list[str]:
    """Each lane's name as the label column shows it (phones show a shorter copy)."""
    return [" ".join(s.text for s in t.iter(f"{SVG_NS}tspan")) for g in svg.iter(f"{SVG_NS}g")
            if g.get("class") == "lane-label" for t in g.iter(f"{SVG_NS}text")
            if t.get("class") == "label-full"]


def _texts(svg) -> list[str]:
    return [" ".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text")]


def test_lanes_with_no_data_are_left_out(make_site) -> None:
    svg, _ = _map(make_site(), "buy")
    assert _lane_labels(svg) == ["Stage", "Touchpoints", "Emotion"]
    site = make_site({"content/journeys/buy/01-call.md":
                      "---\ntitle: C\nphase: P\npain_points: [slow]\n---\n"})
    svg, _ = _map(site, "buy")
    assert _lane_labels(svg) == ["Phase", "Stage", "Pain points"]


def test_lane_order_and_spanish_labels(example_site_root) -> None:
    svg, _ = _map(example_site_root, "experiencia-global", "es")
    assert _lane_labels(svg) == [
        "Fase", "Etapa", "Resumen", "Acciones del cliente", "Puntos de contacto",
        "Pensamientos", "Reacción del cliente", "Puntos de dolor",
        "Brechas y acciones (atenuadas: cerradas o descartadas)",  # a gap is closed
        "Acciones de la empresa", "Métricas"]


def test_phase_headers_span_exactly_their_stages(example_site_root) -> None:
    svg, model = _map(example_site_root, "experiencia-global", "es")
    journey = model.journeys["experiencia-global"]
    stages = svg.xpath("//s:g[@class='stage']", namespaces={"s": SVG_NS[1:-1]})
    assert len(stages) == len(journey.stages) == 10
    phases = [g for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "phase"]
    assert ["".join(p.itertext()).strip() for p in phases] == [
        "Prospección", "Entrega del servicio", "Postventa"]
    columns = [float(line.get("x1")) for line in svg.iter(f"{SVG_NS}line")
               if line.get("class") == "grid" and line.get("x1") == line.get("x2")]
    edges = sorted(set(columns))
    rects = [p.find(f"{SVG_NS}rect") for p in phases]
    spans = [(float(r.get("x")) - 3, float(r.get("x")) + float(r.get("width")) + 3)
             for r in rects]
    assert spans[0][0] == LABEL_W
    counts = [3, 4, 3]
    index = 0
    for (start, end), count in zip(spans, counts, strict=True):
        assert start == pytest.approx(edges[index], abs=0.1)
        index += count
        assert end == pytest.approx(edges[index], abs=0.6)  # the last edge is the border


def test_one_curve_and_point_per_scored_stage_per_persona(example_site_root) -> None:
    svg, model = _map(example_site_root, "experiencia-global", "es")
    curves = [p for p in svg.iter(f"{SVG_NS}path") if "curve" in p.get("class", "")]
    # The personas' curves, then the one the example's NPS survey measured.
    assert [c.get("class") for c in curves] == ["curve p0", "curve p1", "curve measured m0"]
    for index in range(2):
        points = [el for el in svg.iter() if el.get("class") == f"pt p{index}"]
        assert len(points) == 10 + 1  # ten stages plus the legend marker
    legend = [g for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "legend"][0]
    assert "Carla Quispe" in "".join(legend.itertext())
    assert "Roberto Mamani" in "".join(legend.itertext())
    assert {r.tag for r in svg.iter() if r.get("class") == "pt p1"} == {f"{SVG_NS}rect"}


def test_single_persona_has_no_legend_but_labelled_points(make_site) -> None:
    svg, _ = _map(make_site(), "buy")
    assert not [g for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "legend"]
    scores = [t for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "score"]
    assert ["".join(s.itertext()) for s in scores] == ["+1"]


def test_links_go_to_touchpoints_gaps_and_stages(example_site_root) -> None:
    svg, _ = _map(example_site_root, "recepcion-y-facturacion", "es")
    hrefs = [a.get(XLINK) for a in svg.iter(f"{SVG_NS}a")]
    assert "../../touchpoints/recepcion/index.html" in hrefs
    assert "../../gaps/index.html#gap-recepcion-y-facturacion-espera-en-recepcion-un-solo-" \
           "recepcionista-en-la-hora-punta" in hrefs
    assert "index.html#stage-llegada" in hrefs
    for a in svg.iter(f"{SVG_NS}a"):
        assert a.get("aria-label"), "every link has an accessible name"


def test_long_text_wraps_and_very_long_text_is_cut_with_tooltip(tmp_path: Path) -> None:
    site = make_stress_site(tmp_path / "stress")
    svg, _ = _map(site, "largo", "es")
    width = float(svg.get("width"))
    assert width > 40 * 190, "40 stages get a wide map, not a shrunken one"
    for text in svg.iter(f"{SVG_NS}text"):
        for span in text.iter(f"{SVG_NS}tspan"):
            assert text_width(span.text or "", SIZE) <= 280, span.text
    thoughts = [t for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "thought"]
    first = thoughts[0]
    lines = [s.text for s in first.iter(f"{SVG_NS}tspan")]
    assert len(lines) == 6 and lines[-1].endswith("…")
    assert first.find(f"{SVG_NS}title").text == f"“{LONG} {LONG}”"


def test_wrap_respects_width_and_breaks_long_words() -> None:
    wrapped = wrap("a " * 50 + "x" * 200, 120, 13, 100)
    assert all(text_width(line, 13) <= 120 for line in wrapped.lines)
    assert "".join(wrapped.lines).endswith("x" * 10)
    short = wrap("Hola", 120, 13, 2)
    assert short.lines == ("Hola",) and not short.truncated


def test_every_text_is_escaped_and_svg_is_well_formed(tmp_path: Path) -> None:
    site = make_stress_site(tmp_path / "stress", stages=3)
    model = check(site).site
    drawn = draw_map(model.journeys["largo"], model, "es", translator("es"))
    raw = standalone_svg(drawn, ("Largo <b>&", "Persona: Ana"))
    assert raw.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    svg = parse_svg(raw.encode())
    texts = " ".join(_texts(svg))
    assert 'Acción <b>&amp; "citada"</b>' in texts
    titles = " ".join(t.text or "" for t in svg.iter(f"{SVG_NS}title"))
    assert "Teléfono & <central>" in " ".join(_texts(svg)) + titles
    assert "<b>" not in raw and "&lt;b&gt;" in raw
    assert svg.find(f"{SVG_NS}title").text == "Largo <b>&"  # the title block's
    nested = svg.find(f"{SVG_NS}svg")  # the map itself, under the title block
    assert nested.get("viewBox") and nested.find(f"{SVG_NS}style") is not None
    assert nested.find(f"{SVG_NS}title").text.startswith("Mapa del journey")
    assert nested.find(f"{SVG_NS}desc") is not None
    # The size the file is laid out by is the map's own, as its SVG states it.
    assert (nested.get("width"), nested.get("height")) == (num(drawn.width), num(drawn.height))


def test_map_is_inline_and_downloadable(example_build: Path) -> None:
    page = example_build / "journeys/experiencia-global/index.html"
    doc = parse_html(page)
    assert doc.xpath("//a[@href='map.svg'][@download]")
    inline = doc.xpath("//svg[contains(@class,'cjm-map')]")[0]
    standalone = parse_svg((page.parent / "map.svg").read_bytes())
    nested = standalone.find(f"{SVG_NS}svg")  # under the file's title block
    assert inline.get("viewbox") == nested.get("viewBox")
    assert float(standalone.get("height")) > float(nested.get("height"))
    assert doc.xpath("//details[@class='map-table']//tbody/tr")


def test_stress_site_builds(tmp_path: Path) -> None:
    site = make_stress_site(tmp_path / "stress")
    result = run("build", str(site))
    assert result.exit_code == 0, result.output


def test_every_element_and_attribute_is_valid_svg_full(tmp_path: Path,
                                                       example_site_root) -> None:
    """Our writer is checked against svgwrite's SVG 1.1 Full profile: element names, which
    children each may hold, and every attribute value (ARIA attributes are HTML's)."""
    from svgwrite.validator2 import get_validator

    validator = get_validator("full", debug=True)
    for root, journey in ((example_site_root, "experiencia-global"),
                          (make_stress_site(tmp_path / "s", stages=4), "largo")):
        svg, _ = _map(root, journey, "es")
        checked = 0
        for element in svg.iter():
            name = element.tag.replace(SVG_NS, "")
            assert validator.is_valid_elementname(name), name
            for child in element:
                validator.check_valid_children(name, child.tag.replace(SVG_NS, ""))
            for key, value in element.attrib.items():
                key = key.replace(XLINK, "xlink:href")
                if key.startswith(("aria-", "data-")) or key in ("role", "id"):
                    continue  # HTML's attributes, which inline SVG takes
                validator.check_svg_attribute_value(name, key, value)
                checked += 1
        assert checked > 1000


def test_every_start_tag_lists_its_attributes_in_name_order_and_none_empty(
        tmp_path: Path, example_site_root) -> None:
    """The writer's promise (mapsvg/svg.py), kept also by the elements draw.py writes as
    markup at once: attributes sorted by name, empty ones left out, so a map's text is
    the same whichever way an element was made."""
    tag = re.compile(r'<([a-z]+)((?: [a-zA-Z0-9:-]+="[^"]*")*) ?/?>')
    pair = re.compile(r' ([a-zA-Z0-9:-]+)="([^"]*)"')
    for root, journey in ((example_site_root, "experiencia-global"),
                          (make_stress_site(tmp_path / "s", stages=4), "largo")):
        model = check(root).site
        drawn = draw_map(model.journeys[journey], model, "es", translator("es"))
        file = standalone_svg(drawn, ("Título", "Persona: Ana"))
        # The file's title block, and the map (nested in the file with its place first).
        for raw in (file[:file.index('<svg x="0"')], drawn.svg):
            tags = tag.findall(raw)
            assert len(tags) == len(re.findall("<[a-z]", raw)) > 5
            for name, attributes in tags:
                pairs = pair.findall(attributes)
                names = [key for key, _ in pairs]
                assert names == sorted(names), (name, names)
                assert all(value for _, value in pairs), (name, attributes)
