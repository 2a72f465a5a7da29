"""Nothing is read from outside the project: symlinks out, devices, FIFOs and huge files are
refused as `path:line: error:`, all at once, and the previous output stays untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_fails, run
from test_build import snapshot

SECRET = "root:x:0:0:secret-line"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text(f"---\nname: {SECRET}\n---\n{SECRET}\n")
    return path


def _published(site: Path) -> str:
    out = site / "output"
    if not out.is_dir():
        return ""
    return "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())




def test_content_symlink_out_of_the_project_is_an_error(make_site, secret: Path) -> None:
    site = make_site()
    assert run("build", str(site)).exit_code == 0
    before = snapshot(site / "output")
    (site / "content/personas/leak.md").symlink_to(secret)
    build_fails(site, "content/personas/leak.md:1: error: leak.md is a symlink to a "
                            "file outside the project")
    assert snapshot(site / "output") == before
    assert SECRET not in _published(site)


def test_content_folder_symlink_out_of_the_project_is_an_error(make_site, secret) -> None:
    site = make_site()
    (site / "content/journeys/leak").symlink_to(secret.parent, target_is_directory=True)
    build_fails(site, "content/journeys/leak:1: error: leak is a symlink to a folder "
                            "outside the project")


def test_symlinks_inside_the_project_are_followed(make_site) -> None:
    site = make_site({"shared/bea.md": "---\nname: Bea\n---\n"})
    (site / "content/personas/bea.md").symlink_to(site / "shared/bea.md")
    (site / "content/journeys/loop").symlink_to(site / "content/journeys",
                                                target_is_directory=True)
    result = run("build", str(site))
    assert "content/journeys/loop:1: error: loop is a symlink to a folder that contains it" \
        in result.output
    (site / "content/journeys/loop").unlink()
    assert run("build", str(site)).exit_code == 0
    assert "Bea" in (site / "output/personas/bea/index.html").read_text()


def test_theme_asset_symlink_out_of_the_project_is_an_error(make_site, secret) -> None:
    site = make_site({"cjmsite.toml": '[site]\ntheme = "mine"\n',
                      "themes/mine/static/ok.css": "body {}\n"})
    (site / "themes/mine/static/leak.txt").symlink_to(secret)
    build_fails(site, "themes/mine/static/leak.txt:1: error: leak.txt is a symlink")
    assert SECRET not in _published(site)


def test_theme_template_symlink_out_of_the_project_is_an_error(make_site, secret) -> None:
    site = make_site({"cjmsite.toml": '[site]\ntheme = "mine"\n'})
    (site / "themes/mine/templates").mkdir(parents=True)
    (site / "themes/mine/templates/base.html").symlink_to(secret)
    build_fails(site, "themes/mine/templates/base.html:1: error:")
    assert SECRET not in _published(site)


@pytest.mark.parametrize("theme", ["../../x", "/etc", "a/b", ".."])
def test_theme_is_a_folder_name_not_a_path(make_site, theme: str) -> None:
    site = make_site({"cjmsite.toml": f'[site]\ntheme = "{theme}"\n'})
    build_fails(site, "cjmsite.toml:2: error: 'site.theme'", "not by a path")


def test_theme_folder_symlink_out_of_the_project_is_an_error(make_site, tmp_path) -> None:
    (tmp_path / "elsewhere/templates").mkdir(parents=True)
    site = make_site({"cjmsite.toml": '[site]\ntheme = "mine"\n'})
    (site / "themes").mkdir()
    (site / "themes/mine").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    build_fails(site, "cjmsite.toml:2: error: theme 'mine'", "outside the project")


@pytest.mark.parametrize("key", ["content_dir", "output_dir"])
@pytest.mark.parametrize("value", ["../elsewhere", "/tmp"])
def test_content_and_output_folders_stay_inside_the_project(make_site, key, value) -> None:
    site = make_site({"cjmsite.toml": f'[site]\n{key} = "{value}"\n'})
    build_fails(site, f"cjmsite.toml:2: error: 'site.{key}' is '{value}', which lies "
                            "outside the project folder")


def test_persona_image_symlink_out_of_the_project_is_an_error(make_site, tmp_path) -> None:
    (tmp_path / "face.png").write_bytes(b"\x89PNG secret")
    site = make_site({"content/personas/ana.md": "---\nname: Ana\nimage: face.png\n---\n"})
    (site / "content/personas/face.png").symlink_to(tmp_path / "face.png")
    build_fails(site, "content/personas/ana.md:3: error: image 'face.png'",
                      "outside the project")


def _cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cjmsite", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_a_fifo_does_not_hang_check(make_site) -> None:
    site = make_site()
    os.mkfifo(site / "content/personas/x.md")
    proc = _cli("check", str(site))  # today this never returns
    assert proc.returncode == 1
    assert "content/personas/x.md:1: error: x.md is not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_symlink_to_dev_zero_is_refused(make_site) -> None:
    site = make_site()
    (site / "content/personas/zero.md").symlink_to("/dev/zero")
    proc = _cli("build", str(site))
    assert proc.returncode == 1
    assert "content/personas/zero.md:1: error: zero.md is a symlink to a file outside" \
        in proc.stderr


def test_a_device_inside_the_walk_is_refused(make_site) -> None:
    """/dev/zero reached through a symlinked folder inside /dev is still not a file."""
    from cjmsite import safefs

    with pytest.raises(safefs.UnsafeFile, match="not a regular file"):
        safefs.read("/dev/zero", Path("/"), 1024)


def test_huge_files_are_refused_with_the_limit(make_site) -> None:
    from cjmsite.safefs import MAX_CONTENT_BYTES

    site = make_site()
    body = "---\nname: Big\n---\n" + "x" * MAX_CONTENT_BYTES
    (site / "content/personas/big.md").write_text(body)
    output = build_fails(site, "content/personas/big.md:1: error: big.md is 2,097,170 "
                                     "bytes, over the limit of 2 MiB per file")
    assert output.count("error:") == 1


def test_a_huge_config_names_its_limit_in_kib(make_site) -> None:
    site = make_site()
    (site / "cjmsite.toml").write_text('[site]\ntitle = "x"\n' + "#" * 300_000 + "\n")
    build_fails(site, "over the limit of 256 KiB per file")


def test_all_problems_are_reported_at_once(make_site, secret) -> None:
    site = make_site()
    (site / "content/personas/leak.md").symlink_to(secret)
    os.mkfifo(site / "content/touchpoints/pipe.md")
    (site / "content/journeys/buy/02-bad.md").write_text("---\ntitle: [x\n---\n")
    output = build_fails(site, "leak.md:1: error:", "pipe.md:1: error:",
                               "02-bad.md:3: error:")
    assert "3 errors" in output


def test_config_must_be_utf8(make_site) -> None:
    site = make_site()
    (site / "cjmsite.toml").write_bytes('[site]\ntitle = "Atención"\n'.encode("latin-1"))
    build_fails(site, "cjmsite.toml:2: error: file is not UTF-8 (byte 0xf3)")


def test_deep_toml_is_an_error_with_a_path(make_site) -> None:
    site = make_site()
    (site / "cjmsite.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    build_fails(site, "cjmsite.toml:1: error: TOML is nested too deeply")


def test_huge_toml_integer_is_an_error_with_a_path(make_site) -> None:
    site = make_site()
    (site / "cjmsite.toml").write_text("[site]\nx = " + "9" * 5000 + "\n")
    build_fails(site, "cjmsite.toml:1: error: TOML does not parse")


@pytest.mark.parametrize("name", ["content", "output"])
def test_content_or_output_symlinked_out_of_the_project(make_site, tmp_path, name) -> None:
    site = make_site()
    elsewhere = tmp_path / "elsewhere"
    if name == "content":
        (site / "content").rename(elsewhere)
    else:
        elsewhere.mkdir()
    (site / name).symlink_to(elsewhere, target_is_directory=True)
    build_fails(site, f"cjmsite.toml:1: error: '{name}' ({name}_dir) is a symlink to a folder "
                      "outside the project")
    assert list(elsewhere.iterdir()) == [] or name == "content"


def test_a_folder_that_cannot_be_read_is_an_error(make_site, monkeypatch) -> None:
    """Not a journey quietly missing from the site (as root, chmod cannot make a folder
    unreadable: the listing is refused here instead)."""
    site = make_site({"content/journeys/secret/index.md": "---\ntitle: S\n---\n"})
    real = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202
        if str(path).endswith("journeys/secret"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    build_fails(site, "content/journeys/secret:1: error: secret folder cannot be read: "
                      "Permission denied")


def test_escaped_control_characters_in_front_matter_are_refused(make_site) -> None:
    """libyaml refuses them written out; a double-quoted escape must not slip one into a
    page or a map.svg (not XML any more)."""
    site = make_site({"content/journeys/buy/02-pay.md":
                      '---\ntitle: Pay\nmoment: "Paga\\x1bya"\n---\n'})
    build_fails(site, "content/journeys/buy/02-pay.md:3: error: the text has a control "
                      "character (U+001B)")


def test_a_backslash_in_a_theme_file_name_is_named_at_the_file(make_site) -> None:
    site = make_site({"cjmsite.toml": '[site]\ntitle = "T"\ntheme = "mine"\n',
                      "themes/mine/static/a\\b.css": "p{}"})
    build_fails(site, "themes/mine/static/a\\b.css:1: error: 'a\\b.css': a backslash")


@pytest.mark.parametrize("proc", [True, False])
def test_a_file_reached_through_a_folder_linked_into_git_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proc: bool) -> None:
    """safefs.read judges where the file it opened really is (the kernel's answer, or
    the resolved path where /proc is missing), not the path as written."""
    from cjmsite import safefs

    root = tmp_path.resolve()
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[credential]\nhelper = secret\n")
    (root / "content").mkdir()
    (root / "content" / "x").symlink_to(root / ".git", target_is_directory=True)
    (root / "content" / "ok.md").write_text("fine")
    if not proc:
        monkeypatch.setattr(safefs, "PROC_FD", str(tmp_path / "no-proc") + "/")
    with pytest.raises(safefs.UnsafeFile, match="inside a .git folder"):
        safefs.read(root / "content" / "x" / "config", root, safefs.MAX_CONTENT_BYTES)
    with pytest.raises(safefs.UnsafeFile, match="inside a .git folder"):
        safefs.read(root / ".git" / "config", root, safefs.MAX_CONTENT_BYTES)
    assert safefs.read(root / "content" / "ok.md", root, safefs.MAX_CONTENT_BYTES) == b"fine"
