"""Everyday questions without SQL: filters, shaping, counts (SQL: :mod:`claimtrack.tables.sql`)."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass

import polars as pl

from claimtrack.exc import QueryError
from claimtrack.model.text import fold
from claimtrack.tables.names import TOP

Tables = dict[str, pl.DataFrame] | dict[str, pl.LazyFrame]


def _variants() -> dict[str, str]:
    """For each base letter, the Latin letters with diacritics that fold to it."""
    table: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isalpha() and base != char.casefold():
            forms = {c for c in (char, char.upper(), char.lower()) if len(c) == 1}
            table.setdefault(base, {base}).update(forms)
    return {base: "".join(sorted(chars)) for base, chars in table.items()}


_VARIANTS = _variants()


def search_pattern(needle: str) -> str:
    """A regex matching ``needle`` ignoring case and accents, in composed or decomposed text.

    Searching the raw columns with it avoids folding every row at every query.
    """
    parts = []
    for char in fold(needle):
        if char.isspace():
            parts.append(r"\s+")
        elif char in _VARIANTS:
            parts.append("[" + re.escape(_VARIANTS[char]) + r"]\p{M}*")
        else:
            parts.append(re.escape(char) + r"\p{M}*")
    return "(?i)" + "".join(parts)


@dataclass(frozen=True)
class Filters:
    """Filters on claims; a table other than `claims` keeps the rows of the matching claims
    (and of a table a filter searches, only the rows it matches)."""

    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    subject: str | None = None
    attributed_to: str | None = None
    tags: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None


MAX_SEARCH_CHARS = 200  # a search term is a few words; the pattern grows ~20x its length


def _contains(column: str, needle: str) -> pl.Expr:
    if len(needle) > MAX_SEARCH_CHARS:
        raise QueryError(
            f"a search term of {len(needle):,} characters is longer than {MAX_SEARCH_CHARS}",
            hint="search for a few distinctive words",
        )
    return pl.col(column).str.contains(search_pattern(needle)).fill_null(False)


def _ids_where(frame: pl.DataFrame | pl.LazyFrame, condition: pl.Expr) -> pl.Series:
    rows = as_lazy(frame).filter(condition).select(pl.col("claim_id").unique())
    return rows.collect(engine="streaming").get_column("claim_id")


def matching_claims(tables: Tables, f: Filters) -> pl.LazyFrame:
    """The claims rows that pass every filter given."""
    claims = as_lazy(tables["claims"])
    conditions: list[pl.Expr] = []
    if f.statuses:
        conditions.append(pl.col("status").cast(pl.String).is_in(list(f.statuses)))
    if f.kinds:
        conditions.append(pl.col("kind").cast(pl.String).is_in(list(f.kinds)))
    if f.tags:
        conditions.append(pl.col("tags").list.eval(pl.element().is_in(list(f.tags))).list.any())
    if f.since:
        conditions.append(pl.col("first_recorded") >= f.since)
    if f.until:
        conditions.append(pl.col("first_recorded") <= f.until)
    for table in ("subjects", "attributions"):
        own = _own_rows(table, f)
        if own is not None:
            ids = _ids_where(tables[table], own)
            conditions.append(pl.col("claim_id").is_in(ids.implode()))
    quoted = _own_rows("evidence", f)
    if f.text and quoted is not None:
        ids = _ids_where(tables["evidence"], quoted)
        conditions.append(
            _contains("statement", f.text)
            | _contains("original_text", f.text)
            | pl.col("claim_id").is_in(ids.implode())
        )
    return claims.filter(*conditions) if conditions else claims


def check_columns(frame: pl.DataFrame | pl.LazyFrame, names: tuple[str, ...], what: str) -> None:
    columns = frame.collect_schema().names()
    missing = [n for n in names if n not in columns]
    if missing:
        close = difflib.get_close_matches(missing[0], columns, n=1)
        raise QueryError(
            f"unknown {what} `{missing[0]}`",
            hint=(f"did you mean `{close[0]}`? " if close else "")
            + "columns: "
            + ", ".join(columns),
        )


def select(tables: Tables, filters: Filters, *, table: str = "claims") -> pl.LazyFrame:
    """Filter claims, and take the rows of ``table`` that belong to them (a lazy frame: only
    what the result needs is read)."""
    if table not in tables:
        raise QueryError(f"unknown table `{table}`", hint="tables: " + ", ".join(tables))
    claims = matching_claims(tables, filters)
    frame = as_lazy(tables[table])
    if table == "claims":
        return claims
    if "claim_id" not in frame.collect_schema().names():
        return frame
    if filters != Filters():
        kept = claims.select("claim_id").collect(engine="streaming").get_column("claim_id")
        frame = frame.filter(pl.col("claim_id").is_in(kept.implode()))
    own = _own_rows(table, filters)
    return frame.filter(own) if own is not None else frame


def _own_rows(table: str, f: Filters) -> pl.Expr | None:
    """The rows of a table a filter searches that match it, defined once: a claim matches when
    one of its rows does, and listing that table keeps only those rows. `--text`: the quotes
    that contain the words; `--attributed-to`: the links that name the party; `--subject`: the
    subjects named."""
    if table == "evidence" and f.text:
        return _contains("text", f.text) | _contains("translation_text", f.text)
    if table == "attributions" and f.attributed_to:
        return _contains("name", f.attributed_to) | _contains("as_described", f.attributed_to)
    if table == "subjects" and f.subject:
        return _contains("name", f.subject)
    return None


@dataclass(frozen=True)
class Shape:
    """Which columns, in what order, sorted how, and how many rows of a result to keep."""

    columns: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()
    descending: bool = False
    limit: int | None = None

    def apply(self, frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
        """The rows shaped (sorted, cut, limited), read in a streaming pass."""
        check_columns(frame, self.sort, "sort column")
        check_columns(frame, self.columns, "column")
        twice = sorted({c for c in self.columns if self.columns.count(c) > 1})
        if twice:
            raise QueryError(
                f"column `{twice[0]}` is named twice in --columns", hint="name each column once"
            )
        if self.sort:
            frame = frame.sort(  # ties in the tables' order, --limit or not
                list(self.sort), descending=self.descending, nulls_last=True, maintain_order=True
            )
        if self.columns:
            frame = frame.select(list(self.columns))
        if self.limit is not None:
            frame = frame.head(self.limit)
        return as_lazy(frame).collect(engine="streaming")


STATS_SCHEMA = {"dimension": pl.String, "value": pl.String, "count": pl.UInt32, "others": pl.UInt32}


def stats(tables: Tables, *, top: int | None = TOP) -> pl.DataFrame:
    """Counts as one long table: dimension, value, count (claims, or quotes for
    `quotes_per_seed`), and `others`. With ``top``, each dimension's ``top`` most frequent
    values (ties by value), then one row that counts the rest: its value empty, its count
    theirs summed, `others` how many values it stands for (0 on every other row). Only the
    columns counted are read."""
    claims = as_lazy(tables["claims"])
    return pl.concat(
        [
            _top(_counts(claims.select("status"), "status"), "status", top),
            _top(_counts(claims.select("kind"), "kind"), "kind", top),
            _top(
                _counts(claims.select("asserted_by").explode("asserted_by"), "asserted_by"),
                "asserted_by",
                top,
            ),
            _top(
                _counts(as_lazy(tables["evidence"]).select("seed_id"), "seed_id"),
                "quotes_per_seed",
                top,
            ),
        ]
    )


def _counts(frame: pl.LazyFrame, column: str) -> pl.DataFrame:
    return (
        frame.group_by(pl.col(column).cast(pl.String).alias("value"))
        .agg(pl.len().cast(pl.UInt32).alias("count"))
        .sort(["count", "value"], descending=[True, False], nulls_last=True)
        .collect(engine="streaming")
    )


def _top(counts: pl.DataFrame, dimension: str, top: int | None) -> pl.DataFrame:
    """A dimension's rows: every value, or the ``top`` first and one row for the rest."""
    shown = counts if top is None else counts.head(top)
    rows = shown.select(
        pl.lit(dimension).alias("dimension"), "value", "count", pl.lit(0, pl.UInt32).alias("others")
    )
    rest = counts.height - shown.height
    if rest <= 0:
        return rows
    summed = counts.tail(rest)["count"].sum()
    extra = pl.DataFrame([(dimension, None, summed, rest)], schema=STATS_SCHEMA, orient="row")
    return pl.concat([rows, extra])


def as_lazy(frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """A table as a lazy frame, whether it was read whole or scanned."""
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame


def with_coverage(
    stats: pl.DataFrame, seeds: list[tuple[str, float, float]], *, top: int | None = TOP
) -> pl.DataFrame:
    """The counts with two rows per `quotes_only` seed: the share of its characters that its
    published quotes cover, and its budget, in whole percent (the share rounded up, so a seed
    over its budget never shows as within it). With ``top``, the seeds whose quotes cover the
    most, then one row that says how many more there are (its count empty: percentages do not
    add up)."""
    if not seeds:
        return stats
    ranked = sorted(seeds, key=lambda s: (-s[1], s[0]))
    shown = ranked if top is None else ranked[:top]
    rows: list[tuple[str, str | None, int | None, int]] = [
        (dimension, seed_id, math.ceil(round(value * 100, 6)), 0)
        for seed_id, share, allowed in shown
        for dimension, value in (("quote_coverage_pct", share), ("quote_budget_pct", allowed))
    ]
    if len(ranked) > len(shown):
        rest = len(ranked) - len(shown)
        rows += [("quote_coverage_pct", None, None, rest), ("quote_budget_pct", None, None, rest)]
    extra = pl.DataFrame(rows, schema=STATS_SCHEMA, orient="row")
    return pl.concat([stats, extra.select(stats.columns)])
