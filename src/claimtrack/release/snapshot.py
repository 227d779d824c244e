"""A release or the working tree as comparable records, and the semantic diff between two."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from claimtrack.exc import InputError
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.release.diff import Diff, OutOfOrder, Record, Snapshot, compare, seed_json
from claimtrack.release.rights import Policy, claim_record
from claimtrack.release.writer import claim_json
from claimtrack.store.layout import Dataset
from claimtrack.store.releases import read_manifest_tables, release_path
from claimtrack.tables.frames import TABLES
from claimtrack.validate.check import require_valid

WORKTREE = "worktree"


def seed_metadata(files: Iterable[tuple[str, bytes]]) -> dict[str, dict[str, Any]]:
    """Seed metadata among a release's (path, contents): `seeds/<id>.meta.json` (1.0.0 and
    1.1.0 wrote `seeds/<id>.json`, next to `.txt` texts); an archived JSON text is never taken
    for it."""
    found: dict[str, dict[str, Any]] = {}
    for path, raw in sorted(files):
        data = _metadata(path, raw)
        if data is not None:
            found[str(data["id"])] = data
    return found


def _metadata(path: str, raw: bytes) -> dict[str, Any] | None:
    """A release file's seed metadata, if it is a seed's metadata file."""
    if not (path.startswith("seeds/") and path.endswith(".json")):
        return None
    data = json.loads(raw)
    return data if isinstance(data, dict) and {"id", "sha256", "text_file"} <= data.keys() else None


def _seed_metadata(folder: Path) -> dict[str, bytes]:
    """A release's seed metadata by id, each as :func:`seed_json` (compact: a release may list
    a hundred thousand seeds)."""
    found: dict[str, bytes] = {}
    for path in sorted((folder / "seeds").glob("*.json")):
        data = _metadata(f"seeds/{path.name}", path.read_bytes())
        if data is not None:
            found[str(data["id"])] = seed_json(data)
    return found


def seed_metas(seeds: Iterable[SourceDocument]) -> dict[str, bytes]:
    """The working tree's seed metadata by id, as a release compares it (:func:`seed_json`)."""
    return {s.id: seed_json(s.model_dump(mode="json")) for s in seeds}


_ID = re.compile(rb'^\{"schema_version":"[0-9.]{1,20}","id":"([a-z0-9-]{1,200})"')


def read_claims(folder: Path) -> Iterator[tuple[str, Record]]:
    """The claims of a release as (id, record), one line of `claims.jsonl` at a time (in the
    file's order, which is id order): the line as it is when claimtrack wrote it (its id is
    read from its start), else parsed. InputError when a line cannot be read."""
    path = folder / "claims.jsonl"
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                line = raw.rstrip(b"\r\n")
                if not line.strip():
                    continue
                match = _ID.match(line)
                if match:
                    yield match.group(1).decode(), line
                    continue
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                    raise ValueError(f"line {number} is not a claim record")
                yield record["id"], record
    except (OSError, ValueError, RecursionError) as error:
        raise InputError(
            f"release {folder.name} cannot be read: {error}",
            path=path,
            hint=f"run `claimtrack verify {folder.name}`",
        ) from None


def columns() -> dict[str, str]:
    """Every table column as `table.column` -> type, as this version writes them."""
    return {f"{t.name}.{c.name}": str(c.dtype) for t in TABLES.values() for c in t.columns}


def worktree(dataset: Dataset, jobs: int = 1) -> tuple[list[Claim], Sequence[SourceDocument]]:
    """The working tree's records, validated (invalid data raises InvalidDataset)."""
    report = require_valid(dataset, jobs=jobs)
    return report.claims, report.seeds


def worktree_snapshot(claims: list[Claim], seeds: Sequence[SourceDocument]) -> Snapshot:
    """The working tree's records as one side of a diff: as a release would publish them (the
    words of a source that allows none are left out, as in the release compared with)."""
    policy = Policy.of(seeds)
    return Snapshot(
        WORKTREE,
        {c.id: claim_record(c, claim_json(c), policy) for c in claims},
        columns(),
        seed_metas(seeds),
    )


def snapshot(dataset: Dataset, name: str, jobs: int = 1) -> Snapshot:
    """Claims (as JSON records), columns and seed metadata of a release or the working tree."""
    if name == WORKTREE:
        return worktree_snapshot(*worktree(dataset, jobs))
    folder = release_path(dataset, name)
    try:
        columns = {
            f"{table}.{col['name']}": col["type"]
            for table, info in read_manifest_tables(folder).items()
            for col in info["columns"]
        }
        return Snapshot(name, read_claims(folder), columns, _seed_metadata(folder))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise InputError(
            f"release {name} cannot be read: {error!r}",
            path=folder,
            hint=f"run `claimtrack verify {name}`",
        ) from None


def diff(dataset: Dataset, old: str, new: str, *, jobs: int = 1) -> Diff:
    """Semantic diff between two releases, or a release and the working tree (`worktree`)."""
    return checked_compare(snapshot(dataset, old, jobs), snapshot(dataset, new, jobs))


def checked_compare(old: Snapshot, new: Snapshot) -> Diff:
    """:func:`compare`, with a release whose claims are out of id order reported as damaged."""
    try:
        return compare(old, new)
    except OutOfOrder as error:
        raise InputError(
            f"the claims of {error} are not in id order",
            hint="run `claimtrack verify` on the release; a release lists its claims by id",
        ) from None
    except (ValueError, RecursionError) as error:  # a damaged line of a release's claims.jsonl
        raise InputError(
            f"a claim record of {old.name} or {new.name} cannot be read: {error}",
            hint="run `claimtrack verify` on the release",
        ) from None
