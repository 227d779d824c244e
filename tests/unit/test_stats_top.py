"""`claimtrack stats`: each dimension's top values, and one row for the rest."""

from __future__ import annotations

import polars as pl

from claimtrack.tables.query import STATS_SCHEMA, with_coverage


def test_coverage_shows_the_seeds_nearest_their_budget_first_and_counts_the_rest() -> None:
    base = pl.DataFrame(schema=STATS_SCHEMA)
    seeds = [(f"seed-{i:02d}", i / 100, 0.25) for i in range(12)]
    frame = with_coverage(base, seeds, top=3)
    coverage = frame.filter(pl.col("dimension") == "quote_coverage_pct").rows()
    assert coverage == [
        ("quote_coverage_pct", "seed-11", 11, 0),
        ("quote_coverage_pct", "seed-10", 10, 0),
        ("quote_coverage_pct", "seed-09", 9, 0),
        ("quote_coverage_pct", None, None, 9),  # percentages are not summed
    ]
    every = with_coverage(base, seeds, top=None)
    assert every.height == 24 and every["others"].sum() == 0
