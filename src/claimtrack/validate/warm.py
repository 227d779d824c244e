"""A whole dataset's validation kept between runs, so a run where few files changed reads few.

After a full run with the cache, its findings, the cache keys of its files and its valid seeds
are stored in the cache folder (`runs/<dataset>/`), with the metadata of every entry of the
record folders as they were before that run (:mod:`claimtrack.store.stats`). The next run lists
that metadata again, without reading a file:

- nothing changed: the stored findings are the report;
- only claim files changed, were added or removed: those files are checked in full, against the
  seeds they quote (:func:`~claimtrack.validate.focused.validate_claims`); the other files'
  findings are kept; ids are compared across every file again, and the committed schemas too;
- anything else (a seed, a text or a schema changed, another claimtrack version, a damaged or
  missing store): the full run.

A file with a finding that depends on today's date (`model.future-date`) is checked again at
every run.

The report is the one a full run gives, finding for finding. The store is derived data:
anything in it that is not as written is ignored, and the full run is made.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pydantic

from claimtrack._version import VERSION
from claimtrack.model.records import SourceDocument
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.layout import SUFFIX, DataFile, Dataset, RecordKind
from claimtrack.store.stats import Changes, claim_changes, file_stats
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.cross_record import duplicate_ids
from claimtrack.validate.findings import Finding
from claimtrack.validate.focused import validate_claims
from claimtrack.validate.result import ValidationReport
from claimtrack.validate.runner import Progress, schema_freshness, validate

STATE = "run.json"
STATS = "stats.parquet"
SEEDS = pydantic.TypeAdapter(list[SourceDocument])
DATED = ("model.future-date",)  # findings that change with the date: never kept
RECOMPUTED = ("id.duplicate",)  # findings between files: made again at every run
# schemas/ against the models (`schema_freshness`; no per-file rule has these names): the same
FRESHNESS = ("schema.stale", "schema.missing")


def _kept(finding: Finding) -> bool:
    """Whether a finding is kept with the file it is in (not made again at every run: ids
    across files, and the committed schemas against the models)."""
    return finding.rule not in RECOMPUTED and finding.rule not in FRESHNESS


class RunStore:
    """The kept validation of one dataset, as seen from the current folder and named as given
    (findings name files as shown from there: `../data/claims/x.yaml` and
    `/home/u/data/claims/x.yaml` are kept apart)."""

    def __init__(self, cache_dir: Path, dataset: Dataset) -> None:
        shown = dataset.display(dataset.claims_dir)
        where = f"{dataset.root.resolve()}\0{Path.cwd()}\0{shown}"
        where_bytes = where.encode("utf-8", "surrogateescape")
        self.folder = cache_dir / "runs" / hashlib.sha256(where_bytes).hexdigest()[:16]
        self.dataset = dataset

    def load(self) -> tuple[dict[str, Any], pl.DataFrame] | None:
        """The stored run and the metadata it was made from; None unless intact and ours."""
        try:
            state = json.loads((self.folder / STATE).read_bytes())
            raw = (self.folder / STATS).read_bytes()
            if not isinstance(state, dict) or state.get("version") != VERSION:
                return None
            if hashlib.sha256(raw).hexdigest() != state.get("stats"):
                return None
            if not isinstance(state.get("written_ns"), int):
                return None
            return state, pl.read_parquet(io.BytesIO(raw))
        except (OSError, ValueError, RecursionError, pl.exceptions.PolarsError):
            return None

    def save(self, stats: pl.DataFrame, written_ns: int, report: ValidationReport) -> None:
        """Keep ``report`` (a run over the whole dataset) for the next run."""
        buffer = io.BytesIO()
        stats.write_parquet(buffer, compression="lz4")
        state = {
            "version": VERSION,
            "written_ns": written_ns,
            "stats": hashlib.sha256(buffer.getvalue()).hexdigest(),
            "findings": [
                [f.path, f.line, f.column, f.pointer, f.rule, f.severity, f.message, f.hint]
                for f in report.findings
                if _kept(f) and f.rule not in DATED
            ],
            "keys": report.keys,
            "seeds": SEEDS.dump_python(report.seeds, mode="json"),
            "hits": report.cache_hits,
            # files whose findings change with the date: checked again at every run
            "dated": sorted({f.path for f in report.findings if f.rule in DATED}),
        }
        try:
            atomic_write_bytes(self.folder / STATS, buffer.getvalue())
            atomic_write_bytes(self.folder / STATE, json.dumps(state).encode("utf-8"))
        except (OSError, ValueError):
            return  # a store that cannot be written only costs time next run


def validate_dataset(
    dataset: Dataset,
    *,
    jobs: int = 1,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate the whole dataset (keeping no claim models), from the kept run where it can:
    the same report as :func:`~claimtrack.validate.runner.validate` gives."""
    if cache is None:
        return validate(dataset, jobs=jobs, records=False, progress=progress)
    store = RunStore(cache.path.parent, dataset)
    started = time.time_ns()
    stats = file_stats(dataset.root)
    loaded = store.load()
    report = None
    if loaded is not None:
        state, old = loaded
        changes = claim_changes(old, stats, state["written_ns"], dataset.root)
        if changes is not None:
            report = _patched(dataset, state, changes, stats)
            if report is not None and not (changes.paths or changes.removed):
                return report  # nothing changed: the kept run stands as it is
    if report is None:
        report = validate(dataset, jobs=jobs, cache=cache, records=False, progress=progress)
    store.save(stats, started, report)
    return report


def _patched(
    dataset: Dataset, state: dict[str, Any], changes: Changes, stats: pl.DataFrame
) -> ValidationReport | None:
    """The kept run with the changed claim files checked again; None if the store is damaged."""
    try:
        seeds = SEEDS.validate_python(state["seeds"])
        kept = [Finding(*row) for row in state["findings"]]
        keys = dict(state["keys"])
        hits = int(state["hits"])
        dated = set(map(str, state["dated"]))
    except (KeyError, TypeError, ValueError, pydantic.ValidationError):
        return None
    listed = _listed(dataset, stats)  # (path from the root, kind, display), in listing order
    shown = {rel: display for rel, _, display in listed}
    redo = set(changes.changed_rel)
    for rel, kind, display in listed:
        if display in dated:
            if kind != "claim":
                return None  # a seed's finding that changes with the date: the full run
            redo.add(rel)
    prefix = dataset.display(dataset.claims_dir)
    stale = {f"{prefix}/{rel.removeprefix('claims/')}" for rel in changes.removed_rel}
    stale |= {shown[rel] for rel in redo}
    findings = [f for f in kept if f.path not in stale]
    for display in stale:
        keys.pop(display, None)
    if redo:
        paths = {rel: dataset.root / rel for rel in sorted(redo)}
        names = [rel.removeprefix("claims/") for rel, kind, _ in listed if kind == "claim"]
        fresh = validate_claims(dataset, list(paths.values()), names)
        findings += [f for f in fresh.findings if _kept(f)]
        for rel, path in paths.items():
            if path in fresh.claims:
                keys[shown[rel]] = "changed:" + rel  # a key no cache entry has
    findings += duplicate_ids(_clashing(dataset, listed)) + schema_freshness(dataset)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return ValidationReport(
        root=dataset.root,
        files=[display for _, _, display in listed],
        findings=findings,
        seeds=seeds,
        cache_hits=hits - len(stale),
        keys=keys,
    )


def _listed(dataset: Dataset, stats: pl.DataFrame) -> list[tuple[str, RecordKind, str]]:
    """The record files :meth:`Dataset.all_files` lists, from the metadata listing (no Path
    objects): claims by path, then seeds by name, each with its display name."""
    paths = stats["path"]
    out: list[tuple[str, RecordKind, str]] = []
    folders: tuple[tuple[str, RecordKind, str], ...] = (
        ("claims/", "claim", "^claims/.*\\.yaml$"),
        ("seeds/", "seed", "^seeds/[^/]*\\.yaml$"),
    )
    for start, kind, pattern in folders:
        rels = paths.filter(paths.str.contains(pattern)).sort().to_list()
        prefix = dataset.display(dataset.root / start.rstrip("/")) + "/"
        out += [(rel, kind, prefix + rel[len(start) :]) for rel in rels]
    return out


def _clashing(dataset: Dataset, listed: list[tuple[str, RecordKind, str]]) -> list[DataFile]:
    """The files whose ids clash with another's (ignoring case), in listing order."""
    keys = [
        (kind, rel.rsplit("/", 1)[-1].removesuffix(SUFFIX).casefold()) for rel, kind, _ in listed
    ]
    counts = Counter(keys)
    return [
        DataFile(dataset.root / rel, kind, display)
        for (rel, kind, display), key in zip(listed, keys, strict=True)
        if counts[key] > 1
    ]
