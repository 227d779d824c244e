"""One edit of a dataset at a time, from the moment it reads a file to the moment it renames the
new one into place.

Editing commands (`claim add`, `claim status`, `claim respond`, `seed add`, `fix`, `about`,
`import`) hold `dataset/.edit.lock` (an advisory `flock`) across their read, check and write:
two edits run at once take turns, so the second reads what the first wrote and neither is lost.
An edit that cannot take the lock within :data:`WAIT_S` seconds is refused, nothing written.
The lock is re-entrant within a process (an import that archives its file holds it once).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from claimtrack.exc import InputError

LOCK_NAME = ".edit.lock"
WAIT_S = 60.0
_HELD: dict[str, int] = {}  # lock path -> depth, in this process

P = ParamSpec("P")
R = TypeVar("R")


class EditLocked(InputError):
    """Another edit of the dataset held the lock for longer than :data:`WAIT_S`."""


class _HasRoot(Protocol):
    @property
    def root(self) -> Path: ...


_T = TypeVar("_T", bound=_HasRoot)


@contextlib.contextmanager
def edit_lock(root: Path, wait_s: float = WAIT_S) -> Iterator[None]:
    """Hold the dataset's edit lock (waiting up to ``wait_s`` seconds for it)."""
    folder = root / "dataset"
    path = folder / LOCK_NAME
    key = os.path.realpath(path)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+b")
    except OSError as error:
        raise InputError(
            f"cannot open the dataset's edit lock: {error.strerror or error}",
            path=path,
            hint="check that dataset/ can be written to",
        ) from None
    with handle:
        _acquire(handle.fileno(), path, wait_s)
        _HELD[key] = 1
        try:
            yield
        finally:
            _HELD.pop(key, None)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _acquire(fd: int, path: Path, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise EditLocked(
                    f"another edit of this dataset has held its lock for {wait_s:.0f} s; "
                    "nothing was written",
                    path=path,
                    hint="wait for the other command to finish, then run this one again",
                ) from None
            time.sleep(0.02)


def locked(func: Callable[Concatenate[_T, P], R]) -> Callable[Concatenate[_T, P], R]:
    """Run an edit (whose first argument is the dataset) while holding its edit lock."""

    @functools.wraps(func)
    def run(dataset: _T, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with edit_lock(dataset.root):
            return func(dataset, *args, **kwargs)

    return run
