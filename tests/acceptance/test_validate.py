"""validate on whole datasets: cross-record rules, exit codes, formats, bad paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack.cli import app as cli_module
from claimtrack.store.layout import Dataset
from claimtrack.validate.runner import validate

from ..conftest import RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
SEED = "000_41d59578b16f00ef"


def rules(root: Path) -> set[str]:
    return {f.rule for f in validate(Dataset.open(root)).findings}


def test_duplicate_id_differing_only_in_case(dataset: Path, run_cli: RunCli) -> None:
    source = dataset / "claims" / f"{VALUE}.yaml"
    twin = dataset / "claims" / "Contract-Value.yaml"
    twin.write_text(source.read_text("utf-8").replace(f"id: {VALUE}", "id: contract-value"))
    (dataset / "claims" / "contract-value.yaml").write_text(
        source.read_text("utf-8").replace(f"id: {VALUE}", "id: contract-value")
    )
    result = run_cli("validate", "--root", dataset, code=1)
    assert "[id.duplicate]" in result.stdout
    assert "[id.file-name]" in result.stdout  # `Contract-Value` is not a valid id either


def test_changed_seed_text_is_a_hash_mismatch(dataset: Path, run_cli: RunCli) -> None:
    text = dataset / "seeds" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace(b"500 millions", b"600 millions"))
    result = run_cli("validate", "--root", dataset, "--format", "json", code=1)
    found = {(f["rule"], f["path"].split("/")[-1]) for f in json.loads(result.stdout)["findings"]}
    assert ("seed.hash-mismatch", f"{SEED}.yaml") in found
    # the quotes that held the changed words no longer occur in the seed either
    assert ("evidence.not-found", f"{VALUE}.yaml") in found


def test_missing_seed_text(dataset: Path) -> None:
    (dataset / "seeds" / f"{SEED}.txt").unlink()
    assert "seed.text-missing" in rules(dataset)


def test_stale_schema_is_reported_and_regenerated(dataset: Path, run_cli: RunCli) -> None:
    path = dataset / "schemas" / "claim.schema.json"
    path.write_text(path.read_text("utf-8").replace("How established", "How well"))
    assert "[schema.stale]" in run_cli("validate", "--root", dataset, code=1).stdout
    run_cli("schema", "--check", "--root", dataset, code=1)
    assert "wrote" in run_cli("schema", "--root", dataset).stdout
    run_cli("schema", "--check", "--root", dataset)
    run_cli("validate", "--root", dataset)


def test_folder_and_symlink_in_place_of_claim_files(dataset: Path) -> None:
    (dataset / "claims" / "a-folder.yaml").mkdir()
    (dataset / "claims" / "a-link.yaml").symlink_to(dataset / "claims" / f"{VALUE}.yaml")
    assert {"file.not-a-file", "file.symlink"} <= rules(dataset)


def test_seed_text_file_outside_seeds_is_refused(dataset: Path) -> None:
    meta = dataset / "seeds" / f"{SEED}.yaml"
    (dataset / "outside.txt").write_bytes((dataset / "seeds" / f"{SEED}.txt").read_bytes())
    (dataset / "seeds" / "link.txt").symlink_to(dataset / "outside.txt")
    meta.write_text(
        meta.read_text("utf-8").replace(f"text_file: {SEED}.txt", "text_file: link.txt")
    )
    assert "seed.text-missing" in rules(dataset)


def test_selected_path_is_checked_against_all_seeds(dataset: Path, run_cli: RunCli) -> None:
    run_cli("validate", "--root", dataset, dataset / "claims" / f"{VALUE}.yaml")


def test_json_format_fields_are_stable(dataset: Path, run_cli: RunCli) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    body = json.loads(run_cli("validate", "--root", dataset, "--format", "json", code=1).stdout)
    assert set(body) == {"version", "valid", "files_checked", "errors", "warnings", "findings"}
    assert body["valid"] is False and body["errors"] == 1
    (finding,) = body["findings"]
    assert set(finding) == {
        "path",
        "line",
        "column",
        "pointer",
        "rule",
        "severity",
        "message",
        "hint",
    }
    assert (finding["rule"], finding["pointer"], finding["line"]) == (
        "model.unknown-currency",
        "/value/currency",
        25,
    )


def test_not_a_dataset_is_a_usage_error(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("validate", "--root", tmp_path, code=2)
    assert "no claims/ folder" in result.stderr and "--root" in result.stderr


def test_missing_path_is_an_input_error(dataset: Path, run_cli: RunCli) -> None:
    result = run_cli("validate", "--root", dataset, dataset / "claims" / "nope.yaml", code=2)
    assert "no such file" in result.stderr


def test_unknown_format_is_a_usage_error(dataset: Path, run_cli: RunCli) -> None:
    run_cli("validate", "--root", dataset, "--format", "xml", code=2)


def test_internal_error_exits_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], dataset: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("claimtrack.validate.check.check", broken)
    monkeypatch.setattr("sys.argv", ["claimtrack", "validate", "--root", str(dataset)])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err and "Traceback" not in err


def test_help_documents_exit_codes(run_cli: RunCli) -> None:
    out = run_cli("validate", "--help").stdout
    assert "Exit codes" in out and "usage or input error" in out
