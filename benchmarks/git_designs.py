"""How fast each way of reading git does cjmsite's three jobs (docs/security.md, "Git").

    pip install dulwich pygit2     # not dependencies of cjmsite: only for this comparison
    python benchmarks/git_designs.py [REPO]

Without REPO it makes one: the example site with 400 commits, each changing one to three
stage files. The three jobs, as cjmsite does them:

- stamps:  when each content file last changed (`git log --name-only` over the folder);
- history: each commit on the main line that changed the folder, with the blob ids it
           changed (`git log --first-parent --raw`), then every blob those revisions
           hold (`git cat-file --batch`);
- unpack:  one revision's content folder, every file read (`ls-tree -r` + `cat-file`).

Each is done by the git command as cjmsite runs it (hardened), by pygit2 (libgit2) and
by dulwich (pure Python with its compiled helpers), and the best of 15 runs is printed."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cjmsite.history import git as cli  # noqa: E402

SHM = "/dev/shm" if Path("/dev/shm").is_dir() else None


def make_repo(target: Path, commits: int = 400) -> Path:
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copy(ROOT / "cjmsite.toml", target / "cjmsite.toml")
    run = ["git", "-c", "user.name=Ana", "-c", "user.email=a@example.org",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*run, "init", "-q", "-b", "main"], cwd=target, check=True)
    subprocess.run([*run, "add", "-A"], cwd=target, check=True)
    subprocess.run([*run, "commit", "-q", "-m", "first"], cwd=target, check=True)
    stages = sorted(p for p in (target / "content/journeys").rglob("*.md")
                    if p.name != "index.md")
    rng = random.Random(7)
    for number in range(commits):
        for path in rng.sample(stages, rng.randint(1, 3)):
            with path.open("a", encoding="utf-8") as file:
                file.write(f"\nRevisión {number}.\n")
        subprocess.run([*run, "commit", "-q", "-am", f"change {number}"], cwd=target,
                       check=True)
    return target


def with_cli(top: Path) -> dict[str, object]:
    place = cli.locate(top)

    def stamps() -> int:
        out = str(cli.git(place, "log", "--no-renames", "-z", "--name-only",
                          "--format=%x01%h%x02%ad%x02%an", "--date=short", "--",
                          "content"))
        return out.count("\x01")

    def history() -> int:
        tokens = str(cli.git(place, "log", "--first-parent", "-z", "--raw",
                             "--no-abbrev", "--no-renames", "--format=%x01%H", "--",
                             "content")).split("\x00")
        oids = {oid for t in tokens if t.lstrip("\n").startswith(":")
                for oid in t.split()[2:4]} - {"0" * 40}
        return len(cli.read_blobs(place, sorted(oids)))

    def unpack() -> int:
        with tempfile.TemporaryDirectory(dir=SHM) as tmp:  # as `cjmsite diff` does
            cli.unpack(place, cli.commit_of(place, "HEAD~50"), Path(tmp))
            return sum(1 for p in Path(tmp).rglob("*") if p.is_file())

    return {"stamps": stamps, "history": history, "unpack": unpack}


def with_pygit2(top: Path) -> dict[str, object]:
    import pygit2

    repo = pygit2.Repository(str(top))

    def sub(commit: object) -> object | None:
        try:
            return commit.tree["content"]  # type: ignore[attr-defined]
        except KeyError:
            return None

    def stamps() -> int:
        seen, shown = set(), 0
        for commit in repo.walk(repo.head.target, pygit2.enums.SortMode.TIME):
            mine = sub(commit)
            parents = [sub(p) for p in commit.parents]
            if any(p is not None and mine is not None and p.id == mine.id for p in parents):
                continue
            diff = (parents[0] if parents else repo.get(repo.TreeBuilder().write())
                    ).diff_to_tree(mine)
            for delta in diff.deltas:
                seen.add(delta.new_file.path)
            shown += 1
        return shown

    def history() -> int:
        commit, oids = repo[repo.head.target], set()
        while True:
            parent = commit.parents[0] if commit.parents else None
            mine, before = sub(commit), sub(parent) if parent else None
            if before is None or mine.id != before.id:
                empty = repo.get(repo.TreeBuilder().write())
                for delta in (before or empty).diff_to_tree(mine).deltas:
                    oids.update({delta.old_file.id, delta.new_file.id})
            if parent is None:
                break
            commit = parent
        zero = pygit2.Oid(hex="0" * 40)
        return sum(1 for oid in oids if oid != zero and len(repo[oid].data) >= 0)

    def unpack() -> int:
        tree, count = sub(repo.revparse_single("HEAD~50").peel(pygit2.Commit)), 0

        def walk(node: object) -> None:
            nonlocal count
            for entry in node:  # type: ignore[attr-defined]
                if entry.type_str == "tree":
                    walk(entry)
                else:
                    count += len(repo[entry.id].data) >= 0
        walk(tree)
        return count

    return {"stamps": stamps, "history": history, "unpack": unpack}


def with_dulwich(top: Path) -> dict[str, object]:
    from dulwich.diff_tree import tree_changes
    from dulwich.repo import Repo

    repo = Repo(str(top))
    store = repo.object_store

    def sub(commit_id: bytes) -> bytes | None:
        tree = store[store[commit_id].tree]
        return tree[b"content"][1] if b"content" in tree else None

    def stamps() -> int:
        shown = 0
        for entry in repo.get_walker(include=[repo.head()], paths=[b"content"]):
            entry.changes()
            shown += 1
        return shown

    def history() -> int:
        commit, oids = repo.head(), set()
        while True:
            parents = store[commit].parents
            mine = sub(commit)
            before = sub(parents[0]) if parents else None
            if mine != before:
                for change in tree_changes(store, before, mine):
                    oids.update(side.sha for side in (change.old, change.new) if side)
            if not parents:
                break
            commit = parents[0]
        oids.discard(None)
        return sum(1 for oid in oids if len(store[oid].data) >= 0)

    def unpack() -> int:
        commit = repo.head()
        for _ in range(50):
            commit = store[commit].parents[0]
        return sum(1 for entry in store.iter_tree_contents(sub(commit))
                   if len(store[entry.sha].data) >= 0)

    return {"stamps": stamps, "history": history, "unpack": unpack}


def best(job: object, runs: int = 15) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = job()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(sys.argv[1]) if len(sys.argv) > 1 else make_repo(Path(tmp) / "repo")
        commits = subprocess.run(["git", "rev-list", "--count", "HEAD", "--", "content"],
                                 cwd=top, capture_output=True, text=True).stdout.strip()
        print(f"{top}: {commits} commits change content/")
        print(f"{'design':10} {'stamps':>16} {'history':>16} {'unpack':>16}")
        for name, make in (("git CLI", with_cli), ("pygit2", with_pygit2),
                           ("dulwich", with_dulwich)):
            jobs = make(top)
            cells = []
            for job in ("stamps", "history", "unpack"):
                seconds, result = best(jobs[job])  # type: ignore[index]
                cells.append(f"{seconds * 1000:9.1f} ms ({result})")
            print(f"{name:10} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
