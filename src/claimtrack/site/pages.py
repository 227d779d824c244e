"""What each page shows, worked out from the release's records: quotes in their context, the
passages of a seed to highlight, the facts of a typed value, the ClaimReview of a claim.

Every value here is data; the templates escape it (Jinja2 autoescaping), and only http(s) URLs
become links (:func:`safe_url`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.text import without_marks
from claimtrack.model.vocab import ConfirmationStatus
from claimtrack.release.claimreview import (
    Publishing,
    Review,
    claim_markup,
    claimreview,
    reviews,
)
from claimtrack.site import words

CONTEXT_CHARS = 280
STATUS_WORDS = {s.value: s.value.replace("_", " ") for s in ConfirmationStatus}
STATUS_DEFINITIONS = {s.value: s.definition for s in ConfirmationStatus}


def safe_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL with a host, else None (no `javascript:` links)."""
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 for c in value):
        return None
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def search_key(text: str) -> str:
    """Text as the site's search compares it: `query --text`'s folding, but lower case rather
    than casefold, as the page's script can only do the same (`normalize('NFKD')`, marks
    removed, `toLowerCase()`)."""
    return without_marks(text).lower()


def asserters(claim: dict[str, Any]) -> list[str]:
    return [str(a["name"]) for a in claim.get("attribution", []) if a.get("role") == "asserter"]


def claim_date(claim: dict[str, Any]) -> str:
    """When the claim was made (`claim_date`), else the date of its first status entry."""
    if claim.get("claim_date"):
        return str(claim["claim_date"])
    history = claim.get("history") or [{}]
    return str(history[0].get("date") or "")


@dataclass(frozen=True)
class Passage:
    """A quote shown in its archived text: the words before, the passage, the words after."""

    quote: dict[str, Any]
    before: str
    text: str | None
    after: str
    in_context: bool


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to ``CONTEXT_CHARS`` of text on each side of a passage, cut between words."""
    cut = max(0, start - CONTEXT_CHARS)
    before = text[cut:start]
    if cut > 0 and not text[cut - 1].isspace():
        space = next((i for i, c in enumerate(before) if c.isspace()), -1)
        before = before[space + 1 :] if space >= 0 else before
    after = text[end : end + CONTEXT_CHARS]
    if end + CONTEXT_CHARS < len(text) and not text[end + CONTEXT_CHARS].isspace():
        space = max(after.rfind(" "), after.rfind("\n"))
        after = after[:space] if space > 0 else after
    return before, after


def passages(claim: dict[str, Any], texts: dict[str, str]) -> list[Passage]:
    found = []
    for quote in claim.get("evidence", []):
        text = texts.get(str(quote.get("seed")))
        start, end, words = quote.get("start"), quote.get("end"), quote.get("text")
        if (
            text is not None
            and isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start < end <= len(text)
            and (words is None or text[start:end] == words)
        ):
            before, after = _context(text, start, end)
            found.append(Passage(quote, before, text[start:end], after, True))
        else:
            found.append(Passage(quote, "", words, "", False))
    return found


@dataclass(frozen=True)
class Segment:
    """A stretch of a seed's text, with the quotes that cover it (none: plain text)."""

    text: str
    quotes: tuple[tuple[str, str], ...]
    anchor: str


def segments(text: str, quotes: list[tuple[str, str, int, int]]) -> list[Segment]:
    """``text`` cut at every quote's start and end; ``quotes`` are (claim id, quote id, start,
    end). Overlapping quotes make segments covered by several. One sweep over the cuts."""
    starts: dict[int, list[tuple[str, str]]] = {}
    ends: dict[int, list[tuple[str, str]]] = {}
    for claim_id, quote_id, start, end in quotes:
        starts.setdefault(start, []).append((claim_id, quote_id))
        ends.setdefault(end, []).append((claim_id, quote_id))
    marks = sorted({0, len(text)} | starts.keys() | ends.keys())
    active: dict[tuple[str, str], None] = {}
    out = []
    for a, b in itertools.pairwise(marks):
        for ref in ends.get(a, []):
            active.pop(ref, None)
        for ref in starts.get(a, []):
            active[ref] = None
        covering = tuple(active)
        out.append(Segment(text[a:b], covering, f"p{a}" if covering else ""))
    return out


def seed_quotes(
    quoted: Iterable[tuple[str, str, int | None, int | None]], text: str | None
) -> list[tuple[str, str, int, int]]:
    """(claim id, quote id, start, end) of each of a seed's quotes (claim id, quote id, start,
    end) that fits its text."""
    found = []
    for claim_id, quote_id, start, end in quoted:
        if not isinstance(start, int) or not isinstance(end, int) or text is None:
            continue
        if 0 <= start < end <= len(text):
            found.append((claim_id, quote_id, start, end))
    return found


def value_facts(value: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The typed value's exact parts as (label, text) rows, in words: the figures in full with
    their currency, the period in years or months, where and who."""
    if not value:
        return []
    kind = value.get("type")
    if kind == "money":
        return _money_facts(value)
    if kind == "jurisdiction":
        places = ", ".join(
            f"{words.country_name(str(c))} ({c})" for c in value.get("countries") or []
        )
        how = words.CONSTRAINTS.get(str(value.get("constraint")), str(value.get("constraint")))
        return [("What", str(value.get("object"))), ("Where", f"{how} {places}")]
    if kind == "access":
        return [
            ("What", str(value.get("object"))),
            ("Who", str(value.get("party"))),
            ("Access", str(value.get("access")).replace("_", " ")),
        ]
    return []


def _money_facts(value: dict[str, Any]) -> list[tuple[str, str]]:
    currency = str(value.get("currency"))

    def money(amount: object) -> str:
        return f"{words.SYMBOLS.get(currency, '')}{_number(amount)} ({currency})"

    rows: list[tuple[str, str]] = []
    low, high = value.get("min"), value.get("max")
    if value.get("amount") is not None:
        rows.append(("Figure", money(value["amount"])))
    elif low is not None and high is not None:
        rows.append(("Range", f"{money(low)} to {money(high)}"))
    elif low is not None:
        rows.append(("Range", f"at least {money(low)}; no upper figure given"))
    elif high is not None:
        rows.append(("Range", f"up to {money(high)}; no lower figure given"))
    if value.get("period"):
        rows.append(("Period", words.duration_words(str(value["period"]))))
    estimate = "yes: the source presents it as an estimate" if value.get("estimate") else "no"
    rows.append(("Estimate", estimate))
    return rows


def _number(value: object) -> str:
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,}"


def _script_text(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # inside <script>, `</script>` or `<!--` in the data would end or change the block
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Structured:
    """A claim page's reviews (shown on the page) and its JSON-LD blocks (ClaimReview for each
    review that has a page; a `Claim` alone when nobody reviewed it), with how many reviews
    were left out of the markup for want of a page."""

    reviews: list[Review]
    blocks: list[str]
    left_out: int


def structured_data(
    claim: dict[str, Any],
    model: Claim,
    seeds: dict[str, SourceDocument],
    publishing: Publishing,
) -> Structured:
    """What a claim's page shows of its reviews and says of them in structured data; nothing
    when the release withholds the claim's words (a review cannot describe a claim the site
    cannot quote)."""
    if claim.get("statement") is None:
        return Structured([], [], 0)  # a claim whose words are withheld is described nowhere
    found = reviews(model, publishing)
    blocks, left_out = [], 0
    for review in found:
        item = claimreview(model, review, seeds, publishing)
        if item is None:
            left_out += 1
        else:
            blocks.append(_script_text(item))
    if not blocks and model.statement:
        blocks.append(
            _script_text({"@context": "https://schema.org", **claim_markup(model, seeds)})
        )
    return Structured(found, blocks, left_out)


def seed_models(seeds: dict[str, dict[str, Any]]) -> dict[str, SourceDocument]:
    found = {}
    for seed_id, meta in seeds.items():
        try:
            found[seed_id] = SourceDocument.model_validate(meta)
        except ValidationError:
            continue
    return found
