"""What a new user reads when something is wrong (issue 23, items 8-10): one root cause is
one message, said first; repeated survey row problems fold into one line; hints say what
is actually wrong; one interval format on a page."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import copy_example, parse_html, run


def _check(root: Path, *flags: str) -> tuple[int, list[str]]:
    result = run("check", str(root), *flags)
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- 10: a phase typo is one message, not two ---------------------------------------------

def test_a_phase_typo_does_not_also_say_phases_go_back_and_forth(make_site) -> None:
    site = make_site({
        "content/journeys/buy/index.md": "---\ntitle: B\npersona: ana\nobjective: O\n"
                                         "phases: [Uno, Dos]\n---\n",
        "content/journeys/buy/01-call.md": "---\ntitle: C\nphase: Uno\n---\n",
        "content/journeys/buy/02-pay.md": "---\ntitle: P\nphase: Dso\n---\n",
        "content/journeys/buy/03-end.md": "---\ntitle: E\nphase: Dos\n---\n"})
    code, lines = _check(site)
    assert code == 1
    assert any("phase 'Dso' is not among the journey's phases" in line
               and "did you mean 'Dos'" in line for line in lines), lines
    assert not any("back and forth" in line for line in lines), lines


def test_one_interval_format_on_a_journey_page(example_build: Path) -> None:
    """The stage's metric line and the survey evidence under it wrote one NPS interval
    as "19.4 … 68.8" and "19 … 69"; both now write it as the survey's metric is read."""
    page = parse_html(example_build / "journeys/experiencia-global/index.html")
    text = " | ".join(" ".join(piece.split()) for piece in page.itertext())
    found = re.findall(r"([^\s|]+) … ([^\s;)|]+)", text)
    assert len(found) > 10, found
    assert all(re.fullmatch(r"−?\d+", low) and re.fullmatch(r"−?\d+", high)
               for low, high in found), found  # NPS: whole numbers, as everywhere


# -- 9: a typo in a journey's persona list ------------------------------------------------

def test_a_persona_typo_is_one_root_message_first_never_suggested_back(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    journey = root / "content/journeys/experiencia-global/index.md"
    _edit(journey, "persona: [carla-conductora,", "persona: [carla-conductorra,")
    code, lines = _check(root)
    assert code == 1
    problems = [line for line in lines if ": error: " in line or ": warning: " in line]
    assert problems[0] == (
        "content/journeys/experiencia-global/index.md:3: error: unknown persona "
        "'carla-conductorra' (did you mean 'carla-conductora'? the emotion of 10 stages "
        "names it)"), problems
    assert len(problems) == 1, problems  # the ten stages' knock-ons are not repeated
    assert not any("did you mean 'carla-conductorra'" in line for line in lines), lines


def test_an_emotion_for_someone_else_still_suggests_only_known_personas(make_site) -> None:
    site = make_site({
        "content/personas/bob.md": "---\nname: Bob\n---\n",
        "content/journeys/buy/index.md": "---\ntitle: B\npersona: [ana, bobb]\n"
                                         "objective: O\n---\n",
        "content/journeys/buy/01-call.md": "---\ntitle: C\nemotion: {ana: 1, bob: 2, "
                                           "anna: 0}\n---\n"})
    code, lines = _check(site)
    assert code == 1
    problems = [line for line in lines if ": error: " in line or ": warning: " in line]
    assert problems[0].startswith("content/journeys/buy/index.md:3: error: unknown persona "
                                  "'bobb' (did you mean 'bob'?"), problems
    # 'anna' is a typo of its own: reported, with a suggestion that exists.
    assert any("emotion for 'anna'" in line and "(did you mean 'ana'?)" in line
               for line in problems), problems
    assert not any("'bobb'" in line for line in problems[1:]), problems
    # A stage that leaves out a persona on purpose says so with an empty score.
    (site / "content/journeys/buy/index.md").write_text(
        "---\ntitle: B\npersona: [ana, bob]\nobjective: O\n---\n")
    (site / "content/journeys/buy/01-call.md").write_text(
        "---\ntitle: C\nemotion: {ana: 1, bob: ~}\n---\n")
    code, lines = _check(site, "--strict")
    assert code == 0, lines


# -- 8: survey row problems ---------------------------------------------------------------

def test_a_deleted_persona_gives_its_errors_not_a_flood_of_rows(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    (root / "content/personas/roberto-flota.md").unlink()
    code, lines = _check(root)
    assert code == 1
    problems = [line for line in lines if ": error: " in line or ": warning: " in line]
    # The insight and the journey that name it, and the survey whose `values` map cells to it: an
    # error (docs/surveys.md), so its rows are not read, each failing for the same reason.
    assert problems == [
        "content/insights/visita-flota-roberto.md:8: error: unknown persona "
        "'roberto-flota'",
        "content/journeys/experiencia-global/index.md:3: error: unknown persona "
        "'roberto-flota'",
        "content/surveys/nps-postventa.md:27: error: unknown persona 'roberto-flota'"], lines


def test_repeated_row_problems_are_one_line_with_a_count_and_lines(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    _edit(root / "content/surveys/nps-postventa.md", "    Flota: roberto-flota\n", "")
    answers = root / "content/surveys/nps-postventa.csv"
    rows = answers.read_text(encoding="utf-8").split("\n")
    left_out = 0
    for number in range(1, len(rows) - 1):
        cells = rows[number].split(";")
        if number % 7 == 0:  # 91 scores out of the scale, nine different values
            cells[3] = str(11 + number % 9)
        left_out += number % 7 == 0 or cells[2] == "Flota"
        rows[number] = ";".join(cells)
    answers.write_text("\n".join(rows), encoding="utf-8")
    code, lines = _check(root)
    assert code == 0
    warnings = [line for line in lines if ": warning: " in line]
    assert warnings == [
        "content/surveys/nps-postventa.csv:7: warning: unknown persona 'Flota' (map the cell "
        "to an id under values.persona) on 311 rows (lines 7, 8, 9, 10, 11, …); rows left "
        "out",
        "content/surveys/nps-postventa.csv:8: warning: 91 rows with a score that is not a "
        "number from 0 to 10 ('18', '16', '14', …; lines 8, 15, 22, 29, 36, …); rows left "
        "out"], lines
    assert f"content/surveys/nps-postventa.csv: 640 rows read, {left_out} left out" in lines
