"""What a dataset must hold before it is published, checked by `validate` and `release`:

- its identity file (`dataset.yaml`) is valid (:func:`identity`);
- every `quotes_only` source is quoted within its budget (:func:`budget_findings`);
- for a release, a name, a licence, a methodology and a corrections policy
  (:func:`release_blockers`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pydantic

from claimtrack.model.identity import DatasetIdentity
from claimtrack.model.records import SourceDocument
from claimtrack.model.rulebook import Scope, declare
from claimtrack.model.seedlist import seed_lines
from claimtrack.store.atomic import atomic_write_text
from claimtrack.store.files import FileTooLarge, read_bounded
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.store.policies import identity_path, policy_problems
from claimtrack.store.yaml_read import YamlProblem, load_bytes
from claimtrack.validate import budget as budget_module
from claimtrack.validate.budget import ClaimSpans, Coverage, SeedCoverage, seed_state
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.collector import Collector
from claimtrack.validate.findings import Finding, Severity
from claimtrack.validate.kept_claims import claim_records
from claimtrack.validate.keys import ClaimKeys
from claimtrack.validate.result import ValidationReport
from claimtrack.validate.seed_texts import relocate

# the rules checked here (docs/rules.md)
declare(
    "seed.orphan",
    "A file in seeds/ that no seed names (left by an interrupted `seed add`).",
    Scope.DATASET,
    example="tests/acceptance/test_intake.py::test_an_interrupted_seed_add_does_not_block_the_next",
)
declare(
    "publish.quote-budget",
    (
        "The published quotes of a `quotes_only` source cover more of its text than its quote "
        "budget allows (default: a quarter)."
    ),
    Scope.DATASET,
    example="tests/acceptance/test_publishing.py::test_a_source_over_its_budget_is_a_warning_and_refused_at_release",
)
declare(
    "publish.quote-too-long",
    (
        "A quote of a `quotes_only` source is longer than its budget's longest quote (default: "
        "200 characters)."
    ),
    Scope.DATASET,
    example="tests/acceptance/test_publishing.py::test_a_seed_sets_its_own_budget_within_a_third",
)
declare(
    "identity.invalid",
    "`dataset.yaml` (the dataset's identity) is not valid.",
    Scope.DATASET,
    example="tests/acceptance/test_publishing.py::test_validate_names_what_is_wrong_in_the_identity",
)

MAX_IDENTITY_BYTES = 64 << 10


@dataclass(frozen=True)
class Identity:
    """The dataset's identity as read: the model (None when absent or invalid) and findings."""

    model: DatasetIdentity | None
    present: bool
    findings: list[Finding]


def identity(dataset: Dataset) -> Identity:
    """Read and check `dataset.yaml`; a dataset without one has no identity (and no finding)."""
    path = identity_path(dataset.root)
    if not path.exists() and not path.is_symlink():
        return Identity(None, False, [])
    out = Collector(DataFile(path, "seed", dataset.display(path)))
    fix = "see `claimtrack init`'s template, or docs/publishing.md"
    try:
        if path.is_symlink() or not path.is_file():
            out.add("", "identity.invalid", "dataset.yaml is not a plain file", fix)
            return Identity(None, True, out.findings)
        doc = load_bytes(read_bounded(path, MAX_IDENTITY_BYTES))
    except (OSError, FileTooLarge) as error:
        out.add("", "identity.invalid", f"dataset.yaml cannot be read: {error}", fix)
        return Identity(None, True, out.findings)
    except YamlProblem as problem:
        out.add("", problem.rule, problem.message, problem.hint, at=(problem.line, problem.column))
        return Identity(None, True, out.findings)
    out.doc = doc
    try:
        model = DatasetIdentity.model_validate(doc.data)
    except pydantic.ValidationError as error:
        for err in error.errors(include_url=False):
            ptr = "".join(f"/{part}" for part in err["loc"] if isinstance(part, str | int))
            out.add(
                ptr if _exists(doc.data, err["loc"]) else "", "identity.invalid", err["msg"], fix
            )
        return Identity(None, True, out.findings)
    return Identity(model, True, [])


def _exists(data: Any, loc: Iterable[Any]) -> bool:
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        else:
            return False
    return True


def identity_findings(dataset: Dataset, cache: ResultCache | None) -> list[Finding]:
    """The findings of `dataset.yaml`, kept in the cache folder by the file's bytes and the code
    that checks it (the SPDX list takes longer to load than a warm run of a small dataset)."""
    path = identity_path(dataset.root)
    try:
        raw = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        raw = None
    if raw is None or cache is None or len(raw) > MAX_IDENTITY_BYTES:
        return identity(dataset).findings
    digest = hashlib.sha256(raw)
    digest.update(Path(__file__).read_bytes())
    digest.update(str(dataset.display(path)).encode("utf-8", "surrogateescape"))
    kept = cache.path.parent / "identity" / f"{digest.hexdigest()}.json"
    try:
        return [Finding(**item) for item in json.loads(kept.read_bytes())]
    except (OSError, ValueError, TypeError):
        pass
    findings = identity(dataset).findings
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        atomic_write_text(kept, json.dumps([f.as_dict() for f in findings]))
    return findings


def release_blockers(dataset: Dataset) -> list[tuple[str, str]]:
    """(what is missing, how to fix it) for each thing a release needs and the dataset lacks:
    an identity with a name and a licence, a methodology and a corrections policy."""
    found = identity(dataset)
    blockers = []
    if not found.present:
        blockers.append(
            (
                "there is no dataset.yaml (the dataset's name, publisher and licence)",
                "write dataset.yaml at the dataset root (`claimtrack init` writes a template; "
                "docs/publishing.md explains each field)",
            )
        )
    elif found.model is None:
        blockers.append(
            ("dataset.yaml is not valid", "run `claimtrack validate` to see what to fix")
        )
    else:
        for name in found.model.missing_for_release():
            example = "city-budget-claims" if name == "name" else "CC-BY-4.0"
            blockers.append(
                (f"dataset.yaml has no `{name}`", f"set `{name}:` in dataset.yaml, e.g. {example}")
            )
    for file, problem in policy_problems(dataset.root):
        blockers.append(
            (
                f"{file} {problem}",
                f"write {file} at the dataset root, in your own words, and remove the template "
                "line (docs/publishing.md says what readers expect in it)",
            )
        )
    return blockers


def _text(dataset: Dataset, seeds: list[SourceDocument], seed_id: str) -> str | None:
    seed = next((s for s in seeds if s.id == seed_id), None)
    if seed is None:
        return None
    try:
        return dataset.seed_text_path(seed.text_file).read_text("utf-8")
    except (OSError, UnicodeError):
        return None


def budget_findings(
    dataset: Dataset, results: Iterable[SeedCoverage], severity: Severity = "error"
) -> list[Finding]:
    """A finding for each seed over its budget (on the seed) and each quote over the longest
    allowed (on the claim): warnings for `validate` (work goes on), errors for `release`."""
    findings: list[Finding] = []
    for seed in results:
        if seed.over:
            path = dataset.seeds_dir / f"{seed.seed_id}.yaml"
            file = DataFile(path, "seed", dataset.display(path))
            out = Collector(file, load_doc=partial(relocate, file))
            top = ", ".join(f"{claim} ({count:,} characters)" for claim, count in seed.top_claims())
            out.add(
                "/redistribution",
                "publish.quote-budget",
                f"the published quotes of seed `{seed.seed_id}` cover {seed.share:.1%} of its "
                f"{seed.characters:,} characters; its budget is {seed.share_allowed:.0%} "
                "(`redistribution: quotes_only`)",
                f"trim the quotes to the words each claim needs, starting with those that quote "
                f"it most: {top}; or set `redistribution: none`",
                severity=severity,
            )
            findings += out.findings
        for display, claim_id, position, quote_id, length in seed.long_quotes:
            file = DataFile(Path(display), "claim", display)
            out = Collector(file, load_doc=partial(relocate, file))
            out.add(
                f"/evidence/{position}/text",
                "publish.quote-too-long",
                f"quote `{quote_id}` of claim `{claim_id}` is {length} characters; seed "
                f"`{seed.seed_id}` allows quotes of at most {seed.max_quote}",
                "cut the quote to the words the claim needs (a claim may cite several short "
                "quotes), and run `claimtrack fix` to set its offsets",
                severity=severity,
            )
            findings += out.findings
    return findings


def check_budget(
    dataset: Dataset,
    report: ValidationReport,
    cache: ResultCache | None,
    severity: Severity = "error",
) -> tuple[list[SeedCoverage], list[Finding]]:
    """Each `quotes_only` seed's coverage and the findings of those over budget, for a whole
    dataset's validation report (made with its keys and seeds)."""
    if not any_quotes_only(report):
        return [], []
    seeds = list(report.seeds)
    keys = ClaimKeys.of(dataset, report)
    kept = _KeptCoverage(cache, keys, seeds, dataset) if cache is not None else None
    loaded = kept.load() if kept is not None else None
    if loaded is not None:
        results, findings = loaded
    else:
        found = Coverage(seeds, partial(_text, dataset, seeds))
        _add_claims(dataset, keys, seeds, cache, found)
        results = found.results()
        findings = budget_findings(dataset, results, "warning")  # positions found once
        if kept is not None:
            kept.save(results, findings)
    return results, [dataclasses.replace(f, severity=severity) for f in findings]


def any_quotes_only(report: ValidationReport) -> bool:
    """Whether any of the report's seeds is `quotes_only` (read from their JSON)."""
    return any(b'"redistribution":"quotes_only"' in line for line in _seed_lines(report))


def _claim_id(display: str) -> str:
    return display.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".yaml")


def _add_claims(
    dataset: Dataset,
    keys: ClaimKeys,
    seeds: list[SourceDocument],
    cache: ResultCache | None,
    found: Coverage,
) -> None:
    """Every claim's spans into ``found``: kept in the cache by the claim's key while the seeds
    it names are unchanged (one changed claim is one claim read), else made from its record."""
    states = {s.id: seed_state(s) for s in seeds}
    for chunk in keys.chunks():
        kept = cache.get_spans(list(chunk.values())) if cache is not None else {}
        missing = {}
        for display, key in chunk.items():
            entry = _kept_spans(kept.get(key), states)
            if entry is None:
                missing[display] = key
            else:
                found.add_spans(display, _claim_id(display), entry)
        by_id = {_claim_id(d): (d, k) for d, k in missing.items()}
        for claim in claim_records(dataset, missing, cache) if missing else []:
            display, key = by_id.get(claim.id, ("", ""))
            entry = found.spans_of(claim, states)
            found.add_spans(display, claim.id, entry)
            if cache is not None and key:
                cache.put_spans(key, entry.as_json())
    if cache is not None:
        cache.commit()


def _kept_spans(text: str | None, states: dict[str, str]) -> ClaimSpans | None:
    """A kept entry, if it is whole and made against the seeds as they are now."""
    if text is None:
        return None
    try:
        entry = ClaimSpans.from_json(text)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if any(states.get(seed, "<absent>") != state for seed, state in entry.seeds.items()):
        return None
    return entry


class _KeptCoverage:
    """The coverage of a dataset's state, kept in the cache folder: the claims' cache keys (their
    content), the seeds' metadata (policy, budget, text hash) and this module's code decide it.
    A run where nothing changed reads it back instead of reading every claim."""

    def __init__(
        self, cache: ResultCache, keys: ClaimKeys, seeds: list[SourceDocument], dataset: Dataset
    ) -> None:
        digest = hashlib.sha256()
        for part in (Path(__file__), Path(budget_module.__file__)):
            digest.update(part.read_bytes())
        digest.update(str(dataset.root.resolve()).encode("utf-8", "surrogateescape"))
        digest.update(str(Path.cwd()).encode("utf-8", "surrogateescape"))  # findings' paths
        digest.update(str(dataset.texts_dir or "").encode("utf-8", "surrogateescape"))
        for seed in sorted(seeds, key=lambda s: s.id):
            digest.update(seed.model_dump_json().encode("utf-8"))
        frame = keys.frame.select("display", "key")
        digest.update(frame.write_ipc(None, compression="uncompressed").getvalue())
        self.path = cache.path.parent / "budget" / f"{digest.hexdigest()}.json"

    def load(self) -> tuple[list[SeedCoverage], list[Finding]] | None:
        """The kept results, and their findings (whose positions took a parse of each file)."""
        try:
            kept = json.loads(self.path.read_bytes())
            results = [SeedCoverage.from_json(row) for row in kept["seeds"]]
            return results, [Finding(**item) for item in kept["findings"]]
        except (OSError, ValueError, TypeError, KeyError):
            return None  # none kept, or damaged: computed again

    def save(self, results: list[SeedCoverage], findings: list[Finding]) -> None:
        body = {
            "seeds": [r.as_json() for r in results],
            "findings": [f.as_dict() for f in findings],
        }
        try:
            folder = self.path.parent
            if folder.is_dir():
                for old in folder.glob("*.json"):  # one dataset state kept at a time
                    old.unlink(missing_ok=True)
            atomic_write_text(self.path, json.dumps(body))
        except OSError:
            pass  # a cache that cannot be written only costs time


def _seed_lines(report: ValidationReport) -> Iterator[bytes]:
    """The report's seeds as JSON lines: as a kept run stored them, without a model each."""
    if report.seed_lines is not None:
        return (line for line in report.seed_lines.split(b"\n") if line.strip())
    return seed_lines(report.seeds)


_NAMED = re.compile(rb'"(id|text_file|original_file)":"((?:[^"\\]|\\.)*)"')


def _seed_file_names(report: ValidationReport) -> set[str]:
    """The file names in `seeds/` that the report's seeds name, read from their JSON in one
    pass (ids, text files and originals are plain names: no escapes to undo)."""
    names: set[str] = set()
    for key, value in _NAMED.findall(b"".join(_seed_lines(report))):
        # a name without escapes is its bytes; one with them, JSON's to undo
        name = json.loads(b'"' + value + b'"') if b"\\" in value else value.decode("utf-8")
        names.add(f"{name}.yaml" if key == b"id" else name)
    return names


def orphan_files(dataset: Dataset, report: ValidationReport) -> list[Finding]:
    """A warning for each file in `seeds/` that no seed names (what an interrupted `seed add`
    leaves): it would be neither validated nor released."""
    folder = dataset.seeds_dir
    if not folder.is_dir():
        return []
    named = _seed_file_names(report)
    findings = []
    for name in sorted(entry.name for entry in os.scandir(folder)):
        if name.startswith(".") or name in named or name.endswith(".yaml"):
            continue
        path = folder / name
        out = Collector(DataFile(path, "seed", dataset.display(path)))
        out.add(
            "",
            "seed.orphan",
            f"`{path.name}` in seeds/ belongs to no seed",
            "an interrupted `seed add` leaves such files: run it again (it replaces them), or "
            "remove the file",
            severity="warning",
            at=(1, 1),
        )
        findings += out.findings
    return findings


def publication_findings(
    dataset: Dataset, report: ValidationReport, cache: ResultCache | None
) -> list[Finding]:
    """What a whole-dataset validation adds: the identity file's findings, and, once the records
    are valid, the quote budget's as warnings (`release` refuses them)."""
    findings = identity_findings(dataset, cache)
    if report.ok:
        findings += orphan_files(dataset, report)
        if any_quotes_only(report) and report.seed_lines is not None:
            from claimtrack.validate.warm import validate_dataset  # noqa: PLC0415

            # a warm run that left out the seeds and keys: the budget needs them
            report = validate_dataset(dataset, cache=cache)
        findings += check_budget(dataset, report, cache, "warning")[1]
    return findings


def seed_coverage(dataset: Dataset, *, jobs: int = 1, cache: bool = True) -> list[SeedCoverage]:
    """What the working tree publishes of each `quotes_only` seed (empty when it has findings:
    `validate` says what to fix first)."""
    from claimtrack.validate.cache import default_dir  # noqa: PLC0415
    from claimtrack.validate.warm import validate_dataset  # noqa: PLC0415

    kept = ResultCache(default_dir()) if cache else None
    try:
        report = validate_dataset(dataset, jobs=jobs, cache=kept)
        return check_budget(dataset, report, kept)[0] if report.ok else []
    finally:
        if kept is not None:
            kept.close()
