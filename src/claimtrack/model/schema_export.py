"""JSON Schemas (draft 2020-12) generated from the models, byte for byte reproducible."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from claimtrack.model.identity import DatasetIdentity
from claimtrack.model.records import Claim, SourceDocument

DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class SchemaFile:
    """A generated schema: which model it describes and where it is committed."""

    name: str
    model: type[BaseModel]

    @property
    def file_name(self) -> str:
        return f"{self.name}.schema.json"


SCHEMAS = (
    SchemaFile("claim", Claim),
    SchemaFile("seed", SourceDocument),
    SchemaFile("dataset", DatasetIdentity),
)
CLAIM_SCHEMA, SEED_SCHEMA, DATASET_SCHEMA = SCHEMAS


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
