"""Build behaviour a user relies on: all-or-nothing output, determinism, safe output folders."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import REPO, parse_html, run


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_output_untouched(make_site) -> None:
    site = make_site()
    assert run("build", str(site)).exit_code == 0
    before = snapshot(site / "output")
    (site / "content/journeys/buy/01-call.md").write_text("---\ntitle: [broken\n---\n")
    result = run("build", str(site))
    assert result.exit_code == 1
    assert "content/journeys/buy/01-call.md:" in result.output
    assert "output left unchanged" in result.output
    assert snapshot(site / "output") == before
    assert sorted(p.name for p in site.iterdir()) == ["content", "output"]  # no cache, no leftovers


def test_same_content_gives_identical_bytes(make_site, tmp_path: Path) -> None:
    import shutil

    site = make_site()
    shutil.copytree(REPO / "content", site / "content", dirs_exist_ok=True)
    shutil.copy(REPO / "cjmsite.toml", site / "cjmsite.toml")
    other = tmp_path / "copy"
    shutil.copytree(site, other)
    assert run("build", str(site)).exit_code == 0
    first = snapshot(site / "output")
    assert run("build", str(site)).exit_code == 0
    assert run("build", str(other)).exit_code == 0
    assert snapshot(site / "output") == first == snapshot(other / "output")


def test_refuses_output_holding_foreign_files(make_site) -> None:
    site = make_site()
    (site / "output").mkdir()
    (site / "output" / "thesis.docx").write_text("precious")
    result = run("build", str(site))
    assert result.exit_code == 1
    assert "holds files cjmsite did not create" in result.output
    assert (site / "output" / "thesis.docx").read_text() == "precious"


def test_refuses_output_that_is_the_project_or_content(make_site) -> None:
    site = make_site()
    for value in (".", "content", ".."):
        (site / "cjmsite.toml").write_text(f'[site]\noutput_dir = "{value}"\n')
        result = run("build", str(site))
        assert result.exit_code == 1, value
        assert "error: output folder" in result.output or "outside the project" in result.output
    assert (site / "content/personas/ana.md").is_file()


def test_rebuild_over_own_output_and_removed_pages_disappear(make_site) -> None:
    site = make_site({"content/personas/bob.md": "---\nname: Bob\n---\n"})
    assert run("build", str(site)).exit_code == 0
    assert (site / "output/personas/bob/index.html").is_file()
    (site / "content/personas/bob.md").unlink()
    assert run("build", str(site)).exit_code == 0
    assert not (site / "output/personas/bob").exists()


def test_init_creates_a_site_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("created ")  # no check notes first
    # The next two commands, one a line, as `mkdocs new` and `hugo new site` print them.
    assert result.output.splitlines()[-3:] == ["next:", f"  cd {target}", "  cjmsite serve"]
    assert (target / "content/journeys/experiencia-global/index.md").is_file()
    assert run("build", str(target), "--strict").exit_code == 0
    assert (target / "output/index.html").is_file()
    again = run("init", str(target))
    assert again.exit_code == 1 and "not empty" in again.output


def test_help_and_module_entry_point() -> None:
    for verb in ("build", "check", "init"):
        result = run(verb, "--help")
        assert result.exit_code == 0 and "--strict" in result.output and "--quiet" in result.output
    proc = subprocess.run([sys.executable, "-m", "cjmsite", "--help"], capture_output=True,
                          text=True, check=True)
    assert "build" in proc.stdout and "check" in proc.stdout and "init" in proc.stdout


def test_quiet_prints_nothing_on_success(make_site) -> None:
    site = make_site()
    result = run("build", str(site), "--quiet")
    assert result.exit_code == 0 and result.output == ""


def test_missing_content_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = run("build", str(tmp_path))
    assert result.exit_code == 1
    assert "content:1: error: content folder not found" in result.output
    assert f"{tmp_path.resolve()} has no folder 'content'" in result.output


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    for verb in ("build", "check"):
        result = run(verb, str(missing))
        assert result.exit_code == 1
        assert f"{missing.resolve()} does not exist" in result.output, result.output


def test_english_ui_and_site_theme_override(make_site) -> None:
    site = make_site({
        "cjmsite.toml": '[site]\ntitle = "CX"\ntheme = "brand"\n',
        "themes/brand/templates/base.html": "{% extends 'default_base.html' %}",
    })
    # A theme overrides by file name: here only the stylesheet.
    (site / "themes/brand/templates/base.html").unlink()
    (site / "themes/brand/static").mkdir(parents=True)
    (site / "themes/brand/static/style.css").write_text("body{color:red}")
    assert run("build", str(site)).exit_code == 0
    assert (site / "output/assets/style.css").read_text() == "body{color:red}"
    doc = parse_html(site / "output/index.html")
    assert doc.get("lang") == "en"
    assert doc.xpath("//nav[contains(@class,'mainnav')]//a/text()")[0] == "Home"
    (site / "themes/brand/templates/404.html").write_text("custom 404 {{ config.title }}")
    assert run("build", str(site)).exit_code == 0
    assert (site / "output/404.html").read_text() == "custom 404 CX"


def test_missing_theme_is_reported(make_site) -> None:
    site = make_site({"cjmsite.toml": '[site]\ntheme = "nope"\n'})
    result = run("check", str(site))
    assert result.exit_code == 1 and "cjmsite.toml:2: error: theme 'nope' not found" in \
        result.output


def test_build_date_only_when_asked(make_site) -> None:
    import datetime

    site = make_site({"cjmsite.toml": "[site]\nshow_build_date = true\n"})
    assert run("build", str(site)).exit_code == 0
    footer = parse_html(site / "output/index.html").xpath("//footer")[0].text_content()
    assert f"Built on {datetime.date.today().isoformat()}" in footer
