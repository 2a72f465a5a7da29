"""The example site in a real browser (Debian's chromium via Playwright), over HTTP and from
file://: pages load cleanly, the map links work, the gap index filters and sorts, search
finds accented words typed without accents."""

from __future__ import annotations

import pytest
from conftest import PAGE_TYPES, Tab


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_loads_without_errors(tab: Tab, site_url: str, kind: str) -> None:
    tab.open(site_url + PAGE_TYPES[kind])
    page = tab.page
    assert page.locator("h1").first.is_visible()
    assert page.locator("#search").is_visible(), "search box shown once its script runs"
    broken = page.evaluate("""() => [...document.images, ...document.querySelectorAll('svg image')]
        .filter(i => i.tagName === 'IMG' && !(i.complete && i.naturalWidth > 0))
        .map(i => i.src)""")
    assert broken == []
    assert tab.errors == []


def test_map_is_visible_and_sized(tab: Tab, site_url: str) -> None:
    tab.open(site_url + PAGE_TYPES["journey"])
    svg = tab.page.locator("svg.cjm-map")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box and box["width"] > 900 and box["height"] > 400, box
    view_box = svg.get_attribute("viewBox").split()
    # Drawn at its natural size (1 user unit = 1 CSS pixel), so text stays readable.
    assert box["width"] == pytest.approx(float(view_box[2]), abs=2)
    assert tab.errors == []


def test_clicking_a_touchpoint_in_the_map_opens_its_page(tab: Tab, site_url: str) -> None:
    tab.open(site_url + PAGE_TYPES["journey"])
    page = tab.page
    link = page.locator("svg.cjm-map a[*|href*='touchpoints/']").first
    label = link.get_attribute("aria-label")
    with page.expect_navigation():
        link.click()
    assert "/touchpoints/" in page.url and page.url.endswith("/index.html")
    heading = page.locator("h1").text_content()
    assert heading == label
    assert tab.errors == []


def test_clicking_a_gap_in_the_map_opens_its_row(tab: Tab, site_url: str) -> None:
    tab.open(site_url + PAGE_TYPES["journey"])
    page = tab.page
    link = page.locator("svg.cjm-map a[*|href*='gaps/index.html#']").first
    anchor = link.get_attribute("xlink:href").split("#")[1]
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"gaps/index.html#{anchor}")
    assert page.locator(f"tr[id='{anchor}']").evaluate("r => r.matches(':target')")
    assert page.locator(f"tr[id='{anchor}']").is_visible()


def _visible_rows(page) -> list[dict[str, str]]:
    return page.evaluate("""() => [...document.querySelectorAll('#gap-table tbody tr')]
        .filter(r => !r.hidden).map(r => ({severity: r.dataset.severity,
                                          title: r.cells[0].textContent.trim()}))""")


def test_gap_index_filters_and_sorts(tab: Tab, site_url: str) -> None:
    tab.open(site_url + PAGE_TYPES["gaps"])
    page = tab.page
    every = _visible_rows(page)
    assert len(every) >= 5
    page.select_option("select[name=severity]", "high")
    high = _visible_rows(page)
    assert 0 < len(high) < len(every)
    assert {r["severity"] for r in high} == {"high"}
    count = page.locator("#gap-count").text_content()
    total = page.locator("#gap-table tbody tr").count()  # closed gaps too, hidden by default
    assert f"{len(high)} " in count and f" {total}" in count and len(every) < total

    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#gap-table tbody tr:not([hidden])')"
                           f".length === {len(every)}")
    gap_header = page.locator("#gap-table th").first
    gap_header.locator("button").click()
    titles = [r["title"] for r in _visible_rows(page)]
    assert titles == sorted(titles, key=_collate)
    assert gap_header.get_attribute("aria-sort") == "ascending"
    gap_header.locator("button").click()
    assert [r["title"] for r in _visible_rows(page)] == titles[::-1]
    assert gap_header.get_attribute("aria-sort") == "descending"

    severity_header = page.locator("#gap-table th").nth(1)
    severity_header.locator("button").click()
    ranks = [{"high": 0, "medium": 1, "low": 2}[r["severity"]] for r in _visible_rows(page)]
    assert ranks == sorted(ranks)
    assert tab.errors == []


def _collate(text: str) -> str:
    """Roughly the browser's base-sensitivity Spanish collation: accents and case ignored."""
    import unicodedata

    folded = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def test_search_finds_a_stage_typed_without_accents_and_opens_it(tab: Tab,
                                                                 site_url: str) -> None:
    tab.open(site_url + PAGE_TYPES["personas"])  # any page: search is in the header
    page = tab.page
    page.fill("#search-input", "diagnostico")
    first = page.locator("#search-results a").first
    first.wait_for()
    assert first.locator(".search-title").text_content() == "Diagnóstico y aprobación"
    assert "Etapa" in first.locator(".search-meta").text_content()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("journeys/experiencia-global/index.html#stage-diagnostico")
    target = page.locator(":target")
    assert target.locator("h3").first.text_content().strip().endswith("Diagnóstico y aprobación")
    assert target.is_visible()
    assert tab.errors == []


@pytest.mark.parametrize(("query", "title"), [
    ("atencion al cliente", "Central telefónica"),  # owner of a touchpoint, accents dropped
    ("RESENA", "Reseña en redes sociales"),  # ñ folded, any case
    ("factura electronica", "Tiempo de espera para la facturación"),  # gap via its action
    ("carla", "Carla Quispe"),
])
def test_search_is_accent_and_case_insensitive(tab: Tab, served: str, query: str,
                                               title: str) -> None:
    tab.open(served + PAGE_TYPES["home"])
    page = tab.page
    page.fill("#search-input", query)
    page.locator("#search-results a").first.wait_for()
    titles = page.locator("#search-results .search-title").all_text_contents()
    assert title in titles, titles


def test_search_says_when_nothing_matches_and_escape_closes_it(tab: Tab, served: str) -> None:
    tab.open(served + PAGE_TYPES["home"])
    page = tab.page
    page.fill("#search-input", "zzzzqqq")
    page.locator("#search-status").filter(has_text="Sin resultados").wait_for()
    assert page.locator("#search-results a").count() == 0
    page.keyboard.press("Escape")
    assert page.locator("#search-panel").is_hidden()


def test_slash_key_focuses_search(tab: Tab, served: str) -> None:
    tab.open(served + PAGE_TYPES["journeys"])
    tab.page.keyboard.press("/")
    assert tab.page.evaluate("document.activeElement.id") == "search-input"
