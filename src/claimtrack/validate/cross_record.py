"""Cross-record rules: ids across files, the seeds a claim names, its quotes in their seeds.

Functions here take what they need (file names, seed texts, one claim), so that the orchestrator
can run them on everything or, with a cache, only on what changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container
from functools import partial
from typing import Any

from claimtrack.model.records import Claim
from claimtrack.model.rulebook import Scope, declare
from claimtrack.model.text import normalise
from claimtrack.model.types import surely_before
from claimtrack.store.layout import DataFile
from claimtrack.store.pointers import parse_pointer
from claimtrack.validate.collector import Collector
from claimtrack.validate.findings import Finding
from claimtrack.validate.quotes import check_quote, occurs
from claimtrack.validate.seed_texts import NOT_JSON, SeedText, relocate

# the rules checked here (docs/rules.md)
declare(
    "id.duplicate",
    "Two records share an id, compared ignoring case.",
    Scope.DATASET,
    example="tests/acceptance/test_validate.py::test_duplicate_id_differing_only_in_case",
)
declare("seed.missing", "A claim refers to a seed that is not archived under seeds/.", Scope.CLAIM)
declare(
    "evidence.not-found",
    "A quote does not occur in its seed (whitespace and quote marks aside).",
    Scope.CLAIM,
)
declare(
    "evidence.offsets",
    "A quote occurs in its seed, but `start`/`end` do not point at it.",
    Scope.CLAIM,
    fix="sets `start` and `end` to where the quote is",
)
declare(
    "evidence.original-not-found",
    (
        "The claim's `original.text` occurs in none of the seeds its quotes come from (whitespace "
        "and quote marks aside)."
    ),
    Scope.CLAIM,
)
declare(
    "evidence.locator",
    "A quote's `locator` does not lead to a string in its JSON seed.",
    Scope.CLAIM,
    example="tests/acceptance/test_regressions.py::test_locator_with_unicode_digits",
)
declare(
    "evidence.before-source",
    "A status entry is dated before a source it cites as evidence was published.",
    Scope.CLAIM,
)
declare(
    "claim.same-as-unknown",
    "A `same_as` link names no claim of the dataset.",
    Scope.DATASET,
)
declare(
    "claim.same-as-one-way",
    "A `same_as` link that the claim it names does not make back.",
    Scope.DATASET,
    example="tests/acceptance/test_tracking.py::test_a_one_way_same_as_link_is_a_finding",
)
declare(
    "evidence.claim-after-appearance",
    (
        "`claim_date` is after the publication of the claim's earliest source (its first known "
        "appearance)."
    ),
    Scope.CLAIM,
)


def _id_key(file: DataFile) -> str:
    return f"{file.kind}\n{file.stem.casefold()}"


def duplicate_ids(files: list[DataFile]) -> list[Finding]:
    """Ids are file names: two files whose names differ only in case clash (and cannot both
    exist on macOS or Windows checkouts)."""
    seen: set[int] = set()  # a million ids: a hash each, no string kept
    clashing: set[int] = set()
    for file in files:
        digest = hash(_id_key(file))
        if digest in seen:
            clashing.add(digest)
        else:
            seen.add(digest)
    del seen
    by_key: dict[str, list[DataFile]] = defaultdict(list)  # the same hash: grouped by the id
    for file in files:
        key = _id_key(file)
        if hash(key) in clashing:
            by_key[key].append(file)
    findings = []
    for group in by_key.values():  # (a group of one: its hash was another id's)
        for file in group[1:]:
            out = Collector(file, load_doc=partial(relocate, file))
            out.add(
                "/id",
                "id.duplicate",
                f"id `{file.stem}` is also used by {group[0].display} "
                "(ids are compared ignoring case)",
                "give this record its own id and file name",
            )
            findings += out.findings
    return findings


def seed_refs(claim: Claim) -> set[str]:
    """The seeds a claim depends on: those its quotes and attribution links name."""
    return {q.seed for q in claim.evidence} | {a.seed for a in claim.attribution if a.seed}


CLAIM_DEP = "claim:"  # a key of the claims a claim's cross-record findings depend on


def claim_refs(claim: Claim) -> set[str]:
    """The other claims a claim depends on, those its `same_as` links name, as keys beside
    its seeds' ids (`claim:ID`)."""
    return {CLAIM_DEP + other for other in claim.same_as}


Pending = list[tuple[str, str, str, str]]  # (pointer, rule, message, hint) of each finding


def _links(claim: Claim, claims: Container[str] | None) -> Pending:
    """Each `same_as` link that names no claim of the dataset (``claims``: its ids)."""
    if claims is None:
        return []
    return [
        (
            f"/same_as/{i}",
            "claim.same-as-unknown",
            f"`same_as` names `{other}`, which is not a claim of this dataset",
            "use the id of another claim file under claims/, or remove the link",
        )
        for i, other in enumerate(claim.same_as)
        if other not in claims
    ]


def _seeds_missing(claim: Claim, seeds: dict[str, SeedText]) -> Pending:
    """Each reference to a seed that is not archived."""
    refs = [(f"/evidence/{i}/seed", q.seed) for i, q in enumerate(claim.evidence)]
    refs += [(f"/attribution/{i}/seed", a.seed) for i, a in enumerate(claim.attribution) if a.seed]
    return [
        (
            ptr,
            "seed.missing",
            f"seed `{seed_id}` is not in seeds/",
            f"archive the source as seeds/{seed_id}.yaml with its text, or fix the id",
        )
        for ptr, seed_id in refs
        if seed_id not in seeds
    ]


class Links:
    """The `same_as` links of the valid claims of a run, from their cross-record
    dependencies (`claim:ID` keys), and the claims checked that are not valid (or name
    nothing): a million valid ids are not held, only the few that are not."""

    def __init__(self) -> None:
        self.invalid: set[str] = set()
        self.links: dict[str, set[str]] = {}

    def add(self, file: DataFile, valid: bool, deps: dict[str, str]) -> None:
        """A claim file checked: whether it is valid, and what its checks depend on."""
        if not (valid and deps):
            self.invalid.add(file.stem)
            return
        named = {k[len(CLAIM_DEP) :] for k in deps if k.startswith(CLAIM_DEP)}
        if named:
            self.links[file.stem] = named

    def kept(self) -> dict[str, list[str]]:
        return {claim_id: sorted(named) for claim_id, named in sorted(self.links.items())}

    def findings(
        self, everything: list[DataFile], shown: Container[str], *, whole: bool
    ) -> list[Finding]:
        """The `same_as` findings of the files shown; each link named back only when the run
        is over the whole dataset (then every claim's links are known, and every claim file
        listed was checked: the valid ones are those not noted invalid)."""
        by_id = {f.stem: f for f in everything if f.kind == "claim"}
        valid = _Valid(by_id, self.invalid)
        found = link_findings(by_id, self.links, valid, one_way=whole)
        return [f for f in found if f.path in shown]


class _Valid:
    """The ids of the valid claims of a whole run: those listed, less those noted invalid."""

    def __init__(self, listed: Container[str], invalid: Container[str]) -> None:
        self.listed, self.invalid = listed, invalid

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self.listed and claim_id not in self.invalid


def link_findings(
    files: dict[str, DataFile],
    links: dict[str, set[str]],
    valid: Container[str],
    *,
    one_way: bool = True,
) -> list[Finding]:
    """A finding at each `same_as` link that names no claim of ``files`` (the dataset's claim
    files by id), and, with ``one_way``, at each that a valid claim does not make back."""
    found: list[Finding] = []
    for claim_id, named in sorted(links.items()):
        file = files.get(claim_id)
        if file is None:
            continue
        out = Collector(file, load_doc=partial(relocate, file))
        for other in sorted(named):
            if other not in files:
                out.add(
                    "/same_as",
                    "claim.same-as-unknown",
                    f"`same_as` names `{other}`, which is not a claim of this dataset",
                    "use the id of another claim file under claims/, or remove the link",
                )
            elif one_way and other in valid and claim_id not in links.get(other, set()):
                out.add(
                    "/same_as",
                    "claim.same-as-one-way",
                    f"`same_as` names `{other}`, whose record does not name `{claim_id}`",
                    f"run `claimtrack claim same-as {claim_id} {other}`, which writes both",
                )
        found += out.findings
    return found


def dependencies(
    refs: set[str], seeds: dict[str, SeedText], claims: frozenset[str] | None = None
) -> dict[str, str]:
    """What a claim's cross-record checks depend on: each seed's text digest (or why there is
    none) and publication date, and (`claim:` keys) whether each claim it links to exists."""
    return {ref: _dependency(ref, seeds, claims) for ref in sorted(refs)}


def _dependency(ref: str, seeds: dict[str, SeedText], claims: frozenset[str] | None) -> str:
    if ref.startswith(CLAIM_DEP):
        return "<unchecked>" if claims is None else str(ref[len(CLAIM_DEP) :] in claims)
    seed = seeds.get(ref)
    return "<absent>" if seed is None else f"{seed.sha256 or '<no-text>'}@{seed.published or ''}"


def claim_cross(
    file: DataFile,
    claim: Claim,
    seeds: dict[str, SeedText],
    claims: Container[str] | None = None,
) -> list[Finding]:
    """Seed references resolve, every quote occurs in its seed and its offsets point at it;
    with ``claims`` (the dataset's claim ids), every `same_as` link names one of them."""
    pending = _links(claim, claims) + _seeds_missing(claim, seeds)
    for i, quote in enumerate(claim.evidence):
        seed = seeds.get(quote.seed)
        if seed is None or seed.text is None:
            continue
        if quote.locator is not None:
            problem = _check_locator(seed, quote.locator, quote.text)
            if problem:
                pending.append(
                    (
                        f"/evidence/{i}/locator",
                        "evidence.locator",
                        problem,
                        "use the JSON pointer of the string that holds the passage, "
                        "e.g. `/12/claim`; the text must match it",
                    )
                )
            continue
        if quote.start is None or quote.end is None:
            continue
        check = check_quote(seed.text, quote.text, quote.start, quote.end)
        if not check.found:
            pending.append(
                (
                    f"/evidence/{i}/text",
                    "evidence.not-found",
                    f"quote `{quote.id}` does not occur in seed `{quote.seed}`",
                    _not_found_hint(check.matched_prefix, seed.text_display),
                )
            )
        elif not check.offsets_ok:
            pending.append(
                (
                    f"/evidence/{i}/start",
                    "evidence.offsets",
                    f"quote `{quote.id}` is in the seed, but start/end ({quote.start}, "
                    f"{quote.end}) do not point at it",
                    f"set `start: {check.start}` and `end: {check.end}`",
                )
            )
    pending += _original(claim, seeds)
    pending += _dates(claim, seeds)
    out = Collector(file, load_doc=partial(relocate, file))  # parsed only if there are findings
    for ptr, rule, message, hint in pending:
        out.add(ptr, rule, message, hint)
    return out.findings


def _original(claim: Claim, seeds: dict[str, SeedText]) -> list[tuple[str, str, str, str]]:
    """The source's own words must be the source's: `original.text` occurs in a quoted seed."""
    if claim.original is None:
        return []
    quoted = [seeds[s] for s in sorted({q.seed for q in claim.evidence}) if s in seeds]
    readable = [s for s in quoted if s.text is not None]
    if not readable:
        return []  # missing or unreadable seeds have their own findings
    wanted = claim.original.text
    if any(occurs(s.text or "", wanted) or _in_json(s, wanted) for s in readable):
        return []
    return [
        (
            "/original/text",
            "evidence.original-not-found",
            "`original.text` does not occur in the seeds this claim quotes",
            "copy the assertion exactly, in the source's language, from the archived text (or "
            "leave `original` out)",
        )
    ]


def _dates(claim: Claim, seeds: dict[str, SeedText]) -> list[tuple[str, str, str, str]]:
    """Dates that hold together: no status entry before the sources it cites were published, and
    no claim date after the claim's first appearance."""
    found = []
    published = {q.id: seeds[q.seed].published for q in claim.evidence if q.seed in seeds}
    for i, entry in enumerate(claim.history):
        day = entry.date.isoformat()
        late = sorted(
            {p for q in entry.evidence if (p := published.get(q)) and surely_before(day, p)}
        )
        if late:
            found.append(
                (
                    f"/history/{i}/date",
                    "evidence.before-source",
                    f"history entry {i} is dated {day}, before the evidence it cites was "
                    f"published ({late[-1]})",
                    f"date the entry {late[-1]} or later (when the source made it known), or cite "
                    "evidence published by then",
                )
            )
    dates = [p for s in seed_refs(claim) if s in seeds and (p := seeds[s].published)]
    if claim.claim_date is not None and dates and surely_before(min(dates), claim.claim_date):
        found.append(
            (
                "/claim_date",
                "evidence.claim-after-appearance",
                f"claim_date {claim.claim_date} is after the claim's first appearance in its "
                f"sources ({min(dates)})",
                f"set `claim_date` to {min(dates)} or earlier, or check the sources' `published`",
            )
        )
    return found


def _in_json(seed: SeedText, text: str) -> bool:
    """For a JSON seed: the original text is one of its strings."""
    document = seed.json()
    if document is NOT_JSON:
        return False
    wanted = normalise(text)
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and normalise(node) == wanted:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _check_locator(seed: SeedText, locator: str, text: str) -> str | None:
    """Why a JSON-pointer locator does not lead to ``text`` in a JSON seed, or None."""
    document = seed.json()
    if document is NOT_JSON:
        return f"seed `{seed.id}` is not JSON, so a locator cannot point into it"
    node: Any = document
    for part in parse_pointer(locator):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif (
            isinstance(node, list)
            and re.fullmatch(r"0|[1-9][0-9]*", part)
            and int(part) < len(node)
        ):
            node = node[int(part)]
        else:
            return f"`{locator}` does not exist in seed `{seed.id}`"
    if not isinstance(node, str) or normalise(node) != normalise(text):
        return f"the string at `{locator}` in seed `{seed.id}` is not the quoted text"
    return None


def _not_found_hint(prefix: int, seed_display: str) -> str:
    if prefix >= 8:
        return (
            f"the first {prefix} characters match the seed, then the text differs: "
            f"copy the passage exactly from the archived text of {seed_display}"
        )
    return f"copy the passage exactly, in the original language, from the text of {seed_display}"
