"""Fixtures that build real content folders and parse what a reader would get."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree, html

from cjmsite.cli import cli

REPO = Path(__file__).resolve().parent.parent


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL = {
    "content/personas/ana.md": """
        ---
        name: Ana
        ---
        """,
    "content/touchpoints/phone.md": """
        ---
        title: Phone line
        channel: phone
        ---
        """,
    "content/journeys/buy/index.md": """
        ---
        title: Buying
        persona: ana
        objective: Understand buying
        ---
        """,
    "content/journeys/buy/01-call.md": """
        ---
        title: Call
        touchpoints: [phone]
        emotion: 1
        ---
        """,
}


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """A project folder from a dict of files; `base=True` starts from a minimal valid site."""

    def make(files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if base:
            write_files(root, MINIMAL)
        return write_files(root, files or {})

    return make


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example site, built once for the session; returns its output folder."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "cjmsite.toml", root / "cjmsite.toml")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root / "output"


def parse_html(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def parse_svg(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))


SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="session")
def example_site_root(example_build: Path) -> Path:
    return example_build.parent
