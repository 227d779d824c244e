"""The quote budget: how much of a `quotes_only` source a dataset publishes, and its limits.

A source whose rights allow quotes only must not be republished in pieces. What a release, the
site and the exports publish from such a source is measured as the union of the character spans
of its text that they carry:

- every evidence quote (its `start`/`end`), and its translation, which republishes the same
  words in another language and so counts as the same span;
- the claim's `original.text`, where it occurs in a quoted source;
- an attribution link's `as_described` and a response's `words`, where they occur in the source.

A quote with no offsets (a locator into a JSON source) counts with its full length. The share
is the covered characters over the text's characters; the default budget is a quarter, with at
most ``DEFAULT_MAX_QUOTE`` characters per quote. A seed may set a lower budget, or a higher one
with a written reason, never above a third (`quote_budget` in the seed; docs/publishing.md
says why these numbers).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.vocab import Redistribution
from claimtrack.validate.quotes import occurrences

DEFAULT_SHARE = 0.25
MAX_SHARE = 1 / 3
DEFAULT_MAX_QUOTE = 200  # characters: about 30 words of French or English prose
COMPACT_EVERY = 50_000  # spans kept before they are merged


def limits(seed: SourceDocument) -> tuple[float, int]:
    """The seed's budget: (share of its characters, characters per quote)."""
    budget = seed.quote_budget
    share = DEFAULT_SHARE if budget is None or budget.share is None else budget.share
    longest = DEFAULT_MAX_QUOTE if budget is None or budget.max_quote is None else budget.max_quote
    return share, longest


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@dataclass
class SeedCoverage:
    """What is published of one `quotes_only` seed."""

    seed_id: str
    characters: int
    share_allowed: float
    max_quote: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    unlocated: int = 0  # characters of quoted text with no position in the seed
    by_claim: Counter[str] = field(default_factory=Counter)
    # (claim file as shown, claim id, quote position, quote id, length)
    long_quotes: list[tuple[str, str, int, str, int]] = field(default_factory=list)

    @property
    def covered(self) -> int:
        self.spans = _merge(self.spans)
        return min(self.characters, sum(b - a for a, b in self.spans) + self.unlocated)

    @property
    def share(self) -> float:
        return self.covered / self.characters if self.characters else 0.0

    @property
    def over(self) -> bool:
        return self.share > self.share_allowed + 1e-9

    def top_claims(self, count: int = 5) -> list[tuple[str, int]]:
        return self.by_claim.most_common(count)

    def as_json(self) -> dict[str, Any]:
        """What a kept result needs (the top claims, not every claim)."""
        return {
            "seed_id": self.seed_id,
            "characters": self.characters,
            "share_allowed": self.share_allowed,
            "max_quote": self.max_quote,
            "spans": _merge(self.spans),
            "unlocated": self.unlocated,
            "top": self.top_claims(),
            "long_quotes": self.long_quotes,
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> SeedCoverage:
        return cls(
            str(row["seed_id"]),
            int(row["characters"]),
            float(row["share_allowed"]),
            int(row["max_quote"]),
            [(int(a), int(b)) for a, b in row["spans"]],
            int(row["unlocated"]),
            Counter({str(k): int(v) for k, v in row["top"]}),
            [(str(d), str(c), int(p), str(q), int(n)) for d, c, p, q, n in row["long_quotes"]],
        )


@dataclass
class ClaimSpans:
    """What one claim publishes of the `quotes_only` seeds it names, before any budget: kept in
    the validation cache by the claim's content key, with the state of those seeds it was made
    against (``seeds``: id -> `sha256|policy`)."""

    seeds: dict[str, str]
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # seed, start, end
    unlocated: list[tuple[str, int]] = field(default_factory=list)  # seed, characters
    quotes: list[tuple[str, int, str, int]] = field(default_factory=list)  # seed, pos, id, len

    def as_json(self) -> str:
        return json.dumps(
            [self.seeds, self.spans, self.unlocated, self.quotes], separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> ClaimSpans:
        seeds, spans, unlocated, quotes = json.loads(text)
        return cls(
            {str(k): str(v) for k, v in seeds.items()},
            [(str(s), int(a), int(b)) for s, a, b in spans],
            [(str(s), int(n)) for s, n in unlocated],
            [(str(s), int(p), str(q), int(n)) for s, p, q, n in quotes],
        )


def _first(text: str, words: str) -> tuple[int, int] | None:
    """Where ``words`` first occur in ``text``: found as written when they are (no regular
    expression to build), else as a quote is (whitespace and quote marks aside)."""
    exact = words.strip()
    at = text.find(exact) if exact else -1
    if at != -1:
        return at, at + len(exact)
    hits = occurrences(text, words)
    return hits[0] if hits else None


def seed_state(seed: SourceDocument | None) -> str:
    """What a claim's spans depend on of a seed it names: its text and its policy."""
    return "<absent>" if seed is None else f"{seed.sha256}|{seed.redistribution.value}"


class Coverage:
    """Spans of every `quotes_only` seed that the claims publish; :meth:`add` each claim."""

    def __init__(
        self, seeds: Iterable[SourceDocument], text_of: Callable[[str], str | None]
    ) -> None:
        self.seeds: dict[str, SeedCoverage] = {}
        self._texts: dict[str, str] = {}
        self._added = 0
        for seed in seeds:
            if seed.redistribution is not Redistribution.QUOTES_ONLY:
                continue
            text = text_of(seed.id)
            if text is None:
                continue  # a missing text is its own finding
            share, longest = limits(seed)
            self.seeds[seed.id] = SeedCoverage(seed.id, len(text), share, longest)
            self._texts[seed.id] = text

    def spans_of(self, claim: Claim, states: dict[str, str]) -> ClaimSpans:
        """What the claim publishes of each `quotes_only` seed; ``states``: each seed's
        :func:`seed_state` by id (recorded, for the cache)."""
        named = {q.seed for q in claim.evidence} | {a.seed for a in claim.attribution if a.seed}
        found = ClaimSpans({s: states.get(s, "<absent>") for s in sorted(named)})
        quoted = [q.seed for q in claim.evidence if q.seed in self.seeds]
        linked = [a.seed for a in claim.attribution if a.seed in self.seeds]
        if not quoted and not linked:
            return found
        for i, quote in enumerate(claim.evidence):
            if quote.seed not in self.seeds:
                continue
            if quote.start is None or quote.end is None:
                found.unlocated.append((quote.seed, len(quote.text)))
                found.quotes.append((quote.seed, i, quote.id, len(quote.text)))
            else:
                found.spans.append((quote.seed, quote.start, quote.end))
                found.quotes.append((quote.seed, i, quote.id, quote.end - quote.start))
        places = list(dict.fromkeys(quoted + [s for s in linked if s is not None]))
        words = [claim.original.text] if claim.original is not None else []
        words += [a.as_described for a in claim.attribution if a.as_described]
        words += [r.words for r in claim.responses if r.words]
        for text in words:
            for seed_id in places:  # the source's own words, where they occur
                hit = _first(self._texts[seed_id], text)
                if hit is not None:
                    found.spans.append((seed_id, *hit))
                    break
        return found

    def add(self, claim: Claim, display: str = "") -> None:
        """Count what the claim publishes of each `quotes_only` seed (``display``: its file as
        findings name it)."""
        self.add_spans(display, claim.id, self.spans_of(claim, {}))

    def add_spans(self, display: str, claim_id: str, found: ClaimSpans) -> None:
        """Count one claim's spans (made now, or kept in the cache)."""
        for seed_id, start, end in found.spans:
            if seed_id in self.seeds:
                self.seeds[seed_id].spans.append((start, end))
                self.seeds[seed_id].by_claim[claim_id] += end - start
        for seed_id, count in found.unlocated:
            if seed_id in self.seeds:
                self.seeds[seed_id].unlocated += count
                self.seeds[seed_id].by_claim[claim_id] += count
        for seed_id, position, quote_id, length in found.quotes:
            seed = self.seeds.get(seed_id)
            if seed is not None and length > seed.max_quote:
                seed.long_quotes.append((display, claim_id, position, quote_id, length))
        self._added += 1
        if self._added % COMPACT_EVERY == 0:
            for seed in self.seeds.values():
                seed.spans = _merge(seed.spans)

    def results(self) -> list[SeedCoverage]:
        return [self.seeds[k] for k in sorted(self.seeds)]
