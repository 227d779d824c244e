"""Writing an archived source's files: its text, its original, then its metadata, each one
atomically. The metadata comes last, so a seed is listed only once its files are whole; files
left by an interrupted write are what `validate` reports as `seed.orphan`."""

from __future__ import annotations

from pathlib import Path

from claimtrack.store.atomic import atomic_write_bytes


def write_seed_files(
    meta_path: Path, record: bytes, files: dict[Path, bytes], *, keep_existing: bool = False
) -> None:
    """Write ``files`` (path -> bytes), then the metadata ``record`` at ``meta_path``. With
    ``keep_existing``, a file already there is left as it is (an import run again: its name
    is the digest of its bytes)."""
    for path, data in files.items():
        if not (keep_existing and path.exists()):
            atomic_write_bytes(path, data)
    if not (keep_existing and meta_path.exists()):
        atomic_write_bytes(meta_path, record)
