"""What a new user tripped on in the pages (issue 23): emotions named by persona, gap lists
that say what they are, survey tables in the journey's order."""

from __future__ import annotations

from pathlib import Path

from conftest import parse_html, run, write_files

SITE = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/personas/bob.md": "---\nname: Bob\n---\n",
    "content/touchpoints/phone.md": "---\ntitle: Phone line\nchannel: phone\n---\n",
    "content/touchpoints/desk.md": "---\ntitle: Front desk\nchannel: in-person\n---\n",
    "content/touchpoints/web.md": "---\ntitle: Website\nchannel: web\n---\n",
    "content/journeys/buy/index.md": "---\ntitle: Buying\npersona: [ana, bob]\n"
                                     "objective: Understand buying\n---\n",
    # Stage ids run against the timeline (zeta before alfa), touchpoints against the
    # alphabet (phone before desk).
    "content/journeys/buy/01-zeta.md": "---\ntitle: Zeta call\ntouchpoints: [phone, desk]\n"
                                       "emotion: {ana: -2, bob: -1}\n"
                                       "gaps:\n  - {title: Slow bill, touchpoint: web}\n"
                                       "  - {title: Long queue, touchpoint: phone}\n---\n",
    "content/journeys/buy/02-alfa.md": "---\ntitle: Alfa visit\ntouchpoints: [desk]\n"
                                       "emotion: {ana: 1, bob: 2}\n---\n",
    "content/surveys/nps.md": "---\ntitle: NPS\nmetric: nps\njourney: buy\n"
                              "columns:\n  stage: Etapa\n  touchpoint: Canal\n  score: Nota\n"
                              "values:\n  stage:\n    Llamada: zeta\n    Visita: alfa\n"
                              "  touchpoint:\n    Teléfono: phone\n    Mostrador: desk\n---\n",
    "content/surveys/nps.csv": "Etapa;Canal;Nota\nVisita;Mostrador;9\nLlamada;Teléfono;3\n"
                               "Visita;Mostrador;10\nLlamada;Teléfono;7\n",
}


def _built(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = write_files(tmp_path / "site", {**SITE, **(files or {})})
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root / "output"


def _feelings(cell) -> list[tuple[str, str]]:
    """(text, marker shape) per persona line of an emotion cell."""
    return [(" ".join(li.text_content().split()),
             li.xpath("./svg[@class='pmark']/*")[0].tag) for li in cell.xpath(".//li")]


def test_emotions_name_each_persona_with_its_marker(tmp_path: Path) -> None:
    out = _built(tmp_path)
    page = parse_html(out / "touchpoints/phone/index.html")
    cell = page.xpath("//section[@aria-labelledby='h-used']//tbody/tr/td[3]")[0]
    assert _feelings(cell) == [("Ana: −2 frustrated", "circle"), ("Bob: −1 unhappy", "rect")]
    # Stage cards: one line per persona, never two personas' scores run together.
    journey = parse_html(out / "journeys/buy/index.html")
    card = journey.xpath("//article[@id='stage-zeta']//dt[.='Emotion']/../dd")[0]
    assert _feelings(card) == [("Ana: −2 frustrated", "circle"), ("Bob: −1 unhappy", "rect")]
    # The persona page says which curve of each sparkline is theirs.
    persona = parse_html(out / "personas/bob/index.html")
    row = persona.xpath("//section[@aria-labelledby='h-journeys']//tbody/tr")[0]
    assert row.xpath(".//svg[@class='pmark']/rect") and "Bob" in row.xpath("./td")[-1] \
        .text_content()
    spark = row.xpath(".//svg[contains(@class, 'cjm-spark')]")[0]
    assert "Ana: −2 +1" in spark.get("aria-label") and "Bob: −1 +2" in spark.get("aria-label")


def test_touchpoint_gap_lists_say_what_they_are(tmp_path: Path) -> None:
    out = _built(tmp_path)
    page = parse_html(out / "touchpoints/phone/index.html")
    own = page.xpath("//section[@aria-labelledby='h-gaps']")[0]
    assert own.xpath("string(h2)") == "Gaps tied to this touchpoint"
    assert [a.text for a in own.xpath(".//li/a")] == ["Long queue"]
    nearby = page.xpath("//section[@aria-labelledby='h-nearby']")[0]
    assert nearby.xpath("string(h2)") == "Other gaps in stages that use it"
    assert [a.text for a in nearby.xpath(".//li/a")] == ["Slow bill"]
    # The desk has no gap of its own: never "None" beside a table that lists gaps.
    desk = parse_html(out / "touchpoints/desk/index.html")
    text = " ".join(desk.xpath("//main")[0].text_content().split())
    assert "None" not in text
    assert "No gap names this touchpoint." in text
    used = desk.xpath("//section[@aria-labelledby='h-used']//tbody/tr[1]/td[4]")[0]
    assert "Slow bill (at Website)" in " ".join(used.text_content().split())


def test_survey_tables_follow_the_journey(tmp_path: Path) -> None:
    out = _built(tmp_path)
    page = parse_html(out / "surveys/nps/index.html")

    def labels(scope: str) -> list[str]:
        return [td.text_content() for td in
                page.xpath(f"//section[@aria-labelledby='h-by-{scope}']//tbody/tr/td[1]")]

    assert labels("stage") == ["Buying · Zeta call", "Buying · Alfa visit"]
    assert labels("touchpoint") == ["Phone line", "Front desk"]
