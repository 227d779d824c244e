"""Raters' reviews as imports keep them: one `reviews` entry per rating, a review seen again
gaining the new file as evidence; the first status entry of a new claim; and what an import
must say when claimtrack's status for a rating is not the one the history gave it."""

from __future__ import annotations

from typing import Any

from claimtrack.interop.drafts import Review
from claimtrack.model.records import Claim


def first_entry(review: Review, today: str, others: int) -> dict[str, Any]:
    """The first status entry of an imported claim: the earliest rating's status (one outside
    the label tables says nothing: `reported`); later ratings are reviews, not entries."""
    more = f" {others} more review(s) in `reviews`." if others else ""
    entry: dict[str, Any] = {
        "date": review.date or today,
        "status": review.status if review.mapped else "reported",
        "reason": review.reason + more,
        "evidence": ["q1"],
        "rated_by": review.rated_by,
        "source_label": review.label,
        "rating": review.rating,
        "url": review.url,
        "published": review.published,
        "note": review.note,
    }
    return {k: v for k, v in entry.items() if v is not None}


def review_entry(review: Review, quote_id: str) -> dict[str, Any]:
    """A rater's review as the claim keeps it: as given, with our status for its label."""
    entry: dict[str, Any] = {
        "rater": review.rated_by,
        "url": review.url,
        "published": review.published,
        "label": review.label,
        "language": review.language,
        "status": review.status if review.mapped else None,
        "rating": review.rating,
        "evidence": [quote_id],
    }
    return {k: v for k, v in entry.items() if v is not None}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One review: the same rater, page, date, label and numbers."""
    keys = ("rater", "url", "published", "label", "rating")
    return all(a.get(k) == b.get(k) for k in keys)


def merge_reviews(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reviews with the new ones added: a review seen before gains the new quote as
    evidence (and our current status for its label); another is appended."""
    merged = [dict(r) for r in old]
    for review in new:
        same = next((r for r in merged if _same(r, review)), None)
        if same is None:
            merged.append(review)
            continue
        evidence = list(same.get("evidence", []))
        evidence += [q for q in review["evidence"] if q not in evidence]
        same["evidence"] = evidence
        if "status" in review:
            same["status"] = review["status"]
        else:
            same.pop("status", None)
    return merged


def remapped(old: Claim, new: Claim, where: str) -> list[tuple[str, str]]:
    """A rating whose status in our tables is not the one the history gave it: said, for the
    editor to decide (the history is theirs)."""
    said = []
    for review in new.reviews:
        entry = next(
            (
                h
                for h in old.history
                if (h.rated_by, h.source_label) == (review.rater, review.label)
            ),
            None,
        )
        if entry is not None and review.status is not None and review.status != entry.status:
            said.append(
                (
                    where,
                    f"{new.id}: the rating `{review.label}` by {review.rater} is now "
                    f"`{review.status.value}` in claimtrack's tables; the history has "
                    f"`{entry.status.value}` (record a change with `claimtrack claim status`)",
                )
            )
    return said


def rerated(old: Claim, new: Claim, where: str) -> list[tuple[str, str]]:
    """A rater that rates the claim anew (the same rater and page, another label): the new
    review is kept beside the earlier one, and said, for the editor to decide on the status."""
    said = []
    for review in new.reviews[len(old.reviews) :]:
        before = [
            r
            for r in old.reviews
            if (r.rater, r.url) == (review.rater, review.url) and r.label != review.label
        ]
        if before:
            said.append(
                (
                    where,
                    f"{new.id}: {review.rater or 'an unnamed rater'} now rates it "
                    f"`{review.label}` (was `{before[-1].label}`); both reviews are kept and the "
                    "status is unchanged (record a change with `claimtrack claim status`)",
                )
            )
    return said
