"""A file written through a temporary file is whole or not there: the old one stays until the
new one is complete."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from claimtrack.store.atomic import atomic_write_with


def test_the_file_and_its_hash(tmp_path: Path) -> None:
    target = tmp_path / "store" / "keys.bin"
    digest = atomic_write_with(target, lambda path: path.write_bytes(b"x" * 3_000_000))
    assert target.read_bytes() == b"x" * 3_000_000
    assert digest == hashlib.sha256(target.read_bytes()).hexdigest()
    assert [p.name for p in target.parent.iterdir()] == ["keys.bin"]


def test_a_write_that_fails_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "keys.bin"
    target.write_bytes(b"old")

    def half(path: Path) -> None:
        path.write_bytes(b"new, but")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write_with(target, half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keys.bin"]
