"""Front matter is read by one walk that checks, notes key lines and builds the data
(content/source.py `_construct`); files it does not handle go through PyYAML's own
constructor. Both ways, and both of PyYAML's parsers (libyaml's, and the pure-Python one
used where libyaml is not installed), must give the same data, lines and messages."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjmsite.content import source
from cjmsite.diagnostics import Report

REPO = Path(__file__).resolve().parent.parent

CASES = {
    "plain": "title: Recepción\nstatus: done\nscore: 3\nratio: 1.5\nflag: true\nnone: ~\n",
    "lists": "persona: [ana, luis]\ngaps:\n  - title: a\n    actions:\n      - due: 2024-01-02\n"
             "        owner: x\n  - title: b\n",
    "yaml 1.1 words stay text": "phase: No\nanswer: yes\nwhen: 2024-05-01\n",
    "numbers": "a: 0x1F\nb: 0o17\nc: 1_000\nd: 1:20\ne: .inf\nf: -.nan\ng: 017\nh: +12\n",
    "int keys": "emotion:\n  1: 2\n  2024: -1\n  ana: ~\n",
    "keys one value apart": "a:\n  1: first\n  01: second\n",
    "bool and null keys": "x:\n  true: 1\n  True: 2\n  ~: 3\n",
    "explicit str": "a: !!str 123\nb: !!int '7'\nc: !!float '2'\nd: !!bool 'yes'\n",
    "alias": "base: &b {x: 1}\nother: *b\nlist: [*b, *b]\n",
    "merge": "base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n",
    "merge list": "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n",
    "value key": "a:\n  =: 1\n",
    "value as value": "a: =\n",
    "complex key": "? [a, b]\n: 1\n",
    "set tag": "a: !!set {x, y}\n",
    "timestamp tag": "a: !!timestamp 2024-01-01\n",
    "unknown tag": "a: !custom 1\n",
    "python tag": "a: !!python/name:os.system\n",
    "big int": "a: " + "9" * 40 + "\n",
    "control char": 'a: "\\x00"\n',
    "control char key": '"\\e": 1\n',
    "control char written": "a: x\x01y\n",
    "non-character written": "a: x\ufffey\n",
    "control char, no anchor": 'a: &x "\\x07"\n',
    "duplicate": "a: 1\nb: 2\na: 3\n",
    "duplicate nested": "x:\n  - a: 1\n    a: 2\n",
    "duplicate after a tag": "t: !!set {x}\na: 1\na: 2\n",
    "deep": "a: " + "[" * 70 + "]" * 70 + "\n",
    "alias bomb": "a: &a [1,2,3,4,5,6,7,8,9,10]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
    "self alias": "a: &a [1, *a]\n",
    "scalar document": "just text\n",
    "list document": "- a\n- b\n",
    "empty": "",
    "comment only": "# nothing\n",
    "tab": "a:\n\tb: 1\n",
    "colon in value": "title: Paso 1: llegar\n",
    "unclosed quote": 'title: "abc\n',
    "bad indent": "a:\n  b: 1\n c: 2\n",
    "emoji": "title: Atención 😀\nñandú: sí\n",
    "empty values": "a:\nb: []\nc: {}\nd: ''\n",
}


def _parse(module, front: str) -> tuple:
    report = Report()
    src = module.parse_text("f.md", f"---\n{front}---\nbody\n", report)
    got = None if src is None else (_typed(src.data), src.lines, src.body)
    return got, [(d.line, d.level, d.message) for d in report.items]


def _typed(value: object, seen: dict[int, int] | None = None) -> object:
    """The data with every value's type, NaN comparable, and each list or mapping that
    appears again (an alias: PyYAML shares the object) marked as such."""
    seen = {} if seen is None else seen
    if isinstance(value, dict | list):
        if id(value) in seen:
            return ("again", seen[id(value)])
        seen[id(value)] = len(seen)
    if isinstance(value, dict):
        return ("dict", [(_typed(k, seen), _typed(v, seen)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item, seen) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file through _walk and PyYAML's constructor (the way before the one walk)."""
    monkeypatch.setattr(source, "_construct", lambda *args: (source._FALLBACK, {}))


def _corpus() -> dict[str, str]:
    files = sorted((REPO / "content").rglob("*.md"))
    assert len(files) > 20
    return {str(path.relative_to(REPO)): path.read_text(encoding="utf-8").split("---\n")[1]
            for path in files}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_one_walk_equals_pyyaml_constructor(name: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _parse(source, CASES[name])
    _slow(monkeypatch)
    assert fast == _parse(source, CASES[name])


def test_the_one_walk_handles_plain_files_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's files never need PyYAML's constructor (else nothing was gained)."""
    def refuse(*args: object) -> None:
        raise AssertionError("PyYAML's constructor was used")

    monkeypatch.setattr(source._Loader, "construct_document", refuse)
    for rel, front in {**_corpus(), "plain": CASES["plain"], "int keys": CASES["int keys"],
                       "numbers": CASES["numbers"]}.items():
        got, problems = _parse(source, front)
        assert got is not None and not problems, rel


def test_the_example_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus()
    fast = {rel: _parse(source, front) for rel, front in corpus.items()}
    _slow(monkeypatch)
    assert fast == {rel: _parse(source, front) for rel, front in corpus.items()}


def test_without_libyaml_every_case_reads_the_same() -> None:
    """Where PyYAML has no libyaml, source.py falls back to its pure-Python SafeLoader:
    the same data, key lines, problems and their lines for every case."""
    assert source._Loader.__mro__[1] is yaml.CSafeLoader
    with_libyaml = {name: _parse(source, front) for name, front in CASES.items()}
    corpus = {rel: _parse(source, front) for rel, front in _corpus().items()}
    patch = pytest.MonkeyPatch()
    patch.delattr(yaml, "CSafeLoader")
    try:
        pure = importlib.reload(source)
        assert pure._Loader.__mro__[1] is yaml.SafeLoader
        without = {name: _parse(pure, front) for name, front in CASES.items()}
        assert corpus == {rel: _parse(pure, front) for rel, front in _corpus().items()}
    finally:
        patch.undo()
        importlib.reload(source)
    assert source._Loader.__mro__[1] is yaml.CSafeLoader
    assert _worded(with_libyaml) == _worded(without)
    # the two parsers word some problems differently; the line is the same
    assert with_libyaml["bad indent"][1][0][:2] == without["bad indent"][1][0][:2] == (4, "error")


def _worded(results: dict[str, tuple]) -> dict[str, tuple]:
    """The results with the parser's own wording of a syntax error left out (libyaml:
    'did not find expected key', PyYAML: "expected <block end>, but found ...")."""
    def problem(message: str) -> str:
        if message.startswith("YAML does not parse:") and "tabs" not in message:
            return "YAML does not parse:" + message.partition(";")[2]
        return message

    return {name: (got, [(line, level, problem(message)) for line, level, message in items])
            for name, (got, items) in results.items()}


FRONT = settings(max_examples=200, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])
_text = st.sampled_from(["a", "ñandú 😀", "1", "01", "0x1F", "1.5", ".inf", "~", "null", "true",
                         "No", "yes", "2024-01-01", "1:20", "=", "<<", "- x", "a: b", "'q'",
                         "", "&a", "*a", "!x", "#c", "[", "{"])
_scalar = st.none() | st.booleans() | st.integers(-10**35, 10**35) | st.floats() | _text
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_text | st.integers(0, 3), inner, max_size=3),
                      max_leaves=12)


@FRONT
@given(st.dictionaries(_text, _value, max_size=6), st.sampled_from(["block", "flow", "raw"]))
def test_any_front_matter_reads_the_same_both_ways(data: dict, style: str) -> None:
    if style == "raw":  # unquoted text: YAML's own reading of each word, anchors, tags
        front = "".join(f"{key or 'k'}: {value}\n" for key, value in data.items())
    else:
        front = yaml.safe_dump(data, default_flow_style=style == "flow", allow_unicode=True)
    fast = _parse(source, front)
    with pytest.MonkeyPatch.context() as patch:
        _slow(patch)
        assert fast == _parse(source, front)


_WORDS = ["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "yes", "No", "on",
          "off", "y", "n", "0", "-0", "+12", "0x1F", "0o17", "0b101", "017", "1_000", "1:20",
          "190:20:30", "1.5", "-1.5e3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "2024-01-01",
          "2001-12-14t21:59:43.10-05:00", "=", "<<", "a", "ñandú", "😀", "Atención", "1.", ".5"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.sampled_from(_WORDS) | st.text(max_size=12),
       st.sampled_from([(True, False), (False, True), (False, False), (True, True)]),
       st.sampled_from([yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode]))
def test_the_resolver_is_pyyamls(value: str, implicit: tuple, kind: type) -> None:
    """source._Loader's resolver gives every scalar the tag PyYAML's own would."""
    loader = source._Loader("a: 1\n")
    try:
        assert loader.resolve(kind, value, implicit) == \
            yaml.resolver.BaseResolver.resolve(loader, kind, value, implicit)
    finally:
        loader.dispose()
