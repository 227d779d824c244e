"""A release read by the engines users already run gives the same answers as Polars."""

from __future__ import annotations

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from ..conftest import REPO


@pytest.mark.parametrize("version", ["1.1.0", "1.2.0"])
def test_duckdb_and_pyarrow_count_what_polars_counts(version: str) -> None:
    claims = REPO / "dataset" / version / "claims.parquet"
    by_polars = dict(
        pl.read_parquet(claims).group_by(pl.col("status").cast(pl.String)).len().iter_rows()
    )
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT CAST(status AS VARCHAR), count(*) FROM read_parquet(?) GROUP BY 1",
            [str(claims)],
        ).fetchall()
    assert dict(rows) == by_polars
    assert pq.read_table(claims).num_rows == sum(by_polars.values())
