"""Versioned, immutable, verifiable releases under `dataset/<version>/`.

A release holds every table as Parquet, the claims also as JSON Lines (full records) and CSV
(flat columns), the archived seed texts, a Frictionless `datapackage.json`, a data card
`README.md`, and `manifest.json` with every file's SHA-256 and size, row counts, the schema
version, the source commit and the release date.

A release is written in a hidden staging folder next to its final place, as the claims stream
in, and moved there with one rename, so an interrupted release leaves no partial version; an
existing version is never overwritten. The same inputs (records, date, commit, tool versions)
give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from claimtrack.exc import InvalidDataset
from claimtrack.model.records import SourceDocument
from claimtrack.release.card import counted
from claimtrack.release.chunks import rendered_chunks
from claimtrack.release.diff import ORDER, Diff, Snapshot
from claimtrack.release.diff_render import as_markdown
from claimtrack.release.in_memory import ReleaseError, duplicate_path, source_commit
from claimtrack.release.signing import (
    SIGNATURE_FILE,
    TrustedKey,
    listed_keys,
    load_private_key,
    signature,
    signing_key_for,
    signing_required,
)
from claimtrack.release.snapshot import WORKTREE, checked_compare, columns, seed_metas, snapshot
from claimtrack.release.writer import PART_CLAIMS, DuplicatePath, ReleaseWriter, RenderedChunk
from claimtrack.store.atomic import (
    atomic_write_bytes,
    atomic_write_text,
    sync_entry,
)
from claimtrack.store.layout import Dataset
from claimtrack.store.releases import MANIFEST, Bump, Version, release_dirs
from claimtrack.validate.cache import ResultCache, default_dir
from claimtrack.validate.check import check
from claimtrack.validate.keys import ClaimKeys
from claimtrack.validate.publication import check_budget, identity, release_blockers


@dataclass(frozen=True)
class ReleaseResult:
    version: str
    path: Path
    diff: Diff | None
    files: int
    signed_by: TrustedKey | None = None


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
    part_claims: int = PART_CLAIMS,
    sign: Path | None = None,
) -> ReleaseResult:
    """Validate, diff against the latest release, and publish `dataset/<version>/` atomically.

    The claims stream from the validation cache into the release's files in id order, a chunk
    at a time, while the diff against the previous release reads its `claims.jsonl` alongside:
    memory does not grow with the number of claims. ``jobs``: worker processes for validation
    (see :func:`claimtrack.validate.check.check`); ``part_claims``: claims per Parquet
    part (a release with more claims is partitioned, see :mod:`.writer`). ``sign``: an
    Ed25519 private key file that signs the manifest (:mod:`.signing`); it must be one of
    `dataset.yaml`'s signing keys for the release date, checked before any work."""
    day = release_date(date)
    ready(dataset)
    if sign is None:
        _unsigned_allowed(dataset, day)
    signer = _signer(dataset, sign, day) if sign is not None else None
    cache = ResultCache(default_dir())
    try:
        report = check(dataset, jobs=jobs, cache=cache)
        if report.ok:
            report.findings += check_budget(dataset, report, cache)[1]
        if not report.ok:
            raise InvalidDataset(report.findings, path=dataset.root)
        keys, seeds = ClaimKeys.of(dataset, report), report.seeds
        del report  # its list of every file and its keys frame are not needed from here
        with release_lock(dataset.root / "dataset"):
            plan = _Plan(version, bump, day, changelog, part_claims, jobs, signer)
            return _release_locked(dataset, keys, seeds, cache, plan)
    finally:
        cache.close()


def ready(dataset: Dataset) -> None:
    """Refuse a dataset that cannot be published yet: no identity with a name and a licence, or
    no methodology or corrections policy. Every missing thing is named with its fix."""
    blockers = release_blockers(dataset)
    if blockers:
        raise ReleaseError(
            "the dataset is not ready to publish: " + "; ".join(what for what, _ in blockers),
            path=dataset.root,
            hint=" — ".join(fix for _, fix in blockers),
        )


def uncorrected(change: Diff | None) -> None:
    """Refuse published claims changed in substance without a correction entry."""
    missing = change.uncorrected if change is not None else []
    if missing:
        named = ", ".join(f"{c.claim_id} ({', '.join(c.substantive[:3])})" for c in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise ReleaseError(
            f"{len(missing)} published claim(s) changed their statement, value, attribution or "
            f"evidence without a correction entry: {named}{more}",
            hint="add a `corrections` entry to each (date, wrong, change, reason: what was "
            "wrong, what changed and why); `claimtrack diff` lists them",
        )


@dataclass(frozen=True)
class _Plan:
    version: str | None
    bump: Bump | None
    day: str
    changelog: bool
    part_claims: int
    jobs: int
    signer: tuple[Ed25519PrivateKey, TrustedKey] | None = None


def _unsigned_allowed(dataset: Dataset, day: str) -> None:
    """Refuse an unsigned release the dataset's own keys say must be signed: `verify` would
    refuse it for ever."""
    key = signing_required(listed_keys(identity(dataset).model), day)
    if key is not None:
        raise ReleaseError(
            f"releases dated {day} are signed ({key.owner}, from {key.valid_from})",
            hint="release with --sign KEY (docs/publishing.md: signed releases)",
        )


def _signer(dataset: Dataset, path: Path, day: str) -> tuple[Ed25519PrivateKey, TrustedKey]:
    """The private key to sign with, and the listed key it matches (checked before any work)."""
    key = load_private_key(path)
    return key, signing_key_for(key, listed_keys(identity(dataset).model), day, path)


def _release_locked(
    dataset: Dataset,
    keys: ClaimKeys,
    seeds: Sequence[SourceDocument],
    cache: ResultCache,
    plan: _Plan,
) -> ReleaseResult:
    folder = dataset.root / "dataset"
    for stale in folder.glob(".staging-*"):  # left by a killed release; none runs but ours
        shutil.rmtree(stale, ignore_errors=True)
    existing = {k: v for k, v in release_dirs(dataset).items() if v.parent == folder}
    previous = Version.parse(list(existing)[-1]) if existing else None
    staging = folder / f".staging-{os.getpid()}"
    writer: ReleaseWriter | None = None
    rendered: Generator[RenderedChunk] | None = None
    try:
        writer = ReleaseWriter(
            staging,
            dataset,
            seeds,
            claims=len(keys),
            part_claims=plan.part_claims,
            about=identity(dataset).model,
        )
        chunks = keys.chunks(boundary=plan.part_claims if writer.partitioned else 0)
        stream = rendered = rendered_chunks(dataset, chunks, cache, writer.policy, plan.jobs)
        current = Snapshot(
            WORKTREE,
            (pair for chunk in stream for pair in writer.add_rendered(chunk)),
            columns(),
            seed_metas(seeds),
        )
        return _complete(dataset, writer, current, previous, staging, plan)
    except DuplicatePath as error:
        raise duplicate_path(error) from None
    except OSError as error:
        raise ReleaseError(
            f"cannot write the release: {error.strerror or error}",
            path=staging,
            hint="check the free space and permissions of dataset/, then release again",
        ) from None
    finally:
        if rendered is not None:
            rendered.close()  # stops its worker processes, if an error came first
        if writer is not None:
            writer.discard()
        shutil.rmtree(staging, ignore_errors=True)  # gone after the rename; else never half


def _complete(
    dataset: Dataset,
    writer: ReleaseWriter,
    current: Snapshot,
    previous: Version | None,
    staging: Path,
    plan: _Plan,
) -> ReleaseResult:
    """Write every claim while diffing them against the previous release, plan the version,
    finish the files, add the CHANGELOG section and move the release into place."""
    if previous is not None:
        change: Diff | None = checked_compare(snapshot(dataset, str(previous)), current)
        uncorrected(change)
    else:
        change = None
        for _ in current.records():  # writes every claim
            pass
    target = plan_version(previous, change, version=plan.version, bump=plan.bump)
    final = staging.parent / str(target)
    if final.exists():
        raise ReleaseError(
            f"release {target} already exists; releases are never overwritten",
            path=final,
            hint="release a new version",
        )
    files = writer.finish(str(target), plan.day, source_commit(dataset.root))
    if plan.signer is not None:
        manifest = (staging / MANIFEST).read_bytes()
        atomic_write_bytes(
            staging / SIGNATURE_FILE, signature(plan.signer[0], str(target), manifest)
        )
    log = dataset.root / "CHANGELOG.md"
    before = _read_changelog(log) if plan.changelog else None
    if plan.changelog:  # the section first: a release killed after it is completed by a rerun
        _write_changelog(log, str(target), plan.day, change, writer.claims)
    try:
        _publish(writer, staging, final)
    except BaseException:
        if before is not None:
            atomic_write_text(log, before)  # not published: take the section back
        raise
    signed_by = plan.signer[1] if plan.signer is not None else None
    return ReleaseResult(str(target), final, change, files, signed_by)


@contextlib.contextmanager
def release_lock(folder: Path) -> Iterator[None]:
    """Hold `dataset/.release.lock` for one release at a time; another one is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".release.lock"
    with path.open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseError(
                "another release of this dataset is running",
                path=path,
                hint="wait for it to finish, then release again if needed",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_changelog(path: Path) -> str:
    try:
        return path.read_text("utf-8") if path.exists() else CHANGELOG_START
    except (OSError, UnicodeError) as error:
        raise ReleaseError(
            f"CHANGELOG.md cannot be read: {error}",
            path=path,
            hint="fix the file, or release with --no-changelog",
        ) from None


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


def _publish(writer: ReleaseWriter, staging: Path, final: Path) -> None:
    """Sync the finished staging folder to disk, then move it into place with one rename."""
    try:
        writer.sync()  # every file on disk before the release can be seen
        staging.rename(final)  # atomic; fails if ``final`` appeared meanwhile
        sync_entry(final)
    except OSError as error:
        raise ReleaseError(
            f"cannot write the release: {error.strerror or error}",
            path=final,
            hint="check the free space and permissions of dataset/, then release again",
        ) from None


CHANGELOG_START = "# Changelog\n\n## [Unreleased]\n"


def _write_changelog(path: Path, version: str, date: str, change: Diff | None, count: int) -> None:
    if change is None:
        first = counted(count, "claim")
        body = f"## [{version}] - {date}\n\n### Dataset\n\n- First release: {first}.\n"
    else:
        body = as_markdown(change, heading=f"## [{version}] - {date}").replace(
            "### ", "### Dataset: "
        )
    text = _read_changelog(path)
    if f"## [{version}]" in text:
        return  # the section is there already (written by hand, or by an earlier attempt)
    marker = re.search(r"^## \[(?!Unreleased)", text, flags=re.MULTILINE)
    at = marker.start() if marker else len(text)
    try:
        atomic_write_text(
            path, text[:at].rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n\n" + text[at:]
        )
    except OSError as error:
        raise ReleaseError(
            f"CHANGELOG.md cannot be written: {error.strerror}",
            path=path,
            hint="fix its permissions, or release with --no-changelog",
        ) from None
