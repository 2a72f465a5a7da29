"""Cross-file checks of the portfolio: journey `parent`, stage `detail` (unknown ids,
cycles, a stage detailing its own journey) and opportunities (gap references
`<journey>/<gap id>`, metric stages `<journey>/<stage>`, evidence insight ids)."""

from __future__ import annotations

from cjmsite import model
from cjmsite.content.evidence import check_ids
from cjmsite.content.source import SourceFile
from cjmsite.diagnostics import Report, did_you_mean


def _unknown(report: Report, src: SourceFile, path: tuple[str | int, ...], kind: str,
             ref: str, known: object) -> None:
    if report.knock_on(kind, ref):
        return
    report.error(src.rel, src.line(*path), f"unknown {kind} '{ref}'{did_you_mean(ref, known)}")


def resolve_hierarchy(site: model.Site, sources: dict[str, SourceFile],
                      report: Report) -> None:
    journeys = site.journeys
    # Who each journey's parent is, and where that was written (for messages).
    up: dict[str, tuple[str, SourceFile, tuple[str | int, ...]]] = {}
    for journey in journeys.values():
        for stage in journey.stages:
            if not stage.detail:
                continue
            src = sources[stage.source]
            if stage.detail == journey.id:
                report.error(src.rel, src.line("detail"),
                             f"stage '{stage.id}' details its own journey '{journey.id}': "
                             "'detail' names the sub-journey that zooms into this stage")
            elif stage.detail not in journeys:
                _unknown(report, src, ("detail",), "journey", stage.detail, journeys)
            elif stage.detail in up and up[stage.detail][0] != journey.id:
                other = up[stage.detail][1]
                report.error(src.rel, src.line("detail"),
                             f"journey '{stage.detail}' is already detailed by a stage of "
                             f"'{up[stage.detail][0]}' ({other.rel}:{other.line('detail')}): "
                             "a journey has one parent")
            else:
                up.setdefault(stage.detail, (journey.id, src, ("detail",)))
    for journey in journeys.values():
        if not journey.parent:
            continue
        src = sources[journey.source]
        if journey.parent == journey.id:
            report.error(src.rel, src.line("parent"),
                         f"journey '{journey.id}' names itself as its parent")
        elif journey.parent not in journeys:
            _unknown(report, src, ("parent",), "journey", journey.parent, journeys)
        elif journey.id in up and up[journey.id][0] != journey.parent:
            by, other, _ = up[journey.id]
            report.error(src.rel, src.line("parent"),
                         f"parent '{journey.parent}' disagrees with the stage of '{by}' that "
                         f"details this journey ({other.rel}:{other.line('detail')})")
        else:
            up[journey.id] = (journey.parent, src, ("parent",))
    _cycles(up, report)


def _cycles(up: dict[str, tuple[str, SourceFile, tuple[str | int, ...]]],
            report: Report) -> None:
    """Each cycle once, at the link written by its first journey (by id), named whole."""
    done: set[str] = set()
    for start in sorted(up):
        path, node = [start], start
        while node in up and node not in done:
            node = up[node][0]
            if node in path:
                cycle = path[path.index(node):]
                first = min(cycle)
                turn = cycle[cycle.index(first):] + cycle[:cycle.index(first)]
                _, src, where = up[first]
                # Read from ancestor to descendant, as breadcrumbs are.
                names = " › ".join([first, *reversed(turn[1:]), first])
                report.error(src.rel, src.line(*where),
                             f"journey '{first}' is its own ancestor: {names} (parent and "
                             "detail must not go round in a circle)")
                break
            path.append(node)
        done.update(path)


def resolve_opportunities(site: model.Site, sources: dict[str, SourceFile],
                          report: Report) -> None:
    gap_ids = {j.id: {g.id for _, g in j.gaps} for j in site.journeys.values()}
    stage_ids = {j.id: [s.id for s in j.stages] for j in site.journeys.values()}
    for opportunity in site.opportunities.values():
        src = sources[opportunity.source]
        for index, ref in enumerate(opportunity.gaps):
            _ref(report, src, ("gaps", index), ref, "gap", gap_ids, site)
        for index, metric in enumerate(opportunity.metrics):
            if metric.stage:
                _ref(report, src, ("metrics", index, "stage"), metric.stage, "stage",
                     stage_ids, site)
        check_ids(opportunity.evidence, site, src, ("evidence",), report)


def _ref(report: Report, src: SourceFile, path: tuple[str | int, ...], ref: str, kind: str,
         known: dict[str, object], site: model.Site) -> None:
    """A `<journey>/<id>` reference: the journey, then the gap or stage in it."""
    journey, _, item = ref.partition("/")
    line = src.line(*path)
    if not item:
        report.error(src.rel, line, f"{kind} reference '{ref}' must be <journey>/<{kind} id>")
    elif journey not in site.journeys:
        _unknown(report, src, path, "journey", journey, site.journeys)
    elif item not in known[journey]:  # type: ignore[operator]
        hint = did_you_mean(item, known[journey])  # type: ignore[arg-type]
        report.error(src.rel, line, f"unknown {kind} '{item}' in journey '{journey}'{hint}")
