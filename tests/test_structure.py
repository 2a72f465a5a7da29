"""The package's shape: one module starts programs, and no two subpackages import each
other (directly or round a longer loop)."""

from __future__ import annotations

import ast

from conftest import REPO

PACKAGE = REPO / "cjmsite"
PROGRAMS = {"subprocess", "os.system", "os.popen", "os.execv", "os.execve", "os.execvp",
            "os.spawnv", "os.spawnl", "os.posix_spawn", "os.posix_spawnp", "pty.spawn"}


def _modules() -> dict[str, ast.Module]:
    return {path.relative_to(REPO).with_suffix("").as_posix().replace("/", "."):
            ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            names.add(f"{node.value.id}.{node.attr}")
    return names


def test_only_history_git_starts_programs() -> None:
    starters = sorted(name for name, tree in _modules().items()
                      if _imports(tree) & PROGRAMS)
    assert starters == ["cjmsite.history.git"]


def _unit(module: str) -> str:
    """A subpackage (cjmsite.content) or a top-level module (cjmsite.model)."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_subpackages() -> None:
    modules = _modules()
    units = {_unit(name) for name in modules}
    edges: dict[str, set[str]] = {unit: set() for unit in units}
    for name, tree in modules.items():
        for imported in _imports(tree):
            if imported.startswith("cjmsite.") and _unit(imported) in units \
                    and _unit(imported) != _unit(name):
                edges[_unit(name)].add(_unit(imported))
    cycles = []
    for start in sorted(units):  # a path from a unit back to itself
        seen, todo = set(), [(start, [start])]
        while todo:
            unit, path = todo.pop()
            for nxt in sorted(edges[unit]):
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    todo.append((nxt, [*path, nxt]))
    assert not cycles, cycles


def test_every_module_is_imported_or_run() -> None:
    """No module is left behind that nothing imports (dead code)."""
    modules = _modules()
    imported = {name for tree in modules.values() for name in _imports(tree)}
    entry = {"cjmsite.__main__", "cjmsite.mkdocs_plugin", "cjmsite.__init__"}
    orphans = [name for name in modules if name not in imported and name not in entry
               and not name.endswith("__init__")
               and not any(i.startswith(name + ".") for i in imported)]
    assert not orphans, orphans
