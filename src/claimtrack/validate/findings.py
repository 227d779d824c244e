"""Findings: what validation reports, one per problem, with an exact location and a fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file.

    ``line`` and ``column`` are 1-based (1, 1 when the problem concerns the whole file);
    ``pointer`` is the RFC 6901 JSON pointer of the field ("" for the whole document);
    ``rule`` is a stable code such as ``schema.required`` (documented in docs/rules.md).
    """

    path: str
    line: int
    column: int
    pointer: str
    rule: str
    severity: Severity
    message: str
    hint: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
