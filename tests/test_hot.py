"""Serve's quick pass (cjmsite.live.hot) and the in-place page update: what they show must
be exactly what the full build and a fresh page load show."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import copy_example, edit
from test_serve import Live, _wait_for

from cjmsite.commands.build import build
from cjmsite.commands.serve import Preview
from cjmsite.live.hot import quick_pass

JOURNEY = "content/journeys/experiencia-global"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "site")


def _edit(root: Path, rel: str, old: str, new: str) -> str:
    return edit(root, rel, old, new, count=1)


def _first_stage(root: Path) -> str:
    return sorted(p.relative_to(root).as_posix()
                  for p in (root / JOURNEY).glob("0*.md"))[0]


@pytest.mark.parametrize("change", ["stage title", "journey title", "emotion", "new gap"])
def test_quick_pass_writes_what_the_full_build_writes(example: Path, change: str) -> None:
    """Stage and journey edits (survey-measured stages included) give the bytes that the
    full rebuild then writes, and those are a clean build's bytes."""
    preview = Preview(example)
    try:
        assert preview.rebuild()
        stage = _first_stage(example)
        text = (example / stage).read_text(encoding="utf-8")
        if change == "stage title":
            path = _edit(example, stage, "title: ", "title: Ñandú ✨ ")
        elif change == "journey title":
            path = _edit(example, f"{JOURNEY}/index.md", "title: ", "title: Nuevo ")
        elif change == "emotion":
            current = re.search(r"^  carla-conductora: (.+)$", text, re.M)
            assert current is not None
            path = _edit(example, stage, current.group(0), "  carla-conductora: -2")
        else:
            path = _edit(example, stage, "\n---\n", "\ngaps:\n  - title: Hueco nuevo\n"
                                                    "    severity: high\n---\n") \
                if "gaps:" not in text else _edit(example, stage, "gaps:\n",
                                                  "gaps:\n  - title: Hueco nuevo\n"
                                                  "    severity: high\n")
        outputs = quick_pass(preview.built, preview.session, {path})
        assert outputs, "the quick pass declined a plain journey edit"
        assert [rel for rel, _ in outputs] == ["journeys/experiencia-global/index.html",
                                               "journeys/experiencia-global/map.svg"]
        assert preview.rebuild({path}, False)
        clean = build(example, use_cache=False)
        assert clean.output is not None
        for rel, data in outputs:
            assert data == (preview.site / rel).read_bytes() == (clean.output / rel).read_bytes()
    finally:
        preview.close()


@pytest.mark.parametrize("case", ["new stage", "persona", "error", "theme", "renamed"])
def test_quick_pass_declines_what_it_cannot_be_sure_of(example: Path, case: str) -> None:
    preview = Preview(example)
    try:
        assert preview.rebuild()
        stage = _first_stage(example)
        if case == "new stage":
            path = example / JOURNEY / "99-nueva.md"
            path.write_text("---\ntitle: Nueva\n---\n", encoding="utf-8")
            changed = {str(path)}
        elif case == "persona":
            persona = sorted((example / "content/personas").glob("*.md"))[0]
            changed = {_edit(example, persona.relative_to(example).as_posix(), "name: ",
                             "name: X ")}
        elif case == "error":
            changed = {_edit(example, stage, "title: ", "title: [")}
        elif case == "theme":
            changed = {str(example / "themes/x/static/style.css")}
        else:
            source = example / stage
            source.rename(source.with_name("00-otra.md"))
            changed = {str(source), str(source.with_name("00-otra.md"))}
        assert quick_pass(preview.built, preview.session, changed) is None
    finally:
        preview.close()


def _dom(page) -> str:
    """The page as the reader has it, minus what only serve adds."""
    return page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('#cjmsite-overlay, script[src^="/__cjmsite/"]')
            .forEach(n => n.remove());
        body.querySelectorAll('details').forEach(d => d.removeAttribute('open'));
        return document.title + body.outerHTML;
    }""")


@pytest.mark.parametrize("url", ["journeys/experiencia-global/", "gaps/"])
def test_in_place_update_shows_what_a_fresh_load_shows(example: Path, browser, url: str
                                                        ) -> None:
    """The open tab is morphed, not reloaded: its scroll and open <details> stay, and
    what it shows is what a new tab opened on the same page shows."""
    live = Live(example)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{live.port}/{url}")
        page.evaluate("""() => {
            document.querySelectorAll('details').forEach(d => { d.open = true; });
            window.scrollTo(0, 600); window.cjmsiteSameTab = true; }""")
        events = live.events()
        next(events)
        stage = next(p.relative_to(example).as_posix()
                     for p in sorted((example / JOURNEY).glob("0*.md"))
                     if "\ngaps:\n  - title: " in p.read_text(encoding="utf-8"))
        _edit(example, stage, "\ntitle: ", "\ntitle: Renombrada ")
        _edit(example, stage, "\ngaps:\n  - title: ", "\ngaps:\n  - title: Hueco renombrado ")
        _wait_for(events, lambda e: e["build"] >= 2 and not e["busy"], timeout=60)
        page.wait_for_function("() => document.body.textContent.includes('Hueco renombrado')",
                               timeout=15000)
        page.wait_for_timeout(300)  # a second fetch, if one is under way, lands
        assert page.evaluate("window.cjmsiteSameTab"), "the page was reloaded"
        # Not back at the top: where the reader was (Chromium's scroll anchoring moves it
        # by what grew above the viewport, a line here).
        assert abs(page.evaluate("window.scrollY") - 600) < 60
        assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
        fresh = context.new_page()
        fresh.goto(f"http://127.0.0.1:{live.port}/{url}")
        fresh.evaluate("window.scrollTo(0, 600)")
        assert _dom(page) == _dom(fresh)
        context.close()
    finally:
        live.close()


def test_a_burst_of_500_saves_ends_on_the_last_one(example: Path, browser) -> None:
    live = Live(example)
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{live.port}/journeys/experiencia-global/")
        stage = example / _first_stage(example)
        original = stage.read_text(encoding="utf-8")
        for n in range(500):
            stage.write_text(original.replace("title: ", f"title: Ráfaga {n} ", 1),
                             encoding="utf-8")
        page.wait_for_function("() => document.body.textContent.includes('Ráfaga 499 ')",
                               timeout=60000)
        deadline = time.monotonic() + 60
        while live.preview.state.busy or live.watcher.watcher._pending.is_set():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)
        clean = build(example, use_cache=False)
        assert clean.output is not None
        served = sorted(p.relative_to(live.preview.site).as_posix()
                        for p in live.preview.site.rglob("*") if p.is_file())
        built = sorted(p.relative_to(clean.output).as_posix()
                       for p in clean.output.rglob("*") if p.is_file())
        assert served == built
        for rel in built:
            assert (live.preview.site / rel).read_bytes() == (clean.output / rel).read_bytes(), rel
        assert "Ráfaga 498 " not in page.text_content("body")
        page.close()
    finally:
        live.close()


@pytest.mark.parametrize("then", ["builds", "fails"])
def test_a_save_mid_rebuild_supersedes_it(example: Path, then: str) -> None:
    """A full rebuild given up for a newer save writes nothing; the next round rebuilds
    for both saves, or, when it fails, puts back every page the quick passes replaced."""
    preview = Preview(example)
    try:
        assert preview.rebuild()
        page = preview.site / "journeys/experiencia-global/index.html"
        original = page.read_bytes()
        stage = _first_stage(example)
        first = _edit(example, stage, "title: ", "title: Primera ")
        assert preview.rebuild({first}, False, superseded=lambda: True)
        assert "Primera" in page.read_text(encoding="utf-8")  # the quick pass showed it
        assert preview.state.busy
        if then == "builds":
            second = _edit(example, stage, "title: Primera ", "title: Segunda ")
            assert preview.rebuild({second}, False)
            clean = build(example, use_cache=False)
            assert clean.output is not None
            assert page.read_bytes() == (clean.output / "journeys/experiencia-global/"
                                                        "index.html").read_bytes()
            assert "Segunda" in page.read_text(encoding="utf-8")
        else:
            persona = sorted((example / "content/personas").glob("*.md"))[0]
            broken = _edit(example, persona.relative_to(example).as_posix(), "name: ",
                           "name: [")
            assert not preview.rebuild({broken}, False)
            assert page.read_bytes() == original
        assert not preview.state.busy
    finally:
        preview.close()
