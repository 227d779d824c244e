"""The SQL sandbox's worker process: ``python -m claimtrack.tables.sql_worker JOB_DIR``.

It runs in a process of its own so that nothing a query does can reach the caller: its address
space is capped (``RLIMIT_AS``), so a scalar function that allocates outside DuckDB's memory
accounting fails with an out-of-memory error instead of exhausting the machine, and the caller
kills it at the timeout, however busy it is. It reads ``job.json`` and one Arrow IPC file per
table from JOB_DIR, which the caller created for it, and writes either ``result.arrow`` or
``error.json`` there. It imports only the standard library, DuckDB and pyarrow.

In DuckDB, external access (files, URLs, extensions, ATTACH, COPY) is switched off only after
the paths it would still allow are emptied (an in-memory database otherwise allows
``<cwd>/:memory:``, which a symbolic link could point anywhere), and the configuration is then
locked; the worker checks the settings took effect before it runs the query.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

if sys.platform != "win32":
    import resource

BATCH_ROWS = 65_536
BASE_ADDRESS_SPACE_MIB = 1536  # Python, DuckDB and pyarrow with their threads, measured ~0.6 GiB
# types every writer can print; any other result column is cast to text (dates and times too:
# DuckDB's `infinity` and dates past year 9999 have no Arrow form a reader accepts)
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
    "VARCHAR[]",
)
NOWHERE = "/nonexistent"  # what the folder settings say: no path of this machine is shown
LOCKED = {
    "enable_external_access": "false",
    "allowed_paths": "[]",
    "allowed_directories": "[]",
    "secret_directory": NOWHERE,
    "home_directory": "",
    "lock_configuration": "true",
}


class Refused(Exception):
    """A query the sandbox does not run; ``kind`` names the reason for the caller."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _cap_address_space(mib: int) -> None:
    if sys.platform == "win32":  # no address-space limit there: the timeout still applies
        return
    limit = mib << 20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)  # a lower limit set from outside stays in force
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _connect(job: dict[str, Any], folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "memory_limit": f"{job['memory_mib']}MiB",
            "threads": 2,
            "temp_directory": "",
        },
    )
    for index, name in enumerate(job["tables"]):
        with pa.OSFile(str(folder / f"{index}.arrow"), "rb") as source:
            con.register(name, pa.ipc.open_file(source).read_all())
    con.execute(f"SET secret_directory = '{NOWHERE}'")  # not the user's home: never shown
    con.execute("SET home_directory = ''")
    con.execute("SET allowed_paths = []")
    con.execute("SET allowed_directories = []")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    rows = con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ?", [list(LOCKED)]
    ).fetchall()
    if dict(rows) != LOCKED:
        raise Refused("internal", f"the SQL sandbox did not lock: {dict(rows)}")
    return con


def _check_statement(con: duckdb.DuckDBPyConnection, query: str) -> None:
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise Refused("parse", f"the SQL query does not parse: {_first_line(error)}") from None
    if len(statements) != 1:
        raise Refused("count", f"give one SQL statement, not {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        kind = str(statements[0].type).rsplit(".", 1)[-1]
        raise Refused("statement", f"`{kind}` is not allowed: only SELECT queries")


def _unique(names: list[str]) -> list[str]:
    """Column names made unique (`a`, `a_2`...): a join's `SELECT *` repeats its keys."""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}_{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


def _printable(rel: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """The relation with unique column names, and every column a writer cannot print cast to
    text (blobs as hex). Columns are taken by position, so repeated names are no problem."""
    exprs = []
    names = _unique(list(rel.columns))
    for i, (name, dtype) in enumerate(zip(names, rel.types, strict=True), start=1):
        quoted = '"' + name.replace('"', '""') + '"'
        kind = str(dtype)
        if kind in PRINTABLE or kind.startswith(("DECIMAL", "ENUM")):
            exprs.append(f"#{i} AS {quoted}")
        elif kind == "BLOB":
            exprs.append(f"hex(#{i}) AS {quoted}")
        else:
            exprs.append(f"CAST(#{i} AS VARCHAR) AS {quoted}")
    return rel.project(", ".join(exprs))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]


def _write_result(con: duckdb.DuckDBPyConnection, query: str, budget: int, target: Path) -> None:
    reader = _printable(con.sql(query)).to_arrow_reader(BATCH_ROWS)
    size = 0
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, reader.schema) as writer:
        for batch in reader:
            size += batch.nbytes
            if size > budget:
                raise Refused("memory", "the result is larger than the memory budget")
            writer.write_batch(batch)


def _classify(error: BaseException) -> tuple[str, str]:
    if isinstance(error, Refused):
        return error.kind, str(error)
    if isinstance(error, MemoryError | duckdb.OutOfMemoryException) or (
        "Out of Memory" in str(error)  # DuckDB's Arrow buffers raise OSError
    ):
        return "memory", _first_line(error)
    if isinstance(error, duckdb.PermissionException):
        return "permission", _first_line(error)
    if isinstance(error, duckdb.Error):
        return "failed", _first_line(error)
    return "failed", f"{type(error).__name__}: {_first_line(error)}"


def run(folder: Path) -> int:
    """Run the job in ``folder``; 0 with ``result.arrow`` written, 1 with ``error.json``."""
    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
    _cap_address_space(BASE_ADDRESS_SPACE_MIB + job["memory_mib"] + job["input_mib"])
    try:
        con = _connect(job, folder)
        _check_statement(con, job["query"])
        _write_result(con, job["query"], job["memory_mib"] << 20, folder / "result.arrow")
    except BaseException as error:  # every failure is reported to the caller
        kind, message = _classify(error)
        (folder / "error.json").write_text(json.dumps({"kind": kind, "message": message}))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
