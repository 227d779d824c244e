"""Names offered without importing what they name: the `--format` choices are the writers
there are, and the table names are the tables."""

from __future__ import annotations

from claimtrack.cli.format_names import FORMAT_NAMES
from claimtrack.cli.formats import registry
from claimtrack.tables.frames import TABLES
from claimtrack.tables.names import TABLE_NAMES, table_schema


def test_every_offered_format_has_a_writer_and_every_writer_is_offered() -> None:
    assert {kind: tuple(writers) for kind, writers in registry().items()} == FORMAT_NAMES


def test_the_table_names_offered_without_the_models_are_the_tables() -> None:
    assert tuple(TABLES) == TABLE_NAMES
    assert all(table_schema(name) == TABLES[name].schema for name in TABLE_NAMES)
