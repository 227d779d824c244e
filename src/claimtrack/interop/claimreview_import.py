"""ClaimReview JSON-LD (schema.org): one review, a list or a `@graph`; quotes are JSON pointers."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

from claimtrack.exc import InputError
from claimtrack.interop import drafts, jsonld
from claimtrack.interop.drafts import Draft, Parsed
from claimtrack.model.ids import content_id, digest_id
from claimtrack.model.labels import CLAIMREVIEW
from claimtrack.store.pointers import pointer

# schema.org types of a claim's author, as our entity types; any other type, or none: unknown
TYPES = {
    "Person": "person",
    "Organization": "organisation",
    "NGO": "organisation",
    "Corporation": "company",
    "GovernmentOrganization": "government",
    "NewsMediaOrganization": "news_outlet",
}
WIKIDATA = r"https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)"


def _rating_numbers(rating: dict[str, Any]) -> dict[str, float] | None:
    """The rating's numbers, with schema.org's defaults (best 5, worst 1) where absent."""
    value = _number(rating.get("ratingValue"))
    best = _number(rating.get("bestRating", 5))
    worst = _number(rating.get("worstRating", 1))
    if value is None or best is None or worst is None or best == worst:
        return None
    if not min(best, worst) <= value <= max(best, worst):
        return None  # off its own scale: no reading of it is safe (see `off_scale`)
    return {"value": value, "best": best, "worst": worst}


def off_scale(rating: Any) -> str | None:
    """Why a `reviewRating`'s value cannot be read: outside its own scale (a 100 on a 1-5
    scale is neither `confirmed` nor anything else)."""
    found = next((r for r in drafts.as_list(rating) if isinstance(r, dict)), None)
    if found is None:
        return None
    value = _number(found.get("ratingValue"))
    best = _number(found.get("bestRating", 5))
    worst = _number(found.get("worstRating", 1))
    if value is None or best is None or worst is None:
        return None
    if min(best, worst) <= value <= max(best, worst):
        return None
    return (
        f"`reviewRating.ratingValue` {value:g} is outside its scale "
        f"({worst:g} worst to {best:g} best)"
    )


def _rating_status(rating: Any) -> tuple[str, str, dict[str, float] | None] | None:
    """Status, label (verbatim; else the numbers in words) and numbers of a `reviewRating`."""
    if not isinstance(rating, dict):
        rating = next((r for r in drafts.as_list(rating) if isinstance(r, dict)), None)
        if rating is None:
            return None
    numbers = _rating_numbers(rating)
    label = drafts.name_of(rating.get("alternateName")) or drafts.name_of(rating.get("name"))
    known = CLAIMREVIEW.status_of(label) if label else None
    if label and known:
        return known, label, numbers
    if numbers is None:
        return ("reported", label, None) if label else None
    value, best, worst = numbers["value"], numbers["best"], numbers["worst"]
    share = (value - worst) / (best - worst)
    status = "refuted" if share <= 1 / 3 else "confirmed" if share >= 2 / 3 else "partly_confirmed"
    words = f"{value:g} on a scale from {worst:g} (worst) to {best:g} (best)"
    return status, label or words, numbers


def _rater(author: Any) -> str | None:
    """Who reviewed: the author's name, else the site of its URL (never made up)."""
    name = drafts.name_of(author)
    if name:
        return name
    for entry in drafts.as_list(author):
        url = drafts.http_url(entry.get("url") if isinstance(entry, dict) else None)
        try:
            host = urlsplit(url).hostname if url else None
        except ValueError:  # e.g. a broken IPv6 literal: no site can be named
            host = None
        if host:
            return host
    return None


def _number(value: Any) -> float | None:
    """A rating number (or its text), when it is a plain finite number of sane length."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    text = str(value).strip()
    if not text or len(text) > 20:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_claimreview(text: str, seed: str, name: str) -> Parsed:
    data = drafts.load_json(text, name, "give ClaimReview JSON-LD: an object, a list or a @graph")
    if _api_response(data):
        raise InputError(
            f"{name} is a Google Fact Check Tools API response (`claims` holding `claimReview`), "
            "not ClaimReview markup",
            hint=f"import it with `claimtrack import factcheck-api {name}`",
        )
    seen: set[str] = set()
    for path, item in jsonld.reviews(data):
        if item is None:
            continue  # JSON null holds no record (an HTML block that was not JSON is reported)
        where = f"{name}#{pointer(path) or '/'}"
        if not isinstance(item, dict) or "claimReviewed" not in item:
            yield (where, "not a ClaimReview (no `claimReviewed`)")
            continue
        found = _draft(item, path, where, seed, name)
        if isinstance(found, Draft) and found.claim_id in seen and not found.names_our_claim:
            # another review with the same page or text (a page reviewing several claims, one
            # claim rated by several raters): kept under a digest of the whole review
            whole = json.dumps(item, sort_keys=True, ensure_ascii=True).encode("ascii")
            found = dataclasses.replace(found, claim_id="claimreview-" + digest_id(whole))
        if isinstance(found, Draft):
            seen.add(found.claim_id)
        yield found


def _api_response(data: Any) -> bool:
    """Whether ``data`` is a claims:search response: an object whose `claims` list holds
    claims with `claimReview` lists, and no ClaimReview of its own."""
    if not isinstance(data, dict) or "claimReviewed" in data or "@graph" in data:
        return False
    claims = data.get("claims")
    return isinstance(claims, list) and any(
        isinstance(c, dict) and "claimReview" in c for c in claims
    )


def _speakers(reviewed: dict[str, Any]) -> list[dict[str, Any]]:
    """Every author of the claim, in order, as an asserter: name and kind; a `sameAs` is kept
    (a Wikidata item as `wikidata`, other pages named in `context`). No author: one anonymous
    asserter (never guessed)."""
    authors = [a for a in drafts.as_list(reviewed.get("author")) if drafts.name_of(a)]
    if not authors:
        return [drafts.asserter(None, "unknown", "Unnamed (no itemReviewed.author)")]
    return [_speaker(author) for author in authors]


def _speaker(author: Any) -> dict[str, Any]:
    first = author if isinstance(author, dict) else {}
    kind = TYPES.get(str(first.get("@type")), "unknown")
    extra: dict[str, Any] = {}
    pages = []
    for same in drafts.as_list(first.get("sameAs")):
        url = drafts.http_url(same if isinstance(same, str) else None)
        match = re.fullmatch(WIKIDATA, url or "")
        if match and "wikidata" not in extra:
            extra["wikidata"] = match.group(1)
        elif url:
            pages.append(url)
    if pages:
        extra["context"] = "Identified in the ClaimReview as: " + ", ".join(pages) + " (sameAs)."
    return drafts.asserter(
        drafts.name_of(author),
        kind,
        "Unnamed (no itemReviewed.author)",
        **extra,
    )


def _ids(item: dict[str, Any], reviewed: dict[str, Any], claim: str) -> list[dict[str, Any]]:
    url = drafts.http_url(item.get("url"))
    ids: list[dict[str, Any]] = [
        {
            "system": "claimreview",
            "id": url
            or content_id(
                claim,
                drafts.name_of(item.get("author")) or "",
                str(item.get("datePublished") or ""),
            ),
        }
    ]
    if url:
        ids[0]["url"] = url
    places = [
        *drafts.as_list(reviewed.get("firstAppearance")),
        *drafts.as_list(reviewed.get("appearance")),
    ]
    for place in places:
        link = drafts.http_url(place.get("url") if isinstance(place, dict) else place)
        if link and all(e.get("id") != link for e in ids):
            ids.append({"system": "appearance", "id": link, "url": link})
    return ids


def _draft(
    item: dict[str, Any], path: list[str | int], where: str, seed: str, name: str
) -> Draft | tuple[str, str]:
    claim = item["claimReviewed"]
    if not isinstance(claim, str) or not claim.strip():
        return (where, "empty `claimReviewed`")
    problem = off_scale(item.get("reviewRating"))
    if problem is not None:
        return (where, problem)
    rated = _rating_status(item.get("reviewRating"))
    if rated is None:
        return (where, "no `reviewRating` with an `alternateName` or a rating value")
    reviewed = next(
        (r for r in drafts.as_list(item.get("itemReviewed")) if isinstance(r, dict)), {}
    )
    links = [*_speakers(reviewed), drafts.relay(f"ClaimReview file {name}", seed)]
    url = drafts.http_url(item.get("url"))
    identifier = item.get("identifier")
    ours = isinstance(identifier, str) and bool(
        re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?", identifier)
    )
    claim_id = str(identifier) if ours else "claimreview-" + digest_id(url or claim)
    date = drafts.past_date(item.get("datePublished"), "%Y-%m-%d")
    return Draft(
        claim_id=claim_id,
        names_our_claim=ours,
        where=where,
        fields=drafts.claim_fields(
            claim,
            links,
            drafts.quote(seed, claim, locator=pointer([*path, "claimReviewed"])),
            _ids(item, reviewed, claim),
            claim_date=drafts.past_date(reviewed.get("datePublished"), "%Y-%m-%d"),
        ),
        status=rated[0],
        label=rated[1],
        rating=rated[2],
        rated_by=_rater(item.get("author")),
        date=date,
        published=date,
        url=url,
        reason=f"Rated `{rated[1]}` in a ClaimReview"
        + ("" if date else "; no valid datePublished, so the date is the import's")
        + ".",
        mapped=rated[0] != "reported" or CLAIMREVIEW.status_of(rated[1]) == "reported",
        language=_language(item.get("inLanguage")),
    )


def _language(value: Any) -> str | None:
    """The review's `inLanguage`: a BCP 47 tag, or a Language object's `alternateName`."""
    if isinstance(value, dict):
        value = value.get("alternateName")
    if isinstance(value, str) and re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
        return value
    return None
