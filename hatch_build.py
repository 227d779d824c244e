"""Wheel build hook: ship the published releases (`dataset/`) inside the package, except the
files withdrawn from publication in `dataset/withdrawn.json` (for example archived texts whose
rights do not allow publishing them). The repository keeps every file, so a release stays
verifiable by hash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "claimtrack/_releases"


class ReleasesHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":  # an editable install reads the checkout's dataset/
            return
        root = Path(self.root) / "dataset"
        if not root.is_dir():
            return
        withdrawn_file = root / "withdrawn.json"
        withdrawn = json.loads(withdrawn_file.read_text("utf-8")) if withdrawn_file.exists() else {}
        left_out = {f"{v}/{f}" for v, entry in withdrawn.items() for f in entry.get("files", [])}
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
            if path.is_file() and not path.is_symlink() and not hidden and rel not in left_out:
                build_data["force_include"][str(path)] = f"{TARGET}/{rel}"
