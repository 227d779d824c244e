"""The built tables kept between runs, so a command on an unchanged dataset reads Parquet.

The store is derived data in the cache folder (`tables/<dataset>/`): one Parquet file per table
and `state.json`, which records what the tables were built from (claimtrack and Polars versions,
each claim's and each seed's content key) and the SHA-256 of every Parquet file. It is used only
when it matches the dataset exactly; when some claims changed, only their rows are rebuilt and
the tables patched (rows are keyed by claim id); anything else (another version, a changed
seed, a damaged or missing file, a hash that differs) rebuilds it from the records. A patched or
stored table is the same, byte for byte when written, as one built cold.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from claimtrack._version import VERSION
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.tables.frames import TABLES, build_tables

STATE = "state.json"


@dataclass(frozen=True)
class Built:
    """What tables are built from: versions, and the content key of every claim and seed."""

    claims: dict[str, str]
    seeds: dict[str, str]

    def state(self) -> dict[str, Any]:
        return {
            "claimtrack": VERSION,
            "polars": pl.__version__,
            "tables": sorted(TABLES),
            "seeds": self.seeds,
            "claims": self.claims,
        }


class TableStore:
    """The stored tables of one dataset."""

    def __init__(self, cache_dir: Path, root: Path) -> None:
        name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
        self.folder = cache_dir / "tables" / name[:16]

    def _state(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / STATE).read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) else None

    def _read(self, state: dict[str, Any]) -> dict[str, pl.DataFrame] | None:
        """The stored tables, if every file is there with the hash the state recorded."""
        hashes = state.get("parquet")
        if not isinstance(hashes, dict) or set(hashes) != set(TABLES):
            return None
        tables = {}
        for name in TABLES:
            try:
                raw = (self.folder / f"{name}.parquet").read_bytes()
                if hashlib.sha256(raw).hexdigest() != hashes[name]:
                    return None
                frame = pl.read_parquet(io.BytesIO(raw))
            except (OSError, pl.exceptions.PolarsError):
                return None
            if frame.schema != TABLES[name].schema:
                return None
            tables[name] = frame
        return tables

    def _write(self, built: Built, tables: dict[str, pl.DataFrame]) -> None:
        """Write every table, then the state naming their hashes (a reader never trusts a
        table whose hash the state does not name)."""
        hashes = {}
        try:
            for name, frame in tables.items():
                buffer = io.BytesIO()
                frame.write_parquet(buffer, compression="lz4", statistics=True)
                data = buffer.getvalue()
                atomic_write_bytes(self.folder / f"{name}.parquet", data)
                hashes[name] = hashlib.sha256(data).hexdigest()
            state = {**built.state(), "parquet": hashes}
            atomic_write_bytes(self.folder / STATE, json.dumps(state, sort_keys=True).encode())
        except OSError:
            return  # a store that cannot be written only costs time next run

    def tables(
        self,
        built: Built,
        seeds: list[SourceDocument],
        records: Any,  # (claim ids) -> list[Claim], for the claims whose rows must be built
    ) -> dict[str, pl.DataFrame]:
        """The tables of a dataset whose records are ``built``: stored, patched or rebuilt."""
        old = self._state()
        stored = self._read(old) if old is not None else None
        if old is not None and stored is not None:
            same = {k: v for k, v in old.items() if k != "parquet"} == built.state()
            if same:
                return stored
            if {k: v for k, v in old.items() if k not in ("parquet", "claims")} == {
                k: v for k, v in built.state().items() if k != "claims"
            }:
                tables = _patch(stored, old["claims"], built.claims, seeds, records)
                self._write(built, tables)
                return tables
        tables = build_tables(records(list(built.claims)), seeds)
        self._write(built, tables)
        return tables


def _patch(
    stored: dict[str, pl.DataFrame],
    old: dict[str, str],
    new: dict[str, str],
    seeds: list[SourceDocument],
    records: Any,
) -> dict[str, pl.DataFrame]:
    """The stored tables with the rows of changed, added and removed claims replaced."""
    changed = sorted(c for c in new if old.get(c) != new[c])
    gone = sorted((old.keys() - new.keys()) | set(changed))
    claims: list[Claim] = records(changed) if changed else []
    fresh = build_tables(claims, seeds)
    patched = {}
    for name, table in TABLES.items():
        if "claim_id" not in table.schema:
            patched[name] = fresh[name]  # sources: rebuilt from the seeds (few)
            continue
        kept = stored[name].filter(~pl.col("claim_id").is_in(gone))
        patched[name] = pl.concat([kept, fresh[name]]).sort(list(table.key))
    return patched
