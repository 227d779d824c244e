"""`claimtrack validate`: check every record file, report findings in the chosen format."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from claimtrack.cli.exits import EXIT_CODES_HELP, EXIT_FINDINGS, EXIT_OK
from claimtrack.cli.options import format_option, jobs_option, root_option
from claimtrack.exc import InputError
from claimtrack.store.layout import Dataset
from claimtrack.store.listing import Prefetch

if TYPE_CHECKING:
    from claimtrack.tables.built import TablesOfRun
    from claimtrack.validate.cache import ResultCache
    from claimtrack.validate.result import ValidationReport
    from claimtrack.validate.shards import Shard

# The validator (Polars, the models) is imported inside the command: a run over the whole
# dataset first starts listing its files in a child process, and the ~0.3 s of imports
# overlaps that listing (claimtrack.store.listing).


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
@format_option(
    "findings",
    "text",
    "text: grouped by file; json: stable fields (docs/validate.md); github: workflow "
    "annotations (+ $GITHUB_STEP_SUMMARY); sarif: SARIF 2.1.0; junit: JUnit XML.",
)
@jobs_option
@click.option("--no-cache", is_flag=True, help="Check every file again; read and write no cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the cache lives.  [default: $CLAIMTRACK_CACHE_DIR, else "
    "$XDG_CACHE_HOME/claimtrack, else ~/.cache/claimtrack]",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Check only shard I of N (0-based; a stable part of the files, by path), with "
    "cross-record rules over the whole dataset; for a CI matrix (docs/validate.md).",
)
@click.option(
    "--merge",
    is_flag=True,
    help="PATHS are the JSON reports of every shard (`--shard I/N --format json`): print "
    "them as one report.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Run per-file checks only on record files git reports as changed since REF "
    "(cross-record rules still see every record).",
)
def validate(
    paths: tuple[Path, ...],
    root: Path | None,
    fmt: str,
    jobs: int,
    no_cache: bool,
    cache_dir: Path | None,
    changed_since: str | None,
    shard: str | None,
    merge: bool,
) -> None:
    """Check claim and seed files: YAML, schema, model rules, quotes against their seeds.

    PATHS are files or folders inside the dataset (default: all of claims/ and seeds/).
    Prints nothing and exits 0 when everything is valid (text format).

    \b
    Examples:
      claimtrack validate
      claimtrack validate claims/agency-data-held-only-in-uk.yaml --format json
      claimtrack validate --root ../other-dataset --jobs 2
      claimtrack validate --changed-since origin/main --format github
      claimtrack validate --shard 0/4 --format json > shard-0.json
      claimtrack validate --merge shard-*.json --format github
    """
    if merge:
        _merge(root, paths, fmt, others=bool(shard or changed_since))
    dataset = Dataset.open(root or Path())
    whole = not (paths or changed_since or shard or no_cache)
    with Prefetch(dataset.root) if whole else contextlib.nullcontext() as prefetch:
        # imported while the listing runs (see the top)
        from claimtrack.validate.cache import ResultCache  # noqa: PLC0415
        from claimtrack.validate.cache import default_dir as default_cache_dir  # noqa: PLC0415
        from claimtrack.validate.check import check  # noqa: PLC0415
        from claimtrack.validate.shards import Shard  # noqa: PLC0415

        part = Shard.parse(shard) if shard else None
        selected = _selection(dataset, paths, changed_since, part)
        cache = None if no_cache else ResultCache(cache_dir or default_cache_dir())
        try:
            with _progress() as progress, _tables(cache, dataset, whole) as rows:
                report = check(
                    dataset,
                    selected,
                    findings_only=True,
                    publication=True,
                    jobs=jobs,
                    cache=cache,
                    progress=progress,
                    prefetch=prefetch,
                    rows=rows,
                )
        finally:
            if cache:
                cache.close()
        if part is not None:
            from claimtrack.validate.shards import origin  # noqa: PLC0415

            report.shard, report.origin = str(part), origin(dataset)
        _show(report, fmt)


def _tables(
    cache: ResultCache | None, dataset: Dataset, whole: bool
) -> contextlib.AbstractContextManager[TablesOfRun | None]:
    """What makes the stored tables in the run that validates everything (one pass: the first
    `query`, `stats` or `load()` after it reads them), beside the cache it uses."""
    if cache is None or not whole:
        return contextlib.nullcontext()
    from claimtrack.tables.built import TablesOfRun  # noqa: PLC0415 - see the top

    return TablesOfRun(cache.path.parent, dataset.root)


def _merge(root: Path | None, paths: tuple[Path, ...], fmt: str, *, others: bool) -> NoReturn:
    """`--merge`: the shards' reports as one."""
    if others or not paths:
        raise InputError(
            "--merge takes the shards' JSON reports as PATHS, and no --shard",
            hint="claimtrack validate --merge shard-0.json shard-1.json ...",
        )
    from claimtrack.validate.shards import merge as merge_reports  # noqa: PLC0415

    _show(merge_reports(root or Path(), list(paths)), fmt)


def _selection(
    dataset: Dataset, paths: tuple[Path, ...], changed_since: str | None, part: Shard | None
) -> list[Path] | None:
    """The files to check: those named, those git reports changed, or a shard's (None: all)."""
    from claimtrack.store.git import changed_files  # noqa: PLC0415
    from claimtrack.validate.shards import shard_paths  # noqa: PLC0415

    selected: list[Path] | None = list(paths) or None
    if changed_since:
        selected = changed_files(dataset, changed_since)
    if part is not None:
        if selected is not None:
            raise InputError("--shard checks a part of the whole dataset: give no PATHS")
        selected = shard_paths(dataset, part)
    return selected


def _show(report: ValidationReport, fmt: str) -> NoReturn:
    """Print the report in ``fmt`` (and the job summary), then exit 0 or 1."""
    from claimtrack.cli.reporters import REPORTERS  # noqa: PLC0415 - see the top

    reporter = REPORTERS[fmt](color=sys.stdout.isatty())
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
    from rich.console import Console  # noqa: PLC0415 - only for a terminal
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

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
