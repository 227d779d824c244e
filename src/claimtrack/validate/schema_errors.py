"""Turning JSON Schema errors into findings that say what is wrong and how to fix it.

The schema stage runs the fast ``jsonschema-rs`` validator first; only a document it rejects is
re-checked with Python ``jsonschema``, whose detailed errors are translated here. Both read the
same committed schema, which stays the contract.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from claimtrack.model.rulebook import RULEBOOK, Scope, declare
from claimtrack.store.pointers import pointer
from claimtrack.store.yaml_positions import scalar_at
from claimtrack.validate.collector import Collector

# the rules checked here (docs/rules.md)
declare("schema.required", "A required field is missing.", Scope.FILE)
declare("schema.unknown-field", "A field the schema does not define (often a typo).", Scope.FILE)
declare(
    "schema.type",
    (
        "A value of the wrong type; unquoted YAML 1.1 values (`no`, `0755`, `12:30:00`) are "
        "explained."
    ),
    Scope.FILE,
)
declare("schema.enum", "A value outside its controlled vocabulary.", Scope.FILE)
declare(
    "schema.const",
    "A value that must be one fixed value (e.g. `schema_version`).",
    Scope.FILE,
    example="tests/acceptance/test_rule_registry.py::test_schema_rules_of_any_committed_schema",
)
declare("schema.pattern", "A string not in its expected form (ids, codes, durations).", Scope.FILE)
declare("schema.format", "A string that is not a valid date or timestamp.", Scope.FILE)
declare("schema.minItems", "A list with fewer items than required.", Scope.FILE)
declare("schema.minLength", "An empty string where text is required.", Scope.FILE)
declare(
    "schema.maxLength",
    "A string longer than allowed (statements: 300 characters).",
    Scope.FILE,
)
declare(
    "schema.invalid",
    "A value that fits none of the allowed shapes.",
    Scope.FILE,
    example="tests/acceptance/test_rule_registry.py::test_schema_rules_of_any_committed_schema",
)

if TYPE_CHECKING:  # jsonschema is imported only to explain a rejected document
    import jsonschema.protocols
    from jsonschema.exceptions import ValidationError as SchemaError
_DECLARED = frozenset(code for code in RULEBOOK if code.startswith("schema."))


@cache
def fast_validator(schema_bytes: bytes) -> Any:
    """jsonschema-rs validator (formats checked), built once per schema."""
    return jsonschema_rs.validator_for(json.loads(schema_bytes), validate_formats=True)


@cache
def detailed_validator(schema_bytes: bytes) -> jsonschema.protocols.Validator:
    """Python jsonschema validator, for the errors of documents the fast one rejects."""
    import jsonschema  # noqa: PLC0415 - slow to import; most runs reject no document

    schema = json.loads(schema_bytes)
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_findings(data: Any, schema_bytes: bytes, out: Collector) -> bool:
    """Add a finding per schema violation; return True when the document conforms."""
    if fast_validator(schema_bytes).is_valid(data):
        return True
    validator = detailed_validator(schema_bytes)
    out.schema = dict(validator.schema) if isinstance(validator.schema, Mapping) else {}
    errors = sorted(validator.iter_errors(data), key=lambda e: e.json_path)
    for error in _most_telling(errors):
        if out.full:
            break
        _schema_finding(error, out)
    # a format only jsonschema-rs checks (e.g. date-time): the model stage reports it precisely
    return not errors


def _most_telling(errors: list[SchemaError]) -> list[SchemaError]:
    """One error per location when the type is wrong: the type error says it all."""
    typed = {e.json_path for e in errors if e.validator == "type"}
    return [e for e in errors if e.validator == "type" or e.json_path not in typed]


def type_name(value: Any) -> str:
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


def _schema_finding(error: SchemaError, out: Collector) -> None:
    ptr = pointer(list(error.absolute_path))
    kind = error.validator
    if kind in ("oneOf", "anyOf"):
        _union_finding(error, out, ptr)
    elif kind == "required":
        _required_finding(error, out, ptr)
    elif kind == "additionalProperties":
        _unknown_fields(error, out)
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
        _form_finding(error, out, ptr, str(kind))


def _required_finding(error: SchemaError, out: Collector, ptr: str) -> None:
    instance: Any = error.instance
    named = re.match(r"^'(.+)' is a required property$", error.message)
    missing = [named.group(1)] if named else [k for k in _expected(error) if k not in instance]
    for name in missing:
        desc = _schema_of(error).get("properties", {}).get(name, {}).get("description", "")
        out.add(
            ptr,
            "schema.required",
            f"required field `{name}` is missing",
            f"add `{name}:`" + (f" ({desc})" if desc else ""),
        )


def _unknown_fields(error: SchemaError, out: Collector) -> None:
    instance: Any = error.instance
    allowed = list(_schema_of(error).get("properties", {}))
    for name in [str(k) for k in instance if k not in allowed]:
        if out.full:
            break
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
        out.add(
            pointer([*error.absolute_path, name]),
            "schema.unknown-field",
            f"unknown field `{name}`",
            hint,
            key=name,
        )


def _form_finding(error: SchemaError, out: Collector, ptr: str, kind: str) -> None:
    """A value not in its form: a pattern, a format, a length or a count of items."""
    desc = _schema_of(error).get("description", "") or "see this field's description in the schema"
    messages = {
        "pattern": f"`{error.instance}` is not in the expected form",
        "format": f"`{error.instance}` is not a valid {_expected(error)}",
        "minItems": f"needs at least {_expected(error)} item(s)",
        "minLength": "must not be empty",
        "maxLength": f"is longer than {_expected(error)} characters",
    }
    code = f"schema.{kind}"  # a keyword no rule names (`not`, `minimum`...): `schema.invalid`
    out.add(
        ptr,
        code if code in _DECLARED else "schema.invalid",
        messages.get(kind, error.message),
        desc,
    )


def _type_finding(error: SchemaError, out: Collector, ptr: str) -> None:
    expected = _expected(error)
    found = type_name(error.instance)
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


def _union_finding(error: SchemaError, out: Collector, ptr: str) -> None:
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
    from jsonschema.exceptions import best_match  # noqa: PLC0415 - see detailed_validator

    best = best_match(error.context or [])
    if best is None:
        out.add(ptr, "schema.invalid", error.message, "see the field in the schema")
        return
    _schema_finding(best, out)
