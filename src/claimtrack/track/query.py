"""A passage as `claimtrack match` reads it: its language, stems, entities, values, clauses
and names, and the search for its candidate claims in the index."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import tantivy

from claimtrack.track.entities import country_keys, passage_keys
from claimtrack.track.index import LANG_FIELDS, SCHEMA
from claimtrack.track.text import STOP_WORDS, language_of, negated, terms, words
from claimtrack.track.values import Values, values_of

Keep = Callable[[list[tuple[str, str]]], list[tuple[str, str]]]  # the (field, term) pairs searched


@dataclass
class Query:
    """What a passage is searched and scored by."""

    language: str
    terms: set[str]
    entities: set[str]
    countries: set[str]
    values: Values
    negated: bool
    names: set[str]  # capitalised words not opening a sentence, folded
    clauses: list[tuple[set[str], bool]]  # each clause's terms, and whether it negates
    text: str = ""  # the passage

    @classmethod
    def of(cls, text: str) -> Query:
        lang = language_of(text)
        entities, countries = passage_keys(text)
        clauses = [(set(terms(c, lang)), negated(c)) for c in _CLAUSE.split(text) if c]
        return cls(
            lang,
            set(terms(text, lang)),
            entities,
            countries,
            values_of(text, lang),
            negated(text),
            _names(text),
            [c for c in clauses if len(c[0]) >= MIN_CLAUSE],
            text,
        )

    def readings(self) -> list[tuple[set[str], bool]]:
        """The passage whole, then each of its clauses: a sentence may state two claims."""
        return [(self.terms, self.negated), *(c for c in self.clauses if c[0] != self.terms)]

    def tantivy_query(self, keep: Keep | None = None) -> tantivy.Query:
        """The search for candidates: any of the passage's words, entities, money and
        countries (those ``keep`` keeps, of the (field, term) pairs)."""
        field = LANG_FIELDS.get(self.language, "t_en")
        parts = [(field, t) for t in sorted(self.terms)]
        parts += [("keys", k) for k in sorted(self.entities)]
        parts += [
            ("keys", k) for k in self.values.index_keys() if not k.startswith(("num:", "dur:"))
        ]
        parts += [("keys", k) for k in country_keys(self.countries)]
        if keep is not None:
            parts = keep(parts)
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, f, v)) for f, v in parts]
        )


MIN_CLAUSE = 3  # terms a clause needs to be read on its own
_CLAUSE = re.compile(
    r"[;:()\u2013\u2014]|,?\s(?:and|but|while|whereas|et|mais|alors que|tandis que|y|pero|e|ma"
    r"|und|aber)\s",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"[^\W\d_][\w'’-]*")
_OPENS = re.compile(r"(?:^|[.!?:«\"“(]\s*)$")


def _names(text: str) -> set[str]:
    """The capitalised words that do not open a sentence: names, in most languages."""
    found: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if word[0].isupper() and not _OPENS.search(text[max(0, match.start() - 3) : match.start()]):
            found.update(w for w in words(word) if len(w) > 1)
    return found - {w for stop in STOP_WORDS.values() for w in stop}
