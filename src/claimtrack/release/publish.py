"""Versioned, immutable, verifiable releases under `dataset/<version>/`.

A release holds every table as Parquet, the claims also as JSON Lines (full records) and CSV
(flat columns), the archived seed texts, a Frictionless `datapackage.json`, a data card
`README.md`, and `manifest.json` with every file's SHA-256 and size, row counts, the schema
version, the source commit and the release date.

A release is built in a hidden staging folder next to its final place and moved there with one
rename, so an interrupted release leaves no partial version; an existing version is never
overwritten. The same inputs (records, date, commit, tool versions) give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from claimtrack.release.build import ReleaseError, build_files, source_commit
from claimtrack.release.diff import ORDER, Bump, Diff, compare
from claimtrack.release.diff_render import as_markdown
from claimtrack.release.snapshot import snapshot, worktree, worktree_snapshot
from claimtrack.store.atomic import atomic_write_text
from claimtrack.store.layout import Dataset
from claimtrack.store.releases import Version, release_dirs


@dataclass(frozen=True)
class ReleaseResult:
    version: str
    path: Path
    diff: Diff | None
    files: int


def plan_version(
    previous: Version | None, change: Diff | None, *, version: str | None, bump: Bump | None
) -> Version:
    """The version to release: given, or bumped; refused when too small for the changes."""
    if version is not None:
        target = Version.parse(version)
    elif previous is None:
        target = Version(1, 0, 0)
    else:
        target = previous.bumped(bump or (change.bump if change else "patch"))
    if previous is not None and target <= previous:
        raise ReleaseError(
            f"version {target} is not after the latest release {previous}",
            hint=f"use --bump, or a version above {previous}",
        )
    if previous is not None and change is not None:
        needed = change.bump
        if needed == "none":
            raise ReleaseError(
                "nothing changed since release " + str(previous),
                hint="edit the dataset before cutting a release",
            )
        have = target.level_over(previous)
        if ORDER[have] < ORDER[needed]:
            why = "; ".join(r for b, r in change.reasons() if ORDER[b] > ORDER[have])
            raise ReleaseError(
                f"version {target} is a {have} bump, but the changes need a {needed} bump: {why}",
                hint=f"release {previous.bumped(needed)} (--bump {needed})",
            )
    return target


def release(
    dataset: Dataset,
    *,
    version: str | None = None,
    bump: Bump | None = None,
    date: str | None = None,
    changelog: bool = True,
    jobs: int = 1,
) -> ReleaseResult:
    """Validate, diff against the latest release, and publish `dataset/<version>/` atomically.

    ``jobs``: worker processes for validation (see
    :func:`claimtrack.validate.runner.validate_all`)."""
    day = release_date(date)
    claims, seeds = worktree(dataset, jobs)
    existing = {
        k: v for k, v in release_dirs(dataset).items() if v.parent == dataset.root / "dataset"
    }
    previous = Version.parse(list(existing)[-1]) if existing else None
    current = worktree_snapshot(claims, seeds)
    change = compare(snapshot(dataset, str(previous)), current) if previous else None
    target = plan_version(previous, change, version=version, bump=bump)
    final = dataset.root / "dataset" / str(target)
    if final.exists():
        raise ReleaseError(
            f"release {target} already exists; releases are never overwritten",
            path=final,
            hint="release a new version",
        )
    files = build_files(dataset, claims, seeds, str(target), day, source_commit(dataset.root))
    _publish(final, files)
    if changelog:
        try:
            _write_changelog(dataset.root / "CHANGELOG.md", str(target), day, change, len(claims))
        except (OSError, UnicodeError) as error:
            raise ReleaseError(
                f"release {target} was published, but CHANGELOG.md could not be updated: {error}",
                path=dataset.root / "CHANGELOG.md",
                hint="add the section by hand (see `claimtrack diff`)",
            ) from None
    return ReleaseResult(str(target), final, change, len(files))


def release_date(date: str | None) -> str:
    """The release date as `YYYY-MM-DD`: the one given, checked to be a real date not in the
    future, or today (UTC)."""
    today = dt.datetime.now(dt.UTC).date()
    if date is None:
        return today.isoformat()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date, flags=re.ASCII):
        raise ReleaseError(f"`{date[:40]}` is not a date YYYY-MM-DD", hint="e.g. --date 2026-11-28")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise ReleaseError(f"`{date}` is not a real date", hint="check the month and day") from None
    if day > today:
        raise ReleaseError(
            f"`{date}` is in the future", hint="release with today's date or earlier"
        )
    return date


def _publish(final: Path, files: dict[str, bytes]) -> None:
    """Write into a hidden staging folder beside ``final`` and rename it into place."""
    staging = final.parent / f".staging-{final.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        staging.rename(final)  # atomic; fails if ``final`` appeared meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_changelog(path: Path, version: str, date: str, change: Diff | None, count: int) -> None:
    if change is None:
        body = f"## [{version}] - {date}\n\n### Dataset\n\n- First release: {count} claims.\n"
    else:
        body = as_markdown(change, heading=f"## [{version}] - {date}").replace(
            "### ", "### Dataset: "
        )
    text = path.read_text("utf-8") if path.exists() else "# Changelog\n\n## [Unreleased]\n"
    if f"## [{version}]" in text:
        return  # the section is there already (written by hand, or by an earlier attempt)
    marker = re.search(r"^## \[(?!Unreleased)", text, flags=re.MULTILINE)
    at = marker.start() if marker else len(text)
    atomic_write_text(
        path, text[:at].rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n\n" + text[at:]
    )
