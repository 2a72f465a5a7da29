"""`cjmsite init DIR [--template example|blank|blueprint] [--language es|en]`: a new site.

`example` copies the example shipped with cjmsite (a car workshop: the repository's
`content/` in Spanish, or its English translation); `blank` is a minimal valid site (one
persona, one touchpoint, one journey of two stages) and `blueprint` a service-blueprint
journey. Every template exists in English and Spanish. Every site also gets a
`.gitignore` and a GitHub Actions workflow that lints pull requests (and comments what
they change) and builds and publishes main to GitHub Pages. Nothing is ever
overwritten."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from cjmsite.output import write_file

PACKAGE = Path(str(files("cjmsite")))
EXAMPLE = PACKAGE / "example"
STARTERS = PACKAGE / "starters"
TEMPLATES = ("example", "blank", "blueprint")
GITIGNORE = "output/\n.venv/\n"
# On pull requests: lint the journeys (findings as annotations on the changed lines) and
# comment `cjmsite diff`'s summary, one comment updated on each push (found by its first
# line). On main: build with the whole history (history pages, last-updated lines) and
# publish `output/` with GitHub's own Pages actions. tests/test_workflow.py runs the
# `run:` steps of the review job.
DIFF_MARKER = "<!-- cjmsite diff -->"
WORKFLOW = """\
name: Journey site
on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: cjmsite-${{ github.ref }}
  cancel-in-progress: true
jobs:
  review:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # the diff compares with the base branch
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install cjmsite
      - name: Lint the journeys
        run: cjmsite lint --format github
      - name: Summarise what the pull request changes
        if: always()
        env:
          BASE: ${{ github.base_ref }}
        run: |
          {
            echo "DIFF_MARKER"
            echo "### Journey changes"
            echo
            echo '```'
            cjmsite diff "$(git merge-base "origin/$BASE" HEAD)" HEAD
            echo '```'
          } > cjmsite-diff.md
      - name: Comment the summary (one comment, updated on each push)
        if: always()
        env:
          GH_TOKEN: ${{ github.token }}
          PR: ${{ github.event.pull_request.number }}
          REPO: ${{ github.repository }}
        run: |
          id=$(gh api "repos/$REPO/issues/$PR/comments" --paginate \\
               --jq '.[] | select(.body | startswith("DIFF_MARKER")) | .id' | head -n 1)
          if [ -n "$id" ]; then
            gh api --method PATCH "repos/$REPO/issues/comments/$id" -F body=@cjmsite-diff.md
          else
            gh api --method POST "repos/$REPO/issues/$PR/comments" -F body=@cjmsite-diff.md
          fi
  build:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # history pages and "last updated" need the whole history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install cjmsite
      - run: cjmsite build --strict
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output
  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
""".replace("DIFF_MARKER", DIFF_MARKER)


class InitError(Exception):
    pass


def init(target: Path, template: str = "example", language: str = "es") -> list[str]:
    """Copy the chosen starter's config and content; never overwrite anything."""
    if template not in TEMPLATES:
        raise InitError(f"unknown template '{template}' (one of: {', '.join(TEMPLATES)})")
    if target.exists() and any(target.iterdir()):
        raise InitError(f"{target} is not empty; choose a new or empty folder")
    source = (EXAMPLE if template == "example" else STARTERS / template) / language
    if not source.is_dir():
        raise InitError(f"no '{template}' template in language '{language}' (en or es)")
    target.mkdir(parents=True, exist_ok=True)
    created = []
    for name in ("cjmsite.toml", "content"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        else:
            shutil.copyfile(source / name, target / name)
        created.append(name)
    write_file(target, ".gitignore", GITIGNORE, create_only=True)
    write_file(target, ".github/workflows/cjmsite.yml", WORKFLOW, create_only=True)
    return [*created, ".gitignore", ".github/workflows/cjmsite.yml"]
