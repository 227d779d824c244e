"""`claimtrack show ID`: one claim as a card, or as JSON or YAML."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP
from claimtrack.cli.options import format_option, root_option
from claimtrack.escape import json_text
from claimtrack.store.layout import Dataset
from claimtrack.validate.check import check_claim


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("claim_id")
@root_option
@format_option("card", "card", "A readable card, or the record as JSON or YAML.")
def show(claim_id: str, root: Path | None, fmt: str) -> None:
    """Show one claim: statement, value, status timeline, attribution, quotes in context.

    Only this claim's file is checked (against every seed); other files are not read. In
    the card, the quoted words are highlighted within their sentence; without colour (piped,
    or NO_COLOR), they are marked >>like this<<.

    \b
    Examples:
      claimtrack show contract-value-gbp-500m-to-1bn-over-ten-years
      claimtrack show agency-data-held-only-in-uk --format json
    """
    found = check_claim(Dataset.open(root or Path()), claim_id)
    if fmt == "json":
        click.echo(json_text(found.claim.model_dump_json(indent=2, exclude_defaults=True)))
        return
    if fmt == "yaml":
        from claimtrack.store.yaml_write import to_yaml  # noqa: PLC0415 - this format's alone

        click.echo(to_yaml(found.claim), nl=False)
        return
    from rich.console import Console  # noqa: PLC0415 - the card's alone: JSON needs no rich

    from claimtrack.cli.cards import card  # noqa: PLC0415 - same

    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    console = Console(
        width=shutil.get_terminal_size().columns,
        highlight=False,
        force_terminal=sys.stdout.isatty(),
        no_color=not colour,
    )
    with console.capture() as capture:
        console.print(card(found.claim, found.seed_texts, marks=not colour))
    click.echo(capture.get(), nl=False)
