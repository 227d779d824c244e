"""Loading a dataset as Polars frames: validated first, never half a table.

Where from: the working tree of a dataset folder (validated first), or a published release
(`version=`), from the folder's `dataset/` or from the releases packaged with claimtrack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, overload

import polars as pl

from claimtrack.store.layout import Dataset
from claimtrack.exc import InvalidDataset
from claimtrack.tables.frames import build_tables
from claimtrack.validate.runner import validate_all


def _tables(
    root: str | Path | None, version: str | None, cache: bool, jobs: int = 1
) -> dict[str, pl.DataFrame]:
    from claimtrack.release import publish as releases  # noqa: PLC0415 - releases import this module's neighbours

    here = Path(root) if root is not None else Path()
    is_dataset = (here / "claims").is_dir()
    if version is not None or (root is None and not is_dataset):
        # an explicit root means that dataset's releases; only `load()` in a folder that is
        # no dataset reads the releases packaged with claimtrack
        dataset = Dataset(here) if is_dataset or root is not None else None
        wanted = None if version in (None, "latest") else version
        return releases.read_tables(releases.release_path(dataset, wanted))
    dataset = Dataset.open(here)
    report = validate_all(dataset, cache=cache, jobs=jobs)
    if not report.ok:
        raise InvalidDataset(report.findings, path=dataset.root)
    return build_tables(report.claims, report.seeds)


@overload
def load_tables(
    root: str | Path | None = ...,
    *,
    version: str | None = ...,
    lazy: Literal[False] = ...,
    cache: bool = ...,
    jobs: int = ...,
) -> dict[str, pl.DataFrame]: ...


@overload
def load_tables(
    root: str | Path | None = ...,
    *,
    version: str | None = ...,
    lazy: Literal[True],
    cache: bool = ...,
    jobs: int = ...,
) -> dict[str, pl.LazyFrame]: ...


def load_tables(
    root: str | Path | None = None,
    *,
    version: str | None = None,
    lazy: bool = False,
    cache: bool = True,
    jobs: int = 1,
) -> dict[str, pl.DataFrame] | dict[str, pl.LazyFrame]:
    """All tables of a dataset by name.

    ``root`` is a dataset folder (claims/ and seeds/); by default the current folder when it is
    one, else the latest release packaged with claimtrack. ``version="1.0.0"`` (or `"latest"`)
    reads a published release instead of the working tree, byte for byte as released.

    Tables: claims, evidence, attributions, status_history, responses, subjects, sources; the
    nested ones join to claims on ``claim_id``, and evidence/attributions to sources on
    ``seed_id``. A working tree is validated first (unchanged files are served from the
    validation cache unless ``cache=False``; ``jobs=N`` uses N worker processes, which needs
    the ``if __name__ == "__main__":`` guard in scripts): invalid data raises
    :class:`~claimtrack.exc.InvalidDataset` carrying every finding.
    """
    tables = _tables(root, version, cache, jobs)
    if lazy:
        return {name: frame.lazy() for name, frame in tables.items()}
    return tables


@overload
def load(
    root: str | Path | None = ...,
    *,
    version: str | None = ...,
    lazy: Literal[False] = ...,
    cache: bool = ...,
    jobs: int = ...,
) -> pl.DataFrame: ...


@overload
def load(
    root: str | Path | None = ...,
    *,
    version: str | None = ...,
    lazy: Literal[True],
    cache: bool = ...,
    jobs: int = ...,
) -> pl.LazyFrame: ...


def load(
    root: str | Path | None = None,
    *,
    version: str | None = None,
    lazy: bool = False,
    cache: bool = True,
    jobs: int = 1,
) -> pl.DataFrame | pl.LazyFrame:
    """The claims table (one row per claim); see :func:`load_tables` for where it reads from.

    >>> import claimtrack
    >>> df = claimtrack.load()                        # doctest: +SKIP
    >>> old = claimtrack.load(version="1.0.0")        # doctest: +SKIP
    """
    claims = _tables(root, version, cache, jobs)["claims"]
    return claims.lazy() if lazy else claims
