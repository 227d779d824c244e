"""Which known claims a passage repeats, paraphrases, translates or contradicts.

For each passage of a source, the index (:mod:`claimtrack.track.index`) gives a few candidate
claims; each is then scored in [0, 1] from four signals:

- **words**: the idf-weighted cosine between the passage's stems and those of the claim's
  closest text in the passage's language (its statement, original wording, a quote or a
  translation);
- **entities**: the share of the claim's entities (subjects, attributed sources) the passage
  names, in any language (`AWS`, `MI5`, `Royaume-Uni`);
- **values**: the claim's typed value found in the passage: the same money amount or range
  in the same currency (however written), the same period, the same countries;
- **language**: whether the match crosses languages (said, not scored).

A passage that names the claim's figures in another currency, or other figures in the same
currency, or that negates what the claim's text affirms (or the reverse), is marked
`contradicts` when its words and entities match; the other currency halves its score. A score
of at least :data:`LIKELY` marks the proposal `likely`: bench/README.md gives the recall and
precision measured on a held-out set at that threshold.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import tantivy

from claimtrack.track.embeddings import Embedder
from claimtrack.track.index import LANG_FIELDS, ClaimDoc
from claimtrack.track.query import Query
from claimtrack.track.text import (
    STEMMERS,
    Passage,
    cognates,
)
from claimtrack.track.values import Money

LIKELY = 0.5  # the score from which a proposal is `likely` (measured: bench/README.md)
SHOWN = 0.15  # proposals below this score are not shown
NEAR_VERBATIM = 0.55  # a words cosine from which a passage reads as the claim's own text
OWN_TEXTS = ("statement", "original")  # the claim's own wording
QUOTE_FACTOR = 0.85  # a quote or translation counts a little less: other claims may quote it
RESPONSE_FACTOR = 0.4  # a quote that reports only a party's response, not the claim itself
OWN_SHARE = 0.3  # of the words score that comes from the claim's own wording
CANDIDATES = 12  # candidates taken from the index for each passage
# a word or key in more claims than this is left out of the search for candidates (it finds
# nearly every claim, and costs the most), unless fewer than MIN_SEARCHED would be left; the
# candidates are still scored on every word
COMMON_CLAIMS, COMMON_SHARE, MIN_SEARCHED = 1_000, 0.05, 4
PER_PASSAGE = 3  # proposals kept for each passage
PLACE = 0.6  # the countries of a residency claim named: a place is said, not yet its residency
VALUE_SHARE = 0.5  # of the score of a claim with a typed value that comes from the value
RARE_ENTITY = 3.0  # the idf from which an entity counts fully (one claim in about 20)
ENTITY_BONUS = 0.25  # naming the claim's entities closes this share of the gap to 1

Relation = Literal["states", "contradicts"]


@dataclass(frozen=True)
class Proposal:
    """A known claim proposed for a passage of a source."""

    claim: str
    statement: str
    score: float
    likely: bool
    relation: Relation
    source: str  # the file or seed the passage is in
    passage: Passage
    signals: dict[str, Any]
    command: str  # the claimtrack command that records it

    def as_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "statement": self.statement,
            "score": self.score,
            "likely": self.likely,
            "relation": self.relation,
            "source": self.source,
            "passage": {
                "start": self.passage.start,
                "end": self.passage.end,
                "text": self.passage.text,
            },
            "signals": self.signals,
            "command": self.command,
        }


CLAUSE_FACTOR = 0.9  # a clause read alone counts a little less than the whole passage


@dataclass
class Scorer:
    """Scores candidates with the index's document frequencies."""

    searcher: tantivy.Searcher
    embedder: Embedder | None = None  # the optional meaning signal (claimtrack[embeddings])
    # two records of one claim (`match --dataset`): only the claims' own wording, read whole,
    # and the words each shares over those of the longer: one wording inside another is not it
    strict: bool = False
    _idf: dict[tuple[str, str], float] = field(default_factory=dict)
    _df: dict[tuple[str, str], int] = field(default_factory=dict)

    def idf(self, lang: str, term: str) -> float:
        key = (lang, term)
        if key not in self._idf:
            n = self.searcher.num_docs
            df = self.searcher.doc_freq(LANG_FIELDS.get(lang, "t_en"), term)
            self._idf[key] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return self._idf[key]

    def df(self, field_name: str, term: str) -> int:
        key = ("df:" + field_name, term)
        if key not in self._df:
            self._df[key] = self.searcher.doc_freq(field_name, term)
        return self._df[key]

    def searched(self, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The (field, term) pairs a search for candidates uses: those in very many claims
        left out, the rarest kept when too few would be left."""
        common = max(COMMON_CLAIMS, COMMON_SHARE * self.searcher.num_docs)
        kept = [p for p in parts if self.df(*p) <= common]
        if len(kept) >= MIN_SEARCHED or len(kept) == len(parts):
            return kept
        rest = sorted((p for p in parts if p not in kept), key=lambda p: (self.df(*p), p))
        return kept + rest[: MIN_SEARCHED - len(kept)]

    def key_idf(self, key: str) -> float:
        if ("keys", key) not in self._idf:
            n = self.searcher.num_docs
            df = self.searcher.doc_freq("keys", key)
            self._idf["keys", key] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return self._idf["keys", key]

    def _similarity(self, lang: str, shared: set[str], mine: float, theirs: float) -> float:
        """The idf-weighted cosine; strict: the shared words over those of the longer text,
        read as it is (a near-verbatim wording must be one)."""
        if self.strict:
            return self.weight(lang, shared) / max(mine, theirs) * NEAR_VERBATIM
        return self.weight(lang, shared) / math.sqrt(mine * theirs)

    def weight(self, lang: str, found: set[str]) -> float:
        return sum(self.idf(lang, t) for t in found)

    def words(self, query: Query, doc: ClaimDoc) -> Words:
        """How much the passage (or one of its clauses) words what the claim says, in
        [0, 1]: the best cosine with a text of the claim in the passage's language (a quote or
        translation counts a little less: other claims may quote it too), blended with the
        cosine with the claim's own wording (statement, original)."""
        best = Words(0.0, None, [], query.language, query.negated)
        own = 0.0
        # cognates only for a claim with no text in the passage's language
        same_language = any(lang == query.language for _, lang, _, _ in doc.texts)
        readings = [(query.terms, query.negated)] if self.strict else query.readings()
        for n, (mine, neg) in enumerate(readings):
            weight = self.weight(query.language, mine)
            factor = CLAUSE_FACTOR if n else 1.0
            for what, lang, found, _ in doc.texts:
                if not found or not weight or (self.strict and what not in OWN_TEXTS):
                    continue
                if lang == query.language:
                    theirs = set(found)
                    shared = mine & theirs
                    if not shared:
                        continue
                    both = self._similarity(lang, shared, weight, self.weight(lang, theirs))
                elif same_language:
                    continue
                else:  # another language: compared by cognates, and counted less
                    shared, both = _cognates(mine, found)
                    if not shared:
                        continue
                cos = both * factor * (1.0 if len(shared) > 1 else ONE_WORD)
                if what in OWN_TEXTS:
                    own = max(own, cos)
                else:
                    cos *= RESPONSE_FACTOR if what.startswith("response") else QUOTE_FACTOR
                if cos > best.score:
                    best = Words(cos, what, sorted(shared), lang, neg)
        best.score = (1 - OWN_SHARE) * best.score + OWN_SHARE * own
        return best


MEANING_FACTOR = 0.9  # a likeness in meaning counts this much of a near-verbatim wording
ONE_WORD = 0.5  # a single word in common is weak evidence, however rare the word
CROSS_FACTOR = 0.75  # a match through cognates counts this much of one in the same language


def _cognates(mine: set[str], found: list[str]) -> tuple[set[str], float]:
    ours, theirs = set(cognates(mine)), set(cognates(found))
    shared = ours & theirs
    if not shared:
        return shared, 0.0
    return shared, CROSS_FACTOR * len(shared) / math.sqrt(len(ours) * len(theirs))


@dataclass
class Words:
    """The words signal: the score, the claim text it came from, the shared stems, that text's
    language, and whether the passage's reading that matched it negates."""

    score: float
    via: str | None
    shared: list[str]
    language: str
    negated: bool


def _money_signal(
    claim: tuple[str | None, list[str]] | None, found: list[Money]
) -> tuple[float, str | None]:
    """How the passage's money compares with the claim's: a score, and `currency` (the same
    figures in another currency) or `figures` (other figures, same currency) on a conflict."""
    if claim is None:
        return 0.0, None
    currency, amounts = claim[0], {Decimal(a) for a in claim[1]}
    best, conflict = 0.0, None
    for money in found:
        overlap = money.amounts & amounts
        if money.currency == currency and money.amounts == amounts:
            return 1.0, None
        if overlap and money.currency in (currency, None):
            best = max(best, 0.4 if money.currency == currency else 0.25)
        elif overlap and money.currency is not None:
            conflict = "currency"
        elif money.currency == currency and max(money.amounts) >= 1000:
            conflict = conflict or "figures"
    return best, (conflict if best == 0.0 else None)


def _part(claim: tuple[str | None, list[str]], found: list[Money]) -> str:
    """The claim's figures a passage gives, when it gives only some (`EUR 450000000, of
    300000000–450000000`)."""
    amounts = {Decimal(a) for a in claim[1]}
    given = sorted({a for m in found for a in m.amounts & amounts})
    shown = ", ".join(str(a) for a in given)
    return f"{claim[0] or ''} {shown}, of {'–'.join(claim[1])}".strip()


def _value_signal(query: Query, doc: ClaimDoc) -> tuple[float | None, list[str], str | None]:
    """The values score (None: the claim has no value to compare), what matched, and the
    conflict if any."""
    if doc.money is None and not doc.countries:
        return None, [], None
    if doc.money is None:  # the countries of a residency claim, named in the passage
        wanted = set(doc.countries)
        if wanted <= query.countries:
            return PLACE, sorted(wanted), None
        other = query.countries and not (wanted & query.countries)
        return 0.0, [], "countries" if other else None
    matched: list[str] = []
    score, conflict = _money_signal(doc.money, query.values.money)
    if score and doc.money is not None:
        whole = f"{doc.money[0] or ''} {'–'.join(doc.money[1])}".strip()
        matched.append(whole if score == 1.0 else _part(doc.money, query.values.money))
    if doc.period and doc.period in query.values.durations:
        matched.append(doc.period)
        score = min(1.0, score + 0.2) if doc.money else score
    if doc.countries:
        wanted = set(doc.countries)
        if wanted <= query.countries:
            matched.extend(sorted(wanted))
            score = max(score, 1.0 if doc.money is None else score)
        elif query.countries and not (wanted & query.countries) and doc.money is None:
            conflict = "countries"
    return score, matched, conflict


def score(query: Query, doc: ClaimDoc, scorer: Scorer) -> tuple[float, Relation, dict[str, Any]]:
    """The score of ``doc`` for the passage of ``query``, its relation, and the signals."""
    matched_words = scorer.words(query, doc)
    cos, what, shared, lang = (
        matched_words.score,
        matched_words.via,
        matched_words.shared,
        matched_words.language,
    )
    groups = doc.entities
    hit = [g for g in groups if any(k in query.entities for k in g)]
    named = [g[0][2:].replace("_", " ") for g in hit]
    ent = min(1.0, len(hit) / min(len(groups), 3)) if groups else None
    if hit:  # an entity most claims name says little: weighed by its rarity
        rarity = sum(max(scorer.key_idf(k) for k in g if k in query.entities) for g in hit)
        ent = (ent or 0.0) * min(1.0, rarity / len(hit) / RARE_ENTITY)
    val, matched, conflict = _value_signal(query, doc)
    said = min(1.0, cos / NEAR_VERBATIM)
    meaning = None
    if scorer.embedder is not None:
        meaning = scorer.embedder.likeness(query.text, [doc.statement, doc.original or ""])
        said = max(said, MEANING_FACTOR * meaning)
    total = said
    if val is not None:
        if not ent and query.names and said < 0.6:  # the same figures, about others named
            val *= 0.5
        total = (1 - VALUE_SHARE) * said + VALUE_SHARE * (val if conflict is None else 0.5)
    if ent:
        total += ENTITY_BONUS * ent * (1 - total)
    others = sorted(query.names - _entity_words(groups)) if groups and not ent else []
    if others:  # it names others, and none of the claim's: another subject
        total = min(total, LIKELY - 0.01)
    # the reading (the passage, or its clause) that matched negates what the text affirms
    negated = what is not None and _text_negated(doc, what) != matched_words.negated
    relation: Relation = "states"
    if conflict == "currency":
        total *= 0.5
    elif (conflict or negated) and cos >= 0.3:
        relation = "contradicts"
    signals = {
        "words": shared,
        "entities": named,
        "values": matched,
        "conflict": conflict or ("negation" if negated and relation == "contradicts" else None),
        "other_names": others,
        "meaning": None if meaning is None else round(meaning, 3),
        "language": {"passage": query.language, "claim_text": lang, "via": what,
                     "across": _across(query.language, lang, what)},
    }  # fmt: skip
    return round(min(1.0, total), 3), relation, signals


def _across(passage: str, text: str, what: str | None) -> bool:
    """Whether the match joins a passage to a text of the claim written in another language
    (through cognates, as the claim has no text in the passage's)."""
    return what is not None and passage != text


def _entity_words(groups: list[list[str]]) -> set[str]:
    return {w for g in groups for k in g for w in k[2:].split("_")}


def _text_negated(doc: ClaimDoc, what: str) -> bool:
    return any(neg for name, _, _, neg in doc.texts if name == what)


def _command(claim: str, source: str, passage: Passage, archived: bool, language: str) -> str:
    """The command that records the appearance: a seed's id, or a file to archive first."""
    where = f"--seed {shlex.quote(source)}"
    if not archived:
        where = f"--file {shlex.quote(source)} --language {shlex.quote(language)}"
    quote = shlex.quote(" ".join(passage.text.split()))  # spacing may differ: found all the same
    return f"claimtrack claim appear {shlex.quote(claim)} {where} --quote {quote}"


def propose(
    searcher: tantivy.Searcher,
    passages: list[Passage],
    source: str,
    *,
    archived: bool,
    scorer: Scorer | None = None,
    exclude: str | None = None,
    language: str = "en",
) -> list[Proposal]:
    """The proposals for ``passages`` of ``source`` (a seed id when ``archived``, else a file),
    best first within each passage; ``exclude`` leaves out one claim (itself, in a dataset)."""
    scorer = scorer or Scorer(searcher)
    found: list[Proposal] = []
    for passage in passages:
        query = Query.of(passage.text)
        if not (query.terms or query.entities):
            continue
        hits = searcher.search(query.tantivy_query(scorer.searched), CANDIDATES).hits
        scored = []
        for _, address in hits:
            doc = ClaimDoc.from_json(searcher.doc(address)["data"][0])
            if doc.id == exclude:
                continue
            value, relation, signals = score(query, doc, scorer)
            if value >= SHOWN:
                scored.append((value, doc, relation, signals))
        scored.sort(key=lambda s: (-s[0], s[1].id))
        for value, doc, relation, signals in scored[:PER_PASSAGE]:
            found.append(
                Proposal(
                    doc.id, doc.statement, value, value >= LIKELY, relation, source, passage,
                    signals, _command(doc.id, source, passage, archived, language),
                )
            )  # fmt: skip
    return found


__all__ = ["LIKELY", "STEMMERS", "Proposal", "propose"]
