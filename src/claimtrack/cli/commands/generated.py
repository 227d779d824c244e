"""Commands that regenerate artefacts from the code: `schema` and `docs`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimtrack.cli import docs as pages
from claimtrack.cli.exits import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_OK
from claimtrack.cli.options import dataset_option
from claimtrack.store import schemas as committed_schemas


@click.command(epilog=EXIT_CODES_HELP)
@dataset_option("--root", "Dataset folder whose schemas/ to write or check.")
@click.option("--check", is_flag=True, help="Only report stale schemas; write nothing.")
def schema(root: Path | None, check: bool) -> None:
    """Regenerate the JSON Schemas in schemas/ from the models (or check they are current).

    \b
    Examples:
      claimtrack schema            # rewrite stale files
      claimtrack schema --check    # exit 1 if any file is stale or missing
    """
    root = root or Path()
    if check:
        stale = [s for s in committed_schemas.status(root) if s.state != "current"]
        for item in stale:
            click.echo(f"{item.path}: {item.state}; run `claimtrack schema`", err=True)
        sys.exit(EXIT_FINDINGS if stale else EXIT_OK)
    for item in committed_schemas.write(root):
        click.echo(f"wrote {item.path} (was {item.state})")


@click.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs"),
    show_default=True,
    help="Folder of the generated pages (claimtrack's own reference, not a dataset's).",
)
@click.option("--check", is_flag=True, help="Only report stale pages; write nothing.")
def docs(out: Path, check: bool) -> None:
    """Regenerate the reference pages (vocabularies, rules, CLI) from the code.

    \b
    Examples:
      claimtrack docs            # rewrite stale pages under docs/
      claimtrack docs --check    # exit 1 if any page is stale
    """
    group = click.get_current_context().find_root().command
    assert isinstance(group, click.Group)
    if check:
        stale = pages.stale(out, group)
        for path in stale:
            click.echo(f"{path}: stale; run `claimtrack docs`", err=True)
        sys.exit(EXIT_FINDINGS if stale else EXIT_OK)
    for path in pages.write(out, group):
        click.echo(f"wrote {path}")
