"""SQL over the dataset's tables, in a sandbox: DuckDB with no access to files or the network.

The query runs in a worker process of its own (:mod:`claimtrack.tables.sql_worker`), given the
tables as Arrow files in a private temporary folder. There DuckDB's external access (files,
URLs, extensions, ATTACH, COPY) is off and its configuration locked, one SELECT statement is
allowed, the memory limit applies to DuckDB and the process's address space is capped as well
(so no function can allocate around it), and the result is refused past the memory budget. At
the timeout the process is killed: the query really stops, whatever it is doing. Result columns
of types a table writer cannot print (intervals, blobs, structs, dates...) come back as text.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

from claimtrack.exc import QueryError
from claimtrack.tables.names import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT

MAX_TIMEOUT = 86_400.0  # a day
MAX_MEMORY_MIB = 1 << 20  # a TiB: more than any machine this runs on
WORKER = "claimtrack.tables.sql_worker"


def _usage(tables: dict[str, pl.DataFrame]) -> str:
    return "query the dataset's tables: " + ", ".join(tables)


def _hints(tables: dict[str, pl.DataFrame], memory_mib: int) -> dict[str, str]:
    narrow = "narrow it (WHERE, LIMIT, join conditions) or raise "
    return {
        "parse": _usage(tables),
        "statement": _usage(tables),
        "count": "remove the `;` and what follows",
        "memory": narrow + "--memory-limit",
        "permission": _usage(tables),
        "failed": "tables: " + ", ".join(tables) + "; columns: docs/data-dictionary.md",
    }


def _write_job(folder: Path, tables: dict[str, pl.DataFrame], query: str, memory_mib: int) -> None:
    import pyarrow as pa  # noqa: PLC0415 - 0.15 s to import: only `--sql` needs it

    size = 0
    for index, frame in enumerate(tables.values()):
        table = frame.to_arrow()
        size += table.nbytes
        path = str(folder / f"{index}.arrow")
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    job = {
        "tables": list(tables),
        "query": query,
        "memory_mib": memory_mib,
        "input_mib": 2 * (size >> 20) + 1,
    }
    (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")


def _read_result(folder: Path) -> pl.DataFrame:
    import pyarrow as pa  # noqa: PLC0415 - see _write_job

    with pa.memory_map(str(folder / "result.arrow")) as source:
        table = pa.ipc.open_file(source).read_all()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.rechunk()


def _failure(
    folder: Path, code: int, tables: dict[str, pl.DataFrame], memory_mib: int
) -> QueryError:
    report = folder / "error.json"
    if not report.is_file():
        reason = f"signal {-code}" if code < 0 else f"exit status {code}"
        return QueryError(
            f"the SQL query stopped its worker process ({reason}), most likely past its "
            f"memory budget of {memory_mib} MiB",
            hint=_hints(tables, memory_mib)["memory"],
        )
    error = json.loads(report.read_text(encoding="utf-8"))
    kind, message = error["kind"], error["message"]
    if kind == "memory":
        message = f"the SQL query needs more than its memory budget of {memory_mib} MiB"
    elif kind == "permission":
        message = "SQL cannot read files, URLs or settings: only the dataset's tables"
    elif kind == "failed":
        message = f"the SQL query failed: {message}"
    elif kind == "internal":
        raise RuntimeError(message)
    return QueryError(message, hint=_hints(tables, memory_mib).get(kind, _usage(tables)))


def sql(
    tables: dict[str, pl.DataFrame],
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mib: int = DEFAULT_MEMORY_MIB,
) -> pl.DataFrame:
    """Run one SQL SELECT over ``tables`` in the sandbox; QueryError for anything else, for
    a query past ``timeout`` seconds, or for one needing more than ``memory_mib`` MiB."""
    if not query.strip():
        raise QueryError("the SQL query is empty", hint=_usage(tables))
    if not math.isfinite(timeout) or not 0 < timeout <= MAX_TIMEOUT:
        raise QueryError(
            f"--timeout {timeout} is not a number of seconds up to {MAX_TIMEOUT:g}",
            hint="give e.g. --timeout 60",
        )
    if not 0 < memory_mib <= MAX_MEMORY_MIB:
        raise QueryError(
            f"--memory-limit {memory_mib} is not a number of MiB up to {MAX_MEMORY_MIB:,}",
            hint="give e.g. --memory-limit 4096",
        )
    try:
        query.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(
            "the SQL query is not valid Unicode (it holds a lone surrogate)",
            hint="retype the query's non-ASCII characters",
        ) from None
    with tempfile.TemporaryDirectory(prefix="claimtrack-sql-") as name:
        folder = Path(name)
        _write_job(folder, tables, query, memory_mib)
        command = [sys.executable, "-I", "-m", WORKER, name]
        try:
            done = subprocess.run(
                command, timeout=timeout, capture_output=True, check=False, cwd=name
            )
        except subprocess.TimeoutExpired:
            raise QueryError(
                f"the SQL query ran for more than {timeout:g} s and was stopped",
                hint="narrow it (WHERE, LIMIT, join conditions) or raise --timeout",
            ) from None
        if done.returncode != 0:
            raise _failure(folder, done.returncode, tables, memory_mib)
        return _read_result(folder)
