"""Writing a release's files into a folder as the claims stream in, in memory bounded by one part.

Claims arrive in chunks, in id order. Their rows are appended to each table's CSV file and to
`claims.jsonl` at once, and kept for the table's Parquet file until a part is full:

- a release of at most ``part_claims`` claims has one Parquet file per table (`claims.parquet`);
- a larger one has a folder per table of parts holding the rows of ``part_claims`` claims each
  (`claims/part-00000.parquet`, ...), listed in the manifest under the table's `parts`.

Rows are sorted by each table's key (which starts with the claim id), so the parts in order are
the table in order, and the same records give the same bytes whatever the chunk size.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polars as pl

from claimtrack._version import VERSION as TOOL_VERSION
from claimtrack.model.identity import DatasetIdentity
from claimtrack.model.records import SCHEMA_VERSION, Claim, SourceDocument
from claimtrack.model.seedlist import SeedList
from claimtrack.release import rights
from claimtrack.release.card import data_card
from claimtrack.release.citation import CITATION_FILE, citation_cff
from claimtrack.release.croissant import croissant
from claimtrack.release.datapackage import datapackage
from claimtrack.release.dcat import dcat
from claimtrack.release.facts import ReleaseFacts, TableFiles, identity_fields
from claimtrack.release.rights import Policy
from claimtrack.store.atomic import FolderSync
from claimtrack.store.layout import Dataset
from claimtrack.store.policies import POLICY_FILES
from claimtrack.store.releases import MANIFEST
from claimtrack.tables.flat_csv import flat_csv
from claimtrack.tables.frames import TABLES, Table

CROISSANT_FILE = "croissant.json"
DCAT_FILE = "dcat.jsonld"
JSON_PIECES = 8_192  # pieces of a JSON file joined and written at a time
PART_CLAIMS = 50_000  # claims per Parquet part; a release with fewer has one file per table


def _seed_id(seed: SourceDocument) -> str:
    return seed.id


class DuplicatePath(ValueError):
    """Two files of the release would have the same path (two seeds' text files)."""


def claim_json(claim: Claim) -> dict[str, Any]:
    """A claim as the JSON record a release stores (and a diff compares)."""
    result: dict[str, Any] = claim.model_dump(mode="json")
    return result


def parquet(frame: pl.DataFrame, target: Path | IO[bytes]) -> None:
    """A table (or a part of one) as released: Snappy, which every Parquet reader reads and
    which decodes faster than zstd (a million claims: ~0.67 s against ~0.78 s, in a fresh
    process; the files are ~1.5 times as large)."""
    frame.rechunk().write_parquet(
        target, compression="snappy", statistics=True, row_group_size=100_000
    )


class _HashedFile:
    """A file written once, front to back, hashed as it is written."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: IO[bytes] = path.open("xb")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self.digest.update(data)
        self.size += len(data)

    def discard(self) -> None:
        """Close after an error, without flushing to disk (the file is removed after)."""
        try:
            self._handle.close()
        except OSError:
            return  # a full disk: the buffered bytes are dropped with the file

    def close(self) -> tuple[int, str]:
        """Close; the size and SHA-256 written. Not synced to disk here: the release syncs its
        whole folder once before it moves it into place (:meth:`ReleaseWriter.sync`)."""
        if not self._handle.closed:
            self._handle.close()
        return self.size, self.digest.hexdigest()


@dataclass
class _TableOut:
    """One table being written: its CSV open for appending, its rows waiting for a part."""

    table: Table
    csv: _HashedFile
    rows: int = 0
    parts: list[str] = field(default_factory=list)
    pending: list[pl.DataFrame] = field(default_factory=list)
    header: bool = True
    parquet_digest: Any = field(default_factory=hashlib.sha256)  # the parts, one after another
    parquet_bytes: int = 0

    def append(self, frame: pl.DataFrame, csv_rows: bytes) -> None:
        """Rows of the table, with their CSV lines (no header: written before the first)."""
        if self.header:
            self.csv.write(flat_csv(frame.clear()).encode("utf-8"))
            self.header = False
        self.csv.write(csv_rows)
        self.rows += frame.height
        self.pending.append(frame)


@dataclass
class RenderedChunk:
    """Claims as a release writes them: made in a worker process, written in the main one."""

    lines: list[tuple[str, bytes]]  # id and `claims.jsonl` line (no newline), in id order
    frames: dict[str, pl.DataFrame]  # the rows of each claim table (not `sources`)
    csv: dict[str, bytes]  # the same rows as CSV lines, without the header
    status: Counter[str]


def render(claims: list[Claim], policy: Policy) -> RenderedChunk:
    """Claims (in id order) as a release publishes them: rows, CSV lines, JSON lines."""
    frames = {n: t.build(claims, []) for n, t in TABLES.items() if n != "sources"}
    frames = rights.tables(frames, claims, policy)
    lines = [
        (
            c.id,
            json.dumps(
                rights.claim_record(c, claim_json(c), policy),
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode("utf-8"),
        )
        for c in claims
    ]
    return RenderedChunk(
        lines,
        frames,
        {n: flat_csv(f, header=False).encode("utf-8") for n, f in frames.items()},
        Counter(c.status.value for c in claims),
    )


def json_pieces(value: Any) -> Iterator[bytes]:
    """``value`` as indented JSON (as `json.dumps(indent=2)` writes it, with a last newline),
    encoded a few thousand pieces at a time: a million claims' manifest lists 200,000 files,
    and its pieces, joined in memory first, made a third of the release's peak."""
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(value):
        pieces.append(piece)
        if len(pieces) >= JSON_PIECES:
            yield "".join(pieces).encode("utf-8")
            pieces.clear()
    yield ("".join(pieces) + "\n").encode("utf-8")


class _InBackground:
    """A job run in a thread of its own while the claims are rendered: the seeds' files, each a
    file to create (20,000 at 100k claims), which waits on the disk more than it computes. Its
    result (or error) is taken by :meth:`result`; :meth:`stop` asks it to stop and waits, so
    that nothing is written after the caller removes the folder."""

    def __init__(self, job: Callable[[threading.Event], dict[str, Any]]) -> None:
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="claimtrack-release")
        self._future: Future[dict[str, Any]] = self._pool.submit(job, self._stop)

    def result(self) -> dict[str, Any]:
        try:
            return self._future.result()
        except BaseException:
            self._stop.set()  # interrupted while waiting: do not write the rest
            raise
        finally:
            self._pool.shutdown()

    def stop(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True)

    def raise_failure(self) -> None:
        """Raise the job's error now when it has failed already (a full disk), so that the
        release stops at once rather than after rendering every claim."""
        if self._future.done() and self._future.exception() is not None:
            self.result()


class ReleaseWriter:
    """The files of one release, written into ``folder`` (a staging folder) claim chunk by chunk.

    Call :meth:`add` (or :meth:`add_rendered`) with the claims in id order, then
    :meth:`finish`. What each seed's rights
    allow decides what of it ships (:mod:`.rights`)."""

    def __init__(
        self,
        folder: Path,
        dataset: Dataset,
        seeds: Sequence[SourceDocument],
        *,
        claims: int,
        part_claims: int = PART_CLAIMS,
        about: DatasetIdentity | None = None,
    ) -> None:
        self.folder, self.dataset, self.about = folder, dataset, about
        self.seeds: Sequence[SourceDocument] = (
            seeds.sorted_by_id() if isinstance(seeds, SeedList) else sorted(seeds, key=_seed_id)
        )
        self.policy = Policy.of(self.seeds)
        self.part_claims = max(1, part_claims)
        self.claims = claims
        self.partitioned = claims > self.part_claims
        folder.mkdir(parents=True, exist_ok=True)
        self._sync = FolderSync(folder)  # before any file: it sees every write-back error
        self._tables = {
            name: _TableOut(table, _HashedFile(folder / f"{name}.csv"))
            for name, table in TABLES.items()
        }
        self._jsonl = _HashedFile(folder / "claims.jsonl")
        self._sizes: dict[str, tuple[int, str]] = {}
        self._seed_sizes: dict[str, tuple[int, str]] = {}  # written by the seeds' thread
        self._pending_claims = 0
        self._last_id: str | None = None
        self._status: Counter[str] = Counter()
        self._seed_files = _InBackground(self._write_seeds)  # last: nothing fails after it

    def add(self, claims: Iterable[Claim]) -> list[tuple[str, bytes]]:
        """Write these claims (following every earlier one in id order); return each one's id
        and its `claims.jsonl` line, in id order. Parts hold ``part_claims`` claims whatever
        the chunks."""
        chunk = sorted(claims, key=lambda c: c.id)
        lines: list[tuple[str, bytes]] = []
        while chunk:
            room = self.room()
            lines += self.add_rendered(render(chunk[:room], self.policy))
            chunk = chunk[room:]
        return lines

    def room(self) -> int:
        """How many more claims the current part takes (any number when not partitioned)."""
        return self.part_claims - self._pending_claims if self.partitioned else 1 << 62

    def add_rendered(self, chunk: RenderedChunk) -> list[tuple[str, bytes]]:
        """Write a rendered chunk of claims (following every earlier one in id order, and no
        more than :meth:`room`); return its ids and `claims.jsonl` lines."""
        if not chunk.lines:
            return []
        if self._last_id is not None and chunk.lines[0][0] <= self._last_id:
            raise ValueError(f"claims out of id order: {chunk.lines[0][0]} after {self._last_id}")
        if len(chunk.lines) > self.room():
            raise ValueError("a chunk of claims crosses a part's boundary")
        self._seed_files.raise_failure()
        self._last_id = chunk.lines[-1][0]
        for name, frame in chunk.frames.items():
            self._tables[name].append(frame, chunk.csv[name])
        self._status.update(chunk.status)
        self._jsonl.write(b"".join(line + b"\n" for _, line in chunk.lines))
        self._pending_claims += len(chunk.lines)
        if self.partitioned and self._pending_claims >= self.part_claims:
            self._flush_parts()
        return chunk.lines

    def _flush_parts(self) -> None:
        for name, out in self._tables.items():
            if name != "sources":
                self._write_part(name, out)
        self._pending_claims = 0

    def _write_part(self, name: str, out: _TableOut) -> None:
        frame = pl.concat(out.pending) if out.pending else out.table.build([], [])
        out.pending = []
        if self.partitioned:
            rel = f"{name}/part-{len(out.parts):05d}.parquet"
            (self.folder / name).mkdir(exist_ok=True)
            out.parts.append(rel)
        else:
            rel = f"{name}.parquet"
        buffer = io.BytesIO()
        parquet(frame, buffer)
        data = buffer.getvalue()
        out.parquet_digest.update(data)
        out.parquet_bytes += len(data)
        self._write(rel, data)

    def finish(self, version: str, date: str, commit: str) -> int:
        """Write the rest: last parts, sources, seeds, data package, card and manifest (the
        caller syncs the folder before publishing it). Returns the number of files."""
        sources = self._tables["sources"]
        frame = sources.table.build([], self.seeds)
        sources.append(frame, flat_csv(frame, header=False).encode("utf-8"))
        for name, out in self._tables.items():
            if out.header:  # no claims: the header alone
                out.append(out.table.build([], []), b"")
            if out.pending or not out.parts or name == "sources":
                self._write_part(name, out)
            self._sizes[f"{name}.csv"] = out.csv.close()
        self._sizes["claims.jsonl"] = self._jsonl.close()
        manifest_seeds = self._seed_files.result()
        self._sizes.update(self._seed_sizes)  # under `seeds/`: no other file is
        self._write_policies()
        self._write_metadata(self._facts(version, date, commit))
        manifest = {
            "name": self.about.name if self.about and self.about.name else None,
            **identity_fields(self.about),
            "version": version,
            "release_date": date,
            "schema_version": SCHEMA_VERSION,
            "claimtrack_version": TOOL_VERSION,
            "polars_version": pl.__version__,
            "source_commit": commit,
            "tables": self._table_info(),
            "seeds": manifest_seeds,
            "files": [
                {"path": path, "bytes": size, "sha256": digest}
                for path, (size, digest) in sorted(self._sizes.items())
            ],
        }
        self._write(MANIFEST, json_pieces(manifest))
        return len(self._sizes) + 1  # and the manifest

    def _facts(self, version: str, date: str, commit: str) -> ReleaseFacts:
        tables = {
            name: TableFiles(
                name,
                out.rows,
                tuple(out.parts) if self.partitioned else (f"{name}.parquet",),
                out.parquet_bytes,
                out.parquet_digest.hexdigest(),
            )
            for name, out in self._tables.items()
        }
        return ReleaseFacts(
            version, date, commit, self.about, self.seeds, self.policy, tables, self._sizes
        )

    def _write_metadata(self, facts: ReleaseFacts) -> None:
        """The release described for each ecosystem (Frictionless, Croissant, DCAT, citation
        managers, dataset hubs), from what has been written; then the card."""
        self._write("datapackage.json", datapackage(facts))
        self._write(CROISSANT_FILE, croissant(facts))
        self._write(DCAT_FILE, dcat(facts))
        cff = citation_cff(facts)
        if cff is not None:
            self._write(CITATION_FILE, cff)
        status = sorted(self._status.items())
        self._write("README.md", data_card(facts, status, partitioned=self.partitioned))

    def discard(self) -> None:
        """Close every file still open, without flushing (after an error, or after
        :meth:`finish`): the staging folder is removed or renamed next."""
        self._seed_files.stop()
        for out in self._tables.values():
            out.csv.discard()
        self._jsonl.discard()
        self._sync.close()

    def sync(self) -> None:
        """Make every file of the release durable (once they are all written: after
        :meth:`finish` and any file the caller adds), before it is moved into place."""
        self._sync.sync()

    def _table_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {}
        for name, out in self._tables.items():
            info[name] = {
                "rows": out.rows,
                "columns": [{"name": c.name, "type": str(c.dtype)} for c in out.table.columns],
            }
            if self.partitioned:
                info[name]["parts"] = out.parts
        return info

    def _write_seeds(self, stop: threading.Event) -> dict[str, Any]:
        """Each seed's metadata, and its texts where its rights allow (two seeds whose files
        would have the same path raise DuplicatePath, from :meth:`_write`). Run in a thread of
        its own from the start (:class:`_InBackground`), into sizes of its own; returns early
        when ``stop`` is set."""
        sources: dict[str, Any] = {}
        sizes = self._seed_sizes
        for seed in self.seeds:
            if stop.is_set():
                break
            meta, text = f"seeds/{seed.id}.meta.json", f"seeds/{seed.text_file}"
            self._write(meta, (seed.model_dump_json(indent=2) + "\n").encode("utf-8"), sizes)
            raw = self.dataset.seed_text_path(seed.text_file).read_bytes()
            sources[seed.id] = rights.manifest_entry(seed, raw)
            if seed.id in self.policy.texts:
                self._write(text, raw, sizes)
                if seed.original_file is not None:
                    original = self.dataset.seed_text_path(seed.original_file).read_bytes()
                    self._write(f"seeds/{seed.original_file}", original, sizes)
        return sources

    def _write_policies(self) -> None:
        """The dataset's methodology and corrections policy, as the release's own copies."""
        for name in POLICY_FILES:
            path = self.dataset.root / name
            if path.is_file() and not path.is_symlink():
                self._write(name, path.read_bytes())

    def _write(
        self,
        rel: str,
        data: bytes | Iterable[bytes],
        sizes: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        """Write a whole file (never one written before: a clash raises DuplicatePath), from
        its bytes or their pieces in order, noted in ``sizes`` (the release's, by default)."""
        sizes = self._sizes if sizes is None else sizes
        if rel in sizes:
            raise DuplicatePath(rel)
        out = _HashedFile(self.folder / rel)
        try:
            for piece in [data] if isinstance(data, bytes) else data:
                out.write(piece)
        finally:
            size_digest = out.close()
        if rel != MANIFEST:
            sizes[rel] = size_digest
