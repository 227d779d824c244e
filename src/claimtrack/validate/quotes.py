"""Finding quotes in archived texts, tolerant only of whitespace and quote-mark differences.

A quote matches a passage when both read the same once whitespace runs are folded to one space
and every quote mark is made `"`. The search runs a regular expression built from the quote
(`\\s+` for a space, a class of every quote mark for a quote mark, every other character
literally) over the original text, so it needs no normalised copy of the seed: memory stays that
of the text itself, whatever its size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.model.text import QUOTE_MARKS, normalise

_ANY_QUOTE = "[" + re.escape(QUOTE_MARKS) + "]"


def pattern(normalised: str) -> re.Pattern[str]:
    """A regular expression that finds, in an original text, the passages that normalise to
    ``normalised`` (itself the output of :func:`normalise`)."""
    parts = []
    for char in normalised:
        if char == " ":
            parts.append(r"\s+")
        elif char == '"':
            parts.append(_ANY_QUOTE)
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts))


_SPACED_MARK = re.compile(r' ?" ?')


def loose_pattern(normalised: str) -> re.Pattern[str]:
    """Like :func:`pattern`, but a quote mark may also have spaces on either side, or none:
    French typography writes `« mot »` and `" mot "` where English writes `"mot"`. For finding
    what an editor typed; the passage found is then recorded as the source words it."""
    pieces = _SPACED_MARK.split(normalised)
    if len(pieces) == 1 or not any(pieces):
        return pattern(normalised)
    inner = r"\s*" + _ANY_QUOTE + r"\s*"
    body = inner.join(pattern(piece).pattern for piece in pieces)
    # marks an editor put around the whole quote need not be in the source: the words between
    # them are what is found (and recorded)
    if not pieces[0] and not pieces[-1]:
        body = body.removeprefix(inner).removesuffix(inner)
    return re.compile(body)


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


def check_quote(original: str, quote: str, start: int, end: int) -> QuoteCheck:
    """Check that ``quote`` occurs in the seed text and that ``[start, end)`` points at it; when
    it occurs elsewhere, give the offsets of the occurrence nearest to ``start``."""
    wanted = normalise(quote)
    if 0 <= start < end <= len(original) and normalise(original[start:end]) == wanted:
        return QuoteCheck(True, True, start, end)
    hits = [m.span() for m in pattern(wanted).finditer(original)] if wanted else []
    if not hits:
        return QuoteCheck(False, False, matched_prefix=_longest_prefix(original, wanted))
    true_start, true_end = min(hits, key=lambda span: abs(span[0] - start))
    return QuoteCheck(True, False, true_start, true_end)


def occurrences(original: str, quote: str, *, loose: bool = False) -> list[tuple[int, int]]:
    """Every passage of ``original`` that reads as ``quote`` (offsets in code points); with
    ``loose``, spaces beside quote marks do not count (:func:`loose_pattern`)."""
    wanted = normalise(quote)
    if not wanted:
        return []
    return [m.span() for m in (loose_pattern if loose else pattern)(wanted).finditer(original)]


def occurs(original: str, quote: str) -> bool:
    """Whether some passage of ``original`` reads as ``quote``: :func:`occurrences` is not empty.
    A quote copied exactly is found as written, without building its regular expression."""
    wanted = normalise(quote)
    if not wanted:
        return False
    if quote.strip() in original:  # that passage normalises to ``wanted`` itself
        return True
    return pattern(wanted).search(original) is not None


def _longest_prefix(haystack: str, needle: str) -> int:
    """Length of the longest prefix of ``needle`` found in ``haystack`` (binary search)."""
    low, high = 0, len(needle)
    while low < high:
        mid = (low + high + 1) // 2
        if pattern(needle[:mid].rstrip()).search(haystack):
            low = mid
        else:
            high = mid - 1
    return low
