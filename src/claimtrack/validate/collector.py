"""Collecting findings for one file, with positions looked up in its YAML tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimtrack.model.rulebook import Scope, declare
from claimtrack.store.layout import DataFile
from claimtrack.store.yaml_positions import locate, locate_key
from claimtrack.store.yaml_read import Document
from claimtrack.validate.findings import Finding, Severity

# the rules checked here (docs/rules.md)
declare(
    "file.too-many-findings",
    "More than 100 findings in one file: the first 100 are reported.",
    Scope.FILE,
)

MAX_FINDINGS = 100  # per file: enough to fix, and bounded work on a hostile file


class Collector:
    """Builds findings for one file, locating pointers in its YAML tree.

    ``doc`` is the parsed file; or ``load_doc`` parses it on the first finding that needs a
    position (cross-record checks only parse positions for files that have findings).
    """

    def __init__(
        self,
        file: DataFile,
        doc: Document | None = None,
        *,
        load_doc: Callable[[], Document | None] | None = None,
    ) -> None:
        self.file = file
        self.doc = doc
        self._load_doc = load_doc
        self.schema: dict[str, Any] = {}
        self.findings: list[Finding] = []

    @property
    def full(self) -> bool:
        """True once the file has as many findings as are reported for one file."""
        return len(self.findings) > MAX_FINDINGS

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
        if self.full:
            return
        if len(self.findings) == MAX_FINDINGS:
            self.findings.append(
                Finding(
                    self.file.display,
                    1,
                    1,
                    "",
                    "file.too-many-findings",
                    "error",
                    f"more than {MAX_FINDINGS} findings in this file; the rest are not shown",
                    "fix these, then validate again",
                )
            )
            return
        if at is None:
            if self.doc is None and self._load_doc is not None:
                self.doc, self._load_doc = self._load_doc(), None
            at = (1, 1)  # a finding about the whole file points at its start
            if self.doc is not None:
                at = locate_key(self.doc.node, ptr, key) if key else locate(self.doc.node, ptr)
        self.findings.append(
            Finding(
                self.file.display,
                at[0],
                at[1],
                _text(ptr),
                rule,
                severity,
                _text(message),
                _text(hint),
            )
        )


def _text(value: str) -> str:
    """Text that can be written anywhere: a lone surrogate (from a file name that is not
    UTF-8, or an escape in the data) becomes `\\udcff`."""
    try:  # the bytes of a file name that are not UTF-8: `\\xff`, as the name is shown
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
