"""Every file in tests/examples/{valid,invalid}/ is a test case: a new case is a new file.

An invalid example says on its first line (or in a `<name>.expect` file beside it, for files
that cannot carry a comment) which rule must fire and at which line:
`# expect: <rule> line <N>`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimtrack.store.layout import Dataset
from claimtrack.validate.catalogue import RULES
from claimtrack.validate.runner import validate

from ..conftest import EXAMPLES, RunCli

pytestmark = pytest.mark.usefixtures("examples_texts")

VALID = sorted((EXAMPLES / "valid").glob("*.yaml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))
EXPECT = re.compile(rb"(?:# expect: )?(\S+) line (\d+)")


def expectation(path: Path) -> tuple[str, int]:
    sidecar = path.with_name(path.name + ".expect")
    head = sidecar.read_bytes() if sidecar.exists() else path.read_bytes().split(b"\n", 1)[0]
    match = EXPECT.match(head)
    assert match, f"{path.name}: first line must say `# expect: <rule> line <N>`"
    return match.group(1).decode(), int(match.group(2))


def test_the_corpus_is_not_empty() -> None:
    assert len(VALID) >= 3
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_has_no_findings(path: Path) -> None:
    report = validate(Dataset.open(EXAMPLES), [path])
    assert report.findings == []
    assert len(report.claims) == 1


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_gives_its_rule_at_its_line(path: Path) -> None:
    rule, line = expectation(path)
    report = validate(Dataset.open(EXAMPLES), [path])
    found = [(f.rule, f.line) for f in report.findings]
    assert (rule, line) in found, f"expected {rule} at line {line}, got {found}"
    assert {f.rule for f in report.findings} <= set(RULES), "every rule is documented"
    assert not report.ok
    assert all(f.message and f.hint for f in report.findings), "every finding says how to fix it"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_cli_reports_invalid_example_without_traceback(path: Path, run_cli: RunCli) -> None:
    rule, _ = expectation(path)
    result = run_cli("validate", "--root", EXAMPLES, path, code=1)
    assert f"[{rule}]" in result.stdout
    assert "Traceback" not in result.output
