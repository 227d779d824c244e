"""What changed in a dataset's record folders since a recorded moment, without reading a file.

The metadata (size, mtime, inode, ctime) of every entry of `claims/` (with its sub-folders),
`seeds/` and `schemas/` is listed in one pass (:func:`file_stats`) and compared with the listing
recorded by an earlier run (:func:`claim_changes`). A file modified within ``RACY_NS`` of the
recording counts as changed, whatever its metadata says (git's racy-timestamp rule: an edit in
the same second, of the same size, is still seen). Used by the stored tables and by the
validation kept between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl

from claimtrack.store.layout import SUFFIX, folded
from claimtrack.store.listing import FolderEntries, Prefetch, Unusable, list_entries

T = TypeVar("T")
RACY_NS = 2_000_000_000
STAT_COLUMNS = ("size", "mtime_ns", "ino", "ctime_ns", "regular")


def file_stats(root: Path, prefetch: Prefetch | None = None) -> pl.DataFrame:
    """The metadata of every entry of the dataset's record folders (links and all), one row
    per entry: path (`claims/x.yaml`, `claims/liar/3f/y.yaml`), size, mtime_ns, ino, ctime_ns,
    regular (:func:`~claimtrack.store.listing.list_entries` says which entries, and how names
    that are not UTF-8 are stored: any change to one sends a run to the full validation,
    which reports the name). ``prefetch``: those entries, being listed in a child process
    (when it gives no usable listing, they are listed here)."""
    if prefetch is not None:
        try:
            return _frame(prefetch.entries())
        except (Unusable, TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
            pass  # not a listing this code can use: the folders are listed again
    return _frame(list_entries(root))


def _frame(listed: Iterable[FolderEntries]) -> pl.DataFrame:
    """The entries as rows, a frame made per folder (a million entries' metadata is never held
    as Python objects at once)."""
    frames = [
        pl.DataFrame(
            {
                "path": pl.Series([f"{folder}/{name}" for name in names], dtype=pl.String),
                **{
                    column: pl.Series(values, dtype=pl.Int64)
                    for column, values in zip(STAT_COLUMNS, columns, strict=True)
                },
            }
        )
        for folder, names, *columns in listed
    ]
    if not frames:
        return pl.DataFrame(schema=dict.fromkeys(("path", *STAT_COLUMNS), pl.Int64)).cast(
            {"path": pl.String}
        )
    return pl.concat(frames)


def file_stats_while(
    root: Path, task: Callable[[], T], prefetch: Prefetch | None = None
) -> tuple[pl.DataFrame, T]:
    """:func:`file_stats`, with ``task`` (reading what an earlier run kept) done meanwhile in a
    second thread: listing waits on the file system, reading Parquet and hashing release the
    interpreter. ``prefetch``: the listing, started earlier in a child process."""
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(task)
        stats = file_stats(root, prefetch)
        return stats, running.result()


RECORD_PATTERNS = {  # the record files of a listing, by folder (names may hold line breaks)
    "claims": "(?s)^claims/.*\\.yaml$",
    "seeds": "(?s)^seeds/[^/]*\\.yaml$",
}


def record_files(stats: pl.DataFrame, folder: str) -> pl.Series:
    """The record files of ``folder`` (`claims`, with its sub-folders, or `seeds`) in a
    listing, as paths from the root (`claims/x.yaml`), sorted: what
    :meth:`~claimtrack.store.layout.Dataset.all_files` lists when every name is UTF-8."""
    paths = stats["path"]
    return paths.filter(paths.str.contains(RECORD_PATTERNS[folder])).sort()


def record_paths(stats: pl.DataFrame, folder: str) -> list[str]:
    """:func:`record_files` as a list."""
    return record_files(stats, folder).to_list()


_FOLDED = "^[a-z0-9_-]*$"  # names that case folding leaves as they are (every valid claim id)


def clashing_paths(paths: pl.Series) -> list[str]:
    """Those of a folder's record files (:func:`record_files`) whose ids (file names without
    `.yaml`) equal another's ignoring case, in their order. Worked out on the column: a million
    names are not made Python strings (only names case folding would change, which no valid
    claim id has, are folded in Python)."""
    names = paths.str.extract(r"(?s)([^/]*)\.yaml$")
    odd = ~names.str.contains(_FOLDED)
    if odd.any():
        names = names.scatter(odd.arg_true(), folded(names.filter(odd).to_list()))
    return paths.filter(names.is_duplicated()).to_list()


@dataclass(frozen=True)
class Changes:
    """Claim files changed or added since the recording, and claims removed: their ids, and
    both as paths from the dataset's root (`claims/...`)."""

    paths: list[Path]
    removed: list[str]
    changed_rel: list[str]
    removed_rel: list[str]


def claim_changes(
    old: pl.DataFrame | None, now: pl.DataFrame, written_ns: int, root: Path
) -> Changes | None:
    """What changed since ``old`` was recorded at ``written_ns``: None when more than claim
    files did (or the recorded listing is unusable); an empty Changes when nothing did."""
    if old is None or old.schema != now.schema:
        return None
    joined = now.join(old, on="path", how="full", suffix="_old", coalesce=True)
    differs = pl.any_horizontal(
        *(pl.col(c).ne_missing(pl.col(f"{c}_old")) for c in STAT_COLUMNS)
    ) | (pl.col("mtime_ns") >= written_ns - RACY_NS)
    changed = joined.filter(pl.col("size").is_not_null() & differs)
    gone = joined.filter(pl.col("size").is_null())
    removed = gone["path"].to_list()
    paths = changed["path"].to_list()
    if any(not p.startswith("claims/") for p in paths + removed):
        return None
    odd = (pl.col("regular") != 1) | ~pl.col("path").str.ends_with(SUFFIX)
    if changed.filter(odd).height:
        return None  # a link, a folder or another file: the full validation reports it
    was_odd = (pl.col("regular_old") != 1) | ~pl.col("path").str.ends_with(SUFFIX)
    if gone.filter(was_odd).height:
        return None  # what went was not a claim file (its name is no claim's id): the full run
    return Changes(
        [root / p for p in sorted(paths)],
        sorted(p.rsplit("/", 1)[-1].removesuffix(SUFFIX) for p in removed),
        sorted(paths),
        sorted(removed),
    )
