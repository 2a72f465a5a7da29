"""A site theme comes with the repository: its templates run sandboxed and bounded, and
whatever goes wrong in them is `path:line: error:` with the previous output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_fails, run
from test_build import snapshot

from cjmsite import pool

BASE = (Path(__file__).resolve().parent.parent / "cjmsite/themes/default/templates/base.html")


def _theme_site(make_site, template: str, name: str = "404.html") -> Path:
    site = make_site({"cjmsite.toml": '[site]\ntheme = "mine"\n',
                      f"themes/mine/templates/{name}": template})
    return site




@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ config.__class__.__init__.__globals__['os'].system('touch PWNED') }}",
    "{{ t.__globals__['__builtins__']['__import__']('os').system('touch PWNED') }}",
])
def test_templates_cannot_reach_python(make_site, attack: str, monkeypatch) -> None:
    site = make_site()
    assert run("build", str(site)).exit_code == 0
    before = snapshot(site / "output")
    (site / "cjmsite.toml").write_text('[site]\ntheme = "mine"\n')
    (site / "themes/mine/templates").mkdir(parents=True)
    (site / "themes/mine/templates/404.html").write_text(f"line one\n{attack}\n")
    monkeypatch.chdir(site)
    build_fails(site, "themes/mine/templates/404.html:2: error: cannot render the page")
    assert not (site / "PWNED").exists()
    assert snapshot(site / "output") == before


def test_syntax_errors_name_the_template_and_line(make_site) -> None:
    site = _theme_site(make_site, "ok\n{% for x in %}\n")
    build_fails(site, "themes/mine/templates/404.html:2: error: cannot render the page")


@pytest.mark.parametrize("template, message", [
    ("{% for i in range(10**9) %}x{% endfor %}", "range() of more than"),
    ("{{ 'x' * 10**9 }}", "10 million"),
    ("{{ 9 ** 999999 }}", "exponent too large"),
    ("{{ lipsum(n=10**9) }}", "lipsum"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "recursed too deeply"),
])
def test_runaway_templates_are_bounded(make_site, template: str, message: str) -> None:
    site = _theme_site(make_site, template)
    build_fails(site, "themes/mine/templates/404.html:1: error: cannot render the page", message)


def test_endless_templates_run_out_of_time(make_site, monkeypatch) -> None:
    monkeypatch.setattr(pool, "JOB_SECONDS", 1.0)
    site = _theme_site(make_site, "{% for a in range(100000) %}{% for b in range(100000) %}"
                                  "{% endfor %}{% endfor %}\n")
    build_fails(site, "themes/mine/templates/404.html:1: error: cannot render the page: "
                 "rendering took too long")


def test_every_page_shares_one_deadline(make_site, monkeypatch) -> None:
    """A loop in the base template of every page costs one build deadline, not one job
    limit per page."""
    monkeypatch.setattr(pool, "BUILD_SECONDS", 2.0)
    text = BASE.read_text(encoding="utf-8").replace(
        "<body", "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}"
                 "{% endfor %}<body", 1)
    site = _theme_site(make_site, text, "base.html")
    output = build_fails(site, "themes/mine/templates/base.html:")
    assert "took too long" in output


def test_a_harmless_theme_override_still_works(make_site) -> None:
    site = _theme_site(make_site, "{% extends 'base.html' %}{% block content %}"
                                  "<p>{{ range(3)|list|length }} lost</p>{% endblock %}")
    assert run("build", str(site)).exit_code == 0
    assert "3 lost" in (site / "output/404.html").read_text()


def test_the_sandbox_is_used_exactly_when_the_site_has_templates(make_site) -> None:
    from jinja2.sandbox import SandboxedEnvironment

    from cjmsite.config import load_config
    from cjmsite.diagnostics import Report
    from cjmsite.render.theme import environment

    plain = make_site()
    assert not isinstance(environment(load_config(plain, Report())), SandboxedEnvironment)
    (plain / "cjmsite.toml").write_text('[site]\ntheme = "mine"\n')
    (plain / "themes/mine/static").mkdir(parents=True)
    assert not isinstance(environment(load_config(plain, Report())), SandboxedEnvironment)
    (plain / "themes/mine/templates").mkdir()
    assert isinstance(environment(load_config(plain, Report())), SandboxedEnvironment)
