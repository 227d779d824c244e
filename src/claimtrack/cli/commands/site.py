"""`claimtrack site`: the website of a release."""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP
from claimtrack.cli.options import jobs_option, root_option
from claimtrack.escape import visible
from claimtrack.site.build import build_site
from claimtrack.site.source import load_source
from claimtrack.store.layout import Dataset


@click.command(name="site", epilog=EXIT_CODES_HELP)
@click.argument("release", metavar="[VERSION | worktree]", required=False)
@root_option
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site to (replaced only if a previous site is there).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the site will be published (e.g. https://example.org/claims; default: "
    "`base_url` in dataset.yaml): each ClaimReview needs its page's absolute URL, and is left "
    "out without one.",
)
@jobs_option
def site_command(
    release: str | None, root: Path | None, output: Path, base_url: str | None, jobs: int
) -> None:
    """Write the static website of a release (default: the latest): claim pages with status
    timelines and quotes in their sources, seed pages, statistics, and the release's files.

    It shows only what the release publishes; it works from file:// and any static host.
    Built again over a site it wrote, it leaves every file whose bytes are the same as it
    was (same inode, same time): after a patch release, only the pages that changed are new.

    \b
    Examples:
      claimtrack site -o public
      claimtrack site 1.2.0 -o public --base-url https://example.org/claims
      claimtrack site worktree -o preview
    """
    dataset = Dataset.open(root or Path())
    source = load_source(dataset, release, jobs=jobs)
    result = build_site(
        source, output, base_url=base_url, jobs=jobs, releases=dataset.root / "dataset"
    )
    click.echo(
        visible(
            f"wrote the site of {source.version} to {result.folder}: {result.pages} pages, "
            f"{result.files} files, {result.bytes:,} bytes"
            + (f" ({result.kept} of the files unchanged, left as they were)" if result.kept else "")
        )
    )
    for note in result.notes:
        click.echo(visible(f"note: {note}"), err=True)
