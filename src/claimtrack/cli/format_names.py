"""The names of the output formats by kind, for `--format` choices: importing them costs
nothing, while the writers (:mod:`claimtrack.cli.formats`) import Polars and rich. The writers'
registry checks it has exactly these names."""

from __future__ import annotations

FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "findings": ("text", "json", "github", "sarif", "junit"),
    "rows": ("table", "csv", "json", "ndjson"),
    "diff": ("text", "json", "markdown"),
    "card": ("card", "json", "yaml"),
    "matches": ("text", "json", "markdown"),
}
