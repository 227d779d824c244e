"""Keeping a dataset in order: `fix` (repairs of unambiguous findings) and `about` (who publishes
it and under what terms)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_OK
from claimtrack.cli.options import open_dataset as _dataset
from claimtrack.cli.options import root_option
from claimtrack.cli.options import show_edit as _show
from claimtrack.edit.fix import fix
from claimtrack.escape import visible


@click.command(name="fix", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if anything would change.")
def fix_command(paths: tuple[Path, ...], root: Path | None, check: bool) -> None:
    """Repair the findings whose repair is unambiguous (docs/rules.md marks them), in place.

    \b
    Examples:
      claimtrack fix                 # repair, and print each change
      claimtrack fix --check         # CI, pre-commit: exit 1 if it would change
    """
    repairs = fix(_dataset(root), list(paths) or None, check=check)
    verb = "would set" if check else "set"
    for r in repairs:
        click.echo(visible(f"{r.path}: {r.pointer}: {verb} {r.new} (was {r.old}) [{r.rule}]"))
    if not repairs:
        click.echo("nothing to repair", err=True)
    sys.exit(EXIT_FINDINGS if check and repairs else EXIT_OK)


@click.command(name="about", epilog=EXIT_CODES_HELP)
@root_option
@click.option("--name", help="Machine name of the dataset, e.g. city-budget-claims.")
@click.option("--title", help="Human title, shown on the site.")
@click.option("--description", help="What the dataset holds, in a few sentences.")
@click.option("--publisher", help="Who publishes the dataset and answers for it.")
@click.option("--publisher-url", metavar="URL", help="The publisher's web site.")
@click.option(
    "--publisher-kind",
    type=click.Choice(["organisation", "person"]),
    help="Whether the publisher is an organisation or a person (structured data needs it).",
)
@click.option("--license", "licence", metavar="SPDX", help="Licence of the claim records.")
@click.option("--contact", help="Where readers send corrections (e-mail address or URL).")
@click.option("--base-url", metavar="URL", help="Where the dataset's site is published.")
@click.option("--language", "languages", multiple=True, help="A language (BCP 47); repeat.")
def about_command(
    root: Path | None,
    name: str | None,
    title: str | None,
    description: str | None,
    publisher: str | None,
    publisher_url: str | None,
    publisher_kind: str | None,
    licence: str | None,
    contact: str | None,
    base_url: str | None,
    languages: tuple[str, ...],
) -> None:
    """Show or set who publishes the dataset and under what terms (dataset.yaml).

    Without options, prints the identity and what a release still needs. Each option sets one
    field, keeping the file's comments; nothing is written unless the result is valid.

    \b
    Examples:
      claimtrack about
      claimtrack about --name city-claims --license CC-BY-4.0 \\
        --publisher "City Desk"
    """
    from claimtrack.edit.identity import IdentityChange, set_identity  # noqa: PLC0415
    from claimtrack.validate.publication import identity, release_blockers  # noqa: PLC0415

    dataset = _dataset(root)
    change = IdentityChange(
        name,
        title,
        description,
        publisher,
        publisher_url,
        publisher_kind,
        licence,
        contact,
        base_url,
        languages,
    )
    if change != IdentityChange():
        _show(set_identity(dataset, change))
        return
    found = identity(dataset)
    if found.model is not None:
        for key, value in found.model.model_dump(mode="json", exclude={"schema_version"}).items():
            shown = "unknown" if value in (None, []) else value
            click.echo(visible(f"{key}: {shown}"))
    blockers = release_blockers(dataset)
    for what, fix_it in blockers:
        click.echo(visible(f"release needs: {what}"), err=True)
        click.echo(visible(f"  hint: {fix_it}"), err=True)
    sys.exit(EXIT_FINDINGS if blockers else EXIT_OK)
