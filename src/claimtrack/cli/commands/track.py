"""Tracking commands: `match` (known claims in new sources) and `watch` (feeds and folders)."""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP
from claimtrack.cli.formats import print_text
from claimtrack.cli.options import format_option, jobs_option, root_option
from claimtrack.escape import visible
from claimtrack.store.atomic import atomic_write_bytes


def _cache_dir() -> Path:
    from claimtrack.validate.cache import default_dir  # noqa: PLC0415 - the command's alone

    return default_dir()


@click.command(name="match", epilog=EXIT_CODES_HELP)
@click.argument(
    "sources", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[FILE|DIR]..."
)
@click.option(
    "--seed",
    "seeds",
    multiple=True,
    metavar="ID",
    help="Match an archived seed of the dataset (repeatable).",
)
@click.option(
    "--dataset",
    "within",
    is_flag=True,
    help="Propose likely duplicates within the dataset: pairs of claims that state one claim, "
    "for an editor to join with `claim same-as`.",
)
@click.option("--likely", "only_likely", is_flag=True, help="Show only likely proposals.")
@click.option(
    "--embeddings",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of a local sentence-embedding model (model2vec) for the meaning signal; "
    "needs `claimtrack[embeddings]`.",
)
@root_option
@format_option("matches", "text", "How to print the proposals.")
@jobs_option
def match_command(
    sources: tuple[Path, ...],
    seeds: tuple[str, ...],
    within: bool,
    only_likely: bool,
    embeddings: Path | None,
    root: Path | None,
    fmt: str,
    jobs: int,
) -> None:
    """Propose the known claims that each passage of new sources repeats, paraphrases,
    translates or contradicts, best first. Never writes to the dataset.

    Sources are text, HTML, PDF or WARC files, folders of them, or archived seeds (--seed).
    Each proposal has a score in [0, 1], `likely` from 0.5 (docs/tracking.md), the signals
    that fired, and the command that records it.

    \b
    Examples:
      claimtrack match new-article.html
      claimtrack match --seed 000_41d59578b16f00ef --format json
      claimtrack match inbox/ --likely --format markdown > review.md
      claimtrack match --dataset
    """
    from claimtrack.cli.match_formats import MATCH_WRITERS  # noqa: PLC0415 - this command's
    from claimtrack.exc import InputError  # noqa: PLC0415 - same
    from claimtrack.track import run  # noqa: PLC0415 - same

    dataset = root or Path()
    if within:
        if sources or seeds:
            raise InputError("--dataset matches the dataset's own claims: give no sources")
        report = run.duplicates(dataset, cache_dir=_cache_dir(), jobs=jobs, embeddings=embeddings)
    else:
        if not (sources or seeds):
            raise InputError(
                "nothing to match", hint="give files or folders, --seed ID, or --dataset"
            )
        report = run.match(
            dataset, list(sources), list(seeds), cache_dir=_cache_dir(), jobs=jobs,
            embeddings=embeddings,
        )  # fmt: skip
    if only_likely:
        report.matches = report.likely
    print_text(MATCH_WRITERS[fmt](report))


@click.command(name="watch", epilog=EXIT_CODES_HELP)
@click.argument("feeds", nargs=-1, metavar="[URL|FILE|DIR]...")
@click.option(
    "--queue",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("review-queue"),
    show_default=True,
    help="Folder for the review queue (queue.md and queue.json).",
)
@click.option(
    "--language", metavar="TAG", help="Language of items that do not say theirs (e.g. fr)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1, max=600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for each feed or page.",
)
@click.option(
    "--embeddings",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of a local sentence-embedding model, as for `match`.",
)
@root_option
@jobs_option
def watch_command(
    feeds: tuple[str, ...],
    queue: Path,
    language: str | None,
    timeout: float,
    embeddings: Path | None,
    root: Path | None,
    jobs: int,
) -> None:
    """Archive the new items of RSS/Atom feeds (URLs or files) and folders of documents, once
    each (by hash), match them, and write a review queue of likely appearances and possible
    status changes.

    \b
    Examples:
      claimtrack watch https://example.org/feed.xml
      claimtrack watch inbox/ --queue review-queue
    """
    from claimtrack.cli.match_formats import queue_json, queue_markdown  # noqa: PLC0415
    from claimtrack.exc import InputError  # noqa: PLC0415 - this command's
    from claimtrack.track.watch import queued, watch  # noqa: PLC0415 - same

    if not feeds:
        raise InputError("nothing to watch", hint="give feed URLs, feed files or folders")
    result = watch(
        root or Path(),
        list(feeds),
        cache_dir=_cache_dir(),
        language=language,
        timeout=timeout,
        jobs=jobs,
        embeddings=embeddings,
    )
    queue.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(queue / "queue.md", queue_markdown(result).encode("utf-8"))
    atomic_write_bytes(queue / "queue.json", queue_json(result).encode("utf-8"))
    queued(root or Path(), result)  # written: its items are no longer pending
    click.echo(
        f"{len(result.archived)} item(s) to review, {result.seen} seen before, "
        f"{len(result.report.likely)} likely appearance(s); queue in {queue}",
        err=True,
    )
    for item, why in result.skipped:
        click.echo(visible(f"  skipped {item}: {why}"), err=True)
