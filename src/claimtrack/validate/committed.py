"""The schemas a dataset validates against: its committed `schemas/`, and whether they still
match the models (what every kind of run needs, without the full run's worker pool and cache)."""

from __future__ import annotations

from claimtrack.model import schema_export as schemas
from claimtrack.store import schemas as committed_schemas
from claimtrack.store.layout import Dataset
from claimtrack.validate.findings import Finding


def schema_bytes(dataset: Dataset, kind: str) -> bytes:
    """The dataset's committed schema, or the models' own when the dataset has none."""
    schema = schemas.CLAIM_SCHEMA if kind == "claim" else schemas.SEED_SCHEMA
    try:
        return (dataset.schemas_dir / schema.file_name).read_bytes()
    except OSError:
        return schemas.render(schema)


def schema_freshness(dataset: Dataset) -> list[Finding]:
    """A finding for each committed schema that is stale or missing (none without `schemas/`)."""
    if not dataset.schemas_dir.is_dir():
        return []
    return [
        Finding(
            dataset.display(item.path),
            1,
            1,
            "",
            f"schema.{item.state}",
            "error",
            f"the committed schema is {item.state}: it does not match claimtrack's models",
            "run `claimtrack schema` to regenerate it, and commit the result",
        )
        for item in committed_schemas.status(dataset.root)
        if item.state != "current"
    ]
