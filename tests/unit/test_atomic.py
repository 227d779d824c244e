"""A file written through a temporary file is whole or not there: the old one stays until the
new one is complete."""

from __future__ import annotations

import ctypes
import errno
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


def test_a_folder_synced_without_syncfs_has_every_file_and_folder_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where syncfs(2) cannot be used, a release folder is still made durable file by file."""
    sync = atomic.FolderSync(tmp_path)
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
    sync.sync()
    sync.close()
    every = [*tmp_path.rglob("*"), tmp_path]
    assert {p.stat().st_ino for p in every} <= synced


@pytest.mark.skipif(not atomic._kernel_reports_errors(), reason="syncfs(2) of Linux 5.8+")
def test_a_folder_is_synced_with_one_syncfs_on_linux(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync = atomic.FolderSync(tmp_path)
    for i in range(50):
        (tmp_path / f"{i}.txt").write_bytes(b"x")
    calls: list[int] = []
    ran: list[bool] = []
    real = atomic._syncfs

    def recorded(fd: int) -> bool:
        ran.append(real(fd))
        return ran[-1]

    monkeypatch.setattr(os, "fsync", calls.append)
    monkeypatch.setattr(atomic, "_syncfs", recorded)
    sync.sync()
    sync.close()
    assert ran == [True]  # one syncfs, which ran
    assert calls == []  # and no fsync per file


def test_a_syncfs_refused_by_a_sandbox_falls_back_to_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSYS or EPERM (seccomp, an old kernel) is not a write-back error: fsync each file."""
    monkeypatch.setattr(atomic, "_kernel_reports_errors", lambda: True)

    class Refusing:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def syncfs(self, fd: int) -> int:
            ctypes.set_errno(errno.ENOSYS)
            return -1

    monkeypatch.setattr(ctypes, "CDLL", Refusing)
    assert atomic._syncfs(0) is False


def test_an_old_kernel_does_not_trust_syncfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before Linux 5.8 syncfs(2) did not report write-back errors."""
    monkeypatch.setattr(sys, "platform", "linux")
    for release, trusted in [("4.18.0-553.el8", False), ("5.4.0-1", False), ("5.8.0", True)]:
        monkeypatch.setattr(os, "uname", lambda r=release: os.uname_result(("", "", r, "", "")))
        assert atomic._kernel_reports_errors() is trusted
