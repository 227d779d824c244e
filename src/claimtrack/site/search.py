"""The site's search: an inverted index the page's script reads a piece at a time.

A claim is found by the words of its statement, its original wording, the quotes the release
publishes (and their translations), its subjects, who asserts it and the parties' responses.
Words are folded as the script folds them (NFKD, marks removed, lower case), split on anything
that is not a letter or a digit, and lightly stemmed in the language of the text they come
from (plural and common verb endings: `contracts`, `agencies`, `contrats`). Stop words (English
and French, one list) are left out. A query word matches the terms it begins (as it is typed),
and its stems match whole terms.

Files, all JavaScript so that the site works from `file://` (no `fetch`):

- `search/meta.js`: the counts, the stemming rules and stop words, the filters' values;
- `search/facets.js`: each claim's status and kind (one character each), and each topic's
  claims: filtering needs nothing else;
- `search/t/<hex of a 3-letter prefix>.js`: the terms starting with that prefix and, for
  each, the claims holding it with a weight (3 in the statement, 2 a subject or an asserter,
  1 elsewhere), delta-encoded; a query word loads one such file;
- `search/d/<block>.js`: the rows shown for claims, 64 to a block: the first page of results
  loads the blocks it shows;
- `search/a.js`: each asserter's claims, loaded when that filter is used.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from claimtrack.site import pages
from claimtrack.site.output import SiteWriter
from claimtrack.site.stream import ClaimIndex
from claimtrack.site.words import MONTHS, plain

BLOCK = 64  # claims per block of rows
PREFIX = 3  # letters of a term that name its file
CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# light stemming: one ending removed, longest first, leaving at least 3 letters
ENDINGS: dict[str, list[tuple[str, str]]] = {  # an ending, and what replaces it
    "en": [
        ("ations", ""), ("ation", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"),
        ("ed", ""), ("es", ""), ("s", ""),
    ],
    "fr": [
        ("ements", ""), ("ement", ""), ("ations", ""), ("ation", ""), ("ées", ""), ("és", ""),
        ("ée", ""), ("es", ""), ("s", ""), ("x", ""), ("e", ""),
    ],
}  # fmt: skip
STOP = {
    "en": "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with",
    "fr": "a au aux ce ces d de des du elle en est et il ils l la le les leur mais ne pas par "
    "pour qu que qui sa se ses son sur un une",
}
STOPWORDS = frozenset(w for words in STOP.values() for w in words.split())
WORD = re.compile(r"[^\W_]+")


@functools.cache
def _marks() -> dict[int, None]:
    """Every mark (Unicode categories Mn, Mc, Me), to delete: what the script's `\\p{M}`
    removes."""
    return {c: None for c in range(0x110000) if unicodedata.category(chr(c)).startswith("M")}


def fold(text: str) -> str:
    """Text as the page's script folds it: NFKD, marks removed, lower case."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_marks()).lower()


@functools.cache
def _endings(language: str) -> tuple[tuple[str, str], ...]:
    return tuple((fold(e), r) for e, r in ENDINGS.get(language, []))


@functools.lru_cache(maxsize=1 << 18)  # a dataset's words repeat: each is stemmed once
def stem(word: str, language: str) -> str:
    """One ending of ``language`` replaced (`agencies` -> `agency`, `contracts` -> `contract`;
    its two-letter code; other languages' words are kept as they are), leaving 3 letters."""
    for ending, replacement in _endings(language[:2].lower()):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + replacement
    return word


def terms(text: str | None, language: str = "") -> Iterator[str]:
    """The index terms of a text: folded words, stop words left out, stemmed."""
    for word in WORD.findall(fold(text or "")):
        if len(word) >= 2 and word not in STOPWORDS:
            yield stem(word, language)


def claim_terms(claim: dict[str, Any]) -> dict[str, int]:
    """Each term of a claim with its weight: 3 from the statement, 2 from a subject or an
    asserter, 1 from the original words, the published quotes and the responses."""
    weights: dict[str, int] = {}

    def add(text: str | None, language: str, weight: int) -> None:
        for term in terms(text, language):
            weights[term] = max(weights.get(term, 0), weight)

    add(claim.get("statement"), "en", 3)
    for name in pages.asserters(claim):
        add(name, "", 2)
    for subject in claim.get("subjects") or []:
        add(subject.get("name"), "", 2)
    original = claim.get("original") or {}
    add(original.get("text"), str(original.get("language") or ""), 1)
    for quote in claim.get("evidence") or []:
        add(quote.get("text"), str(quote.get("language") or ""), 1)
        translation = quote.get("translation") or {}
        add(translation.get("text"), str(translation.get("language") or ""), 1)
    for response in claim.get("responses") or []:
        add(response.get("party"), "", 1)
        add(response.get("words"), "", 1)
    return weights


def _base36(n: int) -> str:
    digits = ""
    while True:
        n, r = divmod(n, 36)
        digits = CODES[r] + digits
        if not n:
            return digits


def encoded(values: Iterable[int]) -> str:
    """Values `4 * claim number + weight`, rising, as deltas in base 36 joined by commas."""
    out, last = [], 0
    for value in values:
        out.append(_base36(value - last))
        last = value
    return ",".join(out)


def facets(index: ClaimIndex) -> dict[str, list[str]]:
    """The filters' values: the statuses and kinds used, the 500 asserters named most, every
    topic."""
    people = sorted(index.people.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "statuses": [s for s in pages.STATUS_WORDS if s in index.statuses],
        "kinds": sorted(index.kinds),
        "asserters": [name for name, _ in people][:500],
        "topics": sorted(index.topics),
    }


def script_json(value: Any) -> str:
    """JSON to place in a script file: `<` escaped, so no data can close a script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def shard(term: str) -> str:
    """The file name of the terms sharing ``term``'s first letters (hex: any script is safe)."""
    return term[:PREFIX].encode("utf-8").hex()


def _row(claim: dict[str, Any]) -> list[Any]:
    return [
        claim["id"],
        claim.get("statement"),
        claim["status"],
        claim["kind"],
        pages.asserters(claim),
        pages.claim_date(claim),
    ]


class SearchIndex:
    """The search files, written as the claims come in site order: the rows a block at a time,
    the postings kept compact (one integer each) until the end."""

    def __init__(self, out: SiteWriter, found: dict[str, list[str]]) -> None:
        self.out, self.found = out, found
        self.count = 0
        self.rows: list[list[Any]] = []
        self.by_term: dict[str, array[int]] = {}
        self.people: dict[str, array[int]] = {}
        self.topics: dict[str, array[int]] = {}
        self.status_codes: list[str] = []
        self.kind_codes: list[str] = []
        self._status = {value: CODES[i] for i, value in enumerate(found["statuses"])}
        self._kind = {value: CODES[i] for i, value in enumerate(found["kinds"])}

    def add(self, claim: dict[str, Any], terms: dict[str, int]) -> None:
        """The next claim in site order (its row: :func:`workers.row`), and its terms."""
        n = self.count
        for term, weight in terms.items():
            self.by_term.setdefault(term, array("i")).append(n * 4 + weight)  # 4 bytes: 5e8 claims
        for name in dict.fromkeys(pages.asserters(claim)):
            self.people.setdefault(name, array("i")).append(n * 4)
        for topic in dict.fromkeys(claim.get("topics") or []):
            self.topics.setdefault(str(topic), array("i")).append(n * 4)
        self.status_codes.append(self._status[str(claim["status"])])
        self.kind_codes.append(self._kind[str(claim["kind"])])
        self.rows.append(_row(claim))
        self.count += 1
        if len(self.rows) == BLOCK:
            self._rows()

    def _rows(self) -> None:
        block = (self.count - 1) // BLOCK
        self.out.write(f"search/d/{block}.js", f"CT_ROWS({block},{script_json(self.rows)});\n")
        self.rows = []

    def finish(self) -> None:
        """Write the rest: the last rows, the terms, the filters and the counts."""
        if self.rows:
            self._rows()
        shards: dict[str, dict[str, str]] = {}
        for term, entries in self.by_term.items():
            shards.setdefault(shard(term), {})[term] = encoded(entries)
        for name, held in sorted(shards.items()):
            self.out.write(
                f"search/t/{name}.js", f"CT_TERMS({json.dumps(name)},{script_json(held)});\n"
            )
        listed = {
            "statuses": "".join(self.status_codes),
            "kinds": "".join(self.kind_codes),
            "topics": {t: encoded(docs) for t, docs in self.topics.items()},
        }
        self.out.write("search/facets.js", f"CT_FACETS({script_json(listed)});\n")
        named = {name: encoded(docs) for name, docs in self.people.items()}
        self.out.write("search/a.js", f"CT_ASSERTERS({script_json(named)});\n")
        self._meta(",".join(sorted(shards)))

    def _meta(self, shards: str) -> None:
        body = {
            "total": self.count,
            "block": BLOCK,
            "prefix": PREFIX,
            "words": pages.STATUS_WORDS,
            "definitions": {k: plain(v) for k, v in pages.STATUS_DEFINITIONS.items()},
            "months": list(MONTHS),
            "statuses": self.found["statuses"],
            "kinds": self.found["kinds"],
            "endings": {lang: [[fold(e), r] for e, r in ends] for lang, ends in ENDINGS.items()},
            "stop": sorted(STOPWORDS),
            "shards": shards,  # the index files there are: no request fails
        }
        # the page's folder decides where the files are: meta.js is read from index.html and
        # list/
        self.out.write(
            "search/meta.js",
            "window.CT_META=" + script_json(body) + ";\n"
            "window.CT_META.root=document.currentScript.src.replace(/search\\/meta\\.js.*$/,'');\n",
        )
