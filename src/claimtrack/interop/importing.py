"""Importing claims from the datasets of the field: LIAR, AVeriTeC and ClaimReview JSON-LD.

Every importer archives the imported file byte for byte under `seeds/` (so each imported
statement stays verifiable: a character span for TSV, a JSON pointer for JSON), maps the
source's labels onto our confirmation statuses with a cited table while keeping each rater's
review as given (`reviews[]`: rater, label verbatim, date, page, language), keeps speakers,
dates, URLs and the source's record ids, and reports every record it could not import with the
reason. A new claim's status history starts from its earliest rating; later ratings, and other
raters', are reviews, never status changes. Importing the same file again changes nothing; the
same record in another file adds that file as evidence and never moves the earlier one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from claimtrack.bounded import run_bounded
from claimtrack.exc import InputError
from claimtrack.interop.drafts import Draft, ImportReport, Notice
from claimtrack.interop.formats import FORMATS, Extracted, Format, extract, seed_id_of
from claimtrack.interop.reviews import (
    first_entry,
    merge_reviews,
    remapped,
    rerated,
    review_entry,
)
from claimtrack.model.labels import IMPORT_RIGHTS, SourceRights
from claimtrack.model.records import SCHEMA_VERSION, SEED_SCHEMA_VERSION, Claim, SourceDocument
from claimtrack.model.rules import RuleViolation, parse_claim
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.files import MAX_IMPORT_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import Dataset
from claimtrack.store.locking import edit_lock
from claimtrack.store.seed_files import write_seed_files
from claimtrack.store.yaml_read import YamlProblem, load_bytes
from claimtrack.store.yaml_write import to_yaml


def _archive(
    dataset: Dataset,
    fmt: Format,
    source: Path,
    raw: bytes,
    rights: SourceRights,
    today: str,
    extracted: Extracted | None = None,
) -> str:
    seed_id = seed_id_of(fmt, raw)
    text = extracted.text if extracted else raw
    digest = hashlib.sha256(text).hexdigest()
    text_path = dataset.seeds_dir / f"{seed_id}.{fmt.suffix}"
    meta_path = dataset.seeds_dir / f"{seed_id}.yaml"
    original: dict[str, Any] = {}
    files = {text_path: text}
    if extracted is not None:
        name = f"{seed_id}.orig.html"
        original = {
            "original_file": name,
            "original_media_type": extracted.original_media_type,
            "original_sha256": hashlib.sha256(raw).hexdigest(),
            "extracted_with": extracted.extracted_with,
        }
        files[dataset.seeds_dir / name] = raw
    record = SourceDocument.model_validate(
        {
            "schema_version": SEED_SCHEMA_VERSION,
            "id": seed_id,
            "title": f"{fmt.name} file {source.name}",
            "language": fmt.language,
            "author": None,
            "publisher": None,
            "published": None,
            "url": None,
            "retrieved": None,
            "archived": today,
            "rights": rights.rights,
            "redistribution": rights.redistribution,
            "text_file": text_path.name,
            "media_type": fmt.media_type,
            "sha256": digest,
            "notes": f"Imported with `claimtrack import {fmt.name}`; archived byte for byte.",
            **original,
        }
    )
    # imported again: the files there are these bytes (the id is their digest)
    write_seed_files(meta_path, to_yaml(record).encode("utf-8"), files, keep_existing=True)
    return seed_id


def _existing(path: Path) -> Claim | None:
    try:
        return parse_claim(load_bytes(path.read_bytes()).data)
    except (OSError, YamlProblem, ValidationError, RuleViolation):
        return None


def _settle(draft: Draft, old: Claim | None, now: str, today: str) -> dict[str, Any]:
    """The full claim. A new claim's status history starts from its earliest rating; every
    rating is one of its `reviews`. Imported again, or from another file, a claim gains
    reviews and quotes; its history, the editor's conclusions, is never touched."""
    ratings = sorted(draft.reviews, key=lambda r: r.date or today)
    fields = {k: v for k, v in draft.fields.items() if v not in (None, [], "")}
    if old is None:
        history = [first_entry(ratings[0], today, len(ratings) - 1)]
        status = history[0]["status"]
        reviews = [review_entry(r, "q1") for r in ratings]
    else:
        history = [h.model_dump(mode="json", exclude_none=True) for h in old.history]
        status = old.status.value
        fields, quote_id = _merge(old, fields)
        before = [r.model_dump(mode="json", exclude_none=True) for r in old.reviews]
        reviews = merge_reviews(before, [review_entry(r, quote_id) for r in ratings])
        fields.pop("reviews", None)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": draft.claim_id,
        **fields,
        "status": status,
        "history": history,
        "reviews": reviews,
        "created": old.created.isoformat() if old else now,
        "updated": now,
    }


def _merge(old: Claim, fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Re-import into an existing claim: editors own every field. The record's quote from this
    file is kept where it is; from another file (the same review in another page or feed) it
    is added, with a relay link to that file: provenance is added, never moved. The source's
    ids are merged. Returns the fields and the id of the quote from this file."""
    base = old.model_dump(mode="json", exclude_defaults=True)
    for key in ("schema_version", "id", "status", "history", "created", "updated"):
        base.pop(key, None)
    fresh = fields["evidence"][0]
    quotes: list[dict[str, Any]] = base.get("evidence", [])
    here = next((q for q in quotes if _same_place(q, fresh)), None)
    if here is not None:
        quote_id = str(here["id"])
    else:
        used = {q["id"] for q in quotes}
        n = len(used) + 1
        while f"q{n}" in used:
            n += 1
        quote_id = f"q{n}"
        base["evidence"] = [*quotes, {**fresh, "id": quote_id}]
        relay = next(link for link in fields["attribution"] if link["role"] == "relay")
        links = base.get("attribution", [])
        if not any(link.get("seed") == relay["seed"] for link in links):
            base["attribution"] = [*links, relay]
    ids = list(base.get("external_ids", []))
    ids += [
        e
        for e in fields.get("external_ids", [])
        if (e["system"], e["id"]) not in {(i["system"], i["id"]) for i in ids}
    ]
    base["external_ids"] = ids
    return base, quote_id


def _same_place(quote: dict[str, Any], fresh: dict[str, Any]) -> bool:
    """The same quote: the same seed, at the same place in it."""
    return all(quote.get(k) == fresh.get(k) for k in ("seed", "locator", "start", "end"))


def import_file(
    fmt_name: str,
    source: Path,
    dataset: Dataset,
    *,
    rights: str | None = None,
    redistribution: str | None = None,
    dry_run: bool = False,
    layout: Layout = "auto",
) -> ImportReport:
    """Import one file into the dataset; see the module's description. ``layout`` says where
    new claim files go (:func:`placed`); an updated claim stays where its file is. The dataset's
    edit lock is held throughout."""
    with edit_lock(dataset.root):
        return _import(fmt_name, source, dataset, rights, redistribution, dry_run, layout)


def _parsed(
    job: tuple[str, str, str, str],
) -> tuple[Extracted | None, list[Draft | tuple[str, str] | Notice]]:
    """The file's extracted text (an HTML page's JSON-LD) and its records, parsed."""
    fmt_name, text, seed_id, name = job
    fmt = FORMATS[fmt_name]
    extracted, bad_blocks = extract(fmt, text)
    readable = extracted.text.decode("utf-8") if extracted else text
    try:
        return extracted, [
            *((f"{name}#{where}", why) for where, why in bad_blocks),
            *fmt.parse(readable, seed_id, name),
        ]
    except RecursionError:
        raise InputError("the file nests too deeply to read") from None


def _import(
    fmt_name: str,
    source: Path,
    dataset: Dataset,
    rights: str | None,
    redistribution: str | None,
    dry_run: bool,
    layout: Layout,
) -> ImportReport:
    fmt = FORMATS[fmt_name]
    try:
        raw = read_bounded(source, MAX_IMPORT_BYTES)
        text = raw.decode("utf-8")
    except FileTooLarge as error:
        raise InputError(
            f"the file is {error.size:,} bytes; imports are limited to {error.limit:,}",
            path=source,
            hint="split the file and import the parts",
        ) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=source) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 (byte {error.start})", path=source, hint="convert the file to UTF-8 first"
        ) from None
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.date().isoformat()
    seed_id = seed_id_of(fmt, raw)
    # all parsed before anything is written, in a child process within the time and memory
    # budget of every intake (claimtrack.bounded)
    extracted, items = run_bounded(
        _parsed,
        (fmt.name, text, seed_id, source.name),
        path=source,
        hint=f"split the file and import the parts, or check that it is a {fmt.name} file",
    )
    stamp = now.isoformat().replace("+00:00", "Z")
    report = ImportReport(fmt.name, str(source), seed_id)
    writes = placed(dataset, fmt.name, _apply(items, dataset, report, stamp, today), layout)
    if dry_run or not writes:
        return report  # nothing to write: not even the file is archived
    default = IMPORT_RIGHTS[fmt.name]
    terms = SourceRights(
        rights or default.rights,
        redistribution or (default.redistribution if rights is None else "quotes_only"),
    )
    _archive(dataset, fmt, source, raw, terms, today, extracted)  # first: claims quote it
    for path, claim in writes:
        depth = len(path.relative_to(dataset.root).parts) - 1
        atomic_write_bytes(path, to_yaml(claim, depth=depth).encode("utf-8"))
    return report


def _apply(
    items: list[Draft | tuple[str, str] | Notice],
    dataset: Dataset,
    report: ImportReport,
    now: str,
    today: str,
) -> list[tuple[Path | None, Claim]]:
    """Settle every draft against the dataset, counting the outcomes in ``report``; the claim
    files to write (updated, or None for a new claim: placed by :func:`placed`), written by the
    caller once the source is archived."""
    writes: list[tuple[Path | None, Claim]] = []
    index = dataset.claim_index()
    seen: dict[str, tuple[str, str]] = {}
    statements: dict[str, tuple[str, str]] = {}
    for item in items:
        if isinstance(item, Notice):
            report.warnings.append((item.where, item.text))
            continue
        if isinstance(item, tuple):
            report.skipped.append(item)
            continue
        where = item.where or next((e["id"] for e in item.fields["external_ids"]), item.claim_id)
        if item.claim_id in seen:
            first = seen[item.claim_id][0]
            report.skipped.append((where, f"the same record as {first} (id {item.claim_id})"))
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
        name = index.get(item.claim_id)
        path = dataset.claim_path(name) if name is not None else None
        write = _claim_to_write(path, item, report, now, today)
        if write is not None:
            writes.append(write)
    return writes


Layout = Literal["auto", "flat", "nested"]
NESTED_FROM = 1_000  # new claims in one import from which `auto` places them in sub-folders


def _shown(path: Path) -> str:
    """A claim file as `claims/...` (its path from the dataset's root)."""
    parts = path.parts
    at = len(parts) - 1 - parts[::-1].index("claims") if "claims" in parts else len(parts) - 1
    return "/".join(parts[at:])


def claim_folder(dataset: Dataset, source: str, claim_id: str) -> Path:
    """Where a nested import puts a new claim: `claims/<importer>/<xx>/`, ``xx`` two hex
    digits of the id's SHA-256, so a million claims make folders of a few thousand files."""
    bucket = hashlib.sha256(claim_id.encode("utf-8")).hexdigest()[:2]
    return dataset.claims_dir / source / bucket


def placed(
    dataset: Dataset, source: str, writes: list[tuple[Path | None, Claim]], layout: Layout
) -> list[tuple[Path, Claim]]:
    """The writes with a file for every new claim: `claims/<id>.yaml` (``flat``), or
    :func:`claim_folder` (``nested``; ``auto``: when the import adds at least
    ``NESTED_FROM`` claims, or an earlier import of this source was nested)."""
    new = sum(1 for path, _ in writes if path is None)
    nested = layout == "nested" or (
        layout == "auto" and (new >= NESTED_FROM or (dataset.claims_dir / source).is_dir())
    )
    return [
        (
            path
            if path is not None
            else (claim_folder(dataset, source, c.id) if nested else dataset.claims_dir)
            / f"{c.id}.yaml",
            c,
        )
        for path, c in writes
    ]


def _same_review(old: Claim, draft: Draft) -> bool:
    """A review naming this claim (by `identifier`) that says what the claim says now."""
    return old.statement == draft.fields["statement"] and old.status.value == draft.status


def _why_invalid(error: ValidationError | RuleViolation) -> str:
    if isinstance(error, RuleViolation):
        return error.message
    first = error.errors()[0]
    return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"


def _claim_to_write(
    path: Path | None, draft: Draft, report: ImportReport, now: str, today: str
) -> tuple[Path | None, Claim] | None:
    """The claim to write for ``draft`` and the file it goes to (``path``: the file of the
    claim with its id, None when there is none), or None: unchanged or skipped, as said in
    ``report``."""
    old = _existing(path) if path is not None else None
    where = draft.where or next((e["id"] for e in draft.fields["external_ids"]), draft.claim_id)
    shown = _shown(path) if path is not None else f"claims/{draft.claim_id}.yaml"
    if path is not None and old is None:
        report.skipped.append(
            (where, f"{shown} exists but is not a valid claim: fix or remove it, then import again")
        )
        return None
    if old is not None and draft.names_our_claim and _same_review(old, draft):
        report.unchanged += 1  # our own export, read back: the claim it names says the same
        return None
    source_id = next(((e["system"], e["id"]) for e in draft.fields["external_ids"]), None)
    if old is not None and source_id not in {(e.system, e.id) for e in old.external_ids}:
        report.skipped.append(
            (
                where,
                f"id collision: {shown} holds another record "
                "(its external ids differ); nothing was overwritten",
            )
        )
        return None
    try:
        claim = parse_claim(_settle(draft, old, now, today))
    except (ValidationError, RuleViolation) as error:
        report.skipped.append((draft.claim_id, _why_invalid(error)))
        return None
    if old is not None:
        same = old.model_dump(exclude={"updated"}) == claim.model_dump(exclude={"updated"})
        if same:
            report.unchanged += 1
            return None
        report.updated.append(draft.claim_id)
        report.warnings += remapped(old, claim, where) + rerated(old, claim, where)
    else:
        report.added.append(draft.claim_id)
    report.statements[draft.claim_id] = claim.statement
    return path, claim
