"""Reporters for validation results, chosen by name through one registry.

A reporter turns a :class:`~claimtrack.validation.ValidationReport` into text; the CLI writes it.
Formats: ``text`` (grouped by file), ``json`` (stable fields, see docs/validate.md), ``github``
(workflow commands), ``sarif`` (SARIF 2.1.0) and ``junit`` (JUnit XML).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import Any, ClassVar

import click

from claimtrack._version import VERSION
from claimtrack.escape import json_text, markdown_cell, visible
from claimtrack.validate.catalogue import RULES
from claimtrack.validate.findings import Finding
from claimtrack.validate.result import ValidationReport

JSON_FORMAT_VERSION = 1


class Reporter:
    """Base reporter: ``render`` gives the output; ``summary`` optional Markdown for CI pages."""

    name: ClassVar[str]

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    def render(self, report: ValidationReport) -> str:
        raise NotImplementedError

    def summary(self, report: ValidationReport) -> str | None:
        return None


REPORTERS: dict[str, type[Reporter]] = {}


def register(cls: type[Reporter]) -> type[Reporter]:
    REPORTERS[cls.name] = cls
    return cls


def get(name: str) -> type[Reporter]:
    return REPORTERS[name]


def _summary_line(report: ValidationReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    files = len({f.path for f in report.findings})
    return (
        f"{errors} error(s), {warnings} warning(s) in {files} file(s); "
        f"{report.files_checked} file(s) checked"
    )


@register
class TextReporter(Reporter):
    """`path:line:col: severity [rule] pointer: message` and a hint; files apart by a blank line.

    Nothing at all when the data is valid.
    """

    name: ClassVar[str] = "text"

    def _style(self, text: str, **kw: Any) -> str:
        return click.style(text, **kw) if self.color else text

    def _line(self, f: Finding) -> str:
        where = visible(f"{f.path}:{f.line}:{f.column}" if f.line else f.path)
        sev = self._style(f.severity, fg="red" if f.severity == "error" else "yellow", bold=True)
        ptr = f" {visible(f.pointer)}" if f.pointer else ""
        head = f"{self._style(where, bold=True)}: {sev} [{f.rule}]{ptr}: {visible(f.message)}"
        return head + (f"\n    hint: {visible(f.hint)}" if f.hint else "")

    def render(self, report: ValidationReport) -> str:
        if not report.findings:
            return ""
        groups = [
            "\n".join(self._line(f) for f in items)
            for _, items in groupby(report.findings, key=lambda f: f.path)
        ]
        return "\n\n".join(groups) + "\n\n" + _summary_line(report) + "\n"


@register
class JsonReporter(Reporter):
    """One JSON object: version, valid, counts and the list of findings."""

    name: ClassVar[str] = "json"

    def render(self, report: ValidationReport) -> str:
        body = {
            "version": JSON_FORMAT_VERSION,
            "valid": report.ok,
            "files_checked": report.files_checked,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": [f.as_dict() for f in report.findings],
        }
        if report.shard is not None:
            body["shard"] = report.shard
        if report.origin is not None:
            body["origin"] = report.origin
        return json_text(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"


def escape_data(text: str) -> str:
    """GitHub workflow command escaping for the message: `%`, CR and LF percent-encoded, then
    the other control characters made visible."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(encoded)


def escape_property(text: str) -> str:
    """GitHub workflow command escaping for a property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@register
class GithubReporter(Reporter):
    """`::error file=,line=,col=,title=::message` per finding, and a summary table.

    GitHub shows only the first 10 annotations of a step, so the full table goes to the job
    summary (`$GITHUB_STEP_SUMMARY`) when that is set.
    """

    name: ClassVar[str] = "github"

    def render(self, report: ValidationReport) -> str:
        lines = []
        for f in report.findings:
            props = [f"file={escape_property(f.path)}"]
            if f.line:
                props += [f"line={f.line}", f"col={f.column}"]
            props.append(f"title={escape_property(f'{f.rule} {f.pointer}'.strip())}")
            message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
            lines.append(f"::{f.severity} {','.join(props)}::{escape_data(message)}")
        lines.append(_summary_line(report))
        return "\n".join(lines) + "\n"

    def summary(self, report: ValidationReport) -> str:
        head = "## claimtrack validate\n\n" + _summary_line(report) + "\n"
        if not report.findings:
            return head + "\nNo findings.\n"
        rows = ["| file | line | rule | field | message | fix |", "|---|---|---|---|---|---|"]
        rows += [
            f"| {markdown_cell(f.path)} | {f.line} | `{f.rule}` | {markdown_cell(f.pointer)} | "
            f"{markdown_cell(f.message)} | {markdown_cell(f.hint)} |"
            for f in report.findings
        ]
        return head + "\n" + "\n".join(rows) + "\n"


@register
class SarifReporter(Reporter):
    """SARIF 2.1.0, for code scanning: one run, the rules used, one result per finding."""

    name: ClassVar[str] = "sarif"

    def render(self, report: ValidationReport) -> str:
        used = sorted({f.rule for f in report.findings})
        results = []
        for f in report.findings:
            location: dict[str, Any] = {"artifactLocation": {"uri": f.path}}
            if f.line:
                location["region"] = {"startLine": f.line, "startColumn": max(f.column, 1)}
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": used.index(f.rule),
                    "level": "error" if f.severity == "error" else "warning",
                    "message": {"text": f.message + (f" Fix: {f.hint}" if f.hint else "")},
                    "locations": [{"physicalLocation": location}],
                    "properties": {"jsonPointer": f.pointer},
                }
            )
        body = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "claimtrack",
                            "version": VERSION,
                            "rules": [
                                {"id": r, "shortDescription": {"text": RULES.get(r, r)}}
                                for r in used
                            ],
                        }
                    },
                    "results": results,
                }
            ],
        }
        return json_text(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    """Replace characters XML 1.0 cannot hold (control characters) with `\\uXXXX`, and show
    the ones it can hold but a terminal would act on (C1 controls, bidirectional overrides)."""
    return visible(_NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text), newlines=True)


@register
class JunitReporter(Reporter):
    """JUnit XML: one test case per file checked, failing with its findings."""

    name: ClassVar[str] = "junit"

    def render(self, report: ValidationReport) -> str:
        by_file: dict[str, list[Finding]] = {}
        for f in report.findings:
            by_file.setdefault(f.path, []).append(f)
        names = list(dict.fromkeys([*report.files, *by_file]))
        failures = sum(1 for n in names if any(f.severity == "error" for f in by_file.get(n, [])))
        suites = ET.Element("testsuites", name="claimtrack validate")
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="claimtrack validate",
            tests=str(len(names)),
            failures=str(failures),
            errors="0",
        )
        for name in names:
            case = ET.SubElement(suite, "testcase", classname="claimtrack.validate", name=name)
            errors = [f for f in by_file.get(name, []) if f.severity == "error"]
            if errors:
                failure = ET.SubElement(
                    case, "failure", type=errors[0].rule, message=f"{len(errors)} finding(s)"
                )
                failure.text = "\n".join(
                    visible(
                        f"{f.path}:{f.line}:{f.column}: [{f.rule}]"
                        f"{' ' + f.pointer if f.pointer else ''}: {f.message} (fix: {f.hint})"
                    )
                    for f in errors
                )
        for element in suites.iter():
            if element.text:
                element.text = _xml_safe(element.text)
            for key, value in element.attrib.items():
                element.attrib[key] = _xml_safe(value)
        ET.indent(suites)
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            + ET.tostring(suites, encoding="unicode")
            + "\n"
        )
