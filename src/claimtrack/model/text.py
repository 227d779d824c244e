"""The comparison form of quoted text: what "verbatim" tolerates, defined once.

A quote and the passage it quotes are the same when they read the same once every run of
whitespace is one space and every quote mark is `"`. Nothing else is folded: letters, case,
accents and punctuation are part of a verbatim quote.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

QUOTE_MARKS = "'\"‘’‚‛“”„‟«»‹›′″`´"
_QUOTE = re.compile("[" + re.escape(QUOTE_MARKS) + "]")


def normalise(text: str) -> str:
    """The comparison form of a quote: folded whitespace, one quote mark, trimmed.

    (`str.split()` splits at the characters `\\s` matches: `str.isspace()`. A regular
    expression replaces the quote marks: `str.translate` with a table is ten times slower on
    text that is not ASCII.)"""
    return " ".join(_QUOTE.sub('"', text).split())


def quote_digest(text: str) -> str:
    """SHA-256 of a quote's comparison form: equal for a quote and the passage it quotes, so a
    release can prove a quote without holding its text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def without_marks(text: str) -> str:
    """``text`` decomposed (NFKD) with its combining marks removed: `Élevées` -> `Elevees`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a search term: `Élevées` -> `elevees`."""
    return without_marks(text).casefold()
