"""The `claimtrack` command: thin click commands over the library.

Exit codes (all commands):
  0  success: valid data, command done
  1  findings: the data is invalid (validate, and any command that reads the dataset), the
     schemas or docs are stale (--check), or a query matched no rows
  2  usage or input error: bad option, missing file or folder, not a dataset, bad query
  3  internal error: a bug in claimtrack; please report it with the command that caused it
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
import polars as pl
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimtrack import __version__
from claimtrack.cli import formats as output
from claimtrack.tables import query
from claimtrack.cli import reporters as reporting
from claimtrack.validate import runner as validation
from claimtrack.cli import docs as docpages
from claimtrack.model import jsonschema as schemas
from claimtrack.store.atomic import atomic_write_text
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.cache import default_dir as default_cache_dir
from claimtrack.cli.cards import card
from claimtrack.store.layout import Dataset
from claimtrack.exc import ClaimtrackError, InputError, InvalidDataset
from claimtrack.tables.frames import TABLES
from claimtrack.store.git import changed_files
from claimtrack.tables.load import load_tables
from claimtrack.store.yaml_write import to_yaml
from claimtrack.model.vocab import ClaimKind, ConfirmationStatus

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EXIT_CODES_HELP = (
    "\b\nExit codes:\n  0  valid / done\n  1  findings (invalid data, stale files, no rows)\n"
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


def fail(error: ClaimtrackError) -> NoReturn:
    """Print a library error with its fix; invalid data exits 1, everything else 2."""
    click.echo(f"error: {error}", err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)
    sys.exit(EXIT_FINDINGS if isinstance(error, InvalidDataset) else EXIT_USAGE)


def output_options(func: F) -> F:
    """`--format` and `--output`, shared by every command that lists rows."""
    func = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to FILE instead; the format follows its extension "
        "(.parquet, .csv, .json, .ndjson).",
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(output.WRITERS)),
        default="table",
        show_default=True,
        help="How to print rows.",
    )(func)


def emit(frame: pl.DataFrame, fmt: str, path: Path | None) -> None:
    """Print rows in the chosen format, or write them to a file."""
    if path is not None:
        try:
            output.write_file(frame, path)
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror}", path=path) from None
        click.echo(f"wrote {len(frame)} row(s) to {path}", err=True)
        return
    width = shutil.get_terminal_size().columns
    writer = output.WRITERS[fmt]()
    click.echo(writer.render(frame, width=width, color=sys.stdout.isatty()), nl=False)


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
    type=click.Choice(list(reporting.REPORTERS)),
    default="text",
    show_default=True,
    help="text: grouped by file; json: stable fields (docs/validate.md); github: workflow "
    "annotations (+ $GITHUB_STEP_SUMMARY); sarif: SARIF 2.1.0; junit: JUnit XML.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes.  [default: all cores]",
)
@click.option("--no-cache", is_flag=True, help="Check every file again; read and write no cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the cache lives.  [default: $CLAIMTRACK_CACHE_DIR, else "
    "$XDG_CACHE_HOME/claimtrack, else ~/.cache/claimtrack]",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Run per-file checks only on record files git reports as changed since REF "
    "(cross-record rules still see every record).",
)
def validate(
    paths: tuple[Path, ...],
    root: Path,
    fmt: str,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    changed_since: str | None,
) -> None:
    """Check claim and seed files: YAML, schema, model rules, quotes against their seeds.

    PATHS are files or folders inside the dataset (default: all of claims/ and seeds/).
    Prints nothing and exits 0 when everything is valid (text format).

    \b
    Examples:
      claimtrack validate
      claimtrack validate claims/contract-value.yaml --format json
      claimtrack validate --root ../other-dataset --jobs 2
      claimtrack validate --changed-since origin/main --format github
    """
    cache = None if no_cache else ResultCache(cache_dir or default_cache_dir())
    try:
        dataset = Dataset.open(root)
        selected: list[Path] | None = list(paths) or None
        if changed_since:
            selected = changed_files(dataset, changed_since)
        with _progress() as progress:
            report = validation.validate(
                dataset,
                selected,
                jobs=jobs or validation.default_jobs(),
                cache=cache,
                records=False,
                progress=progress,
            )
    except ClaimtrackError as error:
        fail(error)
    finally:
        if cache:
            cache.close()
    reporter = reporting.get(fmt)(color=sys.stdout.isatty())
    click.echo(reporter.render(report), nl=False)
    summary = reporter.summary(report)
    if summary and os.environ.get("GITHUB_STEP_SUMMARY"):
        with Path(os.environ["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as handle:
            handle.write(summary)
    sys.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("files", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


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


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()


@cli.command(name="query", epilog=EXIT_CODES_HELP)
@root_option
@click.option(
    "--status",
    multiple=True,
    type=click.Choice([s.value for s in ConfirmationStatus]),
    help="Keep claims with this status (repeatable).",
)
@click.option(
    "--kind",
    multiple=True,
    type=click.Choice([k.value for k in ClaimKind]),
    help="Keep claims of this kind (repeatable).",
)
@click.option(
    "--subject", metavar="TEXT", help="Keep claims about an entity whose name contains TEXT."
)
@click.option(
    "--attributed-to",
    metavar="TEXT",
    help="Keep claims with any attribution link (asserter, cited source, first "
    "reporter, relay) whose name or wording contains TEXT.",
)
@click.option("--tag", multiple=True, help="Keep claims with this tag (repeatable).")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Keep claims first recorded on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Keep claims first recorded on or before this date (YYYY-MM-DD).",
)
@click.option(
    "--text",
    metavar="TEXT",
    help="Search statements, original wordings, quotes and translations; ignores case and accents.",
)
@click.option(
    "--sql",
    metavar="QUERY",
    help="A Polars SQL query over the tables (claims, "
    "evidence, attributions, status_history, responses, subjects, sources); replaces "
    "the filters.",
)
@click.option(
    "--table",
    type=click.Choice(list(TABLES)),
    default="claims",
    show_default=True,
    help="Which table's rows to list (those of the matching claims).",
)
@click.option("--columns", metavar="A,B,...", help="Only these columns, in this order.")
@click.option("--sort", metavar="A,B,...", help="Sort by these columns.")
@click.option("--desc", is_flag=True, help="Sort in descending order.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many rows.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Stop a --sql query that runs longer than this many seconds.",
)
@output_options
def query_command(
    root: Path,
    status: tuple[str, ...],
    kind: tuple[str, ...],
    subject: str | None,
    attributed_to: str | None,
    tag: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
    text: str | None,
    sql: str | None,
    table: str,
    columns: str | None,
    sort: str | None,
    desc: bool,
    limit: int | None,
    timeout: float,
    fmt: str,
    output: Path | None,
) -> None:
    """List claims (or their quotes, links, history...) matching filters, or run SQL.

    The dataset is validated first; invalid data exits 1. No matching row exits 1 with a message.

    \b
    Examples:
      claimtrack query --status reported --columns claim_id,asserted_by
      claimtrack query --attributed-to "financial times" --format csv
      claimtrack query --text "donnees" --table evidence --columns claim_id,text
      claimtrack query --sql "SELECT status, count(*) AS n FROM claims GROUP BY status"
      claimtrack query --kind quantity -o values.parquet
    """
    try:
        tables = load_tables(root, jobs=validation.default_jobs())
        if sql:
            frame = query.shape(
                query.sql(tables, sql, timeout=timeout),
                columns=_csv(columns),
                sort=_csv(sort),
                descending=desc,
                limit=limit,
            )
        else:
            filters = query.Filters(
                statuses=status,
                kinds=kind,
                subject=subject,
                attributed_to=attributed_to,
                tags=tag,
                since=since.date() if since else None,
                until=until.date() if until else None,
                text=text,
            )
            frame = query.select(
                tables,
                filters,
                table=table,
                columns=_csv(columns),
                sort=_csv(sort),
                descending=desc,
                limit=limit,
            )
        if frame.is_empty():
            click.echo("no rows match", err=True)
            sys.exit(EXIT_FINDINGS)
        emit(frame, fmt, output)
    except ClaimtrackError as error:
        fail(error)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("claim_id")
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["card", "json", "yaml"]),
    default="card",
    show_default=True,
    help="A readable card, or the record as JSON or YAML.",
)
def show(claim_id: str, root: Path, fmt: str) -> None:
    """Show one claim: statement, value, status timeline, attribution, quotes in context.

    \b
    Examples:
      claimtrack show contract-value-gbp-500m-to-1bn-over-ten-years
      claimtrack show agency-data-held-only-in-uk --format json
    """
    try:
        dataset = Dataset.open(root)
        report = validation.validate_all(dataset, jobs=validation.default_jobs())
    except ClaimtrackError as error:
        fail(error)
    claims = {c.id: c for c in report.claims}
    claim = claims.get(claim_id)
    if claim is None:
        if (dataset.claims_dir / f"{claim_id}.yaml").exists():
            fail(
                InvalidDataset(
                    [f for f in report.findings if claim_id in f.path],
                    path=dataset.claims_dir / f"{claim_id}.yaml",
                )
            )
        close = [i for i in sorted(claims) if claim_id.casefold() in i][:3]
        close = close or difflib.get_close_matches(claim_id, list(claims), n=3)
        fail(
            InputError(
                f"no claim `{claim_id}`",
                hint=("did you mean: " + ", ".join(close))
                if close
                else "list the ids with `claimtrack query --columns claim_id`",
            )
        )
    if fmt == "json":
        click.echo(claim.model_dump_json(indent=2, exclude_defaults=True))
        return
    if fmt == "yaml":
        click.echo(to_yaml(claim), nl=False)
        return
    texts = {}
    for seed in report.seeds:
        try:
            texts[seed.id] = (dataset.seeds_dir / seed.text_file).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the card shows the quote without its context
    console = Console(
        width=shutil.get_terminal_size().columns,
        highlight=False,
        force_terminal=sys.stdout.isatty(),
        no_color=not sys.stdout.isatty(),
    )
    with console.capture() as capture:
        console.print(card(claim, texts))
    click.echo(capture.get(), nl=False)


@cli.command(epilog=EXIT_CODES_HELP)
@root_option
@output_options
def stats(root: Path, fmt: str, output: Path | None) -> None:
    """Counts of claims by status, kind and asserter, and of quotes per seed.

    \b
    Examples:
      claimtrack stats
      claimtrack stats --format json
    """
    try:
        emit(query.stats(load_tables(root, jobs=validation.default_jobs())), fmt, output)
    except ClaimtrackError as error:
        fail(error)


@cli.command(name="release", epilog=EXIT_CODES_HELP)
@root_option
@click.option("--version", "version", metavar="X.Y.Z", help="The version to release.")
@click.option(
    "--bump",
    type=click.Choice(["major", "minor", "patch"]),
    help="Release the latest version bumped by this part (default: what the changes "
    "need; 1.0.0 for a first release).",
)
@click.option(
    "--date",
    metavar="YYYY-MM-DD",
    help="Release date written in the files "
    "(default: today, UTC); the same inputs and date give the same bytes.",
)
@click.option(
    "--no-changelog", is_flag=True, help="Do not add the release's section to CHANGELOG.md."
)
def release_command(
    root: Path, version: str | None, bump: str | None, date: str | None, no_changelog: bool
) -> None:
    """Publish the validated working tree as an immutable release in dataset/<version>/.

    Refused when the data is invalid, the version exists, or the version is too small for the
    changes since the latest release (the message says which change needs which bump).

    \b
    Examples:
      claimtrack release --version 1.0.0
      claimtrack release --bump minor
    """
    from claimtrack.release import publish as releases  # noqa: PLC0415 - keep validate's start-up light

    if date is not None and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
        fail(InputError(f"`{date}` is not a date YYYY-MM-DD"))
    try:
        if date is not None:
            dt.date.fromisoformat(date)
    except ValueError:
        fail(InputError(f"`{date}` is not a real date"))
    try:
        result = releases.release(
            Dataset.open(root),
            version=version,
            bump=bump,  # type: ignore[arg-type]
            date=date,
            changelog=not no_changelog,
            jobs=validation.default_jobs(),
        )
    except ClaimtrackError as error:
        fail(error)
    click.echo(f"released {result.version}: {result.files} files in {result.path}")


@cli.command(name="diff", epilog=EXIT_CODES_HELP)
@click.argument("old")
@click.argument("new", default="worktree")
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="How to print the changes.",
)
def diff_command(old: str, new: str, root: Path, fmt: str) -> None:
    """Claims added, removed and changed (field by field) between two releases.

    OLD and NEW are versions, or `worktree` for the working tree (NEW's default).

    \b
    Examples:
      claimtrack diff 1.0.0                # the release against the working tree
      claimtrack diff 1.0.0 1.1.0 --format markdown
    """
    from claimtrack.release import diff as diffing  # noqa: PLC0415 - keep validate's start-up light
    from claimtrack.release import publish as releases  # noqa: PLC0415 - keep validate's start-up light

    try:
        change = releases.diff(Dataset.open(root), old, new, jobs=validation.default_jobs())
    except ClaimtrackError as error:
        fail(error)
    render = {"text": diffing.as_text, "json": diffing.as_json, "markdown": diffing.as_markdown}
    click.echo(render[fmt](change), nl=False)


@cli.command(name="verify", epilog=EXIT_CODES_HELP)
@click.argument("version", required=False)
@root_option
def verify_command(version: str | None, root: Path) -> None:
    """Recompute every hash, size and row count of a release (default: the latest).

    Exits 0 when intact, 1 when any file differs, is missing or is not in the manifest.

    \b
    Examples:
      claimtrack verify
      claimtrack verify 1.0.0
    """
    from claimtrack.release import publish as releases  # noqa: PLC0415 - keep validate's start-up light

    try:
        explicit = click.get_current_context().get_parameter_source("root") is not (
            click.core.ParameterSource.DEFAULT
        )
        dataset = Dataset(root) if explicit or (root / "claims").is_dir() else None
        folder = releases.release_path(dataset, version)
    except ClaimtrackError as error:
        fail(error)
    problems = releases.verify(folder)
    for problem in problems:
        click.echo(f"{folder / problem.path}: {problem.message}")
    if problems:
        click.echo(f"{len(problems)} problem(s): release {folder.name} is not intact", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"release {folder.name} is intact")


@cli.command(name="init", epilog=EXIT_CODES_HELP)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init_command(folder: Path) -> None:
    """Create a new, valid, empty dataset in FOLDER (new or empty).

    It holds claims/, seeds/, schemas/, dataset/, a README, a CHANGELOG, a pre-commit
    configuration and a GitHub Actions workflow; `claimtrack validate` accepts it as is.

    \b
    Example:
      claimtrack init my-claims && cd my-claims && claimtrack validate
    """
    from claimtrack.store.scaffold import init  # noqa: PLC0415 - keep validate's start-up light

    try:
        written = init(folder)
    except ClaimtrackError as error:
        fail(error)
    click.echo(f"created a claimtrack dataset in {folder} ({len(written)} files)")


@cli.command(name="import", epilog=EXIT_CODES_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["liar", "averitec", "claimreview"]))
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default="the current folder",
    help="The dataset to import into.",
)
@click.option(
    "--rights",
    default="Unknown: not stated by whoever imported this file.",
    help="Rights note recorded for the archived file.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
def import_command(
    fmt: str, files: tuple[Path, ...], into: Path, rights: str, dry_run: bool
) -> None:
    """Import claims from LIAR (TSV), AVeriTeC (JSON) or ClaimReview (JSON-LD) files.

    Each file is archived under seeds/; labels are mapped to our statuses (the original label
    is kept verbatim); re-importing a file changes nothing. Every record that cannot be imported
    is listed with the reason; then the command exits 1.

    \b
    Examples:
      claimtrack import liar train.tsv valid.tsv test.tsv --into my-claims
      claimtrack import claimreview reviews.jsonld --rights "CC BY 4.0, Example Checkers"
    """
    from claimtrack.interop.importing import import_file  # noqa: PLC0415 - keep start-up light

    skipped = 0
    try:
        dataset = Dataset.open(into)
        for path in files:
            report = import_file(fmt, path, dataset, rights=rights, dry_run=dry_run)
            click.echo(
                f"{path}: {len(report.added)} added, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged, {len(report.skipped)} skipped "
                f"(seed {report.seed_id})"
            )
            for where, why in report.skipped:
                click.echo(f"  skipped {where}: {why}", err=True)
            for where, why in report.warnings:
                click.echo(f"  warning {where}: {why}", err=True)
            skipped += len(report.skipped)
    except ClaimtrackError as error:
        fail(error)
    sys.exit(EXIT_FINDINGS if skipped else EXIT_OK)


@cli.command(name="export", epilog=EXIT_CODES_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["claimreview", "csv"]))
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
    help="claimreview: each review's `url` is "
    "URL/<claim-id> (Google requires a url; none is made up without it).",
)
@click.option(
    "--publisher",
    metavar="NAME",
    help="claimreview: the reviewing organisation "
    "(`author`); default: who rated each claim, when known.",
)
def export_command(
    fmt: str, root: Path, output: Path | None, base_url: str | None, publisher: str | None
) -> None:
    """Export the validated claims as ClaimReview JSON-LD or as a flat CSV.

    \b
    Examples:
      claimtrack export claimreview --base-url https://checks.example.org/claims -o reviews.jsonld
      claimtrack export csv -o claims.csv
    """
    from claimtrack.interop import claimreview_export as exports  # noqa: PLC0415 - keep start-up light

    try:
        dataset = Dataset.open(root)
        report = validation.validate_all(dataset, jobs=validation.default_jobs())
        if not report.ok:
            raise InvalidDataset(report.findings, path=dataset.root)
        if fmt == "csv":
            text = output_csv(report)
        else:
            text = (
                json.dumps(
                    exports.claimreviews(
                        report.claims, report.seeds, base_url=base_url, publisher=publisher
                    ),
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
        if output is None:
            click.echo(text, nl=False)
        else:
            try:
                atomic_write_text(output, text)
            except OSError as error:
                raise InputError(f"cannot write: {error.strerror}", path=output) from None
            click.echo(f"wrote {len(report.claims)} claim(s) to {output}", err=True)
    except ClaimtrackError as error:
        fail(error)


def output_csv(report: validation.ValidationReport) -> str:
    from claimtrack.tables.frames import build_tables  # noqa: PLC0415 - keep start-up light

    return output.flat_csv(build_tables(report.claims, report.seeds)["claims"])


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
