"""The valid claims of a run, read back: from the cache's stored records, in id order, a chunk at
a time, so that a release or the tables of a million claims hold one chunk's models at once.

A warm run gives a claim file it checked again a key no cache entry has: `changed:` followed by
the file's path from the dataset's root (:data:`CHANGED`); such a claim is read from its file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pydantic

from claimtrack.model.records import Claim
from claimtrack.store.layout import SUFFIX, DataFile, Dataset
from claimtrack.validate.cache import (
    ResultCache,
)
from claimtrack.validate.committed import schema_bytes
from claimtrack.validate.per_file import Record, check_file
from claimtrack.validate.result import ValidationReport

if TYPE_CHECKING:
    pass

Progress = Callable[[int, int], None]


def claim_records(dataset: Dataset, keys: dict[str, str], cache: ResultCache | None) -> list[Claim]:
    """The models of valid claim files ({display path: key} from a report), from the cache's
    stored records where it has them, else by checking the file again."""
    stored = cache.get_records(list(keys.values())) if cache else {}
    schema = schema_bytes(dataset, "claim")
    files: dict[str, DataFile] | None = None  # listed only when the cache lacks a record
    claims = []
    for display, key in keys.items():
        claim: Record | None = None
        if key in stored:
            try:
                claim = Claim.model_validate_json(stored[key])
            except (pydantic.ValidationError, ValueError):
                claim = None  # a damaged entry: check the file itself
        rel = _changed_path(key) if claim is None else None
        if rel is not None:  # checked again by a warm run: its path from the root, as listed
            claim = check_file(DataFile(dataset.root / rel, "claim", display), schema).record
        elif claim is None:
            files = files if files is not None else {f.display: f for f in dataset.claim_files()}
            if display in files:
                claim = check_file(files[display], schema).record
        if isinstance(claim, Claim):
            claims.append(claim)
    return claims


def claim_chunks(
    dataset: Dataset, report: ValidationReport, cache: ResultCache | None, size: int
) -> Iterator[list[Claim]]:
    """The valid claims of a report made with ``records=False``, in id order, ``size`` at a time
    (from the cache's stored records; only one chunk's models are held at once)."""
    from claimtrack.validate.keys import ClaimKeys  # noqa: PLC0415 - Polars

    for keys in ClaimKeys.of(dataset, report).chunks(size):
        yield claim_records(dataset, keys, cache)


CHANGED = "changed:"  # a key no cache entry has: a claim file checked again by a warm run (its
# path from the dataset's root follows, as the metadata listing had it)


def _changed_path(key: str) -> str | None:
    """The path in a ``changed:`` key when it is a claim file's under `claims/` (a kept run's
    keys are read back from the cache folder: anything else is looked up in the listing)."""
    rel = key.removeprefix(CHANGED)
    parts = rel.split("/")
    if rel == key or parts[0] != "claims" or not rel.endswith(SUFFIX):
        return None
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return None
    return rel
