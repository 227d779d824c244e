"""Build hook: packages carry nothing the sources' rights withhold.

- The wheel ships the published releases (`dataset/`) inside the package, except the files
  withdrawn from publication in `dataset/withdrawn.json` and any archived text of a seed whose
  `redistribution` is not `full_text`.
- The source distribution leaves out the same files, the archived texts and originals in
  `seeds/` (and `tests/examples/seeds/`) of every seed that is not `full_text`, and the claim
  files that quote a seed whose words may not be published at all (`none`).

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


_SEED_REF = re.compile(r"^\s*-?\s*seed:\s*['\"]?([A-Za-z0-9_-]+)", re.MULTILINE)


def _seeds(folder: Path) -> dict[str, dict[str, str]]:
    """Each seed's id -> its policy and file names, from the flat keys of `<id>.yaml`."""
    found = {}
    for meta in sorted(folder.glob("*.yaml")):
        keys = dict(_KEY.findall(meta.read_text("utf-8", errors="replace")))
        keys.setdefault("redistribution", "quotes_only")  # a seed that does not say
        found[meta.stem] = keys
    return found


def withheld_texts(folder: Path) -> set[str]:
    """File names in a `seeds/` folder (texts and originals) of the seeds that are not
    `full_text`."""
    names: set[str] = set()
    for keys in _seeds(folder).values():
        if keys["redistribution"] != "full_text":
            names |= {keys[k] for k in ("text_file", "original_file") if keys.get(k)}
    return names


def silent_claims(root: Path) -> set[str]:
    """Claim files (from the project root) that quote a seed whose policy is `none`."""
    silent = {i for i, keys in _seeds(root / "seeds").items() if keys["redistribution"] == "none"}
    found = set()
    for claim in sorted((root / "claims").rglob("*.yaml")):
        refs = set(_SEED_REF.findall(claim.read_text("utf-8", errors="replace")))
        if refs & silent:
            found.add(claim.relative_to(root).as_posix())
    return found


def withdrawn(root: Path) -> set[str]:
    """Paths under `dataset/` withdrawn from publication (`dataset/withdrawn.json`)."""
    path = root / "dataset" / "withdrawn.json"
    entries = json.loads(path.read_text("utf-8")) if path.exists() else {}
    return {f"{v}/{f}" for v, entry in entries.items() for f in entry.get("files", [])}


def left_out(root: Path) -> set[str]:
    """Paths (from the project root) that no package may carry."""
    texts = withheld_texts(root / "seeds")
    paths = {f"dataset/{p}" for p in withdrawn(root)}
    paths |= {f"seeds/{name}" for name in texts}
    examples = root / "tests" / "examples" / "seeds"
    paths |= {f"tests/examples/seeds/{name}" for name in withheld_texts(examples)}
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
            skipped = left_out(root) | silent_claims(root)
            # hatchling reads `exclude_spec` (a cached property) once it lists the files
            config.__dict__["exclude_spec"] = _Excluding(config.exclude_spec, skipped)
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
            shipped = f"dataset/{rel}" not in skipped
            if path.is_file() and not path.is_symlink() and not hidden and shipped:
                build_data["force_include"][str(path)] = f"{TARGET}/{rel}"
