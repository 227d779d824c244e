"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The new file gets the mode of the file it replaces, or, for a new file, the mode the user's
umask gives (`0666 & ~umask`), as a plain `open()` would: never the `0600` of a temporary file.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def _beside(path: Path) -> Iterator[tuple[Path, io.BufferedRandom]]:
    """A new temporary file in ``path``'s folder, its path and an open handle, to fill in the
    block: it then gets the mode ``path`` should have, is synced to disk and replaces
    ``path``; on any error it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "r+b") as handle:
            yield tmp, handle
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    with _beside(path) as (_, handle):
        handle.write(data)


def atomic_write_with(path: Path, write: Callable[[Path], object]) -> str:
    """As :func:`atomic_write_bytes`, the content written by ``write`` to the temporary file's
    path (a large file is never held as bytes); the file's SHA-256 (hex), read back from it."""
    with _beside(path) as (tmp, handle):
        write(tmp)
        handle.seek(0)
        return hashlib.file_digest(handle, "sha256").hexdigest()


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically, with LF line ends."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _syncfs(fd: int) -> bool:
    """Linux's syncfs(2) of the filesystem holding ``fd``: True when it ran and succeeded."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return False
    if call(fd) == 0:
        return True
    code = ctypes.get_errno()
    raise OSError(code, os.strerror(code))


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make every file written under ``folder`` durable, and the folder's own entries.

    On Linux one syncfs(2) of the filesystem that holds it: one call however many files (a
    release of 100k claims writes 20,000; an fsync each took 5.8 s of its 25 s). Elsewhere,
    or when syncfs is missing, an fsync of each file and folder under it. A write-back error
    raises OSError."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs(fd):
            return
    finally:
        os.close(fd)
    for parent, _, names in os.walk(folder):
        for name in names:
            _fsync_path(Path(parent, name))
        _fsync_path(Path(parent))


def sync_entry(path: Path) -> None:
    """Make ``path``'s entry in its folder durable (after a rename into that folder)."""
    with contextlib.suppress(OSError):  # some filesystems refuse an fsync of a folder
        _fsync_path(path.parent)
