"""Handing a large value to a spawned process through a private file, not the start-up pipe.

A spawned process gets its arguments (a pool's ``initargs``, a ``Process``'s ``args``) from a
pipe its parent writes while still holding the reading end. When the child dies before it has
read them all (a script that calls claimtrack without ``if __name__ == "__main__":``: the child
re-runs the script and stops when it tries to start workers of its own), a parent writing more
than the pipe holds (64 KiB on Linux) waits for ever. A :class:`Handoff` puts the value in a
file only this user can read and sends its name instead; the parent then sees the child die and
says why.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


class Handoff:
    """``value`` pickled to a new private temporary file (``path``) until :meth:`close`."""

    def __init__(self, value: Any) -> None:
        fd, self.path = tempfile.mkstemp(prefix="claimtrack-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Remove the file (the processes that read it have it in memory)."""
        Path(self.path).unlink(missing_ok=True)

    def __enter__(self) -> Handoff:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def received(path: str) -> Any:
    """The value a :class:`Handoff` wrote to ``path`` (in the spawned process)."""
    with Path(path).open("rb") as source:  # our own file, made private by mkstemp
        return pickle.load(source)
