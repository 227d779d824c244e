"""Export as schema.org ClaimReview JSON-LD (for Google's Fact Check Explorer).

Status → `reviewRating` mapping (documented in docs/vocabularies.md): `alternateName` is our
status's ClaimReview label; `ratingValue` on a 1 (worst) to 5 (best) scale is given only where
the status is a verdict (confirmed 5, partly confirmed 3, disputed 3, refuted 1). A claim rated
by someone else (imported with its rater and label) is exported under that rater with its own
label, verbatim, unless `--publisher` names who publishes the reviews.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claimtrack.interop.labels import CLAIMREVIEW, CLAIMREVIEW_RATING_VALUES
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.vocab import AttributionRole, ConfirmationStatus, EntityType


def review_label(status: ConfirmationStatus) -> str:
    """Our status's ClaimReview label, e.g. `False` for `refuted`."""
    return CLAIMREVIEW.exports[status.value]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _rating(claim: Claim, other: bool) -> dict[str, Any]:
    """The `reviewRating`: a rater's own label and numbers, verbatim, when the review is
    theirs; else our status's label on schema.org's 1 (worst) to 5 (best) scale."""
    last = claim.history[-1]
    rating: dict[str, Any] = {"@type": "Rating"}
    if other:
        rating["alternateName"] = last.source_label
        if last.rating is not None:
            rating.update(
                ratingValue=_number(last.rating.value),
                bestRating=_number(last.rating.best),
                worstRating=_number(last.rating.worst),
            )
        return rating
    rating.update(alternateName=review_label(claim.status), bestRating=5, worstRating=1)
    if claim.status.value in CLAIMREVIEW_RATING_VALUES:
        rating["ratingValue"] = CLAIMREVIEW_RATING_VALUES[claim.status.value]
    return rating


def _item(claim: Claim, seeds: dict[str, SourceDocument]) -> dict[str, Any]:
    """The `itemReviewed` Claim: its author (with `sameAs`), date and appearances."""
    asserter = next((a for a in claim.attribution if a.role is AttributionRole.ASSERTER), None)
    item: dict[str, Any] = {"@type": "Claim"}
    if asserter is not None:  # an unnamed source is exported under our description of it
        kind = "Person" if asserter.type is EntityType.PERSON else "Organization"
        item["author"] = {"@type": kind, "name": asserter.name}
        if asserter.wikidata:
            item["author"]["sameAs"] = f"https://www.wikidata.org/wiki/{asserter.wikidata}"
    if claim.claim_date is not None:
        item["datePublished"] = claim.claim_date
    places: list[str] = []
    for link in claim.attribution:
        seed = seeds.get(link.seed) if link.seed else None
        places += [u for u in (link.url, seed.url if seed else None) if u]
    places += [e.url for e in claim.external_ids if e.system == "appearance" and e.url]
    if places:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in dict.fromkeys(places)]
        item["firstAppearance"] = item["appearance"][0]
    return item


def theirs(claim: Claim, publisher: str | None = None) -> bool:
    """Whether the claim's current review is another rater's (imported with its label)."""
    last = claim.history[-1]
    return publisher is None and bool(last.rated_by and last.source_label)


def claimreview(
    claim: Claim,
    seeds: dict[str, SourceDocument],
    *,
    base_url: str | None = None,
    publisher: str | None = None,
) -> dict[str, Any]:
    """One ClaimReview object for a claim; nothing is made up.

    A review imported from another rater (its label kept in the history) is theirs: exported
    under their name with their label, numbers, date and page, unless `--publisher` publishes
    every review as its own. Our own reviews get ``base_url/claim-id`` as `url` when it is
    given, and the date of their status; a rater's review without a stated date has no
    `datePublished`.
    """
    last = claim.history[-1]
    other = theirs(claim, publisher)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": claim.id,
        "claimReviewed": claim.statement,
    }
    published = last.published if other else last.date.isoformat()
    if published:
        review["datePublished"] = published
    review["reviewRating"] = _rating(claim, other)
    review["itemReviewed"] = _item(claim, seeds)
    page = last.url or next(
        (e.url for e in claim.external_ids if e.system == "claimreview" and e.url), None
    )
    url = page if other else (f"{base_url.rstrip('/')}/{claim.id}" if base_url else page)
    if url:
        review["url"] = url
    rater = publisher or last.rated_by
    if rater:
        review["author"] = {"@type": "Organization", "name": rater}
    return review


def claimreviews(
    claims: list[Claim],
    seeds: Sequence[SourceDocument],
    *,
    base_url: str | None = None,
    publisher: str | None = None,
) -> dict[str, Any]:
    """All claims as one JSON-LD document with a `@graph`, sorted by claim id."""
    by_id = {s.id: s for s in seeds}
    graph = [
        claimreview(c, by_id, base_url=base_url, publisher=publisher)
        for c in sorted(claims, key=lambda c: c.id)
    ]
    for item in graph:
        del item["@context"]
    return {"@context": "https://schema.org", "@graph": graph}
