"""Validating some claim files against only the seeds they quote.

What `show ID` needs, and what patching the stored tables after an edit needs: the full
per-file checks of those files, their quotes against the seeds they name (only those seeds
are read), their ids against every claim file name, and the committed schemas' freshness. The
other files are not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.store.layout import DataFile, Dataset, same_names
from claimtrack.validate.committed import schema_bytes
from claimtrack.validate.cross_record import claim_cross, seed_refs
from claimtrack.validate.dataset_rules import dataset_findings
from claimtrack.validate.findings import Finding
from claimtrack.validate.per_file import check_file
from claimtrack.validate.seed_texts import forget_texts, seed_texts


@dataclass
class Focused:
    """Findings of the files checked (not of the seeds they quote: those are `validate`'s to
    report), and their claims by path."""

    findings: list[Finding] = field(default_factory=list)
    claims: dict[Path, Claim] = field(default_factory=dict)
    seeds: list[SourceDocument] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def _clashing(dataset: Dataset, files: list[DataFile], names: list[str] | None) -> list[DataFile]:
    """The checked files, and every claim file whose name equals one of theirs ignoring case
    (only those can clash; the others are not made into paths). ``names``: the claim listing
    (:meth:`Dataset.claim_names`), or at least each name in it that can clash."""
    wanted = {f.path.name.casefold() for f in files}
    listed = dataset.claim_names(ordered=False) if names is None else names
    others = [
        DataFile(dataset.claims_dir / n, "claim", dataset.display(dataset.claims_dir / n))
        for n in same_names(listed, wanted)
    ]
    chosen = {f.path.absolute() for f in files}
    inside = dataset.claims_dir.absolute()
    return sorted(  # the order of the full listing: files in claims/ by relative path
        [*files, *[f for f in others if f.path.absolute() not in chosen]],
        key=lambda f: (not f.path.absolute().is_relative_to(inside), _relative(f.path, inside)),
    )


def _relative(path: Path, folder: Path) -> str:
    absolute = path.absolute()
    return absolute.relative_to(folder).as_posix() if absolute.is_relative_to(folder) else ""


def _ids(dataset: Dataset, names: list[str] | None, claim: Claim) -> set[str] | None:
    """The claim ids a claim's `same_as` links may name: checked only when it has links."""
    if not claim.same_as:
        return None
    del names  # it may hold only the names that clash with a checked file's: listed anew
    return {Path(n).name.removesuffix(".yaml") for n in dataset.claim_names(ordered=False)}


def validate_claims(dataset: Dataset, paths: list[Path], names: list[str] | None = None) -> Focused:
    """Check the claim files ``paths`` in full, reading only the seeds they quote. ``names``:
    the claim listing (:meth:`Dataset.claim_names`) if the caller has it, or at least each
    name in it that equals a checked file's name ignoring case."""
    out = Focused()
    schema = schema_bytes(dataset, "claim")
    files = [DataFile(p, "claim", dataset.display(p)) for p in paths]
    checked = [(f, check_file(f, schema)) for f in files]
    for file, result in checked:
        out.findings += result.findings
        if isinstance(result.record, Claim):
            out.claims[file.path] = result.record
    refs = sorted({ref for claim in out.claims.values() for ref in seed_refs(claim)})
    seed_schema = schema_bytes(dataset, "seed")
    valid_seeds = []
    for ref in refs:
        path = dataset.seeds_dir / f"{ref}.yaml"
        if not path.is_file():
            continue  # claim_cross reports the missing seed at each reference
        seed_file = DataFile(path, "seed", dataset.display(path))
        result = check_file(seed_file, seed_schema)
        if isinstance(result.record, SourceDocument):
            valid_seeds.append((seed_file, result.record))
    texts, _ = seed_texts(dataset, valid_seeds)  # a seed's own problems are not this file's
    out.seeds = [meta for _, meta in valid_seeds]
    try:
        for file, _ in checked:
            claim = out.claims.get(file.path)
            if claim is not None:
                out.findings += claim_cross(file, claim, texts, _ids(dataset, names, claim))
    finally:
        forget_texts()
    shown = {f.display for f in files}
    across = dataset_findings(dataset, _clashing(dataset, files, names), shown)
    out.findings = [f for f in out.findings if f.path in shown] + across
    out.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return out
