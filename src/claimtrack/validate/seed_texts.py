"""The archived texts of the seeds: read once per process within a memory budget, checked against
their recorded SHA-256 (and their original files), and handed to the quote checks.

A text asked for again after it was dropped is read again and must still have its hash: a seed
changed while a run is under way stops the run (:class:`SeedChanged`) rather than check quotes
against another text.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import OrderedDict
from collections.abc import Container
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from claimtrack.exc import InputError
from claimtrack.model.records import SourceDocument
from claimtrack.model.rulebook import Scope, declare
from claimtrack.store.files import MAX_RECORD_BYTES, MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.store.yaml_read import Document, YamlProblem, decode, parse
from claimtrack.validate.collector import Collector
from claimtrack.validate.findings import Finding

# the rules checked here (docs/rules.md)
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

NOT_JSON = object()  # what `SeedText.json()` gives for a text that is not JSON


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
        """The entry's text parsed as JSON (once), or ``NOT_JSON``; counted in the budget."""
        if entry.json is None:
            try:
                entry.json = json.loads(entry.text)
            except (ValueError, RecursionError):
                entry.json = NOT_JSON
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
        """The seed's text parsed as JSON (once per read), or ``NOT_JSON``."""
        if self.path is None:
            return NOT_JSON
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
        raw = _raw_text(dataset, meta, path, roots, out)
        digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
        readable = raw is not None and _checked_text(meta, raw, digest, out)
        if meta.original_file is not None:
            _check_original(dataset, meta, out)
        findings += out.findings
        shown = dataset.display(path)
        texts[meta.id] = SeedText(
            meta.id, path if readable else None, digest, shown, meta.published
        )
    return texts, findings


def _raw_text(
    dataset: Dataset, meta: SourceDocument, path: Path, roots: Container[Path], out: Collector
) -> bytes | None:
    """The seed's archived bytes, or None with a finding saying why they cannot be read."""
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
        return None
    try:
        return read_bounded(path, MAX_SEED_BYTES)
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
    return None


def _checked_text(meta: SourceDocument, raw: bytes, digest: str, out: Collector) -> bool:
    """Whether the archived bytes are UTF-8 (findings for a changed or undecodable text)."""
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
    except UnicodeDecodeError:
        out.add(
            "/text_file",
            "seed.encoding",
            f"{meta.text_file} is not valid UTF-8",
            "archive the text as UTF-8",
        )
        return False
    return True


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
