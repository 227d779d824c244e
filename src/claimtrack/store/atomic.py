"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The new file gets the mode of the file it replaces, or, for a new file, the mode the user's
umask gives (`0666 & ~umask`), as a plain `open()` would: never the `0600` of a temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
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


def _kernel_reports_errors() -> bool:
    """Whether syncfs(2) reports write-back errors: Linux 5.8 and later (before, it fails only
    for a bad file descriptor, and a failed write-back would go unseen)."""
    if not sys.platform.startswith("linux"):
        return False
    numbers = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return numbers is not None and (int(numbers[1]), int(numbers[2])) >= (5, 8)


_NO_SYNCFS = {errno.ENOSYS, errno.EPERM, errno.EINVAL, errno.EOPNOTSUPP}


def _syncfs(fd: int) -> bool:
    """syncfs(2) of the filesystem holding ``fd``: True when it ran and succeeded, False when
    it cannot be used here (not Linux 5.8+, no ctypes, refused by a sandbox); OSError when it
    reports a write-back error since ``fd`` was opened."""
    if not _kernel_reports_errors():
        return False
    try:
        import ctypes  # noqa: PLC0415 - only when a release is synced

        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (ImportError, OSError, AttributeError):
        return False
    if call(fd) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_SYNCFS:
        return False
    raise OSError(code, os.strerror(code))


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _raise(error: OSError) -> None:
    raise error


class FolderSync:
    """Makes every file written under a folder durable, and the folder's own entries, with
    one call to :meth:`sync` once they are written.

    Open it before the first file is written: on Linux 5.8+ it is one syncfs(2) of the
    filesystem, which reports any write-back error since then (a release of 100k claims writes
    20,000 files; an fsync each took 5.8 s of a 34 s profiled release). Elsewhere (or when
    syncfs is refused), an fsync of each file and folder under it. An error raises OSError.
    syncfs also flushes whatever else waits to be written on that filesystem."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = os.open(folder, os.O_RDONLY)

    def sync(self) -> None:
        if self._fd is not None and _syncfs(self._fd):
            return
        for parent, _, names in os.walk(self.folder, onerror=_raise):
            for name in names:
                _fsync_path(Path(parent, name))
            _fsync_path(Path(parent))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def sync_entry(path: Path) -> None:
    """Make ``path``'s entry in its folder durable (after a rename into that folder)."""
    try:
        _fsync_path(path.parent)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF):
            raise  # a write-back error; some filesystems refuse an fsync of a folder
