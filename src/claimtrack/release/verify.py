"""Verifying a release: exactly the files it should hold, each with its hash and size, and every
table with its row count and column types; the manifest itself checked against a schema.

Nothing outside the release folder is read: paths in the manifest must have a safe form, links
and special files are problems (never followed), and a table name is never taken as a path.
Every problem is reported; none is an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import polars as pl

from claimtrack.store.releases import (
    MANIFEST,
    SEMVER,
    SIGNATURE,
    parquet_files,
    read_manifest,
)
from claimtrack.tables.frames import TABLES
from claimtrack.tables.names import TABLE_NAMES

# the tables of the first release format, which every release has: all but those added later
ADDED_LATER = {
    "external_ids": "1.1.0",
    "corrections": "1.3.0",
    "reviews": "1.4.0",
}  # table -> first release with it
REQUIRED_TABLES = tuple(name for name in TABLE_NAMES if name not in ADDED_LATER)
REQUIRED_FILES = ("claims.jsonl", "datapackage.json", "README.md")
SAFE_PATH = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}(/[A-Za-z0-9][A-Za-z0-9._-]{0,254})?$"
CHUNK = 1 << 20
WITHDRAWN = "withdrawn.json"

MANIFEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "name",
        "version",
        "release_date",
        "schema_version",
        "claimtrack_version",
        "polars_version",
        "source_commit",
        "tables",
        "files",
    ],
    "additionalProperties": False,
    "properties": {
        "name": {"type": ["string", "null"], "maxLength": 200},
        # the dataset's identity (dataset.yaml), from release 1.3.0 on
        "title": {"type": "string", "maxLength": 10_000},
        "publisher": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "maxLength": 10_000},
                "url": {"type": ["string", "null"], "maxLength": 2_000},
            },
        },
        "license": {"type": "string", "maxLength": 200},
        "contact": {"type": "string", "maxLength": 10_000},
        "base_url": {"type": "string", "maxLength": 2_000},
        "languages": {"type": "array", "items": {"type": "string", "maxLength": 100}},
        "version": {"type": "string", "pattern": SEMVER.pattern},
        "release_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "schema_version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"},
        "claimtrack_version": {"type": "string", "maxLength": 100},
        "polars_version": {"type": "string", "maxLength": 100},
        "source_commit": {"type": "string", "pattern": "^([0-9a-f]{40}(\\+dirty)?|unknown)$"},
        "tables": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z_]{1,64}$"},
            "additionalProperties": {
                "type": "object",
                "required": ["rows", "columns"],
                "additionalProperties": False,
                "properties": {
                    "rows": {"type": "integer", "minimum": 0, "maximum": 2**53},
                    # a partitioned release: the table's Parquet parts, in order
                    "parts": {
                        "type": "array",
                        "maxItems": 1_000_000,
                        "items": {"type": "string", "pattern": SAFE_PATH},
                    },
                    "columns": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "type"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string", "maxLength": 200},
                                "type": {"type": "string", "maxLength": 10_000},
                            },
                        },
                    },
                },
            },
        },
        "seeds": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": [
                    "redistribution",
                    "text_file",
                    "text_in_release",
                    "bytes",
                    "characters",
                    "sha256",
                ],
                "additionalProperties": False,
                "properties": {
                    "redistribution": {"enum": ["full_text", "quotes_only", "none"]},
                    "text_file": {"type": "string", "pattern": SAFE_PATH},
                    "original_file": {"type": "string", "pattern": SAFE_PATH},
                    "text_in_release": {"type": "boolean"},
                    "bytes": {"type": "integer", "minimum": 0, "maximum": 2**53},
                    "characters": {"type": "integer", "minimum": 0, "maximum": 2**53},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
        },
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "bytes", "sha256"],
                "additionalProperties": False,
                "properties": {
                    "path": {"type": "string", "pattern": SAFE_PATH},
                    "bytes": {"type": "integer", "minimum": 0, "maximum": 2**53},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Problem:
    """One way a release differs from its manifest: the file (relative to the release folder, or
    as given when ``outside`` it: an external seed text) and what is wrong."""

    path: str
    message: str
    outside: bool = False

    def shown(self, folder: Path) -> str:
        """The file as a user finds it: in the release folder, or where it was read."""
        return self.path if self.outside else str(folder / self.path)


def verify(folder: Path) -> list[Problem]:
    """Every problem of the release in ``folder`` (an empty list: the release is intact)."""
    try:
        manifest = read_manifest(folder)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        return [Problem(MANIFEST, f"the manifest cannot be read: {error}")]
    errors = sorted(jsonschema.Draft202012Validator(MANIFEST_SCHEMA).iter_errors(manifest), key=str)
    if errors:
        return [
            Problem(MANIFEST, f"malformed manifest at {_where(e)}: {_short(e)}") for e in errors
        ]
    problems = _consistency(folder, manifest)
    listed = {str(e["path"]): e for e in manifest["files"]}
    problems += _expected(manifest, listed)
    problems += _tree(folder, listed)
    withdrawn = withdrawn_files(folder)
    linked = {path for path in listed if _through_link(folder, path)}
    for path, entry in listed.items():
        if path in withdrawn and not (folder / path).exists():
            continue  # withdrawn from publication (dataset/withdrawn.json): its hash still stands
        if path not in linked:  # a file in a linked folder is never read (_tree reports it)
            problems += _file(folder, path, entry)
    damaged = {p.path for p in problems} | linked
    for table, info in manifest["tables"].items():
        try:
            files = parquet_files(table, info)
        except ValueError:
            continue  # reported by _expected
        if table in TABLES and all(f in listed and f not in damaged for f in files):
            problems += _table(folder, table, files, info)
    return problems


def _through_link(folder: Path, rel: str) -> bool:
    """Whether a folder on the way from the release folder to ``rel`` is a symbolic link."""
    parts = rel.split("/")[:-1]
    return any((folder / "/".join(parts[: i + 1])).is_symlink() for i in range(len(parts)))


def withdrawn_files(folder: Path) -> dict[str, str]:
    """Files of this release withdrawn from publication, with why: `dataset/withdrawn.json`
    beside the release folders (a release's files never change; what is published can)."""
    data = _json(folder.parent / WITHDRAWN)
    entry = data.get(folder.name) if isinstance(data, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), list):
        return {}
    reason = str(entry.get("reason", "withdrawn"))
    return {str(f): reason for f in entry["files"] if isinstance(f, str)}


def _where(error: jsonschema.ValidationError) -> str:
    return "/" + "/".join(str(p) for p in error.absolute_path)


def _short(error: jsonschema.ValidationError) -> str:
    text = error.message
    return text if len(text) <= 200 else text[:197] + "..."


def _consistency(folder: Path, manifest: dict[str, Any]) -> list[Problem]:
    """The manifest's own fields agree with the folder and with the files that repeat them."""
    problems = []
    if manifest["version"] != folder.name:
        problems.append(
            Problem(MANIFEST, f"version {manifest['version']} is not the folder's {folder.name}")
        )
    try:
        dt.date.fromisoformat(manifest["release_date"])
    except ValueError:
        problems.append(Problem(MANIFEST, f"release date {manifest['release_date']} is not real"))
    package = _json(folder / "datapackage.json")
    if isinstance(package, dict) and (
        package.get("version") != manifest["version"]
        or package.get("created") != f"{manifest['release_date']}T00:00:00Z"
    ):
        problems.append(
            Problem(MANIFEST, "version or release date differs from datapackage.json's")
        )
    repeated = package.get("x-claimtrack") if isinstance(package, dict) else None
    if isinstance(repeated, dict):  # releases before 1.2.0 do not repeat these
        for key in ("source_commit", "schema_version"):
            if repeated.get(key) != manifest[key]:
                problems.append(Problem(MANIFEST, f"{key} differs from datapackage.json's"))
    versions = _schema_versions(folder / "claims.jsonl")
    release_version = _version_key(manifest["schema_version"])
    if any(
        _version_key(v)[:1] != release_version[:1] or _version_key(v) > release_version
        for v in versions
    ):
        problems.append(
            Problem(
                MANIFEST,
                f"schema version {manifest['schema_version']} differs from the claims' "
                + ", ".join(sorted(versions)),
            )
        )
    return problems


def _version_key(version: str) -> tuple[int, ...]:
    """`1.1` -> (1, 1); anything else sorts after every version (so it is reported)."""
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (1 << 30,)


def _json(path: Path) -> Any:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 << 20:
            return None
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def _schema_versions(path: Path) -> set[str]:
    found: set[str] = set()
    try:
        if path.is_symlink() or not path.is_file():
            return found
        with path.open("rb") as handle:
            for line in handle:
                record = json.loads(line) if line.strip() else None
                if isinstance(record, dict):
                    found.add(str(record.get("schema_version")))
    except (OSError, ValueError, RecursionError):
        return found
    return found


def _expected(manifest: dict[str, Any], listed: dict[str, Any]) -> list[Problem]:
    """The files a release of this format must list: every table twice, the claims, the card."""
    problems = []
    tables = manifest["tables"]
    for table in tables:
        if table not in TABLES:
            problems.append(Problem(MANIFEST, f"unknown table `{table}`"))
    for table in REQUIRED_TABLES:
        if table not in tables:
            problems.append(Problem(MANIFEST, f"table `{table}` is missing from the manifest"))
    for table in [t for t in tables if t in TABLES]:
        try:
            files = [*parquet_files(table, tables[table]), f"{table}.csv"]
        except ValueError as error:  # parts named outside the table's folder
            problems.append(Problem(MANIFEST, str(error)))
            files = [f"{table}.csv"]
        problems += [Problem(f, "missing from the manifest") for f in files if f not in listed]
    problems += [Problem(f, "missing from the manifest") for f in REQUIRED_FILES if f not in listed]
    for seed, info in manifest.get("seeds", {}).items():
        text = f"seeds/{info['text_file']}"
        if info["text_in_release"] != (info["redistribution"] == "full_text"):
            problems.append(
                Problem(MANIFEST, f"seed `{seed}`: text_in_release contradicts its policy")
            )
        elif info["text_in_release"] != (text in listed):
            shipped = "lists" if text in listed else "does not list"
            problems.append(
                Problem(
                    text,
                    f"the manifest {shipped} the text of seed `{seed}`, "
                    f"whose policy is `{info['redistribution']}`",
                )
            )
    if "seeds" in manifest:  # releases that record each seed's policy (from 1.2.0)
        named = _version(str(manifest["schema_version"])) >= (1, 3)  # originals named
        problems += _unexplained_seed_files(manifest["seeds"], listed, originals_named=named)
    return problems


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return ()


def _unexplained_seed_files(
    seeds: dict[str, Any], listed: dict[str, Any], *, originals_named: bool
) -> list[Problem]:
    """A file under `seeds/` that is neither a seed's metadata nor the text or original of a
    seed whose text ships (`full_text`): listed or not, a release never carries it (a withheld
    text copied in under another name is not "intact"). Releases made before the manifest
    named originals allow a shipped seed's `seeds/<id>.*` files."""
    allowed = {f"seeds/{seed}.meta.json" for seed in seeds}
    allowed |= {f"seeds/{info['text_file']}" for info in seeds.values()}  # checked above
    prefixes = []
    for seed, info in seeds.items():
        if not info["text_in_release"]:
            continue
        if "original_file" in info:
            allowed.add(f"seeds/{info['original_file']}")
        elif not originals_named:  # a manifest older than claim format 1.3 names no originals
            prefixes.append(f"seeds/{seed}.")
    return [
        Problem(path, "the release carries a file under seeds/ that is no seed's metadata and "
                "no text its policy lets ship")
        for path in sorted(listed)
        if path.startswith("seeds/")
        and path not in allowed
        and not any(path.startswith(prefix) for prefix in prefixes)
    ]  # fmt: skip


def _tree(folder: Path, listed: dict[str, Any]) -> list[Problem]:
    """Everything in the folder that the manifest does not list, and every link or special file."""
    problems = []
    folders = {p.split("/")[0] for p in listed if "/" in p}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames + filenames):
            path = base / name
            rel = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                problems.append(Problem(rel, "a symbolic link: a release holds only files"))
            elif stat.S_ISDIR(mode):
                if rel not in folders:
                    problems.append(Problem(rel, "a folder the manifest does not list"))
            elif not stat.S_ISREG(mode):
                problems.append(Problem(rel, "a special file: a release holds only regular files"))
            elif rel not in listed and rel not in (MANIFEST, SIGNATURE):
                problems.append(Problem(rel, "not in the manifest"))
        dirnames[:] = [d for d in dirnames if not (base / d).is_symlink()]
    return problems


def _file(folder: Path, rel: str, entry: dict[str, Any]) -> list[Problem]:
    path = folder / rel
    try:
        mode = path.lstat().st_mode
    except OSError:
        return [Problem(rel, "missing")]
    if not stat.S_ISREG(mode):
        return []  # reported by _tree: a link or special file is never read
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as error:
        return [Problem(rel, f"cannot be read: {error.strerror}")]
    problems = []
    if size != entry["bytes"]:
        problems.append(Problem(rel, f"size {size} bytes, manifest says {entry['bytes']}"))
    if digest.hexdigest() != entry["sha256"]:
        problems.append(Problem(rel, "SHA-256 differs from the manifest"))
    return problems


def _table(folder: Path, table: str, files: list[str], info: dict[str, Any]) -> list[Problem]:
    """Row count and column names and types of a table's Parquet files, against the manifest."""
    problems = []
    rows = 0
    want = [(c["name"], c["type"]) for c in info["columns"]]
    for rel in files:
        try:
            schema = pl.read_parquet_schema(folder / rel)
            rows += pl.scan_parquet(folder / rel).select(pl.len()).collect().item()
        except (OSError, pl.exceptions.PolarsError) as error:
            problems.append(Problem(rel, f"not a readable Parquet file: {str(error)[:200]}"))
            continue
        have = [(name, str(dtype)) for name, dtype in schema.items()]
        if have != want:
            diff = next(((h, w) for h, w in zip(have, want, strict=False) if h != w), None)
            detail = f"`{diff[0][0]}` is {diff[0][1]}, manifest says {diff[1][1]}" if diff else ""
            problems.append(
                Problem(rel, "columns differ from the manifest" + (f": {detail}" if detail else ""))
            )
    if not problems and rows != info["rows"]:
        where = files[0] if len(files) == 1 else f"{table}/"
        problems.append(Problem(where, f"{rows} rows, manifest says {info['rows']}"))
    return problems
