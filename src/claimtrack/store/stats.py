"""What changed in a dataset's record folders since a recorded moment, without reading a file.

The metadata (size, mtime, inode, ctime) of every entry of `claims/` (with its sub-folders),
`seeds/` and `schemas/` is listed in one pass (:func:`file_stats`) and compared with the listing
recorded by an earlier run (:func:`claim_changes`). A file modified within ``RACY_NS`` of the
recording counts as changed, whatever its metadata says (git's racy-timestamp rule: an edit in
the same second, of the same size, is still seen). Used by the stored tables and by the
validation kept between runs.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl

from claimtrack.store.layout import SUFFIX

T = TypeVar("T")
RACY_NS = 2_000_000_000
FOLDERS = ("claims", "seeds", "schemas")
STAT_COLUMNS = ("size", "mtime_ns", "ino", "ctime_ns", "regular")


def _storable(name: str) -> str:
    """The name as valid UTF-8: bytes that are not UTF-8 (surrogate escapes) as `\\xNN`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def file_stats(root: Path) -> pl.DataFrame:
    """The metadata of every entry of the dataset's record folders (links and all), one row
    per entry: path (`claims/x.yaml`, `claims/liar/3f/y.yaml`), size, mtime_ns, ino, ctime_ns,
    regular. The sub-folders of `claims/` are entered (not hidden ones, nor links, nor one
    named like a record file), as the claim listing does; a sub-folder of `seeds/` or
    `schemas/` is an entry like any other. A name that is not UTF-8 is stored with `\\xNN`
    escapes and never counts as a regular file: any change to it sends a run to the full
    validation, which reports the name."""
    frames = []
    pending = [_Folder(name, name, True) for name in FOLDERS]
    while pending:
        folder = pending.pop()
        try:
            names = os.listdir(root / folder.real)  # noqa: PTH208 - no 100k Path objects
            fd = os.open(root / folder.real, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except FileNotFoundError:
            continue  # a folder that is not there lists nothing (an empty dataset has no seeds)
        except OSError:  # unreadable, or a link: an entry that is always new, so the full run
            frames.append(_unreadable(folder.shown))  # (which reports it) is made
            continue
        try:
            frames.append(_entries(folder, names, fd, pending))
        finally:
            os.close(fd)
    if not frames:
        return pl.DataFrame(schema=dict.fromkeys(("path", *STAT_COLUMNS), pl.Int64)).cast(
            {"path": pl.String}
        )
    return pl.concat(frames).sort("path")


def _lstat_all(names: list[str], fd: int) -> tuple[list[str], list[os.stat_result]]:
    """The entries still there, with their metadata (links not followed)."""
    try:
        return names, [os.lstat(name, dir_fd=fd) for name in names]
    except FileNotFoundError:  # one was removed since the listing: it is not there
        found = []
        for name in names:
            try:
                found.append((name, os.lstat(name, dir_fd=fd)))
            except FileNotFoundError:
                continue
        return [n for n, _ in found], [st for _, st in found]


@dataclass(frozen=True)
class _Folder:
    """A folder to list: its path from the root, as it is and as stored; ``clean`` when every
    name on the way is UTF-8 (else no entry in it counts as a regular file)."""

    real: str
    shown: str
    clean: bool


def _unreadable(shown: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "path": [shown + "/"],
            **{c: [-1] for c in ("size", "ino", "ctime_ns", "regular")},
            "mtime_ns": [time.time_ns()],
        },
        schema={"path": pl.String, **dict.fromkeys(STAT_COLUMNS, pl.Int64)},
    ).select("path", *STAT_COLUMNS)


def _entries(folder: _Folder, names: list[str], fd: int, pending: list[_Folder]) -> pl.DataFrame:
    """One folder's entries as rows; its sub-folders to enter are appended to ``pending``."""
    names, stats = _lstat_all(names, fd)
    try:
        "\0".join(names).encode("utf-8")
        shown = names
    except UnicodeEncodeError:
        shown = [_storable(name) for name in names]
    if folder.real.startswith("claims"):
        enter = {  # only a name that is not a record file's can be a folder to enter
            names[i]: shown[i]
            for i, name in enumerate(names)
            if not name.endswith(SUFFIX)
            and not name.startswith(".")
            and stat.S_ISDIR(stats[i].st_mode)
        }
        if enter:
            pending += [
                _Folder(
                    f"{folder.real}/{name}", f"{folder.shown}/{text}", folder.clean and text == name
                )
                for name, text in sorted(enter.items())
            ]
            kept = [i for i, name in enumerate(names) if name not in enter]
            names, shown = [names[i] for i in kept], [shown[i] for i in kept]
            stats = [stats[i] for i in kept]
    prefix = folder.shown + "/"
    frame = pl.DataFrame(
        {
            "path": pl.Series([prefix + n for n in shown], dtype=pl.String),
            "size": pl.Series([st.st_size for st in stats], dtype=pl.Int64),
            "mtime_ns": pl.Series([st.st_mtime_ns for st in stats], dtype=pl.Int64),
            "ino": pl.Series([st.st_ino for st in stats], dtype=pl.Int64),
            "ctime_ns": pl.Series([st.st_ctime_ns for st in stats], dtype=pl.Int64),
            "mode": pl.Series([st.st_mode for st in stats], dtype=pl.Int64),
        }
    )
    regular = (pl.col("mode") & 0o170000) == stat.S_IFREG
    if not folder.clean:
        regular = pl.lit(value=False)
    elif shown is not names:  # a name that is not UTF-8 is shown escaped: never a regular file
        same = [a == b for a, b in zip(shown, names, strict=True)]
        regular = regular & pl.Series(same, dtype=pl.Boolean)
    return frame.select(*frame.columns[:-1], regular.cast(pl.Int64).alias("regular"))


def file_stats_while(root: Path, task: Callable[[], T]) -> tuple[pl.DataFrame, T]:
    """:func:`file_stats`, with ``task`` (reading what an earlier run kept) done meanwhile in a
    second thread: listing waits on the file system, reading Parquet and hashing release the
    interpreter."""
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(task)
        stats = file_stats(root)
        return stats, running.result()


RECORD_PATTERNS = {  # the record files of a listing, by folder (names may hold line breaks)
    "claims": "(?s)^claims/.*\\.yaml$",
    "seeds": "(?s)^seeds/[^/]*\\.yaml$",
}


def record_paths(stats: pl.DataFrame, folder: str) -> list[str]:
    """The record files of ``folder`` (`claims`, with its sub-folders, or `seeds`) in a
    listing, as paths from the root (`claims/x.yaml`), sorted: what
    :meth:`~claimtrack.store.layout.Dataset.all_files` lists when every name is UTF-8."""
    paths = stats["path"]
    return paths.filter(paths.str.contains(RECORD_PATTERNS[folder])).sort().to_list()


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
