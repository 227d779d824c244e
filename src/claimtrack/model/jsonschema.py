"""JSON Schemas (draft 2020-12) generated from the models, byte for byte reproducible."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.store.atomic import atomic_write_bytes

DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class SchemaFile:
    """A generated schema: which model it describes and where it is committed."""

    name: str
    model: type[BaseModel]

    @property
    def file_name(self) -> str:
        return f"{self.name}.schema.json"


SCHEMAS = (SchemaFile("claim", Claim), SchemaFile("seed", SourceDocument))
CLAIM_SCHEMA, SEED_SCHEMA = SCHEMAS


def _generate(model: type[BaseModel]) -> dict[str, Any]:
    body = model.model_json_schema(mode="validation")
    return {"$schema": DRAFT, **body}


@cache
def render(schema: SchemaFile) -> bytes:
    """The schema's bytes: sorted-free stable JSON (model field order), 2-space indent, LF end."""
    text = json.dumps(_generate(schema.model), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


@cache
def as_dict(schema: SchemaFile) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(render(schema))
    return result


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
