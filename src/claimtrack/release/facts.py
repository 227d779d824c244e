"""What a release's metadata files are made from: one record of the release as written.

The Data Package, Croissant, DCAT and citation files each describe the same release for another
ecosystem. They read this record, never the working tree: what they say is what the release
holds, and a value the dataset does not give (`dataset.yaml`) stays out rather than made up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from claimtrack.model.identity import DatasetIdentity
from claimtrack.model.records import SourceDocument
from claimtrack.release.rights import Policy

DEFAULT_TITLE = "claimtrack claims dataset"
ABOUT_TABLES = (
    "Claims with their attribution chain, verbatim quotes from archived sources, confirmation "
    "status and its history."
)


@dataclass(frozen=True)
class TableFiles:
    """One table as released: its rows and its Parquet files in order, with the size and SHA-256
    of those files read one after the other (what a multi-part resource's hash covers)."""

    name: str
    rows: int
    parquet: Sequence[str]
    parquet_bytes: int
    parquet_sha256: str


@dataclass(frozen=True)
class ReleaseFacts:
    """A release being finished: its version, date and commit, who publishes it, its sources and
    their rights, its tables, and the size and SHA-256 of every file written so far."""

    version: str
    date: str
    commit: str
    about: DatasetIdentity | None
    seeds: Sequence[SourceDocument]
    policy: Policy
    tables: Mapping[str, TableFiles]
    files: Mapping[str, tuple[int, str]]

    @property
    def name(self) -> str:
        return self.about.name if self.about and self.about.name else "claimtrack-dataset"

    @property
    def title(self) -> str:
        return self.about.title if self.about and self.about.title else DEFAULT_TITLE

    @property
    def description(self) -> str:
        """The dataset's own description (when it gives one), then what the tables hold."""
        own = self.about.description if self.about and self.about.description else ""
        return (own + " " if own else "") + ABOUT_TABLES

    @property
    def publisher(self) -> str | None:
        who = self.about.publisher if self.about else None
        return who.name if who else None

    @property
    def publisher_url(self) -> str | None:
        who = self.about.publisher if self.about else None
        return who.url if who else None

    @property
    def licence(self) -> str | None:
        """The claim records' licence as an SPDX expression, if the dataset chose one."""
        return self.about.license if self.about else None

    def licence_ids(self) -> list[str]:
        """The SPDX licence ids in the licence expression (`MIT OR Apache-2.0`: both; an
        exception after `WITH` is no licence, and is left out)."""
        if not self.licence:
            return []
        words = self.licence.replace("(", " ").replace(")", " ").split()
        after_with = {i + 1 for i, w in enumerate(words) if w == "WITH"}
        return [
            w for i, w in enumerate(words) if w not in ("AND", "OR", "WITH") and i not in after_with
        ]

    @property
    def licence_is_a_choice(self) -> bool:
        """Whether the expression is one licence, or a choice of licences (`A OR B`): what a
        list of ids can say (CFF reads a list as a choice)."""
        words = (self.licence or "").replace("(", " ").replace(")", " ").split()
        return bool(words) and "AND" not in words and "WITH" not in words

    def shipped_text(self, seed: SourceDocument) -> str | None:
        """The release path of the seed's archived text, when its rights let it ship."""
        return f"seeds/{seed.text_file}" if seed.id in self.policy.texts else None

    def sha256(self, path: str) -> str:
        return self.files[path][1]

    def size(self, path: str) -> int:
        return self.files[path][0]


def spdx_url(licence_id: str) -> str:
    """The SPDX page of a licence id."""
    return f"https://spdx.org/licenses/{licence_id}.html"


def identity_fields(about: DatasetIdentity | None) -> dict[str, Any]:
    """What a manifest says of the dataset's identity: each value `dataset.yaml` gives."""
    if about is None:
        return {}
    found: dict[str, Any] = {
        "title": about.title,
        "publisher": (
            {"name": about.publisher.name, "url": about.publisher.url} if about.publisher else None
        ),
        "license": about.license,
        "contact": about.contact,
        "base_url": about.base_url,
        "languages": about.languages or None,
    }
    return {k: v for k, v in found.items() if v is not None}
