"""Defaults and limits of the reading commands, without importing Polars: the commands' options
are declared before the tables' code is imported (while the files are listed)."""

from __future__ import annotations

DEFAULT_MEMORY_MIB = 1024  # of a --sql query
DEFAULT_TIMEOUT = 30.0  # seconds a --sql query may run
MAX_TIMEOUT = 86_400.0  # a day
MAX_MEMORY_MIB = 1 << 20  # a TiB: more than any machine this runs on
STATS_TOP = 10  # values of each dimension `stats` shows, the rest counted on one row
