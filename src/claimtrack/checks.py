"""Validation, in order of cost: file → YAML → JSON Schema → model rules → cross-record rules.

:func:`check_file` is a pure function of one file's bytes (and the schema); it returns a
:class:`FileResult` with the findings and, when the file is valid, the model. :func:`cross_check`
then looks at all records together: ids, seed references and hashes, and every quote against
its archived text. :func:`validate` runs both over a dataset and never raises on bad data.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match

from claimtrack import schema as schemas
from claimtrack.dataset import DataFile, Dataset
from claimtrack.findings import Finding, Severity, pointer
from claimtrack.models import Claim, SourceDocument
from claimtrack.parsing import Document, YamlProblem, load_bytes, locate, locate_key, scalar_at
from claimtrack.quotes import NormalisedText, check_quote
from claimtrack.rules import claim_violations

Record = Claim | SourceDocument


@dataclass
class FileResult:
    """What checking one file found, and the record when it is valid."""

    file: DataFile
    findings: list[Finding] = field(default_factory=list)
    record: Record | None = None


@dataclass
class ValidationReport:
    """The result of validating a dataset (or some of its files)."""

    root: Path
    files_checked: int
    findings: list[Finding]
    claims: list[Claim]
    seeds: list[SourceDocument]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------- per file


@cache
def _validator(schema_bytes: bytes) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_bytes)
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _schema_bytes(dataset: Dataset, kind: str) -> bytes:
    """The dataset's committed schema, or the models' own when the dataset has none."""
    schema = schemas.CLAIM_SCHEMA if kind == "claim" else schemas.SEED_SCHEMA
    committed = dataset.schemas_dir / schema.file_name
    try:
        return committed.read_bytes()
    except OSError:
        return schemas.render(schema)


class _Collector:
    """Builds findings for one file, locating pointers in its YAML tree."""

    def __init__(
        self, file: DataFile, doc: Document | None = None, schema: dict[str, Any] | None = None
    ) -> None:
        self.file = file
        self.doc = doc
        self.schema = schema or {}
        self.findings: list[Finding] = []

    def resolve(self, branch: dict[str, Any]) -> dict[str, Any]:
        """Follow a local `$ref` (`#/$defs/Name`) to the schema it names."""
        ref = branch.get("$ref", "")
        if ref.startswith("#/$defs/"):
            resolved: dict[str, Any] = self.schema.get("$defs", {}).get(ref[8:], branch)
            return resolved
        return branch

    def add(
        self,
        ptr: str,
        rule: str,
        message: str,
        hint: str,
        *,
        key: str | None = None,
        severity: Severity = "error",
        at: tuple[int, int] | None = None,
    ) -> None:
        if at is None:
            at = (0, 0)
            if self.doc is not None:
                at = locate_key(self.doc.node, ptr, key) if key else locate(self.doc.node, ptr)
        self.findings.append(
            Finding(self.file.display, at[0], at[1], ptr, rule, severity, message, hint)
        )


def check_file(file: DataFile, schema_bytes: bytes) -> FileResult:
    """Check one record file on its own: readable, YAML, schema, model rules, id = file name."""
    result = FileResult(file)
    out = _Collector(file)
    if file.path.is_symlink():
        out.add(
            "",
            "file.symlink",
            "a record file must not be a symbolic link",
            "replace the link with the file itself, inside the dataset",
        )
    elif not file.path.is_file():
        out.add(
            "",
            "file.not-a-file",
            "expected a YAML file, found a folder or special file",
            "rename or remove it: only record files belong here",
        )
    else:
        _check_content(file, schema_bytes, out, result)
    result.findings = out.findings
    return result


def _check_content(
    file: DataFile, schema_bytes: bytes, out: _Collector, result: FileResult
) -> None:
    try:
        raw = file.path.read_bytes()
        doc = load_bytes(raw)
    except OSError as exc:
        out.add(
            "",
            "file.unreadable",
            f"cannot read the file: {exc.strerror}",
            "check the file's permissions",
        )
        return
    except YamlProblem as problem:
        out.add("", problem.rule, problem.message, problem.hint, at=(problem.line, problem.column))
        return
    out.doc = doc
    validator = _validator(schema_bytes)
    out.schema = dict(validator.schema) if isinstance(validator.schema, Mapping) else {}
    if not isinstance(doc.data, dict):
        out.add(
            "",
            "schema.type",
            f"expected a mapping of fields, found {_type_name(doc.data)}",
            "a record file is a mapping: `field: value` lines",
        )
        return
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: e.json_path)
    if errors:
        for error in _most_telling(errors):
            _schema_finding(error, out)
        return
    model = Claim if file.kind == "claim" else SourceDocument
    try:
        record = model.model_validate(doc.data, context={"defer_rules": True})
    except pydantic.ValidationError as exc:
        for err in exc.errors(include_url=False):
            ptr = _pointer_from_loc(doc.data, err["loc"])
            out.add(ptr, f"model.{err['type']}", err["msg"], _MODEL_HINTS.get(err["type"], ""))
        return
    if isinstance(record, Claim):
        for v in claim_violations(record):
            out.add(v.pointer, f"model.{v.code}", v.message, v.hint)
    stem = file.path.name.removesuffix(".yaml")
    if record.id != stem:
        out.add(
            "/id",
            "id.file-name",
            f"id `{record.id}` differs from the file name `{stem}`",
            f"rename the file to `{record.id}.yaml`, or set `id: {stem}`",
        )
    if not out.findings:
        result.record = record


_MODEL_HINTS = {
    "future-date": "dates record what has happened: use today's date or earlier",
    "invalid-date": "write a real calendar date as YYYY-MM-DD",
    "unknown-currency": "use an ISO 4217 code such as GBP, EUR or USD",
    "unknown-country": "use an ISO 3166-1 alpha-2 code such as GB, FR or US",
    "inexact-amount": "write the amount as an integer or a quoted decimal string",
    "invalid-duration": "write a duration such as P10Y, P6M or P1Y6M",
}


def _most_telling(errors: list[SchemaError]) -> list[SchemaError]:
    """One error per location when the type is wrong: the type error says it all."""
    typed = {e.json_path for e in errors if e.validator == "type"}
    return [e for e in errors if e.validator == "type" or e.json_path not in typed]


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


def _type_name(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def _schema_of(error: SchemaError) -> dict[str, Any]:
    return dict(error.schema) if isinstance(error.schema, Mapping) else {}


def _expected(error: SchemaError) -> Any:
    """The value of the failed keyword (e.g. the list of required names)."""
    return error.validator_value


def _schema_finding(error: SchemaError, out: _Collector) -> None:
    ptr = pointer(list(error.absolute_path))
    kind = error.validator
    instance: Any = error.instance
    if kind in ("oneOf", "anyOf"):
        _union_finding(error, out, ptr)
    elif kind == "required":
        missing = [k for k in _expected(error) if k not in instance]
        for name in missing:
            desc = _schema_of(error).get("properties", {}).get(name, {}).get("description", "")
            out.add(
                ptr,
                "schema.required",
                f"required field `{name}` is missing",
                f"add `{name}:`" + (f" ({desc})" if desc else ""),
            )
    elif kind == "additionalProperties":
        allowed = list(_schema_of(error).get("properties", {}))
        for name in [str(k) for k in instance if k not in allowed]:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
            out.add(
                pointer([*error.absolute_path, name]),
                "schema.unknown-field",
                f"unknown field `{name}`",
                hint,
                key=name,
            )
    elif kind == "type":
        _type_finding(error, out, ptr)
    elif kind == "enum":
        options = [str(v) for v in _expected(error)]
        close = difflib.get_close_matches(str(error.instance), options, n=1)
        hint = (f"did you mean `{close[0]}`? " if close else "") + "allowed: " + ", ".join(options)
        out.add(ptr, "schema.enum", f"`{error.instance}` is not an allowed value", hint)
    elif kind == "const":
        out.add(
            ptr,
            "schema.const",
            f"`{error.instance}` must be `{_expected(error)}`",
            f"set it to {_expected(error)!r}",
        )
    else:
        desc = (
            _schema_of(error).get("description", "") or "see this field's description in the schema"
        )
        messages = {
            "pattern": f"`{error.instance}` is not in the expected form",
            "format": f"`{error.instance}` is not a valid {_expected(error)}",
            "minItems": f"needs at least {_expected(error)} item(s)",
            "minLength": "must not be empty",
            "maxLength": f"is longer than {_expected(error)} characters",
        }
        out.add(ptr, f"schema.{kind}", messages.get(str(kind), error.message), desc)


def _type_finding(error: SchemaError, out: _Collector, ptr: str) -> None:
    expected = _expected(error)
    found = _type_name(error.instance)
    words = {
        "string": "text",
        "boolean": "true or false",
        "integer": "a whole number",
        "array": "a list",
        "object": "a mapping of fields",
        "null": "null",
    }
    hint = f"write {words.get(str(expected), expected)} here"
    if isinstance(error.instance, float):
        hint = "amounts are exact: write an integer, or a quoted decimal such as '1500.50'"
    node = scalar_at(out.doc.node, ptr) if out.doc else None
    if expected == "string" and node is not None and not node.style:  # plain: '' or None
        hint = f'YAML read the unquoted `{node.value}` as {found}: quote it, `"{node.value}"`'
    out.add(ptr, "schema.type", f"expected {expected}, found {found}", hint)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def _is_type(value: Any, json_type: Any) -> bool:
    if not isinstance(json_type, str) or json_type not in _JSON_TYPES:
        return False
    if isinstance(value, bool) and json_type in ("integer", "number"):
        return False
    return isinstance(value, _JSON_TYPES[json_type])


def _union_finding(error: SchemaError, out: _Collector, ptr: str) -> None:
    branches = [out.resolve(b) for b in _expected(error)]
    candidates = list(range(len(branches)))
    same_type = [i for i in candidates if _is_type(error.instance, branches[i].get("type"))]
    if same_type:  # e.g. a string given to `integer | string`: the string branch is meant
        candidates = same_type
    elif error.instance is not None:  # a nullable field: the null branch is not what was meant
        candidates = [i for i in candidates if branches[i].get("type") != "null"]
    consts = [b.get("properties", {}).get("type", {}).get("const") for b in branches]
    if isinstance(error.instance, dict) and any(consts):
        tag = error.instance.get("type")
        if tag not in consts:
            out.add(
                ptr + "/type",
                "schema.enum",
                f"`{tag}` is not a known value type",
                "allowed: " + ", ".join(c for c in consts if c),
            )
            return
        candidates = [consts.index(tag)]
    if len(candidates) == 1:
        for sub in error.context or []:
            if sub.relative_schema_path and sub.relative_schema_path[0] == candidates[0]:
                _schema_finding(sub, out)
        return
    best = best_match(error.context or [])
    if best is None:
        out.add(ptr, "schema.invalid", error.message, "see the field in the schema")
        return
    _schema_finding(best, out)


# ---------------------------------------------------------------- cross-record


@dataclass
class _SeedText:
    meta: SourceDocument
    file: DataFile
    text: str | None
    text_display: str
    normalised: NormalisedText | None = None

    def norm(self) -> NormalisedText:
        if self.normalised is None:
            self.normalised = NormalisedText.of(self.text or "")
        return self.normalised


def _relocate(file: DataFile) -> Document | None:
    """Re-parse a file that passed per-file checks, to locate a cross-record finding."""
    try:
        return load_bytes(file.path.read_bytes())
    except (OSError, YamlProblem):
        return None


def _load_seed_texts(dataset: Dataset, seeds: list[FileResult]) -> Iterator[Finding | _SeedText]:
    root = dataset.seeds_dir.resolve()
    for result in seeds:
        meta = result.record
        if not isinstance(meta, SourceDocument):
            continue
        out = _Collector(result.file, _relocate(result.file))
        path = dataset.seeds_dir / meta.text_file
        text: str | None = None
        if not path.is_file() or path.resolve().parent != root:
            out.add(
                "/text_file",
                "seed.text-missing",
                f"archived text `{meta.text_file}` is not a file in seeds/",
                "put the archived text beside this metadata file (no links out of seeds/)",
            )
        else:
            raw = path.read_bytes()
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
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                out.add(
                    "/text_file",
                    "seed.encoding",
                    f"{meta.text_file} is not valid UTF-8",
                    "archive the text as UTF-8",
                )
        yield from out.findings
        yield _SeedText(meta, result.file, text, dataset.display(path))


def cross_check(dataset: Dataset, results: list[FileResult]) -> list[Finding]:
    """Rules across records: unique ids, seed references and hashes, quotes in their seeds."""
    findings: list[Finding] = []
    seeds: dict[str, _SeedText] = {}
    for item in _load_seed_texts(dataset, [r for r in results if r.file.kind == "seed"]):
        if isinstance(item, Finding):
            findings.append(item)
        else:
            seeds[item.meta.id] = item
    findings += _duplicate_ids(results)
    for result in results:
        if isinstance(result.record, Claim):
            findings += _claim_cross(result.file, result.record, seeds)
    return findings


def _duplicate_ids(results: list[FileResult]) -> list[Finding]:
    """Ids are file names: two files whose names differ only in case clash (and cannot both
    exist on macOS or Windows checkouts)."""
    by_key: dict[tuple[str, str], list[FileResult]] = defaultdict(list)
    for result in results:
        by_key[(result.file.kind, result.file.path.stem.casefold())].append(result)
    findings = []
    for group in by_key.values():
        for result in group[1:]:
            out = _Collector(result.file, _relocate(result.file))
            out.add(
                "/id",
                "id.duplicate",
                f"id `{result.file.path.stem}` is also used by {group[0].file.display} "
                "(ids are compared ignoring case)",
                "give this record its own id and file name",
            )
            findings += out.findings
    return findings


def _claim_cross(file: DataFile, claim: Claim, seeds: dict[str, _SeedText]) -> list[Finding]:
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
        check = check_quote(seed.norm(), seed.text, quote.text, quote.start, quote.end)
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
    if not pending:
        return []
    out = _Collector(file, _relocate(file))  # positions are parsed only when there is a finding
    for ptr, rule, message, hint in pending:
        out.add(ptr, rule, message, hint)
    return out.findings


def _not_found_hint(prefix: int, seed_display: str) -> str:
    if prefix >= 8:
        return (
            f"the first {prefix} characters match the seed, then the text differs: "
            f"copy the passage exactly from the archived text of {seed_display}"
        )
    return f"copy the passage exactly, in the original language, from the text of {seed_display}"


# ---------------------------------------------------------------- dataset


def _schema_freshness(dataset: Dataset) -> list[Finding]:
    findings: list[Finding] = []
    if not dataset.schemas_dir.is_dir():
        return findings
    for item in schemas.status(dataset.root):
        if item.state != "current":
            findings.append(
                Finding(
                    dataset.display(item.path),
                    0,
                    0,
                    "",
                    f"schema.{item.state}",
                    "error",
                    f"the committed schema is {item.state}: it does not match claimtrack's models",
                    "run `claimtrack schema` to regenerate it, and commit the result",
                )
            )
    return findings


def validate(dataset: Dataset, paths: Sequence[Path] | None = None) -> ValidationReport:
    """Validate the dataset, or only ``paths`` within it (cross-record rules still see all seeds).

    Never raises on bad data: every problem is a finding in the report.
    """
    selected = dataset.select(paths) if paths else dataset.all_files()
    seen = {f.path.absolute() for f in selected}
    context = [f for f in dataset.all_files() if f.path.absolute() not in seen]
    results = [check_file(f, _schema_bytes(dataset, f.kind)) for f in selected]
    extra = [check_file(f, _schema_bytes(dataset, f.kind)) for f in context]
    findings = [f for r in results for f in r.findings]
    shown = {r.file.display for r in results}
    findings += [f for f in cross_check(dataset, results + extra) if f.path in shown]
    findings += _schema_freshness(dataset)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return ValidationReport(
        root=dataset.root,
        files_checked=len(results),
        findings=findings,
        claims=[r.record for r in results if isinstance(r.record, Claim)],
        seeds=[r.record for r in results + extra if isinstance(r.record, SourceDocument)],
    )
