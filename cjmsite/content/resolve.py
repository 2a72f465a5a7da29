"""Cross-file checks of a loaded site: references that must exist (personas,
touchpoints, phases, evidence, future_of), emotion personas, persona pictures."""

from __future__ import annotations

import os
from pathlib import Path

from cjmsite import images, model, safefs
from cjmsite.config import Project
from cjmsite.content.evidence import check_insights, resolve_stage_evidence, stages_named
from cjmsite.content.fields import choice_code
from cjmsite.content.portfolio import resolve_hierarchy, resolve_opportunities
from cjmsite.content.source import SourceFile
from cjmsite.content.words import SPANISH_VALUES
from cjmsite.diagnostics import Report, closest, did_you_mean


def _ref_error(report: Report, src: SourceFile, path: tuple[str | int, ...], kind: str,
               ref: str, known: dict[str, object]) -> None:
    if report.knock_on(kind, ref):
        return
    report.error(src.rel, src.line(*path),
                 f"unknown {kind} '{ref}'{did_you_mean(ref, known)}")


def resolve_site(project: Project, site: model.Site, sources: dict[str, SourceFile],
                 report: Report) -> None:
    """Cross-file checks: ids that must exist, phases, emotion personas, image paths."""
    for persona in site.personas.values():
        src = sources[persona.source]
        for index, channel in enumerate(persona.channels):
            code = choice_code(channel, model.CHANNELS, SPANISH_VALUES["channel"])
            if code is not None:
                persona.channels[index] = code
            else:
                report.error(src.rel, src.line("channels", index),
                             f"'channels[{index}]' is '{channel}', not one of: "
                             f"{', '.join(model.CHANNELS)}{did_you_mean(channel, model.CHANNELS)}")
        if persona.image:
            _resolve_image(project, persona, src, report)
    for journey in site.journeys.values():
        resolve_journey(site, journey, sources, report)
        if journey.future_of:
            _resolve_future(site, journey, sources[journey.source], report)
    resolve_hierarchy(site, sources, report)
    resolve_opportunities(site, sources, report)
    check_insights(site, sources, report)


def resolve_journey(site: model.Site, journey: model.Journey, sources: dict[str, SourceFile],
                    report: Report) -> None:
    """A journey's references to personas, touchpoints and phases (all but future_of,
    which needs every journey)."""
    src = sources[journey.source]
    for index, persona_id in enumerate(journey.personas):
        if persona_id not in site.personas and not report.knock_on("persona", persona_id):
            path = ("persona", index) if isinstance(src.data.get("persona"), list) \
                else ("persona",)
            report.error(src.rel, src.line(*path), f"unknown persona '{persona_id}'"
                         f"{_persona_hint(persona_id, journey, site, sources)}")
    named = stages_named(site, journey.id)
    for stage in journey.stages:
        _resolve_stage(site, journey, stage, sources[stage.source], report)
        resolve_stage_evidence(site, journey, stage, sources[stage.source], report, named)
    _phase_order(journey, src, sources, report)


def _persona_hint(persona_id: str, journey: model.Journey, site: model.Site,
                  sources: dict[str, SourceFile]) -> str:
    """The did-you-mean of an unknown persona of a journey, saying how many stages give
    emotions for the suggested one (what the stages would otherwise each report)."""
    match = closest(persona_id, site.personas)
    if match is None:
        return ""
    count = sum(1 for stage in journey.stages
                if isinstance(scores := sources[stage.source].data.get("emotion"), dict)
                and match in map(str, scores))
    uses = f" the emotion of {count} stage{'s' * (count != 1)} names it" if count else ""
    return f" (did you mean '{match}'?{uses})"


def _phase_order(journey: model.Journey, src: SourceFile, sources: dict[str, SourceFile],
                 report: Report) -> None:
    """Declared phases no stage uses, and stages whose phase goes back to an earlier one
    (the map draws one header per run of stages: A, B, A would show A twice)."""
    used = {s.phase for s in journey.stages if s.phase}
    for index, phase in enumerate(journey.phases):
        if phase not in used:
            report.warning(src.rel, src.line("phases", index),
                           f"phase '{phase}' is declared but no stage of journey "
                           f"'{journey.id}' is in it")
    if len(set(journey.phases)) < len(journey.phases):
        return  # a phase declared twice comes back on purpose (a Mermaid section repeated)
    rank = {phase: index for index, phase in enumerate(journey.phases)}
    seen: list[str] = []
    for stage in journey.stages:
        if not stage.phase or (rank and stage.phase not in rank):
            continue  # an undeclared phase is reported as such, not as out of order
        if seen and stage.phase != seen[-1]:
            previous = seen[-1]
            if rank:  # declared: the declared order
                back = rank.get(stage.phase, -1) < rank.get(previous, -1)
            else:  # not declared: a phase that comes back after another
                back = stage.phase in seen
            if back:
                stage_src = sources[stage.source]
                report.warning(stage_src.rel, stage_src.line("phase"),
                               f"stage '{stage.id}' is in phase '{stage.phase}' after a stage "
                               f"in phase '{previous}': phases go back and forth (order the "
                               f"stages by phase{', as declared in phases' if rank else ''})")
        seen.append(stage.phase)


def _resolve_future(site: model.Site, journey: model.Journey, src: SourceFile,
                    report: Report) -> None:
    """`future_of` names an as-is journey: another one, itself not a to-be map, with at
    most one to-be map (the pages pair them one to one)."""
    target = site.journeys.get(journey.future_of)
    line = src.line("future_of")
    if target is None:
        _ref_error(report, src, ("future_of",), "journey", journey.future_of, site.journeys)
    elif target is journey:
        report.error(src.rel, line, "'future_of' names this journey itself")
    elif target.future_of:
        report.error(src.rel, line, f"'future_of' names '{target.id}', which is itself the "
                                    f"to-be map of '{target.future_of}'")
    else:
        others = [j.id for j in site.journeys.values()
                  if j.future_of == target.id and j is not journey]
        if others and others[0] < journey.id:
            report.error(src.rel, line, f"'{target.id}' already has a to-be map: "
                                        f"'{others[0]}'")


def _resolve_stage(site: model.Site, journey: model.Journey, stage: model.Stage,
                   src: SourceFile, report: Report) -> None:
    for index, point in enumerate(stage.touchpoints):
        if point not in site.touchpoints:
            _ref_error(report, src, ("touchpoints", index), "touchpoint", point, site.touchpoints)
    for index, gap in enumerate(stage.gaps):
        if gap.touchpoint and gap.touchpoint not in site.touchpoints:
            _ref_error(report, src, ("gaps", index, "touchpoint"), "touchpoint", gap.touchpoint,
                       site.touchpoints)
    if journey.phases and stage.phase and stage.phase not in journey.phases:
        report.error(src.rel, src.line("phase"),
                     f"phase '{stage.phase}' is not among the journey's phases "
                     f"({', '.join(journey.phases)}){did_you_mean(stage.phase, journey.phases)}")
    scores = src.data.get("emotion")
    if isinstance(scores, dict):
        # A persona of the journey that does not exist is reported once, at the journey:
        # the stages' messages about it would only repeat that (and suggest the typo).
        unknown = [p for p in journey.personas if p not in site.personas]
        named = {str(key) for key in scores}  # a null score: not in this stage, on purpose
        missing = [p for p in journey.personas if p not in named and p not in unknown]
        if missing and named:
            report.warning(src.rel, src.line("emotion"),
                           f"emotion has no score for {', '.join(repr(p) for p in missing)} "
                           f"(a persona of journey '{journey.id}'): their curve skips this "
                           f"stage (write '{missing[0]}: ~' if they are not in it)")
        known = [p for p in journey.personas if p not in unknown]
        for key in scores:
            persona_id = str(key)
            if persona_id in journey.personas or closest(persona_id, unknown):
                continue
            report.error(src.rel, src.line("emotion", persona_id),
                         f"emotion for '{persona_id}', who is not a persona of this journey "
                         f"({', '.join(known) or 'it has none'})"
                         f"{did_you_mean(persona_id, known)}")


def _resolve_image(project: Project, persona: model.Persona, src: SourceFile,
                   report: Report) -> None:
    path = project.root / Path(src.rel).parent / persona.image
    try:
        inside = path.resolve().is_relative_to(project.root)
    except (OSError, ValueError):
        inside = False
    if not inside:
        report.error(src.rel, src.line("image"), f"image '{persona.image}' lies outside the "
                                                 "project folder")
        return
    if any(part.startswith(".") and part not in (".", "..")
           for part in Path(persona.image).parts) and not safefs.in_git(path, project.root):
        report.error(src.rel, src.line("image"), f"image '{persona.image}' is a hidden file "
                     "or lies in a hidden folder: cjmsite reads neither")
        return
    try:
        safefs.check(path, project.root, safefs.MAX_ASSET_BYTES)
        data = safefs.read(path, project.root, safefs.MAX_ASSET_BYTES, head=4096)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):  # an SVG is read whole
            data = safefs.read(path, project.root, safefs.MAX_ASSET_BYTES)
        persona.image_kind = images.kind(data)
    except (safefs.UnsafeFile, images.NotAnImage) as exc:
        missing = not os.path.lexists(path)
        report.error(src.rel, src.line("image"), f"image '{persona.image}' "
                     f"{'not found' if missing else exc}")
        return
    persona.image_source = str(path.resolve())
