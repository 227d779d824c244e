"""Reporters for validation results, chosen by name through one registry.

A reporter turns a :class:`~claimtrack.validation.ValidationReport` into text; the CLI writes it.
The JSON reporter's field names are a stable, documented interface (docs/validate.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import ClassVar, Protocol

import click

from claimtrack.findings import Finding
from claimtrack.validation import ValidationReport

JSON_FORMAT_VERSION = 1


class Reporter(Protocol):
    name: ClassVar[str]

    def __init__(self, *, color: bool) -> None: ...

    def render(self, report: ValidationReport) -> str: ...


REPORTERS: dict[str, type[Reporter]] = {}


def register(cls: type[Reporter]) -> type[Reporter]:
    REPORTERS[cls.name] = cls
    return cls


def _summary(report: ValidationReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    files = len({f.path for f in report.findings})
    return (
        f"{errors} error(s), {warnings} warning(s) in {files} file(s); "
        f"{report.files_checked} file(s) checked"
    )


@register
class TextReporter:
    """`path:line:col: severity [rule] pointer: message` then an indented hint, per finding."""

    name: ClassVar[str] = "text"

    def __init__(self, *, color: bool) -> None:
        self.color = color

    def _style(self, text: str, **kw: object) -> str:
        return click.style(text, **kw) if self.color else text  # type: ignore[arg-type]

    def _line(self, f: Finding) -> str:
        where = f"{f.path}:{f.line}:{f.column}" if f.line else f.path
        sev = self._style(f.severity, fg="red" if f.severity == "error" else "yellow", bold=True)
        ptr = f" {f.pointer}" if f.pointer else ""
        head = f"{self._style(where, bold=True)}: {sev} [{f.rule}]{ptr}: {f.message}"
        return head + (f"\n    hint: {f.hint}" if f.hint else "")

    def render(self, report: ValidationReport) -> str:
        if not report.findings:
            return ""
        return "\n".join([*(self._line(f) for f in report.findings), _summary(report)]) + "\n"


@register
class JsonReporter:
    """One JSON object: version, valid, counts and the list of findings."""

    name: ClassVar[str] = "json"

    def __init__(self, *, color: bool) -> None:
        del color

    def render(self, report: ValidationReport) -> str:
        body = {
            "version": JSON_FORMAT_VERSION,
            "valid": report.ok,
            "files_checked": report.files_checked,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": [f.as_dict() for f in report.findings],
        }
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def get(name: str) -> Callable[..., Reporter]:
    return REPORTERS[name]
