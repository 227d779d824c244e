"""The built tables kept between runs, so a command on an unchanged dataset reads Parquet.

The store is derived data in the cache folder (`tables/<dataset>/`): one Parquet file per table,
and `state.json`, which records what the tables were built from: claimtrack's and Polars'
versions, the metadata (size, mtime, inode, ctime) of every file of `claims/`, `seeds/` and
`schemas/` as it was before the validation that passed, and the SHA-256 of every Parquet file.

- Nothing changed (every file's metadata as recorded, none modified within 2 s of the
  recording: git's racy-timestamp rule): the stored tables are read, without validating.
- Only claim files changed, were added or removed: those files are validated (against the seeds
  they quote), and only their rows are rebuilt; rows are keyed by claim id.
- Anything else (a seed or schema changed, another version, a damaged or missing file, a hash
  that differs): everything is validated and built again, in chunks of claims.

A patched or stored table equals one built cold.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from claimtrack._version import VERSION
from claimtrack.store.atomic import atomic_write_bytes, atomic_write_with
from claimtrack.store.fingerprint import code_digest
from claimtrack.store.layout import Dataset
from claimtrack.store.listing import Prefetch
from claimtrack.store.stats import (
    Changes,
    claim_changes,
    file_stats,
    file_stats_while,
    record_paths,
)
from claimtrack.tables.names import TABLE_NAMES

if TYPE_CHECKING:
    from claimtrack.model.records import Claim, SourceDocument

STATE = "state.json"
STATS = "stats.parquet"
# rows of a table read at once by a scan: a streaming reader holds about one group per thread
ROW_GROUP = 20_000


def _stamp(path: Path) -> list[int] | None:
    """A file's size and modification time (ns): what a scan checks it was written as."""
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


class TableStore:
    """The stored tables of one dataset."""

    def __init__(self, cache_dir: Path, root: Path) -> None:
        name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
        self.folder = cache_dir / "tables" / name[:16]
        self.root = root

    def _versions(self) -> dict[str, Any]:
        return {
            "claimtrack": VERSION,
            "polars": pl.__version__,
            "tables": sorted(TABLE_NAMES),
            "code": code_fingerprint(),
        }

    def state(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / STATE).read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("versions") != self._versions():
            return None
        if not isinstance(data.get("written_ns"), int) or not isinstance(data.get("stats"), str):
            return None
        return data

    def _stats(self, state: dict[str, Any]) -> pl.DataFrame | None:
        try:
            raw = (self.folder / STATS).read_bytes()
            if hashlib.sha256(raw).hexdigest() != state["stats"]:
                return None
            return pl.read_parquet(io.BytesIO(raw))
        except (OSError, pl.exceptions.PolarsError):
            return None

    def _files(self, state: dict[str, Any]) -> tuple[dict[str, str], dict[str, Path]] | None:
        """The hashes a state records for every table, and the tables' files, when it names
        every table."""
        hashes = state.get("parquet")
        if not isinstance(hashes, dict) or set(hashes) != set(TABLE_NAMES):
            return None
        return hashes, {name: self.folder / f"{name}.parquet" for name in TABLE_NAMES}

    def read(
        self, state: dict[str, Any], names: Sequence[str] | None = None
    ) -> dict[str, pl.DataFrame] | None:
        """The stored tables (all, or ``names``), if each file read is there with the hash the
        state recorded."""
        named = self._files(state)
        if named is None:
            return None
        hashes = named[0]
        tables = {}
        for name in names or TABLE_NAMES:  # the columns are those of the code that wrote them
            try:  # (the state's versions name it), and each file's bytes are as written
                raw = (self.folder / f"{name}.parquet").read_bytes()
                if hashlib.sha256(raw).hexdigest() != hashes[name]:
                    return None
                tables[name] = pl.read_parquet(io.BytesIO(raw))
            except (OSError, pl.exceptions.PolarsError):
                return None
        return tables

    def scan(self, state: dict[str, Any]) -> dict[str, pl.LazyFrame] | None:
        """The stored tables as lazy scans (read as a query needs them, their hashes not
        checked: for a reader that only looks rows up), if every file the state names is
        there."""
        named, stamps = self._files(state), state.get("files")
        if named is None:
            return None
        paths = named[1]
        if not all(p.is_file() and not p.is_symlink() for p in paths.values()):
            return None
        if not isinstance(stamps, dict) or any(
            stamps.get(name) != _stamp(path) for name, path in paths.items()
        ):
            return None  # a file is not the one written (its size or time differ)
        return {name: pl.scan_parquet(path) for name, path in paths.items()}

    def verified_scan(self, state: dict[str, Any]) -> dict[str, pl.LazyFrame] | None:
        """The stored tables as lazy scans, when every file has the hash the state recorded
        (each read in a stream, never held whole): for a run that writes tables made from
        them, or that finds a file's size or time not as recorded."""
        named = self._files(state)
        if named is None:
            return None
        hashes, paths = named
        for name, path in paths.items():
            try:
                if path.is_symlink():
                    return None
                with path.open("rb") as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError:
                return None
            if digest != hashes[name]:
                return None
        return {name: pl.scan_parquet(path) for name, path in paths.items()}

    def patch_files(
        self,
        scans: dict[str, pl.LazyFrame],
        claims: list[Claim],
        drop: list[str],
        seeds: Sequence[SourceDocument],
    ) -> dict[str, str]:
        """As :func:`patch`, table by table from the stored files to new ones (a streaming
        merge, the tables never held whole): the new hash of each table rewritten."""
        from claimtrack.tables.frames import TABLES, build_tables  # noqa: PLC0415 - the models

        fresh = build_tables(claims, seeds)
        dropped = pl.col("claim_id").is_in(pl.Series(drop, dtype=pl.String).implode())
        hashes = {}
        for name, table in TABLES.items():
            old, new = scans[name], fresh[name]
            if "claim_id" not in table.schema or old.filter(dropped).collect().equals(new):
                continue
            merged = old.filter(~dropped).merge_sorted(new.lazy(), key="claim_id")
            hashes[name] = sink_table(self.folder / f"{name}.parquet", merged)
        return hashes

    def changes(self, state: dict[str, Any], now: pl.DataFrame) -> Changes | None:
        """What changed since ``state`` (:func:`claimtrack.store.stats.claim_changes`)."""
        return claim_changes(self._stats(state), now, state["written_ns"], self.root)

    def save(
        self,
        stats: pl.DataFrame,
        written_ns: int,
        tables: dict[str, pl.DataFrame],
        unchanged: dict[str, str] | None = None,
    ) -> None:
        """Write every table (but those of ``unchanged``: table name -> the hash of its file,
        already there and read in this run), then the state naming their hashes (a reader never
        trusts a table whose hash the state does not name)."""
        hashes = dict(unchanged or {})
        try:
            for name, frame in tables.items():
                if name in hashes:
                    continue
                buffer = io.BytesIO()
                frame.write_parquet(
                    buffer, compression="lz4", statistics=True, row_group_size=ROW_GROUP
                )
                data = buffer.getvalue()
                atomic_write_bytes(self.folder / f"{name}.parquet", data)
                hashes[name] = hashlib.sha256(data).hexdigest()
            buffer = io.BytesIO()
            stats.write_parquet(buffer, compression="lz4")
            atomic_write_bytes(self.folder / STATS, buffer.getvalue())
            state = {
                "versions": self._versions(),
                "written_ns": written_ns,
                "stats": hashlib.sha256(buffer.getvalue()).hexdigest(),
                "parquet": hashes,
                "files": {name: _stamp(self.folder / f"{name}.parquet") for name in hashes},
            }
            atomic_write_bytes(self.folder / STATE, json.dumps(state).encode())
        except OSError:
            return  # a store that cannot be written only costs time next run


def patch(
    stored: dict[str, pl.DataFrame],
    claims: list[Claim],
    drop: list[str],
    seeds: Sequence[SourceDocument],
) -> tuple[dict[str, pl.DataFrame], set[str]]:
    """The stored tables with the rows of ``drop`` (claim ids) replaced by those of ``claims``,
    and the names of the tables whose rows this changed. Every table of claims is sorted by a
    key that starts with the claim id, and a claim's rows all come from one side: the fresh rows
    are merged in, without sorting the table again."""
    from claimtrack.tables.frames import TABLES, build_tables  # noqa: PLC0415 - the models

    fresh = build_tables(claims, seeds)
    patched, changed = {}, set()
    dropped = pl.col("claim_id").is_in(drop)
    for name, table in TABLES.items():
        old = stored[name]
        if "claim_id" not in table.schema or old.filter(dropped).equals(fresh[name]):
            patched[name] = old  # sources: only seeds change it, and then all is rebuilt
            continue
        kept, new = old.filter(~dropped), fresh[name]
        if kept["claim_id"].is_sorted() and new["claim_id"].is_sorted():
            patched[name] = kept.merge_sorted(new, key="claim_id")
        else:  # never expected (both are sorted by key): a merge would silently misorder
            patched[name] = pl.concat([kept, new]).sort(list(table.key))
        changed.add(name)
    return patched, changed


def sink_table(path: Path, frame: pl.LazyFrame) -> str:
    """``frame`` written to ``path`` in one streaming pass, atomically; the file's SHA-256."""
    return atomic_write_with(
        path,
        lambda tmp: frame.sink_parquet(
            tmp,
            compression="lz4",
            statistics=True,
            row_group_size=ROW_GROUP,
            engine="streaming",
        ),
    )


def code_fingerprint() -> str:
    """A digest of the code that decides the tables' columns and rows (the models and the
    table builders), so a store written by other code is not read, even with the same version
    number (an editable install, between releases)."""
    return code_digest(("model", "tables/frames.py"))


def now_ns() -> int:
    return time.time_ns()


def stored_or_patched(
    dataset: Dataset,
    store: TableStore,
    validate_changed: Callable[
        [list[Path], list[str]], tuple[list[Claim], Sequence[SourceDocument]]
    ],
    full: Callable[[], tuple[dict[str, pl.DataFrame], dict[str, str] | None]],
) -> dict[str, pl.DataFrame]:
    """The tables: stored, patched after claim edits, or built in full by ``full`` (which
    also gives the hashes of the tables' files when it wrote them in the store already: they
    are not written again). ``validate_changed`` gets the changed claim files and every claim
    file's path under `claims/` (from the listing made here, for the id rules)."""
    started = now_ns()
    state = store.state()
    stats, stored = file_stats_while(
        dataset.root, lambda: store.read(state) if state is not None else None
    )
    changes = store.changes(state, stats) if state is not None and stored is not None else None
    if state is None or stored is None or changes is None:
        tables, written = full()
        store.save(stats, started, tables, written)
        return tables
    if not changes.paths and not changes.removed:
        return stored
    claims, seeds = validate_changed(changes.paths, claim_names(stats))  # raises on invalid data
    drop = changes.removed + [p.stem for p in changes.paths]
    tables, changed = patch(stored, claims, drop, seeds)
    unchanged = {k: v for k, v in state["parquet"].items() if k not in changed}
    store.save(stats, started, tables, unchanged)
    return tables


def claim_names(stats: pl.DataFrame) -> list[str]:
    """The claim files of a listing as paths under `claims/`, sorted: what
    :meth:`Dataset.claim_names` lists (a name that is not UTF-8 never patches the tables: it
    sends a run to the full validation)."""
    return [path[len("claims/") :] for path in record_paths(stats, "claims")]


def patched_on_disk(
    dataset: Dataset,
    store: TableStore,
    validate_changed: Callable[
        [list[Path], list[str]], tuple[list[Claim], Sequence[SourceDocument]]
    ],
    full: Callable[[Path], dict[str, str]],
    prefetch: Prefetch | None = None,
) -> dict[str, Any] | None:
    """As :func:`stored_or_patched`, for a reader of lazy scans: the tables are never held
    whole. ``full`` validates everything and writes every table to the folder it is given (the
    hashes of their files); after claim edits the stored files are patched in a stream. The
    state of the stored tables after (None when they could not be written). ``prefetch``: the
    listing of the dataset's files, started in a child process before the caller's imports."""
    if prefetch is not None and prefetch.root != dataset.root:
        prefetch = None  # another folder's listing
    started = prefetch.started_ns if prefetch is not None else now_ns()
    state = store.state()
    stats = file_stats(dataset.root, prefetch)
    changes = store.changes(state, stats) if state is not None else None
    unchanged = changes is not None and not changes.paths and not changes.removed
    if unchanged and state is not None and store.scan(state) is not None:
        return state
    scans = store.verified_scan(state) if state is not None else None
    if unchanged and state is not None and scans is not None:  # each file as hashed: its
        store.save(stats, started, {}, state["parquet"])  # size and time recorded anew
        return store.state()
    if state is None or scans is None or changes is None:
        try:
            hashes = full(store.folder)
        except (OSError, pl.exceptions.PolarsError):  # a full disk, in Polars' words too
            return None
        store.save(stats, started, {}, hashes)
        return store.state()
    claims, seeds = validate_changed(changes.paths, claim_names(stats))  # raises on invalid data
    drop = changes.removed + [p.stem for p in changes.paths]
    try:
        hashes = {**state["parquet"], **store.patch_files(scans, claims, drop, seeds)}
    except (OSError, pl.exceptions.PolarsError):  # a full disk, in Polars' words too
        return None
    store.save(stats, started, {}, hashes)
    return store.state()
