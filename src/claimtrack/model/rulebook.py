"""The rule registry: every rule a finding can carry, declared once, beside the code that checks it.

A declaration gives the rule's code (`model.money-shape`), what it means (docs/rules.md), its
scope (what must be read to check it: one file; one claim with the seeds it quotes; the whole
dataset), whether its finding depends on today's date (such findings are never kept between
runs), and what `claimtrack fix` does to repair it, if it can. A rule whose example cannot be
one file in `tests/examples/invalid/` names the test that shows it (``example``).

Every module that checks rules declares them here when it is imported;
:mod:`claimtrack.validate.catalogue` imports them all and is what the docs, the warm store, the
cache and `fix` read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    """What must be read to check a rule (and so what a change makes it check again)."""

    FILE = "file"  # the record file alone
    CLAIM = "claim"  # a claim with the seeds it quotes
    DATASET = "dataset"  # every record (ids, orphans, budgets, committed schemas, identity)


@dataclass(frozen=True)
class Rule:
    """One rule: its stable code, what it means, its scope, and how its findings behave."""

    code: str
    summary: str
    scope: Scope
    dated: bool = False  # its finding depends on today's date: never kept between runs
    fix: str | None = None  # what `claimtrack fix` does to repair it (None: it cannot)
    example: str | None = None  # the test showing it, when no example file can


RULEBOOK: dict[str, Rule] = {}


def declare(
    code: str,
    summary: str,
    scope: Scope,
    *,
    dated: bool = False,
    fix: str | None = None,
    example: str | None = None,
) -> str:
    """Register a rule and return its code (for the module that emits it)."""
    rule = Rule(code, summary, scope, dated, fix, example)
    if RULEBOOK.get(code, rule) != rule:
        raise ValueError(f"rule {code} is declared twice, differently")
    RULEBOOK[code] = rule
    return code


def dated_rules() -> frozenset[str]:
    """The rules whose findings depend on today's date (of the modules imported so far: a rule
    is declared by the module that checks it, so before any of its findings exists)."""
    return frozenset(code for code, rule in RULEBOOK.items() if rule.dated)
