"""Validating a dataset: per-file checks (in parallel, cached by content), then cross-record rules.

:func:`validate` never raises on bad data: every problem is a finding in the report. Per-file
checks run on the selected files and on every seed (cross-record rules need the seeds); with a
cache, unchanged files are not parsed again, while cross-record rules still see every record.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack import schema as schemas
from claimtrack.cache import ResultCache, file_key, schema_digest
from claimtrack.checks import FileResult, Record, check_file
from claimtrack.crosscheck import SeedText, claim_cross, duplicate_ids, seed_refs, seed_texts
from claimtrack.dataset import DataFile, Dataset
from claimtrack.findings import Finding
from claimtrack.models import Claim, SourceDocument

Progress = Callable[[int, int], None]
PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves


@dataclass
class ValidationReport:
    """The result of validating a dataset (or some of its files)."""

    root: Path
    files: list[str]
    findings: list[Finding]
    claims: list[Claim] = field(default_factory=list)
    seeds: list[SourceDocument] = field(default_factory=list)
    cache_hits: int = 0

    @property
    def files_checked(self) -> int:
        return len(self.files)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def schema_bytes(dataset: Dataset, kind: str) -> bytes:
    """The dataset's committed schema, or the models' own when the dataset has none."""
    schema = schemas.CLAIM_SCHEMA if kind == "claim" else schemas.SEED_SCHEMA
    try:
        return (dataset.schemas_dir / schema.file_name).read_bytes()
    except OSError:
        return schemas.render(schema)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ---------------------------------------------------------------- per-file stage


@dataclass(frozen=True)
class _Task:
    file: DataFile
    raw: bytes | None
    key: str


def _read(file: DataFile) -> bytes | None:
    """The file's bytes, or None when it is not a regular file that can be read."""
    if file.path.is_symlink() or not file.path.is_file():
        return None
    try:
        return file.path.read_bytes()
    except OSError:
        return None


def _check_batch(tasks: list[_Task], schema_by_kind: dict[str, bytes]) -> list[FileResult]:
    results = []
    for task in tasks:
        result = check_file(task.file, schema_by_kind[task.file.kind], task.raw)
        result.digest = task.key
        results.append(result)
    return results


def _run_checks(
    tasks: list[_Task], schema_by_kind: dict[str, bytes], jobs: int, progress: Progress | None
) -> list[FileResult]:
    total = len(tasks)
    if jobs <= 1 or total < PARALLEL_MIN_FILES:
        results = []
        for start in range(0, total, 200):
            results += _check_batch(tasks[start : start + 200], schema_by_kind)
            if progress:
                progress(len(results), total)
        return results
    size = max(50, min(500, total // (jobs * 8)))
    batches = [tasks[i : i + size] for i in range(0, total, size)]
    results = []
    context = multiprocessing.get_context("spawn")  # fork is unsafe with Polars' threads
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for batch in pool.map(_check_batch, batches, [schema_by_kind] * len(batches)):
            results += batch
            if progress:
                progress(len(results), total)
    return results


def _per_file(
    files: list[DataFile],
    schema_by_kind: dict[str, bytes],
    cache: ResultCache | None,
    jobs: int,
    progress: Progress | None,
) -> tuple[list[FileResult], int]:
    tasks = []
    digests = {kind: schema_digest(value) for kind, value in schema_by_kind.items()}
    for file in files:
        raw = _read(file)
        key = file_key(file.kind, file.path.name, raw, digests[file.kind]) if raw else ""
        tasks.append(_Task(file, raw, key))
    hits = cache.get_files({t.key: t.file.display for t in tasks if t.key}) if cache else {}
    todo = [t for t in tasks if t.key not in hits]
    fresh = {r.file.display: r for r in _run_checks(todo, schema_by_kind, jobs, progress)}
    results = []
    for task in tasks:
        if task.key in hits:
            hit = hits[task.key]
            results.append(FileResult(task.file, hit.findings, None, hit.valid, task.key))
            continue
        result = fresh[task.file.display]
        if cache and task.key:
            cache.put_file(
                task.key,
                result.findings,
                result.record.model_dump_json() if result.record else None,
            )
        results.append(result)
    return results, len(hits)


def _load_records(
    results: list[FileResult], cache: ResultCache | None, schema_by_kind: dict[str, bytes]
) -> None:
    """Fill in the models of valid results served from the cache (they validated before)."""
    missing = [r for r in results if r.valid and r.record is None]
    if not missing or cache is None:
        return
    stored = cache.get_records([r.digest for r in missing])
    for result in missing:
        model: type[Record] = Claim if result.file.kind == "claim" else SourceDocument
        text = stored.get(result.digest)
        if text is not None:
            result.record = model.model_validate_json(text, context={"defer_rules": True})
        else:  # the cache lost the record: check the file again
            again = check_file(result.file, schema_by_kind[result.file.kind])
            result.record, result.valid = again.record, again.valid


# ---------------------------------------------------------------- cross-record stage


def _cross(
    results: list[FileResult],
    seeds: dict[str, SeedText],
    cache: ResultCache | None,
    schema_by_kind: dict[str, bytes],
) -> list[Finding]:
    claims = [r for r in results if r.valid and r.file.kind == "claim"]
    cached = cache.get_cross({r.digest: r.file.display for r in claims}) if cache else {}
    findings: list[Finding] = []
    need = []
    for result in claims:
        hit = cached.get(result.digest)
        now = {sid: seeds[sid].sha256 if sid in seeds else "" for sid in hit.seeds} if hit else {}
        if hit and now == hit.seeds:
            findings += hit.findings
        else:
            need.append(result)
    _load_records(need, cache, schema_by_kind)
    for result in need:
        if not isinstance(result.record, Claim):
            continue
        found = claim_cross(result.file, result.record, seeds)
        findings += found
        if cache:
            refs = seed_refs(result.record)
            cache.put_cross(
                result.digest,
                {sid: seeds[sid].sha256 if sid in seeds else "" for sid in refs},
                found,
            )
    return findings


def _schema_freshness(dataset: Dataset) -> list[Finding]:
    if not dataset.schemas_dir.is_dir():
        return []
    return [
        Finding(
            dataset.display(item.path),
            0,
            0,
            "",
            f"schema.{item.state}",
            "error",
            f"the committed schema is {item.state}: it does not match claimtrack's models",
            "run `claimtrack schema` to regenerate it, and commit the result",
        )
        for item in schemas.status(dataset.root)
        if item.state != "current"
    ]


# ---------------------------------------------------------------- the whole run


def validate(
    dataset: Dataset,
    paths: Sequence[Path] | None = None,
    *,
    jobs: int = 1,
    cache: ResultCache | None = None,
    records: bool = True,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate the dataset, or only ``paths`` in it (cross-record rules still see every seed).

    ``jobs`` worker processes check files in parallel; ``cache`` reuses results of unchanged
    files; ``records=False`` skips loading the models of cached files (for a verdict only).
    """
    selected = dataset.select(paths) if paths is not None else dataset.all_files()
    shown = {f.display for f in selected}
    seed_files = [f for f in dataset.seed_files() if f.display not in shown]
    schema_by_kind = {kind: schema_bytes(dataset, kind) for kind in ("claim", "seed")}
    results, hits = _per_file(selected + seed_files, schema_by_kind, cache, jobs, progress)
    seed_results = [r for r in results if r.file.kind == "seed" and r.valid]
    _load_records(seed_results, cache, schema_by_kind)
    texts, seed_findings = seed_texts(
        dataset, [(r.file, r.record) for r in seed_results if isinstance(r.record, SourceDocument)]
    )
    names = {f.display: f for f in dataset.all_files() + selected}
    mine = [r for r in results if r.file.display in shown]
    cross = seed_findings + duplicate_ids(list(names.values()))
    cross += _cross(mine, texts, cache, schema_by_kind)
    if records:
        _load_records(mine, cache, schema_by_kind)
    if cache:
        cache.commit()
    findings = [f for r in mine for f in r.findings]
    findings += [f for f in cross if f.path in shown]
    findings += _schema_freshness(dataset)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return ValidationReport(
        root=dataset.root,
        files=[f.display for f in selected],
        findings=findings,
        claims=[r.record for r in mine if isinstance(r.record, Claim)],
        seeds=[r.record for r in results if isinstance(r.record, SourceDocument)],
        cache_hits=hits,
    )
