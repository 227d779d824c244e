"""Building every file of a release in memory: tables, JSON Lines, seeds, datapackage, manifest."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import polars as pl

from claimtrack._version import VERSION as TOOL_VERSION
from claimtrack.exc import ClaimtrackError, InputError
from claimtrack.model.records import SCHEMA_VERSION, Claim, SourceDocument
from claimtrack.release import rights
from claimtrack.release.card import data_card
from claimtrack.release.rights import Policy
from claimtrack.store.git import git
from claimtrack.store.layout import Dataset
from claimtrack.store.releases import MANIFEST
from claimtrack.tables.csv import flat_csv
from claimtrack.tables.frames import TABLES, build_tables


class ReleaseError(ClaimtrackError):
    """A release cannot be made: version taken, too small for its changes, bad version."""


def claim_json(claim: Claim) -> dict[str, Any]:
    """A claim as the JSON record a release stores (and a diff compares)."""
    result: dict[str, Any] = claim.model_dump(mode="json")
    return result


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_commit(root: Path) -> str:
    """The git commit the release is built from, `+dirty` when claims or seeds have changes."""
    try:
        head = git(root, "rev-parse", "HEAD").strip()
        dirty = git(root, "status", "--porcelain", "--", "claims", "seeds").strip()
    except InputError:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.rechunk().write_parquet(
        buffer, compression="zstd", compression_level=3, statistics=True, row_group_size=100_000
    )
    return buffer.getvalue()


_FRICTIONLESS = {
    "String": "string",
    "Boolean": "boolean",
    "Date": "date",
    "UInt32": "integer",
    "Int64": "integer",
}


def _field(name: str, dtype: pl.DataType, description: str, *, flat_lists: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "description": description}
    if isinstance(dtype, pl.Enum):
        out.update(type="string", constraints={"enum": dtype.categories.to_list()})
    elif isinstance(dtype, pl.Decimal):
        out["type"] = "number"
    elif isinstance(dtype, pl.Datetime):
        out["type"] = "datetime"
    elif isinstance(dtype, pl.List):
        out["type"] = "string" if flat_lists else "array"
    else:
        out["type"] = _FRICTIONLESS.get(str(dtype), "string")
    return out


def _datapackage(version: str, date: str, commit: str, files: dict[str, bytes]) -> bytes:
    """A Frictionless Data Package describing the CSV tables (the Parquet files hold the same
    rows with native types; manifest.json lists every file)."""
    resources: list[dict[str, Any]] = []
    for name, table in TABLES.items():
        path = f"{name}.csv"
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description + " Lists are joined with `; `.",
                "bytes": len(files[path]),
                "hash": f"sha256:{_sha256(files[path])}",
                "schema": {
                    "fields": [
                        _field(c.name, c.dtype, c.description, flat_lists=True)
                        for c in table.columns
                    ],
                    "primaryKey": list(table.key),
                },
            }
        )
    body = {
        "name": "claimtrack-dataset",
        "title": "claimtrack claims dataset",
        "version": version,
        "created": f"{date}T00:00:00Z",
        "description": "Claims with their attribution chain, verbatim quotes from archived "
        "sources, confirmation status and its history. Each table is also in Parquet; "
        "claims.jsonl holds the full claim records.",
        "resources": resources,
        # repeated from the manifest, whose hash is nowhere: verify compares the two
        "x-claimtrack": {"source_commit": commit, "schema_version": SCHEMA_VERSION},
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build_files(
    dataset: Dataset,
    claims: list[Claim],
    seeds: list[SourceDocument],
    version: str,
    date: str,
    commit: str,
) -> dict[str, bytes]:
    """Every file of a release, by relative path, in memory (a few MB for large datasets).

    Each seed's `redistribution` policy decides what of it ships (:mod:`.rights`)."""
    policy = Policy.of(seeds)
    tables = rights.tables(build_tables(claims, seeds), claims, policy)
    files: dict[str, bytes] = {}
    for name, frame in tables.items():
        files[f"{name}.parquet"] = _parquet(frame)
        files[f"{name}.csv"] = flat_csv(frame).encode("utf-8")
    ordered = sorted(claims, key=lambda c: c.id)
    files["claims.jsonl"] = "".join(
        json.dumps(
            rights.claim_record(c, claim_json(c), policy), ensure_ascii=False, separators=(",", ":")
        )
        + "\n"
        for c in ordered
    ).encode("utf-8")
    sources: dict[str, Any] = {}
    for seed in sorted(seeds, key=lambda s: s.id):
        meta, text = f"seeds/{seed.id}.meta.json", f"seeds/{seed.text_file}"
        if meta in files or text in files or meta == text:
            raise ReleaseError(
                f"two files of the release would be {text}",
                hint="give each seed its own id and text file name",
            )
        files[meta] = (seed.model_dump_json(indent=2) + "\n").encode("utf-8")
        raw = (dataset.seeds_dir / seed.text_file).read_bytes()
        sources[seed.id] = rights.manifest_entry(seed, raw)
        if seed.id in policy.texts:
            files[text] = raw
            if seed.original_file is not None:
                files[f"seeds/{seed.original_file}"] = (
                    dataset.seeds_dir / seed.original_file
                ).read_bytes()
    files["datapackage.json"] = _datapackage(version, date, commit, files)
    files["README.md"] = data_card(version, date, tables, seeds, policy)
    manifest = {
        "name": "claimtrack-dataset",
        "version": version,
        "release_date": date,
        "schema_version": SCHEMA_VERSION,
        "claimtrack_version": TOOL_VERSION,
        "polars_version": pl.__version__,
        "source_commit": commit,
        "tables": {
            name: {
                "rows": frame.height,
                "columns": [{"name": c.name, "type": str(c.dtype)} for c in TABLES[name].columns],
            }
            for name, frame in tables.items()
        },
        "seeds": sources,
        "files": [
            {"path": path, "bytes": len(data), "sha256": _sha256(data)}
            for path, data in sorted(files.items())
        ],
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
