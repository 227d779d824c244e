"""A release manifest's `tables` read from the top of its text is the `tables` the whole text
holds, wherever it stands."""

from __future__ import annotations

import json

import pytest

from claimtrack.store.releases import LEADING_BYTES, _leading_tables, _tables_of

TABLES = {"claims": {"rows": 2, "parts": ["claims/part-00000.parquet"]}, "sources": {"rows": 1}}


def _manifest(before: dict[str, object]) -> bytes:
    return json.dumps({**before, "tables": TABLES, "files": [{"path": "x"}] * 3}).encode()


@pytest.mark.parametrize(
    "before",
    [
        {},
        {"name": "n", "version": "1.0.0", "n": 1.5, "flags": [True, None]},
        {"padding": "é" * LEADING_BYTES},  # past the first bytes, a character cut in two there
        {"padding": "x" * (LEADING_BYTES - 20) + "€" * 30},
        {"deep": [[[[{"a": "}{"}]]]], "tables_": {}},
    ],
    ids=["first", "after-scalars", "far", "far-cut", "nested"],
)
def test_the_tables_read_ahead_are_the_whole_manifests(before: dict[str, object]) -> None:
    raw = _manifest(before)
    assert _leading_tables(raw) == _tables_of(raw) == TABLES


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b'{"tables": []}',
        b'{"name": "x"}',
        b'{"tables" {}}',
        b"{" + b"\x80" * (4 * LEADING_BYTES),
        b'{"tables": {"rows": NaN}}',
    ],
    ids=["array", "not-an-object", "none", "no-colon", "not-utf8", "nan"],
)
def test_a_manifest_without_readable_tables_is_refused(raw: bytes) -> None:
    with pytest.raises(ValueError):
        _leading_tables(raw)
