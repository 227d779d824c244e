"""What a site is built from: the files of one release (or of the working tree, built in memory
as a release would be), so a site shows exactly what the release publishes and nothing its
sources' rights keep out.

A release folder is verified first; only the files its manifest lists are read, and withdrawn
files (`dataset/withdrawn.json`) are left out.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.exc import ClaimtrackError, InputError
from claimtrack.model.identity import DatasetIdentity
from claimtrack.release.in_memory import build_files, source_commit
from claimtrack.release.snapshot import WORKTREE, seed_metadata, worktree
from claimtrack.release.verify import verify, withdrawn_files
from claimtrack.store.layout import Dataset
from claimtrack.store.policies import POLICY_FILES
from claimtrack.store.releases import MANIFEST, release_path

IDENTITY_KEYS = ("name", "title", "publisher", "license", "contact", "base_url", "languages")

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
# a section's heading, with its date (`## [1.3.0] - 2026-12-07`): the rest of the line is the
# heading's, never the section's first line
_SECTION = re.compile(r"^## \[(?P<name>[^\]]+)\][^\n]*", re.MULTILINE)


class SiteError(ClaimtrackError):
    """A site cannot be built: the release is damaged, or the output folder is not ours."""


@dataclass(frozen=True)
class SiteSource:
    """A release's content, as the site shows it."""

    version: str
    date: str
    manifest: dict[str, Any]
    claims_data: bytes | Path  # `claims.jsonl`: in memory, or where it is (read as a stream)
    seeds: dict[str, dict[str, Any]]
    files: dict[str, bytes | Path]  # the release's published files: contents, or where they are
    changelog: str

    @functools.cached_property
    def about(self) -> DatasetIdentity | None:
        """The dataset's identity as the release's manifest records it (None before 1.3.0)."""
        fields = {k: self.manifest.get(k) for k in IDENTITY_KEYS if self.manifest.get(k)}
        if not fields:
            return None
        try:
            return DatasetIdentity.model_validate({"schema_version": "1.0", **fields})
        except ValidationError:
            return None

    @functools.cached_property
    def policies(self) -> dict[str, bool]:
        """Which policy files the release ships (read once for every page's navigation)."""
        return {name: self.policy(name) is not None for name in POLICY_FILES}

    def text(self, seed_id: str) -> str | None:
        """The text of a source the release publishes (None when it does not), read when a
        page needs it: a release's texts are never all held at once."""
        meta = self.seeds.get(seed_id)
        data = self.files.get(f"seeds/{meta.get('text_file')}") if meta else None
        if data is None:
            return None
        try:
            return _bytes(data).decode("utf-8")
        except (OSError, UnicodeError) as error:
            raise SiteError(
                f"the text of source {seed_id} cannot be read: {error}",
                hint=f"run `claimtrack verify {self.version}`",
            ) from None

    def policy(self, name: str) -> str | None:
        """A policy file the release ships (`METHODOLOGY.md`, `CORRECTIONS.md`), as text."""
        data = self.files.get(name)
        if data is None:
            return None
        try:
            return _bytes(data).decode("utf-8")
        except UnicodeError:
            return None


def changelog_section(root: Path, name: str) -> str:
    """The CHANGELOG.md section of release ``name`` (`Unreleased` for the working tree)."""
    try:
        text = (root / "CHANGELOG.md").read_text("utf-8")
    except (OSError, UnicodeError):
        return ""
    heads = list(_SECTION.finditer(text))
    for i, head in enumerate(heads):
        if head.group("name") == name:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            return text[head.end() : end].strip()
    return ""


def _from_release(dataset: Dataset, version: str | None) -> tuple[str, dict[str, bytes | Path]]:
    folder = release_path(dataset, version)
    problems = verify(folder)
    if problems:
        raise SiteError(
            f"release {folder.name} is damaged: {problems[0].path}: {problems[0].message}",
            path=folder,
            hint=f"run `claimtrack verify {folder.name}`; a site is built from intact releases",
        )
    raw = (folder / MANIFEST).read_bytes()
    manifest = json.loads(raw)
    withdrawn = withdrawn_files(folder)
    if "claims.jsonl" in withdrawn:
        raise SiteError(
            f"release {folder.name} has no site: its claim records are withdrawn from "
            f"publication ({withdrawn['claims.jsonl']})",
            path=folder,
            hint="build the site of a later release (`claimtrack site` takes the latest)",
        )
    files: dict[str, bytes | Path] = {MANIFEST: raw}
    for entry in manifest["files"]:
        path = str(entry["path"])
        if path in withdrawn:
            continue
        # what every page needs is read (the sources' metadata, the policies); the texts when
        # a page needs them; the tables are only offered for download (copied)
        needed = path in POLICY_FILES or (path.startswith("seeds/") and path.endswith(".json"))
        files[path] = (folder / path).read_bytes() if needed else folder / path
    return folder.name, files


def _from_worktree(dataset: Dataset, jobs: int) -> tuple[str, dict[str, bytes | Path]]:
    claims, seeds = worktree(dataset, jobs)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    files = build_files(dataset, claims, seeds, WORKTREE, today, source_commit(dataset.root))
    return WORKTREE, dict(files)


def _bytes(data: bytes | Path) -> bytes:
    return data.read_bytes() if isinstance(data, Path) else data


# texts a release may leave out (null) where a source's rights withhold them (release/rights.py)
_WITHHELD = "withheld"


def _has_withheld(record: dict[str, Any]) -> bool:
    original = record.get("original")
    quotes = record.get("evidence") or []
    corrections = record.get("corrections") or []
    return (
        record.get("statement") is None
        or (isinstance(original, dict) and original.get("text") is None)
        or any(isinstance(q, dict) and q.get("text") is None for q in quotes)
        or any(
            isinstance(q, dict)
            and isinstance(q.get("translation"), dict)
            and q["translation"].get("text") is None
            for q in quotes
        )
        or any(isinstance(c, dict) and None in c.values() for c in corrections)
    )


def fill_withheld(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of a released record with its withheld texts filled in, to check its shape."""
    if not _has_withheld(record):
        return record  # the common case: nothing to fill, nothing copied
    copy: dict[str, Any] = json.loads(json.dumps(record))
    if copy.get("statement") is None:
        copy["statement"] = _WITHHELD
    if isinstance(copy.get("original"), dict) and copy["original"].get("text") is None:
        copy["original"]["text"] = _WITHHELD
    for quote in copy.get("evidence") or []:
        if isinstance(quote, dict):
            if quote.get("text") is None:
                quote["text"] = _WITHHELD
            translation = quote.get("translation")
            if isinstance(translation, dict) and translation.get("text") is None:
                translation["text"] = _WITHHELD
    for entry in copy.get("corrections") or []:
        if isinstance(entry, dict):
            for name in ("wrong", "change", "reason"):
                if name in entry and entry[name] is None:
                    entry[name] = _WITHHELD
    return copy


def _check_names(seeds: dict[str, dict[str, Any]]) -> None:
    for name in seeds:
        if not SAFE_NAME.match(name):
            raise SiteError(
                f"seed id {json.dumps(name)} cannot name a page",
                hint="ids are letters, digits, `-` and `_`; run `claimtrack validate`",
            )


def load_source(dataset: Dataset, name: str | None, *, jobs: int = 1) -> SiteSource:
    """The content of release ``name`` (the latest when None), or of the working tree."""
    if name == WORKTREE:
        version, files = _from_worktree(dataset, jobs)
    else:
        version, files = _from_release(dataset, name)
    try:
        manifest = json.loads(_bytes(files[MANIFEST]))
        claims = files["claims.jsonl"]
        seeds = seed_metadata((p, d) for p, d in files.items() if isinstance(d, bytes))
    except (KeyError, ValueError, TypeError, RecursionError) as error:
        raise InputError(
            f"release {version} cannot be read for a site: {error!r}",
            hint=f"run `claimtrack verify {version}`",
        ) from None
    _check_names(seeds)
    section = "Unreleased" if version == WORKTREE else version
    return SiteSource(
        version,
        str(manifest.get("release_date", "")),
        manifest,
        claims,
        seeds,
        files,
        changelog_section(dataset.root, section),
    )
