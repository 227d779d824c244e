"""Semantic differences between two versions of a dataset, and the version bump they need.

Rules: removing a claim, removing or retyping a table column, or changing the schema version is
**major**; adding claims or columns, or changing a claim's status, value, attribution, evidence
or other data is **minor**; changing only wording (statement, notes, reasons, translations,
original wording, a link's context) is **patch**; a changed attribution, subject, value or
response is **minor**.
"""

from __future__ import annotations

import re
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

    @property
    def bump(self) -> Bump:
        return max((f.bump for f in self.fields), key=ORDER.__getitem__, default="none")


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


def diff_claims(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[ClaimChange]:
    changes = []
    for claim_id in sorted(old.keys() & new.keys()):
        a, b = _flatten(old[claim_id]), _flatten(new[claim_id])
        fields = [
            FieldChange(k, _absent(a.get(k)), _absent(b.get(k)))
            for k in sorted(a.keys() | b.keys())
            if _absent(a.get(k)) != _absent(b.get(k)) and k not in ("updated", "created")
        ]
        if fields:
            status = None
            if old[claim_id].get("status") != new[claim_id].get("status"):
                status = (str(old[claim_id].get("status")), str(new[claim_id].get("status")))
            changes.append(ClaimChange(claim_id, fields, status))
    return changes


def _enum_values(dtype: str) -> set[str]:
    """The categories of an `Enum([...])` type string; empty for any other type."""
    if not dtype.startswith("Enum("):
        return set()
    return set(re.findall(r"'([^']*)'", dtype))


@dataclass(frozen=True)
class Snapshot:
    """One side of a diff: claims as JSON records by id, columns as `table.column` -> type, and
    seed metadata by id."""

    name: str
    claims: dict[str, dict[str, Any]]
    columns: dict[str, str]
    seeds: dict[str, dict[str, Any]] = field(default_factory=dict)


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """The semantic diff from ``old`` to ``new``."""
    old_claims, new_claims = old.claims, new.claims
    old_columns, new_columns = old.columns, new.columns
    result = Diff(old.name, new.name)
    result.added = sorted(new_claims.keys() - old_claims.keys())
    result.removed = sorted(old_claims.keys() - new_claims.keys())
    result.changed = diff_claims(old_claims, new_claims)
    a, b = old.seeds, new.seeds
    result.seeds_added = sorted(b.keys() - a.keys())
    result.seeds_removed = sorted(a.keys() - b.keys())
    for seed in sorted(a.keys() & b.keys()):
        keys = sorted(
            k
            for k in a[seed].keys() | b[seed].keys()
            if _absent(a[seed].get(k)) != _absent(b[seed].get(k))
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
    versions = (
        {c.get("schema_version") for c in old_claims.values()},
        {c.get("schema_version") for c in new_claims.values()},
    )
    if versions[0] and versions[1] and versions[0] != versions[1]:
        result.schema_version = (
            ",".join(sorted(map(str, versions[0]))),
            ",".join(sorted(map(str, versions[1]))),
        )
    return result
