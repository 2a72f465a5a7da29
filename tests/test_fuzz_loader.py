"""Fuzzing the loader: whatever the bytes, parsing and validation report problems and never
raise. Derandomised and bounded, so CI is reproducible and quick."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjmsite.content import validate
from cjmsite.content.parse import parse_one
from cjmsite.content.source import decode_source, parse_text
from cjmsite.diagnostics import Report

FIELDS = sorted({*validate.PERSONA_FIELDS, *validate.TOUCHPOINT_FIELDS,
                 *validate.JOURNEY_FIELDS, *validate.STAGE_FIELDS, *validate.GAP_FIELDS,
                 *validate.ACTION_FIELDS, *validate.METRIC_FIELDS})
FUZZ = settings(max_examples=150, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | \
    st.sampled_from(["Atención 😀", "ñandú", "alta", "en-curso", "3,9", "-2", "magical",
                     "frustrado", "2024-13-40", ".inf", "", " ", "---", "*a", "&a x", "[", "{"])
scalar = st.none() | st.booleans() | st.integers(-10**40, 10**40) | \
    st.floats(allow_nan=True, allow_infinity=True) | text
key = st.sampled_from(FIELDS) | text | st.integers(0, 3)
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(key, inner, max_size=4), max_leaves=20)
front = st.dictionaries(key, value, max_size=8)


def _validate_all(src) -> None:
    report = Report()
    validate.persona(src, report, "p", "p")
    validate.touchpoint(src, report, "t", "t")
    journey = validate.journey(src, report, "j", "j")
    validate.stage(src, report, "s", "s", "gap-j-s", journey.personas or ["p"])
    for item in report.items:
        assert item.path == "f.md" and item.line >= 1 and item.message


def _check(raw: bytes) -> None:
    started = time.perf_counter()
    report = Report()
    src = decode_source(raw, "f.md", report)
    if src is not None:
        _validate_all(src)
    for item in report.items:
        assert item.path == "f.md" and item.line >= 1, item
    assert time.perf_counter() - started < 2


@FUZZ
@given(front, st.sampled_from(["", "\ufeff"]), st.sampled_from(["\n", "\r\n"]), text)
def test_structured_front_matter_never_raises(data, bom, newline, body) -> None:
    dumped = yaml.safe_dump(json.loads(json.dumps(data, default=str)), allow_unicode=True)
    raw = f"{bom}---\n{dumped}---\n{body}\n".replace("\n", newline)
    _check(raw.encode("utf-8"))


@FUZZ
@given(st.lists(st.sampled_from([
    "title: x", "title: &a [1, 2]", "owner: *a", "x: &b [*b]", "\t- y", "  - z", "gaps:",
    "  - title: g", "    severity: alta", "emotion: {ana: 2}", "emotion: 9", "- a", ": :",
    "order: 1e400", "order: 99999999999999999999999999999999999", "!!set {a}", "? k",
    "metrics:", "  - {name: n, value: .nan}", "phases: [a, b]", "persona: [ana, bob]",
    "'unterminated", "key: \"ñ 😀\"", "<<: *a", "[[[[", "}}}"]), max_size=12), text)
def test_line_soup_never_raises(lines, body) -> None:
    _check(("---\n" + "\n".join(lines) + "\n---\n" + body).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(raw) -> None:
    _check(b"---\n" + raw)
    _check(raw)


@settings(max_examples=60, deadline=3000, derandomize=True)
@given(st.text(max_size=400), st.booleans())
def test_parse_one_never_raises(body, unsafe) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.md"
        path.write_text(f"---\ntitle: x\n---\n{body}", encoding="utf-8", errors="surrogatepass")
        parsed = parse_one(str(path), "x.md", unsafe, folder)
        assert parsed.source is not None or parsed.diagnostics


def test_parse_text_reports_rather_than_raises_on_every_yaml_error() -> None:
    for bad in ["---\n: : :\n---\n", "---\n[\n---\n", "---\n*x\n---\n", "---\n- a\n---\n"]:
        report = Report()
        assert parse_text("f.md", bad, report) is None
        assert report.items and report.items[0].path == "f.md"
