"""Typed values in running text: money amounts and ranges, durations, bare figures and
countries, however they are written (`£500m to £1bn`, `half a billion to one billion pounds`,
`entre 500 millions et un milliard de livres`, `GBP 1,000,000,000`, `a decade`, `dix ans`).

Number words become digits with text2num (French, English, Spanish, Portuguese, German and
Italian); the scales (`m`, `bn`, `milliard`...), currencies and connectors of a range are
read here. A value is compared by what it is, not how it is written: a range of pounds is
the set of its bounds in GBP.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext

from text_to_num import alpha2digit

from claimtrack.track.text import fold

_SCALES = {
    "k": 3, "thousand": 3, "thousands": 3, "mille": 3, "mil": 3, "tausend": 3,
    "m": 6, "mn": 6, "mln": 6, "million": 6, "millions": 6, "millones": 6, "millon": 6,
    "milhoes": 6, "milhao": 6, "millionen": 6, "mio": 6, "milioni": 6, "milione": 6,
    "bn": 9, "b": 9, "billion": 9, "billions": 9, "milliard": 9, "milliards": 9, "md": 9,
    "mds": 9, "mrd": 9, "mrds": 9, "milliarde": 9, "milliarden": 9, "miliardi": 9,
    "miliardo": 9, "bilhao": 9, "bilhoes": 9, "bilion": 9,
    "trillion": 12, "trillions": 12, "tn": 12,
}  # fmt: skip
_CURRENCY_WORDS = {
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "livre": "GBP",
    "livres": "GBP", "sterling": "GBP", "libra": "GBP", "libras": "GBP", "sterline": "GBP",
    "pfund": "GBP", "$": "USD", "usd": "USD", "us$": "USD", "dollar": "USD", "dollars": "USD",
    "dolares": "USD", "dollari": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "chf": "CHF", "¥": "JPY", "jpy": "JPY", "yen": "JPY", "cad": "CAD", "aud": "AUD",
}  # fmt: skip
_YEARS = {"year", "years", "an", "ans", "annee", "annees", "ano", "anos", "anni", "anno",
          "jahr", "jahre", "jahren"}  # fmt: skip
_DECADES = {"decade", "decades", "decennie", "decennies", "decada", "decadas", "decennio",
            "jahrzehnt"}  # fmt: skip
_CONNECTORS = r"to|and|et|a|à|y|e|und|bis|al|hasta|ate|até|-|–|—|/"
_LANGS = {"en", "fr", "es", "pt", "de", "it"}

_NUMBER = r"\d+(?:[ ,.\u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?"
_SCALE = "|".join(sorted((re.escape(s) for s in _SCALES), key=len, reverse=True))
_CUR = "|".join(sorted((re.escape(c) for c in _CURRENCY_WORDS), key=len, reverse=True))
_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR})?\s?(?P<num>{_NUMBER})"
    rf"(?:\s?(?P<scale>{_SCALE})\b|\s(?P<pow>1(?:000)+)\b)?"
    rf"(?:\s?(?:de |d'|of )?(?P<post>{_CUR})(?![a-z]))?",
)
_RANGE_GAP = re.compile(rf"^\s*(?:{_CONNECTORS})\s*$")
_DURATION = re.compile(r"(?<!\d)(?P<num>\d{1,4})\s?(?P<unit>[a-z]+)")


@dataclass(frozen=True)
class Money:
    """An amount, or the bounds of a range, in one currency (None: the text names none)."""

    currency: str | None
    amounts: frozenset[Decimal]


@dataclass
class Values:
    """What a text says in typed values."""

    money: list[Money] = field(default_factory=list)
    durations: set[str] = field(default_factory=set)  # ISO 8601, e.g. P10Y
    figures: set[Decimal] = field(default_factory=set)  # every number, scaled

    def index_keys(self) -> list[str]:
        """Index terms of the values: the same in every language."""
        out = [f"{m.currency or 'num'}:{a}" for m in self.money for a in sorted(m.amounts)]
        out += [f"dur:{d}" for d in sorted(self.durations)]
        return out


def _decimal(number: str, lang: str) -> Decimal | None:
    text = number.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+", text) and not (
        lang in {"fr", "de", "es", "pt", "it"} and re.fullmatch(r"\d{1,3},\d{3}", text)
    ):
        text = re.sub(r"[ ,.]", "", text)  # thousands separators
    else:
        text = text.replace(" ", "").replace(",", ".")
    if len(text) > MAX_DIGITS:  # no amount a claim states: a serial number, a hash
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


MAX_DIGITS = 20  # of a number read as an amount (with its decimals)


def _normal(value: Decimal) -> Decimal:
    """The amount in one form (`500000000`, `1.5`): whole numbers without an exponent."""
    with localcontext() as context:
        context.prec = 60  # room for any amount of MAX_DIGITS digits, times a trillion
        return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


@functools.lru_cache(maxsize=4096)
def _digits(text: str, lang: str) -> str:
    """``text`` folded, with number words as digits; a range's connectors are kept apart so
    that `500 million and one billion` stays two numbers."""
    folded = fold(text)
    folded = re.sub(r"\bhalf an? (?=\w)", "0.5 ", folded)
    folded = re.sub(r"\b(?:un |une )?demi-? ?(?=milli)", "0.5 ", folded)
    folded = re.sub(r"\b(?:a|an|one) (?=(?:hundred|thousand|million|billion)\b)", "1 ", folded)
    guarded = re.sub(rf"\s({_CONNECTORS})\s", r" | \1 | ", folded)
    try:
        converted = str(alpha2digit(guarded, lang if lang in _LANGS else "en"))
    except Exception:  # a text text2num cannot read (any error of its own) keeps its words
        converted = guarded
    return converted.replace(" | ", " ")


def values_of(text: str, lang: str) -> Values:
    """The money, durations and figures of ``text`` (read as ``lang``)."""
    plain = _digits(text, lang)
    found = Values()
    amounts: list[Amount] = []
    for match in _AMOUNT.finditer(plain):
        value = _decimal(match["num"], lang)
        if value is None:
            continue
        scale = len(match["pow"]) - 1 if match["pow"] else _SCALES.get(match["scale"] or "", 0)
        currency = _CURRENCY_WORDS.get(match["pre"] or match["post"] or "")
        amounts.append(Amount(match.start(), match.end(), currency, value, scale))
    found.money = _ranges(plain, amounts)
    found.figures = {a for m in found.money for a in m.amounts}
    for match in _DURATION.finditer(plain):
        if match["unit"] in _YEARS:
            found.durations.add(f"P{int(match['num'])}Y")
    if any(re.search(rf"\b{d}\b", plain) for d in _DECADES):
        found.durations.add("P10Y")
    return found


@dataclass(frozen=True)
class Amount:
    """A number found in the text: where, its currency, its digits and its scale (10^n)."""

    start: int
    end: int
    currency: str | None
    number: Decimal
    scale: int


def _ranges(plain: str, amounts: list[Amount]) -> list[Money]:
    """Amounts joined by a range's connector become one range; a currency or a scale named on
    one side is the other's too (`between 300 and 450 million euros`)."""
    out: list[Money] = []
    i = 0
    while i < len(amounts):
        group = [amounts[i]]
        while i + 1 < len(amounts) and _RANGE_GAP.match(
            plain[group[-1].end : amounts[i + 1].start]
        ):
            i += 1
            group.append(amounts[i])
        currency = next((a.currency for a in group if a.currency), None)
        scale = max(a.scale for a in group)
        values = {
            _normal(
                a.number
                * Decimal(10) ** (a.scale or (scale if len(group) > 1 and a.number < 1000 else 0))
            )
            for a in group
        }
        out.append(Money(currency, frozenset(values)))
        i += 1
    return out


def same_money(a: Money, b: Money) -> bool:
    """The same amount or range, in the same currency."""
    return a.currency == b.currency and a.amounts == b.amounts


def claim_money(
    currency: str | None, amount: str | None, low: str | None, high: str | None
) -> Money | None:
    """A claim's money value as :class:`Money`."""
    bounds = {Decimal(v) for v in (amount, low, high) if v is not None}
    return Money(currency, frozenset(_normal(v) for v in bounds)) if bounds else None
