"""The `claimtrack` command: thin click commands over the library.

Exit codes (all commands):
  0  success: valid data, command done
  1  findings: the data is invalid (validate), or the schemas are stale (schema --check)
  2  usage or input error: bad option, missing file or folder, not a dataset
  3  internal error: a bug in claimtrack; please report it with the command that caused it
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from claimtrack import __version__, checks, reporting
from claimtrack import docs as docpages
from claimtrack import schema as schemas
from claimtrack.dataset import Dataset
from claimtrack.exc import ClaimtrackError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EXIT_CODES_HELP = (
    "\b\nExit codes:\n  0  valid / done\n  1  findings (invalid data, stale schemas)\n"
    "  2  usage or input error\n  3  internal error (a bug: please report it)"
)

F = TypeVar("F", bound=Callable[..., Any])


def root_option(func: F) -> F:
    """`--root DIR`: the dataset folder, shared by every command that reads a dataset."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(),
        show_default="the current folder",
        help="Dataset folder: the one holding claims/ and seeds/.",
    )(func)


def fail(error: ClaimtrackError) -> None:
    """Print a library error with its fix and exit with the usage/input code."""
    click.echo(f"error: {error}", err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="claimtrack")
def cli() -> None:
    """Typed, attributed, quote-backed claims datasets.

    \b
    Example:
      claimtrack validate            # check the dataset in the current folder
    """


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(reporting.REPORTERS)),
    default="text",
    show_default=True,
    help="How to report findings.",
)
def validate(paths: tuple[Path, ...], root: Path, fmt: str) -> None:
    """Check claim and seed files: YAML, schema, model rules, quotes against their seeds.

    PATHS are files or folders inside the dataset (default: all of claims/ and seeds/).
    Prints nothing and exits 0 when everything is valid.

    \b
    Examples:
      claimtrack validate
      claimtrack validate claims/contract-value.yaml --format json
      claimtrack --root ../other-dataset validate
    """
    try:
        report = checks.validate(Dataset.open(root), list(paths) or None)
    except ClaimtrackError as error:
        fail(error)
    color = sys.stdout.isatty()
    click.echo(reporting.get(fmt)(color=color).render(report), nl=False)
    sys.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


@cli.command(epilog=EXIT_CODES_HELP)
@root_option
@click.option("--check", is_flag=True, help="Only report stale schemas; write nothing.")
def schema(root: Path, check: bool) -> None:
    """Regenerate the JSON Schemas in schemas/ from the models (or check they are current).

    \b
    Examples:
      claimtrack schema            # rewrite stale files
      claimtrack schema --check    # exit 1 if any file is stale or missing
    """
    if check:
        stale = [s for s in schemas.status(root) if s.state != "current"]
        for item in stale:
            click.echo(f"{item.path}: {item.state}; run `claimtrack schema`", err=True)
        sys.exit(EXIT_FINDINGS if stale else EXIT_OK)
    for item in schemas.write(root):
        click.echo(f"wrote {item.path} (was {item.state})")


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs"),
    show_default=True,
    help="Folder of the generated pages.",
)
@click.option("--check", is_flag=True, help="Only report stale pages; write nothing.")
def docs(out: Path, check: bool) -> None:
    """Regenerate the reference pages (vocabularies, rules, CLI) from the code.

    \b
    Examples:
      claimtrack docs            # rewrite stale pages under docs/
      claimtrack docs --check    # exit 1 if any page is stale
    """
    if check:
        stale = docpages.stale(out)
        for path in stale:
            click.echo(f"{path}: stale; run `claimtrack docs`", err=True)
        sys.exit(EXIT_FINDINGS if stale else EXIT_OK)
    for path in docpages.write(out):
        click.echo(f"wrote {path}")


def main() -> None:
    """Entry point: run the CLI; turn any unexpected exception into exit code 3, no traceback."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except ClaimtrackError as error:
        fail(error)
    except Exception as error:
        click.echo(f"internal error: {type(error).__name__}: {error}", err=True)
        click.echo(
            "  this is a bug in claimtrack; please report it with the command you ran", err=True
        )
        if "CLAIMTRACK_DEBUG" in os.environ:
            traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
