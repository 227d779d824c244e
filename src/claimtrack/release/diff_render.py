"""A diff as text (for a terminal), Markdown (for a CHANGELOG) or JSON (for programs)."""

from __future__ import annotations

import difflib
import json
from typing import Any

from claimtrack.escape import visible
from claimtrack.release.diff import ClaimChange, Diff

CONTEXT_WORDS = 4  # unchanged words shown on each side of a changed run


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return visible(text if len(text) <= 80 else text[:77] + "...")


def word_change(old: Any, new: Any) -> str:
    """How a field changed: for two texts, only the words that differ with a little context,
    as `[-removed-]{+added+}`; for anything else, both values, shortened."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return f"{_short(old)} -> {_short(new)}"
    a, b = old.split(), new.split()
    if a == b:  # only whitespace differs
        return visible(
            f"{json.dumps(old, ensure_ascii=False)} -> {json.dumps(new, ensure_ascii=False)}"
        )
    parts: list[str] = []
    last = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gap = a[last:i1]
        if last == 0 and len(gap) > CONTEXT_WORDS:
            parts.append("… " + " ".join(gap[-CONTEXT_WORDS:]))
        elif len(gap) > 2 * CONTEXT_WORDS:
            parts.append(" ".join(gap[:CONTEXT_WORDS]) + " … " + " ".join(gap[-CONTEXT_WORDS:]))
        elif gap:
            parts.append(" ".join(gap))
        if i2 > i1:
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
        last = i2
    tail = a[last:]
    if tail:
        parts.append(" ".join(tail[:CONTEXT_WORDS]) + (" …" if len(tail) > CONTEXT_WORDS else ""))
    return visible(" ".join(parts))


def as_text(d: Diff) -> str:
    if d.empty:
        return f"{d.old} -> {d.new}: no changes\n"
    lines = [f"{d.old} -> {d.new}: needs a {d.bump} version bump"]
    for claim_id in d.added:
        lines.append(f"+ {claim_id}")
    for claim_id in d.removed:
        lines.append(f"- {claim_id}")
    for change in d.changed:
        lines.append(f"~ {change.claim_id}")
        if change.status:
            lines.append("    status: {} -> {}".format(*change.status))
        lines += [
            f"    {f.path}: {word_change(f.old, f.new)}"
            for f in change.fields
            if f.path != "status" and not f.path.startswith("corrections.")
        ]
        lines += [f"    correction: {_correction(c)}" for c in change.corrections]
        if change.uncorrected:
            lines.append("    ! changed in substance without a `corrections` entry")
    lines += [f"+ seed {s}" for s in d.seeds_added] + [f"- seed {s}" for s in d.seeds_removed]
    lines += [f"~ seed {s}: {', '.join(keys)}" for s, keys in d.seeds_changed]
    for label, items in (
        ("column added", d.columns_added),
        ("column removed", d.columns_removed),
        ("column type changed", d.columns_retyped),
        ("vocabulary extended", d.columns_extended),
    ):
        lines += [f"{label}: {c}" for c in items]
    return "\n".join(lines) + "\n"


def _correction(entry: dict[str, Any]) -> str:
    """A correction entry in one line: its date, what was wrong, what changed and why."""

    def text(name: str) -> str:
        value = entry.get(name)
        return "(withheld: it quotes a withheld source)" if value is None else str(value)

    return visible(
        f"{entry.get('date')}: was: {text('wrong')}; now: {text('change')}; why: {text('reason')}"
    )


def _top(change: ClaimChange) -> list[str]:
    """The top-level fields a claim change touches (`evidence`, not `evidence.3.translation`)."""
    return list(dict.fromkeys(f.path.split(".")[0] for f in change.fields))


def as_markdown(d: Diff, heading: str | None = None) -> str:
    lines = [heading or f"## {d.old} → {d.new}", ""]
    if d.empty:
        return "\n".join([*lines, "No changes.", ""])
    sections = [
        (
            "Added",
            [f"- Claim `{c}`." for c in d.added]
            + [f"- Column `{c}`." for c in d.columns_added]
            + [f"- Seed `{x}`." for x in d.seeds_added],
        ),
        (
            "Removed",
            [f"- Claim `{c}`." for c in d.removed]
            + [f"- Column `{c}`." for c in d.columns_removed]
            + [f"- Seed `{x}`." for x in d.seeds_removed],
        ),
        (
            "Changed",
            [
                f"- Claim `{c.claim_id}`: status {c.status[0]} → {c.status[1]}."
                if c.status
                else f"- Claim `{c.claim_id}`: " + ", ".join(f"`{f}`" for f in _top(c)) + "."
                for c in d.changed
            ]
            + [f"- Column `{c}` changed type." for c in d.columns_retyped]
            + [f"- Vocabulary of `{c}` extended." for c in d.columns_extended]
            + [f"- Seed `{x}`: {', '.join(k)}." for x, k in d.seeds_changed],
        ),
    ]
    corrections = [
        f"- Claim `{c.claim_id}`: " + _correction(entry).replace("`", "'")
        for c in d.changed
        for entry in c.corrections
    ]
    sections.append(("Corrected", corrections))
    for title, items in sections:
        if items:
            lines += [f"### {title}", "", *items, ""]
    return "\n".join(lines)


def as_json(d: Diff) -> str:
    body = {
        "old": d.old,
        "new": d.new,
        "bump": d.bump,
        "added": d.added,
        "removed": d.removed,
        "changed": [
            {
                "claim_id": c.claim_id,
                "status": list(c.status) if c.status else None,
                "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in c.fields],
                "corrections": c.corrections,
                "uncorrected": c.uncorrected,
            }
            for c in d.changed
        ],
        "columns": {
            "added": d.columns_added,
            "removed": d.columns_removed,
            "retyped": d.columns_retyped,
            "extended": d.columns_extended,
        },
        "seeds": {
            "added": d.seeds_added,
            "removed": d.seeds_removed,
            "changed": [{"seed_id": s, "fields": k} for s, k in d.seeds_changed],
        },
        "reasons": [{"bump": b, "change": r} for b, r in d.reasons()],
    }
    return json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "markdown": as_markdown}
