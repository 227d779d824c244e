"""The one way into validation: callers say what they need checked, and the run is chosen here.

- The whole dataset (:func:`check` without paths): from the run kept by the last one when the
  cache is used (only changed claim files are checked again, :mod:`.warm`), else a full run
  (:mod:`.runner`). With ``records``, the valid claims come back too, read from the cache in id
  order.
- Some files (:func:`check` with paths): those files, against every seed and every id.
- Some claims by name (:func:`check_claims`): only the seeds they quote, only the ids that can
  clash (:mod:`.focused`).
- One claim by id (:func:`check_claim`), and an edit before it is written
  (:func:`check_candidate`).

:func:`require_valid` raises :class:`~claimtrack.exc.InvalidDataset` with every finding unless
the result is valid. The findings are the same whichever run made them (the tests compare the
runs byte for byte). Nothing outside this package imports the runs themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from claimtrack.exc import InvalidDataset
from claimtrack.store.layout import Dataset
from claimtrack.validate.batches import TableRows
from claimtrack.validate.cache import ResultCache, default_dir
from claimtrack.validate.focused import Focused, validate_claims
from claimtrack.validate.kept_claims import claim_chunks, claim_records
from claimtrack.validate.lookup import FoundClaim, UnknownClaim, find_claim, suggest
from claimtrack.validate.result import ValidationReport
from claimtrack.validate.runner import Progress, check_candidate
from claimtrack.validate.runner import validate as full_run

if TYPE_CHECKING:
    from claimtrack.store.listing import Prefetch

__all__ = [
    "FoundClaim",
    "TableRows",
    "UnknownClaim",
    "check",
    "check_candidate",
    "check_claim",
    "check_claims",
    "claim_chunks",
    "claim_records",
    "require_valid",
    "suggest",
]

DEFAULT: Literal["default"] = "default"  # the cache folder of this user (CLAIMTRACK_CACHE_DIR)
RECORD_CHUNK = 2_000  # claims read back from the cache at a time


def check(
    dataset: Dataset,
    paths: Sequence[Path] | None = None,
    *,
    records: bool = False,
    findings_only: bool = False,
    publication: bool = False,
    jobs: int = 1,
    cache: ResultCache | Literal["default"] | None = DEFAULT,
    progress: Progress | None = None,
    prefetch: Prefetch | None = None,
    rows: TableRows | None = None,
) -> ValidationReport:
    """Validate the whole dataset, or the files and folders ``paths``. ``records``: the valid
    claims too (in id order for the whole dataset, in file order for paths);
    ``findings_only``: a report from the kept run may leave out the valid seeds and the files'
    cache keys (what reading the claims needs); ``cache``: a cache to use, None for none, or
    the user's default; ``publication``: for the whole dataset, also what publishing it needs
    (its identity, files left in `seeds/`, quote budgets: :mod:`.publication`); ``prefetch``:
    the listing of the dataset started in a child process (the CLI's, while it imports);
    ``rows``: when the whole dataset is checked in full with a cache, the stored tables are made
    by the same run (:class:`~claimtrack.validate.batches.TableRows`, from the tables' layer).

    ``jobs`` is 1 by default: worker processes are started with `spawn`, which re-imports the
    caller's main module, so a script without an ``if __name__ == "__main__":`` guard would
    run again in every worker. The CLI, whose entry point has that guard, uses all cores."""
    # imported here: both read Polars, which `show` and the editing commands never need
    from claimtrack.validate.publication import publication_findings  # noqa: PLC0415
    from claimtrack.validate.warm import validate_dataset  # noqa: PLC0415

    store = ResultCache(default_dir()) if cache == DEFAULT else cache
    try:
        if paths is not None or store is None:
            report = full_run(
                dataset, paths, jobs=jobs, cache=store, records=records, progress=progress
            )
            if publication and paths is None:
                report.findings += publication_findings(dataset, report, store)
            return report
        report = validate_dataset(
            dataset,
            jobs=jobs,
            cache=store,
            progress=progress,
            details=records or not findings_only,
            prefetch=prefetch,
            rows=rows,
        )
        if records and report.ok:
            report.claims = [c for part in claim_chunks(dataset, report, store, RECORD_CHUNK)
                             for c in part]  # fmt: skip
        if publication:
            report.findings += publication_findings(dataset, report, store)
        return report
    finally:
        if cache == DEFAULT and store is not None:
            store.close()


def require_valid(
    dataset: Dataset,
    paths: Sequence[Path] | None = None,
    *,
    records: bool = True,
    jobs: int = 1,
    cache: ResultCache | Literal["default"] | None = DEFAULT,
    rows: TableRows | None = None,
) -> ValidationReport:
    """:func:`check`, raising :class:`~claimtrack.exc.InvalidDataset` (with every finding)
    unless what was checked is valid: what loading, releasing and exporting need."""
    report = check(dataset, paths, records=records, jobs=jobs, cache=cache, rows=rows)
    if not report.ok:
        raise InvalidDataset(report.findings, path=dataset.root)
    return report


def check_claims(
    dataset: Dataset, paths: Sequence[Path], names: Sequence[str] | None = None
) -> Focused:
    """Some claim files against only the seeds they quote, and their ids against only the
    claim files ``names`` (names under `claims/`; default: every one)."""
    return validate_claims(dataset, list(paths), list(names) if names is not None else None)


def check_claim(dataset: Dataset, claim_id: str) -> FoundClaim:
    """The claim with this id, validated on its own (UnknownClaim, with suggestions, when no
    file has it; InvalidDataset when it is not valid)."""
    return find_claim(dataset, claim_id)
