"""Release commands: `release`, `diff`, `verify` and `key new`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimtrack.cli.exits import EXIT_CODES_HELP, EXIT_FINDINGS
from claimtrack.cli.options import format_option, jobs_option, root_option
from claimtrack.escape import visible
from claimtrack.release.diff_render import RENDERERS
from claimtrack.release.publish import release
from claimtrack.release.seed_check import check_texts
from claimtrack.release.signing import check_release, new_key, write_key_pair
from claimtrack.release.snapshot import diff
from claimtrack.release.verify import verify
from claimtrack.release.writer import PART_CLAIMS
from claimtrack.store.layout import Dataset
from claimtrack.store.releases import SIGNATURE, release_path
from claimtrack.tables.load import release_folder


@click.command(name="release", epilog=EXIT_CODES_HELP)
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
@click.option(
    "--part-size",
    type=click.IntRange(min=1),
    default=PART_CLAIMS,
    show_default=True,
    metavar="CLAIMS",
    help="Claims per Parquet part. A release with more claims writes each table as a folder "
    "of parts (`claims/part-00000.parquet`, ...); a smaller one, one file per table.",
)
@click.option(
    "--sign",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="KEY",
    help="Sign the manifest with this Ed25519 private key (OpenSSH or PEM; passphrase in "
    "CLAIMTRACK_SIGNING_PASSPHRASE). Its public key must be in dataset.yaml's signing_keys "
    "for the release date.",
)
@jobs_option
def release_command(
    root: Path | None,
    version: str | None,
    bump: str | None,
    date: str | None,
    no_changelog: bool,
    part_size: int,
    sign: Path | None,
    jobs: int,
) -> None:
    """Publish the validated working tree as an immutable release in dataset/<version>/.

    Refused when the data is invalid, the version exists, or the version is too small for the
    changes since the latest release (the message says which change needs which bump).

    \b
    Examples:
      claimtrack release --version 1.0.0
      claimtrack release --bump minor
      claimtrack release --sign ~/.ssh/claims-release
    """
    result = release(
        Dataset.open(root or Path()),
        version=version,
        bump=bump,  # type: ignore[arg-type]  # click.Choice admits only the Bump values
        date=date,
        changelog=not no_changelog,
        jobs=jobs,
        part_claims=part_size,
        sign=sign,
    )
    click.echo(f"released {result.version}: {result.files} files in {result.path}")
    if result.signed_by is not None:
        who = result.signed_by
        click.echo(visible(f"signed by {who.owner} (key {who.fingerprint})"))


@click.command(name="diff", epilog=EXIT_CODES_HELP)
@click.argument("old")
@click.argument("new", default="worktree")
@root_option
@format_option("diff", "text", "How to print the changes.")
@jobs_option
def diff_command(old: str, new: str, root: Path | None, fmt: str, jobs: int) -> None:
    """Claims added, removed and changed (field by field) between two releases.

    OLD and NEW are versions, or `worktree` for the working tree (NEW's default). Text output
    shows the words that changed in a text field as `[-removed-]{+added+}`.

    \b
    Examples:
      claimtrack diff 1.0.0                # the release against the working tree
      claimtrack diff 1.0.0 1.1.0 --format markdown
    """
    change = diff(Dataset.open(root or Path()), old, new, jobs=jobs)
    text = RENDERERS[fmt](change)
    click.echo(text if fmt == "json" else visible(text, newlines=True), nl=False)


@click.command(name="verify", epilog=EXIT_CODES_HELP)
@click.argument("release", metavar="[VERSION|PATH]", required=False)
@root_option
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Also check the source texts in DIR (obtained elsewhere) against the SHA-256 the "
    "release recorded, and every quote against its offsets.",
)
@click.option(
    "--key",
    "keys",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Trust this Ed25519 public key (`.pub`) for the signature, instead of dataset.yaml's "
    "signing_keys. Repeatable.",
)
def verify_command(
    release: str | None, root: Path | None, seeds_dir: Path | None, keys: tuple[Path, ...]
) -> None:
    """Check a release (default: the latest): every file, hash, size and row count, and who
    signed it.

    RELEASE is a version of the dataset (`1.3.0`), or the folder of a release wherever it is (a
    downloaded copy: `./1.3.0`, `~/Downloads/1.3.0`). A version with no dataset here is looked
    for as a folder of that name here, then among the releases shipped with claimtrack; which
    one is checked is said on stderr. Exits 0 when intact, 1 when any file differs, is missing,
    is extra or is not in the manifest.

    A signed release (`manifest.json.sig`) must be signed by a key that dataset.yaml lists for
    its date (or one given with --key); a release dated after a listed key's valid_from must be
    signed. An unsigned release otherwise verifies, with a note that nothing says who made it.

    \b
    Examples:
      claimtrack verify
      claimtrack verify 1.0.0
      claimtrack verify ~/Downloads/1.3.0             # a downloaded copy
      claimtrack verify 1.2.0 --seeds ~/texts   # texts the release leaves out
      claimtrack verify ~/Downloads/1.4.0 --key publisher.pub
    """
    folder = _release_to_verify(release, root)
    problems = verify(folder)
    if seeds_dir is not None and not problems:
        problems = check_texts(folder, seeds_dir)
    for problem in problems:
        click.echo(visible(f"{problem.shown(folder)}: {problem.message}"))
    if problems:
        click.echo(f"{len(problems)} problem(s): release {folder.name} is not intact", err=True)
        sys.exit(EXIT_FINDINGS)
    signed = check_release(folder, keys)
    if signed.problem is not None:
        click.echo(visible(f"{folder / SIGNATURE}: {signed.problem}"))
        click.echo(f"release {folder.name}: its files are intact, its signature is not", err=True)
        sys.exit(EXIT_FINDINGS)
    if signed.signer is not None:
        who = signed.signer
        click.echo(visible(f"release {folder.name} is intact, signed by {who.owner}"))
        click.echo(f"  key {who.fingerprint}")
        return
    click.echo(f"release {folder.name} is intact")
    if signed.unvouched is not None:
        click.echo(
            f"note: it is signed by the key {signed.unvouched}, which no key here vouches for: "
            "check it against the publisher's public key with --key FILE",
            err=True,
        )
        return
    click.echo("note: it is not signed, so nothing says who made it", err=True)


def _release_to_verify(release: str | None, root: Path | None) -> Path:
    """The folder to verify: a path given, this folder when it is a release, the dataset's
    release, a folder of that version here, or a release shipped with claimtrack (the last
    three said on stderr)."""
    if release is not None and (folder := release_folder(release)) is not None:
        return folder
    here = root or Path()
    if release is None and root is None and (found := release_folder(here)) is not None:
        click.echo(visible(f"note: verifying the release folder {found}"), err=True)
        return found  # run inside a downloaded release
    if root is not None or (here / "claims").is_dir():
        return release_path(Dataset.open(here), release)
    if release is not None and (found := release_folder(here / release)) is not None:
        click.echo(visible(f"note: verifying the release folder {found}"), err=True)
        return found
    folder = release_path(None, release)
    click.echo(
        visible(
            f"note: no dataset or release folder `{release or ''}` here; verifying release "
            f"{folder.name} shipped with claimtrack ({folder})"
        ),
        err=True,
    )
    return folder


@click.group(name="key", epilog=EXIT_CODES_HELP)
def key_group() -> None:
    """Keys that sign releases (`release --sign`).

    \b
    Example:
      claimtrack key new ~/.ssh/claims-release
    """


@key_group.command(name="new", epilog=EXIT_CODES_HELP)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def key_new_command(path: Path) -> None:
    """Make an Ed25519 signing key: the private key in PATH (readable by you only), the public
    key in PATH.pub, and the `signing_keys` entry to add to dataset.yaml.

    Keep PATH secret (a CI secret, not the repository); commit only the entry. `ssh-keygen -t
    ed25519 -f PATH` makes the same kind of key.

    \b
    Examples:
      claimtrack key new ~/.ssh/claims-release
    """
    private, public = new_key()
    write_key_pair(path, private, public)
    click.echo(f"wrote {path} (private: keep it secret) and {path}.pub", err=True)
    click.echo("add this to dataset.yaml, with who holds the key and from when it signs:")
    click.echo("signing_keys:")
    click.echo(f"- public_key: {public}")
    click.echo("  owner: WHO HOLDS IT (e.g. CI secret RELEASE_SIGNING_KEY)")
    click.echo("  valid_from: YYYY-MM-DD")
