"""Time load() and typical queries on a generated dataset (run by hand, not in CI).

    python bench/generate.py /tmp/bench10k --claims 10000
    python bench/bench_load.py /tmp/bench10k

Prints the time of each stage: validation (parse, schema, model and cross-record checks), frame
building, and then typical queries over the loaded tables (best of 5).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from claimtrack.store.layout import Dataset
from claimtrack.tables import query
from claimtrack.tables.frames import build_tables
from claimtrack.validate.runner import validate


def timed(label: str, func: Callable[[], Any], repeat: int = 1) -> Any:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} {best * 1000:10.1f} ms")
    return result


def main() -> None:
    root = Path(sys.argv[1])
    report = timed("validate (parse+schema+model+cross)", lambda: validate(Dataset.open(root)))
    assert report.ok, report.findings[:3]
    print(f"  {report.files_checked} files, {len(report.claims)} claims")
    tables = timed("build frames", lambda: build_tables(report.claims, report.seeds))
    filters = query.Filters(statuses=("reported", "disputed"), attributed_to="financial times")
    rows = timed(
        "query: --status reported,disputed --attributed-to",
        lambda: query.select(tables, filters).select("claim_id", "asserted_by"),
        5,
    )
    print(f"  {rows.height} rows")
    rows = timed(
        "query: --text 'confidentialite' (accent-folded)",
        lambda: query.select(tables, query.Filters(text="confidentialité")),
        5,
    )
    print(f"  {rows.height} rows")
    rows = timed(
        "query: --sql group by status",
        lambda: query.sql(tables, "SELECT status, count(*) AS n FROM claims GROUP BY status"),
        5,
    )
    print(f"  {rows.height} rows")
    timed("stats", lambda: query.stats(tables), 5)
    print(f"polars {pl.__version__}")


if __name__ == "__main__":
    main()
