"""SQL over the dataset's tables, in a sandbox: DuckDB with no access to files or the network.

The tables are registered as in-memory Arrow tables in a private DuckDB connection whose
configuration is locked: external access (files, URLs, extensions, ATTACH, COPY) is off, the
memory limit and thread count cannot be changed, and nothing spills to disk. One SELECT
statement is allowed. The query runs in a worker thread and is interrupted (really stopped,
not abandoned) at the timeout; the result is read batch by batch and refused past the memory
budget. Result columns of types a table writer cannot print (intervals, blobs, structs...) are
returned as text.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import duckdb
import polars as pl
import pyarrow as pa

from claimtrack.exc import QueryError

DEFAULT_MEMORY_MIB = 1024
DEFAULT_TIMEOUT = 30.0
BATCH_ROWS = 65_536
# types every writer can print; any other result column is cast to text
PRINTABLE = (
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "VARCHAR",
    "DATE",
    "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE",
)


@dataclass
class _Outcome:
    result: pl.DataFrame | None = None
    error: BaseException | None = None
    batches: list[pa.RecordBatch] = field(default_factory=list)


def _connect(tables: dict[str, pl.DataFrame], memory_mib: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        ":memory:",
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "memory_limit": f"{memory_mib}MiB",
            "threads": 2,
            "temp_directory": "",
        },
    )
    for name, frame in tables.items():
        con.register(name, frame.to_arrow())
    con.execute("SET lock_configuration = true")
    return con


def _printable(rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """The relation with every column a writer cannot print cast to text (blobs as hex)."""
    exprs = []
    changed = False
    for name, dtype in zip(rel.columns, rel.types, strict=True):
        quoted = '"' + name.replace('"', '""') + '"'
        kind = str(dtype)
        if kind in PRINTABLE or kind.startswith(("DECIMAL", "ENUM", "VARCHAR[]")):
            exprs.append(quoted)
        elif kind == "BLOB":
            exprs.append(f"hex({quoted}) AS {quoted}")
            changed = True
        else:
            exprs.append(f"CAST({quoted} AS VARCHAR) AS {quoted}")
            changed = True
    return rel.project(", ".join(exprs)) if changed else rel


def _check_statement(con: duckdb.DuckDBPyConnection, query: str, listing: str) -> None:
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise QueryError(
            f"the SQL query does not parse: {_first_line(error)}", hint=listing
        ) from None
    if len(statements) != 1:
        raise QueryError(
            f"give one SQL statement, not {len(statements)}", hint="remove the `;` and what follows"
        )
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = str(statements[0].type).rsplit(".", 1)[-1]
        raise QueryError(f"`{kind}` is not allowed: only SELECT queries", hint=listing)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]


def sql(
    tables: dict[str, pl.DataFrame],
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mib: int = DEFAULT_MEMORY_MIB,
) -> pl.DataFrame:
    """Run one SQL SELECT over ``tables`` in the sandbox; QueryError for anything else, for
    a query past ``timeout`` seconds, or for one needing more than ``memory_mib`` MiB."""
    listing = "query the dataset's tables: " + ", ".join(tables)
    if not query.strip():
        raise QueryError("the SQL query is empty", hint=listing)
    con = _connect(tables, memory_mib)
    try:
        _check_statement(con, query, listing)
        outcome = _Outcome()
        budget = memory_mib << 20
        worker = threading.Thread(target=_run, args=(con, query, budget, outcome), daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            con.interrupt()
            worker.join()
            raise QueryError(
                f"the SQL query ran for more than {timeout:g} s and was stopped",
                hint="narrow it (WHERE, LIMIT, join conditions) or raise --timeout",
            )
        if outcome.error is not None:
            raise _as_query_error(outcome.error, tables, memory_mib)
        assert outcome.result is not None
        return outcome.result
    finally:
        con.close()


def _run(con: duckdb.DuckDBPyConnection, query: str, budget: int, out: _Outcome) -> None:
    try:
        rel = _printable(con.sql(query))
        reader = rel.to_arrow_reader(BATCH_ROWS)
        size = 0
        for batch in reader:
            size += batch.nbytes
            if size > budget:
                raise MemoryError("the result is larger than the memory budget")
            out.batches.append(batch)
        table = pa.Table.from_batches(out.batches, schema=reader.schema)
        out.batches.clear()
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        out.result = frame
    except BaseException as error:
        out.error = error


def _as_query_error(
    error: BaseException, tables: dict[str, pl.DataFrame], memory_mib: int
) -> QueryError:
    if isinstance(error, MemoryError | duckdb.OutOfMemoryException):
        return QueryError(
            f"the SQL query needs more than its memory budget of {memory_mib} MiB",
            hint="narrow it (WHERE, LIMIT, join conditions) or raise --memory-limit",
        )
    if isinstance(error, duckdb.PermissionException):
        return QueryError(
            "SQL cannot read files, URLs or settings: only the dataset's tables",
            hint="query the dataset's tables: " + ", ".join(tables),
        )
    if isinstance(error, duckdb.Error | pl.exceptions.PolarsError | pa.ArrowException):
        return QueryError(
            f"the SQL query failed: {_first_line(error)}",
            hint="tables: " + ", ".join(tables) + "; columns: docs/data-dictionary.md",
        )
    return QueryError(f"the SQL query failed: {type(error).__name__}: {_first_line(error)}")
