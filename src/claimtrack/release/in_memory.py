"""Building a release: the source commit, and every file of a small release in memory."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from claimtrack.exc import ClaimtrackError, InputError
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.release.writer import DuplicatePath, ReleaseWriter
from claimtrack.store.git import git
from claimtrack.store.layout import Dataset
from claimtrack.validate.publication import identity


class ReleaseError(ClaimtrackError):
    """A release cannot be made: version taken, too small for its changes, bad version."""


def duplicate_path(error: DuplicatePath) -> ReleaseError:
    return ReleaseError(
        f"two files of the release would be {error}",
        hint="give each seed its own id and text file name",
    )


def source_commit(root: Path) -> str:
    """The git commit the release is built from, `+dirty` when claims or seeds have changes."""
    try:
        head = git(root, "rev-parse", "HEAD").strip()
        dirty = git(root, "status", "--porcelain", "--", "claims", "seeds").strip()
    except InputError:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def build_files(
    dataset: Dataset,
    claims: list[Claim],
    seeds: Sequence[SourceDocument],
    version: str,
    date: str,
    commit: str,
) -> dict[str, bytes]:
    """Every file of a release, by relative path, in memory: written by
    :class:`~claimtrack.release.writer.ReleaseWriter` into a temporary folder and read back
    (for a site of the working tree; a release streams into its folder instead)."""
    with tempfile.TemporaryDirectory(prefix="claimtrack-build-") as tmp:
        folder = Path(tmp) / "release"
        writer = ReleaseWriter(
            folder, dataset, seeds, claims=len(claims), about=identity(dataset).model
        )
        try:
            writer.add(claims)
            writer.finish(version, date, commit)
        except DuplicatePath as error:
            raise duplicate_path(error) from None
        finally:
            writer.discard()
        return {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
