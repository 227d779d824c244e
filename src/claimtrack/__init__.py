"""claimtrack: typed, attributed, quote-backed claims datasets.

>>> import claimtrack
>>> claims = claimtrack.load()            # doctest: +SKIP
>>> tables = claimtrack.load_tables()     # doctest: +SKIP

The public names are imported on first use (PEP 562), so a command that needs neither Polars
nor the models does not pay for loading them.
"""

from __future__ import annotations

import importlib as _importlib
import os as _os
import sys as _sys
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from claimtrack._version import VERSION
from claimtrack.exc import ClaimtrackError, InvalidDataset

if _TYPE_CHECKING:
    from claimtrack.model.records import Claim, SourceDocument
    from claimtrack.tables.front import load, load_tables

__version__ = VERSION

# Polars' allocator (jemalloc) keeps the pages it frees for a while before it gives them back
# (0.5-1 s as Polars sets it, 1 s with a background thread as the command used to), and a
# command's peak memory counts them. Given back at once, a warm `validate` of 100k claims peaks
# at 167 MB instead of 202 MB, at the same speed (bench/README.md, thirteenth pass). Read when
# Polars first allocates, so only before it is imported; a value the user set is kept, and
# worker processes inherit it. The command and the library both get it.
JEMALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"
if "polars" not in _sys.modules:
    _os.environ.setdefault("_RJEM_MALLOC_CONF", JEMALLOC_CONF)

_LAZY = {
    "Claim": "claimtrack.model.records",
    "SourceDocument": "claimtrack.model.records",
    "load": "claimtrack.tables.front",
    "load_tables": "claimtrack.tables.front",
}

__all__ = [
    "Claim",
    "ClaimtrackError",
    "InvalidDataset",
    "SourceDocument",
    "__version__",
    "load",
    "load_tables",
]


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'claimtrack' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, the lazy ones included (`dir(claimtrack)` shows `load`)."""
    return sorted({*__all__, "VERSION", "exc"})
