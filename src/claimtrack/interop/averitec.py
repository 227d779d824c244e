"""AVeriTeC (Schlichtkrull et al., 2023): a JSON array of claims; a quote is a JSON pointer."""

from __future__ import annotations

import json
from typing import Any

from claimtrack.exc import InputError
from claimtrack.interop import drafts
from claimtrack.interop.drafts import Draft, Parsed
from claimtrack.interop.ids import content_id, slug
from claimtrack.interop.labels import AVERITEC
from claimtrack.store.pointers import pointer


def parse_averitec(text: str, seed: str, name: str) -> Parsed:
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
        status = AVERITEC.status_of(label) if isinstance(label, str) else None
        if status is None:
            known = ", ".join(AVERITEC.imports)
            yield (where, f"unknown label `{str(label)[:80]}`; known: {known}")
            continue
        speaker, source = (
            drafts.name_of(item.get("speaker")),
            drafts.name_of(item.get("reporting_source")),
        )
        links = [drafts.asserter(speaker, "person", "Unnamed speaker (not in AVeriTeC)")]
        if drafts.http_url(item.get("original_claim_url")):
            links[0]["url"] = drafts.http_url(item.get("original_claim_url"))
        if source:
            links.append({"role": "first_reporter", "name": source, "type": "organisation"})
        links.append(drafts.relay(f"AVeriTeC file {name}", seed))
        record_key = content_id(claim, speaker or "", str(item.get("claim_date") or ""))
        ids: list[dict[str, Any]] = [{"system": "averitec", "id": record_key}]
        article = drafts.http_url(item.get("fact_checking_article"))
        if article:
            ids.append({"system": "fact-check-article", "id": article, "url": article})
        tags = (
            [f"location-{slug(item['location_ISO_code'])}"]
            if isinstance(item.get("location_ISO_code"), str) and slug(item["location_ISO_code"])
            else []
        )
        for key in ("claim_types", "fact_checking_strategies"):
            tags += [
                slug(v) for v in drafts.as_list(item.get(key)) if isinstance(v, str) and slug(v)
            ]
        questions = drafts.as_list(item.get("questions"))
        date = drafts.past_date(item.get("claim_date"), "%d-%m-%Y")
        justification = item.get("justification")
        yield Draft(
            claim_id=f"averitec-{record_key}",
            fields=drafts.claim_fields(
                claim,
                links,
                drafts.quote(seed, claim, locator=pointer([i, "claim"])),
                ids,
                note=f"AVeriTeC evidence: {len(questions)} question(s) with answers, at "
                f"/{i}/questions in the archived file.",
                tags=sorted(set(tags)),
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
