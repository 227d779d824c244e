"""Flat tables for CSV files and terminals: lists joined with `; `, timestamps as UTC `...Z`."""

from __future__ import annotations

import re

import polars as pl

from claimtrack.escape import CONTROL_OR_NEWLINE, FORMULA_START, visible

LIST_SEPARATOR = "; "


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with `; `, everything else as is: for CSV and terminal tables."""
    lists = [n for n, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(n).list.join(LIST_SEPARATOR) for n in lists)


def flat_csv(
    frame: pl.DataFrame,
    *,
    spreadsheet_safe: bool = False,
    printable: bool = False,
    header: bool = True,
) -> str:
    """A table as CSV: lists joined by `; `, UTC timestamps as `...Z`.

    ``spreadsheet_safe`` prefixes a `'` to every text cell that starts with a formula character
    (`=`, `+`, `-`, `@`, tab, carriage return), so a spreadsheet shows it instead of running it;
    ``printable`` shows control characters and line breaks in text cells as `\\xNN` escapes, for
    a terminal or a CI log. Without them the cells are byte-faithful (for parsers, in releases).
    ``header=False`` leaves out the header line (for rows appended to a file)."""
    table = flat(frame)
    if printable:
        texts = [n for n, t in table.schema.items() if t == pl.String]
        table = table.with_columns(
            pl.when(pl.col(n).str.contains(CONTROL_OR_NEWLINE))
            .then(pl.col(n).map_elements(visible, return_dtype=pl.String))
            .otherwise(pl.col(n))
            .alias(n)
            for n in texts
        )
    if spreadsheet_safe:
        texts = [n for n, t in table.schema.items() if t == pl.String]
        risky = "^[" + re.escape("".join(FORMULA_START)) + "]"
        table = table.with_columns(
            pl.when(pl.col(n).str.contains(risky))
            .then(pl.lit("'") + pl.col(n))
            .otherwise(pl.col(n))
            .alias(n)
            for n in texts
        )
    return table.write_csv(include_header=header, datetime_format="%Y-%m-%dT%H:%M:%SZ")
