"""One claim by its exact id: its file, validated, with the texts of the seeds it quotes."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from claimtrack.exc import InputError, InvalidDataset
from claimtrack.model.records import Claim
from claimtrack.model.types import SLUG
from claimtrack.store.layout import SUFFIX, Dataset, same_names
from claimtrack.validate.focused import validate_claims


class UnknownClaim(InputError):
    """No claim has the id asked for; ``suggestions`` lists close ids."""

    def __init__(self, claim_id: str, suggestions: list[str]) -> None:
        shown = claim_id if len(claim_id) <= 80 else claim_id[:77] + "..."
        super().__init__(
            f"no claim `{shown}`",
            hint=("did you mean: " + ", ".join(suggestions))
            if suggestions
            else "list the ids with `claimtrack query --columns claim_id`",
        )
        self.suggestions = suggestions


def suggest(wanted: str, ids: list[str], n: int = 3) -> list[str]:
    """Close ids: those containing ``wanted`` (ignoring case) first, then similar spellings."""
    folded = wanted.casefold()
    close = [i for i in sorted(ids) if folded in i.casefold()][:n]
    return close or difflib.get_close_matches(wanted, ids, n=n)


@dataclass(frozen=True)
class FoundClaim:
    claim: Claim
    seed_texts: dict[str, str]


def find_claim(dataset: Dataset, claim_id: str) -> FoundClaim:
    """The claim whose id is exactly ``claim_id``, validated on its own (cross-record rules see
    every seed); raises UnknownClaim (with suggestions) or InvalidDataset (its findings)."""
    names = dataset.claim_names(ordered=False)
    wanted = claim_id + SUFFIX
    alike = same_names(names, {wanted.casefold()}) if re.fullmatch(SLUG, claim_id) else []
    found = [n for n in alike if n[n.rfind("/") + 1 :] == wanted]
    if not found:  # an id never names a path
        raise UnknownClaim(claim_id, suggest(claim_id, list(dataset.claim_index(sorted(names)))))
    path = dataset.claim_path(min(found))  # of two files with this id (a finding), the first
    report = validate_claims(dataset, [path], alike)  # only these names can clash with it
    if not report.ok or path not in report.claims:
        raise InvalidDataset(report.findings, path=path)
    claim = report.claims[path]
    quoted = {q.seed for q in claim.evidence}
    texts: dict[str, str] = {}
    for seed in report.seeds:
        if seed.id in quoted:
            try:
                texts[seed.id] = dataset.seed_text_path(seed.text_file).read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # the card shows the quote without its context
    return FoundClaim(claim, texts)
