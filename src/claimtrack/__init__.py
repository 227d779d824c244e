"""claimtrack: typed, attributed, quote-backed claims datasets.

>>> import claimtrack
>>> claims = claimtrack.load()            # doctest: +SKIP
>>> tables = claimtrack.load_tables()     # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from claimtrack.exc import ClaimtrackError, InvalidDataset
from claimtrack.loading import load, load_tables
from claimtrack.models import Claim, SourceDocument

try:
    __version__ = version("claimtrack")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "Claim",
    "ClaimtrackError",
    "InvalidDataset",
    "SourceDocument",
    "__version__",
    "load",
    "load_tables",
]
