"""Front matter is always escaped; Markdown bodies are sanitised unless the site opts in."""

from __future__ import annotations

import json

from conftest import SVG_NS, parse_html, parse_svg, run

EVIL = '<script>alert("x")</script> & "quotes" \'single\''
Q = json.dumps(EVIL)  # a YAML double-quoted scalar


def _evil_site(make_site, config: str = ""):
    return make_site({
        "cjmsite.toml": config,
        "content/personas/ana.md": f"---\nname: {Q}\nrole: '<b>bold</b>'\n---\n"
                                   "Hi <script>alert(1)</script><img src=x onerror=alert(2)> "
                                   "[link](javascript:alert(3)) <em>ok</em>\n",
        "content/journeys/buy/01-call.md": f"---\ntitle: {Q}\ntouchpoints: [phone]\n"
                                           f"emotion: 1\nthoughts: {Q}\n"
                                           f"gaps:\n  - title: {Q}\n---\n",
    })


def test_front_matter_is_escaped_in_html_and_svg(make_site) -> None:
    site = _evil_site(make_site)
    assert run("build", str(site)).exit_code == 0
    for page in site.glob("output/**/*.html"):
        raw = page.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in raw, page
        assert "<b>bold</b>" not in raw, page
    doc = parse_html(site / "output/journeys/buy/index.html")
    assert not doc.xpath("//script[contains(., 'alert')]")
    assert EVIL in doc.xpath("//article//h3")[0].text_content()
    svg = parse_svg((site / "output/journeys/buy/map.svg").read_bytes())
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text")]
    assert any('<script>alert("x")' in t for t in texts)
    assert not list(svg.iter(f"{SVG_NS}script"))


def test_markdown_body_is_sanitised(make_site) -> None:
    site = _evil_site(make_site)
    assert run("build", str(site)).exit_code == 0
    raw = (site / "output/personas/ana/index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in raw and "onerror" not in raw and "javascript:" not in raw
    assert "<em>ok</em>" in raw


def test_unsafe_html_opt_in_keeps_raw_html(make_site) -> None:
    site = _evil_site(make_site, "[site]\nunsafe_html = true\n")
    assert run("build", str(site)).exit_code == 0
    raw = (site / "output/personas/ana/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in raw
    assert '<script>alert("x")' not in raw  # front matter stays escaped even then
