"""What users install is a wheel, not this checkout: it must hold every file the package
reads at run time. (.ci/wheel-smoke installs it in a fresh venv and runs every command.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # From a clean copy: setuptools reuses a build/ folder left in the source tree, which
    # can hold files the package data no longer names.
    source = out / "source"
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "output", "corpus*", "work", ".venv",
        "__pycache__", "screenshots", "images"))
    # Built as pip builds it for users: in an isolated environment with the build
    # requirements of pyproject.toml, fetched from the package index.
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "-w", str(out), str(source)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [built] = out.glob("cjmsite-*.whl")
    return built


def _data_files() -> set[str]:
    """Every file under cjmsite/ that is not Python source (symlinked folders followed:
    the Spanish example site is a link to the repository's own content/)."""
    package = REPO / "cjmsite"
    found = set()
    for path in package.rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix in (".py", ".pyc"):
            continue
        found.add(path.relative_to(REPO).as_posix())
    links = [p for p in (package / "example").glob("*/*") if p.is_symlink()]
    assert links, "the Spanish example links to content/ and cjmsite.toml"
    for link in links:
        target = link.resolve()
        files = [target] if target.is_file() else [p for p in target.rglob("*") if p.is_file()]
        for path in files:
            rel = path.relative_to(target)
            found.add(link.relative_to(REPO).as_posix()
                      + (f"/{rel.as_posix()}" if str(rel) != "." else ""))
    return found


def test_wheel_holds_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(_data_files() - names)
    assert not missing, f"not in the wheel: {missing}"
    for needed in ("cjmsite/mapsvg/map.css", "cjmsite/live/client.js",
                   "cjmsite/live/vendor/idiomorph.js",
                   "cjmsite/live/worker.js", "cjmsite/themes/default/templates/base.html",
                   "cjmsite/example/es/content/personas/carla-conductora.md",
                   "cjmsite/example/en/content/personas/carla-driver.md",
                   "cjmsite/example/en/content/surveys/nps-after-sales.csv",
                   "cjmsite/py.typed"):
        assert needed in names, needed


def test_version_is_printed() -> None:
    from cjmsite import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"cjmsite, version {__version__}"


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution (normalised name) -> the package modules that import it, from every
    `import` in cjmsite/ (those inside functions too), standard library left out."""
    import ast
    from importlib.metadata import packages_distributions

    dists = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in (REPO / "cjmsite").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "cjmsite":
                    continue
                for dist in dists.get(top, [top]):
                    found.setdefault(_normal(dist), set()).add(
                        path.relative_to(REPO).as_posix())
    return found


def _normal(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(names: list[str]) -> set[str]:
    import re

    return {_normal(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0]) for spec in names}


def test_dependencies_are_what_the_package_imports() -> None:
    """Every library the package imports is declared (an undeclared one works only while
    another dependency happens to bring it), and every declared one is imported (a
    library only the tests use belongs in the test extra)."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _requirements(project["dependencies"])
    extras = {name: _requirements(specs)
              for name, specs in project["optional-dependencies"].items()}
    imported = _imported_distributions()
    undeclared = {dist: sorted(paths) for dist, paths in imported.items()
                  if dist not in declared
                  and not (paths == {"cjmsite/mkdocs_plugin.py"} and dist in extras["mkdocs"])}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
    unused = sorted(declared - set(imported))
    assert not unused, f"declared but never imported by the package: {unused}"
    assert "svgwrite" in extras["test"]
