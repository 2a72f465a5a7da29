"""Journeys of journeys: who is whose parent, read from the model alone.

A journey's parent is its `parent:`, else the journey one of whose stages details it
(`detail:`). Validation (cjmsite.content.portfolio) reports unknown ids, cycles and
stages detailing their own journey; this module trusts nothing and drops such links, so
pages built from a site with errors (serve shows the last good one) never loop."""

from __future__ import annotations

from cjmsite import model


def parents(site: model.Site) -> dict[str, str]:
    """Journey id -> its parent's id, for journeys that have one (see the docstring)."""
    up: dict[str, str] = {}
    for journey in site.journeys.values():
        for stage in journey.stages:
            if stage.detail in site.journeys and stage.detail != journey.id:
                up.setdefault(stage.detail, journey.id)
    for journey in site.journeys.values():
        if journey.parent in site.journeys and journey.parent != journey.id:
            up[journey.id] = journey.parent
    for start in sorted(up):  # break any cycle at the first journey found on it
        seen, node = {start}, start
        while node in up:
            if up[node] in seen:
                del up[node]
                break
            node = up[node]
            seen.add(node)
    return up


class Tree:
    """The journeys as a forest, in the site's order."""

    def __init__(self, site: model.Site):
        self.site = site
        self.up = parents(site)
        self.children: dict[str, list[str]] = {}
        for id_ in site.journeys:
            if id_ in self.up:
                self.children.setdefault(self.up[id_], []).append(id_)

    def ancestors(self, id_: str) -> list[model.Journey]:
        """From the top of the hierarchy down to the journey's parent."""
        out: list[model.Journey] = []
        while id_ in self.up:
            id_ = self.up[id_]
            out.append(self.site.journeys[id_])
        return out[::-1]

    def kids(self, id_: str) -> list[model.Journey]:
        return [self.site.journeys[c] for c in self.children.get(id_, [])]

    def subtree(self, id_: str) -> list[model.Journey]:
        """The journey and every journey below it, depth first."""
        out, todo = [], [id_]
        while todo:
            node = todo.pop()
            out.append(self.site.journeys[node])
            todo.extend(reversed(self.children.get(node, [])))
        return out

    def related(self, id_: str) -> list[model.Journey]:
        """Everything a journey's page shows of the hierarchy: its ancestors, their
        children (for the breadcrumbs and siblings) and its whole subtree."""
        return [*self.ancestors(id_), *self.subtree(id_)]

    def depth(self, id_: str) -> int:
        return len(self.ancestors(id_))

    def top(self) -> list[model.Journey]:
        return [j for j in self.site.journeys.values() if j.id not in self.up]
