"""Each journey's history: the commits that changed it, newest first (up to
`[site] history_depth`), with what each changed and the emotion curve after it.

One `git log --first-parent --raw` pass for the whole content folder and one `git ls-tree`
of HEAD give every revision's files: the logged changes are undone from HEAD's tree
backwards, so no revision is checked out or listed again. Files that equal the working
tree's are taken from the build's parse; the others are read in one `git cat-file` and
parsed once each. Stages validated for one revision are reused by the next.

First parents only, as `git log --first-parent` shows them: a merged branch is its merge
commit, and each entry is the map as it stood on the main line. The result depends on
commits alone, never on the working tree, so it is kept per HEAD commit (a rebuild with
no new commit reads it back) and the same commit always gives the same pages."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cjmsite import model
from cjmsite.content.load import load_journey, stage_key
from cjmsite.content.parse import Parsed, parse_bytes
from cjmsite.history.compare import compare_journey
from cjmsite.history.git import GitError, Place, git, ls_tree, read_blobs
from cjmsite.store import Remembered

_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
State = dict[str, str]  # project-relative path -> blob id: a journey's files at a revision


def histories(place: Place, content: Path, site: model.Site, digests: dict[str, str],
              parsed_of: Callable[[str], Parsed | None], depth: int, version: str,
              unsafe_html: bool, remembered: Remembered) -> dict[str, list[dict[str, Any]]]:
    """Journey id -> its revisions, newest first. {} outside git, without commits, or
    with depth 0: the pages are then simply not made. `parsed_of(rel)`: the build's parse
    of a working-tree file; `version`: the parse cache's (code and settings)."""
    if depth <= 0 or not site.journeys:
        return {}
    try:
        folder = place.folder(content)
        head = str(git(place, "rev-parse", "--verify", "--quiet", "HEAD")).strip()
    except (GitError, ValueError, OSError):
        return {}
    key = hashlib.sha1(f"{head}\0{place.prefix}\0{folder}\0{depth}\0{version}".encode()
                       ).hexdigest()
    found = remembered.get(key)
    if found is None:
        try:
            found = _compute(place, folder, site, digests, parsed_of, depth, unsafe_html)
        except (GitError, ValueError, KeyError, IndexError, OSError):
            return {}  # a history git cannot give, or gives oddly: no pages, no failure
        remembered.put(key, found)
    return found


def _compute(place: Place, folder: str, site: model.Site, digests: dict[str, str],
             parsed_of: Callable[[str], Parsed | None], depth: int,
             unsafe_html: bool) -> dict[str, list[dict[str, Any]]]:
    dirs = {j.source.rsplit("/", 1)[0]: j for j in site.journeys.values()}

    def journey_of(name: str) -> tuple[str, str] | None:
        """(journey folder, project-relative path) of a repository path in a journey."""
        rel = place.rel(name)
        if rel is None or not rel.endswith(".md"):
            return None
        directory, _, file = rel.rpartition("/")
        return (directory, rel) if directory in dirs and not file.startswith(".") else None

    states: dict[str, State] = {d: {} for d in dirs}
    for oid, name in ls_tree(place, "HEAD", folder):
        if (found := journey_of(name)) is not None:
            states[found[0]][found[1]] = oid
    steps: dict[str, list[tuple[str, State, State]]] = {d: [] for d in dirs}
    for commit, changes in _log(place, folder):
        touched: dict[str, list[tuple[str, str, str]]] = {}
        for old, new, name in changes:
            found = journey_of(name)
            if found is not None and len(steps[found[0]]) < depth:
                touched.setdefault(found[0], []).append((old, new, found[1]))
        for directory, undo in touched.items():
            after = dict(states[directory])
            for old, _, rel in undo:  # back to the first parent's files
                if set(old) == {"0"}:
                    states[directory].pop(rel, None)
                else:
                    states[directory][rel] = old
            steps[directory].append((commit, after, dict(states[directory])))
        if all(len(s) >= depth for s in steps.values()):
            break
    blobs = _blobs(place, steps, digests, unsafe_html)
    memo = _validated(site, digests)
    models: dict[tuple[str, frozenset], model.Journey | None] = {}

    def at(directory: str, state: State) -> model.Journey | None:
        """The journey in `directory` with these files (once per distinct set of files:
        one revision's "after" is the next older one's "before")."""
        key = (directory, frozenset(state.items()))
        if key not in models:
            models[key] = _journey_at(state, directory, dirs[directory], digests, parsed_of,
                                      blobs, memo)
        return models[key]

    described = _described(place, [c for s in steps.values() for c, _, _ in s])
    return {journey.id: [_revision(commit, described.get(commit, [commit[:7], "", "", ""]),
                                   at(directory, before), at(directory, after))
                         for commit, after, before in steps[directory]]
            for directory, journey in dirs.items() if steps[directory]}


def _log(place: Place, folder: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(commit, [(old id, new id, path)]) per commit on the main line that changed the
    folder, newest first. Only ids and paths: read token by token, a path is always the
    token after its change line, whatever characters it holds."""
    tokens = str(git(place, "log", "--first-parent", "-z", "--raw", "--no-abbrev",
                     "--no-renames", "--format=%x01%H", "--", folder or ".")).split("\x00")
    out: list[tuple[str, list[tuple[str, str, str]]]] = []
    at = 0
    while at < len(tokens):
        token = tokens[at].lstrip("\n")
        if token.startswith("\x01") and _COMMIT.fullmatch(token[1:]):
            out.append((token[1:], []))
        elif token.startswith(":") and out and at + 1 < len(tokens):
            parts = token.split()
            if len(parts) == 5:
                out[-1][1].append((parts[2], parts[3], tokens[at + 1]))
            at += 1  # the path
        at += 1
    return out


def _described(place: Place, commits: list[str]) -> dict[str, list[str]]:
    """Commit -> [git's short id (as `git rev-parse --short` gives it), date, author,
    subject], for all of them in one process."""
    unique = list(dict.fromkeys(commits))
    if not unique:
        return {}
    tokens = str(git(place, "log", "--no-walk=unsorted", "--stdin", "-z", "--date=short",
                     "--format=%H%x00%h%x00%ad%x00%an%x00%s",
                     stdin=("\n".join(unique) + "\n").encode())).split("\x00")
    out = {}
    for index, commit in enumerate(unique):
        record = tokens[5 * index:5 * index + 5]
        if len(record) < 5 or record[0].strip("\n") != commit:
            break  # a field that held a NUL: the rest go without descriptions
        out[commit] = record[1:]
    return out


def _blobs(place: Place, steps: dict[str, list[tuple[str, State, State]]],
           digests: dict[str, str], unsafe_html: bool) -> dict[str, Parsed]:
    """The parse of every file a revision holds that the working tree does not."""
    wanted: dict[str, str] = {}  # blob id -> a path it had
    for entries in steps.values():
        for _, after, before in entries:
            for state in (after, before):
                for rel, oid in state.items():
                    if digests.get(rel) != oid:
                        wanted.setdefault(oid, rel)
    out = {}
    for (oid, rel), raw in zip(wanted.items(), read_blobs(place, list(wanted)), strict=True):
        parsed = Parsed(None, oid) if isinstance(raw, int) else parse_bytes(raw, rel,
                                                                            unsafe_html)
        if parsed.source is not None:
            parsed.source.lines = {}  # nothing is reported: never look for the file
        out[oid] = parsed
    return out


def _validated(site: model.Site, digests: dict[str, str]) -> dict:
    """Today's stages, keyed as content.load keys validated stages: a revision that holds
    the same file for the same journey reuses them instead of validating again."""
    memo = {}
    for journey in site.journeys.values():
        for stage in journey.stages:
            if _measured(stage):
                continue  # filled in from today's survey responses: not what was committed
            memo[stage_key(stage.source, digests.get(stage.source, ""), stage.id, stage.slug,
                           journey)] = (stage, [])
    return memo


def _journey_at(state: State, directory: str, current: model.Journey,
                digests: dict[str, str], parsed_of: Callable[[str], Parsed | None],
                blobs: dict[str, Parsed], memo: dict) -> model.Journey | None:
    if not state:
        return None
    if not any(_measured(s) for s in current.stages) and state == {
            rel: digests.get(rel) for rel in [current.source, *(s.source for s in current.stages)]}:
        return current  # the working tree's own files: today's journey as built
    parsed = {}
    for rel, oid in state.items():
        here = parsed_of(rel) if digests.get(rel) == oid else None
        parsed[rel] = here if here is not None else blobs[oid]
    return load_journey(parsed, directory.rsplit("/", 1)[-1], directory, memo)


def _measured(stage: model.Stage) -> bool:
    return any(metric.survey for metric in stage.metrics)


def _revision(commit: str, described: list[str], before: model.Journey | None,
              after: model.Journey | None) -> dict[str, Any]:
    """One history entry, JSON data only (it is cached): the commit, what changed as
    `cjmsite diff` reports it (None: the files changed but nothing the map shows), and
    the journey's stages and emotion after the commit."""
    short, date, author, subject = described
    entry = {"commit": commit, "short": short, "date": date, "author": author,
             "subject": subject, "change": None, "stages": [], "personas": [],
             "emotion": {}, "readable": after is not None}
    if after is None:
        return entry
    # A journey's first commit is shown as "created with N stages": listing everything it
    # added would cost a full comparison and say less.
    entry["change"] = {"id": after.id, "status": "added"} if before is None \
        else compare_journey(before, after)
    entry["stages"] = [[s.id, s.title] for s in after.stages]
    entry["personas"] = list(after.personas)
    entry["emotion"] = {p: [s.emotion.get(p) for s in after.stages] for p in after.personas}
    return entry
