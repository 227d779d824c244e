"""Model rules: checks across the fields of one claim that a JSON Schema cannot express.

Each rule returns :class:`Violation` objects with a JSON pointer, so that the validator can
report every violation at its own line. Cross-record rules (ids, seeds, quotes) live in
:mod:`claimtrack.validate.cross_record`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from claimtrack.exc import ClaimtrackError
from claimtrack.model.records import (
    FIELDS_ADDED,
    TERMS_ADDED,
    AttributionLink,
    Claim,
    Correction,
    MoneyValue,
    PartyResponse,
    SourceDocument,
    StatusChange,
    Subject,
)
from claimtrack.model.rulebook import Scope, declare
from claimtrack.model.types import surely_before
from claimtrack.model.vocab import AttributionRole


@dataclass(frozen=True)
class Violation:
    """A broken model rule: where (JSON pointer), which rule, what and how to fix it."""

    pointer: str
    code: str
    message: str
    hint: str


ClaimCheck = Callable[[Claim], Iterator[Violation]]
CHECKS: list[ClaimCheck] = []  # every claim rule, in the order they are declared


def checks(*rules: tuple[str, str]) -> Callable[[ClaimCheck], ClaimCheck]:
    """Declare the model rules a function checks (each ``(code, what it means)``, the code
    without its `model.` prefix) and run it on every claim: adding a model rule is one decorated
    function here, and its example in `tests/examples/invalid/`."""

    def register(check: ClaimCheck) -> ClaimCheck:
        for code, summary in rules:
            declare(f"model.{code}", summary, Scope.FILE)
        CHECKS.append(check)
        return check

    return register


@checks(
    ("money-shape", "A money value with both `amount` and a range, or with neither."),
    ("range-order", "A range whose `min` is greater than its `max`."),
)
def _money(claim: Claim) -> Iterator[Violation]:
    value = claim.value
    if not isinstance(value, MoneyValue):
        return
    if value.amount is not None and (value.min is not None or value.max is not None):
        yield Violation(
            "/value/amount",
            "money-shape",
            "a money value has both `amount` and a `min`/`max` range",
            "keep `amount` for a single figure, or `min` and `max` for a range, not both",
        )
    if value.amount is None and value.min is None and value.max is None:
        yield Violation(
            "/value",
            "money-shape",
            "a money value has neither `amount` nor `min`/`max`",
            "add `amount`, or `min` and/or `max`; use `type: text` if the source gives no figure",
        )
    if value.min is not None and value.max is not None and value.min > value.max:
        yield Violation(
            "/value/min",
            "range-order",
            f"min {value.min} is greater than max {value.max}",
            "swap `min` and `max`",
        )


def _oldest_first(
    entries: Sequence[StatusChange | Correction],
    where: str,
    code: str,
    message: Callable[[int], str],
    hint: str,
) -> Iterator[Violation]:
    """An append-only log (history, corrections) out of date order: each entry older than the
    one before it, with ``message(i)``."""
    for i in range(1, len(entries)):
        if entries[i].date < entries[i - 1].date:
            yield Violation(f"/{where}/{i}/date", code, message(i), hint)


@checks(
    ("history-order", "Status history entries out of date order."),
    ("status-mismatch", "`status` differs from the last history entry's status."),
)
def _history(claim: Claim) -> Iterator[Violation]:
    dates = [h.date for h in claim.history]
    yield from _oldest_first(
        claim.history,
        "history",
        "history-order",
        lambda i: f"history entry {i} ({dates[i]}) is older than entry {i - 1} ({dates[i - 1]})",
        "the history is append-only and oldest first: put entries in date order",
    )
    last = claim.history[-1].status
    if claim.status != last:
        yield Violation(
            "/status",
            "status-mismatch",
            f"status is `{claim.status}` but the last history entry says `{last}`",
            f"set `status: {last}`, or append a history entry that records the change",
        )


@checks(
    ("timestamp-order", "`updated` is earlier than `created`."),
)
def _timestamps(claim: Claim) -> Iterator[Violation]:
    if claim.updated < claim.created:
        yield Violation(
            "/updated",
            "timestamp-order",
            f"updated ({claim.updated.isoformat()}) is before created "
            f"({claim.created.isoformat()})",
            "set `updated` to the time of the last change, not earlier than `created`",
        )


@checks(
    ("duplicate-quote-id", "Two quotes of one claim share an id."),
    ("offset-order", "A quote's `end` is not after its `start`."),
    ("quote-position", "A quote has neither offsets nor a locator, or both."),
    ("unknown-quote", "A history entry, response or review cites a quote id the claim lacks."),
)
def _quotes(claim: Claim) -> Iterator[Violation]:
    seen: set[str] = set()
    for i, quote in enumerate(claim.evidence):
        if quote.id in seen:
            yield Violation(
                f"/evidence/{i}/id",
                "duplicate-quote-id",
                f"quote id `{quote.id}` is used twice in this claim",
                "give each quote its own id (`q1`, `q2`, ...)",
            )
        seen.add(quote.id)
        has_offsets = quote.start is not None and quote.end is not None
        if has_offsets == (quote.locator is not None) or (quote.start is None) != (
            quote.end is None
        ):
            yield Violation(
                f"/evidence/{i}",
                "quote-position",
                f"quote `{quote.id}` needs either `start` and `end`, or a `locator`",
                "give `start` and `end` offsets for a text seed, or a `locator` (JSON pointer) "
                "for a JSON seed, not both",
            )
        elif quote.start is not None and quote.end is not None and quote.end <= quote.start:
            yield Violation(
                f"/evidence/{i}/end",
                "offset-order",
                f"end ({quote.end}) is not after start ({quote.start})",
                "`end` is the offset just past the quote's last character",
            )
    refs = [(f"/history/{i}/evidence", h.evidence) for i, h in enumerate(claim.history)]
    refs += [(f"/responses/{i}/evidence", r.evidence) for i, r in enumerate(claim.responses)]
    refs += [(f"/reviews/{i}/evidence", r.evidence) for i, r in enumerate(claim.reviews)]
    for base, ids in refs:
        for j, ref in enumerate(ids):
            if ref not in seen:
                yield Violation(
                    f"{base}/{j}",
                    "unknown-quote",
                    f"`{ref}` is not the id of a quote in this claim's evidence",
                    f"use one of: {', '.join(sorted(seen))}",
                )


@checks(("same-as", "A `same_as` link to the claim itself, or one listed twice."))
def _same_as(claim: Claim) -> Iterator[Violation]:
    seen: set[str] = set()
    for i, other in enumerate(claim.same_as):
        if other == claim.id or other in seen:
            what = "the claim itself" if other == claim.id else f"`{other}` a second time"
            yield Violation(
                f"/same_as/{i}",
                "same-as",
                f"`same_as` links to {what}",
                "list each other record once; a record is never `same_as` itself",
            )
        seen.add(other)


@checks(
    ("relay-seed", "A `relay` attribution link names no archived seed."),
    ("missing-relay", "The attribution chain has no `relay` link to an archived document."),
)
def _attribution(claim: Claim) -> Iterator[Violation]:
    for i, link in enumerate(claim.attribution):
        if link.role is AttributionRole.RELAY and link.seed is None:
            yield Violation(
                f"/attribution/{i}",
                "relay-seed",
                "a `relay` link does not name the archived document",
                "add `seed:` with the id of the archived document under seeds/",
            )
    if not any(link.role is AttributionRole.RELAY for link in claim.attribution):
        yield Violation(
            "/attribution",
            "missing-relay",
            "the attribution chain has no `relay` link to an archived document",
            "add a link with `role: relay` and the `seed:` that carries the claim",
        )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@functools.cache
def _later(version: str) -> tuple[dict[tuple[str, str], str], tuple[tuple[str, str], ...]]:
    """What claim formats after ``version`` added: each term with its version, and each field
    pattern with its version (worked out once per version)."""
    mine = _version_key(version)
    terms = {
        term: added
        for added, found in TERMS_ADDED.items()
        if _version_key(added) > mine
        for term in found
    }
    fields = tuple(
        (added, pattern)
        for added, patterns in FIELDS_ADDED.items()
        if _version_key(added) > mine
        for pattern in patterns
    )
    return terms, fields


def _terms_used(claim: Claim) -> Iterator[tuple[str, str, str]]:
    """Each vocabulary term the claim uses: where, its kind, the term."""
    yield "/status", "status", claim.status.value
    for i, h in enumerate(claim.history):
        yield f"/history/{i}/status", "status", h.status.value
    for i, r in enumerate(claim.responses):
        yield f"/responses/{i}/response", "response", r.response.value
    parts: tuple[tuple[str, Sequence[Subject | AttributionLink | PartyResponse]], ...] = (
        ("subjects", claim.subjects),
        ("attribution", claim.attribution),
        ("responses", claim.responses),
    )
    for part, items in parts:
        for i, item in enumerate(items):
            yield f"/{part}/{i}/type", "entity", item.type.value


@checks(
    (
        "schema-version",
        "A status or response term that the claim's `schema_version` does not have yet.",
    ),
)
def _version(claim: Claim) -> Iterator[Violation]:
    added_later, fields = _later(claim.schema_version)
    yield from _fields_added(claim, fields)
    if not added_later:
        return  # the latest format, or one only fields were added after
    for ptr, kind, value in _terms_used(claim):
        if (kind, value) in added_later:
            yield Violation(
                ptr,
                "schema-version",
                f"{kind} `{value}` is not in claim format {claim.schema_version}",
                f"set `schema_version: '{added_later[kind, value]}'` (the version that added it)",
            )


def _set_at(node: object, parts: list[str], at: str = "") -> Iterator[str]:
    """The JSON pointers matching a pattern (`*`: each item of a list) whose value is set: not
    null, and not an empty list."""
    if not parts:
        if node is not None and node != []:
            yield at
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        for i, item in enumerate(node if isinstance(node, list) else []):
            yield from _set_at(item, rest, f"{at}/{i}")
    elif node is not None:
        yield from _set_at(getattr(node, head, None), rest, f"{at}/{head}")


def _any_set(node: object, parts: list[str]) -> bool:
    """Whether :func:`_set_at` finds anything (no pointer made: most records have none)."""
    for i, head in enumerate(parts):
        if head == "*":
            rest = parts[i + 1 :]
            return any(_any_set(item, rest) for item in (node if isinstance(node, list) else []))
        if node is None:
            return False
        node = getattr(node, head, None)
    return node is not None and node != []


def _fields_added(claim: Claim, fields: tuple[tuple[str, str], ...]) -> Iterator[Violation]:
    """Fields a later claim format added (`FIELDS_ADDED`), set in a file of an earlier one."""
    for version, pattern in fields:
        parts = pattern.split("/")[1:]
        if not _any_set(claim, parts):
            continue
        for ptr in _set_at(claim, parts):
            yield Violation(
                ptr,
                "schema-version",
                f"`{pattern.rsplit('/', 1)[-1]}` is not in claim format {claim.schema_version}",
                f"set `schema_version: '{version}'` (the version that added it)",
            )


@checks(
    (
        "review-before-claim",
        "A rater's review (`published`, or the entry's date) predates the claim's `claim_date`.",
    ),
)
def _reviews(claim: Claim) -> Iterator[Violation]:
    """A rater's review cannot predate the claim it rates."""
    if claim.claim_date is None:
        return
    for i, entry in enumerate(claim.history):
        if not (entry.rated_by or entry.published):
            continue
        day = entry.published or entry.date.isoformat()
        if surely_before(day, claim.claim_date):
            field = "published" if entry.published else "date"
            yield Violation(
                f"/history/{i}/{field}",
                "review-before-claim",
                f"the review in history entry {i} ({day}) predates the claim ({claim.claim_date})",
                "check the review's date and the claim's `claim_date`: a claim is rated after "
                "it is made",
            )


@checks(("duplicate-subject", "A claim lists one subject twice (names compared ignoring case)."))
def _subjects(claim: Claim) -> Iterator[Violation]:
    seen: dict[str, int] = {}
    for i, subject in enumerate(claim.subjects):
        key = " ".join(subject.name.casefold().split())
        if key in seen:
            yield Violation(
                f"/subjects/{i}/name",
                "duplicate-subject",
                f"subject `{subject.name}` is listed twice (first as subject {seen[key]})",
                "remove one of the two entries",
            )
        seen.setdefault(key, i)


@checks(
    ("corrections-order", "Corrections out of date order."),
)
def _corrections(claim: Claim) -> Iterator[Violation]:
    dates = [c.date for c in claim.corrections]
    yield from _oldest_first(
        claim.corrections,
        "corrections",
        "corrections-order",
        lambda i: f"correction {i} ({dates[i]}) is older than correction {i - 1}",
        "the corrections log is append-only and oldest first: put entries in date order",
    )


BUDGET_REASON = declare(
    "model.budget-reason",
    "A seed's quote budget is above the default 25% without a reason.",
    Scope.FILE,
    example="tests/acceptance/test_publishing.py::test_a_seed_sets_its_own_budget_within_a_third",
)


def seed_violations(seed: SourceDocument) -> list[Violation]:
    """The rules of a seed's metadata that its schema cannot express."""
    budget = seed.quote_budget
    if (
        budget is not None
        and budget.share is not None
        and budget.share > 0.25
        and not (budget.reason)
    ):
        return [
            Violation(
                "/quote_budget/share",
                "budget-reason",
                f"a quote budget of {budget.share:.0%} is above the default 25% without a reason",
                "add `quote_budget.reason` saying why this source needs more, or lower `share`",
            )
        ]
    return []


def claim_violations(claim: Claim) -> list[Violation]:
    """Every model rule the claim breaks, in field order."""
    return [v for check in CHECKS for v in check(claim)]


class RuleViolation(ClaimtrackError):
    """A claim that fits the schema but breaks model rules; ``violations`` lists them."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(
            "; ".join(f"{v.pointer}: {v.message}" for v in violations),
            hint=violations[0].hint,
        )
        self.violations = violations


def parse_claim(data: Any) -> Claim:
    """A claim from plain data, with every model rule applied.

    Raises pydantic's ``ValidationError`` for a shape error, :class:`RuleViolation` for a
    broken rule (the validator reports each one at its own line instead).
    """
    claim = Claim.model_validate(data)
    violations = claim_violations(claim)
    if violations:
        raise RuleViolation(violations)
    return claim
