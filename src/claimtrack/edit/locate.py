"""Finding where an editor's quote stands in a seed's text, so nobody counts code points by hand.

The same tolerance as validation (whitespace and quote marks may differ, nothing else), and
one more for what an editor types: spaces beside quote marks (`« mot »` for `"mot"`). The
passage recorded is the source's own, so validation then finds it as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.escape import visible
from claimtrack.exc import InputError
from claimtrack.model.text import normalise
from claimtrack.validate.quotes import occurrences

CONTEXT = 30  # characters shown on each side of an occurrence


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    line: int
    column: int
    context: str


def _occurrence(text: str, start: int, end: int) -> Occurrence:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    left, right = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    context = " ".join(f"…{text[left:start]}[{text[start:end]}]{text[end:right]}…".split())
    return Occurrence(start, end, line, column, visible(context))


class QuoteNotFound(InputError):
    """The quote occurs nowhere in the seed; the hint shows the closest passage."""


class AmbiguousQuote(InputError):
    """The quote occurs more than once; ``found`` lists where."""

    def __init__(self, seed: str, found: list[Occurrence]) -> None:
        listing = "; ".join(
            f"{i}: line {o.line}, column {o.column}: {o.context}" for i, o in enumerate(found, 1)
        )
        super().__init__(
            f"the quote occurs {len(found)} times in seed `{seed}`: {listing}",
            hint="pick one with --occurrence N, or quote a longer passage",
        )
        self.found = found


def closest(text: str, quote: str) -> str:
    """Where the passage of ``text`` sharing the longest start with ``quote`` stands: the
    shared part in brackets, then the source's next words, where the two part."""
    wanted = normalise(quote)
    low, high, best = 1, len(wanted), None
    while low <= high:  # the longest prefix of the quote that occurs
        mid = (low + high) // 2
        found = occurrences(text, wanted[:mid].rstrip(), loose=True)
        if found:
            best, low = found[0], mid + 1
        else:
            high = mid - 1
    if best is None:
        return "no passage of the seed starts like the quote"
    return _occurrence(text, *best).context + " (the quote and the source part after ])"


def locate(text: str, quote: str, seed: str, occurrence: int | None = None) -> tuple[int, int]:
    """The offsets of ``quote`` in ``text``: the only occurrence, or the ``occurrence``-th."""
    found = occurrences(text, quote) or occurrences(text, quote, loose=True)
    if not found:
        raise QuoteNotFound(
            f"the quote does not occur in seed `{seed}`",
            hint="copy it exactly from the archived text; the closest passage is: "
            + closest(text, quote),
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            raise InputError(
                f"--occurrence {occurrence}: the quote occurs {len(found)} time(s)",
                hint=f"give a number from 1 to {len(found)}",
            )
        return found[occurrence - 1]
    if len(found) > 1:
        raise AmbiguousQuote(seed, [_occurrence(text, s, e) for s, e in found])
    return found[0]
