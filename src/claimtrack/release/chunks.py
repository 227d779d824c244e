"""The claims of a release rendered chunk by chunk, in worker processes when there are several.

Each worker reads its chunk's claim models from the validation cache and renders them
(:func:`~claimtrack.release.writer.render`): table rows, CSV lines and JSON lines. The main
process writes the chunks in id order as they come, at most ``jobs + 1`` chunks ahead of it.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from claimtrack.release.rights import Policy
from claimtrack.release.writer import RenderedChunk, render
from claimtrack.store.layout import Dataset
from claimtrack.tables.built import in_workers
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.check import claim_records
from claimtrack.validate.keys import KeyChunks

_WORKER: tuple[Dataset, ResultCache | None, Policy] | None = None


def _init(root: Path, cache_dir: Path | None, policy: Policy) -> None:
    global _WORKER  # noqa: PLW0603 - one dataset and cache connection per worker process
    _WORKER = (Dataset(root), ResultCache(cache_dir) if cache_dir else None, policy)


def _render(keys: dict[str, str]) -> RenderedChunk:
    assert _WORKER is not None
    dataset, cache, policy = _WORKER
    return render(claim_records(dataset, keys, cache), policy)


def rendered_chunks(
    dataset: Dataset,
    chunks: KeyChunks,
    cache: ResultCache | None,
    policy: Policy,
    jobs: int,
) -> Generator[RenderedChunk]:
    """Each chunk of claim files ({display path: cache key}) rendered, in order (closing the
    generator stops the worker processes)."""
    if jobs <= 1 or len(chunks) <= 1:
        for keys in chunks:
            yield render(claim_records(dataset, keys, cache), policy)
        return
    folder = cache.path.parent if cache is not None else None
    yield from in_workers(_render, _init, (dataset.root, folder, policy), chunks, jobs, "release's")
