"""`dcat.jsonld`: the release as W3C DCAT 3 records, which data portals harvest.

One `dcat:Catalog` holds one `dcat:Dataset` (the release, with its version), whose
`dcat:Distribution`s are the released data files, each with its media type, size and SHA-256
(`spdx:checksum`, as DCAT 3 recommends). The download URLs are relative: they resolve against
wherever the release folder is published, as its files do.
"""

from __future__ import annotations

import json
import re
from typing import Any

from claimtrack.release.facts import ReleaseFacts, spdx_url
from claimtrack.tables.frames import TABLES

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
IANA = "https://www.iana.org/assignments/media-types/"
_MEDIA = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}
_LANGUAGE = "http://id.loc.gov/vocabulary/iso639-1/"


def _distribution(facts: ReleaseFacts, path: str, title: str) -> dict[str, Any]:
    suffix = path.rsplit(".", 1)[-1]
    out: dict[str, Any] = {
        "@id": f"#file-{path.replace('/', '-')}",
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:downloadURL": {"@id": path},
        "dcat:accessURL": {"@id": path},
        "dcat:byteSize": {"@value": str(facts.size(path)), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": facts.sha256(path), "@type": "xsd:hexBinary"},
        },
    }
    if suffix in _MEDIA:
        out["dcat:mediaType"] = {"@id": IANA + _MEDIA[suffix]}
    else:
        out["dct:format"] = "JSON Lines"
    if facts.licence_ids():
        out["dct:license"] = [{"@id": spdx_url(i)} for i in facts.licence_ids()]
    return out


def _distributions(facts: ReleaseFacts) -> list[dict[str, Any]]:
    out = []
    for table, files in facts.tables.items():
        about = TABLES[table].description
        for n, part in enumerate(files.parquet):
            which = f" (part {n + 1} of {len(files.parquet)})" if len(files.parquet) > 1 else ""
            out.append(_distribution(facts, part, f"{table}, Parquet{which}: {about}"))
        out.append(_distribution(facts, f"{table}.csv", f"{table}, CSV: {about}"))
    out.append(_distribution(facts, "claims.jsonl", "The full claim records, JSON Lines"))
    return out


def _contact(contact: str) -> dict[str, Any] | None:
    """`dataset.yaml`'s contact as a vCard: an e-mail address or a web page (else none)."""
    if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", contact):
        return {"@type": "vcard:Kind", "vcard:hasEmail": {"@id": "mailto:" + contact}}
    if re.fullmatch(r"https?://[^\s<>]+", contact):
        return {"@type": "vcard:Kind", "vcard:hasURL": {"@id": contact}}
    return None


def _dataset(facts: ReleaseFacts) -> dict[str, Any]:
    dataset: dict[str, Any] = {
        "@id": "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{facts.name} {facts.version}",
        "dct:title": facts.title,
        "dct:description": facts.description,
        "dcat:version": facts.version,
        "dct:issued": {"@value": facts.date, "@type": "xsd:date"},
        "dcat:keyword": ["fact-checking", "claims"],
        "dcat:distribution": [{"@id": d["@id"]} for d in _distributions(facts)],
    }
    if facts.licence_ids():
        dataset["dct:license"] = [{"@id": spdx_url(i)} for i in facts.licence_ids()]
    if facts.publisher:
        dataset["dct:publisher"] = {"@id": "#publisher"}
    about = facts.about
    if about is not None and about.base_url:
        dataset["dcat:landingPage"] = {"@id": about.base_url}
    if about is not None and about.contact:
        contact = _contact(about.contact)
        if contact:
            dataset["dcat:contactPoint"] = contact
    codes = [t.split("-")[0].lower() for t in (about.languages if about else [])]
    if any(len(c) == 2 for c in codes):  # the ISO 639-1 list has two-letter codes only
        dataset["dct:language"] = [{"@id": _LANGUAGE + c} for c in codes if len(c) == 2]
    sources = [s.url for s in facts.seeds if s.url]
    if sources:
        dataset["dct:source"] = [{"@id": url} for url in sources]
    return dataset


def dcat(facts: ReleaseFacts) -> bytes:
    """The DCAT 3 records of the release, as JSON-LD."""
    graph: list[dict[str, Any]] = [
        {
            "@id": "#catalog",
            "@type": "dcat:Catalog",
            "dct:title": facts.title,
            "dct:description": f"Releases of {facts.title}.",
            "dcat:dataset": {"@id": "#dataset"},
        },
        _dataset(facts),
        *_distributions(facts),
    ]
    if facts.publisher:
        agent: dict[str, Any] = {"@id": "#publisher", "@type": "foaf:Agent"}
        agent["foaf:name"] = facts.publisher
        if facts.publisher_url:
            agent["foaf:homepage"] = {"@id": facts.publisher_url}
        graph.append(agent)
    body = {"@context": CONTEXT, "@graph": graph}
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
