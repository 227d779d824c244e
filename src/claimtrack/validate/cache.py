"""A content-addressed cache of per-file results, so unchanged files are not re-parsed.

Keys are SHA-256 digests of everything a per-file result depends on: claimtrack's version, the
schema's bytes, the record kind, the file name and the file's bytes. Cross-record results of a
claim are stored with the SHA-256 of every seed text they were computed against, and reused
only while those seeds are unchanged.

The cache is one SQLite database, by default `$XDG_CACHE_HOME/claimtrack/validate.sqlite3`
(`~/.cache/claimtrack/...`), or under `$CLAIMTRACK_CACHE_DIR` or `--cache-dir`. It holds JSON
only (no pickles), and a damaged cache is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.store.fingerprint import validation_code
from claimtrack.validate.findings import Finding

FILE_NAME = "validate.sqlite3"
BATCH = 2000  # pending writes kept in memory before they are committed
# A file's content digest is reused from its metadata (size, mtime, inode, ctime) only when it
# was last modified well before it was hashed: a write within this margin of the hashing (the
# same timestamp tick) could leave the metadata unchanged (git's "racy clean" rule).
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class FileStat:
    """What the file system says of a file, to tell whether it changed without reading it."""

    size: int
    mtime_ns: int
    ino: int
    ctime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def default_dir() -> Path:
    if "CLAIMTRACK_CACHE_DIR" in os.environ:
        return Path(os.environ["CLAIMTRACK_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claimtrack"


def schema_digest(schema_bytes: bytes) -> bytes:
    return hashlib.sha256(schema_bytes).digest()


def file_key(kind: str, name: str, content_sha: bytes, schema_sha: bytes) -> str:
    """The key of a per-file result: the code that checks it (claimtrack's version and the
    digest of its validation code), the schema (``schema_sha``, see :func:`schema_digest`), the
    kind and name of the file and its content's SHA-256."""
    h = hashlib.sha256()
    for part in (
        validation_code().encode(),
        schema_sha,
        kind.encode(),
        name.encode("utf-8", "surrogateescape"),
        content_sha,
    ):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _pack(findings: Iterable[Finding]) -> str:
    return json.dumps(
        [[f.line, f.column, f.pointer, f.rule, f.severity, f.message, f.hint] for f in findings],
        ensure_ascii=False,
    )


class Damaged(ValueError):
    """A cache entry that is not what this module writes: it is ignored, never trusted."""


def _unpack(text: Any, path: str) -> list[Finding]:
    """Findings read back, each field checked: anything else means a damaged entry."""
    rows = json.loads(text) if isinstance(text, str) else None
    if not isinstance(rows, list):
        raise Damaged("findings are not a list")
    findings = []
    for row in rows:
        if not (
            isinstance(row, list)
            and len(row) == 7
            and all(isinstance(v, int) and not isinstance(v, bool) for v in row[:2])
            and all(isinstance(v, str) for v in row[2:])
            and row[4] in ("error", "warning")
        ):
            raise Damaged("a finding has the wrong shape")
        findings.append(Finding(path, *row))
    return findings


def _seed_digests(text: Any) -> dict[str, str]:
    seeds = json.loads(text) if isinstance(text, str) else None
    if not isinstance(seeds, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in seeds.items()
    ):
        raise Damaged("seed digests are not a mapping of text to text")
    return seeds


@dataclass(frozen=True)
class CachedFile:
    findings: list[Finding]
    valid: bool


@dataclass(frozen=True)
class CachedCross:
    seeds: dict[str, str]
    findings: list[Finding]


def _text(raw: bytes) -> str:
    return raw.decode("utf-8")  # UnicodeDecodeError (a ValueError) on damaged bytes


class ResultCache:
    """Per-file and cross-record results by key. Writes are batched in one transaction."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self._files: list[tuple[str, str, int, str | None]] = []
        self._cross: list[tuple[str, str, str]] = []
        self._stats: list[tuple[str, int, int, int, int, int, str]] = []
        self._spans: list[tuple[str, str]] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=5)
            self._db.text_factory = _text  # damaged bytes are a damaged entry, not a crash
            self._db.executescript(
                "PRAGMA journal_mode=WAL;"
                "CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, findings TEXT NOT NULL,"
                " valid INTEGER NOT NULL, record TEXT);"
                "CREATE TABLE IF NOT EXISTS cross (key TEXT PRIMARY KEY, seeds TEXT NOT NULL,"
                " findings TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                " mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,"
                " hashed_ns INTEGER NOT NULL, sha256 TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS spans (key TEXT PRIMARY KEY, spans TEXT NOT NULL);"
            )
        except (OSError, sqlite3.Error):
            self._db = None  # an unusable cache is no cache: validation goes on without it

    def _rows(
        self, table: str, columns: str, keys: list[str], key: str = "key"
    ) -> Iterator[tuple[Any, ...]]:
        if self._db is None:
            return
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                yield from self._db.execute(
                    f"SELECT {key}, {columns} FROM {table} WHERE {key} IN ({marks})",
                    chunk,
                )
        except (sqlite3.Error, ValueError):
            return  # a damaged database: what was read before is checked row by row

    def get_files(self, keys: dict[str, str]) -> dict[str, CachedFile]:
        """Cached per-file results for {key: display path}."""
        found = {}
        for key, findings, valid in self._rows("files", "findings, valid", list(keys)):
            try:
                if not isinstance(valid, int):
                    raise Damaged("valid is not a number")
                found[key] = CachedFile(_unpack(findings, keys[key]), bool(valid))
            except (ValueError, TypeError, RecursionError):
                continue
        return found

    def get_records(self, keys: list[str]) -> dict[str, str]:
        """The records' JSON, for cached valid files whose models are needed."""
        rows = self._rows("files", "record", keys)
        return {key: record for key, record in rows if isinstance(record, str) and record}

    def get_cross(self, keys: dict[str, str]) -> dict[str, CachedCross]:
        found = {}
        for key, seeds, findings in self._rows("cross", "seeds, findings", list(keys)):
            try:
                found[key] = CachedCross(_seed_digests(seeds), _unpack(findings, keys[key]))
            except (ValueError, TypeError, RecursionError):
                continue
        return found

    def get_spans(self, keys: list[str]) -> dict[str, str]:
        """What each claim publishes of the `quotes_only` seeds it names, as kept (JSON text, by
        the claim's key; see :class:`claimtrack.validate.budget.ClaimSpans`)."""
        return {k: v for k, v in self._rows("spans", "spans", keys) if isinstance(v, str)}

    def put_spans(self, key: str, spans_json: str) -> None:
        self._spans.append((key, spans_json))
        if len(self._spans) >= BATCH:
            self.commit()

    def get_digests(self, stats: dict[str, FileStat]) -> dict[str, bytes]:
        """Content digests of files whose metadata is as recorded and that were hashed well
        after their last change; {absolute path: SHA-256}."""
        found = {}
        columns = "size, mtime_ns, ino, ctime_ns, hashed_ns, sha256"
        rows = self._rows("stats", columns, list(stats), key="path")
        for path, size, mtime, ino, ctime, hashed, sha in rows:
            try:
                recorded = FileStat(int(size), int(mtime), int(ino), int(ctime))
                if recorded == stats[path] and mtime + RACY_NS < int(hashed):
                    found[path] = bytes.fromhex(sha)
            except (ValueError, TypeError):
                continue
        return found

    def put_digest(self, path: str, stat: FileStat, hashed_ns: int, sha: bytes) -> None:
        self._stats.append(
            (path, stat.size, stat.mtime_ns, stat.ino, stat.ctime_ns, hashed_ns, sha.hex())
        )
        if len(self._stats) >= 10 * BATCH:  # bounded memory: a cold run hashes every file
            self.commit()

    def put_file(self, key: str, findings: list[Finding], record_json: str | None) -> None:
        self._files.append((key, _pack(findings), record_json is not None, record_json))
        if len(self._files) >= BATCH:  # bounded memory on large datasets
            self.commit()

    def put_cross(self, key: str, seeds: dict[str, str], findings: list[Finding]) -> None:
        self._cross.append((key, json.dumps(seeds, sort_keys=True), _pack(findings)))

    def commit(self) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", self._files
                )
                self._db.executemany("INSERT OR REPLACE INTO cross VALUES (?, ?, ?)", self._cross)
                self._db.executemany(
                    "INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?, ?, ?, ?)", self._stats
                )
                self._db.executemany("INSERT OR REPLACE INTO spans VALUES (?, ?)", self._spans)
        except (sqlite3.Error, ValueError):
            pass  # a cache that cannot be written only costs time next run
        self._files.clear()
        self._cross.clear()
        self._stats.clear()
        self._spans.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
