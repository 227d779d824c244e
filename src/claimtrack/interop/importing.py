"""Importing claims from the datasets of the field: LIAR, AVeriTeC and ClaimReview JSON-LD.

Every importer archives the imported file byte for byte under `seeds/` (so each imported
statement stays verifiable: a character span for TSV, a JSON pointer for JSON), maps the
source's labels onto our confirmation statuses with a documented table while keeping the label
verbatim (`history[].source_label`), keeps speakers, dates, URLs and the source's record ids,
and reports every record it could not import with the reason. Importing the same file again
changes nothing; a changed label is appended to the claim's status history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.layout import Dataset
from claimtrack.exc import InputError
from claimtrack.validate.findings import pointer
from claimtrack.model.records import SCHEMA_VERSION, Claim, SourceDocument
from claimtrack.store.yaml_read import YamlProblem, load_bytes
from claimtrack.store.yaml_write import to_yaml, write_record

# ---------------------------------------------------------------- label tables (documented)

LIAR_LABELS = {
    "true": "confirmed",
    "mostly-true": "partly_confirmed",
    "half-true": "partly_confirmed",
    "barely-true": "partly_confirmed",
    "false": "refuted",
    "pants-fire": "refuted",
}
AVERITEC_LABELS = {
    "Supported": "confirmed",
    "Refuted": "refuted",
    "Not Enough Evidence": "insufficient_evidence",
    "Conflicting Evidence/Cherrypicking": "disputed",
}
# ClaimReview `reviewRating.alternateName`, compared case-insensitively. Our own export labels
# come first, so that an exported claim re-imports with the same status.
CLAIMREVIEW_LABELS = {
    "unverified": "reported",
    "true": "confirmed",
    "half true": "partly_confirmed",
    "disputed": "disputed",
    "false": "refuted",
    "unproven": "insufficient_evidence",
    "retracted": "retracted",
    "opinion": "not_checkable",
    "correct": "confirmed",
    "accurate": "confirmed",
    "mostly true": "partly_confirmed",
    "half-true": "partly_confirmed",
    "mixture": "partly_confirmed",
    "misleading": "partly_confirmed",
    "mostly false": "partly_confirmed",
    "barely true": "partly_confirmed",
    "incorrect": "refuted",
    "fake": "refuted",
    "pants on fire": "refuted",
    "pants on fire!": "refuted",
    "no evidence": "insufficient_evidence",
    "unsupported": "insufficient_evidence",
    "satire": "not_checkable",
}
LABEL_TABLES = {"liar": LIAR_LABELS, "averitec": AVERITEC_LABELS, "claimreview": CLAIMREVIEW_LABELS}


# ---------------------------------------------------------------- results


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


# ---------------------------------------------------------------- helpers


def slug(text: str) -> str:
    """`Foreign Policy` -> `foreign-policy`; empty when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100].strip("-")


def _statement(text: str) -> tuple[str, str | None]:
    """A one-line statement of at most 300 characters, and a note when it had to be cut."""
    clean = " ".join(text.split())
    if len(clean) <= 300:
        return clean, None
    return clean[:299] + "…", "Statement shortened to 300 characters; the full text is quote q1."


def _quote(
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


def _date(value: Any, fmt: str) -> str | None:
    """A past date in ISO form from ``value`` in ``fmt`` (ISO timestamps keep their date)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()[:10] if fmt == "%Y-%m-%d" else value.strip()
    try:
        day = dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None
    return day.isoformat() if day <= dt.datetime.now(dt.UTC).date() else None


def _content_key(*parts: str) -> str:
    """A record's identity when the source gives it no id: a digest of what it says."""
    return hashlib.sha256("\x1f".join(" ".join(p.split()) for p in parts).encode()).hexdigest()[:16]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _http(value: Any) -> str | None:
    return (
        value.strip()
        if isinstance(value, str) and re.match(r"^https?://\S+$", value.strip())
        else None
    )


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return _name(value[0])
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Draft:
    """A record turned into claim fields, before timestamps and history are settled."""

    claim_id: str
    fields: dict[str, Any]
    status: str
    label: str
    rated_by: str | None
    date: str | None
    reason: str
    note: str | None = None


# ---------------------------------------------------------------- LIAR


_BLANK = " \t\r\n\ufeff"  # blanks, and the byte order marks some LIAR statements carry


def _liar(text: str, seed: str, name: str) -> Iterator[Draft | tuple[str, str]]:
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        where = f"{name}:{number}"
        cols = line.rstrip("\r").split("\t")
        if len(cols) != 14:
            yield (where, f"expected 14 tab-separated fields, found {len(cols)}")
            continue
        record_id, label = cols[0].strip().lstrip("\ufeff"), cols[1].strip()
        statement = cols[2]
        if label not in LIAR_LABELS:
            yield (where, f"unknown label `{label}`; known: {', '.join(LIAR_LABELS)}")
            continue
        if not statement.strip():
            yield (where, "empty statement")
            continue
        claim_id = "liar-" + slug(record_id.removesuffix(".json"))
        if claim_id == "liar-":
            yield (where, f"unusable record id `{record_id}`")
            continue
        speaker = " ".join(cols[4].split())
        context = ", ".join(
            p for p in (" ".join(c.split()) for c in (cols[5], cols[6], cols[7])) if p
        )
        venue = " ".join(cols[13].split())
        link: dict[str, Any] = (
            {"role": "asserter", "name": speaker, "type": "person", "as_described": speaker}
            if speaker
            else {
                "role": "asserter",
                "name": "Unnamed speaker (blank in LIAR)",
                "type": "anonymous",
            }
        )
        if context or venue:
            link["context"] = "; ".join(p for p in (context, venue and f"venue: {venue}") if p)
        field_start = start + sum(len(c) + 1 for c in cols[:2])
        lead = len(statement) - len(statement.lstrip(_BLANK))
        quoted = statement.strip(_BLANK)
        short, note = _statement(quoted)
        yield Draft(
            claim_id,
            {
                "statement": short,
                "kind": "unclassified",
                "topics": sorted({t for t in (slug(x) for x in cols[3].split(",")) if t}),
                "subjects": [],
                "attribution": [
                    link,
                    {
                        "role": "relay",
                        "name": f"LIAR dataset file {name}",
                        "type": "document",
                        "seed": seed,
                    },
                ],
                "evidence": [_quote(seed, quoted, start=field_start + lead)],
                "external_ids": [{"system": "liar", "id": record_id}],
                "notes": note,
            },
            LIAR_LABELS[label],
            label,
            "PolitiFact",
            None,
            f"Rated `{label}` by PolitiFact, as recorded in LIAR; the rating date is not in "
            "the data, so the date is the import's.",
        )


# ---------------------------------------------------------------- AVeriTeC


def _averitec(text: str, seed: str, name: str) -> Iterator[Draft | tuple[str, str]]:
    try:
        items = json.loads(text)
    except ValueError as error:
        raise InputError(
            f"{name} is not JSON: {error}", hint="AVeriTeC files are JSON arrays of claims"
        ) from None
    if not isinstance(items, list):
        raise InputError(f"{name} is not a JSON array", hint="AVeriTeC files are JSON arrays")
    for i, item in enumerate(items):
        where = f"{name}#{i}"
        if not isinstance(item, dict):
            yield (where, "not a JSON object")
            continue
        claim, label = item.get("claim"), item.get("label")
        if not isinstance(claim, str) or not claim.strip():
            yield (where, "missing or empty `claim`")
            continue
        if label not in AVERITEC_LABELS:
            yield (where, f"unknown label `{label}`; known: {', '.join(AVERITEC_LABELS)}")
            continue
        links: list[dict[str, Any]] = []
        speaker, source = _name(item.get("speaker")), _name(item.get("reporting_source"))
        links.append(
            {"role": "asserter", "name": speaker, "type": "person"}
            if speaker
            else {
                "role": "asserter",
                "name": "Unnamed speaker (not in AVeriTeC)",
                "type": "anonymous",
            }
        )
        if _http(item.get("original_claim_url")):
            links[0]["url"] = _http(item.get("original_claim_url"))
        if source:
            links.append({"role": "first_reporter", "name": source, "type": "organisation"})
        links.append(
            {"role": "relay", "name": f"AVeriTeC file {name}", "type": "document", "seed": seed}
        )
        record_key = _content_key(claim, speaker or "", str(item.get("claim_date") or ""))
        ids: list[dict[str, Any]] = [{"system": "averitec", "id": record_key}]
        article = _http(item.get("fact_checking_article"))
        if article:
            ids.append({"system": "fact-check-article", "id": article, "url": article})
        tags = (
            [f"location-{slug(item['location_ISO_code'])}"]
            if isinstance(item.get("location_ISO_code"), str) and slug(item["location_ISO_code"])
            else []
        )
        for key in ("claim_types", "fact_checking_strategies"):
            tags += [slug(v) for v in _list(item.get(key)) if isinstance(v, str) and slug(v)]
        questions = _list(item.get("questions"))
        short, note = _statement(claim)
        notes = [
            n
            for n in (
                note,
                f"AVeriTeC evidence: {len(questions)} question(s) with "
                f"answers, at /{i}/questions in the archived file.",
            )
            if n
        ]
        date = _date(item.get("claim_date"), "%d-%m-%Y")
        justification = item.get("justification")
        yield Draft(
            f"averitec-{record_key}",
            {
                "statement": short,
                "kind": "unclassified",
                "subjects": [],
                "attribution": links,
                "evidence": [_quote(seed, claim, locator=pointer([i, "claim"]))],
                "external_ids": ids,
                "tags": sorted(set(tags)),
                "notes": " ".join(notes),
            },
            AVERITEC_LABELS[label],
            label,
            "AVeriTeC annotators",
            date,
            f"Labelled `{label}` in AVeriTeC"
            + (
                ""
                if date
                else "; the claim date is missing or invalid, so the date is the import's"
            )
            + ".",
            " ".join(justification.split())[:2000]
            if isinstance(justification, str) and justification.strip()
            else None,
        )


# ---------------------------------------------------------------- ClaimReview


def _reviews(data: Any) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        for i, item in enumerate(data["@graph"]):
            yield ["@graph", i], item
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield [i], item
    else:
        yield [], data


def _rating_status(rating: Any) -> tuple[str, str] | None:
    if not isinstance(rating, dict):
        return None
    label = _name(rating.get("alternateName")) or _name(rating.get("name"))
    if label and label.lower().strip(" .") in CLAIMREVIEW_LABELS:
        return CLAIMREVIEW_LABELS[label.lower().strip(" .")], label
    try:
        value, best, worst = (
            float(rating[k]) for k in ("ratingValue", "bestRating", "worstRating")
        )
    except (KeyError, TypeError, ValueError):
        return ("reported", label) if label else None
    share = (value - worst) / (best - worst) if best != worst else 0.5
    status = (
        "refuted" if share <= 1 / 3 else "confirmed" if share >= 2 / 3 else ("partly_confirmed")
    )
    return status, label or f"{value:g} of {worst:g}-{best:g}"


def _claimreview(text: str, seed: str, name: str) -> Iterator[Draft | tuple[str, str]]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InputError(
            f"{name} is not JSON: {error}",
            hint="give ClaimReview JSON-LD: an object, a list or a @graph",
        ) from None
    for path, item in _reviews(data):
        where = f"{name}#{pointer(path) or '/'}"
        if not isinstance(item, dict) or "claimReviewed" not in item:
            yield (where, "not a ClaimReview (no `claimReviewed`)")
            continue
        claim = item["claimReviewed"]
        if not isinstance(claim, str) or not claim.strip():
            yield (where, "empty `claimReviewed`")
            continue
        rated = _rating_status(item.get("reviewRating"))
        if rated is None:
            yield (where, "no `reviewRating` with an `alternateName` or a rating value")
            continue
        reviewed = _dict(item.get("itemReviewed"))
        author = reviewed.get("author")
        speaker = _name(author)
        kind = (author.get("@type") if isinstance(author, dict) else None) or "Person"
        links: list[dict[str, Any]] = [
            {
                "role": "asserter",
                "name": speaker,
                "type": "person" if kind == "Person" else "organisation",
            }
            if speaker
            else {
                "role": "asserter",
                "name": "Unnamed (no itemReviewed.author)",
                "type": "anonymous",
            },
            {"role": "relay", "name": f"ClaimReview file {name}", "type": "document", "seed": seed},
        ]
        url = _http(item.get("url"))
        ids: list[dict[str, Any]] = [
            {
                "system": "claimreview",
                "id": url
                or _content_key(
                    claim, _name(item.get("author")) or "", str(item.get("datePublished") or "")
                ),
            }
        ]
        if url:
            ids[0]["url"] = url
        appearances = _list(reviewed.get("appearance"))
        first = reviewed.get("firstAppearance")
        for place in [first, *appearances]:
            link = _http(place.get("url") if isinstance(place, dict) else place)
            if link and all(e.get("id") != link for e in ids):
                ids.append({"system": "appearance", "id": link, "url": link})
        identifier = item.get("identifier")
        claim_id = (
            identifier
            if isinstance(identifier, str)
            and re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?", identifier)
            else ("claimreview-" + hashlib.sha256((url or claim).encode()).hexdigest()[:16])
        )
        date = _date(item.get("datePublished"), "%Y-%m-%d")
        short, note = _statement(claim)
        yield Draft(
            claim_id,
            {
                "statement": short,
                "kind": "unclassified",
                "subjects": [],
                "attribution": links,
                "evidence": [_quote(seed, claim, locator=pointer([*path, "claimReviewed"]))],
                "external_ids": ids,
                "notes": note,
            },
            rated[0],
            rated[1],
            _name(item.get("author")),
            date,
            f"Rated `{rated[1]}` in a ClaimReview"
            + ("" if date else "; no valid datePublished, so the date is the import's")
            + ".",
        )


# ---------------------------------------------------------------- the import


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    language: str
    parse: Callable[[str, str, str], Iterator[Draft | tuple[str, str]]]


FORMATS = {
    "liar": Format("liar", "tsv", "text/tab-separated-values; charset=utf-8", "en", _liar),
    "averitec": Format("averitec", "json", "application/json; charset=utf-8", "en", _averitec),
    "claimreview": Format(
        "claimreview", "json", "application/ld+json; charset=utf-8", "en", _claimreview
    ),
}


def _archive(
    dataset: Dataset, fmt: Format, source: Path, raw: bytes, rights: str, today: str
) -> str:
    digest = hashlib.sha256(raw).hexdigest()
    seed_id = f"{fmt.name}-{digest[:16]}"
    text_path = dataset.seeds_dir / f"{seed_id}.{fmt.suffix}"
    meta_path = dataset.seeds_dir / f"{seed_id}.yaml"
    if not text_path.exists():
        atomic_write_bytes(text_path, raw)
    if not meta_path.exists():
        write_record(
            meta_path,
            SourceDocument.model_validate(
                {
                    "schema_version": SCHEMA_VERSION,
                    "id": seed_id,
                    "title": f"{fmt.name} file {source.name}",
                    "language": fmt.language,
                    "author": None,
                    "publisher": None,
                    "published": None,
                    "url": None,
                    "retrieved": None,
                    "archived": today,
                    "rights": rights,
                    "text_file": text_path.name,
                    "media_type": fmt.media_type,
                    "sha256": digest,
                    "notes": f"Imported with `claimtrack import {fmt.name}`; archived byte for "
                    "byte.",
                }
            ),
        )
    return seed_id


def _existing(path: Path) -> Claim | None:
    try:
        return Claim.model_validate(load_bytes(path.read_bytes()).data)
    except (OSError, YamlProblem, ValidationError):
        return None


def _settle(draft: Draft, old: Claim | None, now: str, today: str) -> dict[str, Any]:
    """The full claim: new history entry only when the label changed (history is append-only)."""
    entry = {
        "date": draft.date or today,
        "status": draft.status,
        "reason": draft.reason,
        "evidence": ["q1"],
        "rated_by": draft.rated_by,
        "source_label": draft.label,
        "note": draft.note,
    }
    history = [entry]
    status = draft.status
    if old is not None:
        history = [h.model_dump(mode="json") for h in old.history]
        status = old.status.value
        rated = [
            h for h in old.history if h.source_label is not None and h.rated_by == draft.rated_by
        ]
        if not rated or (rated[-1].status.value, rated[-1].source_label) != (
            draft.status,
            draft.label,
        ):
            # the source's label changed: a new entry; an editor's own entries stay as they are
            entry["date"] = max(str(entry["date"]), str(history[-1]["date"]))
            history.append(entry)
            status = draft.status
    fields = {k: v for k, v in draft.fields.items() if v not in (None, [], "")}
    if old is not None:
        fields = _merge(old, fields)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": draft.claim_id,
        **fields,
        "status": status,
        "history": history,
        "created": old.created.isoformat() if old else now,
        "updated": now,
    }


def _merge(old: Claim, fields: dict[str, Any]) -> dict[str, Any]:
    """Re-import into an existing claim: editors own every field but the imported quote, the
    relay link to the archived file and the source's ids, which the import refreshes."""
    base = old.model_dump(mode="json", exclude_defaults=True)
    for key in ("schema_version", "id", "status", "history", "created", "updated"):
        base.pop(key, None)
    fresh = fields["evidence"][0]
    old_quote: dict[str, Any] = next(
        (q for q in base.get("evidence", []) if q["id"] == fresh["id"]), {}
    )
    kept = {k: v for k, v in old_quote.items() if k not in ("start", "end", "locator")}
    quote = {**kept, **fresh}  # refresh where the text is; keep e.g. a translation
    base["evidence"] = [quote] + [q for q in base.get("evidence", []) if q["id"] != quote["id"]]
    old_seed = next((q.seed for q in old.evidence if q.id == quote["id"]), None)
    relay = next(link for link in fields["attribution"] if link["role"] == "relay")
    links = [
        link
        for link in base.get("attribution", [])
        if not (link["role"] == "relay" and link.get("seed") == old_seed)
    ]
    base["attribution"] = [*links, relay]
    ids = list(fields.get("external_ids", []))
    ids += [
        e
        for e in base.get("external_ids", [])
        if (e["system"], e["id"]) not in {(i["system"], i["id"]) for i in ids}
    ]
    base["external_ids"] = ids
    return base


def import_file(
    fmt_name: str,
    source: Path,
    dataset: Dataset,
    *,
    rights: str = "Unknown: not stated by whoever imported this file.",
    dry_run: bool = False,
) -> ImportReport:
    """Import one file into the dataset; see the module's description."""
    fmt = FORMATS[fmt_name]
    try:
        raw = source.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=source) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 (byte {error.start})", path=source, hint="convert the file to UTF-8 first"
        ) from None
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.date().isoformat()
    seed_id = f"{fmt.name}-{hashlib.sha256(raw).hexdigest()[:16]}"
    try:
        items = list(fmt.parse(text, seed_id, source.name))  # all parsed before anything is written
    except RecursionError:
        raise InputError("the file nests too deeply to read", path=source) from None
    if not dry_run and any(isinstance(i, Draft) for i in items):
        _archive(dataset, fmt, source, raw, rights, today)
    report = ImportReport(fmt.name, str(source), seed_id)
    seen: dict[str, tuple[str, str]] = {}
    statements: dict[str, tuple[str, str]] = {}
    for item in items:
        if isinstance(item, tuple):
            report.skipped.append(item)
            continue
        where = next((e["id"] for e in item.fields["external_ids"]), item.claim_id)
        if item.claim_id in seen:
            report.skipped.append((where, f"duplicate record id: {item.claim_id} again"))
            continue
        seen[item.claim_id] = (where, item.label)
        key = " ".join(item.fields["evidence"][0]["text"].split()).casefold()
        if key in statements and statements[key][1] != item.label:
            report.warnings.append(
                (
                    where,
                    f"same statement as {statements[key][0]} with a "
                    f"different label (`{item.label}` vs "
                    f"`{statements[key][1]}`); both kept",
                )
            )
        statements.setdefault(key, (where, item.label))
        _store(dataset, item, report, now.isoformat().replace("+00:00", "Z"), today, dry_run)
    return report


def _store(
    dataset: Dataset, draft: Draft, report: ImportReport, now: str, today: str, dry_run: bool
) -> None:
    path = dataset.claims_dir / f"{draft.claim_id}.yaml"
    old = _existing(path) if path.exists() else None
    where = next((e["id"] for e in draft.fields["external_ids"]), draft.claim_id)
    if path.exists() and old is None:
        report.skipped.append(
            (
                where,
                f"claims/{path.name} exists but is not a valid claim: "
                "fix or remove it, then import again",
            )
        )
        return
    source_id = next(((e["system"], e["id"]) for e in draft.fields["external_ids"]), None)
    if old is not None and source_id not in {(e.system, e.id) for e in old.external_ids}:
        report.skipped.append(
            (
                where,
                f"id collision: claims/{path.name} holds another record "
                "(its external ids differ); nothing was overwritten",
            )
        )
        return
    try:
        claim = Claim.model_validate(_settle(draft, old, now, today))
    except ValidationError as error:
        first = error.errors()[0]
        report.skipped.append(
            (draft.claim_id, f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
        )
        return
    if old is not None:
        same = old.model_dump(exclude={"updated"}) == claim.model_dump(exclude={"updated"})
        if same:
            report.unchanged += 1
            return
        report.updated.append(draft.claim_id)
    else:
        report.added.append(draft.claim_id)
    if not dry_run:
        atomic_write_bytes(path, to_yaml(claim).encode("utf-8"))
