"""Build hook: packages carry nothing the sources' rights withhold.

- The wheel ships the published releases (`dataset/`) inside the package, except the files
  withdrawn from publication in `dataset/withdrawn.json` and any archived text of a seed whose
  `redistribution` is not `full_text`.
- The source distribution leaves out the same files, and the archived texts and originals in
  `seeds/` of every seed that is not `full_text`.

The repository keeps every file, so each release stays verifiable by hash. This file runs in the
build's own environment, without claimtrack's dependencies: it reads the seeds' two flat keys with
a regular expression rather than a YAML parser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "claimtrack/_releases"
_KEY = re.compile(r"^(redistribution|text_file|original_file):\s*['\"]?([^'\"#\s]*)", re.MULTILINE)


def withheld_texts(root: Path) -> set[str]:
    """File names in `seeds/` (texts and originals) of the seeds that are not `full_text`
    (a seed that does not say is `quotes_only`)."""
    names: set[str] = set()
    for meta in sorted((root / "seeds").glob("*.yaml")):
        keys = dict(_KEY.findall(meta.read_text("utf-8", errors="replace")))
        if keys.get("redistribution", "quotes_only") != "full_text":
            names |= {keys[k] for k in ("text_file", "original_file") if keys.get(k)}
    return names


def withdrawn(root: Path) -> set[str]:
    """Paths under `dataset/` withdrawn from publication (`dataset/withdrawn.json`)."""
    path = root / "dataset" / "withdrawn.json"
    entries = json.loads(path.read_text("utf-8")) if path.exists() else {}
    return {f"{v}/{f}" for v, entry in entries.items() for f in entry.get("files", [])}


def left_out(root: Path) -> set[str]:
    """Paths (from the project root) that no package may carry."""
    texts = withheld_texts(root)
    paths = {f"dataset/{p}" for p in withdrawn(root)}
    paths |= {f"seeds/{name}" for name in texts}
    for release in sorted((root / "dataset").glob("*/seeds")):
        paths |= {
            f"dataset/{release.parent.name}/seeds/{n}" for n in texts if (release / n).exists()
        }
    return paths


class _Excluding:
    """An exclusion spec: the configured one, and the paths withheld."""

    def __init__(self, spec: Any, paths: set[str]) -> None:
        self.spec = spec
        self.paths = paths

    def match_file(self, path: str) -> bool:
        rel = str(path).replace("\\", "/").lstrip("./")
        if rel in self.paths:
            return True
        return bool(self.spec is not None and self.spec.match_file(path))


class ReleasesHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        if self.target_name == "sdist":
            config = self.build_config
            # hatchling reads `exclude_spec` (a cached property) once it lists the files
            config.__dict__["exclude_spec"] = _Excluding(config.exclude_spec, left_out(root))
            return
        if version == "editable":  # an editable install reads the checkout's dataset/
            return
        folder = root / "dataset"
        if not folder.is_dir():
            return
        skipped = left_out(root)
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
            if path.is_file() and not path.is_symlink() and not hidden:
                if f"dataset/{rel}" not in skipped:
                    build_data["force_include"][str(path)] = f"{TARGET}/{rel}"
