"""Deterministic ids for imported records and archived files: the same input, the same id.

The formulas are part of the data: ids of claims imported by earlier versions must come out the
same, or a re-import would add a second copy of every record. Change them only with a migration.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

ID_LENGTH = 16  # hex digits of SHA-256: 64 bits, enough to keep a dataset's records apart


def digest_id(data: str | bytes) -> str:
    """The first 16 hex digits of the SHA-256 of ``data`` (text as UTF-8)."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()[:ID_LENGTH]


def content_id(*parts: str) -> str:
    """A record's identity when the source gives it no id: a digest of what it says
    (whitespace runs folded, parts joined by the unit separator)."""
    return digest_id("\x1f".join(" ".join(p.split()) for p in parts))


def slug(text: str) -> str:
    """`Foreign Policy` -> `foreign-policy`; empty when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100].strip("-")
