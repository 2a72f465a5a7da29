"""Every content error the spec names: `path:line: level: message`, all at once, exit 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_example, run

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<level>error|warning): (?P<msg>.+)$")


def diagnostics(output: str) -> list[tuple[str, int, str, str]]:
    found = []
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            found.append((match["path"], int(match["line"]), match["level"], match["msg"]))
    return found


def check(site: Path, *flags: str) -> tuple[int, list[tuple[str, int, str, str]], str]:
    result = run("check", str(site), *flags)
    assert "Traceback" not in result.output
    return result.exit_code, diagnostics(result.output), result.output


CASES = [
    ("yaml", {"content/personas/ana.md": "---\nname: [Ana\n---\n"},
     "content/personas/ana.md", 3, "YAML does not parse"),
    ("unclosed list", {"content/personas/ana.md":
                       "---\nname: Ana\nchannels: [web, app\nimage: ana.png\n---\n"},
     "content/personas/ana.md", 4, "; the '[' list opened on line 3 is not closed"),
    ("unclosed quote", {"content/personas/ana.md": "---\nname: \"Ana\nrole: Cliente\n---\n"},
     "content/personas/ana.md", 4, "; the quoted text opened on line 2 is not closed"),
    ("colon in text", {"content/personas/ana.md": "---\nname: Ana\nrole: I think: bad\n---\n"},
     "content/personas/ana.md", 3,
     "put text that contains ': ' in quotes: role: \"I think: bad\""),
    ("no front matter", {"content/personas/ana.md": "Just text\n"},
     "content/personas/ana.md", 1, "missing front matter"),
    ("not utf-8", {"content/personas/ana.md": "---\nname: Ana\nrole: caf\xe9\n---\n".encode(
        "latin-1")}, "content/personas/ana.md", 3, "not UTF-8"),
    ("required", {"content/touchpoints/phone.md": "---\nchannel: phone\n---\n"},
     "content/touchpoints/phone.md", 1, "missing required field 'title'"),
    ("type", {"content/journeys/buy/01-call.md": "---\ntitle: Call\nactions: Call us\n---\n"},
     "content/journeys/buy/01-call.md", 3, "'actions' must be a list of text, not text"),
    ("choice", {"content/touchpoints/phone.md": "---\ntitle: P\nchannel: phnoe\n---\n"},
     "content/touchpoints/phone.md", 3, "not one of: phone, in-person"),
    ("severity", {"content/journeys/buy/01-call.md":
                  "---\ntitle: C\ngaps:\n  - title: G\n    severity: huge\n---\n"},
     "content/journeys/buy/01-call.md", 5, "'gaps[0].severity' is 'huge'"),
    ("reference", {"content/journeys/buy/01-call.md":
                   "---\ntitle: C\ntouchpoints:\n  - phnoe\n---\n"},
     "content/journeys/buy/01-call.md", 4, "unknown touchpoint 'phnoe' (did you mean 'phone'?)"),
    ("persona ref", {"content/journeys/buy/index.md":
                     "---\ntitle: B\npersona: anna\nobjective: O\n---\n"},
     "content/journeys/buy/index.md", 3, "unknown persona 'anna' (did you mean 'ana'?)"),
    ("duplicate id", {"content/personas/01-ana.md": "---\nname: Ana two\n---\n"},
     "content/personas/ana.md", 1, "duplicate persona id 'ana'"),
    ("duplicate slug", {"content/personas/Ána.md": "---\nname: Ana accent\n---\n"},
     "content/personas/Ána.md", 1, "slug 'ana' collides with content/personas/ana.md"),
    ("phase", {"content/journeys/buy/index.md":
               "---\ntitle: B\npersona: ana\nobjective: O\nphases: [Uno, Dos]\n---\n",
               "content/journeys/buy/01-call.md": "---\ntitle: C\nphase: Tres\n---\n"},
     "content/journeys/buy/01-call.md", 3, "phase 'Tres' is not among the journey's phases"),
    ("outside", {"content/journeys/stray.md": "---\ntitle: S\n---\n"},
     "content/journeys/stray.md", 1, "stage file outside a journey folder"),
    ("date", {"content/journeys/buy/01-call.md":
              "---\ntitle: C\ngaps:\n  - title: G\n    actions:\n      - title: A\n"
              "        due: 2026-13-01\n---\n"},
     "content/journeys/buy/01-call.md", 7, "'gaps[0].actions[0].due' is '2026-13-01'"),
    ("emotion", {"content/journeys/buy/01-call.md": "---\ntitle: C\nemotion: 5\n---\n"},
     "content/journeys/buy/01-call.md", 3, "'emotion' is 5, not a score from -2 to 2"),
    ("emotion word", {"content/journeys/buy/01-call.md": "---\ntitle: C\nemotion: sad\n---\n"},
     "content/journeys/buy/01-call.md", 3, "'emotion' is 'sad'"),
    ("emotion persona", {"content/journeys/buy/01-call.md":
                         "---\ntitle: C\nemotion:\n  bob: 1\n---\n"},
     "content/journeys/buy/01-call.md", 4, "emotion for 'bob', who is not a persona"),
    ("metric", {"content/journeys/buy/01-call.md":
                "---\ntitle: C\nmetrics:\n  - name: CSAT\n    value: high\n---\n"},
     "content/journeys/buy/01-call.md", 5, "'metrics[0].value' must be a number, not text"),
    ("no index", {"content/journeys/lost/01-a.md": "---\ntitle: A\n---\n"},
     "content/journeys/lost/01-a.md", 1, "journey folder 'lost' has no index.md"),
    ("image", {"content/personas/ana.md": "---\nname: Ana\nimage: ../../../etc/passwd\n---\n"},
     "content/personas/ana.md", 3, "lies outside the project folder"),
    ("unclosed", {"content/personas/ana.md": "---\nname: Ana\n"},
     "content/personas/ana.md", 1, "front matter"),
    ("toml", {"cjmsite.toml": "[site]\nlanguage = \"fr\"\n"},
     "cjmsite.toml", 2, "'site.language' is 'fr'"),
]


@pytest.mark.parametrize("name,files,path,line,message", CASES, ids=[c[0] for c in CASES])
def test_each_error(make_site, name, files, path, line, message) -> None:
    site = make_site(files)
    code, found, output = check(site)
    assert code == 1, output
    errors = [d for d in found if d[2] == "error"]
    assert any(p == path and ln == line and message in msg for p, ln, _, msg in errors), output


def test_unknown_field_is_a_warning_with_suggestion(make_site) -> None:
    site = make_site({"content/journeys/buy/01-call.md":
                      "---\ntitle: C\ntouchpionts: [phone]\n---\n"})
    code, found, output = check(site)
    assert code == 0, output
    assert ("content/journeys/buy/01-call.md", 3, "warning",
            "unknown field 'touchpionts' (did you mean 'touchpoints'?)") in found
    code, found, _ = check(site, "--strict")
    assert code == 1
    assert found[0][2] == "error"


def test_unknown_config_key_warns_with_suggestion(make_site) -> None:
    site = make_site({"cjmsite.toml": "[site]\ntitel = \"X\"\n"})
    code, found, _ = check(site)
    assert code == 0
    assert ("cjmsite.toml", 2, "warning", "unknown key 'site.titel' (did you mean 'title'?)") \
        in found


def test_all_errors_reported_at_once_in_file_order(make_site) -> None:
    site = make_site({
        "content/personas/bad.md": "---\nname:\nrole: [x]\n---\n",
        "content/touchpoints/web.md": "---\ntitle: Web\nchannel: webb\n---\n",
        "content/journeys/buy/02-pay.md": "---\ntitle: Pay\ntouchpoints: [cash]\n"
                                          "emotion: furious\n---\n",
    })
    code, found, output = check(site)
    assert code == 1
    errors = [(p, ln) for p, ln, level, _ in found if level == "error"]
    assert errors == sorted(errors)
    assert {p for p, _ in errors} == {"content/personas/bad.md", "content/touchpoints/web.md",
                                      "content/journeys/buy/02-pay.md"}
    assert len(errors) == 5, output
    assert "check failed: 5 errors" in output


def test_bom_and_crlf_are_accepted(make_site) -> None:
    site = make_site({"content/personas/ana.md":
                      "\ufeff---\r\nname: Ana\r\nrol: x\r\n---\r\nHola\r\n".encode()})
    code, found, output = check(site)
    assert code == 0, output
    assert found == [("content/personas/ana.md", 3, "warning",
                      "unknown field 'rol' (did you mean 'role'?)")]


def test_yaml_tags_that_build_objects_are_refused(make_site) -> None:
    site = make_site({"content/personas/ana.md":
                      "---\nname: !!python/object/apply:os.system ['echo hacked']\n---\n"})
    code, found, output = check(site)
    assert code == 1 and "hacked" not in output
    assert ("content/personas/ana.md", 2, "error") in [d[:3] for d in found]
    assert "could not determine a constructor" in output


def test_emotion_words_in_both_languages(make_site) -> None:
    from cjmsite.commands.check import check as run_check

    words = {"magical": 2, "Mágica": 2, "feliz": 1, "indifferent": 0, "infeliz": -1,
             "FRUSTRATED": -2, "frustrado": -2, "-1": -1}
    for word, score in words.items():
        site = make_site({"content/journeys/buy/01-call.md":
                          f"---\ntitle: C\nemotion: {word}\n---\n"})
        result = run_check(site)
        report, model = result.report, result.site
        assert not report.errors, (word, report.items)
        assert model.journeys["buy"].stages[0].emotion == {"ana": score}, word


def test_gap_ids_are_stable_and_unique_in_a_journey(make_site) -> None:
    from conftest import parse_html, run

    site = make_site({
        "content/journeys/buy/01-call.md": "---\ntitle: Call\ngaps:\n  - title: Slow answer\n"
                                           "  - title: Slow answer\n  - title: Odd\n"
                                           "    id: Not A Slug\n  - title: Kept\n    id: kept\n"
                                           "  - x\n---\n",
        "content/journeys/buy/02-pay.md": "---\ntitle: Pay\ngaps:\n  - title: Slow answer\n"
                                          "  - title: Other\n    id: kept\n---\n"})
    output = run("check", str(site)).output
    assert "content/journeys/buy/01-call.md:5: error: gap id 'slow-answer' is used twice in " \
           "journey 'buy' (also content/journeys/buy/01-call.md:4)" in output
    assert "content/journeys/buy/01-call.md:7: error: 'gaps[2].id' is 'Not A Slug', not a " \
           "slug (lower-case letters, digits and '-'): write 'not-a-slug'" in output
    assert "content/journeys/buy/02-pay.md:6: error: gap id 'kept' is used twice in journey " \
           "'buy' (also content/journeys/buy/01-call.md:9)" in output
    assert "02-pay.md:4" not in output  # a title's slug only needs to be unique in its stage
    (site / "content/journeys/buy/01-call.md").write_text(
        "---\ntitle: Call\ngaps:\n  - title: Slow answer\n  - title: Odd\n    id: odd-one\n---\n")
    (site / "content/journeys/buy/02-pay.md").write_text(
        "---\ntitle: Pay\ngaps:\n  - title: Slow answer\n---\n")
    assert run("build", str(site)).exit_code == 0
    rows = parse_html(site / "output/gaps/index.html").xpath("//tr[@id]/@id")
    assert rows == ["gap-buy-call-slow-answer", "gap-buy-odd-one", "gap-buy-pay-slow-answer"]
    links = parse_html(site / "output/journeys/buy/index.html").xpath(
        "//a[contains(@href, 'gaps/index.html#')]/@href")
    assert "../../gaps/index.html#gap-buy-odd-one" in links


@pytest.mark.parametrize("broken", ["content/personas/carla-conductora.md",
                                    "content/touchpoints/caja.md",
                                    "content/journeys/recepcion-y-facturacion/index.md"])
def test_a_file_that_does_not_read_is_the_only_error_it_causes(tmp_path: Path,
                                                                broken: str) -> None:
    """Not a screenful of "unknown persona" errors and survey-row warnings after it: the
    references to it are knock-on, and surveys wait until it reads."""
    site = copy_example(tmp_path / "site")
    path = site / broken
    assert path.is_file()
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\nx: [\n---\n", 1),
                    encoding="utf-8")
    code, found, output = check(site)
    assert code == 1
    assert [(p, level) for p, _, level, _ in found] == [(broken, "error")], output
    assert "not read until the files above that cannot be read are mended" in output
