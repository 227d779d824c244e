"""`claimtrack about`: set the dataset's identity (`dataset.yaml`) from the command line.

Each value given replaces one line of the file, its comments and layout kept; a missing file is
started from `init`'s template. The result is checked before it is written (an unknown licence,
a URL that is not http(s)): nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pydantic

from claimtrack.edit.claims import Edited
from claimtrack.edit.textedit import EditableFile
from claimtrack.exc import InputError
from claimtrack.model.identity import DatasetIdentity
from claimtrack.store.layout import Dataset
from claimtrack.store.locking import locked
from claimtrack.store.policies import IDENTITY_TEMPLATE, identity_path
from claimtrack.store.yaml_read import YamlProblem, load_bytes


@dataclass(frozen=True)
class IdentityChange:
    """The values to set; None leaves a field as it is."""

    name: str | None = None
    title: str | None = None
    description: str | None = None
    publisher: str | None = None
    publisher_url: str | None = None
    publisher_kind: str | None = None
    license: str | None = None
    contact: str | None = None
    base_url: str | None = None
    languages: tuple[str, ...] = ()

    def values(self, current: dict[str, Any]) -> dict[str, Any]:
        """Top-level field -> new value."""
        found: dict[str, Any] = {}
        for key in ("name", "title", "description", "license", "contact", "base_url"):
            value = getattr(self, key)
            if value is not None:
                found[key] = value
        publisher = self._publisher(current)
        if publisher is not None:
            found["publisher"] = publisher
        if self.languages:
            found["languages"] = list(self.languages)
        return found

    def _publisher(self, current: dict[str, Any]) -> dict[str, Any] | None:
        """The publisher with the values given set, and the others it had kept."""
        given = {"name": self.publisher, "url": self.publisher_url, "kind": self.publisher_kind}
        if all(v is None for v in given.values()):
            return None
        old = current.get("publisher") if isinstance(current.get("publisher"), dict) else None
        merged = {"url": None, **(old or {}), **{k: v for k, v in given.items() if v is not None}}
        if merged.get("name") is None:
            raise InputError(
                "--publisher-url and --publisher-kind need the publisher's name",
                hint='give --publisher "NAME" too',
            )
        return merged


@locked
def set_identity(dataset: Dataset, change: IdentityChange) -> Edited:
    """Write the changed values into `dataset.yaml` (started from the template if missing):
    the whole result is checked first, and nothing is written unless it is valid."""
    path = identity_path(dataset.root)
    fresh = not path.exists() and not path.is_symlink()
    file = EditableFile.new(path, IDENTITY_TEMPLATE) if fresh else EditableFile.open(path)
    values = change.values(file.data if isinstance(file.data, dict) else {})
    if not values:
        raise InputError(
            "nothing to set", hint="give at least one option, e.g. --license CC-BY-4.0"
        )
    for key, value in values.items():
        file.set_raw(key, json.dumps(value, ensure_ascii=False))
    text = file.result()
    try:
        DatasetIdentity.model_validate(load_bytes(text.encode("utf-8")).data)
    except YamlProblem as problem:
        raise InputError(f"the result would not be YAML: {problem.message}", path=path) from None
    except pydantic.ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"`{where}`: {first['msg']}; nothing was written",
            path=path,
            hint="correct the value given for it (docs/publishing.md describes each field)",
        ) from None
    file.write(text)
    return Edited(path, "" if fresh else file.text, text)
