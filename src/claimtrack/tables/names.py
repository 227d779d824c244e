"""The names of the tables, in their order, importable without the models.

Reading stored or released tables, and offering `--table` choices, needs only their names;
building them (:mod:`claimtrack.tables.frames`) needs the models, which are slow to import. A
test checks these are the names of :data:`claimtrack.tables.frames.TABLES`, in its order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

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
