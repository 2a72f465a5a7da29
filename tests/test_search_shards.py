"""The search index in shards (cjmsite/render/search.py) finds what one index found."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from cjmsite.commands.build import build
from cjmsite.config import load_config
from cjmsite.diagnostics import Report
from cjmsite.pipeline.load import load_site
from cjmsite.render import search
from cjmsite.render.renderer import SiteRenderer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from make_corpus import make_corpus  # noqa: E402

SHARD = re.compile(rb'^\(window\.cjmsiteSearchDocs=window\.cjmsiteSearchDocs\|\|\{\}\)'
                   rb'\["([\w-]+)"\]=(\[.*\]);\n$', re.S)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shards") / "site"
    make_corpus(root, 40, 4, 5, 12)  # 40 journeys: three journey shards and the others
    (root / "cjmsite.toml").write_text('[site]\ntitle = "Shards"\nlanguage = "es"\n',
                                       encoding="utf-8")
    assert build(root).output is not None
    return root


def _sharded_docs(out: Path) -> tuple[list[str], list[dict]]:
    manifest = (out / "search_index.js").read_text(encoding="utf-8")
    paths = json.loads(manifest.removeprefix("window.cjmsiteSearchShards=").rstrip(";\n"))
    docs = []
    for path in paths:
        found = SHARD.match((out / path).read_bytes())
        assert found and path == f"search/{found.group(1).decode()}.js"
        docs += json.loads(found.group(2))
    return paths, docs


def _single_docs(root: Path) -> list[dict]:
    """The documents as the one-file index held them: every journey's, then the rest."""
    report = Report()
    project = load_config(root, report)
    site = load_site(project, report)
    renderer = SiteRenderer(project, site)
    docs = [d for j in site.journeys.values() for d in search.journey_documents(j, renderer.t)]
    return docs + search.other_documents(site, renderer.t,
                                         renderer.env.globals["channel_name"])


def test_shards_hold_the_single_index_in_its_order(corpus: Path) -> None:
    paths, docs = _sharded_docs(corpus / "output")
    assert paths == ["search/journeys-000.js", "search/journeys-001.js",
                     "search/journeys-002.js", "search/others.js"]
    assert docs == _single_docs(corpus)
    assert len({d["url"] for d in docs}) == len(docs)


def test_an_edit_rewrites_one_shard(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    before = {p: p.read_bytes() for p in (root / "output/search").iterdir()}
    stage = sorted((root / "content/journeys/journey-0020").glob("0*.md"))[0]
    stage.write_text(stage.read_text(encoding="utf-8").replace("title: ", "title: Único ", 1),
                     encoding="utf-8")
    assert build(root).output is not None
    changed = sorted(p.name for p, data in before.items() if p.read_bytes() != data)
    assert changed == ["journeys-001.js"]


QUERIES = ["atencion", "taller recepción", "frenos neumaticos", "garantía entrega",
           "confianza precio", "diagnostico", "mensaje", "zzz"]


def _results(page, url: str, query: str) -> tuple[str, list[str]]:
    page.goto(url)
    page.fill("#search-input", query)
    page.wait_for_function("() => { const s = document.getElementById('search-status');"
                           " return s && s.textContent && !/Cargando|Loading/.test("
                           "s.textContent); }", timeout=30000)
    return (page.text_content("#search-status") or "",
            page.eval_on_selector_all("#search-results a", "as => as.map(a => a.href)"))


def test_sharded_search_finds_what_the_single_index_found(corpus: Path, tmp_path: Path,
                                                          tab) -> None:
    """The same search box over the shards and over one file with every document in
    the old order gives the same results, in the same order, for every query."""
    single = tmp_path / "single"
    shutil.copytree(corpus / "output", single)
    docs = json.dumps(_single_docs(corpus), ensure_ascii=False, separators=(",", ":"))
    (single / "search/all.js").write_bytes(search.shard_script("all", [docs[1:-1].encode()]))
    (single / "search_index.js").write_bytes(search.manifest_script(["search/all.js"]))
    found_any = 0
    for query in QUERIES:
        sharded = _results(tab.page, (corpus / "output/personas/index.html").as_uri(), query)
        one = _results(tab.page, (single / "personas/index.html").as_uri(), query)
        assert sharded[0] == one[0], query  # "N resultados"
        assert [u.replace(single.as_uri(), "") for u in one[1]] == \
            [u.replace((corpus / "output").as_uri(), "") for u in sharded[1]], query
        found_any += bool(sharded[1])
    assert found_any == len(QUERIES) - 1  # all but "zzz" find something
    assert not tab.errors
