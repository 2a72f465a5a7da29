"""Printing a journey page: the map alone on one landscape page, navigation hidden. Checked
from the PDF chromium prints, the way a reader would get it."""

from __future__ import annotations

import io
import re

import pytest
from conftest import PAGE_TYPES, Tab

MM = 72 / 25.4  # PDF points per millimetre


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def printed(tab: Tab, served: str):
    pypdf = pytest.importorskip("pypdf", reason="needs pypdf: pip install -e '.[test]'")
    tab.open(served + PAGE_TYPES["journey"])
    page = tab.page
    stages = [_words(t) for t in page.locator("#h-stages ~ .stage h3").all_text_contents()]
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.topbar', '.crumbs', '.footer', '.map-table', '.button']
        .map(s => [s, getComputedStyle(document.querySelector(s)).display])""")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return pdf, stages, dict(hidden)


def test_print_hides_navigation(printed) -> None:
    pdf, _, hidden = printed
    assert set(hidden.values()) == {"none"}, hidden
    text = _words(" ".join(p.extract_text() for p in pdf.pages))
    assert "Taller Automotriz Andes" not in text  # the site title lives only in the top bar
    assert "Saltar al contenido" not in text and "Hecho con cjmsite" not in text


def test_print_puts_the_whole_map_on_one_landscape_page(printed) -> None:
    pdf, stages, _ = printed
    assert len(stages) == 10
    for number, sheet in enumerate(pdf.pages):
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width / MM), round(height / MM)) == (297, 210), f"page {number + 1}"
    texts = [_words(p.extract_text()) for p in pdf.pages]
    map_pages = [i for i, text in enumerate(texts) if "Mapa del journey" in text]
    assert len(map_pages) == 1, "the map section prints on exactly one page"
    sheet = texts[map_pages[0]]
    missing = [s for s in stages if s not in sheet]
    assert missing == [], f"stages cut off the map page: {missing}"
    # Lane labels from the top and the bottom of the map are both on that page.
    assert "Etapa" in sheet and re.search(r"Brechas y acciones|Métricas", sheet)
    assert "Mapa del journey" not in " ".join(texts[:map_pages[0]] + texts[map_pages[0] + 1:])
