"""claimtrack: typed, attributed, quote-backed claims datasets.

>>> import claimtrack
>>> claims = claimtrack.load()            # doctest: +SKIP
>>> tables = claimtrack.load_tables()     # doctest: +SKIP
"""

from __future__ import annotations

from claimtrack._version import VERSION
from claimtrack.exc import ClaimtrackError, InvalidDataset
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.tables.load import load, load_tables

__version__ = VERSION

__all__ = [
    "Claim",
    "ClaimtrackError",
    "InvalidDataset",
    "SourceDocument",
    "__version__",
    "load",
    "load_tables",
]
