"""The comparison form of quoted text: what "verbatim" tolerates, defined once.

A quote and the passage it quotes are the same when they read the same once every run of
whitespace is one space and every quote mark is `"`. Nothing else is folded: letters, case,
accents and punctuation are part of a verbatim quote.
"""

from __future__ import annotations

import hashlib
import re

QUOTE_MARKS = "'\"‘’‚‛“”„‟«»‹›′″`´"
_QUOTES = str.maketrans(dict.fromkeys(QUOTE_MARKS, '"'))
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The comparison form of a quote: folded whitespace, one quote mark, trimmed."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def quote_digest(text: str) -> str:
    """SHA-256 of a quote's comparison form: equal for a quote and the passage it quotes, so a
    release can prove a quote without holding its text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
