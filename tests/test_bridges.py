"""Meeting teams where they work: the Mermaid bridge (every syntax feature, round trips,
bad scores), the JSON Schemas (every example file passes, wrong types fail, every field is
in them), the init starters, and the MkDocs plugin (plain and Material, in Chromium)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import REPO, parse_html, run
from hypothesis import given, settings
from hypothesis import strategies as st

from cjmsite.bridges.mermaid import parse

FULL = """---
title: My working day
config:
  theme: base
---
%% every feature: front matter, comments, accessibility, sections, actors, spaces
%%{init: {"journey": {"useMaxWidth": true}}}%%
journey
  accTitle: A day at work
  accDescr {
    How a day at work feels,
    from tea to home
  }
  section Go to work
    Make tea : 5 : Me
    Go upstairs: 3: Me
    Do work: 1: Me, Cat
  section Go home
    Go downstairs: 5: Me
    Sit down: 3
  section Go to work
    Answer mail: 2: Cat
"""


@pytest.fixture(scope="module")
def blank_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("blank") / "site"
    assert run("init", "--template", "blank", "--language", "en", "-q",
               str(root)).exit_code == 0
    return root


def _project(tmp_path: Path, language: str = "en") -> Path:
    root = tmp_path / "site"
    assert run("init", "--template", "blank", "--language", language, "-q",
               str(root)).exit_code == 0
    return root


def test_import_reads_every_feature(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (tmp_path / "day.mmd").write_text(FULL, encoding="utf-8")
    result = run("import", "mermaid", str(tmp_path / "day.mmd"), "-C", str(root))
    assert result.exit_code == 0, result.output
    folder = root / "content/journeys/my-working-day"  # named from the title
    index = yaml.safe_load((folder / "index.md").read_text().split("---")[1])
    assert index["phases"] == ["Go to work", "Go home", "Go to work"]  # repeats kept
    assert index["persona"] == ["me", "cat", "customer"]
    assert index["objective"] == "How a day at work feels, from tea to home"
    stages = sorted(folder.glob("0*.md"))
    assert [p.name for p in stages] == ["01-make-tea.md", "02-go-upstairs.md",
                                        "03-do-work.md", "04-go-downstairs.md",
                                        "05-sit-down.md", "06-answer-mail.md"]
    work = yaml.safe_load(stages[2].read_text().split("---")[1])
    # Actors not in a task are not in its stage: a null score says so.
    assert work == {"title": "Do work", "phase": "Go to work",
                    "emotion": {"me": -2, "cat": -2, "customer": None}}
    sit = yaml.safe_load(stages[4].read_text().split("---")[1])
    assert sit["emotion"] == {"me": None, "cat": None, "customer": 0}  # no actor: customer
    assert (root / "content/personas/cat.md").exists()
    result = run("build", "--strict", str(root))  # what the workflow `init` writes runs
    assert result.exit_code == 0, result.output


def test_reimport_says_the_journey_exists_whatever_the_path_form(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative -C, or none, crashed with a ValueError instead of the message."""
    root = _project(tmp_path)
    (tmp_path / "day.mmd").write_text("journey\n  title Day\n  Tea: 5: Me\n")
    assert run("import", "mermaid", str(tmp_path / "day.mmd"), "-C", str(root)).exit_code == 0
    monkeypatch.chdir(tmp_path)
    for args in (["-C", "site"], ["-C", "./site/"], ["-C", str(root)], ["-C", "site/../site"]):
        result = run("import", "mermaid", "day.mmd", *args)
        assert result.exit_code == 1, args
        assert "day.mmd:1: error: content/journeys/day exists already" in result.output, \
            (args, result.output)
    monkeypatch.chdir(root)
    result = run("import", "mermaid", "../day.mmd")
    assert result.exit_code == 1
    assert "error: content/journeys/day exists already" in result.output, result.output


_ACTORS = ["Me", "Sam", "sam", "Ana María", "😀", "2 Kids", "Customer", "x" * 300]
_TITLES = ["Tea", "Tea", "Pay, now?", "✨", "10 minutes", "Año nuevo", "y" * 300]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.tuples(
    st.sampled_from(["", "Go", "Back", "Go", "Ñu 🚀"]),  # the section it comes under
    st.sampled_from(_TITLES), st.integers(1, 5),
    st.lists(st.sampled_from(_ACTORS), max_size=3, unique=True)), min_size=1, max_size=7),
    st.booleans())
def test_imported_content_passes_check_strict_whatever_the_diagram(
        blank_en: Path, tasks: list, empty_section: bool) -> None:
    """Actors that differ per task, sections without tasks, titles and actors that slug
    to nothing, to an order prefix or to a name too long for a file: `check --strict`
    (the workflow `init` writes) passes on what import writes."""
    lines, section = ["journey", "  title 2 Days: a trip"], None
    if empty_section:
        lines.append("  section Nothing here")
    for name, title, score, actors in tasks:
        if name and name != section:
            lines.append(f"  section {name}")
            section = name
        lines.append(f"    {title}: {score}" + (f": {', '.join(actors)}" if actors else ""))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        shutil.copytree(blank_en, root)
        (Path(folder) / "d.mmd").write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run("import", "mermaid", str(Path(folder) / "d.mmd"), "-C", str(root))
        assert result.exit_code == 0, (lines, result.output)
        checked = run("check", "--strict", "--quiet", str(root))
        assert checked.exit_code == 0, ("\n".join(lines), checked.output)


def test_actors_become_existing_personas_and_spanish_gets_cliente(tmp_path: Path) -> None:
    root = _project(tmp_path, "es")
    (tmp_path / "j.mmd").write_text("journey\n  section Uno\n    Llamar: 2: Alex\n"
                                    "    Esperar: 1\n", encoding="utf-8")
    assert run("import", "mermaid", str(tmp_path / "j.mmd"), "-C", str(root)).exit_code == 0
    index = yaml.safe_load((root / "content/journeys/j/index.md").read_text().split("---")[1])
    assert index["persona"] == ["cliente"]  # Alex is the starter's persona `cliente`
    assert index["title"] == "j"  # no title: the file's name


def test_round_trip_keeps_sections_tasks_scores_and_actors(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "content/personas/bea.md").write_text("---\nname: Bea\n---\n")
    (root / "content/journeys/two/index.md").parent.mkdir(parents=True)
    (root / "content/journeys/two/index.md").write_text(
        "---\ntitle: Two people\npersona: [customer, bea]\nobjective: Compare\n"
        "phases: [Start, End]\n---\n")
    (root / "content/journeys/two/01-a.md").write_text(
        "---\ntitle: Ask\nphase: Start\nemotion: {customer: 2, bea: -1}\n---\n")
    (root / "content/journeys/two/02-b.md").write_text(
        "---\ntitle: Get\nphase: End\nemotion: 1\n---\n")
    first = run("export", "mermaid", "two", "-C", str(root))
    assert first.exit_code == 0, first.output
    assert "    Ask: 5: Alex\n    Ask: 2: Bea\n" in first.output  # one line per score group
    before = parse(first.output)
    other = tmp_path / "other"
    other.mkdir()
    (tmp_path / "two.mmd").write_text(first.output, encoding="utf-8")
    assert run("import", "mermaid", str(tmp_path / "two.mmd"), "-C", str(other)).exit_code == 0
    second = run("export", "mermaid", "two-people", "-C", str(other))
    after = parse(second.output)
    assert [(t.title, t.section, t.scores) for t in after.tasks] == \
        [(t.title, t.section, t.scores) for t in before.tasks]
    assert after.sections == before.sections and after.title == before.title


@pytest.mark.parametrize(("text", "line", "message"), [
    ("journey\n  section A\n    Task: 6: Me\n", 3, "score '6': a score is a whole number"),
    ("journey\n  section A\n    Task: 2.5: Me\n", 3, "score '2.5'"),
    ("journey\n  Task: good: Me\n", 2, "score 'good'"),
    ("flowchart LR\n  A --> B\n", 1, "expected 'journey'"),
])
def test_bad_scores_are_refused_at_their_line_and_nothing_is_written(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    root = _project(tmp_path)
    before = sorted(p for p in (root / "content").rglob("*"))
    (tmp_path / "bad.mmd").write_text(text, encoding="utf-8")
    result = run("import", "mermaid", str(tmp_path / "bad.mmd"), "-C", str(root))
    assert result.exit_code == 1
    assert f"bad.mmd:{line}: error: " in result.output and message in result.output
    assert sorted(p for p in (root / "content").rglob("*")) == before


# -- JSON Schema ----------------------------------------------------------------------------

def _front_matter(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1]) or {}
    return json.loads(json.dumps(data, default=str))  # dates as an editor sees them: text


def test_every_example_file_passes_its_schema(tmp_path: Path) -> None:
    import tomllib

    from jsonschema import Draft202012Validator

    assert run("schema", "--output", str(tmp_path / "schemas")).exit_code == 0
    schemas = {p.name.split(".")[0]: json.loads(p.read_text())
               for p in (tmp_path / "schemas").glob("*.json")}
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    kinds = {"personas": "persona", "touchpoints": "touchpoint", "surveys": "survey",
             "insights": "insight", "opportunities": "opportunity"}
    checked = 0
    english = REPO / "cjmsite/example/en/content"  # the example in English too
    for content, path in [(c, p) for c in (REPO / "content", english)
                          for p in sorted(c.rglob("*.md"))]:
        parts = path.relative_to(content).parts
        kind = kinds.get(parts[0]) or ("journey" if parts[-1] == "index.md" else "stage")
        errors = list(Draft202012Validator(schemas[kind]).iter_errors(_front_matter(path)))
        assert not errors, (path, [e.message for e in errors])
        checked += 1
    assert checked > 40
    config = tomllib.loads((REPO / "cjmsite.toml").read_text())
    assert not list(Draft202012Validator(schemas["cjmsite-toml"]).iter_errors(config))


@pytest.mark.parametrize(("kind", "data"), [
    ("stage", {"title": "A", "emotion": 7}),
    ("stage", {"title": "A", "actions": "not a list"}),
    ("stage", {"title": "A", "metrics": [{"name": "N", "value": 3, "survey": "s"}]}),
    ("stage", {"title": "A", "pain_point": ["typo"]}),
    ("journey", {"title": "J", "persona": "a"}),  # objective missing
    ("touchpoint", {"title": "T", "channel": "fax"}),
    ("survey", {"title": "S", "metric": "nps", "columns": {"score": "Nota"},
                "scale": [10]}),
    ("cjmsite-toml", {"site": {"history_depth": 500}}),
    ("cjmsite-toml", {"labels": {"jorney": "Recorrido"}}),
])
def test_wrong_types_are_rejected(tmp_path: Path, kind: str, data: dict) -> None:
    from jsonschema import Draft202012Validator

    from cjmsite.content.schemagen import all_schemas

    schema = all_schemas()[f"{kind}.schema.json"]
    assert list(Draft202012Validator(schema).iter_errors(data))


def test_schema_and_validation_know_the_same_fields() -> None:
    from cjmsite.content.schema import RECORDS
    from cjmsite.content.schemagen import front_matter

    for kind in ("persona", "touchpoint", "journey", "stage", "survey"):
        properties = front_matter(kind)["properties"]
        assert set(properties) == set(RECORDS[kind].keys), kind
        stage = front_matter("stage")["properties"]
    for nested, path in (("gap", ["gaps"]), ("metric", ["metrics"])):
        items = stage[path[0]]["items"]
        assert set(items["properties"]) == set(RECORDS[nested].keys)
    action = stage["gaps"]["items"]["properties"]["actions"]["items"]["anyOf"][1]
    assert set(action["properties"]) == set(RECORDS["action"].keys)


# -- starters -------------------------------------------------------------------------------

@pytest.mark.parametrize("template", ["example", "blank", "blueprint"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_starters_pass_strict_and_build(tmp_path: Path, template: str, language: str) -> None:
    root = tmp_path / "new"
    result = run("init", "--template", template, "--language", language, "--strict",
                 str(root))
    assert result.exit_code == 0, result.output
    assert run("build", "--strict", str(root)).exit_code == 0
    workflow = yaml.safe_load((root / ".github/workflows/cjmsite.yml").read_text())
    steps = [s.get("run") or s.get("uses") for s in workflow["jobs"]["build"]["steps"]]
    assert "cjmsite build --strict" in steps and "actions/upload-pages-artifact@v3" in steps
    assert (root / ".gitignore").read_text().startswith("output/")
    if template == "blueprint":
        page = parse_html(root / "output/journeys" / next(
            (root / "content/journeys").iterdir()).name / "index.html")
        assert page.xpath("//*[@data-line='visibility']")
    lang = parse_html(root / "output/index.html").get("lang")
    assert lang == language  # the example too (it was Spanish whatever --language said)


# -- the MkDocs plugin ------------------------------------------------------------------------

def _mkdocs_site(tmp_path: Path, theme: str) -> Path:
    root = tmp_path / theme
    assert run("init", "--template", "blueprint", "--language", "en", "-q",
               str(root / "journeys")).exit_code == 0
    theme_line = "theme:\n  name: material\n  palette:\n    - scheme: slate\n" \
        if theme == "material" else "theme: mkdocs\n"
    (root / "mkdocs.yml").write_text(f"site_name: Handbook\n{theme_line}plugins:\n"
                                     "  - cjmsite:\n      project: journeys\n")
    (root / "docs/guide").mkdir(parents=True)
    (root / "docs/index.md").write_text("# Handbook\n\n```cjm-map\njourney: appointment\n```\n")
    (root / "docs/guide/visits.md").write_text("# Visits\n\n~~~cjm-map\njourney: appointment"
                                               "\n~~~\n\nMore text.\n")
    return root


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    """A built site over HTTP, as it is published (themes load files file:// refuses)."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def _mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *args], cwd=root,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_mkdocs_build_embeds_maps_and_the_full_site(tmp_path: Path, theme: str,
                                                    tab) -> None:
    root = _mkdocs_site(tmp_path, theme)
    result = _mkdocs(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    for page in (site / "index.html", site / "guide/visits/index.html"):
        doc = parse_html(page)
        assert len(doc.xpath("//div[@class='cjm-embed']//svg")) == 1
        assert doc.xpath("//div[@class='cjm-embed']//details//table")
        for href in doc.xpath("//div[@class='cjm-embed']//a/@href"):
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), (page, href)
    assert (site / "journeys/journeys/appointment/index.html").is_file()
    with _served(site) as base:
        _in_browser(tab, base, theme)


def _in_browser(tab, base: str, theme: str) -> None:
    tab.open(base + "guide/visits/")
    sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = sync.Axe().run(tab.page, context=".cjm-embed")
    serious = [v["id"] for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    # The themes fetch fonts and scripts from the network (none here): only the site counts.
    assert not [e for e in tab.errors if base in e]
    tab.page.click(".cjm-embed > p > a")
    tab.page.wait_for_load_state("load")
    assert tab.page.url.endswith("journeys/journeys/appointment/index.html")
    assert tab.page.title().startswith("Appointment visit")
    if theme == "material":  # dark palette: the map follows it, not the system
        tab.open(base)
        background = tab.page.evaluate("""getComputedStyle(document.querySelector(
            '.cjm-embed .cjm-map .bg')).fill""")
        assert background == "rgb(13, 17, 23)"


def test_mkdocs_build_fails_with_cjmsite_messages(tmp_path: Path) -> None:
    root = _mkdocs_site(tmp_path, "mkdocs")
    stage = next((root / "journeys/content/journeys/appointment").glob("02-*.md"))
    stage.write_text(stage.read_text().replace("touchpoints: [front-desk]",
                                               "touchpoints: [frnt-desk]"))
    result = _mkdocs(root)
    assert result.returncode != 0
    assert "content/journeys/appointment/02-wait.md:5: error: unknown touchpoint " \
           "'frnt-desk' (did you mean 'front-desk'?)" in result.stderr + result.stdout
    (root / "docs/index.md").write_text("```cjm-map\njourney: nope\n```\n")
    stage.write_text(stage.read_text().replace("frnt-desk", "front-desk"))
    result = _mkdocs(root)
    assert result.returncode != 0 and "index.md: cjm-map: unknown journey 'nope'" in \
        result.stderr + result.stdout


def test_schema_command_writes_files(tmp_path: Path) -> None:
    result = run("schema", "-o", str(tmp_path / "s"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(
        ["persona.schema.json", "touchpoint.schema.json", "journey.schema.json",
         "stage.schema.json", "survey.schema.json", "insight.schema.json",
         "opportunity.schema.json",
         "cjmsite-toml.schema.json"])


@pytest.mark.parametrize("site_dir, message", [
    # as reported: markup in site_dir reached every map's href unescaped
    ('x"><img src=x onerror=alert(1)>', "must be a folder inside the MkDocs site"),
    ("../outside", "no '..'"),
    ("", "must be a folder inside the MkDocs site"),
    # as reported: a folder MkDocs has filled already (the plain theme's css/) was a traceback
    ("css", "cannot write the journeys' site: output folder"),
])
def test_mkdocs_site_dir_is_checked_and_never_a_traceback(tmp_path: Path, site_dir: str,
                                                          message: str) -> None:
    root = _mkdocs_site(tmp_path, "mkdocs")
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() +
                                     f"      site_dir: {json.dumps(site_dir)}\n")
    result = _mkdocs(root)
    assert result.returncode != 0
    assert message in result.stderr + result.stdout, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "outside").exists()
    assert "onerror" not in "".join(p.read_text() for p in (root / "site").rglob("*.html")) \
        if (root / "site").exists() else True


def test_mermaid_export_escapes_directives(tmp_path: Path) -> None:
    """As reported: `%%{init: …}%%` in a title became a Mermaid directive (theme, CSS);
    variants: in a stage title, a phase, a persona's name and the objective."""
    root = _project(tmp_path)
    init = '%%{init: {"themeCSS": "x"}}%%'
    journey = root / "content/journeys/day"
    journey.mkdir(parents=True)
    (root / "content/personas").mkdir(exist_ok=True)
    (root / "content/personas/me.md").write_text(f"---\nname: 'Me {init}'\n---\n")
    (journey / "index.md").write_text(
        f"---\ntitle: 'Day {init}'\npersona: me\nobjective: 'Why {init}'\n"
        f"phases: ['Go {init}']\n---\n")
    (journey / "01-tea.md").write_text(
        f"---\ntitle: 'Tea {init}%%%'\nphase: 'Go {init}'\nemotion: 1\n---\n")
    (journey / "02-none.md").write_text(f"---\ntitle: 'Nothing {init}'\nphase: 'Go {init}'"
                                        "\n---\n")
    result = run("export", "mermaid", "day", "-C", str(root))
    assert result.exit_code == 0, result.output
    assert "%%{" not in result.output and "}%%" not in result.output
    body = result.output.split("\n", 1)[1]
    assert [line for line in body.splitlines() if "%%" in line] == \
        ["    %% Nothing % %{init – {\"themeCSS\" – \"x\"}}% % (no emotion: not a task)"]
    assert parse(result.output).errors == []


def test_mermaid_export_of_an_unknown_journey_names_the_known_ones() -> None:
    close = run("export", "mermaid", "ciclo-de-vidaa", "-C", str(REPO))
    assert close.exit_code == 1
    assert "unknown journey 'ciclo-de-vidaa' (did you mean 'ciclo-de-vida'?)" in close.output
    far = run("export", "mermaid", "zzz", "-C", str(REPO))
    assert far.exit_code == 1 and "unknown journey 'zzz' (journeys: ciclo-de-vida, " \
        "experiencia-global, recepcion-y-facturacion)" in far.output
