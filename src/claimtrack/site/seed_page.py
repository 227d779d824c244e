"""What a source's page lists: each passage quoted from it once, with every claim that quotes it
(by its statement), numbered so that the marks in the archived text lead to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from claimtrack.site.words import quote_labels

QUOTE_MARKS = "\"'«»“”„‘’‹›「」 \u00a0\u202f"


@dataclass
class Passage:
    """One passage of a source, and the claims quoting it (claim id, quote id, statement, how
    the claim's page labels the quote)."""

    words: str | None
    start: int | None
    end: int | None
    claims: list[tuple[str, str, str | None, str]] = field(default_factory=list)


def bare(words: str) -> str:
    """The words without quote marks around them (the page puts its own)."""
    return words.strip(QUOTE_MARKS) or words


def passages(
    quoted: list[tuple[str, dict[str, Any]]], claims: dict[str, dict[str, Any]]
) -> list[Passage]:
    """The distinct passages of a source's (claim id, quote) pairs, in order of position, each
    with the claims that quote it."""
    found: dict[tuple[Any, ...], Passage] = {}
    for claim_id, quote in quoted:
        text = quote.get("text")
        key = (quote.get("start"), quote.get("end"), text if quote.get("start") is None else "")
        passage = found.setdefault(
            key, Passage(bare(text) if text else None, quote.get("start"), quote.get("end"))
        )
        claim = claims.get(claim_id, {})
        label = quote_labels(claim).get(str(quote["id"]), str(quote["id"]))
        passage.claims.append((claim_id, str(quote["id"]), claim.get("statement"), label))
    return sorted(found.values(), key=lambda p: (p.start is None, p.start or 0, p.words or ""))


def numbering(found: list[Passage]) -> Callable[[tuple[tuple[str, str], ...]], list[int]]:
    """For the marks in the text: the numbers of the passages a segment's quotes belong to."""
    number = {
        (claim_id, quote_id): i
        for i, passage in enumerate(found, start=1)
        for claim_id, quote_id, _, _ in passage.claims
    }

    def numbers(refs: tuple[tuple[str, str], ...]) -> list[int]:
        return sorted({number[ref] for ref in refs if ref in number})

    return numbers
