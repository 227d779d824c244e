"""The import formats: what each reads, how its file is archived (suffix, media type,
language), its parser, and the text an import reads from a file given (an HTML page's JSON-LD).
`claimtrack import --help` lists them from here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from claimtrack.interop.averitec import parse_averitec
from claimtrack.interop.claimreview_import import parse_claimreview
from claimtrack.interop.drafts import Parsed
from claimtrack.interop.factcheck_api import parse_factcheck_api
from claimtrack.interop.jsonld import looks_like_html, script_blocks
from claimtrack.interop.liar import parse_liar
from claimtrack.model.ids import digest_id


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    language: str
    parse: Callable[[str, str, str], Parsed]
    title: str  # what files it reads, for the command's help


FORMATS = {
    "liar": Format(
        "liar",
        "tsv",
        "text/tab-separated-values; charset=utf-8",
        "en",
        parse_liar,
        "LIAR benchmark splits (TSV)",
    ),
    "averitec": Format(
        "averitec",
        "json",
        "application/json; charset=utf-8",
        "en",
        parse_averitec,
        "AVeriTeC splits (JSON)",
    ),
    "claimreview": Format(
        "claimreview",
        "json",
        "application/ld+json; charset=utf-8",
        "en",
        parse_claimreview,
        "schema.org ClaimReview (JSON-LD, a data feed or a web page)",
    ),
    "factcheck-api": Format(
        "factcheck-api",
        "json",
        "application/json; charset=utf-8",
        "und",
        parse_factcheck_api,
        "Google Fact Check Tools API claims:search responses (JSON)",
    ),
}


def seed_id_of(fmt: Format, raw: bytes) -> str:
    """The id an imported file is archived under: its format and a digest of its bytes."""
    return f"{fmt.name}-{digest_id(raw)}"


@dataclass(frozen=True)
class Extracted:
    """The text an import reads, extracted from the file given (an HTML page's JSON-LD)."""

    text: bytes
    original_media_type: str
    extracted_with: str


def extract(fmt: Format, text: str) -> tuple[Extracted | None, list[tuple[str, str]]]:
    """An HTML page given to the ClaimReview importer: its ld+json script blocks as one JSON
    list (the text the quotes point into; the page is archived beside it as the original)."""
    if fmt.name != "claimreview" or not looks_like_html(text):
        return None, []
    blocks, bad = script_blocks(text)
    try:
        raw = (json.dumps(blocks, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (`\ud800`): kept as an escape, in ASCII
        raw = (json.dumps(blocks, ensure_ascii=True, indent=2) + "\n").encode("ascii")
    how = "claimtrack: the page's application/ld+json script blocks, in order, as a JSON list"
    return Extracted(raw, "text/html", how), [(f"/{i}", why) for i, why in bad]
