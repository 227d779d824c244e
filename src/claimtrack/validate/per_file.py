"""Per-file validation, in order of cost: bytes → YAML → JSON Schema → model rules → id.

:func:`check_file` is a pure function of one file's bytes, name and the schema: it can run in any
process and its result can be cached by content. Rules across records are in
:mod:`claimtrack.crosscheck`; the whole run is orchestrated by :mod:`claimtrack.validation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pydantic

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.rulebook import Scope, declare
from claimtrack.model.rules import claim_violations, seed_violations
from claimtrack.store.files import MAX_RECORD_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import DataFile
from claimtrack.store.pointers import pointer
from claimtrack.store.yaml_read import Document, YamlProblem, load_bytes
from claimtrack.validate.collector import Collector
from claimtrack.validate.findings import Finding
from claimtrack.validate.schema_errors import schema_findings, type_name

# the rules checked here (docs/rules.md)
declare(
    "file.unreadable",
    "The file cannot be read (permissions, I/O error).",
    Scope.FILE,
    example="tests/acceptance/test_rule_registry.py::test_a_record_file_that_cannot_be_read",
)
declare(
    "file.not-a-file",
    "A folder or special file stands where a record file is expected.",
    Scope.FILE,
    example="tests/acceptance/test_validate.py::test_folder_and_symlink_in_place_of_claim_files",
)
declare(
    "file.symlink",
    "A record file is a symbolic link; links may lead outside the dataset.",
    Scope.FILE,
    example="tests/acceptance/test_validate.py::test_folder_and_symlink_in_place_of_claim_files",
)
declare(
    "file.too-large",
    "The file is over 1 MiB; record files are a few KB.",
    Scope.FILE,
    example="tests/acceptance/test_security.py::test_a_huge_record_file_is_refused_before_it_is_read",
)
declare(
    "id.file-name",
    "A record's id differs from its file name.",
    Scope.FILE,
    fix="sets `id` to the file name when the name is an id (files are never renamed)",
)

Record = Claim | SourceDocument


@dataclass
class FileResult:
    """What checking one file found.

    ``valid`` says the file passed every per-file check; ``record`` is its model, when loaded
    (a result served from the cache carries no record unless one was asked for).
    """

    file: DataFile
    findings: list[Finding] = field(default_factory=list)
    record: Record | None = None
    valid: bool = False
    digest: str = ""


_MODEL_HINTS = {
    "future-date": "dates record what has happened: use today's date or earlier",
    "invalid-date": "write a real calendar date as YYYY-MM-DD",
    "unknown-currency": "use an ISO 4217 code such as GBP, EUR or USD",
    "unknown-country": "use an ISO 3166-1 alpha-2 code such as GB, FR or US",
    "inexact-amount": "write the amount as an integer or a quoted decimal string",
    "invalid-duration": "write a duration such as P10Y, P6M or P1Y6M",
    "naive-timestamp": "add the UTC offset, e.g. '2026-11-28T11:30:00Z'",
}
_DEFAULT_HINT = "see this field's description in the schema (schemas/) or docs/data-dictionary.md"


def check_file(file: DataFile, schema_bytes: bytes, raw: bytes | None = None) -> FileResult:
    """Check one record file on its own: readable, YAML, schema, model rules, id = file name.

    ``raw`` is the file's content when the caller has read it already.
    """
    result = FileResult(file)
    out = Collector(file)
    path = file.path
    if path.is_symlink():
        out.add(
            "",
            "file.symlink",
            "a record file must not be a symbolic link",
            "replace the link with the file itself, inside the dataset",
        )
    elif raw is None and not path.is_file():
        out.add(
            "",
            "file.not-a-file",
            "expected a YAML file, found a folder or special file",
            "rename or remove it: only record files belong here",
        )
    else:
        result.record = _check_content(file, schema_bytes, out, raw)
    result.findings = out.findings
    result.valid = result.record is not None
    return result


def _document(file: DataFile, out: Collector, raw: bytes | None) -> Document | None:
    """The file parsed, or None with a finding that says why it cannot be."""
    try:
        return load_bytes(read_bounded(file.path, MAX_RECORD_BYTES) if raw is None else raw)
    except FileTooLarge as exc:
        out.add(
            "",
            "file.too-large",
            f"file is {exc.size:,} bytes; the limit is {exc.limit:,}",
            "a claim or seed metadata file is a few KB: split it, or check it is the right file",
        )
        return None
    except OSError as exc:
        out.add(
            "",
            "file.unreadable",
            f"cannot read the file: {exc.strerror}",
            "check the file's permissions",
        )
        return None
    except YamlProblem as problem:
        out.add("", problem.rule, problem.message, problem.hint, at=(problem.line, problem.column))
        return None


def _check_content(
    file: DataFile, schema_bytes: bytes, out: Collector, raw: bytes | None
) -> Record | None:
    doc = _document(file, out, raw)
    if doc is None:
        return None
    out.doc = doc
    if not isinstance(doc.data, dict):
        out.add(
            "",
            "schema.type",
            f"expected a mapping of fields, found {type_name(doc.data)}",
            "a record file is a mapping: `field: value` lines",
        )
        return None
    if not schema_findings(doc.data, schema_bytes, out) and out.findings:
        return None
    model = Claim if file.kind == "claim" else SourceDocument
    try:
        record = model.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        for err in exc.errors(include_url=False):
            ptr = _pointer_from_loc(doc.data, err["loc"])
            hint = _MODEL_HINTS.get(err["type"], _DEFAULT_HINT)
            out.add(ptr, f"model.{err['type']}", err["msg"], hint)
        return None
    violations = claim_violations(record) if isinstance(record, Claim) else seed_violations(record)
    for v in violations:
        out.add(v.pointer, f"model.{v.code}", v.message, v.hint)
    stem = file.name.removesuffix(".yaml")
    if record.id != stem:
        out.add(
            "/id",
            "id.file-name",
            f"id `{record.id}` differs from the file name `{stem}`",
            f"rename the file to `{record.id}.yaml`, or set `id: {stem}`",
        )
    return None if out.findings else record


def _pointer_from_loc(data: Any, loc: Sequence[int | str]) -> str:
    """A JSON pointer from a pydantic error location, skipping union tags absent from the data."""
    parts: list[str | int] = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            node = node[part]
            parts.append(part)
    return pointer(parts)
