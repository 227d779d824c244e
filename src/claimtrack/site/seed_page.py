"""What a source's page lists: each passage quoted from it once, with every claim that quotes it
(by its statement), numbered so that the marks in the archived text lead to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class Quoted(NamedTuple):
    """A quote of a source, as its page lists it: the claim and quote ids, the quote's offsets
    and words, the claim's statement, and how the claim's page labels the quote."""

    claim_id: str
    quote_id: str
    start: int | None
    end: int | None
    text: str | None
    statement: str | None
    label: str


def quotes_of(claim: dict[str, Any]) -> Iterator[tuple[str, Quoted]]:
    """Each quote of a (complete) claim record, with the id of the source it is from."""
    labels = quote_labels(claim)
    for quote in claim.get("evidence") or []:
        quote_id = str(quote["id"])
        yield (
            str(quote.get("seed")),
            Quoted(
                str(claim["id"]),
                quote_id,
                quote.get("start"),
                quote.get("end"),
                quote.get("text"),
                claim.get("statement"),
                labels.get(quote_id, quote_id),
            ),
        )


def passages(quoted: list[Quoted]) -> list[Passage]:
    """The distinct passages of a source's quotes, in order of position, each with the claims
    that quote it."""
    found: dict[tuple[Any, ...], Passage] = {}
    for quote in quoted:
        text = quote.text
        key = (quote.start, quote.end, text if quote.start is None else "")
        passage = found.setdefault(
            key, Passage(bare(text) if text else None, quote.start, quote.end)
        )
        passage.claims.append((quote.claim_id, quote.quote_id, quote.statement, quote.label))
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
