"""Future-state maps: a to-be journey (`future_of`) draws its as-is curves faintly behind
its own, both pages link to each other, lists pair them, and diff compares the two."""

from __future__ import annotations

import json

from conftest import SVG_NS, build_fails, parse_html, parse_svg, run

TO_BE = {
    "content/journeys/buy-next/index.md": "---\ntitle: Buying, next year\npersona: ana\n"
                                          "objective: Buy faster\nfuture_of: buy\n---\n",
    "content/journeys/buy-next/01-call.md": "---\ntitle: Call\ntouchpoints: [phone]\n"
                                            "emotion: 2\n---\n",
    "content/journeys/buy/02-pay.md": "---\ntitle: Pay\nemotion: -1\n---\n",
    "content/journeys/buy-next/02-pay.md": "---\ntitle: Pay\nemotion: 1\n---\n",
    "content/journeys/buy-next/03-chat.md": "---\ntitle: Chat\nemotion: 2\n---\n",
    "content/journeys/other/index.md": "---\ntitle: Other\npersona: ana\nobjective: O\n---\n",
    "content/journeys/other/01-x.md": "---\ntitle: X\nemotion: 0\n---\n",
}


def test_to_be_map_draws_the_as_is_curve_and_pages_link_both_ways(make_site) -> None:
    site = make_site(TO_BE)
    assert run("build", str(site), "--strict").exit_code == 0
    svg = parse_svg((site / "output/journeys/buy-next/map.svg").read_bytes())
    ghosts = [p for p in svg.iter(f"{SVG_NS}path") if "as-is" in (p.get("class") or "")]
    assert len(ghosts) == 1  # ana's as-is curve, over the two stages both maps have
    assert ghosts[0].get("d").count("C") == 1
    plain = parse_svg((site / "output/journeys/buy/map.svg").read_bytes())
    assert not [p for p in plain.iter(f"{SVG_NS}path") if "as-is" in (p.get("class") or "")]
    to_be = parse_html(site / "output/journeys/buy-next/index.html")
    assert to_be.xpath("//dl[@class='facts']//a[@href='../buy/index.html']")
    as_is = parse_html(site / "output/journeys/buy/index.html")
    assert as_is.xpath("//dl[@class='facts']//a[@href='../buy-next/index.html']")
    rows = parse_html(site / "output/journeys/index.html").xpath("//tbody/tr/th//a/@href")
    assert rows == ["../journeys/buy/index.html", "../journeys/buy-next/index.html",
                    "../journeys/other/index.html"]  # the to-be map right after its as-is


def test_future_of_must_name_a_plain_journey(make_site) -> None:
    site = make_site({**TO_BE, "content/journeys/other/index.md":
                      "---\ntitle: Other\npersona: ana\nobjective: O\nfuture_of: buy-nxt\n---\n"})
    build_fails(site, "content/journeys/other/index.md:5: error: unknown journey 'buy-nxt' "
                      "(did you mean 'buy-next'?)")
    site = make_site({"content/journeys/other/index.md":
                      "---\ntitle: Other\npersona: ana\nobjective: O\nfuture_of: buy-next\n---\n"})
    build_fails(site, "'future_of' names 'buy-next', which is itself the to-be map of 'buy'")
    site = make_site({"content/journeys/other/index.md":
                      "---\ntitle: Other\npersona: ana\nobjective: O\nfuture_of: other\n---\n"})
    build_fails(site, "'future_of' names this journey itself")


def test_diff_compares_a_journey_with_its_to_be_map(make_site, tmp_path) -> None:
    site = make_site(TO_BE)
    result = run("diff", "-C", str(site), "--journeys", "buy", "buy-next", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["from"]["journey"] == "buy" and data["to"]["journey"] == "buy-next"
    [journey] = data["journeys"]
    assert journey["fields"] == ["title", "objective", "future_of"]
    assert journey["stages"] == [{"id": "call", "status": "changed", "fields": ["emotion"]},
                                 {"id": "pay", "status": "changed", "fields": ["emotion"]},
                                 {"id": "chat", "status": "added", "fields": []}]
    assert journey["emotion"][0] == {"stage": "call", "persona": "ana", "from": 1, "to": 2}
    assert "journey buy → journey buy-next" in run(
        "diff", "-C", str(site), "--journeys", "buy", "buy-next").output
    out = tmp_path / "r.html"
    assert run("diff", "-C", str(site), "--journeys", "buy", "buy-next", "--format", "html",
               "-o", str(out)).exit_code == 0
    assert "journey buy → journey buy-next" in out.read_text(encoding="utf-8")
    bad = run("diff", "-C", str(site), "--journeys", "buy", "buy-nxt")
    assert bad.exit_code == 1 and "unknown journey 'buy-nxt' (did you mean" in bad.output
