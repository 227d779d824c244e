"""`claimtrack.load` and `claimtrack.load_tables`, the package's two functions for reading data.

They start listing a working tree's files in a child process (:class:`~claimtrack.store.listing.
Prefetch`) before Polars, the models and :mod:`.load` are imported, as `query` does: the
listing (one `lstat` a file) and the imports overlap. This module imports neither.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Unpack, overload

from claimtrack.store.layout import is_release_folder
from claimtrack.store.listing import Prefetch

if TYPE_CHECKING:
    import polars as pl

    from claimtrack.tables.load import LoadOptions, Root


def _imported() -> bool:
    """Whether the loader is imported already (a notebook's second `load()`): then there are
    no imports to overlap, and a child process would only cost its start."""
    return "claimtrack.tables.load" in sys.modules


def listing_ahead(
    root: object, *, version: object = None, cache: object = True
) -> contextlib.AbstractContextManager[Prefetch | None]:
    """The working tree's listing started in a child, when the stored tables will be compared
    with it: not for a release (``version``, a URL, a release folder), nor without the cache,
    nor once the loader is imported. `load()`, `query` and `stats` start it this way."""
    if version is not None or not cache or _imported():
        return contextlib.nullcontext()
    if root is not None and not isinstance(root, (str, Path)):
        return contextlib.nullcontext()  # an error, raised by the loader
    if isinstance(root, str) and "://" in root:
        return contextlib.nullcontext()
    here = Path(root).absolute() if root is not None else Path()  # as `load.resolve` does
    if not (here / "claims").is_dir() or is_release_folder(here):
        return contextlib.nullcontext()
    return Prefetch(here)


@overload
def load_tables(
    root: Root = ..., *, lazy: Literal[False] = ..., **options: Unpack[LoadOptions]
) -> dict[str, pl.DataFrame]: ...
@overload
def load_tables(
    root: Root = ..., *, lazy: Literal[True], **options: Unpack[LoadOptions]
) -> dict[str, pl.LazyFrame]: ...
def load_tables(
    root: Root = None, *, lazy: bool = False, **options: Unpack[LoadOptions]
) -> dict[str, pl.DataFrame] | dict[str, pl.LazyFrame]:
    """All tables of a dataset by name.

    ``root`` is a dataset folder (claims/ and seeds/); by default the current folder when it is
    one, else the latest release packaged with claimtrack; or the http(s) URL of a published
    release folder (each table fetched is checked against its manifest's size and SHA-256).
    ``version="1.0.0"`` (or `"latest"`) reads a published release instead of the working tree,
    byte for byte as released.

    Tables: claims, evidence, attributions, status_history, responses, subjects, external_ids,
    corrections, sources; the nested ones join to claims on ``claim_id``, and evidence and
    attributions to sources on ``seed_id``. A working tree is validated first (unchanged files
    are served from the validation cache unless ``cache=False``; ``jobs=N`` uses N worker
    processes, which needs the ``if __name__ == "__main__":`` guard in scripts): invalid data raises
    :class:`~claimtrack.exc.InvalidDataset` carrying every finding.

    ``lazy=True`` gives LazyFrames; those of a local release scan its Parquet files (all the
    parts of a partitioned one), so a filter or a column selection reads only what it needs.
    """
    with listing_ahead(
        root, version=options.get("version"), cache=options.get("cache", True)
    ) as prefetch:
        from claimtrack.tables.load import tables_of  # noqa: PLC0415 - after the listing starts

        return tables_of(root, None, lazy=lazy, prefetch=prefetch, **options)


@overload
def load(
    root: Root = ..., *, lazy: Literal[False] = ..., **options: Unpack[LoadOptions]
) -> pl.DataFrame: ...
@overload
def load(
    root: Root = ..., *, lazy: Literal[True], **options: Unpack[LoadOptions]
) -> pl.LazyFrame: ...
def load(
    root: Root = None, *, lazy: bool = False, **options: Unpack[LoadOptions]
) -> pl.DataFrame | pl.LazyFrame:
    """The claims table (one row per claim); see :func:`load_tables` for where it reads from.

    >>> import claimtrack
    >>> df = claimtrack.load()                        # doctest: +SKIP
    >>> old = claimtrack.load(version="1.0.0")        # doctest: +SKIP
    """
    with listing_ahead(
        root, version=options.get("version"), cache=options.get("cache", True)
    ) as prefetch:
        from claimtrack.tables.load import tables_of  # noqa: PLC0415 - after the listing starts

        return tables_of(root, ["claims"], lazy=lazy, prefetch=prefetch, **options)["claims"]
