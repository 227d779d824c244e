"""The tables' rows of a validated run, built a chunk of claims at a time, in id order: in
worker processes when there are several chunks (each worker reads its chunk's models from the
validation cache and builds every table's rows for them), else in this process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from claimtrack.store.layout import Dataset

if TYPE_CHECKING:
    from claimtrack.model.records import Claim
    from claimtrack.validate.cache import ResultCache
    from claimtrack.validate.keys import KeyChunks

Built = dict[str, pl.DataFrame]  # each table's rows for one chunk of claims ("sources" aside)

_WORKER: tuple[Dataset, ResultCache] | None = None


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


def built_chunks(
    dataset: Dataset, chunks: KeyChunks, cache: ResultCache, jobs: int
) -> Iterator[Built]:
    """Each chunk of claim files ({display path: cache key}) built, in order; ``jobs`` worker
    processes when there are several chunks, at most ``jobs + 1`` chunks ahead."""
    from claimtrack.validate.check import claim_records  # noqa: PLC0415 - see read()

    if jobs <= 1 or len(chunks) <= 1:
        for keys in chunks:
            yield frames_of(claim_records(dataset, keys, cache))
        return
    spawn = multiprocessing.get_context("spawn")  # fork is unsafe with Polars' threads
    folder = cache.path.parent
    with ProcessPoolExecutor(
        jobs, mp_context=spawn, initializer=_init, initargs=(dataset.root, folder)
    ) as pool:
        pending: deque[Future[Built]] = deque()
        for keys in chunks:
            if len(pending) > jobs:
                yield pending.popleft().result()
            pending.append(pool.submit(_build, keys))
        while pending:
            yield pending.popleft().result()
