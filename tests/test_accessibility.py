"""Accessibility in a real browser: axe-core on every page type in light and dark mode, and
keyboard-only navigation that reaches every link (map included) with a visible focus ring."""

from __future__ import annotations

import pytest
from conftest import PAGE_TYPES, Tab


@pytest.fixture(scope="module")
def axe():
    sync = pytest.importorskip("axe_playwright_python.sync_playwright",
                               reason="needs axe-playwright-python: pip install -e '.[test]'")
    return sync.Axe()


def _describe(violation: dict) -> str:
    nodes = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n)
                      for n in violation["nodes"][:4])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {nodes}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_serious_axe_violations(browser, served: str, axe, kind: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(served + PAGE_TYPES[kind])
        if kind != "404":  # also check the search panel, open with results
            page.fill("#search-input", "recepcion")
            page.locator("#search-results a").first.wait_for()
        results = axe.run(page)
        serious = [v for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], "\n".join(_describe(v) for v in serious)
    finally:
        context.close()


def test_axe_check_catches_a_serious_violation(browser, axe) -> None:
    """The check above can fail: the same call flags an unlabelled link and a missing alt."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><title>t</title><main><img src="x.png">'
                         '<a href="/"><img src="y.png"></a></main></html>')
        impacts = {v["id"]: v["impact"] for v in axe.run(page).response["violations"]}
        assert impacts.get("image-alt") == "critical"
        assert impacts.get("link-name") == "serious"
    finally:
        page.close()


_FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const href = el.getAttribute('href') || el.getAttribute('xlink:href');
    const closed = el.tagName === 'SUMMARY' && !el.parentElement.open;
    return {href: href, tag: el.tagName.toLowerCase(), inMap: !!el.closest('svg.cjm-map'),
            closed: closed,
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
            ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
                  || [...el.querySelectorAll('.chip, .gap-chip, .focus-box')].some(shape => {
                      const s = getComputedStyle(shape);  // the map draws its own ring
                      return s.stroke !== 'none' && parseFloat(s.strokeWidth) >= 3;
                  })};
}"""

_LINKS = """() => [...document.querySelectorAll('a')]
    .filter(a => a.checkVisibility({visibilityProperty: true}))
    .map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))"""


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_keyboard_reaches_every_link_with_a_visible_focus_ring(tab: Tab, served: str,
                                                               kind: str) -> None:
    tab.open(served + PAGE_TYPES[kind])
    page = tab.page
    reached, no_ring, map_links = [], [], 0
    for _ in range(500):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused["tag"] == "body":
            break
        if focused["closed"]:  # a disclosure: open it as a keyboard user would
            page.keyboard.press("Enter")
        if focused["href"] is not None:
            reached.append(focused["href"])
            map_links += focused["inMap"]
            if not focused["ring"]:
                no_ring.append(focused)
    wanted = page.evaluate(_LINKS)  # every link showing once disclosures are open
    assert len(wanted) >= 8  # skip link, brand, main navigation at least
    missing = [href for href in wanted if href not in reached]
    assert missing == [], f"not reachable with Tab: {missing}"
    assert no_ring == [], f"focused without a visible ring: {no_ring[:3]}"
    if kind == "journey":
        assert map_links >= 10, "map touchpoints and gaps are in the tab order"


def test_focus_ring_is_drawn_on_map_links(tab: Tab, served: str) -> None:
    """Outlines are not painted on SVG elements in every engine, so the map draws its own."""
    tab.open(served + PAGE_TYPES["journey"])
    page = tab.page
    link = page.locator("svg.cjm-map a").first
    before = link.screenshot()
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg.cjm-map') !== null")
    after = link.screenshot()
    assert before != after, "focusing a map link changes how it looks"
