"""What every importer produces: drafts of claims, rejected records, and the report of an import;
and the small helpers that read loosely typed source records."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from claimtrack.exc import InputError
from claimtrack.model.types import HTTP_URL


@dataclass
class ImportReport:
    """What an import did: counts, and every record it skipped or warns about, with why."""

    format: str
    source: str
    seed_id: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    statements: dict[str, str] = field(default_factory=dict)  # of the claims added or updated


@dataclass(frozen=True, kw_only=True)
class Review:
    """One rating of a record: a status history entry to be."""

    status: str
    label: str
    rated_by: str | None
    date: str | None  # the as-of date of the status (None: the import's)
    reason: str
    note: str | None = None
    published: str | None = None  # when the rater published the rating, when it says
    mapped: bool = True  # False: the label is outside our table, so its status says nothing
    rating: dict[str, float] | None = None  # value, best, worst: the rater's own numbers
    url: str | None = None  # the rater's review page
    language: str | None = None  # of the review, when the source says


@dataclass(frozen=True, kw_only=True)
class Draft(Review):
    """A record turned into claim fields, before timestamps and history are settled; its own
    fields are its (first) rating, and ``also`` holds any further ratings of the same claim."""

    claim_id: str
    fields: dict[str, Any]
    where: str = ""  # where the record stands in its file, for messages (position, line)
    also: tuple[Review, ...] = ()
    names_our_claim: bool = (
        False  # names a claim by its id here (`identifier`): maybe our own export
    )

    @property
    def reviews(self) -> list[Review]:
        return [self, *self.also]


@dataclass(frozen=True)
class Notice:
    """Something an import must say of a file that is no record: e.g. that more results exist."""

    where: str
    text: str


# drafts, (where, why) for each rejected record, and notices
Parsed = Iterator["Draft | tuple[str, str] | Notice"]


def claim_fields(
    text: str,
    attribution: list[dict[str, Any]],
    evidence: dict[str, Any],
    external_ids: list[dict[str, Any]],
    *,
    note: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The fields of an imported claim: its text as the statement (shortened, with a note when
    cut), not classified, about no named subject, with one quote; ``extra`` adds fields."""
    statement, cut = short_statement(text)
    notes = " ".join(n for n in (cut, note) if n) or None
    return {
        "statement": statement,
        "kind": "unclassified",
        "subjects": [],
        "attribution": attribution,
        "evidence": [evidence],
        "external_ids": external_ids,
        "notes": notes,
        **extra,
    }


def short_statement(text: str) -> tuple[str, str | None]:
    """A one-line statement of at most 300 characters, and a note when it had to be cut."""
    clean = " ".join(text.split())
    if len(clean) <= 300:
        return clean, None
    return clean[:299] + "…", "Statement shortened to 300 characters; the full text is quote q1."


def quote(
    seed: str,
    text: str,
    *,
    start: int | None = None,
    locator: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    quote: dict[str, Any] = {"id": "q1", "seed": seed, "text": text, "language": language}
    if locator is not None:
        quote["locator"] = locator
    else:
        assert start is not None
        quote.update(start=start, end=start + len(text))
    return quote


def past_date(value: Any, fmt: str) -> str | None:
    """A past date in ISO form from ``value`` in ``fmt`` (ISO timestamps keep their date)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()[:10] if fmt == "%Y-%m-%d" else value.strip()
    try:
        day = dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None
    return day.isoformat() if day <= dt.datetime.now(dt.UTC).date() else None


def load_json(text: str, name: str, hint: str) -> Any:
    """The JSON of an imported file, or InputError naming the file, the error and ``hint``."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise InputError(f"{name} is not JSON: {error}", hint=hint) from None


def as_list(value: Any) -> list[Any]:
    """A JSON(-LD) property as a list: JSON-LD allows one object or a list for any property."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict | str) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def http_url(value: Any) -> str | None:
    """``value`` when it is a URL the model accepts (`HttpUrl`), else None: a bad URL is
    dropped, never the record that carries it."""
    return value.strip() if isinstance(value, str) and re.match(HTTP_URL, value.strip()) else None


def name_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return name_of(value[0])
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def asserter(name: str | None, kind: str, unnamed: str, **extra: Any) -> dict[str, Any]:
    """The `asserter` link: the named speaker, or an anonymous one described by ``unnamed``
    (the source leaves the speaker blank: never guessed)."""
    if name:
        return {"role": "asserter", "name": name, "type": kind, **extra}
    return {"role": "asserter", "name": unnamed, "type": "anonymous"}


def relay(name: str, seed: str) -> dict[str, Any]:
    """The `relay` link to the archived file the record comes from."""
    return {"role": "relay", "name": name, "type": "document", "seed": seed}
