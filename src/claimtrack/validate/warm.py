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

import contextlib
import hashlib
import io
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pydantic

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.rulebook import dated_rules
from claimtrack.model.seedlist import SeedList, seed_lines
from claimtrack.store.atomic import atomic_write_bytes, atomic_write_with
from claimtrack.store.fingerprint import validation_code
from claimtrack.store.layout import SUFFIX, DataFile, Dataset, RecordKind
from claimtrack.store.listing import Prefetch
from claimtrack.store.stats import (
    Changes,
    claim_changes,
    clashing_paths,
    file_stats_while,
    record_files,
)
from claimtrack.validate.batches import TableRows
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.cross_record import link_findings
from claimtrack.validate.dataset_rules import dataset_findings, kept_with_its_file
from claimtrack.validate.findings import Finding
from claimtrack.validate.focused import validate_claims
from claimtrack.validate.kept_claims import CHANGED
from claimtrack.validate.keys import KEY_SCHEMA, key_frame
from claimtrack.validate.result import ValidationReport
from claimtrack.validate.runner import Progress, validate

STATE = "run.json"
STATS = "stats.parquet"
KEYS = "keys.parquet"  # the cache key of every file (display name, key)
SEED_FILE = "seeds.jsonl"  # the valid seeds, as JSON Lines
FORMER_SEED_FILE = "seeds.json"  # the seeds as one JSON array, as earlier versions kept them


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

    def load(self) -> KeptRun | None:
        """The stored run and the metadata it was made from; None unless intact and ours."""
        try:
            state = json.loads((self.folder / STATE).read_bytes())
            if not isinstance(state, dict) or state.get("code") != validation_code():
                return None
            if not isinstance(state.get("written_ns"), int):
                return None
            raw = {name: self._read(name, state.get(name)) for name in (STATS, KEYS, SEED_FILE)}
            if any(data is None for data in raw.values()):
                return None
            keys = pl.read_parquet(io.BytesIO(raw[KEYS] or b""))
            if keys.schema != KEY_SCHEMA:
                return None
            return KeptRun(
                state,
                pl.read_parquet(io.BytesIO(raw[STATS] or b"")),
                keys,
                raw[SEED_FILE] or b"",
                state[SEED_FILE],
            )
        except (OSError, ValueError, RecursionError, pl.exceptions.PolarsError):
            return None

    def _read(self, name: str, sha: object) -> bytes | None:
        """A file of the run, if its hash is the one the state names."""
        data = (self.folder / name).read_bytes()
        return data if hashlib.sha256(data).hexdigest() == sha else None

    def save(
        self,
        stats: pl.DataFrame | bytes,
        written_ns: int,
        report: ValidationReport,
        kept: tuple[pl.DataFrame, str] | None = None,
    ) -> None:
        """Keep ``report`` (a run over the whole dataset) for the next run. ``kept``: the run
        was patched from the kept one: its cache keys (the report's may be left out), and the
        hash of the kept seeds' file, kept as it is (only claims changed)."""
        made: dict[str, Callable[[Path], None]] = {
            STATS: lambda path: _stats_file(stats, path),
            KEYS: lambda path: _parquet_file(
                kept[0] if kept is not None else key_frame(report.file_keys), path
            ),
        }
        if kept is None:
            made[SEED_FILE] = lambda path: _lines_file(report.seeds, path)
        hashes = {}
        for name, write in made.items():  # each written to its file as it is made: a million
            digest = self._write_with(name, write)  # keys' Parquet is never held as bytes
            if digest is None:
                return  # a store that cannot be written only costs time next run
            hashes[name] = digest
        dated = dated_rules()
        state = {
            "code": validation_code(),  # version and code: a rule changed re-checks all
            "written_ns": written_ns,
            **hashes,
            "findings": [
                [f.path, f.line, f.column, f.pointer, f.rule, f.severity, f.message, f.hint]
                for f in report.findings
                if kept_with_its_file(f) and f.rule not in dated
            ],
            "hits": report.cache_hits,
            "links": report.links or {},
            # files whose findings change with the date: checked again at every run
            "dated": sorted({f.path for f in report.findings if f.rule in dated}),
        }
        if kept is not None:
            state[SEED_FILE] = kept[1]
        self._write(STATE, json.dumps(state).encode("utf-8"))  # last: it names the others
        with contextlib.suppress(OSError):
            (self.folder / FORMER_SEED_FILE).unlink(missing_ok=True)

    def _write(self, name: str, data: bytes) -> bool:
        try:
            atomic_write_bytes(self.folder / name, data)
        except (OSError, ValueError):
            return False
        return True

    def _write_with(self, name: str, write: Callable[[Path], None]) -> str | None:
        """Write a file of the run by ``write`` (atomically); its SHA-256, or None if the
        store cannot be written."""
        try:
            return atomic_write_with(self.folder / name, write)
        except (OSError, ValueError, pl.exceptions.PolarsError):
            return None


@dataclass(frozen=True)
class KeptRun:
    """A kept run: its state, the metadata listing it was made from, the cache key of every
    file (columns display, key), and its valid seeds (JSON, and the file's hash)."""

    state: dict[str, Any]
    stats: pl.DataFrame
    keys: pl.DataFrame
    seeds: bytes
    seeds_sha: str


def _stats_file(stats: pl.DataFrame | bytes, path: Path) -> None:
    if isinstance(stats, bytes):
        path.write_bytes(stats)
    else:
        _parquet_file(stats, path)


def _parquet_file(frame: pl.DataFrame, path: Path) -> None:
    frame.write_parquet(path, compression="lz4")


def _lines_file(seeds: Sequence[SourceDocument], path: Path) -> None:
    with path.open("wb") as handle:
        handle.writelines(seed_lines(seeds))


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="lz4")
    return buffer.getvalue()


def validate_dataset(
    dataset: Dataset,
    *,
    jobs: int = 1,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    details: bool = True,
    prefetch: Prefetch | None = None,
    rows: TableRows | None = None,
) -> ValidationReport:
    """Validate the whole dataset (keeping no claim models), from the kept run where it can:
    the same report as :func:`~claimtrack.validate.runner.validate` gives. Without ``details``,
    a report from the kept run may leave out the valid seeds and the cache keys (what reading
    the claims needs; the findings do not). ``prefetch``: the listing of the dataset's files,
    started in a child process before the caller's imports (the CLI's)."""
    if cache is None:
        return validate(dataset, jobs=jobs, records=False, progress=progress)
    if dataset.texts_dir is not None:
        # texts kept outside the repository may change where no listing of the dataset sees
        # it: a full run, every text hashed again (each file still served from the cache)
        return validate(dataset, jobs=jobs, cache=cache, records=False, progress=progress)
    store = RunStore(cache.path.parent, dataset)
    if prefetch is not None and prefetch.root != dataset.root:
        prefetch = None  # another folder's listing
    started = time.time_ns() if prefetch is None else prefetch.started_ns
    stats, run = file_stats_while(dataset.root, store.load, prefetch)
    changes = None
    if run is not None:
        changes = claim_changes(run.stats, stats, run.state["written_ns"], dataset.root)
    if run is not None and changes is not None:
        patched = _patched(dataset, run, changes, stats, details)
        if patched is not None:
            report, keys = patched
            if changes.paths or changes.removed:  # (nothing changed: the kept run stands)
                store.save(stats, started, report, (keys, run.seeds_sha))
            return report
    # a full run: the kept one's frames are let go, and the listing is kept as its Parquet
    del run
    listing = _parquet(stats)
    del stats
    return _full(dataset, store, (listing, started), jobs, cache, progress, rows)


def _full(
    dataset: Dataset,
    store: RunStore,
    listed: tuple[bytes, int],
    jobs: int,
    cache: ResultCache,
    progress: Progress | None,
    rows: TableRows | None,
) -> ValidationReport:
    """The full run, kept for the next (``listed``: the listing it is made from, as Parquet,
    and when it started); with ``rows``, the stored tables too, when it passes."""
    report = validate(dataset, jobs=jobs, cache=cache, records=False, progress=progress, rows=rows)
    report.file_keys = key_frame(report.file_keys)  # the dict of a million keys is let go
    store.save(listed[0], listed[1], report)
    if rows is not None and report.ok:
        rows.finish(report.seeds, *listed)
    return report


def _patched(
    dataset: Dataset, run: KeptRun, changes: Changes, stats: pl.DataFrame, details: bool
) -> tuple[ValidationReport, pl.DataFrame] | None:
    """The kept run with the changed claim files checked again, and its cache keys; None if
    the store is damaged. Without ``details``, the report leaves out seeds and keys."""
    try:
        seeds: Sequence[SourceDocument] = SeedList.from_lines(run.seeds) if details else []
        kept = [Finding(*row) for row in run.state["findings"]]
        hits = int(run.state["hits"])
        dated = set(map(str, run.state["dated"]))
        links = {str(k): set(map(str, v)) for k, v in run.state["links"].items()}
    except (
        KeyError, TypeError, ValueError, AttributeError, RecursionError, pydantic.ValidationError
    ):  # fmt: skip
        return None
    parts = _listed(dataset, stats)  # claims, then seeds: paths from the root, in order
    claims = parts[0]
    redo = set(changes.changed_rel)
    for display in dated:
        for part in parts:
            rel = part.rel(display)
            if rel is not None and rel in part.members():
                if part.kind != "claim":
                    return None  # a seed's finding that changes with the date: the full run
                redo.add(rel)
    stale = {claims.display(rel) for rel in changes.removed_rel}
    stale |= {claims.display(rel) for rel in redo}
    findings = [f for f in kept if f.path not in stale]
    fresh_findings, fresh_claims, added = _checked_again(dataset, claims, redo)
    findings += fresh_findings
    clashing = [f for part in parts for f in part.clashing(dataset)]
    findings += dataset_findings(dataset, clashing)
    links = _links_now(links, redo | set(changes.removed_rel), fresh_claims)
    findings += _same_as(dataset, claims, links, findings)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    keys = run.keys
    if stale:
        keys = keys.filter(~pl.col("display").is_in(sorted(stale)))
    if added:
        more = pl.DataFrame({"display": list(added), "key": list(added.values())}, KEY_SCHEMA)
        keys = pl.concat([keys, more])
    report = ValidationReport(
        root=dataset.root,
        files=[display for part in parts for display in part.displays()],
        findings=findings,
        seeds=seeds,
        cache_hits=hits - len(stale),
        file_keys=keys if details else {},
        seed_lines=None if details else run.seeds,
        links={k: sorted(v) for k, v in sorted(links.items())},
    )
    return report, keys


def _checked_again(
    dataset: Dataset, claims: _FolderListing, redo: set[str]
) -> tuple[list[Finding], list[Claim], dict[str, str]]:
    """The claim files ``redo`` checked again: their findings kept with them, their valid
    claims, and a cache key for each valid one (`changed:`, which no cache entry has)."""
    if not redo:
        return [], [], {}
    paths = {rel: dataset.root / rel for rel in sorted(redo)}
    names = [rel.removeprefix(claims.start) for rel in claims.rels]
    fresh = validate_claims(dataset, list(paths.values()), names)
    added = {
        claims.display(rel): CHANGED + rel for rel, path in paths.items() if path in fresh.claims
    }
    return [f for f in fresh.findings if kept_with_its_file(f)], list(fresh.claims.values()), added


def _stem(rel: str) -> str:
    return rel[rel.rfind("/") + 1 : -len(SUFFIX)]


def _links_now(
    kept: dict[str, set[str]], stale: set[str], fresh: list[Claim]
) -> dict[str, set[str]]:
    """The kept run's `same_as` links, less those of the files checked again or removed, plus
    those of the claims checked again that are valid."""
    gone = {_stem(rel) for rel in stale}
    links = {k: v for k, v in kept.items() if k not in gone}
    links.update({c.id: set(c.same_as) for c in fresh if c.same_as})
    return links


def _same_as(
    dataset: Dataset,
    claims: _FolderListing,
    links: dict[str, set[str]],
    findings: list[Finding],
) -> list[Finding]:
    """The `same_as` findings of the whole dataset (:func:`link_findings`), made again at
    every run from the links kept with the run."""
    if not links:
        return []
    files = {
        _stem(rel): DataFile(dataset.root / rel, "claim", claims.display(rel))
        for rel in claims.rels
    }
    broken = {f.path for f in findings if f.severity == "error"}
    valid = {k for k, f in files.items() if f.display not in broken}
    return link_findings(files, links, valid)


@dataclass
class _FolderListing:
    """The record files of one folder in the listing: their paths from the root (`claims/x.yaml`)
    in listing order, with how they are shown (display names)."""

    start: str  # `claims/` or `seeds/`
    kind: RecordKind
    prefix: str  # how `start` is shown, with its `/`
    rels: list[str]
    clashes: list[str]  # those whose ids another's equals, ignoring case (in the same order)
    _members: set[str] | None = None

    def display(self, rel: str) -> str:
        return self.prefix + rel[len(self.start) :]

    def displays(self) -> list[str]:
        prefix, cut = self.prefix, len(self.start)
        return [prefix + rel[cut:] for rel in self.rels]

    def rel(self, display: str) -> str | None:
        """The path from the root of a display name of this folder (if it is one)."""
        return self.start + display[len(self.prefix) :] if display.startswith(self.prefix) else None

    def members(self) -> set[str]:
        if self._members is None:
            self._members = set(self.rels)
        return self._members

    def clashing(self, dataset: Dataset) -> list[DataFile]:
        """The files whose ids clash with another's of this folder (ignoring case), in order."""
        return [DataFile(dataset.root / rel, self.kind, self.display(rel)) for rel in self.clashes]


def _listed(dataset: Dataset, stats: pl.DataFrame) -> list[_FolderListing]:
    """The record files :meth:`Dataset.all_files` lists, from the metadata listing (no Path
    objects): claims by path, then seeds by name."""
    folders: tuple[tuple[str, RecordKind], ...] = (("claims", "claim"), ("seeds", "seed"))
    listed = []
    for folder, kind in folders:
        paths = record_files(stats, folder)
        clashes = clashing_paths(paths)  # before the list of paths: its peak is not added
        shown = dataset.display(dataset.root / folder) + "/"
        listed.append(_FolderListing(f"{folder}/", kind, shown, paths.to_list(), clashes))
    return listed
