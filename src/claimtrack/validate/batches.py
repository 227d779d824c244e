"""The workers' side of a validation run: files checked a batch at a time, in worker processes
when there are many, each claim's cross-record quote checks with it.

When the run also builds the stored tables' rows (:class:`TableRows`, given by the caller from a
layer above), each batch's valid claims are turned into rows where they were checked, before
their models are dropped: one pass over the files validates them and makes the tables.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from claimtrack.exc import WorkersStopped
from claimtrack.handoff import Handoff, received
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.store.files import MAX_RECORD_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import DataFile
from claimtrack.validate.cache import file_key
from claimtrack.validate.cross_record import claim_cross, claim_refs, dependencies, seed_refs
from claimtrack.validate.findings import Finding
from claimtrack.validate.per_file import FileResult, check_file
from claimtrack.validate.seed_texts import SeedText

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves

RowBuilder = Callable[[list[Claim]], Any]  # a module-level function: sent to worker processes


class TableRows(Protocol):
    """What a run that also makes the stored tables is given (built in the tables' layer):
    ``build`` turns a batch's valid claims into rows (in a worker process: it is pickled by
    name), ``add`` takes a batch's rows in the main process, in the order of the claim files,
    which the run checks in id order (their names), ``miss`` says a claim's rows will not come
    from this run (its result came from the cache), and ``finish`` writes the tables once the
    run has passed (``stats``: the listing the run was made from, as Parquet)."""

    @property
    def build(self) -> RowBuilder: ...

    def add(self, rows: Any) -> None: ...  # None: the batch's rows could not be made

    def miss(self) -> None: ...

    def finish(self, seeds: Sequence[SourceDocument], stats: bytes, started_ns: int) -> None: ...


def read_file(file: DataFile) -> bytes | None:
    """The file's bytes, or None when it is not a regular file that can be read."""
    path = file.path
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return read_bounded(path, MAX_RECORD_BYTES)
    except (OSError, FileTooLarge):
        return None  # check_file reports why


@dataclass(frozen=True)
class Context:
    """What every check needs; sent once to each worker process."""

    schemas: dict[str, bytes]
    digests: dict[str, bytes]
    seeds: dict[str, SeedText]
    records: bool
    cached: bool
    claims: frozenset[str] | None = None  # the dataset's claim ids, for `same_as` links
    rows: RowBuilder | None = None  # the stored tables' rows, made from each batch's claims


@dataclass
class Outcome:
    """One file's per-file result plus, for a valid claim, its cross-record findings."""

    result: FileResult
    cross: list[Finding] = field(default_factory=list)
    cross_seeds: dict[str, str] = field(default_factory=dict)
    record_json: str | None = None


@dataclass
class Batch:
    """A batch's outcomes, in order, and the tables' rows of its valid claims when asked."""

    outcomes: list[Outcome]
    rows: Any = None  # None also when they were asked for and could not be made


_WORKER: Context | None = None


def _init_worker(handoff: str) -> None:
    global _WORKER  # noqa: PLW0603 - one context per worker process, set once at start
    _WORKER = received(handoff)


def refs(claim: Claim) -> set[str]:
    """The seeds and claims a claim names."""
    return seed_refs(claim) | claim_refs(claim)


def _check_one(file: DataFile, context: Context) -> Outcome:
    raw = read_file(file)
    result = check_file(file, context.schemas[file.kind], raw)
    if raw is not None:
        content = hashlib.sha256(raw).digest()
        result.digest = file_key(file.kind, file.name, content, context.digests[file.kind])
    outcome = Outcome(result)
    if context.cached and result.record is not None:
        outcome.record_json = result.record.model_dump_json()
    if isinstance(result.record, Claim):
        outcome.cross = claim_cross(file, result.record, context.seeds, context.claims)
        outcome.cross_seeds = dependencies(refs(result.record), context.seeds, context.claims)
    return outcome


def _rows(build: RowBuilder, claims: list[Claim]) -> Any:
    """The tables' rows of a batch's claims; None when they could not be made (the tables
    are a by-product of the run: they never fail the validation)."""
    try:
        return build(claims)
    except Exception:  # whatever went wrong, the tables are left to their first reader
        return None


def check_batch(files: list[DataFile], context: Context | None = None) -> Batch:
    """Check ``files`` (with the worker's context when none is given)."""
    ctx = context or _WORKER
    assert ctx is not None, "worker context not set"
    outcomes = [_check_one(f, ctx) for f in files]
    rows = None
    if ctx.rows is not None:
        rows = _rows(
            ctx.rows, [o.result.record for o in outcomes if isinstance(o.result.record, Claim)]
        )
    if not ctx.records:
        for outcome in outcomes:
            outcome.result.record = None
    return Batch(outcomes, rows)


T = TypeVar("T")
U = TypeVar("U")


def in_order(
    pool: ProcessPoolExecutor, work: Callable[[U], T], items: Iterable[U], ahead: int
) -> Iterator[T]:
    """``work`` done on each item by the pool, the results in the items' order, with at most
    ``ahead`` items in hand: results the caller has not taken yet do not pile up in memory."""
    pending: deque[Future[T]] = deque()
    for item in items:
        pending.append(pool.submit(work, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Workers:
    """Worker processes for checking files, started when first needed and kept for the run
    (one pool across the parts of a large run). At most ``AHEAD`` batches a worker are in
    hand: results a slower main process has not taken yet (the cache's records, the tables'
    rows) do not pile up in its memory."""

    AHEAD = 4

    def __init__(self, context: Context, jobs: int) -> None:
        self.context = context
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self.handoff: Handoff | None = None  # the context: at 10k seeds, more than a pipe holds

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.handoff is not None:
            self.handoff.close()

    def check(self, files: list[DataFile]) -> Iterator[Batch]:
        """Check files, yielding them batch by batch (in order)."""
        total = len(files)
        if self.jobs <= 1 or total < PARALLEL_MIN_FILES:
            for start in range(0, total, 200):
                yield check_batch(files[start : start + 200], self.context)
            return
        size = max(50, min(500, total // (self.jobs * 8)))
        batches = [files[i : i + size] for i in range(0, total, size)]
        try:
            if self.pool is None:
                self.handoff = Handoff(self.context)
                spawn = multiprocessing.get_context("spawn")  # fork is unsafe with Polars' threads
                self.pool = ProcessPoolExecutor(
                    self.jobs,
                    mp_context=spawn,
                    initializer=_init_worker,
                    initargs=(self.handoff.path,),
                )
            yield from in_order(self.pool, check_batch, batches, self.AHEAD * self.jobs)
        except BrokenProcessPool:
            raise WorkersStopped("validation") from None
