"""Reading a document to archive within a time and memory budget (:mod:`claimtrack.bounded`):
web pages, PDFs and web archives are parsed in a child process with a deadline of
:data:`DEADLINE_S` seconds and an address-space limit of :data:`MEMORY_MIB` MiB."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from claimtrack.bounded import DEADLINE_S, MEMORY_MIB, run_bounded
from claimtrack.edit.extract import Extracted, extract, kind_of

HINT = "archive the part of the document the claims quote (its text, as a .txt file)"


def _extract(job: tuple[str, bytes, str | None, str | None]) -> Extracted:
    name, raw, encoding, record_url = job
    return extract(Path(name), raw, encoding=encoding, record_url=record_url)


def extract_bounded(
    path: Path,
    raw: bytes,
    *,
    encoding: str | None,
    record_url: str | None,
    deadline_s: float = DEADLINE_S,
    memory_mib: int = MEMORY_MIB,
    worker: Callable[[Any], Extracted] | None = None,
) -> Extracted:
    """:func:`~claimtrack.edit.extract.extract` in a child process, within the budget. Plain
    text, which no parser reads, is decoded here. ``worker``: what the child runs (the
    extraction; another importable function in tests)."""
    if kind_of(path, raw) == "text":
        return extract(path, raw, encoding=encoding, record_url=record_url)
    return run_bounded(
        worker or _extract,
        (str(path), raw, encoding, record_url),
        path=path,
        hint=HINT,
        deadline_s=deadline_s,
        memory_mib=memory_mib,
    )
