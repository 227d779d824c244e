"""How many worker processes to use by default: the CPUs this process may run on.

Its own module so the command line can offer the default without importing the validator.
"""

from __future__ import annotations

import os


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
