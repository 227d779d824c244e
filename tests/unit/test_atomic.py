"""A file written through a temporary file is whole or not there: the old one stays until the
new one is complete."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from claimtrack.store import atomic
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


def test_sync_folder_without_syncfs_fsyncs_every_file_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where syncfs(2) is missing, a release folder is still made durable file by file."""
    (tmp_path / "seeds").mkdir()
    for rel in ("manifest.json", "claims.csv", "seeds/a.txt", "seeds/a.meta.json"):
        (tmp_path / rel).write_bytes(b"x")
    synced: set[int] = set()  # inodes
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.add(os.fstat(fd).st_ino)
        real(fd)

    monkeypatch.setattr(atomic, "_syncfs", lambda fd: False)
    monkeypatch.setattr(os, "fsync", fsync)
    atomic.sync_folder(tmp_path)
    every = [*tmp_path.rglob("*"), tmp_path]
    assert {p.stat().st_ino for p in every} <= synced


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs(2) is Linux's")
def test_sync_folder_uses_one_syncfs_on_linux(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(50):
        (tmp_path / f"{i}.txt").write_bytes(b"x")
    calls: list[int] = []
    monkeypatch.setattr(os, "fsync", calls.append)
    atomic.sync_folder(tmp_path)
    assert calls == []  # one syncfs, no fsync per file
