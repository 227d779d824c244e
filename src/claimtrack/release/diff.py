"""Semantic differences between two versions of a dataset, and the version bump they need.

Rules: removing a claim, removing or retyping a table column, or changing the schema version is
**major**; adding claims or columns, or changing a claim's status, value, attribution, evidence
or other data is **minor**; changing only wording (statement, notes, reasons, translations,
original wording, a link's context) is **patch**; a changed attribution, subject, value or
response is **minor**.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from claimtrack.store.releases import Bump

ORDER: dict[Bump, int] = {"none": 0, "patch": 1, "minor": 2, "major": 3}

# Field paths (numbers stripped) whose change is a wording fix.
WORDING = {
    "statement",
    "notes",
    "original.text",
    "history.reason",
    "history.note",
    "evidence.translation.text",
    "evidence.translation.translator",
    "attribution.context",
    # the corrections log says what changed; it does not change the claim itself
    "corrections.date",
    "corrections.wrong",
    "corrections.change",
    "corrections.reason",
}
# Field paths (numbers stripped, by their first parts) whose change, once a claim is published,
# is a correction that readers must be told of (`corrections` in the claim).
SUBSTANCE = ("statement", "value", "attribution", "evidence", "original")
NOT_SUBSTANCE = ("evidence.translation",)
# texts a release leaves out (null) when a source's policy is `none` (release/rights.py)
WITHHELD = {
    "statement",
    "original.text",
    "evidence.text",
    "responses.words",
    "attribution.as_described",
}


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any
    new: Any

    @property
    def bump(self) -> Bump:
        generic = ".".join(p for p in self.path.split(".") if not p.isdigit())
        return "patch" if generic in WORDING else "minor"


@dataclass
class ClaimChange:
    claim_id: str
    fields: list[FieldChange]
    status: tuple[str, str] | None
    corrections: list[dict[str, Any]] = field(default_factory=list)  # entries added since

    @property
    def bump(self) -> Bump:
        return max((f.bump for f in self.fields), key=ORDER.__getitem__, default="none")

    @property
    def substantive(self) -> list[str]:
        """The changed fields that readers must be told of: statement, value, attribution,
        evidence or original wording (not a translation)."""
        found = []
        for change in self.fields:
            generic = ".".join(p for p in change.path.split(".") if not p.isdigit())
            if generic in WITHHELD and (change.new is None) != (change.old is None):
                continue  # words a source's rights now keep out of (or let into) releases
            if generic.startswith(SUBSTANCE) and not generic.startswith(NOT_SUBSTANCE):
                found.append(change.path)
        return found

    @property
    def uncorrected(self) -> bool:
        """A substantive change with no new entry in the claim's corrections log."""
        return bool(self.substantive) and not self.corrections


@dataclass
class Diff:
    """What changed from ``old`` to ``new``."""

    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[ClaimChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[str] = field(default_factory=list)
    columns_extended: list[str] = field(default_factory=list)
    seeds_added: list[str] = field(default_factory=list)
    seeds_removed: list[str] = field(default_factory=list)
    seeds_changed: list[tuple[str, list[str]]] = field(default_factory=list)
    schema_version: tuple[str, str] | None = None

    def reasons(self) -> list[tuple[Bump, str]]:
        """Each change with the bump it needs, most severe first."""
        out: list[tuple[Bump, str]] = []
        out += [("major", f"claim removed: {c}") for c in self.removed]
        out += [("major", f"column removed: {c}") for c in self.columns_removed]
        out += [("major", f"column type changed: {c}") for c in self.columns_retyped]
        if self.schema_version:
            old, new = self.schema_version
            majors = {v.split(".")[0] for v in f"{old},{new}".split(",")}
            # a new major version of the claim format breaks readers; a minor one adds to it
            level: Bump = "major" if len(majors) > 1 else "minor"
            out.append((level, f"schema version {old} -> {new}"))
        out += [("minor", f"claim added: {c}") for c in self.added]
        out += [("minor", f"column added: {c}") for c in self.columns_added]
        out += [("minor", f"vocabulary extended: {c}") for c in self.columns_extended]
        out += [("major", f"seed removed: {s}") for s in self.seeds_removed]
        out += [("minor", f"seed added: {s}") for s in self.seeds_added]
        out += [
            (
                "patch" if set(keys) <= SEED_WORDING else "minor",
                f"seed changed: {s} ({', '.join(keys)})",
            )
            for s, keys in self.seeds_changed
        ]
        for change in self.changed:
            if change.status:
                out.append(
                    ("minor", "status of {}: {} -> {}".format(change.claim_id, *change.status))
                )
            elif change.bump != "none":
                out.append(
                    (
                        change.bump,
                        f"claim changed: {change.claim_id} ("
                        + ", ".join(f.path for f in change.fields[:4])
                        + ")",
                    )
                )
        return sorted(out, key=lambda r: -ORDER[r[0]])

    @property
    def bump(self) -> Bump:
        return max((b for b, _ in self.reasons()), key=ORDER.__getitem__, default="none")

    @property
    def empty(self) -> bool:
        return not self.reasons()

    @property
    def uncorrected(self) -> list[ClaimChange]:
        """Published claims changed in substance without a correction entry."""
        return [c for c in self.changed if c.uncorrected]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}.{i}"))
        return out
    return {prefix: value}


SEED_WORDING = {"title", "notes", "rights"}


def _absent(value: Any) -> Any:
    """A field that is missing, null or empty is one and the same: absent (None)."""
    return None if value in (None, [], {}) else value


Record = dict[str, Any] | bytes  # a claim's JSON record, parsed or as its `claims.jsonl` line
SeedMeta = dict[str, Any] | bytes  # a seed's metadata, parsed or as its canonical JSON


def seed_json(metadata: dict[str, Any]) -> bytes:
    """A seed's metadata as canonical JSON (sorted keys, no spaces): equal metadata gives equal
    bytes, and a hundred thousand seeds take a fraction of their parsed size."""
    text = json.dumps(metadata, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def _fields(meta: SeedMeta) -> dict[str, Any]:
    if isinstance(meta, dict):
        return meta
    data = json.loads(meta)
    return data if isinstance(data, dict) else {}


def parsed(record: Record) -> dict[str, Any]:
    if isinstance(record, dict):
        return record
    value = json.loads(record)
    if not isinstance(value, dict):
        raise ValueError("a claim record is not a JSON object")
    return value


_VERSION = re.compile(rb'^\{"schema_version":"([0-9.]{1,20})"')


def schema_version(record: Record) -> Any:
    """The record's `schema_version` (read from the start of a line written by claimtrack)."""
    if isinstance(record, bytes):
        match = _VERSION.match(record)
        if match:
            return match.group(1).decode()
    return parsed(record).get("schema_version")


def claim_change(claim_id: str, old_record: Record, new_record: Record) -> ClaimChange | None:
    """What changed in one claim's record (None: nothing but its timestamps)."""
    if old_record == new_record:  # most claims, between two releases: the same line
        return None
    old, new = parsed(old_record), parsed(new_record)
    if old == new:
        return None
    a, b = _flatten(old), _flatten(new)
    fields = [
        FieldChange(k, _absent(a.get(k)), _absent(b.get(k)))
        for k in sorted(a.keys() | b.keys())
        if _absent(a.get(k)) != _absent(b.get(k)) and k not in ("updated", "created")
    ]
    if not fields:
        return None
    status = None
    if old.get("status") != new.get("status"):
        status = (str(old.get("status")), str(new.get("status")))
    before, after = old.get("corrections") or [], new.get("corrections") or []
    added = [c for c in after if isinstance(c, dict) and c not in before]
    return ClaimChange(claim_id, fields, status, added)


def _enum_values(dtype: str) -> set[str]:
    """The categories of an `Enum([...])` type string; empty for any other type."""
    if not dtype.startswith("Enum("):
        return set()
    return set(re.findall(r"'([^']*)'", dtype))


Records = Mapping[str, Record] | Iterable[tuple[str, Record]]


class OutOfOrder(ValueError):
    """A stream of claim records whose ids do not ascend."""


@dataclass(frozen=True)
class Snapshot:
    """One side of a diff: claims as JSON records by id (a mapping, or (id, record) pairs in
    ascending id order, read once, so neither side is ever held whole), columns as
    `table.column` -> type, and seed metadata by id (parsed, or as :func:`seed_json`)."""

    name: str
    claims: Records
    columns: dict[str, str]
    seeds: Mapping[str, SeedMeta] = field(default_factory=dict)

    def records(self) -> Iterator[tuple[str, Record]]:
        """The claims in ascending id order; OutOfOrder if a stream's ids do not ascend."""
        if isinstance(self.claims, Mapping):
            yield from sorted(self.claims.items())
            return
        last: str | None = None
        for claim_id, record in self.claims:
            if last is not None and claim_id <= last:
                raise OutOfOrder(f"{self.name}: claim {claim_id} comes after {last}")
            last = claim_id
            yield claim_id, record


def _merge(old: Snapshot, new: Snapshot, result: Diff) -> tuple[set[Any], set[Any]]:
    """Added, removed and changed claims into ``result``, in one pass over both sides; the
    schema versions of each side."""
    versions: tuple[set[Any], set[Any]] = (set(), set())
    a_side, b_side = old.records(), new.records()
    a, b = next(a_side, None), next(b_side, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            result.removed.append(a[0])
            versions[0].add(schema_version(a[1]))
            a = next(a_side, None)
        elif a is None or b[0] < a[0]:
            assert b is not None
            result.added.append(b[0])
            versions[1].add(schema_version(b[1]))
            b = next(b_side, None)
        else:
            assert a is not None and b is not None
            change = claim_change(a[0], a[1], b[1])
            if change is not None:
                result.changed.append(change)
            versions[0].add(schema_version(a[1]))
            versions[1].add(schema_version(b[1]))
            a, b = next(a_side, None), next(b_side, None)
    return versions


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """The semantic diff from ``old`` to ``new``."""
    old_columns, new_columns = old.columns, new.columns
    result = Diff(old.name, new.name)
    versions = _merge(old, new, result)
    a, b = old.seeds, new.seeds
    result.seeds_added = sorted(b.keys() - a.keys())
    result.seeds_removed = sorted(a.keys() - b.keys())
    for seed in sorted(a.keys() & b.keys()):
        if a[seed] == b[seed]:
            continue
        before, after = _fields(a[seed]), _fields(b[seed])
        keys = sorted(
            k
            for k in before.keys() | after.keys()
            if _absent(before.get(k)) != _absent(after.get(k))
        )
        if keys:
            result.seeds_changed.append((seed, keys))
    result.columns_added = sorted(new_columns.keys() - old_columns.keys())
    result.columns_removed = sorted(old_columns.keys() - new_columns.keys())
    for column in sorted(old_columns.keys() & new_columns.keys()):
        old_type, new_type = old_columns[column], new_columns[column]
        if old_type == new_type:
            continue
        old_values = _enum_values(old_type)
        if old_values and old_values <= _enum_values(new_type):
            result.columns_extended.append(column)  # new vocabulary terms: readers still work
        else:
            result.columns_retyped.append(column)
    if versions[0] and versions[1] and versions[0] != versions[1]:
        result.schema_version = (
            ",".join(sorted(map(str, versions[0]))),
            ",".join(sorted(map(str, versions[1]))),
        )
    return result
