"""Reading a document within a time and memory budget.

Web pages, PDFs and web archives are parsed by libraries that a hostile file can keep busy for
hours (a PDF whose pages share one huge content stream) or fill memory with (a page of 150,000
paragraphs). Extraction therefore runs in a child process of its own, with an address-space
limit of :data:`MEMORY_MIB` and a deadline of :data:`DEADLINE_S` seconds; past either, the child
is stopped and the file refused with a clear message (exit 2), nothing written.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.edit.extract import Extracted, extract, kind_of
from claimtrack.exc import InputError

DEADLINE_S = 120.0
MEMORY_MIB = 3072


@dataclass(frozen=True)
class _Failed:
    message: str
    hint: str


def _limit_memory(mib: int) -> None:
    if sys.platform == "win32":
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mib << 20 if hard == resource.RLIM_INFINITY else min(mib << 20, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _run(job: tuple[str, bytes, str | None, str | None, int], conn: Any) -> None:
    """The child: extract, and send the result (or why not) back through ``conn``."""
    name, raw, encoding, record_url, memory_mib = job
    _limit_memory(memory_mib)
    result: Extracted | _Failed
    try:
        result = extract(Path(name), raw, encoding=encoding, record_url=record_url)
    except InputError as error:
        result = _Failed(error.message, error.hint)
    except MemoryError:
        result = _Failed(
            f"reading the document needs more than {memory_mib:,} MiB",
            "archive the part of the document the claims quote (its text, as a .txt file)",
        )
    except Exception as error:
        result = _Failed(
            f"the document cannot be read ({type(error).__name__}: {str(error)[:200]})",
            "check the file; archive its text as a .txt file if it cannot be read",
        )
    conn.send(result)
    conn.close()


def extract_bounded(
    path: Path,
    raw: bytes,
    *,
    encoding: str | None,
    record_url: str | None,
    deadline_s: float = DEADLINE_S,
    memory_mib: int = MEMORY_MIB,
    worker: Callable[[Any, Any], None] | None = None,
) -> Extracted:
    """:func:`~claimtrack.edit.extract.extract` in a child process, within the budget. Plain
    text, which no parser reads, is decoded here. A child that dies (a crash in a parser's C
    code) is told at once, not at the deadline. ``worker``: what the child runs (the extraction;
    another importable function in tests)."""
    if kind_of(path, raw) == "text":
        return extract(path, raw, encoding=encoding, record_url=record_url)
    context = multiprocessing.get_context("spawn")  # no state of this process is shared
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=worker or _run, args=((str(path), raw, encoding, record_url, memory_mib), send)
    )
    child.start()
    send.close()  # the child holds the sending end: its death closes the pipe
    ends = time.monotonic() + deadline_s
    result: Any = None
    try:
        while result is None:
            left = ends - time.monotonic()
            if left <= 0:
                raise InputError(
                    f"reading the document took more than {deadline_s:g} s; it was stopped",
                    path=path,
                    hint="archive the part of the document the claims quote (its text, as a "
                    ".txt file)",
                )
            if receive.poll(min(left, 0.5)):
                try:
                    result = receive.recv()
                except EOFError:
                    raise InputError(
                        f"reading the document stopped its worker process (exit code "
                        f"{child.exitcode})",
                        path=path,
                        hint="archive the document's text as a .txt file",
                    ) from None
            elif not child.is_alive() and not receive.poll(0):
                raise InputError(
                    f"reading the document stopped its worker process (exit code {child.exitcode})",
                    path=path,
                    hint="archive the document's text as a .txt file",
                )
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if isinstance(result, _Failed):
        raise InputError(result.message, path=path, hint=result.hint)
    assert isinstance(result, Extracted)
    return result
