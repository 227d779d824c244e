"""Running a parser within a time and memory budget, in a child process of its own.

Libraries that read what a user brings in (web pages, PDFs, web archives, imported files) can be
kept busy for hours or made to fill memory by a hostile file. :func:`run_bounded` runs one such
step in a spawned child with an address-space limit and a deadline; past either, or when the
child dies (a crash in a parser's C code, told at once), the file is refused with a clear
message (exit 2) and nothing is written.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from claimtrack.exc import InputError
from claimtrack.handoff import Handoff, received

DEADLINE_S = 120.0
MEMORY_MIB = 3072
T = TypeVar("T")


def _limit_memory(mib: int) -> None:
    if sys.platform == "win32":
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mib << 20 if hard == resource.RLIM_INFINITY else min(mib << 20, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(worker: Callable[[Any], Any], handoff: str, memory_mib: int, conn: Any) -> None:
    """The child: run ``worker(job)`` (the job read from ``handoff``) and send back what came
    of it."""
    _limit_memory(memory_mib)
    answer: tuple[Any, ...]
    try:
        answer = ("ok", worker(received(handoff)))
    except InputError as error:
        answer = ("refused", error.message, error.hint)
    except MemoryError:
        answer = ("refused", f"reading it needs more than {memory_mib:,} MiB", "")
    except Exception as error:
        answer = ("refused", f"it cannot be read ({type(error).__name__}: {str(error)[:200]})", "")
    conn.send(answer)
    conn.close()


def run_bounded(
    worker: Callable[[Any], T],
    job: Any,
    *,
    path: Path,
    hint: str,
    deadline_s: float = DEADLINE_S,
    memory_mib: int = MEMORY_MIB,
) -> T:
    """``worker(job)`` in a child process (``worker``: an importable function, ``job`` and its
    result picklable), within ``deadline_s`` seconds and ``memory_mib`` MiB of address space.
    ``path`` and ``hint`` name the file and what to do when it is refused."""
    context = multiprocessing.get_context("spawn")  # no state of this process is shared
    receive, send = context.Pipe(duplex=False)
    with Handoff(job) as handoff:  # a file's bytes: more than the start-up pipe holds
        child = context.Process(target=_child, args=(worker, handoff.path, memory_mib, send))
        child.start()
        send.close()  # the child holds the sending end: its death closes the pipe
        result: T = _answer(child, receive, deadline_s, path=path, hint=hint)
    return result


def _answer(child: Any, receive: Any, deadline_s: float, *, path: Path, hint: str) -> Any:
    """What ``child`` sent back, within ``deadline_s`` seconds."""
    ends = time.monotonic() + deadline_s
    answer: Any = None
    try:
        while answer is None:
            left = ends - time.monotonic()
            if left <= 0:
                raise InputError(
                    f"reading it took more than {deadline_s:g} s; it was stopped",
                    path=path,
                    hint=hint,
                )
            if receive.poll(min(left, 0.5)):
                try:
                    answer = receive.recv()
                except EOFError:
                    answer = ("died",)
            elif not child.is_alive() and not receive.poll(0):
                answer = ("died",)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if answer[0] == "died":
        raise InputError(
            f"reading it stopped its worker process (exit code {child.exitcode})",
            path=path,
            hint=hint,
        )
    if answer[0] == "refused":
        raise InputError(answer[1], path=path, hint=answer[2] or hint)
    return answer[1]
