"""The names of the tables, in their order, importable without the models or Polars.

Reading stored or released tables, and offering `--table` choices, needs only their names;
building them (:mod:`claimtrack.tables.frames`) needs the models, which are slow to import. The
reading commands' defaults are here too, so their options are made before Polars is imported. A
test checks these are the names of :data:`claimtrack.tables.frames.TABLES`, in its order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

TOP = 10  # values of each dimension `stats` shows, the rest counted on one row
DEFAULT_MEMORY_MIB = 1024  # what a `--sql` query may use
DEFAULT_TIMEOUT = 30.0  # seconds a `--sql` query may run

TABLE_NAMES: tuple[str, ...] = (
    "claims",
    "evidence",
    "attributions",
    "status_history",
    "responses",
    "subjects",
    "external_ids",
    "corrections",
    "reviews",
    "sources",
)


def table_schema(name: str) -> pl.Schema:
    """A table's columns and types (for an empty table): from the models, imported here."""
    from claimtrack.tables.frames import TABLES  # noqa: PLC0415 - see the module docstring

    return TABLES[name].schema
