"""`validate --shard I/N` and `--merge`: the union of the shards is one serial run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimtrack.store.layout import Dataset
from claimtrack.validate.shards import Shard, shard_paths

from ..conftest import RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"


def _spread_errors(root: Path) -> None:
    """Errors of every kind, in files that fall in different shards."""
    claims = root / "claims"
    files = sorted(claims.glob("*.yaml"))
    texts = [p.read_text("utf-8") for p in files]
    files[0].write_text(texts[0].replace("kind: ", "kind: nonsense-", 1), "utf-8")  # schema
    files[1].write_text(texts[1].replace("status: ", "status: x", 1), "utf-8")  # schema enum
    files[2].write_text(texts[2] + "unknown_key: 1\n", "utf-8")
    files[3].write_text("id: [unclosed\n", "utf-8")  # YAML
    # a duplicate id (ignoring case) and a quote that is not in its seed
    shutil.copy(files[4], claims / (files[4].stem.upper() + ".yaml"))
    text = (claims / f"{VALUE}.yaml").read_text("utf-8")
    (claims / f"{VALUE}.yaml").write_text(text.replace("un contrat estimé", "un contrat chiffré"))
    (root / "seeds" / "stray.yaml").write_text("id: stray\n", "utf-8")


def _findings(out: str) -> set[tuple[object, ...]]:
    return {tuple(f.values()) for f in json.loads(out)["findings"]}


@pytest.mark.parametrize("count", [2, 3, 4])
def test_the_union_of_shards_is_one_serial_run(
    count: int, dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    _spread_errors(dataset)
    serial = run_cli("validate", "--root", dataset, "--format", "json", "--no-cache", code=1)
    expected = _findings(serial.stdout)
    assert len({f[0] for f in expected}) >= 6  # errors in many files
    reports, union, holders = [], set(), set()
    for i in range(count):
        shard = run_cli(
            "validate", "--root", dataset, "--shard", f"{i}/{count}", "--format", "json",
            code=None,
        )  # fmt: skip
        found = _findings(shard.stdout)
        union |= found
        holders |= {i} if {f for f in found if not str(f[0]).startswith("schemas/")} else set()
        path = tmp_path / f"shard-{i}.json"
        path.write_text(shard.stdout, "utf-8")
        reports.append(path)
    assert union == expected
    assert len(holders) >= 2  # the errors really were spread over shards
    merged = run_cli("validate", "--merge", *reports, "--format", "json", code=1)
    assert _findings(merged.stdout) == expected
    assert json.loads(merged.stdout)["files_checked"] == json.loads(serial.stdout)["files_checked"]


def test_shards_split_the_files_without_overlap(dataset: Path) -> None:
    ds = Dataset.open(dataset)
    parts = [set(shard_paths(ds, Shard(i, 3))) for i in range(3)]
    every = {f.path for f in ds.all_files()}
    assert set().union(*parts) == every
    assert sum(len(p) for p in parts) == len(every)


@pytest.mark.parametrize("spec", ["4/4", "-1/2", "a/b", "1/0", "1"])
def test_bad_shards_are_usage_errors(spec: str, dataset: Path, run_cli: RunCli) -> None:
    result = run_cli("validate", "--root", dataset, "--shard", spec, code=2)
    assert "is not a shard" in result.stderr


def test_merge_refuses_a_missing_or_repeated_shard(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    first = tmp_path / "a.json"
    first.write_text(
        run_cli("validate", "--root", dataset, "--shard", "0/2", "--format", "json").stdout
    )
    missing = run_cli("validate", "--merge", first, code=2)
    assert "shards missing: 1/2" in missing.stderr
    twice = run_cli("validate", "--merge", first, first, code=2)
    assert "given twice" in twice.stderr
    (tmp_path / "bad.json").write_text("[1, 2]")
    bad = run_cli("validate", "--merge", tmp_path / "bad.json", code=2)
    assert "not a JSON validation report" in bad.stderr


@pytest.mark.parametrize(
    "finding",
    [{"line": [1]}, {"line": None}, {"path": {"a": 1}}, {"severity": "fatal"}, {"column": True}],
)
def test_merge_refuses_findings_of_the_wrong_type(
    finding: dict[str, object], dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    good = {
        "path": "claims/a.yaml", "line": 1, "column": 1, "pointer": "", "rule": "x",
        "severity": "error", "message": "m", "hint": "h",
    }  # fmt: skip
    report = {"shard": "0/1", "files_checked": 1, "findings": [good, {**good, **finding}]}
    report["origin"] = {"dataset": "d", "commit": "unknown", "files": 1}
    (tmp_path / "r.json").write_text(json.dumps(report))
    result = run_cli("validate", "--merge", tmp_path / "r.json", code=2)
    assert "wrong type" in result.stderr


def test_merge_refuses_reports_of_another_run(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    first = tmp_path / "0.json"
    second = tmp_path / "1.json"
    first.write_text(
        run_cli("validate", "--root", dataset, "--shard", "0/2", "--format", "json").stdout
    )
    body = json.loads(
        run_cli("validate", "--root", dataset, "--shard", "1/2", "--format", "json").stdout
    )
    assert body["origin"]["files"] == len(list((dataset / "claims").glob("*.yaml"))) + 1
    second.write_text(json.dumps(body))
    run_cli("validate", "--merge", first, second, code=None)  # one run: merged
    other = {**body, "origin": {**body["origin"], "dataset": "another-dataset"}}
    second.write_text(json.dumps(other))
    refused = run_cli("validate", "--merge", first, second, code=2)
    assert "come from different runs" in refused.stderr
    old = {k: v for k, v in body.items() if k != "origin"}  # a report of an older claimtrack
    second.write_text(json.dumps(old))
    assert (
        "does not say which dataset" in run_cli("validate", "--merge", first, second, code=2).stderr
    )


def test_a_shard_holds_the_same_files_wherever_the_dataset_is(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards go by each file's path from the dataset's root: a CI job in another folder, or
    naming the root another way, checks the same files."""
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(dataset, moved)
    monkeypatch.chdir(moved)
    for count in (2, 3):
        for i in range(count):
            part = Shard(i, count)
            here = [p.relative_to(dataset) for p in shard_paths(Dataset(dataset), part)]
            there = [p.relative_to(moved) for p in shard_paths(Dataset(moved), part)]
            assert here == there == shard_paths(Dataset(Path()), part)
