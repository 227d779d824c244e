"""The metadata of every entry of a dataset's record folders, listed without Polars, and
listed ahead in a child process while the caller imports what it needs.

Listing 120,000 files is one `lstat` each (~0.25 s), and a command's imports take as long
again; in one process they cannot overlap (the interpreter lock), so a command that will
compare the metadata with a kept run starts :class:`Prefetch` first. The child runs this
very module (``python -P``: never a module from the current folder; the caller's flags that
change how names are read or what is imported) and writes its listing to an unnamed temporary
file. Anything but a whole, well-formed listing of that root, made by this module's file with
the caller's file-name encoding, makes the caller list the folders itself: no interpreter to
run, a crash, another claimtrack found first, a child still running after ``WAIT_S``.
"""

from __future__ import annotations

import itertools
import marshal
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from claimtrack.store.layout import SUFFIX

FOLDERS = ("claims", "seeds", "schemas")
# one folder's entries: its path from the root as stored, and per entry its name (as stored),
# size, mtime_ns, inode, ctime_ns and whether it is a regular file (1 or 0; -1 for a folder
# that cannot be read, listed as one entry named "")
FolderEntries = tuple[str, list[str], list[int], list[int], list[int], list[int], list[int]]
TAG = "claimtrack-listing-1"
WAIT_S = 600.0  # a child still listing after this long is stopped (a hung file system)


def storable(name: str) -> str:
    """The name as valid UTF-8: bytes that are not UTF-8 (surrogate escapes) as `\\xNN`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


@dataclass(frozen=True)
class _Folder:
    """A folder to list: its path from the root, as it is and as stored; ``clean`` when every
    name on the way is UTF-8 (else no entry in it counts as a regular file)."""

    real: str
    shown: str
    clean: bool


def list_entries(root: Path) -> Iterator[FolderEntries]:
    """Every entry of `claims/` (with its sub-folders), `seeds/` and `schemas/`, folder by
    folder (links not followed). The sub-folders of `claims/` are entered (not hidden ones,
    nor links, nor one named like a record file), as the claim listing does; a sub-folder of
    `seeds/` or `schemas/` is an entry like any other. A name that is not UTF-8 is stored with
    `\\xNN` escapes and never counts as a regular file."""
    pending = [_Folder(name, name, True) for name in FOLDERS]
    while pending:
        folder = pending.pop()
        try:
            names = os.listdir(root / folder.real)  # noqa: PTH208 - no 100k Path objects
            fd = os.open(root / folder.real, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except FileNotFoundError:
            continue  # a folder that is not there lists nothing (an empty dataset has no seeds)
        except OSError:  # unreadable, or a link: an entry that is always new, so the full run
            yield (folder.shown, [""], [-1], [time.time_ns()], [-1], [-1], [-1])  # reports it
            continue
        try:
            entries = _entries(folder, names, fd, pending)
        finally:
            os.close(fd)
        yield entries


def _lstat_all(names: list[str], fd: int) -> tuple[list[str], list[os.stat_result]]:
    """The entries still there, with their metadata (links not followed)."""
    try:
        return names, [os.lstat(name, dir_fd=fd) for name in names]
    except FileNotFoundError:  # one was removed since the listing: it is not there
        found = []
        for name in names:
            try:
                found.append((name, os.lstat(name, dir_fd=fd)))
            except FileNotFoundError:
                continue
        return [n for n, _ in found], [st for _, st in found]


def _entries(folder: _Folder, names: list[str], fd: int, pending: list[_Folder]) -> FolderEntries:
    """One folder's entries; its sub-folders to enter are appended to ``pending``."""
    names, stats = _lstat_all(names, fd)
    try:
        "\0".join(names).encode("utf-8")
        shown = names
    except UnicodeEncodeError:
        shown = [storable(name) for name in names]
    if folder.real.startswith("claims"):
        enter = {  # only a name that is not a record file's can be a folder to enter
            names[i]: shown[i]
            for i, name in enumerate(names)
            if not name.endswith(SUFFIX)
            and not name.startswith(".")
            and stat.S_ISDIR(stats[i].st_mode)
        }
        if enter:
            pending += [
                _Folder(
                    f"{folder.real}/{name}", f"{folder.shown}/{text}", folder.clean and text == name
                )
                for name, text in sorted(enter.items())
            ]
            kept = [i for i, name in enumerate(names) if name not in enter]
            names, shown = [names[i] for i in kept], [shown[i] for i in kept]
            stats = [stats[i] for i in kept]
    regular = [int(stat.S_ISREG(st.st_mode)) for st in stats]
    if not folder.clean:
        regular = [0] * len(stats)
    elif shown is not names:  # a name that is not UTF-8 is shown escaped: never a regular file
        regular = [r if a == b else 0 for r, a, b in zip(regular, shown, names, strict=True)]
    return (
        folder.shown,
        shown,
        [st.st_size for st in stats],
        [st.st_mtime_ns for st in stats],
        [st.st_ino for st in stats],
        [st.st_ctime_ns for st in stats],
        regular,
    )


_PACKAGES = str(Path(__file__).resolve().parents[2])  # where this claimtrack is imported from
_CHILD = (  # after the standard library (a module there is never shadowed by an installed one)
    "import sys; p = sys.argv[1]; p in sys.path or sys.path.append(p); "
    "from claimtrack.store.listing import main; main()"
)


def _identity() -> tuple[str, str, str, str]:
    """What the caller and the child must share for the listings to be the same: the format,
    this module's file, and how file names are decoded."""
    return (TAG, str(Path(__file__).resolve()), *_name_encoding())


def _name_encoding() -> tuple[str, str]:
    return sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()


def _flags() -> list[str]:
    """The caller's interpreter flags that change what the child imports or how it decodes
    file names."""
    flags = sys.flags
    chosen = ["-I"] if flags.isolated else ["-E"] * bool(flags.ignore_environment)
    chosen += ["-s"] * bool(flags.no_user_site and not flags.isolated)
    return [*chosen, "-X", f"utf8={int(flags.utf8_mode)}"]


class Unusable(Exception):
    """The child gave no usable listing (the caller lists the folders itself)."""


def _runs_python() -> bool:
    """Whether `sys.executable` is a Python interpreter to start a child with: not in a frozen
    application, nor in a host that embeds Python (uwsgi, a web server's module), where it names
    the host's own program."""
    if not sys.executable or getattr(sys, "frozen", False):
        return False
    name = Path(sys.executable).name.lower()
    return name.startswith(("python", "pypy"))


class Prefetch:
    """:func:`list_entries` of ``root`` running in a child process; use as a context manager
    (the child is stopped on the way out if its listing was not taken). The child writes to an
    unnamed temporary file, not a pipe: it never waits for the caller to read, and holds one
    folder's entries at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.started_ns = time.time_ns()  # before any entry is listed (the racy-edit rule)
        self._child: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None
        if not _runs_python():
            return  # no interpreter to run (embedded, or a frozen application)
        try:
            self._out = tempfile.TemporaryFile()  # noqa: SIM115 - kept until the listing is read
            self._child = subprocess.Popen(
                [sys.executable, *_flags(), "-P", "-c", _CHILD, _PACKAGES, os.fsencode(root)],
                stdin=subprocess.DEVNULL,
                stdout=self._out,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError):
            self._close()

    def entries(self) -> Iterator[FolderEntries]:
        """The child's listing, folder by folder (it can be taken once); :class:`Unusable`
        (at any point) if the child gives none, or not a whole and well-formed one."""
        child, out = self._child, self._out
        self._child = None
        try:
            if child is None or out is None or _waited(child) != 0:
                raise Unusable
            out.seek(0)
            if _load(out) != (*_identity(), os.fsencode(self.root)):
                raise Unusable
            while (entry := _load(out)) is not None:
                yield _checked(entry)
        finally:
            self._close(child)

    def _close(self, child: subprocess.Popen[bytes] | None = None) -> None:
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        child, self._child = self._child, None
        self._close(child)


def _waited(child: subprocess.Popen[bytes]) -> int | None:
    """The child's exit status; None if it was stopped for running too long."""
    try:
        return child.wait(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        return None


def _load(stream: IO[bytes]) -> object:
    """One record the child wrote: its length (8 bytes, little-endian), then its marshal."""
    try:
        size = int.from_bytes(_exactly(stream, 8), "little")
        return marshal.loads(_exactly(stream, size))  # our child's (marshal is not for others')
    except (EOFError, ValueError, TypeError, OSError):
        raise Unusable from None


def _exactly(stream: IO[bytes], size: int) -> bytes:
    """``size`` bytes of the file, never more than it holds (a damaged length is no request
    for gigabytes)."""
    if size > os.fstat(stream.fileno()).st_size - stream.tell():
        raise EOFError
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


def _checked(entry: object) -> FolderEntries:
    """One folder's entries as the child wrote them, if they have the shape of one."""
    if not (isinstance(entry, tuple) and len(entry) == 7 and isinstance(entry[0], str)):
        raise Unusable
    if any(not isinstance(column, list) for column in entry[1:]):
        raise Unusable
    if len({len(column) for column in entry[1:]}) != 1:
        raise Unusable
    return entry  # the items' types are checked as the frame is made


def main() -> None:
    """The child: list the root given as the last argument to standard output, a record per
    folder, between a header and an end."""
    root = os.fsencode(sys.argv[-1])
    out = sys.stdout.buffer
    header = (*_identity(), root)
    items = itertools.chain([header], list_entries(Path(os.fsdecode(root))), [None])
    for item in items:  # one folder's entries at a time
        record = marshal.dumps(item)
        out.write(len(record).to_bytes(8, "little") + record)
    out.flush()
