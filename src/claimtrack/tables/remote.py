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

import hashlib
import io
import json
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import polars as pl

from claimtrack.exc import InputError
from claimtrack.store.releases import MANIFEST, MAX_MANIFEST_BYTES, parquet_files
from claimtrack.tables.names import TABLE_NAMES, table_schema

TIMEOUT = 60.0
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

    def fetch(self, name: str, limit: int) -> bytes:
        import obstore  # noqa: PLC0415 - imported with the store above

        url = self.base + name
        try:
            answer = obstore.get(self.store, name)
            if answer.meta["size"] > limit:
                raise _too_large(url, limit)
            parts, size = [], 0
            for chunk in answer.stream(min_chunk_size=CHUNK):  # bounded while reading too
                size += len(chunk)
                if size > limit:
                    raise _too_large(url, limit)
                parts.append(bytes(chunk))
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
        return b"".join(parts)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


class _Web:
    """A release folder on a web server."""

    def __init__(self, base: str) -> None:
        self.base = base

    def fetch(self, name: str, limit: int) -> bytes:
        return _fetch(self.base + name, limit)


def _source(base: str) -> _Web | _ObjectStore:
    return _Web(base) if _is_web(base) else _ObjectStore(base)


def _fetch(url: str, limit: int) -> bytes:
    """The body at ``url``, refused past ``limit`` bytes."""
    try:
        with _OPENER.open(url, timeout=TIMEOUT) as answer:
            parts, size = [], 0
            while chunk := answer.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large(url, limit)
                parts.append(chunk)
            return b"".join(parts)
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
        parts = [_verified(source, rel, listed) for rel in files]
        try:
            frames[name] = (
                pl.concat([pl.read_parquet(io.BytesIO(raw)) for raw in parts])
                if parts
                else pl.DataFrame(schema=table_schema(name))
            )
        except pl.exceptions.PolarsError as error:
            raise InputError(f"{base}{files[0]} cannot be read: {error}") from None
    return frames


def _verified(source: _Web | _ObjectStore, rel: str, listed: dict[str, Any]) -> bytes:
    """The file ``rel`` of the release, fetched and checked against the manifest's entry."""
    base = source.base
    entry = listed.get(rel)
    size = entry.get("bytes") if isinstance(entry, dict) else None
    digest = entry.get("sha256") if isinstance(entry, dict) else None
    if not isinstance(size, int) or not isinstance(digest, str) or size > MAX_TABLE_BYTES:
        raise InputError(f"the manifest at {base} lists `{rel}` without a usable size and hash")
    raw = source.fetch(rel, size)
    if len(raw) != size or hashlib.sha256(raw).hexdigest() != digest:
        raise InputError(
            f"{base}{rel} is not the file its manifest lists (size or SHA-256 differ)",
            hint="the copy is damaged or was changed: nothing was read from it",
        )
    return raw
