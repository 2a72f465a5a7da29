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


@pytest.fixture(params=["A4", "A3"])
def printed(request, tab: Tab, served: str):
    """The journey page printed to PDF on A4 or A3 paper, as a reader picks it in the
    print dialog (the page asks for landscape, not for a paper size)."""
    pypdf = pytest.importorskip("pypdf", reason="needs pypdf: pip install -e '.[test]'")
    tab.open(served + PAGE_TYPES["journey"])
    page = tab.page
    stages = [_words(t) for t in page.locator("#h-stages ~ .stage h3").all_text_contents()]
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.topbar', '.crumbs', '.footer', '.map-table', '.button']
        .map(s => [s, getComputedStyle(document.querySelector(s)).display])""")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=request.param, prefer_css_page_size=True,
                                              print_background=True)))
    return pdf, stages, dict(hidden), request.param


def test_print_hides_navigation(printed) -> None:
    pdf, _, hidden, _ = printed
    assert set(hidden.values()) == {"none"}, hidden
    text = _words(" ".join(p.extract_text() for p in pdf.pages))
    assert "Taller Automotriz Andes" not in text  # the site title lives only in the top bar
    assert "Saltar al contenido" not in text and "Hecho con cjmsite" not in text


def test_print_starts_with_the_map_as_a_poster_on_one_landscape_page(printed) -> None:
    pdf, stages, _, paper = printed
    assert len(stages) == 10
    size = {"A4": (297, 210), "A3": (420, 297)}[paper]
    for number, sheet in enumerate(pdf.pages):
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width / MM), round(height / MM)) == size, f"page {number + 1}"
    texts = [_words(p.extract_text()) for p in pdf.pages]
    poster = texts[0]
    # The title block, every stage, lane labels from the top and the bottom of the map.
    assert poster.startswith("Experiencia global del cliente del taller Persona: Carla")
    missing = [s for s in stages if s not in poster]
    assert missing == [], f"stages cut off the poster: {missing}"
    assert "Etapa" in poster and re.search(r"Brechas y acciones|Métricas", poster)
    # The map is on that page only: its legend and emotion scale nowhere else (the stage
    # cards repeat each stage's evidence level, "Medido · n = 55", in words of their own).
    assert "indiferente 0" in poster
    assert not [i for i, text in enumerate(texts[1:], 2)
                if "Curva emocional" in text or "indiferente 0" in text]
