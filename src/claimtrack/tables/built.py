"""The tables' rows of a validated run, built a chunk of claims at a time, in id order: in
worker processes when there are several chunks (each worker reads its chunk's models from the
validation cache and builds every table's rows for them), else in this process.

:func:`in_workers` is the pool both this and a release's rendering use: chunks of claim files
sent to workers reading the cache, their results taken back in order.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from claimtrack.exc import ClaimtrackError
from claimtrack.store.layout import Dataset

if TYPE_CHECKING:
    from claimtrack.model.records import Claim
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
            pending: deque[Future[T]] = deque()
            for keys in chunks:
                pending.append(pool.submit(work, keys))
                if len(pending) > jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    except BrokenProcessPool:
        raise ClaimtrackError(
            f"the {what} worker processes stopped unexpectedly",
            hint='in a script, call claimtrack from inside `if __name__ == "__main__":`, '
            "or use jobs=1 (worker processes re-import the script)",
        ) from None


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
