"""Command-line interface: parsing and printing only; the work lives in cjmsite.commands."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import NoReturn

import click

from cjmsite import __version__
from cjmsite.diagnostics import Report, printable
from cjmsite.output import OutputError
from cjmsite.progress import for_terminal

_DIR = click.argument("directory", default=".", type=click.Path(file_okay=False,
                                                                path_type=Path))
_STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_QUIET = click.option("--quiet", "-q", is_flag=True, help="Print only errors and warnings.")


def _print_report(report: Report, strict: bool, quiet: bool = False) -> None:
    for item in report.shown(strict):
        click.secho(str(item), err=True, fg="red" if item.level == "error" else "yellow")
    if not quiet:
        for note in report.notes:  # e.g. how many survey rows were read and left out
            click.echo(printable(note))


def _fail(*lines: str) -> NoReturn:
    """Every line in red on stderr, then exit 1: how every command fails."""
    for line in lines:
        click.secho(printable(line), err=True, fg="red")
    sys.exit(1)


def _summary(report: Report, strict: bool) -> str:
    return report.summary(strict)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cjmsite")
def cli() -> None:
    """Customer journey maps from Markdown + YAML, published as a static site.

    Write one file per persona, touchpoint, journey and stage under content/, then run
    'cjmsite build' to get a browsable site with SVG journey maps in output/.
    """


@cli.command()
@_DIR
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Write the site here instead of [site] output_dir (which must lie inside "
                   "the project); it may be anywhere you choose.")
@click.option("--audience", type=click.Choice(["internal", "public"]),
              help="public: leave out everything marked 'internal: true' (insights, journeys, "
                   "personas, touchpoints) and their quotes and comments; default: [site] "
                   "audience, else internal (everything).")
@_STRICT
@_QUIET
def build(directory: Path, output: Path | None, audience: str | None, strict: bool,
          quiet: bool) -> None:
    """Build the site in DIRECTORY (default: here) into its output folder.

    Everything is read and checked first; on any error nothing is written and the
    previous output stays as it was.
    """
    from cjmsite.commands.build import build as run_build

    try:
        bar = for_terminal(quiet)
        try:
            result = run_build(directory, strict=strict,
                               output=output.resolve() if output else None, progress=bar,
                               audience=audience)
        finally:
            bar.close()
    except OutputError as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        _fail(f"error: cannot write the site: {exc.strerror or exc}{where}; "
              "the previous output is unchanged")
    _print_report(result.report, strict, quiet)
    if result.output is None:
        _fail(f"build failed: {_summary(result.report, strict)}; output left unchanged")
    if not quiet:
        fresh = f", {result.skipped} pages up to date" if result.skipped else ""
        removed = f", {len(result.removed)} removed" if result.removed else ""
        click.echo(f"built {result.output}: {result.files} files written{fresh}{removed} "
                   f"({_summary(result.report, strict)})")
        if result.left_out is not None:
            click.echo(f"public audience: {result.left_out.items} internal items left out "
                       f"({result.left_out.summary()})")


@cli.command()
@_DIR
@_STRICT
@_QUIET
def check(directory: Path, strict: bool, quiet: bool) -> None:
    """Check the content in DIRECTORY without writing anything.

    Prints every problem as 'path:line: error: message'; exits 1 on any error
    (or warning, with --strict).
    """
    from cjmsite.commands.check import check as run_check

    bar = for_terminal(quiet)
    try:
        result = run_check(directory, progress=bar)
    finally:
        bar.close()
    report, site = result.report, result.site
    _print_report(report, strict, quiet)
    if report.failed(strict):
        _fail(f"check failed: {_summary(report, strict)}")
    if not quiet:
        opportunities = f", {len(site.opportunities)} opportunities" \
            if site.opportunities else ""
        click.echo(f"ok: {len(site.journeys)} journeys, {len(site.personas)} personas, "
                   f"{len(site.touchpoints)} touchpoints{opportunities} "
                   f"({_summary(report, strict)})")


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    if value is None:
        return None
    import datetime as dt

    from cjmsite.content.fields import date_hint

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date as YYYY-MM-DD"
                                 f"{date_hint(value)}") from None


@cli.command()
@_DIR
@click.option("--format", "format_", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True,
              help="text (path:line: CODE message), json, sarif (GitHub code scanning) or "
                   "github (workflow annotations).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the findings there instead of printing them.")
@click.option("--today", callback=_day, metavar="YYYY-MM-DD",
              help="Judge due dates and reviews against this day instead of today.")
@_QUIET
def lint(directory: Path, format_: str, output: Path | None, today: object,
         quiet: bool) -> None:
    """Check the content in DIRECTORY, then run the CX rules on it.

    Finds gaps without actions, overdue and unowned actions, journeys due for review,
    stages without evidence and more (docs/managing-journeys.md lists every rule). Exits
    1 on validation errors or findings at error level ([lint.severity]), else 0.
    """
    from cjmsite.commands.lint import run_lint

    bar = for_terminal(quiet or format_ != "text")
    try:
        result = run_lint(directory, format_, today, progress=bar)  # type: ignore[arg-type]
    finally:
        bar.close()
    if format_ != "github":  # github prints validation problems as annotations
        _print_report(result.report, False, quiet=True)
    if output:
        _write(output, result.output)
    else:
        click.echo(result.output, nl=False)
    if not quiet:
        click.echo(f"lint: {result.summary()}", err=True)
    if result.failed:
        sys.exit(1)


@cli.command()
@click.argument("old", default="HEAD", metavar="[FROM]")
@click.argument("new", required=False, metavar="[TO]")
@click.option("-C", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The project folder.")
@click.option("--format", "format_", type=click.Choice(["text", "json", "html"]),
              default="text", show_default=True,
              help="A summary to read, the JSON object bots read, or a page with the curves.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write there instead of printing (html: default cjmsite-diff.html).")
@click.option("--journeys", nargs=2, metavar="AS_IS TO_BE",
              help="Compare two journeys of the working tree instead (a map and its to-be).")
def diff(old: str, new: str | None, directory: Path, format_: str,
         output: Path | None, journeys: tuple[str, str] | None) -> None:
    """Show what changed in the journeys between two git revisions.

    FROM defaults to HEAD and TO to the working tree, so 'cjmsite diff' alone shows
    uncommitted changes. Both sides are validated in full; exit 1 if either does not.
    """
    from cjmsite.commands.diff import as_json, as_text, diff_journeys
    from cjmsite.commands.diff import diff as run_diff

    result = diff_journeys(directory.resolve(), *journeys) if journeys else \
        run_diff(directory.resolve(), old, new)
    if result.problems:
        _fail(*result.problems, "diff failed: a side did not load")
    if format_ == "html":
        from cjmsite.history.report import html_report

        assert result.old is not None and result.new is not None
        target = output or Path("cjmsite-diff.html")
        _write(target, html_report(result.data, result.old, result.new))
        click.echo(f"wrote {target}")
        return
    if format_ == "json":
        text = as_json(result.data)
        if output:
            _write(output, text)
        else:
            click.echo(text, nl=False)
        return
    lines = as_text(result.data)
    if output:
        _write(output, "".join(f"{line}\n" for line, _ in lines))
        return
    for line, colour in lines:
        click.secho(line, fg=colour if colour not in ("", "bold") else None,
                    bold=colour == "bold")


def _write(target: Path, text: str) -> None:
    """A report the person running cjmsite asked for, written where they said: never
    through a symlink there (a repository may have committed one at that name)."""
    from cjmsite.output import write_file

    target = Path(os.path.abspath(target))
    try:
        write_file(target.parent, target.name, text)
    except OutputError as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        _fail(f"error: cannot write {target}: {exc.strerror or exc}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--template", type=click.Choice(["example", "blank", "blueprint"]),
              default="example", show_default=True,
              help="example: the car-workshop site; blank: a minimal site; "
                   "blueprint: a service-blueprint journey.")
@click.option("--language", type=click.Choice(["es", "en"]), default="es",
              show_default=True, help="The language of the template (each exists in both).")
@_STRICT
@_QUIET
def init(directory: Path, template: str, language: str, strict: bool, quiet: bool) -> None:
    """Create a new site in DIRECTORY, with a .gitignore and a GitHub Pages workflow.

    --strict and --quiet are accepted for symmetry; --strict checks the new site strictly.
    """
    from cjmsite.commands.check import check as run_check
    from cjmsite.commands.init import InitError
    from cjmsite.commands.init import init as run_init

    try:
        created = run_init(directory, template, language)
    except InitError as exc:
        _fail(f"error: {exc}")
    report = run_check(directory).report
    _print_report(report, strict, quiet=True)  # the check's notes are for a site in use
    if report.failed(strict):
        sys.exit(1)
    if not quiet:
        click.echo(f"created {', '.join(created)} in {directory}")
        click.echo(f"next:\n  cd {shlex.quote(str(directory))}\n  cjmsite serve")


@cli.command()
@_DIR
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback is visible to other machines.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--poll", is_flag=True,
              help="Poll for changes (Docker, network mounts, WSL2: where events are missed).")
@_STRICT
@_QUIET
def serve(directory: Path, host: str, port: int, open_browser: bool, poll: bool, strict: bool,
          quiet: bool) -> None:
    """Preview the site in DIRECTORY while you edit it.

    Builds into a temporary folder (never output/), serves it, watches content/, themes/
    and cjmsite.toml, rebuilds what changed and reloads open pages. Content errors show
    in the terminal and over the page, and the last good site stays up.
    """
    from cjmsite.commands.serve import ServeError
    from cjmsite.commands.serve import serve as run_serve

    def say(line: str, err: bool) -> None:
        if err or not quiet:
            click.secho(line, err=err, fg="red" if "error" in line else None)

    try:
        run_serve(directory, host, port, open_browser, poll, strict, say)
    except ServeError as exc:
        _fail(f"error: {exc}")
    except KeyboardInterrupt:
        click.echo("stopped")


@cli.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              default=Path("schemas"), show_default=True,
              help="The folder to write the schemas into.")
def schema(output: Path) -> None:
    """Write JSON Schemas (draft 2020-12) for content files and cjmsite.toml.

    Point your editor at them to complete fields and flag typos as you type (see
    docs/editors.md); they come from the same declarations `cjmsite check` uses.
    """
    from cjmsite.commands.schema import write_schemas

    try:
        written = write_schemas(output)
    except OutputError as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        _fail(f"error: cannot write the schemas: {exc.strerror or exc}")
    for path in written:
        click.echo(f"wrote {path}")


@cli.group(name="import")
def import_() -> None:
    """Create content from other tools' formats."""


@import_.command(name="mermaid")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-C", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The cjmsite project.")
def import_mermaid(file: Path, directory: Path) -> None:
    """Create a journey (stages, phases, personas) from a Mermaid `journey` diagram."""
    from cjmsite.commands.mermaid import BridgeError
    from cjmsite.commands.mermaid import import_mermaid as run

    try:
        written = run(file, directory)
    except BridgeError as exc:
        _fail(*exc.lines)
    for path in written:
        click.echo(f"wrote {path}")


@cli.group()
def export() -> None:
    """Write content in other tools' formats."""


@export.command(name="mermaid")
@click.argument("journey")
@click.option("-C", "directory", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The cjmsite project.")
def export_mermaid(journey: str, directory: Path) -> None:
    """Print JOURNEY as a Mermaid `journey` diagram (1..5 scores, one line per score
    group when personas feel differently)."""
    from cjmsite.commands.mermaid import BridgeError
    from cjmsite.commands.mermaid import export_mermaid as run

    try:
        click.echo(run(directory, journey), nl=False)
    except BridgeError as exc:
        _fail(*exc.lines)


def main() -> int:
    """Run the command line; its exit status. An unexpected failure is one line, not a
    traceback (CJMSITE_DEBUG=1 shows the traceback for bug reports)."""
    try:
        cli(prog_name="cjmsite", standalone_mode=False)
    except SystemExit as exc:  # the commands' own: sys.exit(1) (a failed build), sys.exit()
        return exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence for users
        if os.environ.get("CJMSITE_DEBUG"):
            raise
        click.secho(printable(f"error: {type(exc).__name__}: {exc} (set CJMSITE_DEBUG=1 "
                              "for details)"), err=True, fg="red")
        return 1
    return 0
