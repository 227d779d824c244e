"""The rule catalogue: every rule a finding can carry (docs/rules.md, SARIF, `fix`), read from the
registry (:mod:`claimtrack.model.rulebook`) once every module that checks rules is imported.

A rule is declared beside its check; this module only imports those modules, so that the
catalogue is complete whatever else has been imported.
"""

from __future__ import annotations

# the modules that declare rules (each one's declarations run when it is imported)
import claimtrack.model.rules
import claimtrack.model.types
import claimtrack.store.schemas
import claimtrack.store.yaml_read
import claimtrack.validate.collector
import claimtrack.validate.cross_record
import claimtrack.validate.per_file
import claimtrack.validate.publication
import claimtrack.validate.schema_errors  # noqa: F401
from claimtrack.model.rulebook import RULEBOOK, Rule

GROUPS = ("file", "yaml", "schema", "model", "id", "seed", "evidence", "publish", "identity")


def _ordered() -> dict[str, Rule]:
    """The rules by group, in the order a file is checked, then by name (the same order
    whichever module was imported first)."""
    rank = {group: i for i, group in enumerate(GROUPS)}
    codes = sorted(RULEBOOK, key=lambda c: (rank.get(c.split(".")[0], len(GROUPS)), c))
    return {code: RULEBOOK[code] for code in codes}


CATALOGUE: dict[str, Rule] = _ordered()
RULES: dict[str, str] = {code: rule.summary for code, rule in CATALOGUE.items()}
FIXABLE: dict[str, str] = {code: rule.fix for code, rule in CATALOGUE.items() if rule.fix}
