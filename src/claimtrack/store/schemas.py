"""The committed JSON Schemas of a dataset (`schemas/`): are they current, and rewriting them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimtrack.model.rulebook import Scope, declare
from claimtrack.model.schema_export import SCHEMAS, render
from claimtrack.store.atomic import atomic_write_bytes

# the rules checked here (docs/rules.md)
declare(
    "schema.stale",
    "The committed schema does not match claimtrack's models.",
    Scope.DATASET,
    example="tests/acceptance/test_validate.py::test_stale_schema_is_reported_and_regenerated",
)
declare(
    "schema.missing",
    "A committed schema file is missing.",
    Scope.DATASET,
    example="tests/acceptance/test_rule_registry.py::test_model_types_behind_an_out_of_date_schema",
)


@dataclass(frozen=True)
class SchemaStatus:
    """Whether a committed schema file matches the models."""

    path: Path
    state: str  # "current", "stale" or "missing"


def status(root: Path) -> list[SchemaStatus]:
    """Compare each committed schema under ``root/schemas`` with what the models generate."""
    result = []
    for schema in SCHEMAS:
        path = root / "schemas" / schema.file_name
        if not path.is_file():
            result.append(SchemaStatus(path, "missing"))
        elif path.read_bytes() != render(schema):
            result.append(SchemaStatus(path, "stale"))
        else:
            result.append(SchemaStatus(path, "current"))
    return result


def write(root: Path) -> list[SchemaStatus]:
    """(Re)generate every schema under ``root/schemas``; return what was changed."""
    changed = [s for s in status(root) if s.state != "current"]
    for item in changed:
        schema = next(s for s in SCHEMAS if s.file_name == item.path.name)
        atomic_write_bytes(item.path, render(schema))
    return changed
