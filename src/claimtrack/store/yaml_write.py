"""Writing records as the human-editable YAML files the dataset keeps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.store.atomic import atomic_write_text

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def modeline(kind: str, depth: int = 1) -> str:
    """The yaml-language-server comment that points editors at the committed schema, from a
    file ``depth`` folders below the dataset's root (`claims/x.yaml`: 1)."""
    name = "claim" if kind == "claim" else "seed"
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json\n"


def render(value: Any) -> str:
    """A value as YAML text, the way the dataset writes it (block style, width 100, keys in
    their order, Unicode as it is)."""
    text: str = yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text.removesuffix("...\n")


def flow(value: Any) -> str:
    """A value as one line of YAML (a scalar or a flow collection)."""
    text: str = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=10**6)
    return text


def to_yaml(record: Claim | SourceDocument, *, depth: int = 1) -> str:
    """A record as YAML: field order of the model, defaults left out, explicit nulls kept;
    ``depth``: how many folders below the dataset's root the file is (for its modeline)."""
    data = record.model_dump(mode="json", exclude_defaults=True)
    if isinstance(record, SourceDocument):  # a cautious default is still said out loud
        full = record.model_dump(mode="json")
        data = {k: full[k] for k in full if k in data or k == "redistribution"}
    body = render(data)
    return modeline("claim" if isinstance(record, Claim) else "seed", depth) + body


def write_record(path: Path, record: Claim | SourceDocument) -> None:
    """Write a record file atomically."""
    atomic_write_text(path, to_yaml(record))
