"""The export formats: the validated claims written for other tools (`claimtrack export`), by
name, as the import formats are (:mod:`claimtrack.interop.formats`).

Each exporter returns the text and the notes its reader should see (reviews left out, and why);
it prints nothing. ``raw`` keeps every text byte for byte; otherwise CSV cells that a spreadsheet
would run are guarded, and control characters are escaped where the format allows it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from claimtrack.escape import json_text
from claimtrack.release.claimreview import Publishing, claimreviews
from claimtrack.release.prov import prov_graph, prov_text
from claimtrack.tables.flat_csv import flat_csv
from claimtrack.tables.frames import build_tables
from claimtrack.validate.result import ValidationReport


@dataclass(frozen=True)
class Exported:
    """What an export wrote: its text, and notes for its reader (one line each)."""

    text: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Export:
    """One export format: what it is, and how it writes a validated report."""

    title: str
    write: Callable[[ValidationReport, Publishing, bool, bool], Exported]


def _claimreview(
    report: ValidationReport, publishing: Publishing, raw: bool, stream: bool
) -> Exported:
    exported = claimreviews(report.claims, report.seeds, publishing)
    notes = [f"left out a review of {claim_id}: {why}" for claim_id, why in exported.left_out]
    text = json.dumps(exported.document, ensure_ascii=False, indent=2)
    return Exported((text if raw else json_text(text)) + "\n", notes)


def _csv(report: ValidationReport, publishing: Publishing, raw: bool, stream: bool) -> Exported:
    claims = build_tables(report.claims, report.seeds)["claims"]
    return Exported(flat_csv(claims, spreadsheet_safe=not raw, printable=stream and not raw))


def _prov(syntax: str) -> Callable[[ValidationReport, Publishing, bool, bool], Exported]:
    def export(
        report: ValidationReport, publishing: Publishing, raw: bool, stream: bool
    ) -> Exported:
        name = publishing.dataset or "claimtrack-dataset"
        graph = prov_graph(report.claims, report.seeds, name, publishing.publisher)
        text = prov_text(graph, syntax)
        # control characters stand only inside string literals, where `\uNNNN` is the same text
        return Exported(text if raw else json_text(text))

    return export


EXPORTS: dict[str, Export] = {
    "claimreview": Export("schema.org ClaimReview (JSON-LD), for real reviews only", _claimreview),
    "csv": Export("the claims table as CSV, guarded for spreadsheets", _csv),
    "prov": Export("W3C PROV-O as JSON-LD: attribution chains, quotes, decisions", _prov("jsonld")),
    "prov-turtle": Export("W3C PROV-O as Turtle", _prov("turtle")),
}
