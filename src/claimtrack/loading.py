"""Loading a dataset as Polars frames: validated first, never half a table."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, overload

import polars as pl

from claimtrack.dataset import Dataset
from claimtrack.exc import InvalidDataset
from claimtrack.frames import build_tables
from claimtrack.validation import validate


def _tables(root: str | Path) -> dict[str, pl.DataFrame]:
    dataset = Dataset.open(Path(root))
    report = validate(dataset)
    if not report.ok:
        raise InvalidDataset(report.findings, path=dataset.root)
    return build_tables(report.claims, report.seeds)


@overload
def load_tables(
    root: str | Path = ..., *, lazy: Literal[False] = ...
) -> dict[str, pl.DataFrame]: ...


@overload
def load_tables(root: str | Path = ..., *, lazy: Literal[True]) -> dict[str, pl.LazyFrame]: ...


def load_tables(
    root: str | Path = ".", *, lazy: bool = False
) -> dict[str, pl.DataFrame] | dict[str, pl.LazyFrame]:
    """All tables of the dataset at ``root`` (a folder with claims/ and seeds/), by name.

    Tables: claims, evidence, attributions, status_history, responses, subjects, sources; the
    nested ones join to claims on ``claim_id``, and evidence/attributions to sources on
    ``seed_id``. The working tree is validated first: invalid data raises
    :class:`~claimtrack.exc.InvalidDataset` carrying every finding.
    """
    tables = _tables(root)
    if lazy:
        return {name: frame.lazy() for name, frame in tables.items()}
    return tables


@overload
def load(root: str | Path = ..., *, lazy: Literal[False] = ...) -> pl.DataFrame: ...


@overload
def load(root: str | Path = ..., *, lazy: Literal[True]) -> pl.LazyFrame: ...


def load(root: str | Path = ".", *, lazy: bool = False) -> pl.DataFrame | pl.LazyFrame:
    """The claims table of the dataset at ``root``: one row per claim.

    >>> import claimtrack
    >>> df = claimtrack.load()                        # doctest: +SKIP
    >>> df.filter(pl.col("status") == "reported")      # doctest: +SKIP
    """
    claims = _tables(root)["claims"]
    return claims.lazy() if lazy else claims
