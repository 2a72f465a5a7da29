"""Incremental builds: only what changed is re-rendered, and the result equals a clean build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import copy_example
from test_build import snapshot

from cjmsite.commands.build import build


def _clean_build_equals(site: Path, tmp_path: Path, output: Path | None = None) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("output", ".cjmsite-cache"))
    assert build(clean).output is not None
    assert snapshot(output or site / "output") == snapshot(clean / "output")


def test_stage_edit_rerenders_only_what_shows_it(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    first = build(site)
    assert first.rendered == first.skipped + first.rendered and first.skipped == 0
    unchanged = build(site)
    assert unchanged.rendered == 0 and unchanged.files == 0
    stage = site / "content/journeys/recepcion-y-facturacion/03-servicio.md"
    stage.write_text(stage.read_text(encoding="utf-8").replace("Servicio en el box",
                                                               "Servicio en el box (editado)"),
                     encoding="utf-8")
    before = snapshot(site / "output")
    result = build(site)
    after = snapshot(site / "output")
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert "journeys/recepcion-y-facturacion/index.html" in changed
    assert "journeys/recepcion-y-facturacion/map.svg" in changed
    assert "touchpoints/whatsapp/index.html" in changed  # the stage uses it
    assert "touchpoints/jefe-de-taller/index.html" in changed
    assert "search/journeys-000.js" in changed  # the stage's new title is searchable
    assert "search_index.js" not in changed and "search/others.js" not in changed
    assert "journeys/experiencia-global/index.html" not in changed
    assert "touchpoints/caja/index.html" not in changed
    assert "personas/roberto-flota/index.html" not in changed
    assert "attention/index.html" in changed  # the stage is listed there (assumed emotion)
    # page, map, two touchpoint pages, a search shard, the attention page; and the
    # manifest of their hashes
    assert result.files == len(changed - {".cjmsite-manifest"}) == 6
    assert result.skipped >= 10
    _clean_build_equals(site, tmp_path)


def test_deleting_and_renaming_files_removes_their_pages(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    build(site)
    (site / "content/touchpoints/sitio-web.md").unlink()
    persona = site / "content/personas/roberto-flota.md"
    persona.rename(persona.with_name("roberto.md"))
    for path in (site / "content/journeys").glob("*/*.md"):  # every journey that names them
        path.write_text(path.read_text(encoding="utf-8").replace(", sitio-web", "")
                        .replace("roberto-flota", "roberto"), encoding="utf-8")
    for path in (site / "content/insights").glob("*.md"):  # insights name personas too
        path.write_text(path.read_text(encoding="utf-8").replace("[roberto-flota]", "[roberto]"),
                        encoding="utf-8")
    survey = site / "content/surveys/nps-postventa.md"  # its `values` name the persona too
    survey.write_text(survey.read_text(encoding="utf-8").replace(
        ": roberto-flota", ": roberto"), encoding="utf-8")
    result = build(site)
    assert result.output is not None, result.report.items
    assert not (site / "output/touchpoints/sitio-web").exists()
    assert not (site / "output/personas/roberto-flota").exists()
    assert (site / "output/personas/roberto/index.html").is_file()
    manifest = [line.split("  ", 1)[1] for line in
                (site / "output/.cjmsite-manifest").read_text().splitlines()]
    assert "personas/roberto-flota/index.html" not in manifest
    _clean_build_equals(site, tmp_path)


def test_theme_change_rerenders_and_missing_output_files_come_back(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    build(site)
    (site / "output/personas/carla-conductora/index.html").unlink()
    result = build(site)
    assert result.rendered == 1
    assert (site / "output/personas/carla-conductora/index.html").is_file()
    (site / "cjmsite.toml").write_text((site / "cjmsite.toml").read_text(encoding="utf-8")
                                       .replace('theme = "default"', 'theme = "mine"'),
                                       encoding="utf-8")
    (site / "themes/mine/templates").mkdir(parents=True)
    (site / "themes/mine/templates/404.html").write_text("mine")
    result = build(site)
    assert result.skipped == 0
    assert (site / "output/404.html").read_text() == "mine"
    _clean_build_equals(site, tmp_path)


def test_failed_incremental_build_touches_nothing(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    build(site)
    before = snapshot(site / "output")
    (site / "content/personas/carla-conductora.md").write_text("---\nname: [\n---\n")
    assert build(site).output is None
    assert snapshot(site / "output") == before


def _staging_folders(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".output."))


def test_incremental_builds_leave_no_staging_folder(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The linked copy of output/ is made while the changed jobs render (in a thread): a
    build that renders nothing new, or fails to render, drops it."""
    from cjmsite.render.renderer import SiteRenderer

    site = copy_example(tmp_path / "site")
    build(site)
    before = snapshot(site / "output")
    stage = site / "content/journeys/recepcion-y-facturacion/03-servicio.md"
    text = stage.read_text(encoding="utf-8")
    stage.write_text(text.replace("---\n", "---\n# a comment no page shows\n", 1),
                     encoding="utf-8")
    same = build(site)
    assert same.rendered > 0 and same.files == 0  # re-rendered, the same bytes
    assert snapshot(site / "output") == before and _staging_folders(site) == []
    run = SiteRenderer.run

    def failing(self, job):  # noqa: ANN001, ANN202
        if job[0] == "journey":
            raise RuntimeError("a theme bug")
        return run(self, job)

    monkeypatch.setattr(SiteRenderer, "run", failing)
    stage.write_text(text.replace("Servicio en el box", "Servicio editado"), encoding="utf-8")
    failed = build(site)
    assert failed.output is None and "a theme bug" in failed.report.errors[0].message
    assert snapshot(site / "output") == before and _staging_folders(site) == []


def test_serve_session_rebuilds_equal_clean_builds(tmp_path: Path) -> None:
    from cjmsite.incremental.caches import Caches

    site = copy_example(tmp_path / "site")
    session, out = Caches(in_memory=True), tmp_path / "served"
    assert build(site, session=session, output=out).output == out
    stage = site / "content/journeys/experiencia-global/06-diagnostico.md"
    text = stage.read_text(encoding="utf-8")
    edits = [text.replace("severity: medium", "severity: high"),
             text.replace("touchpoints: [jefe-de-taller, central-telefonica]",
                          "touchpoints: [whatsapp]"),
             text.replace("roberto-flota: feliz", "roberto-flota: mágica")]
    for edited in edits:
        stage.write_text(edited, encoding="utf-8")
        assert build(site, session=session, output=out).output == out
        _clean_build_equals(site, tmp_path, out)
    warn = site / "content/journeys/experiencia-global/03-reserva-de-cita.md"
    warn.write_text(warn.read_text(encoding="utf-8").replace("thoughts:", "thougts:"),
                    encoding="utf-8")
    first = build(site, session=session, output=out)
    stage.write_text(text, encoding="utf-8")
    second = build(site, session=session, output=out)
    assert [d.message for d in first.report.warnings] == \
        [d.message for d in second.report.warnings] == ["unknown field 'thougts' (did you "
                                                        "mean 'thoughts'?)"]


def test_whole_site_pages_reuse_pieces_only_while_what_they_show_is_unchanged(
        tmp_path: Path) -> None:
    """Home, journey list, gap index, exports and search are joined from cached per-journey
    pieces; edits to files a piece shows (a touchpoint's title in a gap row, a persona's
    name in a journey row) must reach it, from one CLI build to the next."""
    from cjmsite.store import cache_folder, read_file

    site = copy_example(tmp_path / "site")
    build(site)
    edits = [
        ("content/touchpoints/caja.md", "title: Caja y facturación", "title: Caja única"),
        ("content/personas/roberto-flota.md", "name: Roberto Mamani", "name: Roberto M."),
        ("content/journeys/recepcion-y-facturacion/04-pago-y-salida.md",
         "severity: high", "severity: low"),
    ]
    sizes = []
    for rel, old, new in edits:
        path = site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        assert build(site).output is not None
        _clean_build_equals(site, tmp_path)
        [cache] = cache_folder(site).glob("fragments-*")
        sizes.append(sum(len(read_file(p)) for p in cache.glob("*.json")))
    assert "Caja única" in (site / "output/gaps/index.html").read_text(encoding="utf-8")
    assert "Roberto M." in (site / "output/index.html").read_text(encoding="utf-8")
    assert sizes[0] > 0 and len(set(sizes)) == 1, "stale pieces are dropped, not kept"
    (site / "output/gaps/index.html").unlink()  # only the gap index is redone ...
    result = build(site)
    assert result.rendered == 1 and (site / "output/gaps/index.html").is_file()
    # ... and the other pages' pieces stay cached.
    assert sum(len(read_file(p)) for p in cache.glob("*.json")) == sizes[0]


def test_cached_files_still_report_problems_at_their_lines(make_site) -> None:
    """The parse cache drops key lines and reads them again only when a message needs one."""
    site = make_site({"content/journeys/buy/02-pay.md": (
        "---\ntitle: Pay\n\nthougts: typo\ngaps:\n  - title: Slow\n    severity: hgh\n---\n")})
    first, second = build(site), build(site)  # the second one reads the cache
    lines = [[f"{d.path}:{d.line}: {d.message}" for d in r.report.items]
             for r in (first, second)]
    assert lines[0] == lines[1]
    assert any(line.startswith("content/journeys/buy/02-pay.md:4: ") for line in lines[1])
    assert any(line.startswith("content/journeys/buy/02-pay.md:7: ") for line in lines[1])


def test_slugs_come_from_the_cache_on_the_next_build(tmp_path: Path, monkeypatch) -> None:
    """A CLI build makes thousands of gap ids with python-slugify; the next one reads them
    from the user's cache folder, and what that folder holds that is not text is
    ignored."""
    import cjmsite.content.slugs as slugs

    site = copy_example(tmp_path)
    monkeypatch.setattr(slugs, "_MEMO", {})
    assert build(site).output is not None
    made = dict(slugs.known_slugs())
    assert len(made) > 20
    monkeypatch.setattr(slugs, "_MEMO", {})

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("slugify was called: the saved slugs were not read")

    monkeypatch.setattr(slugs, "slugify", refuse)
    assert build(site).output is not None
    assert slugs.known_slugs() == made
    slugs.remember_slugs({"a": 1, 2: "b", "c": ["d"]})
    assert slugs.known_slugs() == made


def test_a_same_size_edit_with_its_old_mtime_put_back_is_still_read(make_site) -> None:
    """Cached results are keyed on the ctime too: `touch -r`, an archive or a coarse
    clock can leave size and mtime as they were, yet the page must show the edit."""
    site = make_site()
    stage = site / "content/journeys/buy/01-call.md"
    assert build(site).output is not None
    before = stage.stat()
    stage.write_text(stage.read_text(encoding="utf-8").replace("title: Call",
                                                               "title: Cola"), encoding="utf-8")
    os.utime(stage, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert stage.stat().st_size == before.st_size
    result = build(site)
    assert result.output is not None
    assert "Cola" in (result.output / "journeys/buy/index.html").read_text(encoding="utf-8")


def test_slugs_do_not_depend_on_what_else_is_installed(monkeypatch) -> None:
    """Slugs name pages and gaps: the same on every machine, whether or not another
    package brought Unidecode along (python-slugify's default would then use it)."""
    import sys
    import types

    from cjmsite.content import slugs

    fake = types.ModuleType("unidecode")
    fake.unidecode = lambda text: "other"
    monkeypatch.setitem(sys.modules, "unidecode", fake)
    monkeypatch.setattr(slugs, "_MEMO", {})
    assert slugs.slug("Atención ñandú") == "atencion-nandu"
