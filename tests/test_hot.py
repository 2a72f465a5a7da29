"""Serve's quick pass (cjmsite.live.hot) and the in-place page update: what they show must
be exactly what the full build and a fresh page load show."""

from __future__ import annotations

import re
import shutil
import subprocess
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
        rel = "journeys/experiencia-global/index.html"
        page = preview.site / rel
        original = page.read_bytes()
        stage = _first_stage(example)
        first = _edit(example, stage, "title: ", "title: Primera ")
        assert preview.rebuild({first}, False, superseded=lambda: True)
        assert "Primera" in preview.served(rel).decode()  # the quick pass showed it
        assert page.read_bytes() == original  # from memory: the built files untouched
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
            assert preview.served(rel) == page.read_bytes() == original
            assert rel in preview.state.changed  # tabs showing the quick page fetch it
        assert not preview.state.busy
    finally:
        preview.close()


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_quick_pass_in_a_git_project_marks_the_saved_file_uncommitted(example: Path) -> None:
    """The page's "changes not committed" mark follows the save (the quick pass knows each
    file's blob in HEAD), and a save back to the committed text clears it."""
    _git(example, "init", "-q")
    _git(example, "add", "-A")
    _git(example, "commit", "-q", "-m", "uno")
    preview = Preview(example)
    try:
        assert preview.rebuild()
        stage = _first_stage(example)
        committed = (example / stage).read_text(encoding="utf-8")
        for text in (committed.replace("title: ", "title: Sin confirmar ", 1), committed):
            (example / stage).write_text(text, encoding="utf-8")
            outputs = quick_pass(preview.built, preview.session, {str(example / stage)})
            assert outputs
            assert preview.rebuild({str(example / stage)}, False)
            clean = build(example, use_cache=False)
            assert clean.output is not None
            for rel, data in outputs:
                assert data == (clean.output / rel).read_bytes(), rel
            page = dict(outputs)["journeys/experiencia-global/index.html"].decode("utf-8")
            assert ("sin confirmar" in page) == (text != committed)
    finally:
        preview.close()


def test_quick_pass_gives_up_on_a_template_that_does_not_end(example: Path,
                                                             monkeypatch) -> None:
    """A theme is project content: a loop in it must not hang serve in the quick pass
    (the full build then reports it, as `cjmsite build` does)."""
    theme = example / "themes/bucle/templates"
    theme.mkdir(parents=True)
    (theme / "journey.html").write_text(
        '{% extends "base.html" %}{% block content %}{% for s in journey.stages %}'
        '{% if "BUCLE" in s.title %}{% for i in range(100000) %}{% for j in range(100000) %}'
        '{% endfor %}{% endfor %}{% endif %}{{ s.title }}{% endfor %}{% endblock %}',
        encoding="utf-8")
    edit(example, "cjmsite.toml", 'theme = "default"', 'theme = "bucle"', count=1)
    monkeypatch.setattr("cjmsite.live.hot.QUICK_SECONDS", 0.5)
    preview = Preview(example)
    try:
        assert preview.rebuild()
        path = _edit(example, _first_stage(example), "title: ", "title: BUCLE ")
        started = time.monotonic()
        assert preview._quick({path}) == []
        assert time.monotonic() - started < 5
    finally:
        preview.close()


def test_tabs_refetch_a_quick_page_the_full_build_wrote_otherwise(example: Path,
                                                                  monkeypatch) -> None:
    """Should the quick pass ever disagree with the full build, the page goes back into
    the list tabs fetch, so an open tab still ends on the full build's bytes."""
    preview = Preview(example)
    try:
        assert preview.rebuild()
        page = "journeys/experiencia-global/index.html"
        monkeypatch.setattr("cjmsite.commands.serve.quick_pass",
                            lambda *args: [(page, b"<p>not what the build writes</p>")])
        path = _edit(example, _first_stage(example), "title: ", "title: Otra ")
        assert preview.rebuild({path}, False)
        assert page in preview.state.changed
        assert b"Otra" in (preview.site / page).read_bytes()
    finally:
        preview.close()


def test_a_failed_build_with_a_newer_save_waiting_shows_no_error(example: Path) -> None:
    """An editor truncates, then writes: a build can read the file in between. With a
    newer save waiting, its "missing front matter" is not flashed over the page."""
    preview = Preview(example)
    try:
        assert preview.rebuild()
        before = preview.state.build
        stage = example / _first_stage(example)
        text = stage.read_text(encoding="utf-8")
        stage.write_text("", encoding="utf-8")  # mid-save
        assert not preview.rebuild({str(stage)}, False, superseded=lambda: True)
        assert preview.state.build == before and preview.state.errors == []
        stage.write_text(text.replace("title: ", "title: Guardada ", 1), encoding="utf-8")
        assert preview.rebuild({str(stage)}, False)
        assert preview.state.errors == []
        assert "Guardada" in (preview.site / "journeys/experiencia-global/index.html"
                              ).read_text(encoding="utf-8")
    finally:
        preview.close()


def test_a_tab_on_a_removed_journey_ends_on_the_404_page(example: Path, browser) -> None:
    """What a fresh load of the address shows, without a reload of its own."""
    folder = example / "content/journeys/prueba"
    folder.mkdir()
    (folder / "index.md").write_text("---\ntitle: Prueba borrable\npersona: carla-conductora"
                                     "\nobjective: Borrarla\n---\n", encoding="utf-8")
    (folder / "01-a.md").write_text("---\ntitle: Única etapa\n---\n", encoding="utf-8")
    live = Live(example)
    try:
        page = browser.new_page()
        url = f"http://127.0.0.1:{live.port}/journeys/prueba/"
        page.goto(url)
        assert "Prueba borrable" in page.text_content("body")
        page.evaluate("window.cjmsiteSameTab = true")
        shutil.rmtree(folder)
        page.wait_for_function(
            "() => document.body.textContent.includes('Página no encontrada')", timeout=30000)
        assert page.evaluate("window.cjmsiteSameTab"), "patched in place, not reloaded"
        fresh = browser.new_page()
        assert fresh.goto(url).status == 404
        assert _dom(page) == _dom(fresh)
        page.close()
        fresh.close()
    finally:
        live.close()
