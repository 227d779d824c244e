"""Repairing what can be repaired mechanically: findings whose fix is unambiguous.

- `evidence.offsets`: the quote occurs in its seed, but `start`/`end` point elsewhere; they are
  set to the occurrence nearest the recorded offsets.
- `id.file-name`: the id differs from the file name; ids are stable and the file name is the id,
  so the `id` field is set to the file name (the file is never renamed).

Edits are made in place (:mod:`.textedit`): only the repaired values change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claimtrack.edit.textedit import EditableFile
from claimtrack.model.types import SEED_ID, SLUG
from claimtrack.store.layout import Dataset
from claimtrack.store.locking import locked
from claimtrack.validate.catalogue import FIXABLE
from claimtrack.validate.check import check as validate
from claimtrack.validate.check import check_candidate
from claimtrack.validate.findings import Finding


@dataclass(frozen=True)
class Repair:
    path: str
    pointer: str
    rule: str
    old: str
    new: str


def _offsets(finding: Finding) -> tuple[int, int] | None:
    match = re.search(r"set `start: (\d+)` and `end: (\d+)`", finding.hint)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _plan(file: EditableFile, findings: list[Finding]) -> list[Repair]:
    repairs = []
    for f in findings:
        if f.rule == "evidence.offsets" and (found := _offsets(f)):
            base = f.pointer.rsplit("/", 1)[0]
            index = int(base.split("/")[2])
            quote = file.data["evidence"][index]
            for key, value in zip(("start", "end"), found, strict=True):
                file.set_scalar(f"{base}/{key}", value)
                repairs.append(Repair(f.path, f"{base}/{key}", f.rule, str(quote[key]), str(value)))
        elif f.rule == "id.file-name":
            stem = file.path.name.removesuffix(".yaml")
            kind_pattern = SEED_ID if file.path.parent.name == "seeds" else SLUG
            if not re.fullmatch(kind_pattern, stem):
                continue  # the file name is no id: renaming the file is the editor's choice
            file.set_scalar("/id", stem)
            repairs.append(Repair(f.path, "/id", f.rule, str(file.data.get("id")), stem))
    return [r for r in repairs if r.old != r.new]


def _still_broken(dataset: Dataset, path: Path, text: str) -> bool:
    """Whether a repaired claim file would still have a fixable finding."""
    return any(f.rule in FIXABLE for f in check_candidate(dataset, path, text.encode("utf-8")))


@locked
def fix(
    dataset: Dataset, paths: Sequence[Path] | None = None, *, check: bool = False
) -> list[Repair]:
    """Repair every fixable finding (of ``paths``, or the whole dataset); with ``check``, only
    say what would change. Returns the repairs, made or to make."""
    report = validate(dataset, paths, cache=None)
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.rule in FIXABLE:
            by_path.setdefault(finding.path, []).append(finding)
    files = {f.display: f.path for f in dataset.select(paths) if paths} if paths else {}
    files |= {f.display: f.path for f in dataset.all_files()}
    repairs: list[Repair] = []
    for shown, findings in sorted(by_path.items()):
        file = EditableFile.open(files[shown])
        planned = _plan(file, findings)
        if not planned:
            continue
        after = file.result()
        if dataset.kind_of(file.path) == "claim" and _still_broken(dataset, file.path, after):
            continue  # the repair would not hold: the file is left as it is
        if not check:
            file.write(after)
        repairs += planned
    return repairs
