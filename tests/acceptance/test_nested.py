"""Claims in nested folders (`claims/**/*.yaml`): found everywhere, ids unique across folders,
edited where they are, placed in sub-folders by large imports, and the same answers as flat."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimtrack.interop.importing import claim_folder, import_file
from claimtrack.store.layout import Dataset
from claimtrack.validate.runner import validate

from ..conftest import TESTS, RunCli, committed, publishable

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
UK = "aws-is-a-us-company"


def _nest(root: Path) -> None:
    """Move every claim into a sub-folder by its first letter, two levels deep."""
    for path in sorted((root / "claims").glob("*.yaml")):
        target = root / "claims" / "desk" / path.name[0] / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)


@pytest.fixture
def nested(tmp_path: Path, dataset: Path) -> Path:
    root = tmp_path / "nested"
    shutil.copytree(dataset, root)
    _nest(root)
    return root


def test_nested_claims_validate_and_answer_as_flat_ones(
    dataset: Path, nested: Path, run_cli: RunCli
) -> None:
    assert not list((nested / "claims").glob("*.yaml"))
    checked = json.loads(run_cli("validate", "--root", nested, "--format", "json").stdout)
    flat = json.loads(run_cli("validate", "--root", dataset, "--format", "json").stdout)
    assert checked["valid"] and checked["files_checked"] == flat["files_checked"] == 14
    for command in (("query", "--format", "csv"), ("stats", "--format", "csv")):
        assert (
            run_cli(*command, "--root", nested).stdout
            == run_cli(*command, "--root", dataset).stdout
        )
    shown = run_cli("show", VALUE, "--root", nested, "--format", "json").stdout
    assert json.loads(shown)["id"] == VALUE


def test_an_id_is_unique_across_folders_ignoring_case(nested: Path, run_cli: RunCli) -> None:
    original = next((nested / "claims").rglob(f"{VALUE}.yaml"))
    twin = nested / "claims" / "other" / f"{VALUE.upper()}.yaml"
    twin.parent.mkdir()
    twin.write_bytes(original.read_bytes())
    out = run_cli("validate", "--root", nested, "--format", "json", code=1).stdout
    rules = {(f["rule"], Path(f["path"]).name) for f in json.loads(out)["findings"]}
    assert ("id.duplicate", twin.name) in rules or ("id.duplicate", original.name) in rules


def test_hidden_folders_and_links_to_folders_are_not_entered(
    nested: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    hidden = nested / "claims" / ".trash"
    hidden.mkdir()
    (hidden / "broken.yaml").write_text("not: a claim\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "broken.yaml").write_text("not: a claim\n")
    (nested / "claims" / "linked").symlink_to(outside)
    run_cli("validate", "--root", nested)
    names = {Path(f.path).name for f in Dataset.open(nested).claim_files()}
    assert "broken.yaml" not in names


def test_a_nested_claim_is_edited_where_it_is(nested: Path, run_cli: RunCli) -> None:
    path = next((nested / "claims").rglob(f"{VALUE}.yaml"))
    run_cli(
        "claim",
        "status",
        VALUE,
        "disputed",
        "--date",
        "2024-07-01",
        "--reason",
        "r.",
        "--root",
        nested,
    )
    assert "status: disputed" in path.read_text("utf-8")
    assert not (nested / "claims" / f"{VALUE}.yaml").exists()
    assert validate(Dataset.open(nested)).ok


def test_the_stored_tables_follow_a_claim_moved_between_folders(
    nested: Path, run_cli: RunCli
) -> None:
    before = run_cli("query", "--format", "csv", "--root", nested).stdout
    path = next((nested / "claims").rglob(f"{UK}.yaml"))
    moved = nested / "claims" / "elsewhere" / path.name
    moved.parent.mkdir()
    path.rename(moved)
    assert run_cli("query", "--format", "csv", "--root", nested).stdout == before
    moved.unlink()
    after = run_cli("query", "--format", "csv", "--root", nested).stdout
    assert after == run_cli("query", "--format", "csv", "--root", nested, "--no-cache").stdout
    assert UK not in after


def test_a_nested_import_places_claims_by_source_and_hash(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "new"
    run_cli("init", root)
    publishable(root)
    source = TESTS / "data" / "averitec_sample.json"
    ds = Dataset.open(root)
    report = import_file("averitec", source, ds, layout="nested")
    assert report.added
    for claim_id in report.added:
        path = claim_folder(ds, "averitec", claim_id) / f"{claim_id}.yaml"
        schema = path.read_text("utf-8").splitlines()[0].split("$schema=")[1]
        assert (path.parent / schema).resolve() == (root / "schemas" / "claim.schema.json")
    assert not list((root / "claims").glob("*.yaml"))
    again = import_file("averitec", source, Dataset.open(root), layout="flat")
    assert not again.added and not again.updated  # found in their folders: nothing new
    run_cli("validate", "--root", root)


def test_auto_layout_stays_flat_for_a_small_import(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "new"
    run_cli("init", root)
    publishable(root)
    report = import_file("averitec", TESTS / "data" / "averitec_sample.json", Dataset.open(root))
    assert report.added
    assert {p.parent for p in (root / "claims").rglob("*.yaml")} == {root / "claims"}


def test_changed_since_sees_a_claim_in_a_sub_folder(nested: Path, run_cli: RunCli) -> None:
    committed(nested)
    claim = next((nested / "claims").rglob(f"{VALUE}.yaml"))
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    out = run_cli(
        "validate", "--root", nested, "--changed-since", "HEAD", "--format", "json", code=1
    ).stdout
    assert '"files_checked": 1' in out and "model.unknown-currency" in out
