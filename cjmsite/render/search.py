"""The search index: one document per journey, stage, gap, persona, touchpoint, survey
and insight.

It is written as scripts rather than JSON, because browsers refuse to fetch JSON from
file:// but do run scripts; the page indexes it with the vendored MiniSearch the first
time someone searches, so pages that are only read pay nothing.

On a large site the index is tens of megabytes, so it is split in shards (which journeys
go in which: cjmsite.site.index.search_shards): `search/` holds one script per run of
journeys and one for the personas, touchpoints and surveys, and `search_index.js` only
lists them. An edit to a journey rewrites its shard, not the whole index; the browser
loads every shard and indexes the documents in the same order as one file would hold
them (tests/test_search_shards.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cjmsite import model, urls
from cjmsite.content.markup import plain_text
from cjmsite.mapsvg.lanes import LANES

Doc = dict[str, str]


def _text(*parts: str | Iterable[str]) -> str:
    """Visible words of a document, joined; lists are flattened, empty parts dropped."""
    words: list[str] = []
    for part in parts:
        if isinstance(part, str):
            words.append(part)
        else:
            words.extend(part)
    return " ".join(w for w in words if w)


def journey_documents(journey: model.Journey, t: Callable[[str], str]) -> list[Doc]:
    """The journey, its stages and its gaps, with URLs relative to the site root."""
    page = urls.journey(journey)
    docs = [{"kind": t("journey"), "title": journey.title, "context": "",
             "text": _text(journey.objective, journey.owner, plain_text(journey.body_html)),
             "url": page}]
    for stage in journey.stages:
        docs.append({"kind": t("stage"), "title": stage.title, "context": journey.title,
                     "text": _text(stage.moment, stage.phase,
                                   *(lane.words(stage) for lane in LANES if lane.words),
                                   plain_text(stage.body_html)),
                     "url": urls.stage(journey, stage)})
        for gap in stage.gaps:
            docs.append({"kind": t("gap"), "title": gap.title,
                         "context": f"{journey.title} — {stage.title}",
                         "text": _text(gap.change,
                                       (f"{a.title} {a.owner}" for a in gap.actions)),
                         "url": urls.gap(gap)})
    return docs


def other_documents(site: model.Site, t: Callable[[str], str],
                    channel_name: Callable[[str], str], comments: bool = False) -> list[Doc]:
    """Personas, touchpoints and surveys. A survey's comments are searched only when the
    site says so (`search_comments`): respondents may have written personal data."""
    docs: list[Doc] = []
    for persona in site.personas.values():
        docs.append({"kind": t("persona"), "title": persona.name, "context": persona.role,
                     "text": _text(persona.quote, persona.goals, persona.frustrations,
                                   plain_text(persona.body_html)),
                     "url": urls.persona(persona)})
    for point in site.touchpoints.values():
        docs.append({"kind": t("touchpoint"), "title": point.title,
                     "context": channel_name(point.channel),
                     "text": _text(point.owner, plain_text(point.body_html)),
                     "url": urls.touchpoint(point)})
    for insight in site.insights.values():
        docs.append({"kind": t("insight"), "title": insight.title,
                     "context": t(f"src_{insight.kind}"),
                     "text": _text(insight.quotes, insight.tags, plain_text(insight.body_html)),
                     "url": urls.insight(insight)})
    for survey in site.surveys.values():
        said = [v.text for v in survey.results.verbatims] if comments else []
        docs.append({"kind": t("survey"), "title": survey.title,
                     "context": survey.metric.upper(),
                     "text": _text(plain_text(survey.body_html), said),
                     "url": urls.survey(survey)})
    return docs


def manifest_script(paths: Iterable[str]) -> bytes:
    """search_index.js: the shards to load, in order."""
    listed = ",".join(f'"{path}"' for path in paths)
    return f"window.cjmsiteSearchShards=[{listed}];\n".encode()


def shard_script(name: str, docs: list[bytes]) -> bytes:
    """Documents already as compact JSON (single ones, or runs joined with ","), filed
    under the shard's name, so a shard loaded twice is indexed once."""
    return b"".join((b"(window.cjmsiteSearchDocs=window.cjmsiteSearchDocs||{})[\"",
                     name.encode(), b"\"]=[", b",".join(docs), b"];\n"))
