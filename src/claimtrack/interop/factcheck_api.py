"""Fact-check search API results (the `claims:search` shape): `claims[]`, each with `text`,
`claimant`, `claimDate` and `claimReview[]` (`publisher.name`, `publisher.site`, `url`,
`title`, `reviewDate`, `textualRating`, `languageCode`). A file may hold one response or a list
of responses (pages); a page with `nextPageToken` is reported: more results exist. Each claim
becomes one claim; each of its reviews one of its `reviews` (rater, label verbatim, date, page,
language), oldest first. Quotes are JSON pointers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from claimtrack.interop import drafts
from claimtrack.interop.drafts import Draft, Notice, Parsed, Review
from claimtrack.model.ids import content_id, digest_id
from claimtrack.model.labels import CLAIMREVIEW
from claimtrack.store.pointers import pointer

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _claims(data: Any) -> Iterator[tuple[list[str | int], Any]]:
    pages = data if isinstance(data, list) else [data]
    for p, page in enumerate(pages):
        base: list[str | int] = [p] if isinstance(data, list) else []
        items = page.get("claims") if isinstance(page, dict) else None
        if not isinstance(items, list):
            yield base, None
            continue
        for i, item in enumerate(items):
            yield [*base, "claims", i], item


def _more(data: Any) -> Iterator[tuple[str, str]]:
    """The pages that say more results exist (`nextPageToken`): (pointer, token)."""
    pages = data if isinstance(data, list) else [data]
    for p, page in enumerate(pages):
        token = page.get("nextPageToken") if isinstance(page, dict) else None
        if isinstance(token, str) and token:
            yield (pointer([p]) if isinstance(data, list) else "/"), token


def _review(review: dict[str, Any], where: str) -> Review | str:
    label = drafts.name_of(review.get("textualRating"))
    if not label:
        return "a review without `textualRating`"
    publisher = drafts.as_dict(review.get("publisher"))
    rater = drafts.name_of(publisher) or drafts.name_of(publisher.get("site"))
    date = drafts.past_date(review.get("reviewDate"), "%Y-%m-%d")
    status = CLAIMREVIEW.status_of(label) or "reported"
    mapped = (
        ""
        if CLAIMREVIEW.status_of(label)
        else " (a label outside the ClaimReview table: the status stays as it was)"
    )
    return Review(
        status=status,
        label=label,
        rated_by=rater,
        date=date,
        published=date,
        url=drafts.http_url(review.get("url")),
        reason=f"Rated `{label}`{mapped} in a fact-check search result"
        + ("" if date else "; no valid reviewDate, so the date is the import's")
        + ".",
        note=drafts.name_of(review.get("title")),
        mapped=CLAIMREVIEW.status_of(label) is not None,
        language=_code(review.get("languageCode")),
    )


def _code(value: Any) -> str | None:
    return value if isinstance(value, str) and LANGUAGE.match(value) else None


def parse_factcheck_api(text: str, seed: str, name: str) -> Parsed:
    data = drafts.load_json(
        text, name, "give the JSON of a claims:search response (an object with `claims`)"
    )
    seen: set[str] = set()
    for page, token in _more(data):
        yield Notice(
            f"{name}#{page}",
            f"the response is truncated (nextPageToken `{token[:40]}`): more results exist; "
            "fetch the next page with pageToken and import it too",
        )
    for path, item in _claims(data):
        where = f"{name}#{pointer(path) or '/'}"
        if item is None:
            yield (where, "not a search response (no `claims` list)")
            continue
        found = _draft(item, path, where, seed, name, seen)
        if isinstance(found, Draft):
            seen.add(found.claim_id)
        yield found


def _language(reviews: list[dict[str, Any]]) -> str:
    """The language the reviews give for the claim, or `und` (undetermined)."""
    for review in reviews:
        code = review.get("languageCode")
        if isinstance(code, str) and LANGUAGE.match(code):
            return code
    return "und"


def _draft(
    item: Any, path: list[str | int], where: str, seed: str, name: str, seen: set[str]
) -> Draft | tuple[str, str]:
    if not isinstance(item, dict):
        return (where, "a claim that is not an object")
    claim = item.get("text")
    if not isinstance(claim, str) or not claim.strip():
        return (where, "a claim without `text`")
    reviews = [r for r in drafts.as_list(item.get("claimReview")) if isinstance(r, dict)]
    parsed = [_review(r, where) for r in reviews]
    kept = [r for r in parsed if isinstance(r, Review)]
    if not kept:
        return (where, "no review with a `textualRating`")
    claimant = drafts.name_of(item.get("claimant"))
    claim_date = drafts.past_date(item.get("claimDate"), "%Y-%m-%d")
    identity = content_id(claim, claimant or "", str(item.get("claimDate") or ""))
    if f"factcheck-{identity}" in seen:  # the same text, claimant and date: keep both
        whole = json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8", "replace")
        identity = digest_id(whole)
    claim_id = f"factcheck-{identity}"
    link = drafts.asserter(claimant, "unknown", "Unnamed claimant (none in the search result)")
    ids: list[dict[str, Any]] = [{"system": "factcheck-api", "id": identity}]
    for review in kept:
        if review.url and all(e["id"] != review.url for e in ids):
            ids.append({"system": "claimreview", "id": review.url, "url": review.url})
    language = _language(reviews)
    ordered = sorted(kept, key=lambda r: r.date or "9999")
    first, *rest = ordered
    skipped = len(parsed) - len(kept)
    return Draft(
        claim_id=claim_id,
        where=where,
        fields=drafts.claim_fields(
            claim,
            [link, drafts.relay(f"Fact-check search results {name}", seed)],
            drafts.quote(seed, claim, locator=pointer([*path, "text"]), language=language),
            ids,
            note=f"{skipped} review(s) without a `textualRating` not kept." if skipped else None,
            claim_date=claim_date,
        ),
        status=first.status,
        label=first.label,
        rated_by=first.rated_by,
        date=first.date,
        published=first.published,
        url=first.url,
        reason=first.reason,
        note=first.note,
        mapped=first.mapped,
        rating=first.rating,
        language=first.language,
        also=tuple(rest),
    )
