"""What a new user tripped on in the pages (issue 23): emotions named by persona, gap lists
that say what they are, survey tables in the journey's order."""

from __future__ import annotations

from pathlib import Path

from conftest import SVG_NS, parse_html, parse_svg, run, write_files

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
    assert own.xpath("string(h2)").startswith("Gaps tied to this touchpoint")
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


def test_to_be_map_file_has_a_legend_entry_for_the_faded_curves(make_site) -> None:
    from test_future_state import TO_BE

    site = make_site(TO_BE)
    assert run("build", str(site), "--strict").exit_code == 0

    def legend(slug: str) -> tuple[list[str], list[str]]:
        svg = parse_svg((site / f"output/journeys/{slug}/map.svg").read_bytes())
        group = svg.find(f".//{SVG_NS}g[@class='legend']")
        if group is None:
            return [], []
        return ([" ".join(t.itertext()) for t in group.iter(f"{SVG_NS}text")],
                [line.get("class") for line in group.iter(f"{SVG_NS}line")])

    texts, lines = legend("buy-next")
    assert "As-is map: Buying" in texts and "curve as-is p0" in lines
    assert not any("As-is" in text for text in legend("buy")[0])


EIGHT = [f"p{n}" for n in range(1, 9)]
CROWD = {
    **{f"content/personas/{p}.md": f"---\nname: Persona {p}\n---\n" for p in EIGHT},
    "content/journeys/crowd/index.md": "---\ntitle: Crowd\npersona: [" + ", ".join(EIGHT)
                                       + "]\nobjective: O\n---\n",
    # Everyone at +1 where the measured curve is at +1 too; a spread; everyone at -2 (the
    # lane's bottom edge); three personas only, the measured point between them.
    "content/journeys/crowd/01-same.md": "---\ntitle: Same\nemotion: 1\n---\n",
    "content/journeys/crowd/02-spread.md": "---\ntitle: Spread\nemotion: {"
    + ", ".join(f"{p}: {s}" for p, s in zip(EIGHT, (2, 1, 0, -1, -2, 1, 1, -1), strict=True))
    + "}\n---\n",
    "content/journeys/crowd/03-low.md": "---\ntitle: Low\nemotion: -2\n---\n",
    "content/journeys/crowd/04-few.md": "---\ntitle: Few\nemotion: {p1: 1, p2: 0, p3: 1}\n"
                                        "---\n",
    "content/surveys/csat.md": "---\ntitle: CSAT\nmetric: csat\njourney: crowd\n"
                               "columns:\n  stage: Etapa\n  score: Nota\n---\n",
    "content/surveys/csat.csv": "Etapa;Nota\n" + "".join(
        f"{stage};{score}\n" for stage, score in (("same", 4), ("same", 4), ("spread", 3),
                                                   ("spread", 5), ("low", 1), ("few", 4),
                                                   ("few", 3), ("few", 4), ("few", 3))),
    # Evidenced, not measured: a two-line evidence mark over the column, the two personas
    # at +2 just under it.
    "content/journeys/crowd/05-cited.md": "---\ntitle: Cited\nemotion: {p1: 2, p2: 2}\n"
                                          "evidence: [calls]\n---\n",
    "content/insights/calls.md": "---\ntitle: Calls\nsource: interview\ndate: 2026-01-10\n"
                                 "---\nThey call.\n",
}


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_every_curve_label_is_clear_of_every_point_and_label(tmp_path: Path) -> None:
    from cjmsite.commands.check import check
    from cjmsite.i18n import translator
    from cjmsite.mapsvg.blocks import Context
    from cjmsite.mapsvg.layout import EMOTION_H, Point, layout

    root = write_files(tmp_path / "crowd", CROWD)
    result = check(root)
    assert not result.report.errors, result.report
    journey = result.site.journeys["crowd"]
    assert journey.measured  # the measured curve is drawn
    box = layout(journey, Context(result.site, "en", translator("en"), "../../"))
    emotion = box.emotion
    points = [p for curve in emotion.curves for p in curve]
    assert len(points) == 8 * 3 + 3 + 2
    measured = [m for curve in emotion.measured for m in curve]
    assert [m.label for m in measured] == ["CSAT 4.0", "CSAT 4.0", "CSAT 1.0", "CSAT 3.5"]
    assert [m.level for m in emotion.evidence] == ["measured"] * 4 + ["evidenced"]
    # Boxes measured here, not by the code under test: markers 7.5 px from their centre
    # (8 for the measured diamond with its stroke), labels 11 px bold text, 7 px a glyph;
    # evidence marks 10.5 px text, 6.3 px a glyph, with their shape before them.
    marks = [(p.x - 7.5, p.y - 7.5, p.x + 7.5, p.y + 7.5) for p in points]
    marks += [(m.x - 8, m.y - 8, m.x + 8, m.y + 8) for m in measured]
    for m in emotion.evidence:
        half = 3.15 * max(len(line) for line in m.lines)
        marks.append((m.x - 3.15 * len(m.lines[0]) - 12, emotion.y + 10, m.x + half,
                      emotion.y + 18 + 16 * (len(m.lines) - 1)))
    labels = []
    for p in [*points, *measured]:
        assert p.label_dy is not None, ("no label", p)
        x, base = p.x + p.label_dx, p.y + p.label_dy
        if isinstance(p, Point):
            half = 3.6 * len(f"{p.score:+d}" if p.score else "0")
            left, width = box.xs[p.stage], box.widths[p.stage]
        else:
            half = 3.6 * len(p.label)
            left = max(x for x in box.xs if x <= p.x)
            width = box.widths[box.xs.index(left)]
        label = (x - half, base - 8, x + half, base)
        assert left <= label[0] and label[2] <= left + width, ("outside its column", p)
        assert emotion.y <= label[1] and label[3] <= emotion.y + EMOTION_H, ("outside", p)
        assert not [m for m in marks if _overlap(label, m)], ("covers a point", p)
        assert not [o for o in labels if _overlap(label, o)], ("covers a label", p)
        labels.append(label)


# Six stages of about 230 px (a 62-character action each), as a telecom site's were; one
# phase over the first five, so its name has to travel when the map scrolls.
SIX = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/journeys/switch/index.md": "---\ntitle: Switching provider\npersona: ana\n"
                                        "objective: Keep customers who move\n"
                                        "phases: [Deciding to move, Settling in]\n---\n",
    **{f"content/journeys/switch/0{n}-step{n}.md":
       f"---\ntitle: Step {n}\nphase: {'Deciding to move' if n < 6 else 'Settling in'}\n"
       f"emotion: {(n % 5) - 2}\nactions: [Compares the offers of three providers on the "
       f"web one by one {n}]\n---\n" for n in range(1, 7)},
}


def _page(browser, width: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    return context, context.new_page()


_MAP_STATE = """() => {
    const box = document.querySelector('.map-scroll'), svg = box.querySelector('svg');
    const shown = svg.getBoundingClientRect(), seen = box.getBoundingClientRect();
    return {fit: box.classList.contains('fit'), text: 13 * shown.width / svg.viewBox.baseVal.width,
            right: shown.right, boxRight: seen.right, boxWidth: box.clientWidth,
            button: !document.querySelector('[data-fit]').hidden};
}"""


def test_a_six_stage_map_fits_a_wide_screen_at_once(tmp_path: Path, browser,
                                                    example_build: Path) -> None:
    out = _built(tmp_path, SIX)
    context, page = _page(browser, 1440)
    page.goto((out / "journeys/switch/index.html").as_uri())
    state = page.evaluate(_MAP_STATE)
    assert state["fit"] and state["text"] >= 11, state  # all six stages, text ≥ 11 px
    assert state["right"] <= state["boxRight"] + 1 and state["button"], state
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440  # no page scroll
    # Ten stages would shrink the text under 11 px: the map scrolls, the button fits it.
    page.goto((example_build / "journeys/experiencia-global/index.html").as_uri())
    state = page.evaluate(_MAP_STATE)
    assert not state["fit"] and round(state["text"], 3) == 13 and state["button"], state
    context.close()


def test_on_a_phone_labels_are_narrow_and_the_phase_name_stays_in_view(
        tmp_path: Path, browser) -> None:
    out = _built(tmp_path, SIX)
    context, page = _page(browser, 390)
    page.goto((out / "journeys/switch/index.html").as_uri())
    box = page.locator(".map-scroll")
    box.scroll_into_view_if_needed()
    column = page.evaluate("""() => document.querySelector('.lane-label rect')
        .getBoundingClientRect().width""")
    assert column <= 0.25 * 390, column  # was 150 px: 38% of the screen
    names = page.evaluate("""() => [...document.querySelectorAll('.lane-label')]
        .filter(g => g.getBoundingClientRect().height > 0)
        .map(g => [...g.querySelectorAll('text')].filter(t => getComputedStyle(t).display
        !== 'none').map(t => t.getBoundingClientRect().right))""")
    assert all(len(shown) == 1 and shown[0] <= box.bounding_box()["x"] + column + 1
               for shown in names), names  # one name each, inside the narrow column
    for left in (0, 400, 800):
        box.evaluate(f"e => {{ e.scrollLeft = {left}; }}")
        page.wait_for_timeout(100)
        name = page.evaluate("""() => { const t = [...document.querySelectorAll('.phase text')]
            .find(t => t.textContent === 'Deciding to move').getBoundingClientRect();
            return [t.left, t.right]; }""")
        seen = box.bounding_box()
        assert seen["x"] + column <= name[0] and name[1] <= seen["x"] + seen["width"], \
            (left, name, seen)
    context.close()


def test_mkdocs_maps_get_the_same_fit_control(tmp_path: Path, browser) -> None:
    from test_bridges import _mkdocs, _mkdocs_site, _served

    root = _mkdocs_site(tmp_path, "mkdocs")
    result = _mkdocs(root)
    assert result.returncode == 0, result.stderr
    with _served(root / "site") as base:
        context, page = _page(browser, 800)  # a laptop window beside the editor
        page.goto(base + "guide/visits/")
        page.wait_for_load_state("load")
        button = page.locator(".cjm-embed [data-fit]")
        state = page.evaluate(_MAP_STATE.replace("document.querySelector('[data-fit]')",
                                                 "document.querySelector('.cjm-embed "
                                                 "[data-fit]')"))
        # The theme's column is narrow: fitted only if its text stays ≥ 11 px, and the
        # button switches either way.
        assert state["fit"] == (state["text"] < 13) and state["button"], state
        was = state["fit"]
        button.click()
        state = page.evaluate(_MAP_STATE)
        assert state["fit"] != was and button.get_attribute("aria-pressed") == \
            ("true" if state["fit"] else "false")
        if state["fit"]:
            assert state["right"] <= state["boxRight"] + 1 and state["text"] < 13
        context.close()


_PIXEL = """async url => {
    const img = new Image(); img.src = url; await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
    const at = (x, y) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
    // The background, and the darkest or lightest pixel of the title's first line.
    const row = ctx.getImageData(0, 40, img.width, 60).data;
    let ink = 0;
    for (let i = 0; i < row.length; i += 4) ink = Math.max(ink, Math.abs(row[i] - row[0]));
    return {size: [img.width, img.height], corner: at(2, 2), ink: ink};
}"""


def test_download_png_draws_the_map_file_at_twice_its_size(tmp_path: Path, browser) -> None:
    import base64
    import re

    out = _built(tmp_path, SIX)
    svg = (out / "journeys/switch/map.svg").read_text(encoding="utf-8")
    width, height = (float(v) for v in re.search(
        r'<svg [^>]*?height="([0-9.]+)"[^>]*? width="([0-9.]+)"', svg).groups()[::-1])
    for scheme, background in (("light", [255, 255, 255]), ("dark", [13, 17, 23])):
        context, page = _page(browser, 1280, scheme)
        page.goto((out / "journeys/switch/index.html").as_uri())
        button = page.get_by_role("button", name="Download PNG")
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == "switch-map.png"
        data = (tmp_path / f"{scheme}.png")
        download.value.save_as(data)
        assert data.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shown = page.evaluate(_PIXEL, "data:image/png;base64,"
                              + base64.b64encode(data.read_bytes()).decode())
        # The title block and the map, as map.svg has them, at twice the size; light or
        # dark as the page was; the title is drawn (its ink differs from the background).
        assert shown["size"] == [round(width * 2), round(height * 2)], (shown, width, height)
        assert shown["corner"] == background and shown["ink"] > 100, shown
        context.close()


def test_the_journey_table_is_cards_on_a_phone(example_build: Path, browser) -> None:
    context, page = _page(browser, 390)
    for rel in ("index.html", "journeys/index.html", "personas/carla-conductora/index.html"):
        page.goto((example_build / rel).as_uri())
        state = page.evaluate("""() => {
            const wrap = document.querySelector('.journey-table').parentElement;
            const cells = [...document.querySelectorAll('.journey-table tbody tr:first-child td')];
            return {page: document.documentElement.scrollWidth,
                    wrap: [wrap.scrollWidth, wrap.clientWidth],
                    status: document.querySelector('.journey-table .status-published')
                        .getBoundingClientRect().right,
                    objective: cells[1].getBoundingClientRect().width,
                    labels: cells.map(c => getComputedStyle(c, '::before').content)};
        }""")
        assert state["page"] <= 390 and state["wrap"][0] <= state["wrap"][1], (rel, state)
        # The status in view, the objective not one word a line.
        assert state["status"] <= 390 and state["objective"] > 250, (rel, state)
        assert state["labels"][:3] == ['"Persona: "', '"Objetivo: "', '"Estado: "'], state
    context.close()


def _contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_COLOURS = """() => {
    const rgb = s => s.match(/[0-9.]+/g).slice(0, 3).map(Number);
    const bg = rgb(getComputedStyle(document.body).backgroundColor);
    const style = sel => getComputedStyle(document.querySelector(sel));
    const before = style('svg path.before');
    return {bg: bg, key: rgb(style('svg text.key').fill),
            after: rgb(style('svg path.after').stroke), before: rgb(before.stroke),
            opacity: Number(before.opacity)};
}"""


def test_diff_report_and_survey_page_pass_axe_and_fit_a_phone(tmp_path: Path,
                                                              browser) -> None:
    import shutil

    import pytest
    from conftest import commit, edit, git
    from test_diff import BASE

    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()

    repo = write_files(tmp_path / "repo", BASE)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "first")
    edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: -2")
    shutil.copy(repo / "content/journeys/buy/03-leave.md",
                repo / "content/journeys/buy/04-return.md")
    report = tmp_path / "report.html"
    assert run("diff", "-C", str(repo), "--format", "html", "-o", str(report)).exit_code == 0
    survey = _built(tmp_path) / "surveys/nps/index.html"
    for scheme in ("light", "dark"):
        for width in (1280, 390):
            context, page = _page(browser, width, scheme)
            for target in (report, survey):
                page.goto(target.as_uri())
                serious = [v["id"] for v in axe.run(page).response["violations"]
                           if v["impact"] in ("serious", "critical")]
                assert serious == [], (target.name, scheme, width, serious)
                if width == 390:  # every chart in the width: no sideways scrolling
                    boxes = page.evaluate("""() => [...document.querySelectorAll(
                        '.chart, .trend-scroll')].map(b => [b.scrollWidth, b.clientWidth])""")
                    assert boxes and all(s <= c for s, c in boxes), (target.name, boxes)
                    assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.goto(report.as_uri())
            colours = page.evaluate(_COLOURS)
            bg = colours["bg"]
            seen_before = [o * colours["opacity"] + b * (1 - colours["opacity"])
                           for o, b in zip(colours["before"], bg, strict=True)]
            assert _contrast(colours["key"], bg) >= 4.5, (scheme, colours)
            assert _contrast(colours["after"], bg) >= 3, (scheme, colours)
            assert _contrast(seen_before, bg) >= 3, (scheme, colours)
            context.close()
