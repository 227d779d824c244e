"""Editing commands: `seed add | rm | rename`, `claim add | status | respond`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from claimtrack.cli.exits import EXIT_CODES_HELP
from claimtrack.cli.options import open_dataset as _dataset
from claimtrack.cli.options import root_option
from claimtrack.cli.options import show_edit as _show
from claimtrack.edit import claims as editing
from claimtrack.edit import seeds as seed_edits
from claimtrack.edit.archive import SourceInfo, archive_source
from claimtrack.escape import visible
from claimtrack.model.vocab import (
    ClaimKind,
    ConfirmationStatus,
    EntityType,
    Redistribution,
    ResponseType,
    TranslationMethod,
)

DATE = click.DateTime(["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def quote_options(func: click.decorators.FC) -> click.decorators.FC:
    """The options that cite a new quote: seed, words, occurrence, translation."""
    for option in reversed(
        [
            click.option("--seed", metavar="SEED", help="The archived source quoted."),
            click.option("--quote", metavar="TEXT", help="The passage, as the source words it."),
            click.option(
                "--occurrence",
                type=click.IntRange(min=1),
                help="Which occurrence, when the passage occurs more than once.",
            ),
            click.option("--translation", metavar="TEXT", help="An English translation."),
            click.option(
                "--translation-method",
                type=click.Choice([m.value for m in TranslationMethod]),
                default="machine",
                show_default=True,
                help="Who translated it: `human` only for a person's translation (a pasted "
                "machine translation is `machine`, the default).",
            ),
        ]
    ):
        func = option(func)
    return func


# the typed value's options (their parameter names) and the value's fields they set
VALUE_FIELDS = {
    "currency": "currency",
    "amount": "amount",
    "minimum": "min",
    "maximum": "max",
    "period": "period",
    "estimate": "estimate",
    "object_": "object",
    "constraint": "constraint",
    "countries": "countries",
    "party": "party",
    "access": "access",
    "value_text": "text",
}


def _source(quote: dict[str, Any]) -> editing.QuoteSource | None:
    """The new quote the options describe (`--seed`, `--quote`, ...), if any."""
    if quote["quote"] is None and quote["seed"] is None:
        return None
    if quote["quote"] is None or quote["seed"] is None:
        raise click.UsageError("--quote and --seed go together")
    return editing.QuoteSource(
        quote["seed"],
        quote["quote"],
        quote["occurrence"],
        quote["translation"],
        quote["translation_method"],
    )


def _citation(quote: dict[str, Any]) -> editing.Citation:
    return editing.Citation(_source(quote), quote.pop("evidence", None))


# ---------------------------------------------------------------- seed add


@click.group(epilog=EXIT_CODES_HELP)
def seed() -> None:
    """Archive source documents.

    \b
    Example:
      claimtrack seed add article.html --language fr
    """


@seed.command(name="add", epilog=EXIT_CODES_HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
@click.option("--id", "seed_id", metavar="ID", help="Seed id.  [default: from the title]")
@click.option("--title", help="Title, as the document gives it.")
@click.option("--author", help="Author, as the document names them.")
@click.option("--publisher", help="Publisher or outlet.")
@click.option("--published", metavar="YYYY[-MM[-DD]]", help="Publication date.")
@click.option("--url", help="Where the document was published.")
@click.option("--retrieved", metavar="YYYY[-MM[-DD]]", help="When it was fetched.")
@click.option("--language", metavar="TAG", help="Its language (BCP 47: fr, en, en-GB).")
@click.option("--rights", help="Copyright holder and terms, or what is known of them.")
@click.option(
    "--redistribution",
    type=click.Choice([r.value for r in Redistribution]),
    help="What of it releases may publish.  [default: quotes_only]",
)
@click.option("--encoding", help="A text file's encoding, when it is not UTF-8.")
@click.option("--record-url", metavar="URL", help="For a WARC file: the response record to take.")
def seed_add(
    file: Path,
    root: Path | None,
    seed_id: str | None,
    title: str | None,
    author: str | None,
    publisher: str | None,
    published: str | None,
    url: str | None,
    retrieved: str | None,
    language: str | None,
    rights: str | None,
    redistribution: str | None,
    encoding: str | None,
    record_url: str | None,
) -> None:
    """Archive FILE under seeds/: plain text, a web page, a PDF, or a web archive record.

    The text claims quote is extracted (the main text of a page, the text layer of a PDF) and
    the original kept byte for byte, both hashed; metadata the document declares fills what is
    not given, and the command says so. Archiving the same bytes twice exits 1.

    \b
    Examples:
      claimtrack seed add notes.txt --title "Council minutes" --language en
      claimtrack seed add page.html --rights "CC BY 4.0" \\
        --redistribution full_text
      claimtrack seed add crawl.warc.gz --record-url https://example.org/a
    """
    info = SourceInfo(
        title,
        author,
        publisher,
        published,
        url,
        retrieved,
        language,
        rights,
        redistribution,
        seed_id,
    )
    done = archive_source(_dataset(root), file, info, encoding=encoding, record_url=record_url)
    for key, value in sorted(done.declared.items()):
        click.echo(visible(f"  {key}: {value}  (declared by the document)"), err=True)
    for default in done.defaults:
        click.echo(f"  {default}  (default)", err=True)
    click.echo(f"archived seed {done.seed_id}: " + ", ".join(str(p) for p in done.files))


@seed.command(name="rm", epilog=EXIT_CODES_HELP)
@click.argument("seed_id", metavar="SEED")
@root_option
def seed_rm(seed_id: str, root: Path | None) -> None:
    """Remove seed SEED (its metadata, text and original) when no claim names it.

    Releases keep their copies. A seed that claims quote is refused, naming them.

    \b
    Example:
      claimtrack seed rm bridge-96ff68d9
    """
    done = seed_edits.remove_seed(_dataset(root), seed_id)
    click.echo("removed " + ", ".join(str(p) for p in done.removed))


@seed.command(name="rename", epilog=EXIT_CODES_HELP)
@click.argument("seed_id", metavar="SEED")
@click.argument("new_id", metavar="NEW_ID")
@root_option
def seed_rename(seed_id: str, new_id: str, root: Path | None) -> None:
    """Give seed SEED the id NEW_ID (and its files the new name) when no claim names it.

    \b
    Example:
      claimtrack seed rename bridge-96ff68d9 council-bridge-2024
    """
    done = seed_edits.rename_seed(_dataset(root), seed_id, new_id)
    click.echo(
        f"renamed seed {seed_id} to {done.seed_id}: " + ", ".join(str(p) for p in done.written)
    )


# ---------------------------------------------------------------- claim add | status | respond


@click.group(epilog=EXIT_CODES_HELP)
def claim() -> None:
    """Add claims, and record their status changes and the parties' responses.

    \b
    Example:
      claimtrack claim add --seed S --quote "..." --statement "..." \\
        --kind event --asserter X
    """


@claim.command(name="add", epilog=EXIT_CODES_HELP)
@root_option
@quote_options
@click.option("--statement", required=True, help="The assertion, one short English sentence.")
@click.option("--kind", required=True, type=click.Choice([k.value for k in ClaimKind]))
@click.option("--asserter", required=True, help="Who makes the assertion.")
@click.option(
    "--asserter-type",
    type=click.Choice([e.value for e in EntityType]),
    default="person",
    show_default=True,
)
@click.option("--relay", help="How to name the archived source in the attribution chain.")
@click.option(
    "--status",
    type=click.Choice([s.value for s in ConfirmationStatus]),
    default="reported",
    show_default=True,
)
@click.option(
    "--date",
    type=DATE,
    help="As-of date of the status, not before the source's publication.  [default: the "
    "source's publication date when it gives a full date, else today]",
)
@click.option("--id", "claim_id", help="Claim id.  [default: from the statement]")
@click.option("--original", help="The assertion in the source's own words (it must occur there).")
@click.option("--original-language", help="Its language (BCP 47).  [default: the source's]")
@click.option(
    "--value-type",
    type=click.Choice(["money", "jurisdiction", "access", "text"]),
    help="The claim's typed value, given with the options of its type.",
)
@click.option("--currency", help="money: ISO 4217 code, e.g. GBP.")
@click.option("--amount", help="money: one exact figure, e.g. 2000000.")
@click.option("--min", "minimum", help="money: the range's lower bound.")
@click.option("--max", "maximum", help="money: the range's upper bound.")
@click.option("--period", help="money: the period it covers, ISO 8601, e.g. P10Y.")
@click.option(
    "--estimate/--exact",
    default=None,
    help="money: whether the source presents the figure as an estimate.",
)
@click.option("--object", "object_", help="jurisdiction or access: what is held or accessed.")
@click.option(
    "--constraint",
    type=click.Choice(["only_in", "not_in", "includes"]),
    help="jurisdiction: how the countries constrain it.",
)
@click.option("--country", "countries", multiple=True, help="jurisdiction: ISO 3166 code; repeat.")
@click.option("--party", help="access: who the restriction applies to.")
@click.option(
    "--access", type=click.Choice(["none", "restricted", "full"]), help="access: the level."
)
@click.option("--value-text", help="text: the value in words, when no typed variant fits.")
def claim_add(
    root: Path | None,
    statement: str,
    kind: str,
    asserter: str,
    asserter_type: str,
    relay: str | None,
    status: str,
    date: dt.datetime | None,
    claim_id: str | None,
    original: str | None,
    original_language: str | None,
    value_type: str | None,
    **options: Any,
) -> None:
    """Add a claim quoting an archived source; the quote's offsets are found for you.

    A passage that occurs more than once needs --occurrence (each is listed); one that does
    not occur exits 2 with the closest passage. The new file validates, or nothing is written.

    \b
    Examples:
      claimtrack claim add --seed council-2024 --quote "the bridge cost £2m" \\
        --statement "The bridge cost £2m." --kind quantity \\
        --asserter "The mayor" --value-type money --currency GBP \\
        --amount 2000000 --exact
      claimtrack claim add --seed article \\
        --quote "seront conservées en Grande-Bretagne" \\
        --statement "The data will be kept in the UK." --kind jurisdiction \\
        --asserter "FT" --value-type jurisdiction \\
        --object "the agencies' data" --constraint only_in --country GB
    """
    given = {field: options.pop(option) for option, field in VALUE_FIELDS.items()}
    source = _source(options)  # what is left: the quote's options
    if source is None:
        raise click.UsageError("claim add needs --seed and --quote")
    if value_type is None and any(v not in (None, ()) for v in given.values()):
        raise click.UsageError("give --value-type with the value's options")
    new = editing.NewClaim(
        statement,
        kind,
        asserter,
        source,
        asserter_type,
        relay,
        status,
        _day(date),
        claim_id,
        value=editing.typed_value(value_type, given) if value_type else None,
        original=original,
        original_language=original_language,
    )
    edited = editing.add_claim(_dataset(root), new)
    click.echo(str(edited.path))


@claim.command(name="status", epilog=EXIT_CODES_HELP)
@click.argument("claim_id")
@click.argument("new_status", type=click.Choice([s.value for s in ConfirmationStatus]))
@root_option
@click.option("--date", type=DATE, required=True, help="The date the status holds from.")
@click.option("--reason", required=True, help="What changed it: the event or publication.")
@quote_options
@click.option("--evidence", metavar="QID", help="Cite a quote the claim has already.")
@click.option("--rated-by", help="Who rated the claim, when the status is a rating.")
def claim_status(
    claim_id: str,
    new_status: str,
    root: Path | None,
    date: dt.datetime,
    reason: str,
    rated_by: str | None,
    **quote: Any,
) -> None:
    """Record a status change: append a history entry and set `status`; prints the change.

    \b
    Example:
      claimtrack claim status contract-value-gbp-500m-to-1bn-over-ten-years \\
        confirmed --date 2024-01-10 \\
        --reason "Amazon confirmed the figure." --seed followup --quote "..."
    """
    change = editing.StatusChange(
        new_status, date.date().isoformat(), reason, _citation(quote), rated_by
    )
    _show(editing.change_status(_dataset(root), claim_id, change))


@claim.command(name="respond", epilog=EXIT_CODES_HELP)
@click.argument("claim_id")
@root_option
@click.option("--party", required=True, help="The party that answered.")
@click.option(
    "--type", "party_type", required=True, type=click.Choice([e.value for e in EntityType])
)
@click.option("--response", required=True, type=click.Choice([r.value for r in ResponseType]))
@click.option("--date", type=DATE, help="When it answered.")
@click.option("--words", help="Its verbatim words, if any.")
@click.option("--asked-by", help="Who asked it, e.g. AFP.")
@quote_options
@click.option("--evidence", metavar="QID", help="Cite a quote the claim has already.")
def claim_respond(
    claim_id: str,
    root: Path | None,
    party: str,
    party_type: str,
    response: str,
    date: dt.datetime | None,
    words: str | None,
    asked_by: str | None,
    **quote: Any,
) -> None:
    """Record how a party answered; prints the change.

    \b
    Example:
      claimtrack claim respond contract-value-gbp-500m-to-1bn-over-ten-years \\
        --party Amazon --type company --response declined_to_comment \\
        --asked-by AFP --date 2021-10-27
    """
    answer = editing.Response(
        party, party_type, response, _day(date), words, asked_by, _citation(quote)
    )
    _show(editing.respond(_dataset(root), claim_id, answer))


def _tracking() -> None:
    from claimtrack.cli.commands.appear import claim_appear, claim_same_as  # noqa: PLC0415

    claim.add_command(claim_appear)
    claim.add_command(claim_same_as)


_tracking()
