"""The tables' rows of a validated dataset, built a chunk of claims at a time.

- By the run that validates (:class:`TablesOfRun`, one pass): each batch of claims a
  validation worker checks is turned into rows there, before its models are dropped; the rows
  come back to this process, are written out in parts, and when the run has passed each
  table's parts are joined (the claims are checked in id order: no sort), and the stored
  tables' state saved.
- From a validated run's cache, in id order (:func:`built_chunks`): in worker processes when
  there are several chunks (each worker reads its chunk's models from the validation cache),
  else in this process. What a run that did not check every claim again leaves to the reader.

:func:`in_workers` is the pool both this and a release's rendering use: chunks of claim files
sent to workers reading the cache, their results taken back in order.
"""

from __future__ import annotations

import io
import multiprocessing
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from claimtrack.exc import WorkersStopped
from claimtrack.store.layout import Dataset
from claimtrack.tables.kept import TableStore, sink_table
from claimtrack.validate.batches import in_order

if TYPE_CHECKING:
    from claimtrack.model.records import Claim, SourceDocument
    from claimtrack.validate.cache import ResultCache
    from claimtrack.validate.keys import KeyChunks

Built = dict[str, pl.DataFrame]  # each table's rows for one chunk of claims ("sources" aside)

_WORKER: tuple[Dataset, ResultCache] | None = None
T = TypeVar("T")


def frames_of(claims: list[Claim]) -> Built:
    """Every table's rows for ``claims`` (the sources' table is the seeds', built apart)."""
    from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - the models

    return {name: table.build(claims, []) for name, table in TABLES.items() if name != "sources"}


def _init(root: Path, cache_dir: Path) -> None:
    from claimtrack.validate.cache import ResultCache  # noqa: PLC0415 - see read()

    global _WORKER  # noqa: PLW0603 - one dataset and cache connection per worker process
    _WORKER = (Dataset(root), ResultCache(cache_dir))


def _build(keys: dict[str, str]) -> Built:
    from claimtrack.validate.check import claim_records  # noqa: PLC0415 - see read()

    assert _WORKER is not None
    dataset, cache = _WORKER
    return frames_of(claim_records(dataset, keys, cache))


def in_workers(
    work: Callable[[dict[str, str]], T],
    init: Callable[..., None],
    initargs: tuple[Any, ...],
    chunks: KeyChunks,
    jobs: int,
    what: str,
) -> Iterator[T]:
    """``work`` done on each chunk of claim files by ``jobs`` worker processes (each set up by
    ``init(*initargs)``), the results in order, at most ``jobs + 1`` chunks ahead (closing the
    generator stops the workers). ``what``: whose workers, for the message when they die."""
    spawn = multiprocessing.get_context("spawn")  # fork is unsafe with Polars' threads
    try:
        with ProcessPoolExecutor(
            jobs, mp_context=spawn, initializer=init, initargs=initargs
        ) as pool:
            yield from in_order(pool, work, chunks, jobs + 1)
    except BrokenProcessPool:
        raise WorkersStopped(what) from None


def built_chunks(
    dataset: Dataset, chunks: KeyChunks, cache: ResultCache, jobs: int
) -> Iterator[Built]:
    """Each chunk of claim files ({display path: cache key}) built, in order; ``jobs`` worker
    processes when there are several chunks."""
    from claimtrack.validate.check import claim_records  # noqa: PLC0415 - see read()

    if jobs <= 1 or len(chunks) <= 1:
        for keys in chunks:
            yield frames_of(claim_records(dataset, keys, cache))
        return
    args = (dataset.root, cache.path.parent)
    yield from in_workers(_build, _init, args, chunks, jobs, "tables'")


def build_in_chunks(
    chunks: Iterable[dict[str, pl.DataFrame]], seeds: Sequence[SourceDocument]
) -> dict[str, pl.DataFrame]:
    """Every table, from its rows built chunk by chunk (:func:`built_chunks`).

    The chunks come in id order, and each chunk's rows are sorted by their table's key, which
    starts with the claim id: the chunks one after another are the table in key order, with no
    sort."""
    from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - the models

    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in TABLES if name != "sources"}
    for built in chunks:
        for name, frames in parts.items():
            frames.append(built[name])
    tables = {
        name: pl.concat(frames, rechunk=False) if frames else TABLES[name].build([], [])
        for name, frames in parts.items()
    }
    return {**tables, "sources": TABLES["sources"].build([], seeds)}


FLUSH = 25  # chunks of claims built before their rows are written out as one part


def write_in_chunks(
    folder: Path, chunks: Iterable[dict[str, pl.DataFrame]], seeds: Sequence[SourceDocument]
) -> dict[str, str]:
    """As :func:`build_in_chunks`, each table written to ``folder`` as it is built (parts on
    disk, then one streaming pass joins them: the tables are never held whole). The SHA-256 of
    each table's file, by name."""
    from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - the models

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".parts-") as scratch:
        parts = Parts(Path(scratch), [name for name in TABLES if name != "sources"])
        for n, built in enumerate(chunks, 1):
            parts.add({name: built[name] for name in parts.names})
            if n % FLUSH == 0:
                parts.flush()
        return parts.join(folder, seeds)


class Parts:
    """Each table's rows, built a chunk at a time and written out in parts, in order."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder, self.names = folder, names
        self.pending: dict[str, list[pl.DataFrame]] = {name: [] for name in names}
        self.files: dict[str, list[Path]] = {name: [] for name in names}

    def add(self, built: dict[str, pl.DataFrame]) -> None:
        for name, frame in built.items():
            self.pending[name].append(frame)

    def flush(self) -> None:
        for name, frames in self.pending.items():
            if frames:
                path = self.folder / f"{name}-{len(self.files[name]):06d}.parquet"
                pl.concat(frames, rechunk=False).write_parquet(path, compression="lz4")
                self.files[name].append(path)
                frames.clear()

    def scan(self, name: str) -> pl.LazyFrame:
        if not self.files[name]:
            from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - the models

            return TABLES[name].build([], []).lazy()
        return pl.scan_parquet(self.files[name])

    def join(self, folder: Path, seeds: Sequence[SourceDocument]) -> dict[str, str]:
        """Every table written to ``folder``, its parts joined in order in one streaming pass
        (the sources' table from ``seeds``): the SHA-256 of each file, by name."""
        from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - the models

        self.flush()
        frames = {name: self.scan(name) for name in self.names}
        frames["sources"] = TABLES["sources"].build([], seeds).lazy()
        return {
            name: sink_table(folder / f"{name}.parquet", frame) for name, frame in frames.items()
        }


SCRATCH = ".run-"  # the prefix of a run's folder of parts, beside the stored tables
RUN_FLUSH = 8  # batches of a validation (up to 500 claims each) held before they are written
STALE_S = 86_400  # a folder of parts this old was left by a run that was killed: removed


def _sweep(folder: Path) -> None:
    """Remove the folders of parts that killed runs left (never a running one's: a day old)."""
    import shutil  # noqa: PLC0415 - only here
    import time  # noqa: PLC0415

    for scratch in [*folder.glob(f"{SCRATCH}*"), *folder.glob(".parts-*")]:
        try:
            if time.time() - scratch.lstat().st_mtime > STALE_S and scratch.is_dir():
                shutil.rmtree(scratch, ignore_errors=True)
        except OSError:
            continue


class TablesOfRun:
    """The stored tables made by the run that validates the whole dataset (what
    :class:`~claimtrack.validate.batches.TableRows` asks): the validation's workers build each
    batch's rows as they check it, this gathers them in parts beside the store, and once the
    run has passed joins each table's parts in one streaming pass, byte for byte the table
    built from the cache. The run checks the claim files in id order, so the batches' rows,
    each sorted by key, follow one another in key order (checked here: no sort, which would
    hold a table whole). A claim served from the cache, or batches out of order, mean the run
    does not give the tables: then nothing is written (``hashes`` stays None), and they are
    built when first read.

    ``save``: also save the store's state, naming the listing the run was made from (a caller
    that saves the state itself, from its own listing, passes False)."""

    build = staticmethod(frames_of)

    def __init__(self, cache_dir: Path, root: Path, *, save: bool = True) -> None:
        self.store = TableStore(cache_dir, root)
        self.save = save
        self.hashes: dict[str, str] | None = None  # each table's file, once written
        self._parts: Parts | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._added = 0
        self._missed = False
        self._last: str | None = None  # the last claim id added

    def __enter__(self) -> TablesOfRun:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _ready(self) -> Parts:
        if self._parts is None:
            from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - the models

            self.store.folder.mkdir(parents=True, exist_ok=True)
            _sweep(self.store.folder)
            self._scratch = tempfile.TemporaryDirectory(
                dir=self.store.folder, prefix=SCRATCH, ignore_cleanup_errors=True
            )
            names = [name for name in TABLES if name != "sources"]
            self._parts = Parts(Path(self._scratch.name), names)
        return self._parts

    def add(self, rows: Built | None) -> None:
        """A batch's rows, from the worker that checked it (None: it could not make them).
        Rows that cannot be written out (a full disk, a cache folder that is not one) only
        leave the tables to their first reader: the validation goes on."""
        if self._missed:
            return
        if rows is None:
            self.miss()
            return
        ids = rows["claims"]["claim_id"]
        if len(ids):
            if self._last is not None and ids[0] <= self._last:
                self.miss()  # not in id order: the parts would not join into sorted tables
                return
            self._last = ids[-1]
        try:
            parts = self._ready()
            parts.add(rows)
            self._added += 1
            if self._added % RUN_FLUSH == 0:
                parts.flush()
        except (OSError, pl.exceptions.PolarsError):
            self.miss()

    def miss(self) -> None:
        """This run will not give the tables (a claim's result came from the cache, a batch's
        rows are missing or out of order, or could not be written): the parts are dropped."""
        self._missed = True
        self.close()

    def finish(self, seeds: Sequence[SourceDocument], stats: bytes, started_ns: int) -> None:
        """The run passed: write every table (and the state, with ``save``). A table that
        cannot be written (a full disk) only costs the first reader the time to build it."""
        if self._missed:
            return
        try:
            hashes = self._ready().join(self.store.folder, seeds)
            if self.save:
                listing = pl.read_parquet(io.BytesIO(stats))
                self.store.save(listing, started_ns, {}, hashes)
        except (OSError, pl.exceptions.PolarsError):
            return
        finally:
            self.close()
        self.hashes = hashes

    def close(self) -> None:
        """Remove the parts gathered (the tables written stay)."""
        if self._scratch is not None:
            self._scratch.cleanup()
        self._scratch, self._parts = None, None
