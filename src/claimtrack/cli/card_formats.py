"""How `show` writes one claim, by `--format`: a card (rich, imported only for it), JSON or YAML."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable

from claimtrack.escape import json_text
from claimtrack.validate.check import FoundClaim


def _json(found: FoundClaim) -> str:
    return json_text(found.claim.model_dump_json(indent=2, exclude_defaults=True)) + "\n"


def _yaml(found: FoundClaim) -> str:
    from claimtrack.store.yaml_write import to_yaml  # noqa: PLC0415 - this format's alone

    return to_yaml(found.claim)


def _card(found: FoundClaim) -> str:
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
    return capture.get()


# `show --format` choice -> how the claim is written (cli.formats.registry lists them)
CARD_WRITERS: dict[str, Callable[[FoundClaim], str]] = {"card": _card, "json": _json, "yaml": _yaml}
