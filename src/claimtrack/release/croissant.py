"""`croissant.json`: the release as Croissant 1.1 metadata (https://mlcommons.org/croissant/1.1).

Hugging Face, Kaggle and other dataset hubs read Croissant. Each table is a `RecordSet` read from
its Parquet files, with every column's type and description (the models' own text), its key, and
references from the claim tables to `claims` and `sources`. Every released data file is a
`FileObject` with its SHA-256; a partitioned table's parts are also one `FileSet`. The licence
covers the claim records; the sources' rights are `usageInfo` (each distinct one; the `sources`
record set has each source's own). Provenance says
which sources the release was derived from and what made it (PROV-O terms, as Croissant does).
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from claimtrack._version import VERSION as TOOL_VERSION
from claimtrack.model.records import SourceDocument
from claimtrack.release.card import POLICY_WORDS, counted
from claimtrack.release.citation import bibtex
from claimtrack.release.facts import ReleaseFacts, spdx_url
from claimtrack.tables.frames import TABLES

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

# the JSON-LD context of Croissant 1.1, as its readers expect it, and PROV-O for provenance
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sdVersion": "cr:sdVersion",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

PARQUET = "application/x-parquet"
_AGENT = {"organisation": "sc:Organization", "person": "sc:Person"}
_MEDIA = {".csv": "text/csv", ".jsonl": "application/jsonl", ".parquet": PARQUET}
# columns that name a record of another table: the join a reader can make
_REFERENCES = {"claim_id": "claims/claim_id", "seed_id": "sources/seed_id"}


_ATOMIC = {
    "Boolean": "sc:Boolean",
    "Date": "sc:Date",
    "Int32": "sc:Integer",
    "Int64": "sc:Integer",
    "UInt32": "sc:Integer",
    "UInt64": "sc:Integer",
    "Float32": "sc:Float",
    "Float64": "sc:Float",
}


def data_type(dtype: pl.DataType) -> tuple[str, bool]:
    """The Croissant type of a column's values, and whether each value is a list of them."""
    if isinstance(dtype, pl.List):
        inner = dtype.inner if isinstance(dtype.inner, pl.DataType) else dtype.inner()
        return data_type(inner)[0], True
    if isinstance(dtype, pl.Datetime):
        return "sc:DateTime", False
    if isinstance(dtype, pl.Decimal):
        return "sc:Float", False
    return _ATOMIC.get(str(dtype), "sc:Text"), False  # strings and enums are text


def _source(facts: ReleaseFacts, table: str) -> dict[str, Any]:
    files = facts.tables[table].parquet
    if files == (f"{table}.parquet",):
        return {"fileObject": {"@id": files[0]}}
    return {"fileSet": {"@id": f"{table}-parts"}}


def _field(facts: ReleaseFacts, table: str, column: str, dtype: pl.DataType, text: str) -> Any:
    kind, many = data_type(dtype)
    out: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table}/{column}",
        "name": column,
        "description": text,
        "dataType": kind,
        "source": {**_source(facts, table), "extract": {"column": column}},
    }
    if many:
        out["isArray"] = True
        out["arrayShape"] = "-1"
    target = _REFERENCES.get(column)
    if target is not None and not target.startswith(f"{table}/"):
        out["references"] = {"field": {"@id": target}}
    return out


def _record_set(facts: ReleaseFacts, table: str) -> dict[str, Any]:
    spec = TABLES[table]
    return {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": spec.description,
        "key": [{"@id": f"{table}/{k}"} for k in spec.key],
        "field": [_field(facts, table, c.name, c.dtype, c.description) for c in spec.columns],
    }


def _file(facts: ReleaseFacts, path: str, **more: Any) -> dict[str, Any]:
    suffix = "." + path.rsplit(".", 1)[-1]
    return {
        "@type": "cr:FileObject",
        "@id": path,
        "name": path,
        "contentUrl": path,
        "contentSize": f"{facts.size(path)} B",
        "encodingFormat": _MEDIA.get(suffix, "text/plain"),
        "sha256": facts.sha256(path),
        **more,
    }


LISTED = 100  # sources (or rights) named one by one; a larger release names these, counts the rest


def _rights(seed: SourceDocument) -> dict[str, Any]:
    policy = seed.redistribution.value
    return {
        "@type": "sc:CreativeWork",
        "name": f"Rights of the archived source `{seed.id}`",
        "description": f"{seed.rights} Redistribution: `{policy}`: {POLICY_WORDS[policy]}.",
        **({"url": seed.url} if seed.url else {}),
    }


def _conditions(facts: ReleaseFacts) -> list[dict[str, Any]]:
    """The sources' usage conditions, one entry per distinct rights and policy (the commonest
    first): the `sources` record set has each source's own."""
    groups: dict[tuple[str, str], list[SourceDocument]] = {}
    for seed in facts.seeds:
        groups.setdefault((seed.redistribution.value, seed.rights), []).append(seed)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    out = []
    for (policy, rights), seeds in ranked[:LISTED]:
        if len(seeds) == 1:
            out.append(_rights(seeds[0]))
            continue
        named = ", ".join(f"`{s.id}`" for s in seeds[:10])
        more = f" and {len(seeds) - 10:,} more" if len(seeds) > 10 else ""
        out.append(
            {
                "@type": "sc:CreativeWork",
                "name": f"Rights of {counted(len(seeds), 'archived source')}: {named}{more}",
                "description": f"{rights} Redistribution: `{policy}`: {POLICY_WORDS[policy]}.",
            }
        )
    rest = sum(len(seeds) for _, seeds in ranked[LISTED:])
    if rest:
        out.append(
            {
                "@type": "sc:CreativeWork",
                "name": f"Rights of the other {counted(rest, 'archived source')}",
                "description": "Each source's rights and redistribution policy are in the "
                "`sources` record set (`rights`, `redistribution`).",
            }
        )
    return out


def _texts(facts: ReleaseFacts) -> list[dict[str, Any]]:
    """The archived texts the release ships: each one with its rights, or, past ``LISTED``, one
    `FileSet` (each file's SHA-256 is in `manifest.json`)."""
    shipped = [(s, t) for s in facts.seeds if (t := facts.shipped_text(s)) is not None]
    if len(shipped) <= LISTED:
        return [_file(facts, text, usageInfo=_rights(seed)) for seed, text in shipped]
    return [
        {
            "@type": "cr:FileSet",
            "@id": "seed-texts",
            "name": "seed-texts",
            "description": f"The archived texts of {counted(len(shipped), 'source')} whose "
            "rights let them ship, byte for byte, with the metadata files beside them; each "
            "file's SHA-256 is in manifest.json, each text's in the `sources` record set.",
            "encodingFormat": "text/plain",
            "includes": "seeds/*",
            "excludes": "seeds/*.meta.json",
        }
    ]


def _distribution(facts: ReleaseFacts) -> list[dict[str, Any]]:
    out = []
    for table, files in facts.tables.items():
        out += [_file(facts, part) for part in files.parquet]
        if files.parquet != (f"{table}.parquet",):
            out.append(
                {
                    "@type": "cr:FileSet",
                    "@id": f"{table}-parts",
                    "name": f"{table}-parts",
                    "description": f"The Parquet parts of the `{table}` table.",
                    "encodingFormat": PARQUET,
                    "includes": f"{table}/*.parquet",
                }
            )
        out.append(_file(facts, f"{table}.csv"))
    out.append(_file(facts, "claims.jsonl"))
    return out + _texts(facts)


def _provenance(facts: ReleaseFacts) -> dict[str, Any]:
    derived: list[dict[str, Any]] = [
        {"@id": s.url} if s.url else {"@type": "prov:Entity", "name": s.title, "identifier": s.id}
        for s in facts.seeds[:LISTED]
    ]
    if len(facts.seeds) > LISTED:
        rest = counted(len(facts.seeds) - LISTED, "more archived source")
        derived.append({"@type": "prov:Entity", "name": f"{rest}: the `sources` record set"})
    made: dict[str, Any] = {
        "@type": "prov:Activity",
        "name": f"claimtrack {TOOL_VERSION} release {facts.version}",
        "prov:endedAtTime": {"@value": facts.date, "@type": "sc:Date"},
    }
    if facts.commit != "unknown":
        made["description"] = f"Made from the dataset's commit {facts.commit}."
    out: dict[str, Any] = {"prov:wasDerivedFrom": derived, "prov:wasGeneratedBy": made}
    if facts.publisher:
        out["prov:wasAttributedTo"] = {"@type": "prov:Agent", "name": facts.publisher}
    return out


def croissant(facts: ReleaseFacts) -> bytes:
    """The Croissant 1.1 description of the release."""
    body: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": facts.name,
        "alternateName": facts.title,
        "description": facts.description,
        "version": facts.version,
        "datePublished": facts.date,
        "keywords": ["fact-checking", "claims"],
        "citeAs": bibtex(facts),
    }
    if facts.licence_ids():
        body["license"] = [spdx_url(i) for i in facts.licence_ids()]
    if facts.about is not None and facts.about.base_url:
        body["url"] = facts.about.base_url
    if facts.about is not None and facts.about.languages:
        body["inLanguage"] = list(facts.about.languages)
    kind = facts.about.publisher.kind if facts.about and facts.about.publisher else None
    if kind is not None:  # Croissant needs to know whether it is a person or an organisation
        body["publisher"] = {"@type": _AGENT[kind], "name": facts.publisher}
        if facts.publisher_url:
            body["publisher"]["url"] = facts.publisher_url
    body["usageInfo"] = _conditions(facts)
    body.update(_provenance(facts))
    body["distribution"] = _distribution(facts)
    body["recordSet"] = [_record_set(facts, t) for t in TABLES]
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
