"""Cross-record rules: ids against file names, seeds and their hashes, quotes in their seeds.

Functions here take what they need (file names, seed texts, one claim), so that the orchestrator
can run them on everything or, with a cache, only on what changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from claimtrack.exc import InputError
from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.rulebook import Scope, declare
from claimtrack.model.text import normalise
from claimtrack.model.types import surely_before
from claimtrack.store.files import MAX_RECORD_BYTES, MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.store.pointers import parse_pointer
from claimtrack.store.yaml_read import Document, YamlProblem, decode, parse
from claimtrack.validate.collector import Collector
from claimtrack.validate.findings import Finding
from claimtrack.validate.quotes import check_quote, occurs

# the rules checked here (docs/rules.md)
declare(
    "id.duplicate",
    "Two records share an id, compared ignoring case.",
    Scope.DATASET,
    example="tests/acceptance/test_validate.py::test_duplicate_id_differing_only_in_case",
)
declare("seed.missing", "A claim refers to a seed that is not archived under seeds/.", Scope.CLAIM)
declare(
    "seed.text-missing",
    "A seed's archived text file is missing, or outside seeds/.",
    Scope.CLAIM,
    example="tests/acceptance/test_validate.py::test_missing_seed_text",
)
declare(
    "seed.hash-mismatch",
    "A seed's archived text (or original file) no longer has its recorded SHA-256.",
    Scope.CLAIM,
    example="tests/acceptance/test_validate.py::test_changed_seed_text_is_a_hash_mismatch",
)
declare(
    "seed.encoding",
    "A seed's archived text is not UTF-8.",
    Scope.CLAIM,
    example="tests/acceptance/test_rule_registry.py::test_a_seed_text_not_in_utf8_and_a_missing_original",
)
declare(
    "seed.unreadable",
    "A seed's archived text cannot be read (permissions, I/O error).",
    Scope.CLAIM,
    example="tests/acceptance/test_security.py::test_an_unreadable_seed_text_is_a_finding",
)
declare(
    "seed.original-missing",
    "The file a seed's text was extracted from is not in seeds/.",
    Scope.CLAIM,
    example="tests/acceptance/test_rule_registry.py::test_a_seed_text_not_in_utf8_and_a_missing_original",
)
declare(
    "seed.too-large",
    "A seed's archived text is over 64 MiB.",
    Scope.CLAIM,
    example="tests/acceptance/test_security.py::test_a_seed_over_the_limit_is_a_finding",
)
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
    "evidence.claim-after-appearance",
    (
        "`claim_date` is after the publication of the claim's earliest source (its first known "
        "appearance)."
    ),
    Scope.CLAIM,
)

_NOT_JSON = object()


TEXT_BUDGET = 128 << 20  # bytes of seed texts (and their parsed JSON) one process keeps
JSON_COST = 4  # a parsed JSON document's memory, counted as this many times its text's


class SeedChanged(InputError):
    """An archived text changed while the dataset was being checked."""


@dataclass
class _Read:
    """An archived text, and its parsed JSON once asked for; ``cost``: its memory, counted."""

    text: str
    cost: int
    json: Any = None


class _Texts:
    """The seed texts one process has read, by path and SHA-256: the most recently used, up to
    ``budget`` bytes. A million claims quoting a hundred thousand seeds do not hold every text
    in every worker; a text asked for again after it was dropped is read again, and must still
    have the hash recorded when the seeds were checked. :func:`forget_texts` empties it (at the
    end of a run)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[tuple[str, str], _Read] = OrderedDict()

    def get(self, path: Path, sha256: str) -> _Read:
        key = (str(path), sha256)
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            return entry
        text = _read_text(path, sha256)
        entry = _Read(text, sys.getsizeof(text))
        self.entries[key] = entry
        self.size += entry.cost
        self._shrink()
        return entry

    def parsed(self, entry: _Read) -> Any:
        """The entry's text parsed as JSON (once), or ``_NOT_JSON``; counted in the budget."""
        if entry.json is None:
            try:
                entry.json = json.loads(entry.text)
            except (ValueError, RecursionError):
                entry.json = _NOT_JSON
            else:
                extra = JSON_COST * entry.cost
                entry.cost += extra
                self.size += extra
                self._shrink()
        return entry.json

    def _shrink(self) -> None:
        """Drop the least recently used until within budget (the newest always stays)."""
        while self.size > self.budget and len(self.entries) > 1:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.cost

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


def _read_text(path: Path, sha256: str) -> str:
    changed = SeedChanged(
        "the archived text changed (or went) while the dataset was being checked",
        path=path,
        hint="run the command again once the seeds are no longer being written",
    )
    try:
        raw = read_bounded(path, MAX_SEED_BYTES)
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise changed
        return raw.decode("utf-8")
    except (OSError, FileTooLarge, UnicodeDecodeError):
        raise changed from None


_TEXTS = _Texts(TEXT_BUDGET)


def forget_texts() -> None:
    """Let go of the seed texts this process has read (a run is over)."""
    _TEXTS.clear()


@dataclass
class SeedText:
    """A seed's id with where its archived text is (None when it cannot be read as UTF-8: its
    own findings say why) and the text's SHA-256 as read when the seeds were checked. The text
    is read when a quote needs it (:attr:`text`), not held; nor is the seed's metadata model
    (every worker gets every seed's SeedText)."""

    id: str
    path: Path | None
    sha256: str
    text_display: str
    published: str | None = None  # the seed's publication date, as it gives it

    @property
    def text(self) -> str | None:
        return None if self.path is None else _TEXTS.get(self.path, self.sha256).text

    def json(self) -> Any:
        """The seed's text parsed as JSON (once per read), or ``_NOT_JSON``."""
        if self.path is None:
            return _NOT_JSON
        return _TEXTS.parsed(_TEXTS.get(self.path, self.sha256))


def relocate(file: DataFile) -> Document | None:
    """Re-parse a file that passed per-file checks, to locate a cross-record finding."""
    try:
        return parse(decode(read_bounded(file.path, MAX_RECORD_BYTES)))  # for its positions
    except (OSError, YamlProblem, FileTooLarge):
        return None


def seed_texts(
    dataset: Dataset, seeds: list[tuple[DataFile, SourceDocument]]
) -> tuple[dict[str, SeedText], list[Finding]]:
    """Read every valid seed's archived text; report missing, changed or non-UTF-8 texts."""
    roots = dataset.text_folders()
    texts: dict[str, SeedText] = {}
    findings: list[Finding] = []
    for file, meta in seeds:
        out = Collector(file, load_doc=partial(relocate, file))
        path = dataset.seed_text_path(meta.text_file)
        readable = False
        raw: bytes | None = None
        digest = ""
        if path.is_symlink() or not path.is_file() or path.resolve().parent not in roots:
            outside = dataset.texts_dir
            out.add(
                "/text_file",
                "seed.text-missing",
                f"archived text `{meta.text_file}` is not a file in seeds/"
                + (f" nor in {outside} ($CLAIMTRACK_SEED_TEXTS)" if outside else ""),
                "put the archived text beside this metadata file (no links out of seeds/), or, "
                "for a text kept outside the repository, set CLAIMTRACK_SEED_TEXTS to the "
                "folder that holds it",
            )
        else:
            try:
                raw = read_bounded(path, MAX_SEED_BYTES)
            except FileTooLarge as error:
                out.add(
                    "/text_file",
                    "seed.too-large",
                    f"archived text `{meta.text_file}` is {error.size:,} bytes; the limit is "
                    f"{error.limit:,}",
                    "archive the part of the document the claims quote, or split it",
                )
            except OSError as error:
                out.add(
                    "/text_file",
                    "seed.unreadable",
                    f"archived text `{meta.text_file}` cannot be read: {error.strerror}",
                    "check the file's permissions",
                )
        if raw is not None:
            digest = hashlib.sha256(raw).hexdigest()
            if digest != meta.sha256:
                out.add(
                    "/sha256",
                    "seed.hash-mismatch",
                    f"SHA-256 of {meta.text_file} is {digest}, not the recorded one",
                    "the archived text must never change; restore it, or if this is a new "
                    "archive, record it as a new seed",
                )
            try:
                raw.decode("utf-8")
                readable = True
            except UnicodeDecodeError:
                out.add(
                    "/text_file",
                    "seed.encoding",
                    f"{meta.text_file} is not valid UTF-8",
                    "archive the text as UTF-8",
                )
        if meta.original_file is not None:
            _check_original(dataset, meta, out)
        findings += out.findings
        shown = dataset.display(path)
        texts[meta.id] = SeedText(
            meta.id, path if readable else None, digest, shown, meta.published
        )
    return texts, findings


def _check_original(dataset: Dataset, meta: SourceDocument, out: Collector) -> None:
    """The file the text was extracted from is archived beside it, unchanged."""
    path = dataset.seed_text_path(str(meta.original_file))
    if path.is_symlink() or not path.is_file():
        out.add(
            "/original_file",
            "seed.original-missing",
            f"original file `{meta.original_file}` is not a file in seeds/",
            "put the archived original beside this metadata file (no links)",
        )
        return
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as error:
        out.add(
            "/original_file",
            "seed.unreadable",
            f"original file `{meta.original_file}` cannot be read: {error.strerror}",
            "check the file's permissions",
        )
        return
    if digest.hexdigest() != meta.original_sha256:
        out.add(
            "/original_sha256",
            "seed.hash-mismatch",
            f"SHA-256 of {meta.original_file} is not the recorded one",
            "the archived original must never change; restore it, or archive a new seed",
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


def claim_cross(file: DataFile, claim: Claim, seeds: dict[str, SeedText]) -> list[Finding]:
    """Seed references resolve, every quote occurs in its seed and its offsets point at it."""
    pending: list[tuple[str, str, str, str]] = []
    refs = [(f"/evidence/{i}/seed", q.seed) for i, q in enumerate(claim.evidence)]
    refs += [(f"/attribution/{i}/seed", a.seed) for i, a in enumerate(claim.attribution) if a.seed]
    for ptr, seed_id in refs:
        if seed_id not in seeds:
            pending.append(
                (
                    ptr,
                    "seed.missing",
                    f"seed `{seed_id}` is not in seeds/",
                    f"archive the source as seeds/{seed_id}.yaml with its text, or fix the id",
                )
            )
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
    if document is _NOT_JSON:
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
    if document is _NOT_JSON:
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
