"""The cache key of every checked file as a frame, and the valid claims' keys in id order.

A run over a million files keeps a key per file. As a Python dict that is ~230 bytes a file
(two strings and a slot); as a two-column frame it is the strings' bytes. Releases and the
tables read the claims in id order, ``CHUNK`` at a time, from these keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from claimtrack.store.layout import SUFFIX, Dataset

if TYPE_CHECKING:
    from claimtrack.validate.result import ValidationReport

KEY_SCHEMA = pl.Schema({"display": pl.String, "key": pl.String})
CHUNK = 5_000  # claims whose models are held at a time when streaming a dataset's claims


def key_frame(keys: Mapping[str, str] | pl.DataFrame) -> pl.DataFrame:
    """Keys by display path as a frame (display, key)."""
    if isinstance(keys, pl.DataFrame):
        return keys
    return pl.DataFrame({"display": list(keys), "key": list(keys.values())}, schema=KEY_SCHEMA)


@dataclass(frozen=True)
class ClaimKeys:
    """The valid claim files of a report (made with ``records=False``) in id order: a frame of
    id, display path and cache key, read a chunk at a time."""

    frame: pl.DataFrame

    @classmethod
    def of(cls, dataset: Dataset, report: ValidationReport) -> ClaimKeys:
        """The claim files among the report's keys (those under `claims/`), sorted by id (the
        file name without `.yaml`)."""
        prefix = dataset.display(dataset.claims_dir)
        name = pl.col("display").str.extract(r"([^/\\]+)$")
        frame = (
            key_frame(report.file_keys)
            .filter(
                pl.col("display").str.starts_with(prefix + "/")
                | pl.col("display").str.starts_with(prefix + "\\"),
                name.str.ends_with(SUFFIX),
            )
            .select(
                name.str.slice(0, name.str.len_chars() - len(SUFFIX)).alias("id"),
                "display",
                "key",
            )
            .sort("id")
        )
        return cls(frame)

    def __len__(self) -> int:
        return self.frame.height

    def chunks(self, size: int = CHUNK, boundary: int = 0) -> KeyChunks:
        """Cut every ``size`` claims and at every multiple of ``boundary`` (a part's size)."""
        total = self.frame.height
        if not total:
            return KeyChunks(self.frame, [])
        cuts = set(range(0, total, size)) | set(range(0, total, boundary or total))
        starts = sorted(cuts)
        return KeyChunks(self.frame, list(zip(starts, [*starts[1:], total], strict=True)))


@dataclass(frozen=True)
class KeyChunks:
    """Chunks of claim files ({display path: cache key}), made one at a time as they are read."""

    frame: pl.DataFrame
    bounds: list[tuple[int, int]]

    def __len__(self) -> int:
        return len(self.bounds)

    def __iter__(self) -> Iterator[dict[str, str]]:
        for start, end in self.bounds:
            part = self.frame.slice(start, end - start)
            yield dict(zip(part["display"].to_list(), part["key"].to_list(), strict=True))
