"""Flat tables for CSV files and terminals: lists joined with `; `, timestamps as UTC `...Z`."""

from __future__ import annotations

import polars as pl

LIST_SEPARATOR = "; "


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with `; `, everything else as is: for CSV and terminal tables."""
    lists = [n for n, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(n).list.join(LIST_SEPARATOR) for n in lists)


def flat_csv(frame: pl.DataFrame) -> str:
    """A table as CSV for spreadsheets: lists joined by `; `, UTC timestamps as `...Z`."""
    return flat(frame).write_csv(datetime_format="%Y-%m-%dT%H:%M:%SZ")
