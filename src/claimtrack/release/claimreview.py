"""Structured data that tells the truth: schema.org ClaimReview only for real reviews.

A claim gets a ClaimReview for each review someone actually published:

- each rater's review the claim keeps (`reviews`, or, in records made before there were
  reviews, a history entry with `rated_by` and `source_label`): under the rater's name, with
  its label verbatim, its numbers, its date and its page; a rating whose page is unknown has
  no `url` and is left out (Google requires one);
- a verdict that the dataset's publisher (`dataset.yaml`) issues itself: the claim's current
  status when it is a verdict (``VERDICTS``), under the publisher's name, at the claim's page on
  the published site (which needs a base URL).

A claim nobody rated (`reported`, `not_checkable`, ...) gets no review: only schema.org `Claim`
markup (:func:`claim_markup`): who made it, when, where it appeared and in which language.
Nothing is made up: a missing author, date or page stays out of the markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claimtrack.model.identity import DatasetIdentity
from claimtrack.model.labels import CLAIMREVIEW, CLAIMREVIEW_RATING_VALUES
from claimtrack.model.records import Claim, SourceDocument, StatusChange
from claimtrack.model.reviews import Review as ClaimReviewRecord
from claimtrack.model.vocab import AttributionRole, ConfirmationStatus, EntityType

# statuses that are a conclusion of a check, and so a review when the publisher issues them
VERDICTS = frozenset({*CLAIMREVIEW_RATING_VALUES, "insufficient_evidence"})


def review_label(status: ConfirmationStatus) -> str:
    """Our status's ClaimReview label, e.g. `False` for `refuted`."""
    return CLAIMREVIEW.exports[status.value]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class Publishing:
    """Who publishes the structured data and where: from `dataset.yaml`, or the options given."""

    publisher: str | None = None  # who issues the dataset's own verdicts
    publisher_url: str | None = None
    base_url: str | None = None  # the published site: claim pages are BASE/claims/ID.html
    license: str | None = None  # SPDX id of the records' licence
    dataset: str | None = None  # the dataset's machine name

    @classmethod
    def of(
        cls,
        about: DatasetIdentity | None,
        *,
        base_url: str | None = None,
        publisher: str | None = None,
    ) -> Publishing:
        """From the identity, with ``base_url`` and ``publisher`` given on the command line
        taking precedence."""
        who = about.publisher if about is not None else None
        return cls(
            publisher or (who.name if who else None),
            None if publisher else (who.url if who else None),
            base_url or (about.base_url if about is not None else None),
            about.license if about is not None else None,
            about.name if about is not None else None,
        )

    def page(self, claim_id: str) -> str | None:
        if self.base_url is None:
            return None
        return f"{self.base_url.rstrip('/')}/claims/{claim_id}.html"

    def organisation(self) -> dict[str, Any] | None:
        if self.publisher is None:
            return None
        org: dict[str, Any] = {"@type": "Organization", "name": self.publisher}
        if self.publisher_url:
            org["url"] = self.publisher_url
        return org


@dataclass
class Review:
    """One published review of a claim, as a page shows it and its markup says it."""

    rater: str
    label: str  # the rating as the page shows it (the rater's own words for another rater)
    explanation: str | None  # the publisher's reason; none is put in another rater's mouth
    date: str | None
    url: str | None
    own: bool
    rating: dict[str, Any] = field(default_factory=dict)


def reviews(claim: Claim, publishing: Publishing) -> list[Review]:
    """Every real review of the claim: each rater's, then the publisher's own verdict."""
    found = [
        Review(r.rater, r.label, None, r.published, r.url, False, _numbers(r))
        for r in claim.reviews
        if r.rater and r.label
    ]
    given = {(r.rater, r.label, r.date) for r in found}
    page = next((e.url for e in claim.external_ids if e.system == "claimreview" and e.url), None)
    rated = [  # ratings recorded in the history before claims had `reviews`
        h
        for h in claim.history
        if h.rated_by and h.source_label and (h.rated_by, h.source_label, h.published) not in given
    ]
    for entry in rated:
        assert entry.rated_by is not None and entry.source_label is not None
        found.append(
            Review(
                entry.rated_by,
                entry.source_label,
                None,
                entry.published,
                entry.url or (page if len(rated) == 1 and not found else None),
                False,
                _numbers(entry),
            )
        )
    last = claim.history[-1]
    if last.status.value in VERDICTS and not last.rated_by and publishing.publisher:
        found.append(
            Review(
                publishing.publisher,
                review_label(last.status),
                last.reason,
                last.date.isoformat(),
                publishing.page(claim.id),
                True,
                {
                    "ratingValue": CLAIMREVIEW_RATING_VALUES.get(last.status.value),
                    "bestRating": 5,
                    "worstRating": 1,
                },
            )
        )
    return found


def _numbers(entry: StatusChange | ClaimReviewRecord) -> dict[str, Any]:
    if entry.rating is None:
        return {}
    return {
        "ratingValue": _number(entry.rating.value),
        "bestRating": _number(entry.rating.best),
        "worstRating": _number(entry.rating.worst),
    }


def _author(name: str, kind: EntityType, wikidata: str | None) -> dict[str, Any]:
    author: dict[str, Any] = {"name": name}
    if kind is not EntityType.UNKNOWN:  # a kind the source does not say is not guessed
        author = {"@type": "Person" if kind is EntityType.PERSON else "Organization", **author}
    if wikidata:
        author["sameAs"] = f"https://www.wikidata.org/wiki/{wikidata}"
    return author


def claim_markup(claim: Claim, seeds: dict[str, SourceDocument]) -> dict[str, Any]:
    """schema.org `Claim`: every asserter, when it was made, where it appeared (first
    appearance: the earliest-published source) and its language."""
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.statement:
        item["name"] = claim.statement
    authors = [
        _author(a.name, a.type, a.wikidata)
        for a in claim.attribution
        if a.role is AttributionRole.ASSERTER
    ]
    if authors:
        item["author"] = authors if len(authors) > 1 else authors[0]
    if claim.claim_date is not None:
        item["datePublished"] = claim.claim_date
    places: list[tuple[str, str]] = []  # (published, url)
    for link in claim.attribution:
        seed = seeds.get(link.seed) if link.seed else None
        if link.url:
            places.append((seed.published or "9999" if seed else "9999", link.url))
        if seed is not None and seed.url:
            places.append((seed.published or "9999", seed.url))
    places += [("9999", e.url) for e in claim.external_ids if e.system == "appearance" and e.url]
    if places:
        urls = list(dict.fromkeys(url for _, url in places))
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in urls]
        first = min(places, key=lambda p: p[0])
        item["firstAppearance"] = {"@type": "CreativeWork", "url": first[1]}
    language = claim.original.language if claim.original else claim.evidence[0].language
    item["inLanguage"] = language
    return item


def claimreview(
    claim: Claim, review: Review, seeds: dict[str, SourceDocument], publishing: Publishing
) -> dict[str, Any] | None:
    """The ClaimReview of one review; None when it cannot be told truthfully (no page to point
    at, or the claim's words are withheld)."""
    if review.url is None or not claim.statement:
        return None
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": review.label}
    if review.explanation:
        rating["ratingExplanation"] = review.explanation
    rating.update({k: v for k, v in review.rating.items() if v is not None})
    body: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": claim.id,
        "url": review.url,
        "claimReviewed": claim.statement,
        "author": publishing.organisation()
        if review.own
        else {"@type": "Organization", "name": review.rater},
    }
    if review.date:
        body["datePublished"] = review.date
    body["reviewRating"] = rating
    body["itemReviewed"] = claim_markup(claim, seeds)
    organisation = publishing.organisation()
    if organisation is not None:
        body["sdPublisher"] = organisation
    if publishing.license and " " not in publishing.license:  # one licence: its SPDX page
        body["sdLicense"] = f"https://spdx.org/licenses/{publishing.license}.html"
    return body


@dataclass
class Exported:
    """An export's JSON-LD document, and the reviews left out with why."""

    document: dict[str, Any]
    reviews: int
    left_out: list[tuple[str, str]]


def claimreviews(
    claims: list[Claim], seeds: Sequence[SourceDocument], publishing: Publishing
) -> Exported:
    """Every real review of the claims as one JSON-LD document with a `@graph` (sorted by claim
    id); a claim nobody rated gives none."""
    by_id = {s.id: s for s in seeds}
    graph, left_out = [], []
    for claim in sorted(claims, key=lambda c: c.id):
        for review in reviews(claim, publishing):
            item = claimreview(claim, review, by_id, publishing)
            if item is None:
                why = "no page: set base_url in dataset.yaml or --base-url"
                if not review.own:
                    why = f"{review.rater}'s review has no known URL"
                left_out.append((claim.id, why))
                continue
            del item["@context"]
            graph.append(item)
    return Exported({"@context": "https://schema.org", "@graph": graph}, len(graph), left_out)
