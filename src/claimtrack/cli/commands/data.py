"""Commands that create or exchange data: `init`, `import` and `export`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_OK
from claimtrack.cli.formats import print_text
from claimtrack.cli.options import dataset_option, jobs_option, raw_option, root_option
from claimtrack.escape import visible
from claimtrack.exc import InputError
from claimtrack.interop.drafts import ImportReport
from claimtrack.interop.formats import FORMATS as IMPORT_FORMATS
from claimtrack.interop.importing import import_file
from claimtrack.model.vocab import Redistribution
from claimtrack.release.claimreview import Publishing
from claimtrack.release.exports import EXPORTS
from claimtrack.store.atomic import atomic_write_text
from claimtrack.store.install import detect as detect_install
from claimtrack.store.install import given as install_given
from claimtrack.store.layout import Dataset
from claimtrack.store.scaffold import init
from claimtrack.validate.check import require_valid
from claimtrack.validate.publication import identity


@click.command(name="init", epilog=EXIT_CODES_HELP)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install",
    "install_spec",
    metavar="SPEC",
    help="How CI installs claimtrack (written to requirements.txt): a requirement, e.g. "
    '"claimtrack @ git+https://host/repo@v0.2.0", or the path of a claimtrack wheel, copied '
    "into .claimtrack/.  [default: from how this claimtrack was installed]",
)
def init_command(folder: Path, install_spec: str | None) -> None:
    """Create a new, valid, empty dataset in FOLDER (new or empty).

    It holds claims/, seeds/, schemas/, dataset/, a README, a CHANGELOG, a pre-commit
    configuration, a GitHub Actions workflow, and requirements.txt: the exact claimtrack
    that made it (its version control URL and commit, archive URL, a copy of its wheel, or
    its version on an index), which the workflow installs. `claimtrack validate` accepts it
    as is.

    \b
    Examples:
      claimtrack init my-claims && cd my-claims && claimtrack validate
      claimtrack init my-claims --install dist/claimtrack-0.1.0-py3-none-any.whl
    """
    spec = install_given(install_spec) if install_spec else detect_install()
    written = init(folder, spec)
    click.echo(f"created a claimtrack dataset in {folder} ({len(written)} files)")
    click.echo(visible(f"CI installs: {spec.requirement}  (from {spec.origin})"), err=True)
    if spec.warning:
        click.echo(visible(f"warning: {spec.warning}"), err=True)


IMPORT_HELP = (
    """Import claims from FILES of FORMAT, one of:

\b
"""
    + "\n".join(f"  {f.name:<14} {f.title}" for f in IMPORT_FORMATS.values())
    + """

Each file is archived under seeds/; labels are mapped to our statuses (the original label is
kept verbatim); re-importing a file changes nothing. The ids of the claims added or updated are
listed (--quiet: counts only). Every record that cannot be imported is listed with the reason;
then the command exits 1.

\b
Examples:
  claimtrack import liar train.tsv valid.tsv test.tsv --into my-claims
  claimtrack import claimreview reviews.jsonld --rights "CC BY 4.0, Checkers"
  claimtrack import factcheck-api search-response.json
"""
)

SHOWN_IDS = 20  # ids listed per file; past this, the first ones and a count
SHOWN_WORDS = 60  # characters of each listed claim's statement


@click.command(name="import", epilog=EXIT_CODES_HELP, help=IMPORT_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(IMPORT_FORMATS)))
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@dataset_option("--into", "The dataset to import into.")
@click.option(
    "--rights",
    help="Rights note recorded for the archived file.  [default: the format's licence, "
    "docs/vocabularies.md]",
)
@click.option(
    "--redistribution",
    type=click.Choice([r.value for r in Redistribution]),
    help="What of the archived file releases may publish.  [default: the format's licence "
    "allows; quotes_only when --rights is given without it]",
)
@click.option(
    "--layout",
    type=click.Choice(["auto", "flat", "nested"]),
    default="auto",
    show_default=True,
    help="Where new claim files go: `flat` in claims/; `nested` in claims/<format>/<xx>/ (xx: "
    "two hex digits of the id's hash); `auto` nested when one file adds at least 1,000 claims "
    "or claims/<format>/ exists. Updated claims stay where they are.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Print the counts only, not the ids.")
def import_command(
    fmt: str,
    files: tuple[Path, ...],
    into: Path | None,
    rights: str | None,
    redistribution: str | None,
    layout: str,
    dry_run: bool,
    quiet: bool,
) -> None:
    skipped = 0
    dataset = Dataset.open(into or Path())
    for path in files:
        report = import_file(
            fmt,
            path,
            dataset,
            rights=rights,
            redistribution=redistribution,
            dry_run=dry_run,
            layout=layout,  # type: ignore[arg-type]  # click.Choice admits only Layout values
        )
        click.echo(
            visible(
                f"{path}: {len(report.added)} added, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged, {len(report.skipped)} skipped "
                f"(seed {report.seed_id})"
            )
        )
        if not quiet:
            _list_ids(report)
        for where, why in report.skipped:
            click.echo(visible(f"  skipped {where}: {why}"), err=True)
        for where, why in report.warnings:
            click.echo(visible(f"  warning {where}: {why}"), err=True)
        skipped += len(report.skipped)
    sys.exit(EXIT_FINDINGS if skipped else EXIT_OK)


def _list_ids(report: ImportReport) -> None:
    """The claim ids an import added or updated, a line each (the first SHOWN_IDS)."""
    rows = [("added", i) for i in report.added] + [("updated", i) for i in report.updated]
    for what, claim_id in rows[:SHOWN_IDS]:
        said = " ".join(report.statements.get(claim_id, "").split())
        said = said if len(said) <= SHOWN_WORDS else said[: SHOWN_WORDS - 1].rstrip() + "…"
        click.echo(visible(f"  {what} {claim_id}: {said}" if said else f"  {what} {claim_id}"))
    if len(rows) > SHOWN_IDS:
        click.echo(f"  ... and {len(rows) - SHOWN_IDS:,} more")


@click.command(name="export", epilog=EXIT_CODES_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(EXPORTS)))
@root_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="claimreview: the published site, so that the dataset's own verdicts have a `url` "
    "(URL/claims/<claim-id>.html; default: `base_url` in dataset.yaml; none is made up).",
)
@click.option(
    "--publisher",
    metavar="NAME",
    help="claimreview: who issues the dataset's own verdicts (`author`); default: the "
    "publisher in dataset.yaml. Other raters' reviews keep their own names.",
)
@raw_option
@jobs_option
def export_command(
    fmt: str,
    root: Path | None,
    output: Path | None,
    base_url: str | None,
    publisher: str | None,
    raw: bool,
    jobs: int,
) -> None:
    """Export the validated claims as ClaimReview JSON-LD, a flat CSV, or W3C PROV-O.

    ClaimReview is written only for real reviews: a named rater's rating, or a verdict of the
    dataset's publisher; a claim nobody rated has none (docs/publishing.md).

    The CSV is for spreadsheets: a text cell that starts with =, +, -, @, a tab or a carriage
    return gets a leading ' so it is shown, not run (--raw turns this off).

    PROV (`prov`: JSON-LD, `prov-turtle`: Turtle) holds each claim's attribution chain, quotes,
    sources and status decisions, for provenance tools and SPARQL (docs/publishing.md). What a
    source's rights withhold from releases is left out here too.

    \b
    Examples:
      claimtrack export claimreview --base-url https://checks.example.org/claims \\
        -o reviews.jsonld
      claimtrack export csv -o claims.csv
      claimtrack export prov-turtle -o provenance.ttl
    """
    dataset = Dataset.open(root or Path())
    report = require_valid(dataset, jobs=jobs)
    about = identity(dataset).model
    publishing = Publishing.of(about, base_url=base_url, publisher=publisher)
    exported = EXPORTS[fmt].write(report, publishing, raw, output is None)
    for note in exported.notes:
        click.echo(visible(note), err=True)
    if output is None:
        print_text(exported.text, raw=raw)
        return
    try:
        atomic_write_text(output, exported.text)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", path=output) from None
    click.echo(f"wrote {len(report.claims)} claim(s) to {output}", err=True)
