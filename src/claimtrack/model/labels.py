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
    why: dict[str, str] = field(default_factory=dict)  # label -> why this status, where lossy
    sources: tuple[str, ...] = ()  # the published rating scales the labels are taken from

    def status_of(self, label: str) -> str | None:
        """Our status for an imported label, or None when the label is not in the table."""
        if not self.case_insensitive:
            return self.imports.get(label)
        return _folded(self).get(_fold(label))


def _fold(label: str) -> str:
    """A label compared ignoring case (`ß` as `ss`), outer dots and marks, and spacing."""
    return " ".join(label.casefold().strip(" .!").split())


_FOLDED: dict[str, dict[str, str]] = {}


def _folded(scale: Scale) -> dict[str, str]:
    if scale.name not in _FOLDED:
        _FOLDED[scale.name] = {_fold(label): status for label, status in scale.imports.items()}
    return _FOLDED[scale.name]


LIAR = Scale(
    "liar",
    "LIAR (PolitiFact ratings)",
    imports={
        "true": "confirmed",
        "mostly-true": "partly_confirmed",
        "half-true": "partly_confirmed",
        "barely-true": "mostly_false",
        "false": "refuted",
        "pants-fire": "refuted",
    },
    why={
        "mostly-true": "PolitiFact: accurate but needs clarification or additional information.",
        "half-true": "PolitiFact: partially accurate, leaves out important details or takes "
        "things out of context.",
        "barely-true": "PolitiFact's older name for Mostly False (renamed in 2011): the "
        "statement contains an element of truth but ignores critical facts.",
        "pants-fire": "PolitiFact's False plus 'makes a ridiculous claim': the ridicule has no "
        "status of its own; the label is kept.",
    },
)

AVERITEC = Scale(
    "averitec",
    "AVeriTeC",
    imports={
        "Supported": "confirmed",
        "Refuted": "refuted",
        "Not Enough Evidence": "insufficient_evidence",
        "Conflicting Evidence/Cherrypicking": "misleading",
    },
    why={
        "Conflicting Evidence/Cherrypicking": "One label for two cases: evidence that both "
        "supports and refutes the claim, or a claim technically true that misleads by leaving "
        "out context. No status of ours is both: `misleading` fits the second, `disputed` the "
        "first. It is filed as `misleading`, so that `disputed` keeps meaning only that sources "
        "contradict each other; `source_label` keeps the label to tell the cases apart.",
    },
    exports={
        "reported": "Not Enough Evidence",
        "confirmed": "Supported",
        "partly_confirmed": "Conflicting Evidence/Cherrypicking",
        "misleading": "Conflicting Evidence/Cherrypicking",
        "mostly_false": "Refuted",
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
        "misleading": "NOT ENOUGH INFO",
        "mostly_false": "NOT ENOUGH INFO",
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
        "misleading": "misleading",
        "mostly false": "mostly_false",
        "disputed": "disputed",
        "false": "refuted",
        "unproven": "insufficient_evidence",
        "retracted": "retracted",
        "opinion": "not_checkable",
        "correct": "confirmed",
        "accurate": "confirmed",
        "correct attribution": "confirmed",
        "mostly true": "partly_confirmed",
        "half-true": "partly_confirmed",
        "mixture": "partly_confirmed",
        "partly false": "partly_confirmed",
        "partly true": "partly_confirmed",
        "missing context": "misleading",
        "needs context": "misleading",
        "lacks context": "misleading",
        "out of context": "misleading",
        "cherry picks": "misleading",
        "cherry-picking": "misleading",
        "exaggerated": "misleading",
        "exaggerates": "misleading",
        "miscaptioned": "misleading",
        "barely true": "mostly_false",
        "mostly-false": "mostly_false",
        "incorrect": "refuted",
        "fake": "refuted",
        "altered": "refuted",
        "manipulated": "refuted",
        "misattributed": "refuted",
        "pants on fire": "refuted",
        "pants on fire!": "refuted",
        "no evidence": "insufficient_evidence",
        "unsupported": "insufficient_evidence",
        "satire": "not_checkable",
        "labeled satire": "not_checkable",
    },
    why={
        "partly false": "Some statements false, others true: the parts-true-parts-false "
        "status, not `mostly_false` (which says the central assertion is wrong).",
        "exaggerated": "The direction is right, the size is not: a false impression from "
        "true elements.",
        "miscaptioned": "A real image or video with a caption that misleads about it.",
        "altered": "Edited or synthesised media presented as authentic: what it shows did "
        "not happen as shown.",
        "misattributed": "The words were not said or written by whom they are attributed to.",
        "satire": "Satire is not a statement of fact; a reader who took it as one is misled, "
        "but the piece itself is not checkable.",
        "no evidence": "The checker found no evidence either way; nothing was shown false.",
    },
    exports={
        "reported": "Unverified",
        "confirmed": "True",
        "partly_confirmed": "Half true",
        "misleading": "Misleading",
        "mostly_false": "Mostly false",
        "disputed": "Disputed",
        "refuted": "False",
        "insufficient_evidence": "Unproven",
        "retracted": "Retracted",
        "not_checkable": "Opinion",
    },
    case_insensitive=True,
)
# the ratings fact-checkers publish in French, Spanish, Portuguese, German and Italian, as they
# reach ClaimReview `alternateName` and search results' `textualRating`, compared ignoring case
RATINGS_FR = {
    "vrai": "confirmed",
    "plutôt vrai": "partly_confirmed",
    "en partie vrai": "partly_confirmed",
    "à nuancer": "partly_confirmed",
    "trompeur": "misleading",
    "manque de contexte": "misleading",
    "hors contexte": "misleading",
    "sorti de son contexte": "misleading",
    "exagéré": "misleading",
    "détourné": "misleading",
    "plutôt faux": "mostly_false",
    "faux": "refuted",
    "infox": "refuted",
    "montage": "refuted",
    "infondé": "insufficient_evidence",
    "invérifiable": "insufficient_evidence",
    "satire": "not_checkable",
}
RATINGS_ES = {
    "verdadero": "confirmed",
    "verdad": "confirmed",
    "verdadero, pero": "partly_confirmed",
    "verdad a medias": "partly_confirmed",
    "engañoso": "misleading",
    "exagerado": "misleading",
    "falta contexto": "misleading",
    "sacado de contexto": "misleading",
    "discutible": "disputed",
    "falso": "refuted",
    "bulo": "refuted",
    "insostenible": "insufficient_evidence",
    "sin evidencia": "insufficient_evidence",
    "sátira": "not_checkable",
}
RATINGS_PT = {
    "verdadeiro": "confirmed",
    "verdadeiro, mas": "partly_confirmed",
    "impreciso": "partly_confirmed",
    "enganoso": "misleading",
    "exagerado": "misleading",
    "distorcido": "misleading",
    "descontextualizado": "misleading",
    "sem contexto": "misleading",
    "contraditório": "disputed",
    "falso": "refuted",
    "pimenta na língua": "refuted",
    "insustentável": "insufficient_evidence",
    "sátira": "not_checkable",
}
RATINGS_DE = {
    "richtig": "confirmed",
    "größtenteils richtig": "partly_confirmed",
    "teilweise falsch": "partly_confirmed",
    "fehlender kontext": "misleading",
    "irreführend": "misleading",
    "größtenteils falsch": "mostly_false",
    "falsch": "refuted",
    "frei erfunden": "refuted",
    "manipuliert": "refuted",
    "unbelegt": "insufficient_evidence",
}
RATINGS_IT = {
    "vero": "confirmed",
    "c'eri quasi": "partly_confirmed",
    "nì": "partly_confirmed",
    "fuorviante": "misleading",
    "contesto mancante": "misleading",
    "pinocchio andante": "mostly_false",
    "falso": "refuted",
    "panzana pazzesca": "refuted",
    "senza prove": "insufficient_evidence",
}
RATINGS = RATINGS_FR | RATINGS_ES | RATINGS_PT | RATINGS_DE | RATINGS_IT
CLAIMREVIEW = Scale(
    CLAIMREVIEW.name,
    CLAIMREVIEW.title,
    imports=CLAIMREVIEW.imports
    | {k: v for k, v in RATINGS.items() if k not in CLAIMREVIEW.imports},
    exports=CLAIMREVIEW.exports,
    case_insensitive=True,
    why=CLAIMREVIEW.why
    | {
        "teilweise falsch": "Correctiv: some parts false, others true (as `partly false`).",
        "nì": "Pagella Politica: half true (a `sì` and a `no`).",
        "pinocchio andante": "Pagella Politica's second-worst rating: mostly false.",
        "panzana pazzesca": "Pagella Politica's worst rating: false.",
        "pimenta na língua": "Polígrafo's worst rating (false and absurd), as `pants on fire`.",
        "insostenible": "Chequeado: no data supports it; nothing was shown false.",
        "insustentável": "Lupa and Aos Fatos: no data supports it; nothing was shown false.",
        "discutible": "Chequeado: the data allow opposite readings.",
        "contraditório": "Lupa and Aos Fatos: the data allow opposite readings.",
    },
    sources=(
        "English: the ClaimReview labels of PolitiFact, Snopes, Full Fact, AFP Fact Check, "
        "Reuters Fact Check and Lead Stories, and Meta's third-party fact-checking ratings "
        "(False, Altered, Partly false, Missing context, Satire).",
        "French: AFP Factuel, Les Décodeurs (Le Monde), CheckNews (Libération), France 24 "
        "Les Observateurs.",
        "Spanish: Maldita.es, Newtral, EFE Verifica, Chequeado (Argentina).",
        "Portuguese: Agência Lupa and Aos Fatos (Brazil), Polígrafo (Portugal).",
        "German: Correctiv.Faktencheck, dpa-Faktencheck.",
        "Italian: Pagella Politica, Facta.news, Open Fact-checking.",
        "A label found in none of these stays as given, with no status (`reviews[].status` "
        "null); the claim's status is not changed by it.",
    ),
)

# ClaimReview `ratingValue` on a 1 (worst) to 5 (best) scale, given only for verdicts.
CLAIMREVIEW_RATING_VALUES = {
    "confirmed": 5,
    "partly_confirmed": 3,
    "disputed": 3,
    "misleading": 2,
    "mostly_false": 2,
    "refuted": 1,
}


@dataclass(frozen=True)
class SourceRights:
    """What an imported file's licence allows: the rights note and redistribution policy its
    seed gets unless the importer is told otherwise (`--rights`, `--redistribution`)."""

    rights: str
    redistribution: str


IMPORT_RIGHTS = {
    "liar": SourceRights(
        "LIAR (Wang, ACL 2017): research use only, as its README states; the original sources "
        "(PolitiFact, the speakers) retain the copyright.",
        "quotes_only",
    ),
    "averitec": SourceRights(
        "AVeriTeC (Schlichtkrull et al., 2023): CC BY-NC 4.0. Share with attribution, for "
        "non-commercial use only; a release that ships this text carries these terms.",
        "full_text",
    ),
    "claimreview": SourceRights(
        "ClaimReview markup published by the fact-checker named in it; the publisher keeps its "
        "rights.",
        "quotes_only",
    ),
    "factcheck-api": SourceRights(
        "Fact-check search results: the claims and reviews of the fact-checkers named in them, "
        "who keep their rights; the search service's terms apply to the response.",
        "quotes_only",
    ),
}

SCALES: dict[str, Scale] = {s.name: s for s in (LIAR, AVERITEC, CLAIMREVIEW, FEVER)}
IMPORT_SCALES: dict[str, Scale] = {n: s for n, s in SCALES.items() if s.imports}
