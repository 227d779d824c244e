"""`claim appear` and `claim same-as`: following a claim across sources (added to the `claim`
group by :mod:`claimtrack.cli.commands.edit`)."""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP
from claimtrack.cli.options import open_dataset, root_option, show_edit
from claimtrack.model.vocab import EntityType, TranslationMethod


@click.command(name="appear", epilog=EXIT_CODES_HELP)
@click.argument("claim_id")
@root_option
@click.option("--seed", metavar="SEED", help="The archived source the claim appears in.")
@click.option(
    "--file",
    "source_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A document to archive first (as `seed add` does; its seed if archived already).",
)
@click.option("--language", metavar="TAG", help="With --file: the document's language.")
@click.option("--quote", required=True, metavar="TEXT", help="The passage, as the source words it.")
@click.option("--occurrence", type=click.IntRange(min=1), help="Which occurrence of the passage.")
@click.option(
    "--as-described",
    metavar="TEXT",
    help="How the source words the attribution, verbatim (`selon le Financial Times`).",
)
@click.option("--relay", "name", help="How to name the source (default: its publisher).")
@click.option("--relay-type", type=click.Choice([e.value for e in EntityType]))
@click.option("--context", help="Anything a reader should know about how it relays the claim.")
@click.option("--translation", metavar="TEXT", help="An English translation of the passage.")
@click.option(
    "--translation-method",
    type=click.Choice([m.value for m in TranslationMethod]),
    default="machine",
    show_default=True,
    help="Who translated it (`human` only for a person's translation).",
)
def claim_appear(
    claim_id: str,
    root: Path | None,
    seed: str | None,
    source_file: Path | None,
    language: str | None,
    quote: str,
    occurrence: int | None,
    as_described: str | None,
    name: str | None,
    relay_type: str | None,
    context: str | None,
    translation: str | None,
    translation_method: str,
) -> None:
    """Record that a source repeats a known claim: a new quote at the offsets found in the
    source, and a relay link to it with the source's wording of the attribution. The status
    does not change; prints the change.

    \b
    Example:
      claimtrack claim appear contract-value-gbp-500m-to-1bn-over-ten-years \\
        --seed wire-2021-10-26 --quote "worth up to £1bn" \\
        --as-described "the FT"
    """
    from claimtrack.edit import tracking  # noqa: PLC0415 - this command's alone
    from claimtrack.exc import InputError  # noqa: PLC0415 - same

    dataset = open_dataset(root)
    if (seed is None) == (source_file is None):
        raise InputError("give the source: --seed SEED or --file FILE (one of them)")
    if source_file is not None:
        seed = tracking.seed_for_file(dataset, source_file, language)
        click.echo(f"source: seed {seed}", err=True)
        dataset = open_dataset(root)  # listed anew: with the seed just archived
    assert seed is not None
    appearance = tracking.Appearance(
        seed, quote, occurrence, as_described, name, relay_type, context, translation,
        translation_method,
    )  # fmt: skip
    show_edit(tracking.appear(dataset, claim_id, appearance))


@click.command(name="same-as", epilog=EXIT_CODES_HELP)
@click.argument("first")
@click.argument("second")
@root_option
def claim_same_as(first: str, second: str, root: Path | None) -> None:
    """Record that two claim records state one claim (`same_as`, on both); nothing is merged.
    `claimtrack match --dataset` proposes such pairs.

    \b
    Example:
      claimtrack claim same-as factcheck-15f317af5efc6f4d \\
        contract-value-gbp-500m-to-1bn-over-ten-years
    """
    from claimtrack.edit import tracking  # noqa: PLC0415 - this command's alone

    for edited in tracking.join_same(open_dataset(root), first, second):
        show_edit(edited)
