"""One registry of rules: every rule is declared once, has an example, and is what the docs, the
caches and `fix` read; and the rules no single example file can show, shown here."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import yaml

from claimtrack.model.rulebook import RULEBOOK, Scope, dated_rules
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.validate.catalogue import CATALOGUE, FIXABLE
from claimtrack.validate.collector import Collector
from claimtrack.validate.runner import validate
from claimtrack.validate.schema_errors import schema_findings

from ..conftest import EXAMPLES, REPO, RunCli
from .test_examples import INVALID, expectation
from .test_security import _without_dac

SEED = "000_41d59578b16f00ef"
VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"


def _test_source(reference: str) -> str:
    """The source of the test a rule names as its example (`tests/x.py::test_name`)."""
    path, name = reference.split("::")
    tree = ast.parse((REPO / path).read_text("utf-8"))
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    assert found, f"{reference}: no such test"
    return ast.get_source_segment((REPO / path).read_text("utf-8"), found[0]) or ""


def test_every_rule_has_an_example() -> None:
    shown = {expectation(path)[0] for path in INVALID}
    for code, rule in CATALOGUE.items():
        if rule.example is None:
            assert code in shown, (
                f"{code}: add tests/examples/invalid/{code.replace('.', '-')}.yaml"
            )
        else:
            assert code not in shown, f"{code}: has an example file, drop `example=`"
            assert code in _test_source(rule.example), f"{code}: {rule.example} never names it"


def test_the_catalogue_is_the_registry_and_every_module_declares_its_own() -> None:
    assert {code: RULEBOOK[code] for code in CATALOGUE} == CATALOGUE
    assert set(CATALOGUE) == set(RULEBOOK)
    assert dated_rules() == {"model.future-date"}
    assert set(FIXABLE) == {c for c, r in RULEBOOK.items() if r.fix}
    assert {r.scope for r in RULEBOOK.values()} == set(Scope)
    docs = (REPO / "docs" / "rules.md").read_text("utf-8")
    assert all(f"| `{code}` |" in docs for code in CATALOGUE)
    src = REPO / "src" / "claimtrack"
    for code in CATALOGUE:  # declared once: its summary is written in one place
        summary = RULEBOOK[code].summary[:40]
        places = [p for p in src.rglob("*.py") if summary in p.read_text("utf-8")]
        assert len(places) == 1, (code, places)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


def _valid_claim(root: Path) -> Path:
    return root / "valid" / f"{VALUE}.yaml"


def _rules(report_root: Path, path: Path) -> set[str]:
    return {f.rule for f in validate(Dataset.open(report_root), [path]).findings}


def test_model_types_behind_an_out_of_date_schema(tmp_path: Path) -> None:
    """A dataset whose committed schema is out of date (here, empty) still gets the model's own
    checks of timestamps and amounts, and is told its schemas are stale or missing."""
    root = _copy(tmp_path)
    (root / "schemas").mkdir()
    (root / "schemas" / "claim.schema.json").write_text("{}", "utf-8")
    text = _valid_claim(root).read_text("utf-8")
    naive = text.replace("created: '2026-11-28T11:30:00Z'", "created: '2026-11-28T11:30:00'")
    inexact = text.replace("  min: '500000000'", "  min: 500000000.5")
    invalid = text.replace("  min: '500000000'", "  min: '5e8'")
    for name, body, rule in (
        ("naive", naive, "model.naive-timestamp"),
        ("inexact", inexact, "model.inexact-amount"),
        ("invalid", invalid, "model.invalid-amount"),
    ):
        path = root / "claims" / f"{VALUE}.yaml"
        path.write_text(body, "utf-8")
        found = _rules(root, path)
        assert {rule, "schema.stale", "schema.missing"} <= found, (name, found)


def test_a_record_file_that_cannot_be_read(dataset: Path) -> None:
    (dataset / "claims" / f"{VALUE}.yaml").chmod(0)
    done = _without_dac("validate", "--root", dataset, "--no-cache")
    assert done.returncode == 1, done.stderr
    assert "[file.unreadable]" in done.stdout


def test_schema_rules_of_any_committed_schema() -> None:
    """`const`, and a keyword no rule names (`minimum`), give rules of the catalogue (the models'
    schemas word their fixed values as enums and bound no number, so no claim file shows
    these)."""
    schema = {
        "type": "object",
        "properties": {
            "format": {"const": "1.0"},
            "value": {"type": "integer", "minimum": 5},
        },
    }
    out = Collector(DataFile(Path("x.yaml"), "claim", "x.yaml"))
    schema_findings({"format": "2.0", "value": 2}, json.dumps(schema).encode(), out)
    assert {f.rule for f in out.findings} == {"schema.const", "schema.invalid"}
    assert all(f.rule in CATALOGUE for f in out.findings)  # no keyword makes an unknown rule


def test_a_seed_text_not_in_utf8_and_a_missing_original(dataset: Path, run_cli: RunCli) -> None:
    meta = dataset / "seeds" / f"{SEED}.yaml"
    text = dataset / "seeds" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace("é".encode(), b"\xe9", 1))
    found = json.loads(run_cli("validate", "--root", dataset, "--format", "json", code=1).stdout)
    assert "seed.encoding" in {f["rule"] for f in found["findings"]}
    text.write_bytes(text.read_bytes().replace(b"\xe9", "é".encode(), 1))
    record = yaml.safe_load(meta.read_text("utf-8"))
    record |= {
        "schema_version": "1.3",
        "original_file": f"{SEED}.orig.html",
        "original_media_type": "text/html",
        "original_sha256": "0" * 64,
    }
    meta.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    found = json.loads(run_cli("validate", "--root", dataset, "--format", "json", code=1).stdout)
    assert "seed.original-missing" in {f["rule"] for f in found["findings"]}, found
