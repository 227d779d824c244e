"""Editing claims: add one from a quote, record a status change, record a party's response.

Every edit builds the file's new text, checks it as `validate` would (every per-file rule, its
quotes against every seed, its id against the others), and writes it atomically only if it
has no finding; an existing claim file is edited in place (:mod:`.textedit`), never re-dumped,
and never overwritten if it changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.edit.locate import locate
from claimtrack.edit.textedit import EditableFile, render
from claimtrack.exc import EditRefused, InputError, NeedsValidFile
from claimtrack.model.ids import slug
from claimtrack.model.records import SCHEMA_VERSION, TERMS_ADDED
from claimtrack.model.vocab import ConfirmationStatus
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.files import MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import Dataset
from claimtrack.store.locking import locked
from claimtrack.store.yaml_write import modeline
from claimtrack.validate.check import UnknownClaim, check_candidate, suggest
from claimtrack.validate.check import check as validate

# where a key goes when a file does not have it yet: after the last of these it has
AFTER = {
    "responses": ("history",),
}


@dataclass(frozen=True)
class QuoteSource:
    """A passage to cite: the seed, the words, which occurrence, and an optional translation."""

    seed: str
    text: str
    occurrence: int | None = None
    translation: str | None = None
    translation_method: str = "human"


@dataclass(frozen=True)
class Citation:
    """What an entry cites: a new quote (``source``), or a quote the claim has (``evidence``)."""

    source: QuoteSource | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class Edited:
    """What an edit wrote: the file, and its text before (empty for a new file) and after."""

    path: Path
    before: str
    after: str

    @property
    def diff(self) -> str:
        before, after = (s.replace("\r\n", "\n") for s in (self.before, self.after))
        return "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{self.path.name}",
                tofile=f"b/{self.path.name}",
            )
        )


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _seeds(dataset: Dataset) -> dict[str, tuple[str, str, str | None]]:
    """Seed id -> (text, language, published) of the dataset's valid seeds. The text is decoded
    from its bytes, as validation reads it (no newline translation), so offsets count the same."""
    report = validate(
        dataset, [dataset.seeds_dir] if dataset.seeds_dir.is_dir() else [], records=True, cache=None
    )
    found = {}
    for seed in report.seeds:
        try:
            raw = read_bounded(dataset.seed_text_path(seed.text_file), MAX_SEED_BYTES)
            found[seed.id] = (raw.decode("utf-8"), seed.language, seed.published)
        except (OSError, FileTooLarge, UnicodeDecodeError):
            continue
    return found


def quote_entry(dataset: Dataset, quote_id: str, source: QuoteSource) -> dict[str, Any]:
    """An evidence entry for ``source``, its offsets found in the seed's text."""
    seeds = _seeds(dataset)
    if source.seed not in seeds:
        raise InputError(
            f"no archived seed `{source.seed}`",
            hint="seeds: " + (", ".join(sorted(seeds)) or "none yet; archive one with `seed add`"),
        )
    text, language, _ = seeds[source.seed]
    start, end = locate(text, source.text, source.seed, source.occurrence)
    entry: dict[str, Any] = {
        "id": quote_id,
        "seed": source.seed,
        "text": text[start:end],
        "start": start,
        "end": end,
        "language": language,
    }
    if source.translation:
        entry["translation"] = {
            "text": source.translation,
            "language": "en",
            "method": source.translation_method,
        }
    return entry


def _write_new(dataset: Dataset, path: Path, text: str) -> Edited:
    findings = check_candidate(dataset, path, text.encode("utf-8"))
    if findings:
        raise EditRefused(findings, path=path)
    if path.exists():
        raise InputError("the file exists; an edit never overwrites one", path=path)
    atomic_write_bytes(path, text.encode("utf-8"))
    return Edited(path, "", text)


def write_edit(dataset: Dataset, file: EditableFile) -> Edited:
    after = file.result()
    findings = check_candidate(dataset, file.path, after.encode("utf-8"))
    if findings:
        raise EditRefused(findings, path=file.path)
    file.write(after)
    return Edited(file.path, file.text, after)


def new_id(dataset: Dataset, statement: str) -> str:
    """An id from the statement's first words, unique among the claims ignoring case."""
    words = slug(statement).split("-")
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 60:
            break
        base = f"{base}-{word}" if base else word
    base = base or "claim"
    taken = {claim_id.casefold() for claim_id in dataset.claim_index()}
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@dataclass(frozen=True)
class NewClaim:
    """What `claim add` needs: the statement, its kind, who asserts it, the quote, the status."""

    statement: str
    kind: str
    asserter: str
    source: QuoteSource
    asserter_type: str = "person"
    relay: str | None = None
    status: str = "reported"
    date: str | None = None
    claim_id: str | None = None
    subjects: list[dict[str, Any]] = field(default_factory=list)
    value: dict[str, Any] | None = None  # the typed value (see :func:`typed_value`)
    original: str | None = None  # the assertion in the source's words
    original_language: str | None = None  # default: the source's language


@locked
def add_claim(dataset: Dataset, claim: NewClaim) -> Edited:
    """Write a new claim file, quoting ``claim.source`` at the offsets found in its seed."""
    claim_id = claim.claim_id or new_id(dataset, claim.statement)
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?", claim_id):
        raise InputError(f"`{claim_id}` is not a claim id", hint="lowercase words and hyphens")
    path = dataset.claims_dir / f"{claim_id}.yaml"
    taken = {i.casefold(): p for i, p in dataset.claim_index().items()}
    if claim_id.casefold() in taken:
        raise InputError(
            f"claim `{claim_id}` exists already (ids are compared ignoring case)",
            path=dataset.claim_path(taken[claim_id.casefold()]),
            hint="give another --id; an existing claim is never overwritten",
        )
    quote = quote_entry(dataset, "q1", claim.source)
    stamp = now()
    published = _seeds(dataset)[claim.source.seed][2]
    # the status holds from when the source made the claim known, when it says so in full
    known = published if published is not None and len(published) == 10 else None
    date = claim.date or known or stamp[:10]
    seed_language = _seeds(dataset)[claim.source.seed][1]
    record = {
        "schema_version": SCHEMA_VERSION,
        "id": claim_id,
        "statement": claim.statement,
        "original": {
            "text": claim.original,
            "language": claim.original_language or seed_language,
        },
        "kind": claim.kind,
        "subjects": claim.subjects,
        "value": claim.value,
        "attribution": [
            {"role": "asserter", "name": claim.asserter, "type": claim.asserter_type},
            {
                "role": "relay",
                "name": claim.relay or f"Archived source {claim.source.seed}",
                "type": "document",
                "seed": claim.source.seed,
            },
        ],
        "evidence": [quote],
        "status": claim.status,
        "history": [
            {
                "date": date,
                "status": claim.status,
                "reason": f"Recorded from archived source {claim.source.seed}.",
                "evidence": ["q1"],
            }
        ],
        "created": stamp,
        "updated": stamp,
    }
    if not claim.subjects:
        del record["subjects"]
    if claim.original is None:
        del record["original"]
    if claim.value is None:
        del record["value"]
    return _write_new(dataset, path, modeline("claim") + render(record))


VALUE_FIELDS: dict[str, tuple[str, ...]] = {
    "money": ("currency", "amount", "min", "max", "period", "estimate"),
    "jurisdiction": ("object", "constraint", "countries"),
    "access": ("object", "party", "access"),
    "text": ("text",),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "money": ("currency", "estimate"),
    "jurisdiction": ("object", "constraint", "countries"),
    "access": ("object", "party", "access"),
    "text": ("text",),
}


def _option(key: str) -> str:
    """The `claim add` option that gives a value's field."""
    return {"countries": "country", "text": "value-text"}.get(key, key)


def typed_value(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """A claim's typed value of type ``kind`` from the values given (None: not given); the
    model checks the rest (a real currency, `min` <= `max`, an ISO 8601 duration)."""
    if kind not in VALUE_FIELDS:
        raise InputError(f"`{kind}` is not a value type", hint="money, jurisdiction, access, text")
    stray = sorted(
        k for k, v in given.items() if v not in (None, ()) and k not in VALUE_FIELDS[kind]
    )
    if stray:
        options = ", ".join(f"--{_option(k)}" for k in stray)
        raise InputError(
            f"{options} does not go with --value-type {kind}",
            hint=f"a {kind} value takes: " + ", ".join(f"--{k}" for k in VALUE_FIELDS[kind]),
        )
    missing = [k for k in REQUIRED[kind] if given.get(k) in (None, ())]
    if missing:
        asked = " and ".join(
            "--estimate or --exact" if k == "estimate" else f"--{_option(k)}" for k in missing
        )
        raise InputError(f"a {kind} value needs {asked}", hint=f"give {asked}")
    value: dict[str, Any] = {"type": kind}
    for key in VALUE_FIELDS[kind]:
        item = given.get(key)
        if item not in (None, ()):
            value[key] = list(item) if isinstance(item, tuple) else item
    return value


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _version_for(*terms: str) -> str:
    """The oldest claim format that has every status or response term used."""
    later = [
        v for v, added in TERMS_ADDED.items() if any(t in {x for _, x in added} for t in terms)
    ]
    return max(later, key=_version_key, default="1.0")


def open_claim(dataset: Dataset, claim_id: str) -> EditableFile:
    """An existing claim's file, by exact id (close ids suggested). An edit starts from a valid
    file: one with findings is refused (NeedsValidFile), so an edit never builds on a broken
    record nor hides its findings."""
    index = dataset.claim_index()
    if claim_id not in index:
        raise UnknownClaim(claim_id, suggest(claim_id, list(index)))
    file = EditableFile.open(dataset.claim_path(index[claim_id]))
    findings = check_candidate(dataset, file.path, file.text.encode("utf-8"))
    if findings:
        raise NeedsValidFile(findings, path=file.path)
    return file


def next_quote_id(file: EditableFile) -> str:
    used = {str(q.get("id")) for q in file.data.get("evidence", []) if isinstance(q, dict)}
    n = len(used) + 1
    while f"q{n}" in used:
        n += 1
    return f"q{n}"


def _cite(dataset: Dataset, file: EditableFile, citation: Citation) -> list[str]:
    """The quote ids an entry cites: a new quote appended to the evidence, or an existing one."""
    source, evidence = citation.source, citation.evidence
    if source is not None:
        quote_id = next_quote_id(file)
        file.append("evidence", quote_entry(dataset, quote_id, source))
        return [quote_id]
    if evidence is not None:
        ids = [str(q.get("id")) for q in file.data.get("evidence", []) if isinstance(q, dict)]
        if evidence not in ids:
            raise InputError(
                f"no quote `{evidence}` in this claim", hint="quotes: " + ", ".join(ids)
            )
        return [evidence]
    return []


def _upgrade(file: EditableFile, *terms: str) -> None:
    """Raise the claim's format version when an edit uses a term a later format added."""
    needed = _version_for(*terms)
    current = str(file.data.get("schema_version"))
    if _version_key(needed) > _version_key(current):
        file.set_scalar("/schema_version", needed)


@dataclass(frozen=True)
class StatusChange:
    status: str
    date: str
    reason: str
    cite: Citation = Citation()
    rated_by: str | None = None


@locked
def change_status(dataset: Dataset, claim_id: str, change: StatusChange) -> Edited:
    """Append a status history entry and set `status` to it."""
    if change.status not in {s.value for s in ConfirmationStatus}:
        raise InputError(
            f"`{change.status}` is not a status",
            hint="statuses: " + ", ".join(s.value for s in ConfirmationStatus),
        )
    if change.date > now()[:10]:
        raise InputError(
            f"{change.date} is in the future", hint="a status holds from a date that has come"
        )
    file = open_claim(dataset, claim_id)
    history = file.data.get("history", [])
    last = str(history[-1].get("date")) if history else ""
    if change.date < last:
        raise InputError(
            f"{change.date} is before the last status entry ({last}); the history is append-only",
            hint=f"give a date on or after {last}",
        )
    cited = _cite(dataset, file, change.cite)
    entry: dict[str, Any] = {"date": change.date, "status": change.status, "reason": change.reason}
    if cited:
        entry["evidence"] = cited
    if change.rated_by:
        entry["rated_by"] = change.rated_by
    file.append("history", entry)
    file.set_scalar("/status", change.status)
    file.set_scalar("/updated", now())
    _upgrade(file, change.status)
    return write_edit(dataset, file)


@dataclass(frozen=True)
class Response:
    party: str
    party_type: str
    response: str
    date: str | None = None
    words: str | None = None
    asked_by: str | None = None
    cite: Citation = Citation()


@locked
def respond(dataset: Dataset, claim_id: str, response: Response) -> Edited:
    """Append a party's response to the claim."""
    file = open_claim(dataset, claim_id)
    cited = _cite(dataset, file, response.cite)
    entry: dict[str, Any] = {
        "party": response.party,
        "type": response.party_type,
        "response": response.response,
    }
    for key, value in (
        ("asked_by", response.asked_by),
        ("date", response.date),
        ("words", response.words),
    ):
        if value:
            entry[key] = value
    if cited:
        entry["evidence"] = cited
    file.append("responses", entry, after=AFTER["responses"])
    file.set_scalar("/updated", now())
    _upgrade(file, response.response)
    return write_edit(dataset, file)
