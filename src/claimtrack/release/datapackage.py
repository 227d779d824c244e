"""`datapackage.json`: the release as a Frictionless Data Package v2 (https://datapackage.org).

Each table is two resources: its CSV file, a tabular resource with the table's schema and key
(which `frictionless validate` reads row by row), and its Parquet file or files, listed in order
(a partitioned table lists every part) with the size and SHA-256 of the parts read one after the
other. `sources` are the archived documents with their rights; `contributors` the publisher
`dataset.yaml` names. Nothing the dataset does not say is filled in.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from claimtrack.model.records import SCHEMA_VERSION
from claimtrack.release.facts import ReleaseFacts, spdx_url
from claimtrack.tables.frames import TABLES

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"

_TYPES = {
    "String": "string",
    "Boolean": "boolean",
    "Date": "date",
    "UInt32": "integer",
    "Int64": "integer",
    "Float64": "number",
}


def field(name: str, dtype: pl.DataType, description: str) -> dict[str, Any]:
    """A Table Schema field for a column as its CSV cells hold it."""
    out: dict[str, Any] = {"name": name, "description": description}
    if isinstance(dtype, pl.Enum):
        out.update(type="string", constraints={"enum": dtype.categories.to_list()})
    elif isinstance(dtype, pl.Decimal):
        out["type"] = "number"
    elif isinstance(dtype, pl.Datetime):
        out["type"] = "datetime"
    elif isinstance(dtype, pl.List):
        out["type"] = "string"  # CSV cells join lists with `; `
    else:
        out["type"] = _TYPES.get(str(dtype), "string")
    return out


def _identity(facts: ReleaseFacts) -> dict[str, Any]:
    """Name, title, licences, publisher and homepage, as `dataset.yaml` says."""
    body: dict[str, Any] = {"name": facts.name, "title": facts.title}
    if facts.licence_ids():
        body["licenses"] = [{"name": i, "path": spdx_url(i)} for i in facts.licence_ids()]
    if facts.publisher is not None:
        contributor: dict[str, Any] = {"title": facts.publisher, "roles": ["publisher"]}
        if facts.publisher_url:
            contributor["path"] = facts.publisher_url
        body["contributors"] = [contributor]
    if facts.about is not None and facts.about.base_url:
        body["homepage"] = facts.about.base_url
    return body


def _sources(facts: ReleaseFacts) -> list[dict[str, Any]]:
    """The archived documents the claims quote: title, original URL when known, and rights."""
    sources = []
    for seed in facts.seeds:
        entry: dict[str, Any] = {"title": seed.title}
        if seed.url:
            entry["path"] = seed.url
        entry["x-claimtrack"] = {
            "seed_id": seed.id,
            "rights": seed.rights,
            "redistribution": seed.redistribution.value,
            "text_file": facts.shipped_text(seed),  # null: its text is not in the release
        }
        sources.append(entry)
    return sources


def _csv_resource(facts: ReleaseFacts, name: str) -> dict[str, Any]:
    table = TABLES[name]
    path = f"{name}.csv"
    return {
        "name": name.replace("_", "-"),
        "type": "table",
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description + " Lists are joined with `; `.",
        "bytes": facts.size(path),
        "hash": f"sha256:{facts.sha256(path)}",
        "schema": {
            "$schema": TABLE_PROFILE,
            "fields": [field(c.name, c.dtype, c.description) for c in table.columns],
            "primaryKey": list(TABLES[name].key),
        },
    }


def _parquet_resource(facts: ReleaseFacts, name: str) -> dict[str, Any]:
    files = facts.tables[name]
    return {
        "name": name.replace("_", "-") + "-parquet",
        "type": "file",  # read by Parquet readers with its native types, not row by row here
        # a partitioned table lists its parts (even one); a whole table is one path
        "path": files.parquet[0] if files.parquet == (f"{name}.parquet",) else list(files.parquet),
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "description": f"The `{name}` table with native types"
        + ("." if files.parquet == (f"{name}.parquet",) else ", in parts read in order."),
        "bytes": files.parquet_bytes,
        "hash": f"sha256:{files.parquet_sha256}",
    }


def datapackage(facts: ReleaseFacts) -> bytes:
    """The Data Package v2 descriptor of the release."""
    resources = [_csv_resource(facts, n) for n in TABLES]
    resources += [_parquet_resource(facts, n) for n in TABLES]
    resources.append(
        {
            "name": "claims-jsonl",
            "type": "file",
            "path": "claims.jsonl",
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "description": "The full claim records, one JSON object per line.",
            "bytes": facts.size("claims.jsonl"),
            "hash": f"sha256:{facts.sha256('claims.jsonl')}",
        }
    )
    body = {
        "$schema": PACKAGE_PROFILE,
        **_identity(facts),
        "version": facts.version,
        "created": f"{facts.date}T00:00:00Z",
        "description": facts.description + " Each table is a CSV file and Parquet; "
        "claims.jsonl holds the full claim records.",
        "keywords": ["fact-checking", "claims"],
        "sources": _sources(facts),
        "resources": resources,
        # repeated from the manifest, whose hash is nowhere: verify compares the two
        "x-claimtrack": {"source_commit": facts.commit, "schema_version": SCHEMA_VERSION},
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
