"""The rules across a whole dataset that every kind of run (full, focused, warm) adds the same
way: ids that clash between files, and committed schemas that no longer match the models.

Their findings are never kept with a file between runs (scope `dataset` in the registry): they
are made again from the files at hand each time.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from claimtrack.model.rulebook import RULEBOOK, Scope
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.validate.committed import schema_freshness
from claimtrack.validate.cross_record import duplicate_ids
from claimtrack.validate.findings import Finding


def dataset_findings(
    dataset: Dataset, files: Iterable[DataFile], shown: Container[str] | None = None
) -> list[Finding]:
    """Clashing ids among ``files`` (those in the files ``shown``, when given), and the
    committed schemas' freshness."""
    clashes = duplicate_ids(list(files))
    if shown is not None:
        clashes = [f for f in clashes if f.path in shown]
    return clashes + schema_freshness(dataset)


def kept_with_its_file(finding: Finding) -> bool:
    """Whether a finding can be kept with the file it is in between runs: not one of a rule of
    the whole dataset, which is made again at every run."""
    rule = RULEBOOK.get(finding.rule)
    return rule is None or rule.scope is not Scope.DATASET
