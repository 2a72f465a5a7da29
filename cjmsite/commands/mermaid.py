"""`cjmsite import mermaid FILE` and `cjmsite export mermaid JOURNEY`: journeys from and
to Mermaid `journey` diagrams (the conversion itself is cjmsite.bridges.mermaid).

Import writes a journey folder (named from the diagram's title, else the file's name),
its stages, and the personas its actors name that the project does not have yet (tasks
without actors belong to a `customer` persona, `cliente` in a Spanish site). Nothing is
written when the diagram has a problem or the journey folder exists already."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from cjmsite import safefs
from cjmsite.bridges.mermaid import Diagram, parse, to_mermaid
from cjmsite.commands.check import check
from cjmsite.config import Project, load_config
from cjmsite.content.slugs import split_order_prefix, title_slug
from cjmsite.diagnostics import Report, did_you_mean
from cjmsite.output import OutputError, check_write, write_file
from cjmsite.pipeline.load import load_site

MAX_DIAGRAM_BYTES = 1024 * 1024
NOBODY = {"en": ("customer", "Customer"), "es": ("cliente", "Cliente")}


class BridgeError(Exception):
    """Problems as `path:line: error: message` lines."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def import_mermaid(file: Path, root: Path) -> list[Path]:
    """Write the diagram's journey into the project at `root`; the files written."""
    try:
        text = safefs.read(file, file.parent, MAX_DIAGRAM_BYTES).decode("utf-8-sig")
    except (safefs.UnsafeFile, OSError) as exc:
        raise BridgeError([f"{file}:1: error: {file.name} {exc}"]) from None
    except UnicodeDecodeError:
        raise BridgeError([f"{file}:1: error: the file is not UTF-8"]) from None
    diagram = parse(text)
    if diagram.errors:
        raise BridgeError([f"{file}:{line}: error: {message}"
                           for line, message in diagram.errors])
    project = load_config(root, Report())
    content = project.content
    folder = _id(diagram.title) or _id(file.stem) or "journey"
    target = content / "journeys" / folder
    if target.exists():
        shown = target.relative_to(project.root).as_posix()  # root may be relative
        raise BridgeError([f"{file}:1: error: {shown} exists already: rename the diagram's "
                           "title or move that journey first"])
    language = "es" if project.config.language == "es" else "en"
    personas = _personas(diagram, project, language)
    files: dict[Path, dict] = {}
    for actor, (persona_id, new) in personas.items():
        if new:
            files[content / "personas" / f"{persona_id}.md"] = {"name": actor or
                                                                NOBODY[language][1]}
    cast = list(dict.fromkeys(personas[a][0] for a in diagram.actors))
    # The sections as the tasks run through them (repeats kept, sections without tasks
    # left out: a declared phase no stage uses is a warning).
    phases = [t.section for n, t in enumerate(diagram.tasks)
              if t.section and (n == 0 or diagram.tasks[n - 1].section != t.section)]
    files[target / "index.md"] = {
        "title": diagram.title or file.stem,
        "persona": cast,
        "objective": diagram.acc_descr or diagram.acc_title or diagram.title or file.stem,
        **({"phases": phases} if phases else {}),
        **({"parent": diagram.parent} if diagram.parent else {})}
    used: set[str] = set()
    width = max(2, len(str(len(diagram.tasks))))
    for number, task in enumerate(diagram.tasks, 1):
        base = _id(task.title) or "stage"
        stage_id, n = base, 2
        while stage_id in used:
            stage_id, n = f"{base}-{n}", n + 1
        used.add(stage_id)
        data: dict = {"title": task.title}
        if task.section:
            data["phase"] = task.section
        scores = {personas[a][0]: score for a, score in task.scores.items()}
        # An actor not in this task is not in this stage: a null score says so (no
        # "no score for" warning under `build --strict`).
        data["emotion"] = {p: scores.get(p) for p in cast} if len(cast) > 1 else scores
        if task.detail:
            data["detail"] = task.detail
        files[target / f"{number:0{width}d}-{stage_id}.md"] = data
    # Inside the project, each as a new file, none through a symlink (a repository may
    # commit content/personas as a link, or a dangling link where a persona will be).
    top = project.root.resolve()
    rels = {path: os.path.relpath(path, top).replace(os.sep, "/") for path in files}
    try:
        for rel in rels.values():
            check_write(top, rel, create_only=True)
        for path, data in files.items():
            write_file(top, rels[path], "---\n" + yaml.safe_dump(
                data, allow_unicode=True, sort_keys=False) + "---\n", create_only=True)
    except OutputError as exc:
        raise BridgeError([f"{file}:1: error: {exc}"]) from None
    except OSError as exc:
        raise BridgeError([f"{file}:1: error: cannot write the journey: "
                           f"{exc.strerror or exc}"]) from None
    return list(files)


def _personas(diagram: Diagram, project: Project, language: str
              ) -> dict[str, tuple[str, bool]]:
    """Actor -> (persona id, whether it must be created): a persona of the project
    (as the content loader reads it) whose id or name is the actor's, else a new one named
    after it. A file that is there but does not load is never written over."""
    personas = load_site(project, Report()).personas
    existing = {**{p.name.strip().casefold(): p.id for p in personas.values() if p.name},
                **{p.id: p.id for p in personas.values()}}
    out = {}
    for number, actor in enumerate(diagram.actors, 1):
        if not actor:
            persona_id = NOBODY[language][0]
        else:
            persona_id = existing.get(actor) or existing.get(actor.casefold()) \
                or _id(actor) or f"persona-{number}"
        out[actor] = (persona_id, persona_id not in personas and not (
            project.content / "personas" / f"{persona_id}.md").exists())
    return out


def _id(text: str) -> str:
    """An id (and file name) from a title or an actor: its slug, short enough for any
    file system, never read as an order prefix ("2 days" is not stage 2 of "days")."""
    found = title_slug(text)
    return f"n{found}" if split_order_prefix(found)[0] is not None else found


def export_mermaid(root: Path, journey_id: str) -> str:
    result = check(root)
    errors = [str(d) for d in result.report.sorted() if d.level == "error"]
    if errors:
        raise BridgeError(errors)
    site = result.site
    if journey_id not in site.journeys:
        raise BridgeError([f"error: unknown journey '{journey_id}'"
                           f"{did_you_mean(journey_id, site.journeys) or _known(site.journeys)}"])
    return to_mermaid(site.journeys[journey_id],
                      {p.id: p.name for p in site.personas.values()})


def _known(ids: dict[str, object], shown: int = 10) -> str:
    """The ids there are, when none is close to the one asked for."""
    if not ids:
        return " (the project has no journeys)"
    names = sorted(ids)
    more = f", and {len(names) - shown:,} more" if len(names) > shown else ""
    return f" (journeys: {', '.join(names[:shown])}{more})"
