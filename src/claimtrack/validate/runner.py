"""Validating a dataset: per-file checks (in parallel, cached by content), then cross-record rules.

:func:`validate` never raises on bad data: every problem is a finding in the report.

The run streams: seeds are checked first (cross-record rules need their texts); then claims are
checked in batches, by worker processes when there are many, and each worker also runs the
claim's cross-record quote checks, so a claim's model is dropped as soon as its batch is done
(unless the caller asks for records). With a cache, unchanged files are not parsed again, and a
claim's quote checks are reused while its seeds' texts are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.rulebook import dated_rules
from claimtrack.model.seedlist import SeedList
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.validate.batches import (
    PARALLEL_MIN_FILES,
    Batch,
    Context,
    Outcome,
    TableRows,
    Workers,
    read_file,
    refs,
)
from claimtrack.validate.cache import CachedCross, FileStat, ResultCache, file_key, schema_digest
from claimtrack.validate.committed import schema_bytes
from claimtrack.validate.cross_record import Links, claim_cross, dependencies, duplicate_ids
from claimtrack.validate.dataset_rules import dataset_findings
from claimtrack.validate.findings import Finding
from claimtrack.validate.per_file import FileResult, Record, check_file
from claimtrack.validate.result import ValidationReport
from claimtrack.validate.seed_texts import SeedText, forget_texts, seed_texts

if TYPE_CHECKING:
    import polars as pl

__all__ = ["PARALLEL_MIN_FILES", "Progress", "check_candidate", "validate"]

Progress = Callable[[int, int], None]
PART = 50_000  # files whose cache keys and results are looked up at a time


# ---------------------------------------------------------------- the run


@dataclass
class _Run:
    dataset: Dataset
    cache: ResultCache | None
    context: Context
    hits: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # display path -> key, of files checked
    # the keys of earlier parts of a large run, as frames: a dict of a million keys takes
    # ~230 bytes a file, a frame the strings' bytes
    earlier: list[pl.DataFrame] = field(default_factory=list)
    dated: frozenset[str] = field(default_factory=dated_rules)  # findings never kept
    rows: TableRows | None = None  # the stored tables' rows, made by the workers as they check

    def _set_aside(self) -> None:
        if len(self.seen) >= PART:
            from claimtrack.validate.keys import key_frame  # noqa: PLC0415 - Polars, large runs

            self.earlier.append(key_frame(self.seen))
            self.seen = {}

    def all_keys(self, *, deduplicate: bool = True) -> dict[str, str] | pl.DataFrame:
        """The key of every file checked: a dict, or for a large run a frame (display, key).
        Without ``deduplicate``, the caller knows no file was checked twice (a whole-dataset
        run: a million keys are not hashed again at the end of it)."""
        if not self.earlier:
            return self.seen
        import polars as pl  # noqa: PLC0415

        from claimtrack.validate.keys import key_frame  # noqa: PLC0415

        frames, self.earlier = [*self.earlier, key_frame(self.seen)], []
        self.seen = {}
        if not deduplicate:
            return pl.concat(frames)
        # a file checked twice (named twice) has one key, the last, as in a dict
        return pl.concat(frames).unique("display", keep="last", maintain_order=True)

    def keys(self, files: list[DataFile]) -> dict[str, str]:
        """Cache keys of the regular files, by display path. A file whose metadata is as the
        cache recorded it (and not racily so) is not read: its content digest is reused."""
        stats: dict[str, tuple[DataFile, FileStat]] = {}
        bases: dict[Path, str] = {}
        for file in files:
            where = file.absolute(bases)
            try:
                st = os.lstat(where)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                stats[where] = (file, FileStat.of(st))
        known = self.cache.get_digests({p: s for p, (_, s) in stats.items()}) if self.cache else {}
        keys = {}
        for path, (file, meta) in stats.items():
            content = known.get(path)
            if content is None:
                hashed_ns = time.time_ns()
                raw = read_file(file)
                if raw is None:
                    continue
                content = hashlib.sha256(raw).digest()
                if self.cache:
                    self.cache.put_digest(path, meta, hashed_ns, content)
            digest = self.context.digests[file.kind]
            keys[file.display] = file_key(file.kind, file.name, content, digest)
        return keys

    def record(self, key: str, file: DataFile) -> Record | None:
        """A valid file's model: from the cache, or by checking the file again."""
        stored = self.cache.get_records([key]).get(key) if self.cache else None
        if stored is not None:
            model: type[Record] = Claim if file.kind == "claim" else SourceDocument
            try:
                return model.model_validate_json(stored)
            except (pydantic.ValidationError, ValueError):
                pass  # a damaged entry: check the file itself
        return check_file(file, self.context.schemas[file.kind]).record

    def check(
        self, files: list[DataFile], jobs: int, progress: Progress | None
    ) -> Iterator[Outcome]:
        """Outcomes for ``files``: from the cache where possible, else checked (in parallel).
        A large run goes ``PART`` files at a time, so the cache keys and results looked up at
        once stay bounded whatever the number of files."""
        done, total = 0, len(files)
        with Workers(self.context, jobs) as workers:
            for start in range(0, total, PART):
                for outcome in self._check_part(files[start : start + PART], workers):
                    done += 1
                    if progress and (done % 200 == 0 or done == total):
                        progress(done, total)
                    yield outcome
                self._set_aside()

    def _check_part(self, files: list[DataFile], workers: Workers) -> Iterator[Outcome]:
        keys = self.keys(files) if self.cache else {}
        hits = self.cache.get_files({k: d for d, k in keys.items()}) if self.cache else {}
        crosses = (
            self.cache.get_cross({keys[d]: d for d in keys if keys[d] in hits})
            if self.cache
            else {}
        )
        todo = []
        for file in files:
            key = keys.get(file.display, "")
            hit = hits.get(key)
            if hit is None:
                todo.append(file)
                continue
            self.hits += 1
            self.seen[file.display] = key
            if self.rows is not None and file.kind == "claim":
                self.rows.miss()  # its rows would have to be read back from the cache
            yield self._from_cache(file, key, hit.findings, hit.valid, crosses.get(key))
        del keys, hits, crosses
        listed = iter(todo)
        for batch in workers.check(todo):
            self._rows(batch)
            for outcome in batch.outcomes:
                outcome.result.file = next(listed)  # the listing's own (a worker's is a copy)
                self._store(outcome)
                yield outcome

    def _rows(self, batch: Batch) -> None:
        if self.rows is not None:  # (rows of None: the worker could not make them)
            self.rows.add(batch.rows)

    def _store(self, outcome: Outcome) -> None:
        """Note a checked file's key, and cache its result."""
        result = outcome.result
        if result.digest:
            self.seen[result.file.display] = result.digest
        dated = any(f.rule in self.dated for f in result.findings)
        if self.cache and result.digest and not dated:  # a date stops being future
            self.cache.put_file(result.digest, result.findings, outcome.record_json)
            if result.file.kind == "claim" and result.valid:
                self.cache.put_cross(result.digest, outcome.cross_seeds, outcome.cross)

    def _from_cache(
        self,
        file: DataFile,
        key: str,
        findings: list[Finding],
        valid: bool,
        cross: CachedCross | None,
    ) -> Outcome:
        outcome = Outcome(FileResult(file, findings, None, valid, key))
        needs_record = valid and (self.context.records or file.kind == "seed")
        if valid and file.kind == "claim":
            seeds = self.context.seeds
            claims = self.context.claims
            if cross is not None and cross.seeds == dependencies(set(cross.seeds), seeds, claims):
                outcome.cross, outcome.cross_seeds = cross.findings, cross.seeds
            else:  # a seed changed (or the entry is missing): check the quotes again
                record = self.record(key, file)
                if isinstance(record, Claim):
                    outcome.cross = claim_cross(file, record, seeds, claims)
                    outcome.cross_seeds = dependencies(refs(record), seeds, claims)
                    if self.cache:
                        self.cache.put_cross(key, outcome.cross_seeds, outcome.cross)
                    outcome.result.record = record if self.context.records else None
        if needs_record and outcome.result.record is None:
            outcome.result.record = self.record(key, file)
        return outcome


@dataclass
class _Seeds:
    results: list[FileResult]
    valid: list[tuple[DataFile, SourceDocument]]
    texts: dict[str, SeedText]
    findings: list[Finding]
    schemas: dict[str, bytes]
    digests: dict[str, bytes]


def _seeds(
    dataset: Dataset, cache: ResultCache | None, extra: list[DataFile]
) -> tuple[_Run, _Seeds]:
    """Check the seeds first: cross-record rules need their texts."""
    schema_by_kind = {kind: schema_bytes(dataset, kind) for kind in ("claim", "seed")}
    digests = {kind: schema_digest(value) for kind, value in schema_by_kind.items()}
    run = _Run(dataset, cache, Context(schema_by_kind, digests, {}, True, cache is not None))
    results = [o.result for o in run.check(dataset.seed_files() + extra, 1, None)]
    valid = [
        (r.file, r.record) for r in results if r.valid and isinstance(r.record, SourceDocument)
    ]
    texts, findings = seed_texts(dataset, valid)
    return run, _Seeds(results, valid, texts, findings, schema_by_kind, digests)


def check_candidate(dataset: Dataset, path: Path, raw: bytes) -> list[Finding]:
    """The findings a claim file would have if ``raw`` were written at ``path``: every per-file
    check, its quotes against every seed, and its id against the other claims' (ignoring case).
    Nothing is written or cached."""
    _, seeds = _seeds(dataset, None, [])
    file = DataFile(path, "claim", dataset.display(path))
    result = check_file(file, seeds.schemas["claim"], raw)
    findings = list(result.findings)
    others = [f for f in dataset.claim_files() if f.path.absolute() != path.absolute()]
    if isinstance(result.record, Claim):
        ids = frozenset(f.stem for f in [*others, file])
        findings += claim_cross(file, result.record, seeds.texts, ids)
    findings += [f for f in duplicate_ids([*others, file]) if f.path == file.display]
    return [f for f in findings if f.severity == "error"]


class _Reported:
    """The files a report names: those selected (every file when none was named, without a
    set of a million names)."""

    def __init__(self, names: set[str] | None) -> None:
        self.names = names

    def __contains__(self, name: object) -> bool:
        return self.names is None or name in self.names


@dataclass
class _Claims:
    findings: list[Finding] = field(default_factory=list)
    records: list[Claim] = field(default_factory=list)


def _claims(
    run: _Run, files: list[DataFile], jobs: int, progress: Progress | None
) -> tuple[_Claims, Links]:
    """Every claim file checked (with its quotes): the findings, the models kept, the links."""
    claims, links = _Claims(), Links()
    try:
        for outcome in run.check(files, jobs, progress):
            claims.findings += outcome.result.findings + outcome.cross
            if isinstance(outcome.result.record, Claim):
                claims.records.append(outcome.result.record)
            if outcome.result.file.kind == "claim":
                links.add(outcome.result.file, outcome.result.valid, outcome.cross_seeds)
    finally:
        forget_texts()  # the quotes are checked: the texts read for them are not kept
    return claims, links


def validate(
    dataset: Dataset,
    paths: Sequence[Path] | None = None,
    *,
    jobs: int = 1,
    cache: ResultCache | None = None,
    records: bool = True,
    progress: Progress | None = None,
    rows: TableRows | None = None,
) -> ValidationReport:
    """Validate the dataset, or only ``paths`` in it (cross-record rules still see every seed).

    ``jobs`` worker processes check files in parallel; ``cache`` reuses results of unchanged
    files; ``records=False`` keeps no claim models (for a verdict only, in bounded memory);
    ``rows``: the claims checked also give the stored tables' rows (the whole dataset only;
    the caller finishes the tables once the run has passed).
    """
    selected = dataset.select(paths) if paths is not None else dataset.all_files()
    shown = _Reported({f.display for f in selected} if paths is not None else None)
    extra_seeds = [f for f in selected if f.kind == "seed" and f.path.parent != dataset.seeds_dir]
    run, seeds = _seeds(dataset, cache, extra_seeds)
    findings: list[Finding] = [
        f for r in seeds.results if r.file.display in shown for f in r.findings
    ]
    findings += seeds.findings
    valid_seeds: Sequence[SourceDocument] = [m for _, m in seeds.valid]
    if not records:  # a large run: the seeds' models are not held through it
        valid_seeds = SeedList.of(valid_seeds)
    texts, schema_by_kind, digests = seeds.texts, seeds.schemas, seeds.digests
    del seeds
    everything = dataset.all_files()
    build = rows.build if rows is not None and paths is None else None
    run.context = Context(schema_by_kind, digests, texts, records, cache is not None, rows=build)
    run.rows = rows if build is not None else None
    claim_files = [f for f in selected if f.kind == "claim"]
    if run.rows is not None:  # in id order (a valid claim's id is its file's name): each
        claim_files.sort(key=lambda f: f.stem)  # table's rows then come in key order
    claims, links = _claims(run, claim_files, jobs, progress)
    del claim_files
    findings += claims.findings
    if paths is not None:  # files named outside the listing are compared too
        everything = list({f.display: f for f in everything + selected}.values())
    across = dataset_findings(dataset, everything, shown)
    across += links.findings(everything, shown, whole=paths is None)
    del everything
    if cache:
        cache.commit()
    findings = [f for f in findings if f.path in shown] + across
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return ValidationReport(
        root=dataset.root,
        files=[f.display for f in selected],
        findings=findings,
        claims=claims.records,
        seeds=valid_seeds,
        cache_hits=run.hits,
        file_keys=run.all_keys(deduplicate=paths is not None),  # the whole listing: each file once
        links=links.kept() if paths is None else None,
    )
