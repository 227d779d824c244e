"""`claimtrack show ID`: one claim as a card, or as JSON or YAML."""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.cli.card_formats import CARD_WRITERS
from claimtrack.cli.exits import EXIT_CODES_HELP
from claimtrack.cli.options import format_option, root_option
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
    click.echo(CARD_WRITERS[fmt](found), nl=False)
