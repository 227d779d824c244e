"""One table per external rating vocabulary: how its labels map onto our confirmation statuses.

Each :class:`Scale` says, for one system, which status an imported label becomes (``imports``)
and which label our status is given when exported or compared (``exports``). Importers,
exporters and `docs/vocabularies.md` all read these tables and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scale:
    """An external rating vocabulary and its mapping to and from our statuses."""

    name: str
    title: str
    imports: dict[str, str] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    case_insensitive: bool = False

    def status_of(self, label: str) -> str | None:
        """Our status for an imported label, or None when the label is not in the table."""
        key = label.casefold().strip(" .") if self.case_insensitive else label
        return self.imports.get(key)


LIAR = Scale(
    "liar",
    "LIAR (PolitiFact ratings)",
    imports={
        "true": "confirmed",
        "mostly-true": "partly_confirmed",
        "half-true": "partly_confirmed",
        "barely-true": "partly_confirmed",
        "false": "refuted",
        "pants-fire": "refuted",
    },
)

AVERITEC = Scale(
    "averitec",
    "AVeriTeC",
    imports={
        "Supported": "confirmed",
        "Refuted": "refuted",
        "Not Enough Evidence": "insufficient_evidence",
        "Conflicting Evidence/Cherrypicking": "disputed",
    },
    exports={
        "reported": "Not Enough Evidence",
        "confirmed": "Supported",
        "partly_confirmed": "Conflicting Evidence/Cherrypicking",
        "disputed": "Conflicting Evidence/Cherrypicking",
        "refuted": "Refuted",
        "insufficient_evidence": "Not Enough Evidence",
        "retracted": "Not Enough Evidence",
        "not_checkable": "Not Enough Evidence",
    },
)

FEVER = Scale(
    "fever",
    "FEVER",
    exports={
        "reported": "NOT ENOUGH INFO",
        "confirmed": "SUPPORTS",
        "partly_confirmed": "NOT ENOUGH INFO",
        "disputed": "NOT ENOUGH INFO",
        "refuted": "REFUTES",
        "insufficient_evidence": "NOT ENOUGH INFO",
        "retracted": "NOT ENOUGH INFO",
        "not_checkable": "NOT ENOUGH INFO",
    },
)

# ClaimReview `reviewRating.alternateName`, compared case-insensitively. Our own export labels
# come first, so that an exported claim re-imports with the same status.
CLAIMREVIEW = Scale(
    "claimreview",
    "ClaimReview `reviewRating.alternateName`",
    imports={
        "unverified": "reported",
        "true": "confirmed",
        "half true": "partly_confirmed",
        "disputed": "disputed",
        "false": "refuted",
        "unproven": "insufficient_evidence",
        "retracted": "retracted",
        "opinion": "not_checkable",
        "correct": "confirmed",
        "accurate": "confirmed",
        "mostly true": "partly_confirmed",
        "half-true": "partly_confirmed",
        "mixture": "partly_confirmed",
        "misleading": "partly_confirmed",
        "mostly false": "partly_confirmed",
        "barely true": "partly_confirmed",
        "incorrect": "refuted",
        "fake": "refuted",
        "pants on fire": "refuted",
        "pants on fire!": "refuted",
        "no evidence": "insufficient_evidence",
        "unsupported": "insufficient_evidence",
        "satire": "not_checkable",
    },
    exports={
        "reported": "Unverified",
        "confirmed": "True",
        "partly_confirmed": "Half true",
        "disputed": "Disputed",
        "refuted": "False",
        "insufficient_evidence": "Unproven",
        "retracted": "Retracted",
        "not_checkable": "Opinion",
    },
    case_insensitive=True,
)
# ClaimReview `ratingValue` on a 1 (worst) to 5 (best) scale, given only for verdicts.
CLAIMREVIEW_RATING_VALUES = {"confirmed": 5, "partly_confirmed": 3, "disputed": 3, "refuted": 1}

SCALES: dict[str, Scale] = {s.name: s for s in (LIAR, AVERITEC, CLAIMREVIEW, FEVER)}
IMPORT_SCALES: dict[str, Scale] = {n: s for n, s in SCALES.items() if s.imports}
