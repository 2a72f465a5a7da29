"""Map v2 and everyday use: blueprint lanes and lines, eight personas, Spanish values,
[labels], new warnings, the title block, sticky labels and fit-to-width, the gap index
(gaps.xlsx, owners, overdue, URL filters, phones, no layout shift) and the progress bar."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import parse_html, parse_svg, run, write_files

PERSONAS = ["ana", "bob", "carla", "dario", "elena", "fabio", "gema", "hugo"]
SVG = "{http://www.w3.org/2000/svg}"


def _fibre(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A telecom's fibre installation: eight personas, a service blueprint, Spanish
    values everywhere, a long moment label."""
    rng = random.Random(3)
    files = {f"content/personas/{p}.md": f"---\nname: {p.title()}\n---\n" for p in PERSONAS}
    files["content/touchpoints/tel.md"] = "---\ntitle: Línea\nchannel: Teléfono\n---\n"
    files["content/journeys/fibra/index.md"] = (
        "---\ntitle: Instalación de fibra\npersona: [" + ", ".join(PERSONAS) + "]\n"
        "objective: Entender la instalación\nphases: [Venta, Instalación]\nscope: proceso\n"
        "status: Borrador\n---\n")
    for i, title in enumerate(["Contrato", "Agenda", "Visita técnica"]):
        scores = "\n".join(f"  {p}: {rng.randint(-2, 2)}" for p in PERSONAS)
        files[f"content/journeys/fibra/0{i + 1}-s{i}.md"] = (
            f"---\ntitle: {title}\nmoment: \"Momento {i + 1} — Postventa y facturación con "
            f"un texto largo\"\nphase: {'Venta' if i < 2 else 'Instalación'}\n"
            f"emotion:\n{scores}\nevidence: [SMS de confirmación]\n"
            "frontstage: [Técnico llama al cliente]\nbackstage: [Asignación de cuadrilla]\n"
            "support: [Sistema de agenda]\nopportunities: [Agenda por WhatsApp]\n"
            "touchpoints: [tel]\ngaps:\n  - title: Demora\n    severity: Alta\n"
            "    actions:\n      - {title: Llamar antes, status: En curso, due: 2020-01-01}\n"
            "      - {title: Hecho ya, status: hecha, due: 2020-01-01}\n"
            "metrics:\n  - {name: Satisfacción, value: \"3,9\", target: \"4\"}\n---\n")
    return write_files(root, {**files, **(extra or {})})


@pytest.fixture
def fibre(tmp_path: Path) -> Path:
    root = _fibre(tmp_path / "fibra")
    result = run("build", "--strict", str(root))
    assert result.exit_code == 0, result.output  # Spanish values are values, even strict
    return root


def _map(root: Path):
    page = parse_html(root / "output/journeys/fibra/index.html")
    return page.xpath("//*[local-name()='svg' and contains(@class, 'cjm-map')]")[0]


def test_spanish_values_and_decimal_commas(fibre: Path) -> None:
    gaps = json.loads((fibre / "output/gaps.json").read_text(encoding="utf-8"))["gaps"]
    assert gaps[0]["severity"] == "high"  # exports keep the English codes
    assert [a["status"] for a in gaps[0]["actions"]] == ["in-progress", "done"]
    page = parse_html(fibre / "output/journeys/fibra/index.html")
    text = " ".join(page.text_content().split())
    assert "Satisfacción: 3.9" in text and "≥ 4" in text
    assert "Borrador" in text or "Draft" in text


def test_blueprint_lanes_and_lines_between_the_right_lanes(fibre: Path) -> None:
    svg = parse_svg((fibre / "output/journeys/fibra/map.svg").read_bytes())
    lanes = [g.get("data-lane") for g in svg.iter(f"{SVG}g") if g.get("data-lane")]
    for lane in ("evidence", "touchpoints", "emotion", "frontstage", "backstage", "support",
                 "gaps", "opportunities", "metrics"):
        assert lane in lanes, lane
    assert lanes.index("frontstage") < lanes.index("backstage") < lanes.index("support")
    tops = {g.get("data-lane"): float(g.find(f"{SVG}rect").get("y"))
            for g in svg.iter(f"{SVG}g") if g.get("data-lane")}
    lines = {g.get("data-line"): float(g.find(f"{SVG}line").get("y1"))
             for g in svg.iter(f"{SVG}g") if g.get("data-line")}
    assert lines == {"interaction": tops["frontstage"], "visibility": tops["backstage"],
                     "internal": tops["support"]}


def test_without_blueprint_fields_there_are_no_lines(make_site) -> None:
    root = make_site()
    assert run("build", str(root)).exit_code == 0
    page = parse_html(root / "output/journeys/buy/index.html")
    assert not page.xpath("//*[@data-line]") and not page.xpath("//*[@data-lane='support']")


def test_title_block_in_map_svg(fibre: Path) -> None:
    svg = parse_svg((fibre / "output/journeys/fibra/map.svg").read_bytes())
    texts = [t.text for t in svg.find(f"{SVG}g").iter(f"{SVG}text")]
    assert texts[0] == "Instalación de fibra"
    assert any("Ana, Bob" in t for t in texts) and any("Entender la" in t for t in texts)
    assert svg.find(f"{SVG}svg") is not None  # the map itself, nested unchanged


def test_new_warnings(tmp_path: Path) -> None:
    root = _fibre(tmp_path / "w", {
        "content/journeys/fibra/index.md": "---\ntitle: Fibra\npersona: [ana, bob]\n"
                                           "objective: X\nphases: [Venta, Postventa, "
                                           "Instalación]\n---\n",
        "content/journeys/fibra/01-s0.md": "---\ntitle: A\nphase: Instalación\n"
                                           "emotion: {ana: 1}\n---\n",
        "content/journeys/fibra/02-s1.md": "---\ntitle: B\nphase: Venta\n---\n",
        "content/journeys/fibra/03-s2.md": "---\ntitle: C\nphase: Instalación\n---\n"})
    result = run("build", str(root))
    out = result.output
    assert "content/journeys/fibra/01-s0.md:4: warning: emotion has no score for 'bob'" in out
    assert "content/journeys/fibra/index.md:5: warning: phase 'Postventa' is declared but " \
           "no stage" in out
    assert "content/journeys/fibra/02-s1.md:3: warning: stage 's1' is in phase 'Venta' " \
           "after a stage in phase 'Instalación'" in out
    assert out.rstrip().endswith("some content may be missing from the site, see the "
                                 "warnings above)")
    assert run("build", "--strict", str(root)).exit_code == 1


def test_labels_override_ui_words(tmp_path: Path) -> None:
    root = _fibre(tmp_path / "l", {"cjmsite.toml": "[site]\nlanguage = \"es\"\n[labels]\n"
                                                   "journey = \"Recorrido\"\n"
                                                   "journeys = \"Recorridos\"\nbogus = \"x\"\n"})
    result = run("build", str(root))
    assert "cjmsite.toml:6: warning: unknown label 'labels.bogus'" in result.output
    page = parse_html(root / "output/journeys/fibra/index.html")
    assert page.xpath("//p[@class='kicker']")[0].text_content().startswith("Recorrido ·")
    assert "Recorridos" in page.xpath("//nav[@class='mainnav']")[0].text_content()


def test_gaps_workbook_matches_the_csv(fibre: Path) -> None:
    import csv

    from openpyxl import load_workbook

    book = load_workbook(fibre / "output/gaps.xlsx", read_only=True)
    assert book.sheetnames == ["Gaps", "Actions"]
    actions = [list(row) for row in book["Actions"].iter_rows(values_only=True)]
    with (fibre / "output/gaps.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    head = actions[0]
    assert len(actions) == 1 + 3 * 2 and len(rows) == 3 * 2
    for cells, row in zip(actions[1:], rows, strict=True):
        record = dict(zip(head, cells, strict=True))
        for column in ("journey", "gap_id", "gap", "action", "action_owner", "action_status"):
            assert (record[column] or "") == row[column], column
        assert record["overdue"] is (row["overdue"] == "true")
    gaps = list(book["Gaps"].iter_rows(values_only=True))
    assert len(gaps) == 1 + 3
    first = (fibre / "output/gaps.xlsx").read_bytes()
    assert run("build", "--strict", str(fibre)).exit_code == 0
    (fibre / "output/gaps.xlsx").unlink()
    assert run("build", "--strict", str(fibre)).exit_code == 0
    assert (fibre / "output/gaps.xlsx").read_bytes() == first  # deterministic


def test_actions_by_owner(fibre: Path) -> None:
    page = parse_html(fibre / "output/gaps/index.html")
    owners = page.xpath("//section[@id='by-owner']//h3")
    assert [" ".join(h.text_content().split()) for h in owners] == ["No owner yet (6)"]


def test_progress_phases_on_a_large_build(tmp_path: Path) -> None:
    from cjmsite.commands.build import build
    from cjmsite.progress import MIN_ITEMS, Progress, for_terminal

    class Recorder(Progress):
        def __init__(self) -> None:
            self.phases: list[tuple[str, int]] = []
            self.done = 0

        def phase(self, label: str, total: int) -> None:
            self.phases.append((label, total))

        def advance(self, count: int = 1) -> None:
            self.done += count

    files = {f"content/touchpoints/t{i:04d}.md": f"---\ntitle: T {i}\nchannel: web\n---\n"
             for i in range(MIN_ITEMS + 20)}
    root = _fibre(tmp_path / "big", files)
    recorder = Recorder()
    assert build(root, progress=recorder).output is not None
    labels = dict(recorder.phases)
    assert labels["reading content"] > MIN_ITEMS and labels["rendering pages"] > MIN_ITEMS
    assert recorder.done == sum(labels.values())
    assert type(for_terminal(quiet=True)) is Progress  # quiet, or not a terminal: nothing


# -- in the browser ---------------------------------------------------------------------

def test_eight_personas_have_distinct_styles(fibre: Path, tab) -> None:
    tab.open((fibre / "output/journeys/fibra/index.html").as_uri())
    styles = tab.page.evaluate("""() => Array.from(document.querySelectorAll(
        'svg.cjm-map path[data-persona]')).map(p => {
            const s = getComputedStyle(p);
            return [p.dataset.persona, s.stroke, s.strokeDasharray];
        })""")
    assert [s[0] for s in styles] == PERSONAS
    assert len({s[1] for s in styles}) == 8 and len({s[2] for s in styles}) == 8
    markers = tab.page.evaluate("""() => Array.from(document.querySelectorAll(
        'svg.cjm-map .legend .pt')).map(m => {
            const b = m.getBBox();  // the shape, wherever it sits
            return m.tagName + ':' + (m.getAttribute('points') || '').split(' ').map(
                xy => xy.split(',').map((v, i) => Math.round(v - (i ? b.y : b.x))).join(','))
                .join(' ');
        })""")
    assert len(set(markers)) == 8  # eight marker shapes
    assert not tab.errors


def test_long_moment_labels_never_overlap(fibre: Path, tab) -> None:
    tab.open((fibre / "output/journeys/fibra/index.html").as_uri())
    boxes = tab.page.evaluate("""() => Array.from(document.querySelectorAll(
        'svg.cjm-map .stage text')).map(t => {
            const b = t.getBBox();
            return [t.closest('.stage').id, b.x, b.y, b.x + b.width, b.y + b.height];
        })""")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[0] != b[0]:  # texts of different stages never share pixels
                assert a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2], (a, b)


def test_sticky_labels_and_fit_to_width(fibre: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 600, "height": 900})
    page.goto((fibre / "output/journeys/fibra/index.html").as_uri())
    left = page.eval_on_selector(".map-scroll", "e => { e.scrollLeft = 200; return "
                                                 "e.scrollLeft; }")
    page.wait_for_function("document.querySelector('.lane-labels').getAttribute('transform')")
    assert left > 100 and page.eval_on_selector(
        ".lane-labels", "e => e.getAttribute('transform')") == f"translate({left:.1f} 0)"
    button = page.locator("[data-fit]")
    assert button.is_visible()
    button.click()
    widths = page.evaluate("""() => [document.querySelector('.map-scroll svg')
        .getBoundingClientRect().width, document.querySelector('.map-scroll').clientWidth]""")
    assert widths[0] <= widths[1] + 1 and button.get_attribute("aria-pressed") == "true"
    page.close()


def test_gap_index_overdue_filters_in_url_phone_and_no_shift(fibre: Path, browser) -> None:
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(Quiet, directory=str(fibre / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/gaps/index.html"
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.add_init_script("""window.__shift = 0; new PerformanceObserver(list => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({type: 'layout-shift', buffered: true});""")
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__shift") < 0.01
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        overdue = page.evaluate("""() => Array.from(document.querySelectorAll(
            '#gap-table time.overdue')).map(t => t.closest('li').textContent)""")
        assert overdue and all("Llamar antes" in text for text in overdue)  # not the done one
        page.select_option("select[name=severity]", "high")
        assert "severity=high" in page.url
        page.reload()
        page.wait_for_load_state("load")
        assert page.eval_on_selector("select[name=severity]", "s => s.value") == "high"
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_gaps_workbook_follows_a_labels_change(fibre: Path) -> None:
    from openpyxl import load_workbook

    assert load_workbook(fibre / "output/gaps.xlsx").sheetnames == ["Gaps", "Actions"]
    (fibre / "cjmsite.toml").write_text("[labels]\nsheet_gaps = \"Brechas\"\n",
                                        encoding="utf-8")
    assert run("build", str(fibre)).exit_code == 0  # incremental, caches warm
    assert load_workbook(fibre / "output/gaps.xlsx").sheetnames == ["Brechas", "Actions"]
