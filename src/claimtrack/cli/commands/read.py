"""Reading commands: `query` and `stats`.

Polars and the tables' code are imported inside the commands: on a working tree, the listing
of its files is started first, in a child process, and the ~0.3 s of imports overlap it (as
`validate` does, :mod:`claimtrack.store.listing`).
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimtrack.cli.exits import EXIT_CODES_HELP, EXIT_FINDINGS
from claimtrack.cli.options import jobs_option, root_option, rows_options
from claimtrack.model.vocab import ClaimKind, ConfirmationStatus
from claimtrack.tables.front import listing_ahead
from claimtrack.tables.names import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT, TABLE_NAMES, TOP

if TYPE_CHECKING:
    import polars as pl

    from claimtrack.tables.load import Source

TABLE_LIST = ", ".join(TABLE_NAMES)


def release_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--release",
        "release",
        metavar="VERSION",
        help="Read this published release (or `latest`) instead of the working tree.",
    )(func)


def _source(root: Path | None, release: str | None) -> Source:
    """What to read; reading a packaged release is said on stderr (by the caller), not warned."""
    from claimtrack.tables.load import PackagedRelease, resolve  # noqa: PLC0415 - see the top

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PackagedRelease)
        return resolve(root, release)


def _tables(
    root: Path | None, release: str | None, jobs: int, no_cache: bool
) -> dict[str, pl.LazyFrame]:
    """The tables to read, as lazy scans (only what a command needs is read)."""
    with listing_ahead(root, version=release, cache=not no_cache) as prefetch:
        from claimtrack.tables.load import scan  # noqa: PLC0415 - see the top

        source = _source(root, release)
        if source.release is not None and release is None:
            click.echo(f"note: no dataset in this folder; reading {source.description}", err=True)
        return scan(source, jobs=jobs, cache=not no_cache, prefetch=prefetch)


def no_cache_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--no-cache",
        is_flag=True,
        help="Validate every file again and build the tables anew; read and write no cache.",
    )(func)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()


def _sql(
    tables: dict[str, pl.LazyFrame], query: str, timeout: float, memory_mib: int
) -> pl.DataFrame:
    """``query`` run over the tables, each read whole, in the SQL sandbox."""
    from claimtrack.tables.sql import sql as run_sql  # noqa: PLC0415 - see the top

    whole = {name: t.collect(engine="streaming") for name, t in tables.items()}
    return run_sql(whole, query, timeout=timeout, memory_mib=memory_mib)


@click.command(name="query", epilog=EXIT_CODES_HELP)
@root_option
@release_option
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
    "--subject",
    metavar="TEXT",
    help="Keep claims about an entity whose name contains TEXT. With --table subjects, only "
    "the subjects it names.",
)
@click.option(
    "--attributed-to",
    metavar="TEXT",
    help="Keep claims with any attribution link (asserter, cited source, first "
    "reporter, relay) whose name or wording contains TEXT. With --table attributions, only "
    "those links.",
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
    help="Search statements, original wordings, quotes and translations; ignores case and "
    "accents. With --table evidence, only the quotes that contain it.",
)
@click.option(
    "--sql",
    metavar="QUERY",
    help=f"One SQL SELECT (DuckDB) over the tables ({TABLE_LIST}); replaces the filters. "
    "It cannot read files, URLs or settings.",
)
@click.option(
    "--table",
    type=click.Choice(list(TABLE_NAMES)),
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
    type=click.FloatRange(min=0.1, max=86_400),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Stop a --sql query that runs longer than this many seconds.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=64, max=1 << 20),
    default=DEFAULT_MEMORY_MIB,
    show_default=True,
    metavar="MIB",
    help="Stop a --sql query that needs more memory than this (MiB).",
)
@jobs_option
@no_cache_option
@rows_options
def query_command(
    root: Path | None,
    release: str | None,
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
    memory_limit: int,
    jobs: int,
    no_cache: bool,
    fmt: str,
    output: Path | None,
    raw: bool,
) -> None:
    """List claims (or their quotes, links, history...) matching filters, or run SQL.

    The dataset is validated first; invalid data exits 1. No matching row exits 1 with a message.
    Outside a dataset folder (and without --root), the release shipped with claimtrack is read.

    \b
    Examples:
      claimtrack query --status reported --columns claim_id,asserted_by
      claimtrack query --attributed-to "financial times" --format csv
      claimtrack query --text "donnees" --table evidence --columns claim_id,text
      claimtrack query --sql \\
        "SELECT status, count(*) AS n FROM claims GROUP BY status"
      claimtrack query --kind quantity -o values.parquet
    """
    tables = _tables(root, release, jobs, no_cache)
    from claimtrack.tables import query as queries  # noqa: PLC0415 - see the top

    shape = queries.Shape(_names(columns), _names(sort), desc, limit)
    if sql:
        frame = shape.apply(_sql(tables, sql, timeout, memory_limit))
    else:
        filters = queries.Filters(
            statuses=status,
            kinds=kind,
            subject=subject,
            attributed_to=attributed_to,
            tags=tag,
            since=since.date() if since else None,
            until=until.date() if until else None,
            text=text,
        )
        frame = shape.apply(queries.select(tables, filters, table=table))
    _rows_found(frame, fmt, output, raw)


def _rows_found(frame: pl.DataFrame, fmt: str, output: Path | None, raw: bool) -> None:
    """The rows written in ``fmt``; none is exit 1, with a message."""
    from claimtrack.cli.formats import emit  # noqa: PLC0415 - see the top

    if frame.is_empty():
        click.echo("no rows match", err=True)
        sys.exit(EXIT_FINDINGS)
    emit(frame, fmt, output, raw=raw)


@click.command(epilog=EXIT_CODES_HELP)
@root_option
@release_option
@jobs_option
@no_cache_option
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=TOP,
    show_default=True,
    metavar="N",
    help="Show the N most frequent values of each dimension, and count the rest on one row.",
)
@click.option("--all", "show_all", is_flag=True, help="Show every value of every dimension.")
@rows_options
def stats(
    root: Path | None,
    release: str | None,
    jobs: int,
    no_cache: bool,
    top: int,
    show_all: bool,
    fmt: str,
    output: Path | None,
    raw: bool,
) -> None:
    """Counts of claims by status, kind and asserter, and of quotes per seed; for a working
    tree, also how much of each `quotes_only` seed its quotes cover (`quote_coverage_pct`, in
    whole percent rounded up, against its budget, `quote_budget_pct`).

    Each dimension shows its most frequent values (--top), then one row for the rest: its
    value empty, its count theirs summed, and `others` how many values it stands for (0 on
    every other row). --all shows every value.

    Outside a dataset folder (and without --root), the release shipped with claimtrack is read.

    \b
    Examples:
      claimtrack stats
      claimtrack stats --all --format csv -o counts.csv
      claimtrack stats --release 1.1.0 --format json
    """
    tables = _tables(root, release, jobs, no_cache)
    import polars as pl  # noqa: PLC0415 - see the top

    from claimtrack.cli.formats import emit  # noqa: PLC0415
    from claimtrack.tables import query as queries  # noqa: PLC0415

    cut = None if show_all else top
    frame = queries.stats(tables, top=cut)
    source = _source(root, release)
    quotes_only = (
        tables["sources"]
        .select((pl.col("redistribution").cast(pl.String) == "quotes_only").any())
        .collect()
        .item()
    )
    if source.release is None and source.dataset is not None and quotes_only:
        from claimtrack.validate.publication import seed_coverage  # noqa: PLC0415

        found = seed_coverage(source.dataset, jobs=jobs, cache=not no_cache)
        shares = [(s.seed_id, s.share, s.share_allowed) for s in found]
        frame = queries.with_coverage(frame, shares, top=cut)
    emit(frame, fmt, output, raw=raw)
