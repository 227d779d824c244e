"""Finding quotes in archived texts, tolerant only of whitespace and quote-mark differences."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

QUOTE_MARKS = "'\"‘’‚‛“”„‟«»‹›′″`´"
_QUOTES = str.maketrans(dict.fromkeys(QUOTE_MARKS, '"'))
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NormalisedText:
    """A text with whitespace runs folded to one space and every quote mark made `"`.

    ``text`` is the normalised text; ``marks`` maps positions back to the original: for each
    segment start, the (normalised, original) offsets.
    """

    text: str
    norm_starts: list[int]
    orig_starts: list[int]

    @classmethod
    def of(cls, original: str) -> NormalisedText:
        translated = original.translate(_QUOTES)
        parts: list[str] = []
        norm_starts = [0]
        orig_starts = [0]
        norm = 0
        last = 0
        for match in _SPACE.finditer(translated):
            parts.append(translated[last : match.start()])
            norm += match.start() - last
            norm_starts.append(norm)
            orig_starts.append(match.start())
            parts.append(" ")
            norm += 1
            norm_starts.append(norm)
            orig_starts.append(match.end())
            last = match.end()
        parts.append(translated[last:])
        return cls("".join(parts), norm_starts, orig_starts)

    def original_offset(self, norm_offset: int) -> int:
        """The original offset of a character at a normalised offset."""
        k = bisect.bisect_right(self.norm_starts, norm_offset) - 1
        return self.orig_starts[k] + (norm_offset - self.norm_starts[k])


def normalise(text: str) -> str:
    """The comparison form of a quote: folded whitespace, one quote mark, trimmed."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class QuoteCheck:
    """Where a quote stands in a seed: ``found``, its true offsets, and whether the recorded
    offsets point at it. When not found, ``matched_prefix`` is how many leading characters of the
    normalised quote do occur in the seed."""

    found: bool
    offsets_ok: bool
    start: int = -1
    end: int = -1
    matched_prefix: int = 0


def check_quote(
    normalised: Callable[[], NormalisedText], original: str, quote: str, start: int, end: int
) -> QuoteCheck:
    """Check that ``quote`` occurs in the seed text and that ``[start, end)`` points at it.

    ``normalised`` gives the seed's normalised text; it is built only when the offsets are
    wrong, since it takes far more memory than the text itself.
    """
    wanted = normalise(quote)
    if 0 <= start < end <= len(original) and normalise(original[start:end]) == wanted:
        return QuoteCheck(True, True, start, end)
    seed = normalised()
    hits = [m.start() for m in re.finditer(re.escape(wanted), seed.text)] if wanted else []
    if not hits:
        return QuoteCheck(False, False, matched_prefix=_longest_prefix(seed.text, wanted))
    nearest = min(hits, key=lambda h: abs(seed.original_offset(h) - start))
    true_start = seed.original_offset(nearest)
    true_end = seed.original_offset(nearest + len(wanted) - 1) + 1
    return QuoteCheck(True, False, true_start, true_end)


def _longest_prefix(haystack: str, needle: str) -> int:
    """Length of the longest prefix of ``needle`` found in ``haystack`` (binary search)."""
    low, high = 0, len(needle)
    while low < high:
        mid = (low + high + 1) // 2
        if needle[:mid] in haystack:
            low = mid
        else:
            high = mid - 1
    return low
