"""Whole-site outputs (home, journey list, gap index, gap exports, search index) joined
from per-journey pieces, each cached under its journey's fingerprint.

A large site has thousands of gap rows; a one-stage edit changes one journey's pieces, so
the rest are reused and only joined again. The cache lives in memory while `serve` runs
and in the user's cache folder (cjmsite.store) between CLI builds; a stale piece can never
be used, because its key covers every file the piece shows (see Fingerprints.key)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from cjmsite import model
from cjmsite.render import exports, search, workbook
from cjmsite.site.index import SEARCH_OTHERS, SEVERITY_RANK, GapRow, as_of, by_owner
from cjmsite.store import ShardedStore

T = TypeVar("T")


class FragmentCache:
    """Pieces by "kind|journey key"; `finish` drops stale ones, so it never grows."""

    def __init__(self, folder: Path | None = None, version: str = ""):
        self.version = version
        self.store = ShardedStore(folder, "fragments", version)
        self.used: set[str] = set()

    def get(self, key: str, make: Callable[[], T]) -> T:
        self.used.add(key)
        value = self.store.get(key)
        if value is None:
            value = self.store[key] = make()
        return value

    def finish(self, save: bool = True) -> None:
        """Forget the pieces of each kind that this build's pages no longer use (kinds it
        did not render keep theirs), then save (`serve` keeps them in memory only)."""
        kinds = {key.split("|", 1)[0] for key in self.used}
        if kinds:  # (a build that used no piece need not read them all to find stale ones)
            for key in set(self.store) - self.used:
                if key.split("|", 1)[0] in kinds:
                    del self.store[key]
        self.used = set()
        if save:
            self.store.save()


class Pieces:
    """Builds each whole-site output from per-journey pieces for one renderer."""

    def __init__(self, renderer: Any, cache: FragmentCache | None,
                 journey_key: Callable[[str], str] | None):
        self.r = renderer
        self.cache = cache if cache is not None and journey_key is not None else None
        self.journey_key = journey_key
        self._modules: dict[str, Any] = {}
        self.as_of = as_of()  # exports are a snapshot of this day
        self.rows_of: dict[str, list[GapRow]] = {}
        for row in renderer.view.rows:
            self.rows_of.setdefault(row.journey.id, []).append(row)

    def _piece(self, name: str, journey: model.Journey, make: Callable[[], T]) -> T:
        if self.cache is None or self.journey_key is None:
            return make()
        return self.cache.get(f"{name}|{self.journey_key(journey.id)}", make)

    def _macros(self, root: str) -> Any:
        if root not in self._modules:
            template = self.r.env.get_template("macros.html")
            self._modules[root] = template.make_module({"root": root})
        return self._modules[root]

    def journey_rows(self, root: str) -> list[Markup]:
        macros = self._macros(root)
        return [Markup(self._piece(f"row{root}", j, lambda j=j: str(
            macros.journey_row(self.r.view.summary(j))))) for j in self.r.view.ordered()]

    def open_items(self, root: str, limit: int) -> list[Markup]:
        """The first `limit` open gaps, most severe first (stable, like the page's rows)."""
        macros = self._macros(root)
        items = [item for j in self.r.site.journeys.values()
                 for item in self._piece(f"open{root}", j, lambda j=j: [
                     (SEVERITY_RANK[r.gap.severity], str(macros.gap_item(r)))
                     for r in self.rows_of.get(j.id, []) if r.is_open])]
        items.sort(key=lambda item: item[0])
        return [Markup(html) for _, html in items[:limit]]

    def gap_rows(self, root: str) -> list[Markup]:
        macros = self._macros(root)
        points = self.r.site.touchpoints
        return [Markup(self._piece(f"gaps{root}", j, lambda j=j: str(
            macros.gap_rows(self.rows_of[j.id], points))))
            for j in self.r.site.journeys.values() if j.id in self.rows_of]

    def owner_rows(self) -> list[tuple[str, list[Markup]]]:
        """The gap index's actions by owner (site.index.by_owner), each row rendered once
        per journey: (owner, due, the stage's place, row) entries, grouped here."""
        macros = self._macros("../")
        return by_owner((owner, due, position, Markup(html))
                        for j in self.r.site.journeys.values() if j.id in self.rows_of
                        for owner, due, position, html in self._piece("owners", j, lambda j=j: [
                            (a.owner, a.due, r.position, str(macros.action_row(r, a)))
                            for r in self.rows_of[j.id] for a in r.gap.actions]))

    def gaps_csv(self) -> bytes:
        return exports.csv_document([
            self._piece(f"csv{self.as_of}", j, lambda j=j: exports.csv_lines(
                self.rows_of[j.id], self.as_of).encode("utf-8"))
            for j in self.r.site.journeys.values() if j.id in self.rows_of])

    def gaps_xlsx(self) -> bytes:
        """Each journey's rows of the gap and action sheets are a piece (see
        cjmsite.render.workbook); the opportunities sheet is written whole (few rows)."""
        def part(rows: list[GapRow]) -> list:
            gaps, actions = exports.sheet_rows(rows, self.as_of)
            return [*workbook.rows_part(exports.GAP_SHEET, gaps),
                    *workbook.rows_part(exports.ACTION_SHEET, actions)]

        parts = [self._piece(f"xlsx{self.as_of}", j, lambda j=j: part(self.rows_of[j.id]))
                 for j in self.r.site.journeys.values() if j.id in self.rows_of]
        # The sheets' names: the language and [labels] name them too.
        sheets = [(self.r.t("sheet_gaps"), exports.GAP_SHEET,
                   [(xml, pages) for xml, pages, _, _ in parts]),
                  (self.r.t("sheet_actions"), exports.ACTION_SHEET,
                   [(xml, pages) for _, _, xml, pages in parts])]
        if self.r.site.opportunities:
            sheets.append((self.r.t("opportunities"), exports.OPPORTUNITY_COLUMNS, [
                workbook.rows_part(exports.OPPORTUNITY_COLUMNS, exports.opportunity_cells(
                    self.r.opportunity_records()))]))
        return workbook.assemble(sheets, self.r.project.config.base_url)

    def gaps_json(self) -> bytes:
        """Each piece is one journey's records, already joined and encoded: a few hundred
        byte strings to cache and copy instead of thousands of texts to re-encode."""
        return exports.json_document([
            self._piece(f"json{self.as_of}", j, lambda j=j: ",\n".join(
                exports.json_record(r, self.as_of) for r in self.rows_of[j.id])
                .encode("utf-8"))
            for j in self.r.site.journeys.values() if j.id in self.rows_of], self.as_of)

    def search_manifest(self, paths: list[str]) -> bytes:
        return search.manifest_script(paths)

    def search_shard(self, name: str) -> bytes:
        """One shard of the search index (render.search), as bytes from end to end:
        joining UTF-8 bytes is a copy, while joining text re-encodes it."""
        t = self.r.t
        if name == SEARCH_OTHERS:
            docs = [_compact(d) for d in search.other_documents(
                self.r.site, t, self.r.env.globals["channel_name"],
                self.r.project.config.search_comments)]
        else:
            journeys = self.r.site.journeys
            docs = [self._piece("search", journeys[id_], lambda j=journeys[id_]: b",".join(
                _compact(d) for d in search.journey_documents(j, t)))
                for id_ in self.r.view.search_shards[name]]
        return search.shard_script(name, docs)


def _compact(doc: dict[str, str]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
