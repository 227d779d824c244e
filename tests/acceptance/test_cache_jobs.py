"""The validation cache, parallel workers and --changed-since give the same findings, faster."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from claimtrack.store.layout import DataFile, Dataset
from claimtrack.validate import batches, runner
from claimtrack.validate import cache as cache_module
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.runner import PARALLEL_MIN_FILES, validate

from ..conftest import RunCli, committed

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
SEED = "000_41d59578b16f00ef"


def run(root: Path, folder: Path, **kw: object) -> tuple[list[tuple[str, int, str]], int]:
    store = ResultCache(folder)
    try:
        report = validate(Dataset.open(root), cache=store, records=False, **kw)  # type: ignore[arg-type]
    finally:
        store.close()
    return [(f.path, f.line, f.rule) for f in report.findings], report.cache_hits


def test_second_run_is_served_from_the_cache(dataset: Path, tmp_path: Path) -> None:
    first, hits = run(dataset, tmp_path / "c")
    assert (first, hits) == ([], 0)
    second, hits = run(dataset, tmp_path / "c")
    assert second == [] and hits == 14


def test_changed_file_is_checked_again(dataset: Path, tmp_path: Path) -> None:
    run(dataset, tmp_path / "c")
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    findings, hits = run(dataset, tmp_path / "c")
    assert hits == 13
    assert [rule for _, _, rule in findings] == ["model.unknown-currency"]


def test_changed_schema_invalidates(dataset: Path, tmp_path: Path) -> None:
    run(dataset, tmp_path / "c")
    schema = dataset / "schemas" / "claim.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"maxLength": 300', '"maxLength": 30'))
    findings, hits = run(dataset, tmp_path / "c")
    assert hits == 1  # only the seed metadata: its schema did not change
    rules = {rule for _, _, rule in findings}
    assert "schema.maxLength" in rules and "schema.stale" in rules


def test_changed_tool_code_invalidates(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(dataset, tmp_path / "c")
    assert run(dataset, tmp_path / "c")[1] > 0
    # another version, or other validation code: the digest the keys are made of differs
    monkeypatch.setattr(cache_module, "validation_code", lambda: "other code")
    assert run(dataset, tmp_path / "c")[1] == 0


def test_changed_seed_rechecks_the_quotes_of_cached_claims(dataset: Path, tmp_path: Path) -> None:
    run(dataset, tmp_path / "c")
    text = dataset / "seeds" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace(b"500 millions", b"600 millions"))
    findings, hits = run(dataset, tmp_path / "c")
    assert hits == 14, "claims and seed metadata are unchanged"
    rules = {(Path(path).name, rule) for path, _, rule in findings}
    assert (f"{SEED}.yaml", "seed.hash-mismatch") in rules
    assert (f"{VALUE}.yaml", "evidence.not-found") in rules


def test_damaged_cache_is_ignored(dataset: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / cache_module.FILE_NAME).write_bytes(b"this is not a database")
    assert run(dataset, folder) == ([], 0)


def test_records_from_the_cache_equal_fresh_ones(dataset: Path, tmp_path: Path) -> None:
    store = ResultCache(tmp_path / "c")
    fresh = validate(Dataset.open(dataset), cache=store)
    cached = validate(Dataset.open(dataset), cache=store)
    store.close()
    assert cached.cache_hits == 14
    assert cached.claims == fresh.claims and cached.seeds == fresh.seeds


def many_claims(root: Path, count: int) -> None:
    source = (root / "claims" / f"{VALUE}.yaml").read_text("utf-8")
    for i in range(count):
        text = source.replace(f"id: {VALUE}", f"id: copy-{i:04d}")
        if i % 97 == 0:
            text = text.replace("currency: GBP", "currency: XYZ")
        (root / "claims" / f"copy-{i:04d}.yaml").write_text(text, "utf-8")


def test_jobs_give_the_same_findings_as_a_serial_run(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many_claims(dataset, PARALLEL_MIN_FILES + 50)
    workers: list[int] = []
    original = ProcessPoolExecutor

    def counted(jobs: int, **kwargs: Any) -> object:
        workers.append(jobs)
        return original(jobs, **kwargs)

    monkeypatch.setattr(batches, "ProcessPoolExecutor", counted)
    serial = validate(Dataset.open(dataset), jobs=1)
    assert workers == []  # one process
    parallel = validate(Dataset.open(dataset), jobs=2)
    assert workers == [2]  # the files were checked by two worker processes
    assert serial.findings == parallel.findings
    assert len(serial.findings) == 5
    assert serial.files == parallel.files


def test_a_run_in_parts_gives_the_same_report(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large run looks up cache keys and results a part at a time, with one pool of workers
    for all parts: the same findings and keys as a run in one part, cold and warm."""
    many_claims(dataset, 300)
    whole = validate(Dataset.open(dataset), jobs=2, cache=None)
    monkeypatch.setattr(runner, "PART", 97)
    monkeypatch.setattr(batches, "PARALLEL_MIN_FILES", 20)  # every part in worker processes
    pools: list[object] = []
    original = ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> object:
        pools.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(batches, "ProcessPoolExecutor", counted)
    for _ in ("cold", "warm"):
        store = ResultCache(tmp_path / "cache")
        try:
            parts = validate(Dataset.open(dataset), jobs=2, cache=store, records=False)
        finally:
            store.close()
        assert parts.findings == whole.findings
        assert parts.files == whole.files
        assert len(parts.file_keys) == len(whole.files)  # every regular file has its key
    assert parts.cache_hits == len(whole.files)  # the warm run: every file from the cache
    assert len(pools) == 1  # the cold run: one pool of workers for its four parts


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_checks_only_changed_files(dataset: Path, run_cli: RunCli) -> None:
    committed(dataset)
    run_cli("validate", "--root", dataset, "--changed-since", "HEAD")
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    out = run_cli(
        "validate", "--root", dataset, "--changed-since", "HEAD", "--format", "json", code=1
    ).stdout
    assert '"files_checked": 1' in out and "model.unknown-currency" in out
    bad = run_cli("validate", "--root", dataset, "--changed-since", "no-such-ref", code=2)
    assert "git" in bad.stderr


def _age(root: Path, seconds: int) -> None:
    """Set every record file's modification time ``seconds`` into the past."""
    for path in [*root.glob("claims/**/*.yaml"), *root.glob("seeds/*.yaml")]:
        stamp = path.stat().st_mtime - seconds
        os.utime(path, (stamp, stamp))


def test_a_warm_run_does_not_read_unchanged_files(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(dataset, 60)
    run(dataset, tmp_path / "c")  # records each file's metadata and digest
    reads: list[Path] = []
    original = batches.read_file

    def counting(file: DataFile) -> bytes | None:
        reads.append(file.path)
        return original(file)

    monkeypatch.setattr(runner, "read_file", counting)  # hashed for a cache key
    monkeypatch.setattr(batches, "read_file", counting)  # checked
    assert run(dataset, tmp_path / "c") == ([], 14)
    assert reads == []
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: purpose "), "utf-8")
    run(dataset, tmp_path / "c")
    assert set(reads) == {claim}  # same size, just now: read again (the racy-timestamp rule)
