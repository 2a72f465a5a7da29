"""Mermaid `journey` diagrams <-> cjmsite journeys (pure: text in, data out).

Mermaid's user journey: an optional front-matter block (`title:`, `config:`), the word
`journey`, then `title`, `accTitle:`, `accDescr:` (or `accDescr { ... }`), `section` lines
and tasks `Task name: 5: Actor, Other actor`, with `%%` comments. Scores are 1 to 5;
cjmsite's emotion is -2 to +2, so 1 -> -2 ... 5 -> +2 and back.

Export writes one task line per group of personas that share a score, so per-persona
emotion survives; import merges consecutive lines of the same task back into one stage,
so import(export(journey)) keeps its sections, tasks, scores and actors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from cjmsite import model

_TASK = re.compile(r"^(?P<title>[^:]+?)\s*:\s*(?P<score>[^:]*?)\s*(?::\s*(?P<actors>.*))?$")


@dataclass
class Task:
    title: str
    scores: dict[str, int]  # actor name ("" when the task has none) -> emotion -2..2
    line: int
    section: str = ""


@dataclass
class Diagram:
    title: str = ""
    acc_title: str = ""
    acc_descr: str = ""
    sections: list[str] = field(default_factory=list)  # in order, repeats kept
    tasks: list[Task] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def actors(self) -> list[str]:
        return list(dict.fromkeys(a for t in self.tasks for a in t.scores))


def parse(text: str) -> Diagram:
    """Every problem with its line; consecutive lines of one task in one section (as
    export writes per-persona scores) become one task."""
    diagram = Diagram()
    lines = text.splitlines()
    start = _front_matter(lines, diagram)
    seen_journey, section, in_descr = False, "", False
    descr: list[str] = []
    for number, raw in enumerate(lines[start:], start + 1):
        line = raw.strip()
        if in_descr:
            if line.endswith("}"):
                descr.append(line[:-1].strip())
                diagram.acc_descr, in_descr = " ".join(d for d in descr if d), False
            else:
                descr.append(line)
            continue
        if not line or line.startswith("%%"):
            continue
        if not seen_journey:
            if line != "journey":
                diagram.errors.append((number, f"expected 'journey', found '{line[:40]}': "
                                               "only Mermaid user journeys can be imported"))
                return diagram
            seen_journey = True
        elif line.startswith("title ") or line == "title":
            diagram.title = line[5:].strip()
        elif re.match(r"^accTitle\s*:", line):
            diagram.acc_title = line.split(":", 1)[1].strip()
        elif re.match(r"^accDescr\s*:", line):
            diagram.acc_descr = line.split(":", 1)[1].strip()
        elif re.match(r"^accDescr\s*\{", line):
            rest = line.split("{", 1)[1]
            if rest.rstrip().endswith("}"):
                diagram.acc_descr = rest.rstrip()[:-1].strip()
            else:
                descr, in_descr = [rest.strip()], True
        elif line.startswith("section ") or line == "section":
            section = line[7:].strip()
            diagram.sections.append(section)
        else:
            _task(diagram, line, number, section)
    if not seen_journey:
        diagram.errors.append((1, "no 'journey' diagram found"))
    elif not diagram.tasks and not diagram.errors:
        diagram.errors.append((len(lines) or 1, "the journey has no tasks"))
    return diagram


def _front_matter(lines: list[str], diagram: Diagram) -> int:
    """Mermaid's own front matter (`---` ... `---`): its title is the journey's."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                data = {}
            if isinstance(data, dict) and isinstance(data.get("title"), str):
                diagram.title = data["title"].strip()
            return end + 1
    diagram.errors.append((1, "front matter opened with '---' is never closed"))
    return len(lines)


def _task(diagram: Diagram, line: str, number: int, section: str) -> None:
    match = _TASK.match(line)
    if match is None:
        diagram.errors.append((number, f"'{line[:60]}' is not a task ('Task: 1-5: "
                                       "Actor, ...'), a section or a title"))
        return
    score = match.group("score").strip()
    if not re.fullmatch(r"[1-5]", score):
        diagram.errors.append((number, f"task '{match.group('title').strip()}' has score "
                                       f"'{score}': a score is a whole number from 1 to 5"))
        return
    actors = [a.strip() for a in (match.group("actors") or "").split(",") if a.strip()]
    emotion = int(score) - 3
    title = match.group("title").strip()
    last = diagram.tasks[-1] if diagram.tasks else None
    if last is not None and last.title == title and last.section == section \
            and not set(actors or [""]) & set(last.scores):
        last.scores.update({a: emotion for a in actors or [""]})  # a score group
        return
    diagram.tasks.append(Task(title, {a: emotion for a in actors or [""]}, number, section))


def to_mermaid(journey: model.Journey, names: dict[str, str]) -> str:
    """A journey as a Mermaid `journey`: phases become sections; a stage whose personas
    feel differently becomes one task line per score, with those personas as actors. A
    stage without any emotion is kept as a comment (Mermaid requires a score)."""
    out = ["journey", f"  title {_one_line(journey.title)}"]
    if journey.objective:
        out.append(f"  accDescr: {_one_line(journey.objective)}")
    for phase, stages in journey.phase_runs():
        indent = "  "
        if phase:
            out.append(f"  section {_one_line(phase)}")
            indent = "    "
        for stage in stages:
            groups: dict[int, list[str]] = {}
            for persona in journey.personas:
                if persona in stage.emotion:
                    groups.setdefault(stage.emotion[persona], []).append(
                        _clean(names.get(persona, persona)))
            if not groups:
                out.append(f"{indent}%% {_clean(stage.title)} (no emotion: not a task)")
            for score, actors in sorted(groups.items(), key=lambda g: -g[0]):
                out.append(f"{indent}{_clean(stage.title)}: {score + 3}: {', '.join(actors)}")
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    """One line, and never '%%': Mermaid reads `%%{init: …}%%` anywhere in a diagram as a
    directive (its theme, fonts, CSS), and '%%' at a line's start as a comment."""
    return re.sub(r"%(?=%)", "% ", " ".join(text.split()))


def _clean(text: str) -> str:
    """Mermaid has no escaping: a colon would end a task's name, a comma an actor's,
    and a line break the line."""
    return _one_line(text.replace(":", " –").replace(",", " ·"))
