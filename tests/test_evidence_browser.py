"""Insights in a real browser: the index filters by source, journey, persona and tag, keeps
the filters in the URL (query over HTTP, fragment from file://) so a shared link opens the
same view, ages are written from the reader's today, and a cited pain point on the map
leads to its insight."""

from __future__ import annotations

from conftest import PAGE_TYPES, Tab


def _shown(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('#insight-table tbody tr')]
        .filter(r => !r.hidden).map(r => r.dataset.source)""")


def test_insight_index_filters_and_keeps_them_in_the_url(tab: Tab, site_url: str) -> None:
    tab.open(site_url + PAGE_TYPES["insights"])
    page = tab.page
    every = _shown(page)
    assert len(every) == 4
    page.select_option("select[name=source]", "analytics")
    assert _shown(page) == ["analytics"]
    assert "1 de 4" in page.locator("#insight-count").text_content()
    page.select_option("select[name=source]", "")
    page.select_option("select[name=tag]", "facturación")
    assert sorted(_shown(page)) == ["field-visit", "support-ticket"]
    page.select_option("select[name=persona]", "roberto-flota")
    assert _shown(page) == ["field-visit"]
    url = page.url
    assert ("#" if site_url.startswith("file:") else "?") in url and "persona=roberto-flota" in url
    tab.open(url)  # a shared link: the same view
    assert tab.page.locator("select[name=persona]").input_value() == "roberto-flota"
    assert _shown(tab.page) == ["field-visit"]
    tab.page.click("button[type=reset]")
    tab.page.wait_for_function("document.querySelectorAll('#insight-table tbody tr:not([hidden])')"
                               ".length === 4")
    page.select_option("select[name=journey]", "recepcion-y-facturacion")
    assert len(_shown(page)) == 3
    assert tab.errors == []


def test_ages_are_worked_out_in_the_browser(tab: Tab, site_url: str) -> None:
    tab.page.clock.set_fixed_time("2026-11-24T12:00:00")  # the reader's today
    tab.open(site_url + PAGE_TYPES["insights"])
    times = tab.page.evaluate("""() => [...document.querySelectorAll('time[data-age]')]
        .map(t => [t.getAttribute('datetime'), t.textContent, t.title, t.className])""")
    assert times and all(text.startswith("hace ") and title == date
                         for date, text, title, _ in times), times
    assert dict((d, text) for d, text, _, _ in times)["2026-09-02"] == "hace 3 meses"
    aged = [date for date, _, _, cls in times if "aged" in cls]
    assert aged == ["2025-05-20"]  # the only insight older than 365 days
    assert "de más de 365 días" in tab.page.locator("#insight-table").text_content()
    assert tab.errors == []


def test_a_cited_pain_point_leads_to_its_insight(tab: Tab, site_url: str) -> None:
    tab.open(site_url + "journeys/recepcion-y-facturacion/index.html")
    page = tab.page
    link = page.locator("svg.cjm-map a.cites[data-cites='1']").first
    link.click()
    page.wait_for_load_state("load")
    assert "/insights/" in page.url
    assert page.locator("h1").text_content().strip()
    assert tab.errors == []
