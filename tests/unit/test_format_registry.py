"""The `--format` choices offered (without importing the writers) are the writers there are."""

from __future__ import annotations

from claimtrack.cli.format_names import FORMAT_NAMES
from claimtrack.cli.formats import registry


def test_every_offered_format_has_a_writer_and_every_writer_is_offered() -> None:
    assert {kind: tuple(writers) for kind, writers in registry().items()} == FORMAT_NAMES
