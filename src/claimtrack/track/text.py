"""Words for matching: passages with their offsets, the language of a text, and the terms a
text is indexed and searched by (lower-cased, accents folded, stop words out, Snowball stems
of the text's language from PyStemmer)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import Stemmer

# the languages whose words are stemmed, and the Snowball stemmer of each
STEMMERS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "de": "german",
    "it": "italian",
}

# the commonest function words of each language: they say nothing of what a passage states,
# and they tell the languages apart (:func:`language_of`)
_STOP = {
    "en": "a an and are as at be been but by for from had has have he her his i in is it its "
    "not of on or our says said she that the their them there these they this to was we were "
    "what which who will with would you also than then into over about after before more "
    "under between within across through during against among upon via its such",
    "fr": "a au aux avec ce ces cet cette d dans de des du elle en est et il ils je l la le "
    "les leur leurs lui mais me n ne nous on ont ou par pas pour qu que qui s sa se ses son "
    "sont sur ta te un une vous y été être plus selon sans sous entre aussi dont été",
    "es": "a al con de del el en es esta este la las lo los no para por que se su sus un una "
    "y o como más pero según sin sobre entre también fue ha han",
    "pt": "a ao aos as com da das de do dos e em é foi na nas no nos o os para pela pelo por "
    "que se sua seu um uma mais mas segundo sem sobre entre também",
    "de": "der die das den dem des ein eine einen einem einer und ist sind nicht mit von zu "
    "im in auf für an als auch es sie er wir ich bei nach aus wie über zwischen laut",
    "it": "il lo la i gli le un una di da del della dei delle e è in con per su non che si "
    "al alla sono come più ma secondo senza tra fra anche",
}
# words of amounts and currencies: compared as values (claimtrack.track.values), not as words
VALUE_WORDS = frozenset(
    "thousand thousands mille million millions millones milhoes millionen milioni milione "
    "billion billions milliard milliards milliarde milliarden miliardi miliardo bilhao bilhoes "
    "trillion trillions bn mn mln mrd md mds pound pounds livre livres sterling libra libras "
    "sterline pfund gbp dollar dollars dolares dollari usd euro euros eur "
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty fifty "
    "hundred half deux trois quatre cinq sept huit neuf dix onze douze quinze vingt trente "
    "cinquante cent cents demi year years an ans annee annees decade decennie".split()
)
_DIGIT = re.compile(r"\d")  # figures are compared as values, however written, not as words
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…»”\"])\s+(?=[«“\"'‘(\[]?[A-ZÀ-ÖØ-Þ0-9])|\n\s*\n")
# a heading on a line of its own: a short line, capitalised and without end punctuation, then a
# line that starts with a capital (a hard-wrapped sentence goes on in lower case, or is longer)
_HEADING = re.compile(
    r"(?m)^[ \t]*[A-ZÀ-ÖØ-Þ0-9][^\n.!?…,;:]{0,80}[^\s.!?…,;:]\n(?=[ \t]*[«“\"'‘(\[]?[A-ZÀ-ÖØ-Þ])"
)
HEADING_WORDS = 10


def fold(text: str) -> str:
    """Lower case without accents: `Évoque` and `evoque` are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(fold(w) for w in words.split()) for lang, words in _STOP.items()
}


def words(text: str) -> list[str]:
    """The words of ``text``, folded; an elision (`l'article`, `d’un`) is split off."""
    out = []
    for match in WORD.finditer(fold(text)):
        word = match.group(0)
        parts = re.split(r"['’]", word)
        if len(parts) == 2 and len(parts[0]) <= 2:  # l'article, qu'il, d'un
            out.extend(parts)
        else:
            out.append(word.replace("’", "'"))
    return out


def language_of(text: str, default: str = "en") -> str:
    """The language among :data:`STEMMERS` whose function words ``text`` uses most."""
    found = words(text)
    if not found:
        return default
    counts = {lang: sum(1 for w in found if w in stop) for lang, stop in STOP_WORDS.items()}
    best = max(counts, key=lambda lang: (counts[lang], lang == default))
    return best if counts[best] else default


def base_language(tag: str | None) -> str:
    """The primary subtag of a BCP 47 tag (`fr-CA` -> `fr`), lower case."""
    return (tag or "").split("-")[0].lower()


@functools.cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS.get(lang, "english"))


def terms(text: str, lang: str) -> list[str]:
    """The index terms of ``text`` read as ``lang``: stems of its words, stop words out."""
    lang = lang if lang in STEMMERS else "en"
    stop = STOP_WORDS[lang]
    kept = [
        w
        for w in words(text)
        if len(w) > 1 and w not in stop and w not in VALUE_WORDS and not _DIGIT.search(w)
    ]
    return list(_stemmer(lang).stemWords(kept))


COGNATE = 4  # letters of a stem compared across languages (`extens`, `tram`, `contr`)


def cognates(stems: set[str] | list[str]) -> list[str]:
    """The stems' first letters, which related languages often share (`contract` and
    `contrat`, `tramway` and `tram`): compared when a claim has no text in the passage's
    language."""
    return sorted({s[:COGNATE] for s in stems if len(s) >= COGNATE})


NEGATIONS = frozenset(
    fold(w)
    for w in "not no never neither nor n't denied denies deny without pas ni jamais aucun "
    "aucune démenti dément nie nié sans nunca ningún ninguna niega não nega nicht kein "
    "keine nie non mai nessun".split()
)


def negated(text: str) -> bool:
    """Whether ``text`` uses a word of negation (`not`, `pas`, `jamais`, `denied`...)."""
    return bool(NEGATIONS.intersection(words(text)))


@dataclass(frozen=True)
class Passage:
    """A stretch of a source's text: its offsets (characters) and its words."""

    start: int
    end: int
    text: str


MIN_WORDS = 6  # a shorter sentence (a heading, a dateline) is joined to the next one
MAX_CHARS = 1_200  # a longer stretch with no sentence end is cut at a space


def _cuts(text: str) -> list[tuple[int, int]]:
    """Where sentences end: (end of one, start of the next), in order."""
    cuts = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    for match in _HEADING.finditer(text):
        if len(words(match.group(0))) <= HEADING_WORDS:
            cuts.append((match.end() - 1, match.end()))
    return sorted(set(cuts))


def passages(text: str) -> list[Passage]:
    """The sentences of ``text`` with their offsets; a very short one joins the next one
    (not across a heading or a paragraph's end). Lines of hard-wrapped text are read as one."""
    spans: list[tuple[int, int]] = []
    at = 0
    for end, start in _cuts(text):
        if end >= at:
            spans.extend(_pieces(text, at, end))
            at = start
    spans.extend(_pieces(text, at, len(text)))
    merged: list[tuple[int, int, int]] = []  # start, end, words
    for start, end in spans:
        count = len(words(text[start:end]))
        last = merged[-1] if merged else None
        if (
            last is not None
            and last[2] < MIN_WORDS
            and "\n" not in text[last[1] : start]  # a heading stays apart from its text
            and end - last[0] <= MAX_CHARS
        ):
            merged[-1] = (last[0], end, last[2] + count)
        else:
            merged.append((start, end, count))
    return [Passage(s, e, text[s:e]) for s, e, _ in merged]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` trimmed, in pieces of at most :data:`MAX_CHARS` cut at spaces."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    out = []
    while end - start > MAX_CHARS:
        cut = text.rfind(" ", start, start + MAX_CHARS)
        cut = cut if cut > start else start + MAX_CHARS
        out.append((start, cut))
        start = cut + 1
    if end > start:
        out.append((start, end))
    return out
