"""`export prov`: each claim's attribution chain and history as W3C PROV-O (JSON-LD or Turtle).

- Entities: each claim (`ct:Claim`), each quote (`ct:Quote`, `prov:wasQuotedFrom` its archived
  source) and each source (`ct:Source`); each status the claim was given (`ct:StatusAssessment`).
- Activities: each status decision (dated, using the quotes it cites, associated with the
  rater, or the dataset's publisher for its own verdicts), each import (from another dataset's
  record) and each correction of a published record; the record's last edit.
- Agents: asserters, cited sources, first reporters and relays, each link of a claim's chain a
  `prov:qualifiedAttribution` with its role, its place in the chain and the source's own words
  for it (`ct:asDescribed`); raters and the publisher.

What a source's rights withhold (`redistribution: none`) is left out, as in a release: the
graph is built from the claims' published records (:mod:`.rights`). Nothing absent from a record
is filled in. The identifiers are URNs in the dataset's name (`urn:claimtrack:NAME:claim:ID`);
`ct:` is claimtrack's own vocabulary, `urn:claimtrack:vocab#`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.release.rights import Policy, claim_record
from claimtrack.release.writer import claim_json

CT = Namespace("urn:claimtrack:vocab#")
FORMATS = {"jsonld": "json-ld", "turtle": "turtle"}


class _Ids:
    """The IRIs of one dataset's things."""

    def __init__(self, name: str) -> None:
        self.base = f"urn:claimtrack:{quote(name, safe='-')}:"

    def of(self, kind: str, *parts: str) -> URIRef:
        return URIRef(self.base + kind + ":" + ":".join(quote(p, safe="-._") for p in parts))

    def agent(self, name: str, kind: str) -> URIRef:
        """One agent per name and kind across the dataset (the same outlet in many chains)."""
        key = hashlib.sha256(f"{kind}\n{name}".encode()).hexdigest()[:16]
        return self.of("agent", key)


_IRI_UNSAFE = set('<>"{}|\\^` ')


def _location(url: str) -> URIRef | Literal:
    """A URL as an IRI when Turtle can write it so; else as a typed literal, the same text."""
    if any(c in _IRI_UNSAFE or ord(c) < 0x21 for c in url):
        return Literal(url, datatype=XSD.anyURI)
    return URIRef(url)


def _date(value: str) -> Literal:
    """A date as written: a full date typed `xsd:date`, a partial one (`2021-10`) as text."""
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear) if len(value) == 4 else Literal(value)


class _Builder:
    def __init__(self, graph: Graph, ids: _Ids, publisher: str | None) -> None:
        self.g, self.ids, self.publisher = graph, ids, publisher

    def agent(self, name: str, kind: str) -> URIRef:
        node = self.ids.agent(name, kind)
        self.g.add((node, RDF.type, PROV.Agent))
        self.g.add((node, RDFS.label, Literal(name)))
        self.g.add((node, CT.entityType, Literal(kind)))
        return node

    def seed(self, seed: SourceDocument) -> None:
        node = self.ids.of("source", seed.id)
        self.g.add((node, RDF.type, PROV.Entity))
        self.g.add((node, RDF.type, CT.Source))
        self.g.add((node, DCTERMS.identifier, Literal(seed.id)))
        self.g.add((node, DCTERMS.title, Literal(seed.title)))
        self.g.add((node, DCTERMS.language, Literal(seed.language)))
        self.g.add((node, DCTERMS.rights, Literal(seed.rights)))
        for field, term in (("author", DCTERMS.creator), ("publisher", DCTERMS.publisher)):
            if getattr(seed, field):
                self.g.add((node, term, Literal(getattr(seed, field))))
        if seed.published:
            self.g.add((node, DCTERMS.issued, _date(seed.published)))
        if seed.url:
            self.g.add((node, PROV.atLocation, _location(seed.url)))

    def claim(self, record: dict[str, Any]) -> None:
        cid = record["id"]
        node = self.ids.of("claim", cid)
        g = self.g
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDF.type, CT.Claim))
        g.add((node, DCTERMS.identifier, Literal(cid)))
        if record.get("statement"):
            g.add((node, RDFS.label, Literal(record["statement"], lang="en")))
        if record.get("claim_date"):
            g.add((node, CT.claimDate, _date(record["claim_date"])))
        g.add((node, CT.status, Literal(record["status"])))
        for quote_record in record["evidence"]:
            g.add((node, PROV.wasDerivedFrom, self.quote(cid, quote_record)))
        for position, link in enumerate(record["attribution"]):
            self.attribution(node, cid, position, link)
        for position, change in enumerate(record["history"]):
            self.decision(node, cid, position, change)
        self.record_activities(node, cid, record)

    def quote(self, cid: str, record: dict[str, Any]) -> URIRef:
        node = self.ids.of("claim", cid, "quote", record["id"])
        g = self.g
        g.add((node, RDF.type, PROV.Entity))
        g.add((node, RDF.type, CT.Quote))
        g.add((node, PROV.wasQuotedFrom, self.ids.of("source", record["seed"])))
        if record.get("text") is not None:
            g.add((node, PROV.value, Literal(record["text"], lang=record["language"])))
        for field in ("start", "end"):
            if record.get(field) is not None:
                g.add((node, CT[field], Literal(record[field], datatype=XSD.nonNegativeInteger)))
        return node

    def attribution(self, claim: URIRef, cid: str, position: int, link: dict[str, Any]) -> None:
        g = self.g
        agent = self.agent(link["name"], link["type"])
        step = self.ids.of("claim", cid, "attribution", str(position))
        g.add((claim, PROV.wasAttributedTo, agent))
        g.add((claim, PROV.qualifiedAttribution, step))
        g.add((step, RDF.type, PROV.Attribution))
        g.add((step, PROV.agent, agent))
        g.add((step, PROV.hadRole, CT[link["role"]]))
        g.add((step, CT.position, Literal(position, datatype=XSD.nonNegativeInteger)))
        if link.get("as_described"):
            g.add((step, CT.asDescribed, Literal(link["as_described"])))
        if link.get("seed"):
            g.add((step, CT.inSource, self.ids.of("source", link["seed"])))

    def decision(self, claim: URIRef, cid: str, position: int, change: dict[str, Any]) -> None:
        g = self.g
        act = self.ids.of("claim", cid, "decision", str(position))
        status = self.ids.of("claim", cid, "status", str(position))
        g.add((act, RDF.type, PROV.Activity))
        g.add((act, RDF.type, CT.StatusDecision))
        g.add((act, PROV.endedAtTime, Literal(change["date"], datatype=XSD.date)))
        g.add((act, RDFS.comment, Literal(change["reason"])))
        for quote_id in change.get("evidence", []):
            g.add((act, PROV.used, self.ids.of("claim", cid, "quote", quote_id)))
        rater = change.get("rated_by") or self.publisher
        if rater:
            agent = self.agent(rater, "rater")
            g.add((agent, RDF.type, CT.Rater))
            g.add((act, PROV.wasAssociatedWith, agent))
        g.add((status, RDF.type, PROV.Entity))
        g.add((status, RDF.type, CT.StatusAssessment))
        g.add((status, CT.status, Literal(change["status"])))
        g.add((status, PROV.wasGeneratedBy, act))
        g.add((status, CT.about, claim))
        if change.get("source_label"):
            g.add((status, CT.label, Literal(change["source_label"])))
        if change.get("url"):
            g.add((status, PROV.atLocation, _location(change["url"])))

    def record_activities(self, claim: URIRef, cid: str, record: dict[str, Any]) -> None:
        g = self.g
        for external in record.get("external_ids", []):
            act = self.ids.of("claim", cid, "import", external["system"])
            g.add((act, RDF.type, PROV.Activity))
            g.add((act, RDF.type, CT.Import))
            g.add((act, RDFS.comment, Literal(f"{external['system']} record {external['id']}")))
            g.add((claim, PROV.wasGeneratedBy, act))
        for position, entry in enumerate(record.get("corrections", [])):
            act = self.ids.of("claim", cid, "correction", str(position))
            g.add((act, RDF.type, PROV.Activity))
            g.add((act, RDF.type, CT.Correction))
            g.add((act, PROV.endedAtTime, Literal(entry["date"], datatype=XSD.date)))
            if entry.get("reason"):
                g.add((act, RDFS.comment, Literal(entry["reason"])))
            g.add((claim, PROV.wasInfluencedBy, act))
        edit = self.ids.of("claim", cid, "edit")
        g.add((edit, RDF.type, PROV.Activity))
        g.add((edit, RDF.type, CT.Edit))
        g.add((edit, PROV.endedAtTime, Literal(record["updated"], datatype=XSD.dateTime)))
        g.add((claim, PROV.wasGeneratedBy, edit))


def prov_graph(
    claims: Sequence[Claim], seeds: Sequence[SourceDocument], name: str, publisher: str | None
) -> Graph:
    """The PROV-O graph of ``claims``, their quotes and ``seeds``; ``publisher`` takes the
    dataset's own status decisions (none named: those decisions have no agent)."""
    graph = Graph()
    graph.bind("prov", PROV)
    graph.bind("dct", DCTERMS)
    graph.bind("ct", CT)
    build = _Builder(graph, _Ids(name), publisher)
    policy = Policy.of(seeds)
    for seed in seeds:
        build.seed(seed)
    for claim in claims:
        build.claim(claim_record(claim, claim_json(claim), policy))
    return graph


def prov_text(graph: Graph, fmt: str) -> str:
    """The graph written as ``fmt``: `jsonld` or `turtle`."""
    text: str = graph.serialize(format=FORMATS[fmt])
    return text if text.endswith("\n") else text + "\n"
