"""Evidence (evidence-format.md): insights as files, citing them from stages, pain points,
thoughts and gaps, the three evidence levels, the corrected measured curve, insight pages
and public builds that carry no internal byte."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import build_fails, copy_example, parse_html, parse_svg, run

from cjmsite.content.evidence import assumed_stages, stage_evidence
from cjmsite.i18n import translator
from cjmsite.mapsvg.blocks import Context
from cjmsite.mapsvg.layout import layout

INSIGHT = """
    ---
    title: Callers wait too long
    source: {source}
    date: {date}
    participants: 6
    quotes: ["I waited twenty minutes"]
    stages: [buy/call]
    tags: [waiting]
    ---
    Six interviews.
    """


def _insight(name: str, source: str = "interview", date: str = "2026-05-01") -> dict[str, str]:
    return {f"content/insights/{name}.md": INSIGHT.format(source=source, date=date)}


def _load(root: Path):
    from cjmsite.config import load_config
    from cjmsite.diagnostics import Report
    from cjmsite.pipeline.load import load_site

    report = Report()
    site = load_site(load_config(root, report), report)
    return site, report


def test_an_insight_is_read_with_spanish_source_words(make_site) -> None:
    root = make_site(_insight("calls", source="Ticket de soporte"))
    site, report = _load(root)
    assert not report.items, report.items
    insight = site.insights["calls"]
    assert (insight.kind, insight.participants, insight.stages) == ("support-ticket", 6,
                                                                    ["buy/call"])
    # Naming the stage counts as cited by it.
    assert site.journeys["buy"].stages[0].insights == ["calls"]


def test_bad_insights_are_reported_each_at_its_line(make_site) -> None:
    root = make_site({"content/insights/bad.md": """
        ---
        title: Bad
        source: intervew
        participants: 2.5
        stages: [buy/cal, buy]
        personas: [anna]
        link: javascript:alert(1)
        ---
        """})
    output = build_fails(root)
    for message in ("bad.md:3: error: 'source' is 'intervew', not one of",
                    "(did you mean 'interview'?)",
                    "bad.md:1: error: missing required field 'date'",
                    "bad.md:4: error: 'participants' is 2.5, not a whole number",
                    "bad.md:5: error: unknown stage 'buy/cal' (did you mean 'buy/call'?)",
                    "bad.md:5: error: 'stages[1]' is 'buy': name a stage as <journey>/<stage>",
                    "bad.md:6: error: unknown persona 'anna' (did you mean 'ana'?)",
                    "bad.md:7: error: 'link' is 'javascript:alert(1)': only http"):
        assert message in output, output


def test_unknown_evidence_ids_are_errors_with_did_you_mean(make_site) -> None:
    root = make_site({**_insight("calls-wait"), "content/journeys/buy/01-call.md": """
        ---
        title: Call
        emotion: -1
        thoughts: {text: Why so long?, evidence: [calls-wiat]}
        pain_points:
          - Hold music
          - {text: Twenty minutes on hold, evidence: [call-wait]}
        evidence: [Ticket number, calls-wai, interview-2]
        gaps:
          - title: Nobody answers
            evidence: [callswait]
        ---
        """})
    output = build_fails(root)
    for line, ref in ((4, "calls-wiat"), (7, "call-wait"), (8, "calls-wai"),
                      (8, "interview-2"), (11, "callswait")):
        assert f"01-call.md:{line}: error: unknown insight '{ref}'" in output, output
    assert "did you mean 'calls-wait'?" in output
    # Blueprint text in the same list is not an id.
    assert "'Ticket number'" not in output


def test_citations_from_every_place_make_the_stage_evidenced(make_site) -> None:
    root = make_site({**_insight("a", "interview", "2026-01-01"),
                      **_insight("b", "analytics", "2026-03-01"),
                      **_insight("c", "interview", "2024-01-01"),
                      "content/journeys/buy/01-call.md": """
        ---
        title: Call
        emotion: -1
        thoughts: {text: Slow, evidence: a}
        pain_points: [{text: Hold, evidence: [b]}]
        evidence: [Receipt, c]
        ---
        """, "content/journeys/buy/02-pay.md": "---\ntitle: Pay\nemotion: 1\n---\n"})
    for rel in ("a", "b", "c"):  # none names the stage: citations alone
        path = root / f"content/insights/{rel}.md"
        path.write_text(path.read_text().replace("stages: [buy/call]\n", ""))
    site, report = _load(root)
    assert not report.items, report.items
    call, pay = site.journeys["buy"].stages
    assert call.insights == ["b", "a", "c"]  # newest first
    assert call.cites == ["c"] and call.proof == ["Receipt"]
    found = stage_evidence(site, call)
    assert (found.level, found.n, found.kinds) == ("evidenced", 3, 2)
    assert stage_evidence(site, pay).level == "assumed"
    assert assumed_stages(site, site.journeys["buy"]) == [pay]
    # Older than the limit, the insights count as absent: nothing is evidenced then.
    import datetime as dt
    today = dt.date(2027, 6, 1)
    assert stage_evidence(site, call, today, 365).n == 0
    assert assumed_stages(site, site.journeys["buy"], today, 365) == []


def _nps_site(make_site, nps_rows: list[int]) -> Path:
    rows = "\n".join(f"2026-0{1 + i % 3}-10,buy,call,{score}" for i, score in enumerate(nps_rows))
    return make_site({
        "content/surveys/nps.md": """
            ---
            title: Post-call NPS
            metric: nps
            columns: {score: score, date: date, journey: journey, stage: stage}
            ---
            """,
        "content/surveys/nps.csv": "date,journey,stage,score\n" + rows + "\n",
        "content/journeys/buy/01-call.md": "---\ntitle: Call\nemotion: 1\n---\n",
    })


def test_a_stage_with_nps_minus_62_sits_below_neutral(make_site) -> None:
    # 8 promoters, 14 passives, 58 detractors (all 6s) of 80: NPS (8 - 58) / 80 = -62.5,
    # shown as -62; the raw mean 6.75 on 0-10 mapped linearly gave +0.7, above neutral.
    scores = [10] * 8 + [8] * 14 + [6] * 58
    root = _nps_site(make_site, scores)
    site, report = _load(root)
    assert not [d for d in report.items if d.level == "error"], report.items
    journey = site.journeys["buy"]
    score, n = journey.measured[0].points["call"]
    assert n == 80
    assert score == pytest.approx(-62 / 50)
    t = translator("en")
    box = layout(journey, Context(site, "en", t, "../../"))
    emotion = box.emotion
    point = emotion.measured[0][0]
    assert point.y > emotion.ys[0]  # below the neutral line
    assert point.label in ("NPS −62", "NPS −63")
    # The label is placed, and covers no marker: the authored point of the same stage
    # sits elsewhere.
    assert point.label_dy is not None
    authored = emotion.curves[0][0]
    lx, ly = point.x + point.label_dx, point.y + point.label_dy
    assert not (abs(lx - authored.x) < 8 and abs(ly - authored.y) < 8)
    names = [entry.name for entry in box.legend if entry.measured]
    assert names == ["Measured: Post-call NPS (plotted as NPS ÷ 50)"]


def test_csat_and_ces_map_their_own_figures(make_site) -> None:
    from cjmsite.figures import Figure
    from cjmsite.surveys.compute import measured_emotion

    figure = Figure("stage", "x", None, 10, 0.0, None, 3.1)
    assert measured_emotion(figure, "csat", (1, 5)) == pytest.approx(0.1)
    figure = Figure("stage", "x", None, 10, 0.0, None, 5.5)
    assert measured_emotion(figure, "ces", (1, 7)) == pytest.approx(1.0)
    figure = Figure("stage", "x", None, 10, -150.0, None, 1.0)
    assert measured_emotion(figure, "nps", (0, 10)) == -2.0  # clamped


def test_insight_pages_index_search_and_metrics(example_build: Path) -> None:
    page = parse_html(example_build / "insights/entrevistas-espera-recepcion/index.html")
    assert page.xpath("//blockquote[contains(@class,'verbatim')]")
    backs = [a.get("href") for a in page.xpath("//ul[@class='cited-by']//a")]
    assert "../../journeys/recepcion-y-facturacion/index.html#stage-espera-en-recepcion" in backs
    for href in backs:  # every back-link leads to a page that holds its anchor
        path, _, anchor = href.partition("#")
        target = (example_build / "insights/entrevistas-espera-recepcion" / path).resolve()
        assert target.is_file(), href
        assert not anchor or parse_html(target).get_element_by_id(anchor) is not None, href
    index = parse_html(example_build / "insights/index.html")
    rows = index.xpath("//table[@id='insight-table']/tbody/tr")
    assert len(rows) == 4
    assert {r.get("data-source") for r in rows} >= {"interview", "support-ticket", "analytics"}
    assert index.xpath("//select[@name='tag']/option[@value='tiempos de espera']")
    shard = (example_build / "search/others.js").read_text(encoding="utf-8")
    assert "insights/entrevistas-espera-recepcion/index.html" in shard
    records = json.loads((example_build / "metrics.json").read_text())["metrics"]
    evidence = {r["id"]: r for r in records if r["metric"] == "evidence"}
    wait = evidence["recepcion-y-facturacion/espera-en-recepcion"]
    assert (wait["scope"], wait["n"], wait["value"]) == ("stage", 2, 2)
    journey = parse_html(example_build / "journeys/recepcion-y-facturacion/index.html")
    research = journey.get_element_by_id("research-espera-en-recepcion")
    times = research.xpath(".//time/@datetime")
    assert times == sorted(times, reverse=True)  # newest first
    assert "entrevista" in research.text_content()


def test_the_map_marks_three_levels_in_words_and_shapes(example_build: Path) -> None:
    svg = parse_svg((example_build / "journeys/recepcion-y-facturacion/map.svg").read_bytes())
    ns = {"s": "http://www.w3.org/2000/svg"}
    marks = svg.xpath("//s:g[@data-evidence]", namespaces=ns)
    levels = {m.get("data-evidence") for m in marks}
    assert levels == {"measured", "evidenced", "assumed"}
    shapes = {m.get("data-evidence"): m[0].tag.rsplit("}", 1)[1] for m in marks}
    assert len(set(shapes.values())) == 3  # a different shape for each, not only a colour
    words = {m.get("data-evidence"): " ".join(m.itertext()) for m in marks}
    assert "Con evidencia" in words["evidenced"] and "2 fuentes · 2 tipos" in words["evidenced"]
    assert "Supuesto" in words["assumed"] and "Medido" in words["measured"]
    cites = svg.xpath("//s:a[@data-cites]", namespaces=ns)
    assert {c.get("data-cites") for c in cites} == {"1", "2"}
    href = next(c.get("{http://www.w3.org/1999/xlink}href") for c in cites
                if c.get("data-cites") == "1")
    assert href.startswith("../../insights/") and href.endswith("/index.html")


PLANTED = ("ZZSECRET-INSIGHT", "ZZSECRET-QUOTE", "ZZSECRET-JOURNEY", "ZZSECRET-PERSONA",
           "ZZSECRET-POINT", "ZZSECRET-COMMENT", "zzsecret-slug")


def test_a_public_build_carries_no_internal_byte(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site")
    (root / "cjmsite.toml").write_text((root / "cjmsite.toml").read_text().replace(
        'base_url = ""', 'base_url = "https://example.org/cx/"'), encoding="utf-8")
    files = {
        "content/insights/zzsecret-slug.md": """---
title: ZZSECRET-INSIGHT finding
source: interview
date: 2026-01-10
quotes: ["ZZSECRET-QUOTE said by a named person"]
stages: [recepcion-y-facturacion/llegada]
internal: true
---
Body.
""",
        "content/personas/zzsecret-p.md": "---\nname: ZZSECRET-PERSONA Pérez\n"
                                          "quote: ZZSECRET-QUOTE too\ninternal: true\n---\n",
        "content/touchpoints/zzsecret-t.md": "---\ntitle: ZZSECRET-POINT desk\nchannel: "
                                             "phone\ninternal: true\n---\n",
        "content/journeys/zzsecret-j/index.md": "---\ntitle: ZZSECRET-JOURNEY plan\npersona: "
                                                "carla-conductora\nobjective: x\n"
                                                "internal: true\n---\n",
        "content/journeys/zzsecret-j/01-a.md": "---\ntitle: A\nemotion: 1\n"
                                               "touchpoints: [zzsecret-t]\n---\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    # A public stage cites the internal insight and uses the internal touchpoint.
    stage = root / "content/journeys/recepcion-y-facturacion/01-llegada.md"
    stage.write_text(stage.read_text(encoding="utf-8").replace(
        "touchpoints: [", "touchpoints: [zzsecret-t, ").replace(
        "pain_points: [", "pain_points: [{text: Sin cartel, evidence: [zzsecret-slug]}, "),
        encoding="utf-8")
    # Survey comments from the internal journey and from a public one.
    (root / "content/surveys/zz.md").write_text(
        "---\ntitle: Quick CSAT\nmetric: csat\ncolumns: {score: s, journey: j, stage: st, "
        "comment: c}\n---\n", encoding="utf-8")
    (root / "content/surveys/zz.csv").write_text(
        "s,j,st,c\n2,zzsecret-j,a,ZZSECRET-COMMENT about a person\n"
        "4,recepcion-y-facturacion,llegada,Todo bien\n", encoding="utf-8")
    internal = run("build", str(root), "-o", str(tmp_path / "internal"))
    assert internal.exit_code == 0, internal.output
    seen = _strings_in(tmp_path / "internal")
    assert {"ZZSECRET-INSIGHT", "ZZSECRET-JOURNEY", "ZZSECRET-PERSONA",
            "ZZSECRET-POINT", "zzsecret-slug"} <= seen  # the test can see them
    result = run("build", str(root), "--audience", "public", "-o", str(tmp_path / "public"))
    assert result.exit_code == 0, result.output
    assert re.search(r"public audience: \d+ internal items left out", result.output)
    assert "5 internal items left out" in result.output  # 2 insights, journey, persona, point
    assert _strings_in(tmp_path / "public") == set()
    assert (tmp_path / "public/sitemap.xml").is_file()
    assert (tmp_path / "public/metrics.json").is_file()
    # The same through the config, and back: a switch never reuses the other's pages.
    (root / "cjmsite.toml").write_text((root / "cjmsite.toml").read_text().replace(
        "[site]", '[site]\naudience = "public"'), encoding="utf-8")
    assert run("build", str(root)).exit_code == 0
    assert _strings_in(root / "output") == set()


def _strings_in(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found |= {s for s in PLANTED if s.encode() in data}
        found |= {s for s in PLANTED if s in path.name}
    return found


def test_diff_reports_insights_and_changed_citations(make_site) -> None:
    from dataclasses import replace

    from cjmsite.history.compare import compare

    root = make_site({**_insight("a"), **_insight("b")})
    old, _ = _load(root)
    new, _ = _load(root)
    new.insights["a"] = replace(new.insights["a"], quotes=["Another verbatim"])
    del new.insights["b"]
    stage = new.journeys["buy"].stages[0]
    new.journeys["buy"].stages[0] = replace(stage, pain_points=["Hold"],
                                            pain_points_evidence=[["a"]])
    data = compare(old, new)
    assert data["insights"] == [{"id": "a", "status": "changed", "fields": ["quotes"]},
                                {"id": "b", "status": "removed", "fields": []}]
    assert data["journeys"][0]["stages"][0]["fields"] == ["pain_points"]
