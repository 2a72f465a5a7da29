"""Fixtures that build real content folders and parse what a reader would get."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds keep their caches in the user's cache folder: in tests, one of our own."""
    os.environ["CJMSITE_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    os.environ.pop("CJMSITE_CACHE_DIR", None)


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


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Ana", "-c", "user.email=ana@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def edit(repo: Path, rel: str, old: str, new: str, count: int = -1) -> str:
    """Replace `old` (which must be there) in a file, every time or the first `count`
    times; returns the file's path, as a watcher reports it."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return str(path)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def build_fails(site: Path, *messages: str) -> str:
    """Build `site`, expect exit 1 with every message and no traceback; the output."""
    result = run("build", str(site))
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output, result.output
    assert "Traceback" not in result.output
    return result.output


def copy_example(root: Path) -> Path:
    """The shipped example site, copied to `root` (for tests that edit it)."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "cjmsite.toml", root / "cjmsite.toml")
    return root


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


CHROMIUM = os.environ.get("CJMSITE_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (no browser download on these machines)."""
    if not CHROMIUM or not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium: apt-get install -y chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="needs Playwright: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(example_build: Path) -> Iterator[str]:
    """The built example over plain HTTP, as any static web server would serve it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_QuietHandler, directory=str(example_build)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["http", "file"])
def site_url(request: pytest.FixtureRequest, example_build: Path) -> str:
    """The example's base URL, once served over HTTP and once opened from disk."""
    if request.param == "file":
        return example_build.as_uri() + "/"
    return request.getfixturevalue("served")


class Tab:
    """A browser page that records what a reader would see go wrong: script errors,
    console errors and files that failed to load."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: self.errors.append(f"{r.status}: {r.url}")
                if r.status >= 400 else None)

    def _failed(self, request) -> None:  # noqa: ANN001 - Playwright's Request
        # A reload or a navigation cancels what the old page was still fetching (its
        # favicon, say): Chromium reports net::ERR_ABORTED, which no reader sees.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def open(self, url: str) -> Tab:
        self.errors.clear()
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        return self


@pytest.fixture
def tab(browser) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Tab(context.new_page())
    context.close()


# One page of each type in the example site (output-relative paths).
PAGE_TYPES = {
    "home": "index.html",
    "journeys": "journeys/index.html",
    "journey": "journeys/experiencia-global/index.html",
    "personas": "personas/index.html",
    "persona": "personas/carla-conductora/index.html",
    "touchpoints": "touchpoints/index.html",
    "touchpoint": "touchpoints/central-telefonica/index.html",
    "gaps": "gaps/index.html",
    "attention": "attention/index.html",
    "insights": "insights/index.html",
    "insight": "insights/entrevistas-espera-recepcion/index.html",
    "404": "404.html",
}
