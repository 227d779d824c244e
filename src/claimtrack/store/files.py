"""Reading files with a size limit: the size is checked before reading, and no more than the
limit (plus one byte, to tell) is ever read, whatever the file claims or turns into."""

from __future__ import annotations

from pathlib import Path

MAX_RECORD_BYTES = 1 << 20  # a claim or seed metadata file: a few KB
MAX_SEED_BYTES = 64 << 20  # an archived source text (a LIAR split is 2.4 MB)
MAX_IMPORT_BYTES = 512 << 20  # a file given to `claimtrack import`


class FileTooLarge(Exception):
    """A file over its size limit; ``size`` is at least how large it is."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(f"{path}: {size:,} bytes; the limit is {limit:,}")
        self.path, self.size, self.limit = path, size, limit


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; FileTooLarge past ``limit``, OSError when it cannot be read."""
    with path.open("rb") as handle:
        size = path.stat().st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since the check
        raise FileTooLarge(path, len(data), limit)
    return data
