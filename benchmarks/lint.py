"""`cjmsite lint` against `cjmsite check` on the same corpus (the bar: lint costs at most
1.2× check). Both validate the whole project through the parse cache; lint then runs the
rule table and reads the key lines of only the files with a finding inside them.

    python benchmarks/lint.py [--size 11k] [--runs 5]

Warm caches (one `check` first), then the two commands alternately; prints and appends
the medians to RESULTS.md. Not a test: nothing here asserts a time."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus  # noqa: E402
from run import SIZES, WORK, cjmsite_cmd, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="11k", choices=sorted(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = WORK / f"corpus-lint-{args.size}"
    files = make_corpus(site, *SIZES[args.size])
    timed(cjmsite_cmd("check", "--quiet", str(site)))  # the parse cache, as in CI reruns
    checks, lints = [], []
    for _ in range(args.runs):
        checks.append(timed(cjmsite_cmd("check", "--quiet", str(site)))[0])
        lints.append(timed(cjmsite_cmd("lint", "--quiet", "--today", "2026-06-01",
                                       "--format", "json", "-o", str(WORK / "lint.json"),
                                       str(site)))[0])
    found = json.loads((WORK / "lint.json").read_text(encoding="utf-8"))["summary"]
    check, lint = statistics.median(checks), statistics.median(lints)
    line = (f"| {args.size} | {files:,} | {check:.2f} s | {lint:.2f} s | {lint / check:.2f}× | "
            f"{found['warning']:,} warnings, {found['info']:,} info |")
    print(line)
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    head = "## `cjmsite lint` against `cjmsite check`"
    if head not in text:
        text += (f"\n{head}\n\nMedians of {args.runs} alternate runs, warm parse cache "
                 "(`python benchmarks/lint.py`):\n\n| corpus | files | `check` | `lint` | "
                 "lint ÷ check | findings |\n|---|---|---|---|---|---|\n")
    results.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
