"""ClaimReview JSON-LD (schema.org): one review, a list or a `@graph`; quotes are JSON pointers."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from claimtrack.exc import InputError
from claimtrack.interop import drafts
from claimtrack.interop.drafts import Draft, Parsed
from claimtrack.interop.ids import content_id, digest_id
from claimtrack.interop.labels import CLAIMREVIEW
from claimtrack.store.pointers import pointer


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
    label = drafts.name_of(rating.get("alternateName")) or drafts.name_of(rating.get("name"))
    known = CLAIMREVIEW.status_of(label) if label else None
    if label and known:
        return known, label
    value = _number(rating.get("ratingValue"))
    best = _number(rating.get("bestRating", 5))  # schema.org's defaults: best 5, worst 1
    worst = _number(rating.get("worstRating", 1))
    if value is None or best is None or worst is None or best == worst:
        return ("reported", label) if label else None
    share = (value - worst) / (best - worst)
    status = (
        "refuted" if share <= 1 / 3 else "confirmed" if share >= 2 / 3 else ("partly_confirmed")
    )
    return status, label or f"{value:g} on a scale from {worst:g} (worst) to {best:g} (best)"


def _rater(author: Any) -> str | None:
    """Who reviewed: the author's name, else the site of its URL (never made up)."""
    name = drafts.name_of(author)
    if name:
        return name
    for entry in drafts.as_list(author):
        url = drafts.http_url(entry.get("url") if isinstance(entry, dict) else None)
        if url:
            return urlsplit(url).hostname
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
        reviewed = drafts.as_dict(item.get("itemReviewed"))
        author = reviewed.get("author")
        speaker = drafts.name_of(author)
        kind = (author.get("@type") if isinstance(author, dict) else None) or "Person"
        links = [
            drafts.asserter(
                speaker,
                "person" if kind == "Person" else "organisation",
                "Unnamed (no itemReviewed.author)",
            ),
            drafts.relay(f"ClaimReview file {name}", seed),
        ]
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
        appearances = drafts.as_list(reviewed.get("appearance"))
        first = reviewed.get("firstAppearance")
        for place in [first, *appearances]:
            link = drafts.http_url(place.get("url") if isinstance(place, dict) else place)
            if link and all(e.get("id") != link for e in ids):
                ids.append({"system": "appearance", "id": link, "url": link})
        identifier = item.get("identifier")
        claim_id = (
            identifier
            if isinstance(identifier, str)
            and re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?", identifier)
            else "claimreview-" + digest_id(url or claim)
        )
        date = drafts.past_date(item.get("datePublished"), "%Y-%m-%d")
        yield Draft(
            claim_id=claim_id,
            fields=drafts.claim_fields(
                claim,
                links,
                drafts.quote(seed, claim, locator=pointer([*path, "claimReviewed"])),
                ids,
            ),
            status=rated[0],
            label=rated[1],
            rated_by=_rater(item.get("author")),
            date=date,
            reason=f"Rated `{rated[1]}` in a ClaimReview"
            + ("" if date else "; no valid datePublished, so the date is the import's")
            + ".",
        )
