"""Reading a published release from a web server or an object store:
`load("https://host/dataset/1.2.0/")`, `load("s3://bucket/dataset/1.2.0/")`.

Only what is asked for is fetched: the manifest, then each wanted table's Parquet file, whose
size and SHA-256 must be those the manifest lists (a file that differs is refused, never read).
Table names come from claimtrack's own list, never from the server, so no answer can choose
what else is fetched. Sizes are bounded before and while reading.

Object stores (S3 and S3-compatible, Google Cloud Storage, Azure) are read with `obstore`
(`pip install 'claimtrack[cloud]'`), configured and authenticated from the environment as
Polars and the cloud tools are (`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `GOOGLE_*`,
`AZURE_STORAGE_*`...).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

import polars as pl

from claimtrack.exc import InputError
from claimtrack.store.releases import MANIFEST, MAX_MANIFEST_BYTES, parquet_files
from claimtrack.tables.names import TABLE_NAMES, table_schema

TIMEOUT = 60.0  # seconds a single read may wait
MIN_RATE = 100_000  # bytes a second: a whole download's deadline is TIMEOUT + size / MIN_RATE
MAX_TABLE_BYTES = 8 << 30
CHUNK = 1 << 20


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http(s) addresses only (never ftp: or file:)."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not _is_web(newurl):
            raise urllib.error.URLError(f"a redirect to {newurl!r} was refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnly)


# The object-store URLs obstore reads (those of Polars' cloud support that it has).
OBJECT_STORES = ("s3://", "s3a://", "gs://", "az://", "azure://", "abfs://", "abfss://", "adl://")


def is_url(root: object) -> bool:
    """A release's address: http(s), or an object store's."""
    return isinstance(root, str) and (_is_web(root) or root.lower().startswith(OBJECT_STORES))


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _too_large(url: str, limit: int) -> InputError:
    return InputError(
        f"{url} is larger than {limit:,} bytes", hint="check the URL names a claimtrack release"
    )


class _ObjectStore:
    """A release folder in an object store: its files fetched by name, bounded in size."""

    def __init__(self, base: str) -> None:
        try:
            from obstore.exceptions import BaseError  # noqa: PLC0415 - an optional extra
            from obstore.store import from_url  # noqa: PLC0415
        except ImportError:
            raise InputError(
                f"reading {base} needs the object-store support",
                hint="install it with: pip install 'claimtrack[cloud]'",
            ) from None
        self.base = base
        self.errors = (BaseError, OSError, ValueError)  # obstore's own, and the I/O ones
        try:  # few retries, within the web fetches' time (the store's own request timeouts
            # stay: client options given here would replace those set in the environment)
            self.store = from_url(
                base, retry_config={"max_retries": 2, "retry_timeout": timedelta(seconds=TIMEOUT)}
            )
        except self.errors as error:
            raise InputError(
                f"cannot open {base}: {_first_line(error)}",
                hint="check the URL, and the store's settings in the environment",
            ) from None

    def fetch(self, name: str, limit: int, sink: IO[bytes] | None = None) -> bytes:
        import obstore  # noqa: PLC0415 - imported with the store above

        url = self.base + name
        out = _Sink(url, limit, sink)
        try:
            answer = obstore.get(self.store, name)
            if answer.meta["size"] > limit:
                raise _too_large(url, limit)
            for chunk in answer.stream(min_chunk_size=CHUNK):  # bounded while reading too
                out.add(bytes(chunk))
        except FileNotFoundError:
            raise InputError(
                f"{url} does not exist", hint="check the URL: a release folder holds manifest.json"
            ) from None
        except InputError:
            raise
        except self.errors as error:  # network, permission and store errors alike
            raise InputError(
                f"cannot fetch {url}: {_first_line(error)}",
                hint="check the URL, the network and the store's credentials",
            ) from None
        return out.result()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


class _Sink:
    """Where a download goes (memory, or a file for a table), bounded in size and in time: the
    whole download must end within TIMEOUT + limit / MIN_RATE seconds, however slowly the
    server sends it."""

    def __init__(self, url: str, limit: int, sink: IO[bytes] | None) -> None:
        self.url, self.limit, self.sink = url, limit, sink
        self.parts: list[bytes] = []
        self.size = 0
        self.deadline_s = TIMEOUT + limit / MIN_RATE
        self.ends = time.monotonic() + self.deadline_s

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise _too_large(self.url, self.limit)
        if time.monotonic() > self.ends:
            raise InputError(
                f"{self.url} took more than {self.deadline_s:.0f} s to download; it was stopped",
                hint="try again later, or from a faster copy of the release",
            )
        if self.sink is None:
            self.parts.append(chunk)
        else:
            self.sink.write(chunk)

    def result(self) -> bytes:
        return b"".join(self.parts)


class _Web:
    """A release folder on a web server."""

    def __init__(self, base: str) -> None:
        self.base = base

    def fetch(self, name: str, limit: int, sink: IO[bytes] | None = None) -> bytes:
        return _fetch(self.base + name, limit, sink)


def _source(base: str) -> _Web | _ObjectStore:
    return _Web(base) if _is_web(base) else _ObjectStore(base)


def _fetch(url: str, limit: int, sink: IO[bytes] | None = None) -> bytes:
    """The body at ``url`` (into ``sink`` when given), refused past ``limit`` bytes or past
    its deadline."""
    out = _Sink(url, limit, sink)
    try:
        with _OPENER.open(url, timeout=TIMEOUT) as answer:
            while chunk := answer.read1(CHUNK):
                out.add(chunk)
            return out.result()
    except urllib.error.HTTPError as error:
        raise InputError(
            f"{url} answered HTTP {error.code}",
            hint="check the URL: a release folder holds manifest.json",
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(
            f"cannot fetch {url}: {reason}", hint="check the URL and the network"
        ) from None


def _manifest(source: _Web | _ObjectStore) -> dict[str, Any]:
    base = source.base
    raw = source.fetch(MANIFEST, MAX_MANIFEST_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise InputError(f"{base}{MANIFEST} is not a release manifest", hint="check the URL")
    return data


def read_remote(url: str, names: list[str] | None = None) -> dict[str, pl.DataFrame]:
    """Tables of the release at ``url`` (all it lists, or ``names``), each verified against
    the manifest before it is read."""
    base = url if url.endswith("/") else url + "/"
    source = _source(base)
    manifest = _manifest(source)
    listed = {str(e.get("path")): e for e in manifest["files"] if isinstance(e, dict)}
    tables = manifest.get("tables")
    wanted = names or [n for n in (tables if isinstance(tables, dict) else {}) if n in TABLE_NAMES]
    frames = {}
    for name in wanted:
        if name not in TABLE_NAMES or not isinstance(tables, dict) or name not in tables:
            raise InputError(f"the release at {base} has no table `{name}`", hint="check the URL")
        try:
            files = parquet_files(name, tables[name])
        except ValueError as error:
            raise InputError(f"{base}{MANIFEST}: {error}", hint="check the URL") from None
        with contextlib.ExitStack() as stack:
            parts = [stack.enter_context(_verified(source, rel, listed)) for rel in files]
            frames[name] = _table(base, name, tables[name], files, parts)
    return frames


def _table(
    base: str, name: str, info: Any, files: list[str], parts: list[IO[bytes]]
) -> pl.DataFrame:
    """A table from its verified parts, refused unless it has the rows and the columns its
    manifest lists (the row count is read from the Parquet footers before any row is)."""
    import pyarrow as pa  # noqa: PLC0415 - 0.15 s to import: only a remote release needs it
    import pyarrow.parquet as pq  # noqa: PLC0415

    rows = info.get("rows") if isinstance(info, dict) else None
    columns = info.get("columns") if isinstance(info, dict) else None
    try:
        found = sum(pq.read_metadata(part).num_rows for part in parts)
    except (OSError, ValueError, pa.ArrowException) as error:
        raise InputError(f"{base}{files[0]} is not a Parquet file: {error}") from None
    if found != rows:
        raise InputError(
            f"{base}: table `{name}` has {found:,} rows; its manifest lists {rows}",
            hint="the release is damaged or was changed: nothing of it was read",
        )
    try:
        for part in parts:
            part.seek(0)
        frame = (
            pl.concat([pl.read_parquet(part) for part in parts])
            if parts
            else pl.DataFrame(schema=table_schema(name))
        )
    except pl.exceptions.PolarsError as error:
        raise InputError(f"{base}{files[0]} cannot be read: {error}") from None
    wanted = [(c.get("name"), c.get("type")) for c in columns] if isinstance(columns, list) else []
    if [(n, str(t)) for n, t in frame.schema.items()] != wanted:
        raise InputError(
            f"{base}: table `{name}` does not have the columns and types its manifest lists",
            hint="the release is damaged or was changed",
        )
    return frame


@contextlib.contextmanager
def _verified(source: _Web | _ObjectStore, rel: str, listed: dict[str, Any]) -> Iterator[IO[bytes]]:
    """The file ``rel`` of the release, downloaded into a temporary file (never held in
    memory) and checked against the manifest's size and SHA-256 before anything reads it."""
    base = source.base
    entry = listed.get(rel)
    size = entry.get("bytes") if isinstance(entry, dict) else None
    digest = entry.get("sha256") if isinstance(entry, dict) else None
    if not isinstance(size, int) or not isinstance(digest, str) or size > MAX_TABLE_BYTES:
        raise InputError(f"the manifest at {base} lists `{rel}` without a usable size and hash")
    with tempfile.TemporaryFile(prefix="claimtrack-remote-") as spool:
        source.fetch(rel, size, spool)
        spool.seek(0)
        hashed = hashlib.sha256()
        length = 0
        while block := spool.read(CHUNK):
            hashed.update(block)
            length += len(block)
        if length != size or hashed.hexdigest() != digest:
            raise InputError(
                f"{base}{rel} is not the file its manifest lists (size or SHA-256 differ)",
                hint="the copy is damaged or was changed: nothing was read from it",
            )
        spool.seek(0)
        yield spool
