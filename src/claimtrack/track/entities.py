"""Entities and countries as language-free keys: `MI5 (Security Service)` is found as `MI5`
or `Security Service`, `Amazon Web Services` as `AWS`, the United Kingdom as `UK`,
`Royaume-Uni` or `britannique`."""

from __future__ import annotations

import functools
import re

import pycountry

from claimtrack.track.text import WORD, fold, words

MAX_GRAM = 5  # the longest name looked up, in words
_MINOR = {"of", "the", "and", "for", "de", "du", "des", "la", "le", "et", "d", "l"}
# other names of countries, in English and French, beside pycountry's English ones
_COUNTRY_ALIASES = {
    "uk": "GB", "u k": "GB", "britain": "GB", "great britain": "GB", "british": "GB",
    "royaume uni": "GB", "grande bretagne": "GB", "britannique": "GB", "britanniques": "GB",
    "reino unido": "GB", "regno unito": "GB", "vereinigtes konigreich": "GB",
    "usa": "US", "america": "US", "american": "US",
    "etats unis": "US", "americain": "US", "americaine": "US", "americains": "US",
    "americaines": "US", "estados unidos": "US", "france": "FR", "french": "FR",
    "francais": "FR", "francaise": "FR", "germany": "DE", "allemagne": "DE", "german": "DE",
    "irlande": "IE", "ireland": "IE", "irish": "IE", "europe": "EU", "eu": "EU",
}  # fmt: skip


def key(name: str) -> str:
    """The key of a name: its folded words joined by `_`."""
    return "e:" + "_".join(words(name))


def aliases(name: str) -> list[str]:
    """The keys a name may be written as: whole, each part in or out of brackets, and the
    initials of a name of several capitalised words (`Financial Times` -> `FT`)."""
    parts = [name, *re.findall(r"\(([^)]*)\)", name), re.sub(r"\([^)]*\)", " ", name)]
    found = []
    for part in parts:
        if words(part):
            found.append(key(part))
        capitals = [w for w in re.findall(r"[^\W\d_][\w'’-]*", part) if w.lower() not in _MINOR]
        if len(capitals) >= 2 and all(w[0].isupper() for w in capitals):
            found.append("e:" + "".join(fold(w[0]) for w in capitals))
    return list(dict.fromkeys(k for k in found if len(k) > 3))


def claim_entities(names: list[str]) -> list[list[str]]:
    """The alias keys of each distinct name (subjects, attribution links)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        keys = aliases(name)
        if keys and keys[0] not in groups:
            groups[keys[0]] = keys
    return list(groups.values())


@functools.cache
def _countries() -> dict[str, str]:
    table = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                table[" ".join(words(value))] = country.alpha_2
    table.update(_COUNTRY_ALIASES)
    return table


def grams(text: str) -> list[str]:
    """Every run of one to :data:`MAX_GRAM` words of ``text``, folded."""
    found = words(text)
    return [
        " ".join(found[i : i + n])
        for n in range(1, MAX_GRAM + 1)
        for i in range(len(found) - n + 1)
    ]


def _marked(text: str) -> list[tuple[str, bool]]:
    """The words of ``text``, folded, each with whether it is written as a name starts
    (a capital, or digits as in `MI5`)."""
    found = []
    for match in WORD.finditer(text):
        word = match.group(0)
        parts = re.split(r"['’]", word)
        pieces = parts if len(parts) == 2 and len(parts[0]) <= 2 else [word]  # l'Agence
        for piece in pieces:
            folded = fold(piece).replace("’", "'")
            found.append((folded, piece[:1].isupper() or any(c.isdigit() for c in piece)))
    return found


def passage_keys(text: str) -> tuple[set[str], set[str]]:
    """The entity keys the names in ``text`` could have (runs of words that start with a
    capitalised one), and the countries it names (in any case: `britannique`)."""
    marked = _marked(text)
    plain = [w for w, _ in marked]
    entities: set[str] = set()
    table = _countries()
    countries: set[str] = set()
    for i, (_, name) in enumerate(marked):
        for n in range(1, MAX_GRAM + 1):
            if i + n > len(plain):
                break
            gram = " ".join(plain[i : i + n])
            if name:
                entities.add("e:" + gram.replace(" ", "_"))
            if gram in table:
                countries.add(table[gram])
    return entities, countries


def country_keys(countries: set[str]) -> list[str]:
    return [f"cc:{c.lower()}" for c in sorted(countries)]
