"""The result of a validation run: files checked, findings, and the valid records when asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.validate.findings import Finding

if TYPE_CHECKING:
    import polars as pl


# the content key of each file a run checked, by display path: a dict for a run of up to a part
# of files, a frame (display, key) for a larger one, where a dict would cost ~230 bytes a file
# (`validate.keys.key_frame` makes either a frame)
FileKeys = Union[dict[str, str], "pl.DataFrame"]


@dataclass
class ValidationReport:
    """The result of validating a dataset (or some of its files)."""

    root: Path
    files: list[str]
    findings: list[Finding]
    claims: list[Claim] = field(default_factory=list)
    seeds: Sequence[SourceDocument] = field(default_factory=list)  # a SeedList from a kept run
    cache_hits: int = 0
    file_keys: FileKeys = field(default_factory=dict, compare=False)
    counted: int | None = None  # files checked, when ``files`` is not listed (merged shards)
    shard: str | None = None  # `I/N` when this run checked one shard
    origin: dict[str, Any] | None = None  # what a shard's run checked: dataset, commit, files
    # the seeds as a kept run stored them (JSON Lines), when a warm run leaves out ``seeds``
    seed_lines: bytes | None = field(default=None, compare=False, repr=False)
    # each valid claim's `same_as` links (claims without any left out), for the next warm run
    links: dict[str, list[str]] | None = field(default=None, compare=False, repr=False)

    @property
    def files_checked(self) -> int:
        return len(self.files) if self.counted is None else self.counted

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors
