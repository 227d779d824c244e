"""A release's claim records read as a stream, never held together: a first pass checks every
record and keeps only what the whole site needs (their order, the counts of the statistics and
of the filters, the corrections); a second pass reads them again in site order, a part at a
time, for the pages.

The records come from `claims.jsonl`, in memory (a site of the working tree) or on disk (a
release, read a line at a time).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from claimtrack.model.records import Claim, optional_fields, part_models
from claimtrack.site.pages import asserters
from claimtrack.site.source import SAFE_NAME, SiteError, fill_withheld

# the optional fields of a claim record and its parts, as every page reads them: a record of
# an older claim format (release 1.0.0) simply lacks the ones added since; a quote's text may be
# withheld (null) where its source's rights allow none of its words
_CLAIM_DEFAULTS: dict[str, Any] = optional_fields(Claim)
_PART_DEFAULTS: dict[str, dict[str, Any]] = {
    name: optional_fields(model) for name, model in part_models(Claim).items()
}
_PART_DEFAULTS["evidence"]["text"] = None


def complete(claim: dict[str, Any]) -> dict[str, Any]:
    """The record with every optional field present (null or empty when absent)."""
    full = {**_CLAIM_DEFAULTS, **claim}
    for key, defaults in _PART_DEFAULTS.items():
        parts = full.get(key)
        full[key] = [
            {**defaults, **part}
            for part in (parts if isinstance(parts, list) else [])
            if isinstance(part, dict)
        ]
    return full


class Place(NamedTuple):
    """Where a record is in `claims.jsonl`, and the sources its page needs."""

    id: str
    offset: int
    length: int
    number: int  # its line
    seeds: tuple[str, ...]  # the sources it quotes or is linked to


@dataclass
class ClaimIndex:
    """What the first pass keeps: each record's place in the file, in site order (by id), and
    the counts every summary page needs."""

    order: list[Place] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    people: Counter[str] = field(default_factory=Counter)  # asserters, as the records name them
    topics: set[str] = field(default_factory=set)
    months: Counter[str] = field(default_factory=Counter)  # status entries by month
    corrections: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    _names: dict[str, str] = field(default_factory=dict)  # each source id held once

    @property
    def total(self) -> int:
        return len(self.order)

    def add(self, claim: dict[str, Any], offset: int, length: int, number: int) -> None:
        quoted = {str(q.get("seed")) for q in claim.get("evidence") or []}
        quoted |= {str(a.get("seed")) for a in claim.get("attribution") or []}
        seeds = tuple(sorted(self._names.setdefault(s, s) for s in quoted))
        self.order.append(Place(str(claim["id"]), offset, length, number, seeds))
        self.statuses[str(claim["status"])] += 1
        self.kinds[str(claim["kind"])] += 1
        self.people.update(asserters(claim))
        self.topics.update(str(t) for t in claim.get("topics") or [])
        self.months.update(str(h.get("date", ""))[:7] for h in claim.get("history") or [])
        if claim.get("corrections"):
            named = {"id": claim["id"], "statement": claim.get("statement")}
            self.corrections.extend((named, entry) for entry in complete(claim)["corrections"])


def _lines(data: bytes | Path) -> Iterator[tuple[int, bytes]]:
    """Each line of ``data`` with its byte offset."""
    with io.BytesIO(data) if isinstance(data, bytes) else data.open("rb") as handle:
        offset = 0
        for line in handle:  # split at `\n` only, whichever the source
            yield offset, line
            offset += len(line)


def _fix(version: str) -> str:
    return f"run `claimtrack verify {version}`; a site is built from the records claimtrack wrote"


def checked(line: bytes, number: int, version: str) -> tuple[dict[str, Any], Claim]:
    """One line of `claims.jsonl` as a record, checked against the claim model (texts the
    release withholds aside) and encodable as UTF-8: a page is never built from a record
    claimtrack did not write. Returns the record, and the model read from it (its withheld
    texts filled in)."""
    where = f"release {version}: claims.jsonl line {number}"
    try:
        record = _record(line)
        model = Claim.model_validate(fill_withheld(record))
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        spot = "/".join(str(p) for p in first["loc"])
        raise SiteError(f"{where}: /{spot}: {first['msg']}", hint=_fix(version)) from None
    except (ValueError, RecursionError, UnicodeError) as error:
        problem = str(error)[:200] or type(error).__name__
        raise SiteError(f"{where} is not a claim record: {problem}", hint=_fix(version)) from None
    return record, model


def _record(line: bytes) -> dict[str, Any]:
    """A line as a JSON object whose every text can be written as UTF-8 (strictly decoded: no
    lone surrogate, raw or escaped)."""
    text = line.decode("utf-8")
    record = json.loads(text)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if "\\u" in text:  # an escape may stand for a lone surrogate, which cannot be written
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    return record


def _indexed(index: ClaimIndex, line: bytes, offset: int, number: int, version: str) -> None:
    """One record read for the first pass: its shape and texts are checked here, and every
    field by the model where its page is written (:func:`checked`), before the site is moved
    into place."""
    try:
        record = _record(line)
        index.add(record, offset, len(line), number)
    except (ValueError, RecursionError, KeyError, TypeError, AttributeError) as error:
        checked(line, number, version)  # the model's own words, when it refuses the record
        where = f"release {version}: claims.jsonl line {number}"
        problem = str(error)[:200] or type(error).__name__
        raise SiteError(f"{where} is not a claim record: {problem}", hint=_fix(version)) from None
    if not SAFE_NAME.match(str(record["id"])):
        raise SiteError(
            f"claim id {json.dumps(record['id'])} cannot name a page",
            hint="ids are letters, digits, `-` and `_`; run `claimtrack validate`",
        )


def index_claims(data: bytes | Path, version: str) -> ClaimIndex:
    """The first pass: every record read, and what the summary pages need kept."""
    index = ClaimIndex()
    for number, (offset, line) in enumerate(_lines(data), 1):
        if line.strip():
            _indexed(index, line, offset, number, version)
    index.order.sort()
    for before, place in zip(index.order, index.order[1:], strict=False):
        if before.id == place.id:
            raise SiteError(
                f"release {version}: claims.jsonl lines {before.number} and {place.number} "
                f"are both claim {json.dumps(place.id)}",
                hint=_fix(version),
            )
    return index


def raw_parts(
    data: bytes | Path, order: list[Place], size: int
) -> Iterator[list[tuple[Place, bytes]]]:
    """The second pass: the records as they are in the file, in site order, ``size`` at a
    time."""
    if isinstance(data, bytes):
        yield from _parts(lambda offset, length: data[offset : offset + length], order, size)
        return
    with data.open("rb") as handle:

        def read(offset: int, length: int) -> bytes:
            handle.seek(offset)
            return handle.read(length)

        yield from _parts(read, order, size)


def _parts(
    read: Callable[[int, int], bytes], order: list[Place], size: int
) -> Iterator[list[tuple[Place, bytes]]]:
    for start in range(0, len(order), size):
        yield [(place, read(place.offset, place.length)) for place in order[start : start + size]]
