"""AVeriTeC (Schlichtkrull et al., 2023): a JSON array of claims; a quote is a JSON pointer."""

from __future__ import annotations

import json
from typing import Any

from claimtrack.exc import InputError
from claimtrack.interop import drafts
from claimtrack.interop.drafts import Draft, Parsed
from claimtrack.model.ids import content_id, slug
from claimtrack.model.labels import AVERITEC
from claimtrack.store.pointers import pointer


def _rejection(item: Any) -> str | None:
    """Why a record cannot be imported, or None."""
    if not isinstance(item, dict):
        return "not a JSON object"
    try:
        json.dumps(item, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end].encode("unicode_escape").decode()
        return f"the record holds a lone surrogate ({bad}): it is not valid Unicode"
    claim, label = item.get("claim"), item.get("label")
    if not isinstance(claim, str) or not claim.strip():
        return "missing or empty `claim`"
    if not isinstance(label, str) or AVERITEC.status_of(label) is None:
        return f"unknown label `{str(label)[:80]}`; known: {', '.join(AVERITEC.imports)}"
    return None


def _short_key(item: Any) -> str | None:
    """The identity earlier versions gave a record: its claim, speaker and date."""
    if not isinstance(item, dict) or not isinstance(item.get("claim"), str):
        return None
    speaker = drafts.name_of(item.get("speaker")) or ""
    return content_id(item["claim"], speaker, str(item.get("claim_date") or ""))


def _record_key(item: Any, key: str | None, first: dict[str, int], i: int) -> str:
    """A record's identity: its claim, speaker and date (as earlier imports had it), unless an
    earlier record of the file shares those; then the whole record decides (several claims made
    in one speech and checked apart are distinct records)."""
    assert key is not None
    if first[key] == i:
        return key
    return content_id(key, json.dumps(item, sort_keys=True, ensure_ascii=False))


def _links(item: dict[str, Any], name: str, seed: str) -> list[dict[str, Any]]:
    """The attribution chain: the speaker as named (and as written when the name was cleaned),
    the reporting source, and the archived file."""
    speaker = drafts.name_of(item.get("speaker"))
    source = drafts.name_of(item.get("reporting_source"))
    verbatim = item.get("speaker")
    extra = {"as_described": verbatim} if isinstance(verbatim, str) and verbatim != speaker else {}
    links = [drafts.asserter(speaker, "unknown", "Unnamed speaker (not in AVeriTeC)", **extra)]
    if drafts.http_url(item.get("original_claim_url")):
        links[0]["url"] = drafts.http_url(item.get("original_claim_url"))
    if source:
        links.append({"role": "first_reporter", "name": source, "type": "organisation"})
    links.append(drafts.relay(f"AVeriTeC file {name}", seed))
    return links


def _tags(item: dict[str, Any]) -> list[str]:
    """The record's location, claim types and strategies, as slugs."""
    location = item.get("location_ISO_code")
    tags = [f"location-{slug(location)}"] if isinstance(location, str) and slug(location) else []
    for key in ("claim_types", "fact_checking_strategies"):
        tags += [slug(v) for v in drafts.as_list(item.get(key)) if isinstance(v, str) and slug(v)]
    return tags


def parse_averitec(text: str, seed: str, name: str) -> Parsed:
    items = drafts.load_json(text, name, "AVeriTeC files are JSON arrays of claims")
    if not isinstance(items, list):
        raise InputError(f"{name} is not a JSON array", hint="AVeriTeC files are JSON arrays")
    keys = [_short_key(item) for item in items]
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key is not None:
            first.setdefault(key, index)
    for i, item in enumerate(items):
        where = f"{name} record {i}"
        problem = _rejection(item)
        if problem is not None:
            yield (where, problem)
            continue
        claim, label = item["claim"], item["label"]
        status = AVERITEC.status_of(label)
        assert status is not None
        links = _links(item, name, seed)
        record_key = _record_key(item, keys[i], first, i)
        ids: list[dict[str, Any]] = [{"system": "averitec", "id": record_key}]
        article = drafts.http_url(item.get("fact_checking_article"))
        if article:
            ids.append({"system": "fact-check-article", "id": article, "url": article})
        tags = _tags(item)
        questions = drafts.as_list(item.get("questions"))
        date = drafts.past_date(item.get("claim_date"), "%d-%m-%Y")
        justification = item.get("justification")
        yield Draft(
            claim_id=f"averitec-{record_key}",
            where=where,
            fields=drafts.claim_fields(
                claim,
                links,
                drafts.quote(seed, claim, locator=pointer([i, "claim"])),
                ids,
                note=f"AVeriTeC evidence: {len(questions)} question(s) with answers, at "
                f"/{i}/questions in the archived file.",
                tags=sorted(set(tags)),
                claim_date=date,
            ),
            status=status,
            label=str(label),
            rated_by="AVeriTeC annotators",
            date=date,
            reason=f"Labelled `{label}` in AVeriTeC"
            + (
                ""
                if date
                else "; the claim date is missing or invalid, so the date is the import's"
            )
            + ".",
            note=" ".join(justification.split())[:2000]
            if isinstance(justification, str) and justification.strip()
            else None,
        )
