"""What a reader sees instead of codes: dates in words, typed values as a phrase, quote labels
instead of ids, vocabulary definitions without their Markdown marks.

Everything here only rewords what the record says: an unknown part stays unknown ("date not
known"), and nothing is rounded away without the exact figure being shown beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹"}
_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?$"
)
CONSTRAINTS = {"only_in": "only in", "not_in": "not in", "includes": "including in"}
ACCESS = {
    "none": "has no access to",
    "restricted": "has restricted access to",
    "full": "has full access to",
}


def date_words(value: object) -> str:
    """`2021-10-27` -> `27 October 2021`; `2021-10` -> `October 2021`; a timestamp gives its
    day (UTC); anything else is returned as written."""
    text = str(value or "")
    if "T" in text:  # a timestamp: its day in UTC
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                text = moment.astimezone(dt.UTC).date().isoformat()
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T|$)", text)
    if not match:
        return text
    year, month, day = match.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    if day is None:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def plain(text: str) -> str:
    """A definition as prose: Markdown code marks (`like this`) dropped."""
    return text.replace("`", "")


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def amount_words(value: object, currency: str) -> str:
    """`500000000` in GBP -> `£500m`; 1,000,000,000 -> `£1bn`; other figures in full."""
    number = _decimal(value)
    symbol = SYMBOLS.get(currency, "")
    prefix, suffix = (symbol, "") if symbol else ("", f" {currency}")
    if number is None:
        return f"{prefix}{value}{suffix}"
    for size, unit in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m")):
        if abs(number) >= size and (number / size) == (number / size).quantize(Decimal("0.1")):
            short = (number / size).normalize()
            return f"{prefix}{short:f}{unit}{suffix}"
    return f"{prefix}{number.normalize():,f}{suffix}"


def duration_words(period: str) -> str:
    """`P10Y` -> `10 years`; `P2Y6M` -> `2 years and 6 months`; other forms as written."""
    match = _DURATION.match(period)
    if not match or not any(match.groups()):
        return period
    parts = [
        f"{int(n)} {unit if int(n) == 1 else unit + 's'}"
        for unit, n in zip(("year", "month", "week", "day"), match.groups(), strict=True)
        if n is not None
    ]
    return " and ".join(parts)


_THE = ("United ", "Netherlands", "Philippines", "Bahamas", "Gambia", "Maldives")


def country_name(code: str) -> str:
    """A country's usual English name, with `the` where English puts it (`the United Kingdom`)."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    name = str(getattr(found, "common_name", None) or getattr(found, "name", code))
    needs = name.startswith(_THE) or "Republic" in name or "Islands" in name
    return f"the {name}" if needs else name


def _money(value: dict[str, Any]) -> str:
    currency = str(value.get("currency"))
    low, high, exact = value.get("min"), value.get("max"), value.get("amount")
    if exact is not None:
        figure = amount_words(exact, currency)
    elif low is not None and high is not None:
        figure = f"{amount_words(low, currency)}–{amount_words(high, currency)}"
    elif low is not None:
        figure = f"at least {amount_words(low, currency)}"
    else:
        figure = f"up to {amount_words(high, currency)}"
    if value.get("period"):
        figure += f" over {duration_words(str(value['period']))}"
    return figure + (", estimated" if value.get("estimate") else "")


def value_words(value: dict[str, Any] | None) -> str | None:
    """The typed value as a reader would say it, or None when the claim has none."""
    if not value:
        return None
    kind = value.get("type")
    if kind == "money":
        return _money(value)
    if kind == "jurisdiction":
        places = ", ".join(country_name(str(c)) for c in value.get("countries") or [])
        how = CONSTRAINTS.get(str(value.get("constraint")), str(value.get("constraint")))
        return f"{value.get('object')}: {how} {places}"
    if kind == "access":
        how = ACCESS.get(str(value.get("access")), str(value.get("access")))
        return f"{value.get('party')} {how} {value.get('object')}"
    return str(value.get("text")) if value.get("text") is not None else None


def quote_labels(claim: dict[str, Any]) -> dict[str, str]:
    """Each quote's id -> how a reader refers to it: `quote 1`, `quote 2`..."""
    return {q["id"]: f"quote {i}" for i, q in enumerate(claim.get("evidence") or [], start=1)}


def size_words(size: int) -> str:
    """`8185` -> `8.0 KB (8,185 bytes)`; a small file in bytes alone."""
    if size < 1024:
        return f"{size:,} bytes"
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"
