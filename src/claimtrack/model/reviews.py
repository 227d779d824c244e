"""Raters' reviews of a claim: the rating they gave, and the review itself."""

from __future__ import annotations

from pydantic import Field

from claimtrack.model import vocab
from claimtrack.model.base import Record
from claimtrack.model.types import HttpUrl, LanguageTag, LocalId, PartialDate, Text


class Rating(Record):
    """A rater's numeric rating (schema.org `Rating`): the value and the scale it is on."""

    value: float = Field(description="The rating given (`ratingValue`).")
    best: float = Field(description="The best rating of the scale (`bestRating`).")
    worst: float = Field(description="The worst rating of the scale (`worstRating`).")


class Review(Record):
    """One rater's published review of the claim (schema.org `ClaimReview`), as the rater gave
    it. Several raters may review one claim; their verdicts are kept side by side here, apart
    from the status history, which records the dataset's own conclusions."""

    rater: Text | None = Field(
        default=None,
        description="Who published the review (the fact-checker), as named; null when the source "
        "names no one (never guessed).",
    )
    url: HttpUrl | None = Field(
        default=None, description="The review's own URL; null if the source gives none."
    )
    published: PartialDate | None = Field(
        default=None, description="When the review was published, as it states; null if unknown."
    )
    label: Text | None = Field(
        default=None,
        description="The rating as the rater gave it, verbatim and in its language (e.g. "
        "`Faux`, `Pants on Fire`); null when it gave none.",
    )
    language: LanguageTag | None = Field(
        default=None, description="Language of the review (BCP 47); null if unknown."
    )
    status: vocab.ConfirmationStatus | None = Field(
        default=None,
        description="The label mapped to this dataset's statuses by a cited label table "
        "(docs/rating-labels.md); null when no table maps it (the label is kept as given).",
    )
    rating: Rating | None = Field(
        default=None, description="The rater's numeric rating on its own scale, when it gave one."
    )
    evidence: list[LocalId] = Field(
        default_factory=list,
        description="Ids of this claim's quotes from the archived copies that carry the review.",
    )
