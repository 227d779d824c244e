"""Sharded validation, for a CI matrix: `validate --shard I/N` checks a stable part of the files
fully, and `validate --merge` combines the shards' JSON reports into one.

A file belongs to shard ``sha256(path) mod N``. Each shard checks its own files with every
per-file rule, and the cross-record rules with a view of the whole dataset: a claim's quotes
against every seed, and ids against every file name (a cheap listing, no file is read). A
finding is reported by the shard of the file it concerns, so the union of the N shards'
findings is exactly the findings of one serial run.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.exc import InputError
from claimtrack.model.identity import IDENTITY_FILE
from claimtrack.store.files import MAX_IMPORT_BYTES, FileTooLarge, read_bounded
from claimtrack.store.git import git
from claimtrack.store.layout import Dataset
from claimtrack.validate.findings import Finding
from claimtrack.validate.result import ValidationReport

_SPEC = re.compile(r"^([0-9]{1,4})/([0-9]{1,4})$")
_FIELDS = ("path", "line", "column", "pointer", "rule", "severity", "message", "hint")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (0-based index)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SPEC.match(text.strip())
        if match is None or not 0 <= int(match.group(1)) < int(match.group(2)):
            raise InputError(
                f"`{text}` is not a shard",
                hint="give I/N with 0 <= I < N, e.g. `--shard 0/4` ... `--shard 3/4`",
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def holds(self, display: str) -> bool:
        digest = hashlib.sha256(display.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def origin(dataset: Dataset) -> dict[str, Any]:
    """What a shard's run checked, so that reports of other runs are never merged with it: the
    dataset (its `dataset.yaml` name, else its folder's), the git commit (`+dirty` with changes
    under claims/, seeds/ or schemas/; `unknown` outside git) and how many record files the
    whole dataset has."""
    try:
        commit = git(dataset.root, "rev-parse", "HEAD").strip()
        dirty = git(dataset.root, "status", "--porcelain", "--", "claims", "seeds", "schemas")
        commit += "+dirty" if dirty.strip() else ""
    except InputError:
        commit = "unknown"
    name = dataset.root.resolve().name
    try:
        raw = (dataset.root / IDENTITY_FILE).read_text("utf-8")
        found = re.search(r"(?m)^name:\s*['\"]?([a-z0-9][a-z0-9-]*)", raw)
        name = found.group(1) if found else name
    except (OSError, UnicodeError):
        pass
    return {"dataset": name, "commit": commit, "files": len(dataset.all_files())}


def shard_paths(dataset: Dataset, shard: Shard) -> list[Path]:
    """The record files of ``shard``: a stable part of the dataset, by each file's path from
    the dataset's root (the same shards wherever the dataset is, however `--root` names it)."""
    return [f.path for f in dataset.all_files() if shard.holds(_from_root(dataset, f.path))]


def _from_root(dataset: Dataset, path: Path) -> str:
    try:
        return path.relative_to(dataset.root).as_posix()
    except ValueError:  # never expected: every listed file is under the root
        return str(path)


def _report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_bounded(path, MAX_IMPORT_BYTES).decode("utf-8"))
    except (OSError, FileTooLarge, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise InputError(
            f"cannot read a shard's report: {error}",
            path=path,
            hint="give the output of `claimtrack validate --shard I/N --format json`",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError(
            "not a JSON validation report (no `findings` list)",
            path=path,
            hint="give the output of `claimtrack validate --shard I/N --format json`",
        )
    return data


def _finding(item: Any, path: Path, i: int) -> Finding:
    if not isinstance(item, dict) or any(k not in item for k in _FIELDS):
        raise InputError(
            f"finding {i} is not a finding (it needs {', '.join(_FIELDS)})",
            path=path,
            hint="give the reports unchanged, as `validate --format json` wrote them",
        )
    values = {k: item[k] for k in _FIELDS}
    texts = [
        k for k in ("path", "pointer", "rule", "message", "hint") if not isinstance(values[k], str)
    ]
    numbers = [
        k
        for k in ("line", "column")
        if not isinstance(values[k], int) or isinstance(values[k], bool) or values[k] < 0
    ]
    if texts or numbers or values["severity"] not in ("error", "warning"):
        wrong = ", ".join([*texts, *numbers]) or "severity"
        raise InputError(
            f"finding {i} has a field of the wrong type: {wrong}",
            path=path,
            hint="give the reports unchanged, as `validate --format json` wrote them",
        )
    return Finding(**values)


def merge(root: Path, reports: list[Path]) -> ValidationReport:
    """One report from the shards' JSON reports; every shard of one split must be there once."""
    seen: dict[str, Path] = {}
    findings: set[Finding] = set()
    checked = 0
    origins: dict[str, Path] = {}
    for path in reports:
        data = _report(path)
        shard = Shard.parse(str(data.get("shard", "")))
        run = data.get("origin")
        if not isinstance(run, dict):
            raise InputError(
                "the report does not say which dataset and commit it checked",
                path=path,
                hint="run the shards again with this claimtrack (`validate --shard I/N --format "
                "json`)",
            )
        origins.setdefault(json.dumps(run, sort_keys=True), path)
        if str(shard) in seen:
            raise InputError(f"shard {shard} is given twice (also {seen[str(shard)]})", path=path)
        seen[str(shard)] = path
        findings |= {_finding(item, path, i) for i, item in enumerate(data["findings"])}
        files = data.get("files_checked")
        checked += files if isinstance(files, int) and not isinstance(files, bool) else 0
    if len(origins) > 1:
        raise InputError(
            "the reports come from different runs: "
            + "; ".join(f"{p.name}: {run}" for run, p in origins.items()),
            hint="merge the shards of one run: the same dataset, commit and files",
        )
    counts = {int(s.split("/")[1]) for s in seen}
    if len(counts) != 1:
        raise InputError(
            "the reports come from different splits: " + ", ".join(sorted(seen)),
            hint="merge the shards of one `--shard I/N` run",
        )
    count = counts.pop()
    missing = [f"{i}/{count}" for i in range(count) if f"{i}/{count}" not in seen]
    if missing:
        raise InputError(
            "shards missing: " + ", ".join(missing),
            hint="merge the reports of every shard (a missing one would hide its findings)",
        )
    ordered = sorted(
        findings, key=lambda f: (f.path, f.line, f.column, f.rule, f.pointer, f.message)
    )
    return ValidationReport(root=root, files=[], findings=ordered, counted=checked)
