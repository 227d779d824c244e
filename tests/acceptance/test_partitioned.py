"""Large releases are partitioned: each table a folder of Parquet parts, read as one table by
claimtrack, DuckDB, pyarrow and Spark; small ones keep one file per table."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as pads
import pytest
from pyspark.sql import SparkSession

import claimtrack
from claimtrack.release.publish import release
from claimtrack.release.verify import verify
from claimtrack.store.layout import Dataset
from claimtrack.tables.frames import TABLES

from ..conftest import RunCli, http_server

DATE = "2026-11-28"
PART = 4  # claims per part: the repository's 13 claims make 4 parts


def _release(root: Path, version: str, part_claims: int) -> Path:
    ds = Dataset.open(root)
    release(ds, version=version, date=DATE, changelog=False, part_claims=part_claims)
    return root / "dataset" / version


@pytest.fixture
def pair(tmp_path: Path, dataset: Path) -> tuple[Path, Path]:
    """The same data released whole (in `dataset`) and partitioned (in a copy of it)."""
    other = tmp_path / "other"
    shutil.copytree(dataset, other)
    return _release(dataset, "1.0.0", 1_000), _release(other, "1.0.0", PART)


def _status_counts(frame: pl.DataFrame) -> dict[str, int]:
    return dict(frame.group_by(pl.col("status").cast(pl.String)).len().iter_rows())


def test_a_large_release_writes_parts_and_a_small_one_single_files(
    pair: tuple[Path, Path],
) -> None:
    whole, parted = pair
    manifest = json.loads((parted / "manifest.json").read_text())
    claims = manifest["tables"]["claims"]
    assert claims["rows"] == 13
    assert claims["parts"] == [f"claims/part-{i:05d}.parquet" for i in range(4)]
    listed = {f["path"] for f in manifest["files"]}
    for name, info in manifest["tables"].items():
        assert set(info["parts"]) <= listed
        assert not (parted / f"{name}.parquet").exists()
        for part in info["parts"]:
            if name == "claims":
                assert pl.read_parquet(parted / part).height <= PART
    assert (whole / "claims.parquet").is_file()
    assert "parts" not in json.loads((whole / "manifest.json").read_text())["tables"]["claims"]
    assert verify(parted) == []
    assert verify(whole) == []


def test_parts_hold_the_same_rows_and_the_other_files_the_same_bytes(
    pair: tuple[Path, Path],
) -> None:
    whole, parted = pair
    for name in TABLES:
        one = pl.read_parquet(whole / f"{name}.parquet")
        parts = pl.read_parquet(parted / name / "*.parquet")
        assert parts.equals(one), name
        assert (parted / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes()
    assert (parted / "claims.jsonl").read_bytes() == (whole / "claims.jsonl").read_bytes()
    one, parts = (json.loads((f / "datapackage.json").read_bytes()) for f in (whole, parted))
    tabular = [r for r in one["resources"] if r["type"] == "table"]
    assert tabular == [r for r in parts["resources"] if r["type"] == "table"]
    manifest = json.loads((parted / "manifest.json").read_bytes())
    listed = {r["name"]: r["path"] for r in parts["resources"] if r["format"] == "parquet"}
    assert listed == {
        f"{n.replace('_', '-')}-parquet": info["parts"] for n, info in manifest["tables"].items()
    }


def test_load_scans_the_parts_lazily(pair: tuple[Path, Path]) -> None:
    whole, parted = pair
    root = parted.parent.parent
    lazy = claimtrack.load(root, version="1.0.0", lazy=True)
    assert isinstance(lazy, pl.LazyFrame)
    assert "Parquet" in lazy.explain() or "parquet" in lazy.explain().lower()
    disputed = lazy.filter(pl.col("status") == "disputed").select("claim_id").collect()
    eager = claimtrack.load(whole.parent.parent, version="1.0.0")
    assert (
        disputed["claim_id"].to_list()
        == eager.filter(pl.col("status") == "disputed")["claim_id"].to_list()
    )
    tables = claimtrack.load_tables(root, version="1.0.0")
    assert {n: t.height for n, t in tables.items()} == {
        n: t.height for n, t in claimtrack.load_tables(whole.parent.parent, version="1.0.0").items()
    }


def test_inside_a_partitioned_release_its_rows_are_read_not_an_empty_tree(
    pair: tuple[Path, Path], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A downloaded partitioned release has a claims/ folder (of Parquet parts): run inside it,
    readers read the release, and commands that need a dataset say it is not one."""
    whole, parted = pair
    expected = claimtrack.load(whole)
    monkeypatch.chdir(parted)
    assert claimtrack.load().equals(expected)
    assert (
        claimtrack.load_tables()["evidence"].height
        == claimtrack.load_tables(whole)["evidence"].height
    )
    shown = run_cli("query", "--columns", "claim_id", "--format", "csv")
    lines = shown.output.splitlines()
    assert lines[lines.index("claim_id") + 1 :] == expected["claim_id"].to_list()
    refused = run_cli("validate", code=2)
    assert "a published release, not a dataset's working tree" in refused.output
    checked = run_cli("verify")
    assert "release 1.0.0 is intact" in checked.output


def test_verify_checks_every_part(pair: tuple[Path, Path], run_cli: RunCli) -> None:
    _, parted = pair
    part = parted / "evidence" / "part-00002.parquet"
    part.write_bytes(part.read_bytes()[:-10])
    (parted / "claims" / "part-00009.parquet").write_bytes(b"PAR1")
    result = run_cli("verify", "1.0.0", "--root", parted.parent.parent, code=1)
    assert "evidence/part-00002.parquet" in result.output
    assert "claims/part-00009.parquet" in result.output  # not in the manifest


def test_a_manifest_part_outside_its_table_is_refused(pair: tuple[Path, Path]) -> None:
    _, parted = pair
    path = parted / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["tables"]["claims"]["parts"][0] = "evidence/part-00000.parquet"
    path.write_text(json.dumps(manifest))
    assert any("outside `claims/`" in p.message for p in verify(parted))
    with pytest.raises(claimtrack.ClaimtrackError, match="outside"):
        claimtrack.load(parted.parent.parent, version="1.0.0")


def test_duckdb_and_pyarrow_read_the_parts_as_one_table(pair: tuple[Path, Path]) -> None:
    _, parted = pair
    expected = _status_counts(pl.read_parquet(parted / "claims" / "*.parquet"))
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT CAST(status AS VARCHAR), count(*) FROM read_parquet(?) GROUP BY 1",
            [str(parted / "claims" / "*.parquet")],
        ).fetchall()
    assert dict(rows) == expected
    assert pads.dataset(parted / "claims", format="parquet").count_rows() == sum(expected.values())


def test_spark_reads_the_parts_as_one_table(pair: tuple[Path, Path]) -> None:
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")) and not os.environ.get("CI"):
        pytest.skip("no Java runtime here (.ci/run installs one)")
    _, parted = pair
    expected = _status_counts(pl.read_parquet(parted / "claims" / "*.parquet"))
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("claimtrack-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    try:
        frame = spark.read.parquet(str(parted / "claims"))
        counts = {r["status"]: r["count"] for r in frame.groupBy("status").count().collect()}
        assert frame.count() == sum(expected.values())
    finally:
        spark.stop()
    assert counts == expected


def test_a_partitioned_release_loads_from_its_url(pair: tuple[Path, Path]) -> None:
    whole, parted = pair
    with http_server(parted.parent) as base:
        tables = claimtrack.load_tables(f"{base}1.0.0/")
    for name, frame in tables.items():
        assert frame.equals(pl.read_parquet(whole / f"{name}.parquet")), name


def test_verify_seeds_reads_the_parts(pair: tuple[Path, Path], run_cli: RunCli) -> None:
    _, parted = pair
    root = parted.parent.parent
    run_cli("verify", "1.0.0", "--root", root, "--seeds", root / "seeds")


def test_a_linked_table_folder_is_never_read(pair: tuple[Path, Path], tmp_path: Path) -> None:
    _, parted = pair
    outside = tmp_path / "outside-evidence"
    shutil.move(parted / "evidence", outside)
    (parted / "evidence").symlink_to(outside)
    problems = verify(parted)
    assert any(p.path == "evidence" and "link" in p.message for p in problems)
    assert not any(p.path.startswith("evidence/") and "SHA" in p.message for p in problems)
    with pytest.raises(claimtrack.ClaimtrackError, match="link"):
        claimtrack.load_tables(parted.parent.parent, version="1.0.0", lazy=True)
