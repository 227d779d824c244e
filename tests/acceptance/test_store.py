"""Tables kept between runs: the same answers cold, warm and patched; damage rebuilds them;
unchanged files are not read; an edit in the same second is still seen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import claimtrack
from claimtrack.store.layout import Dataset
from claimtrack.tables import built as built_tables
from claimtrack.tables import kept, load
from claimtrack.tables.load import refresh_stored
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.check import check
from claimtrack.validate.runner import validate

from ..conftest import RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
COMMANDS = (
    ("query", "--format", "csv"),
    ("query", "--table", "evidence", "--format", "json"),
    ("query", "--table", "status_history", "--format", "ndjson"),
    ("stats", "--format", "csv"),
)


def _outputs(run_cli: RunCli, root: Path, *extra: str) -> list[str]:
    return [run_cli(*c, "--root", root, *extra).stdout for c in COMMANDS]


def _cold(run_cli: RunCli, root: Path) -> list[str]:
    return _outputs(run_cli, root, "--no-cache")


def _store_state(cache: Path) -> dict[str, object]:
    states = list((cache / "tables").glob("*/state.json"))
    assert len(states) == 1
    data: dict[str, object] = json.loads(states[0].read_text())
    return data


def test_cold_warm_and_patched_tables_give_the_same_bytes(
    dataset: Path, private_cache: Path, run_cli: RunCli
) -> None:
    first = _outputs(run_cli, dataset)  # builds and stores the tables
    assert first == _cold(run_cli, dataset)
    assert _outputs(run_cli, dataset) == first  # read from the store
    # an edit, an addition and a removal between runs: the store is patched
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: event"), "utf-8")
    copy = dataset / "claims" / "a-copied-claim.yaml"
    copy.write_text(claim.read_text("utf-8").replace(f"id: {VALUE}", "id: a-copied-claim"))
    (dataset / "claims" / "aws-is-a-us-company.yaml").unlink()
    patched = _outputs(run_cli, dataset)
    assert patched == _cold(run_cli, dataset)
    assert patched != first
    _store_state(private_cache)
    folder = next((private_cache / "tables").iterdir())
    recorded = pl.read_parquet(folder / "stats.parquet")["path"].to_list()
    assert "claims/a-copied-claim.yaml" in recorded
    assert "claims/aws-is-a-us-company.yaml" not in recorded
    tables = claimtrack.load_tables(dataset)
    cold = claimtrack.load_tables(dataset, cache=False)
    assert all(tables[name].equals(cold[name]) for name in cold)


@pytest.mark.parametrize("damage", ["parquet", "state", "missing"])
def test_a_damaged_store_is_rebuilt(
    damage: str, dataset: Path, private_cache: Path, run_cli: RunCli
) -> None:
    first = _outputs(run_cli, dataset)
    folder = next((private_cache / "tables").iterdir())
    if damage == "parquet":
        data = bytearray((folder / "claims.parquet").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (folder / "claims.parquet").write_bytes(bytes(data))
    elif damage == "state":
        (folder / "state.json").write_text("{not json")
    else:
        (folder / "evidence.parquet").unlink()
    assert _outputs(run_cli, dataset) == first
    assert _outputs(run_cli, dataset) == first


def test_an_invalid_edit_is_reported_not_stored(
    dataset: Path, private_cache: Path, run_cli: RunCli
) -> None:
    first = _outputs(run_cli, dataset)
    claim = dataset / "claims" / f"{VALUE}.yaml"
    good = claim.read_text("utf-8")
    claim.write_text(good.replace("currency: GBP", "currency: XYZ"), "utf-8")
    result = run_cli("query", "--root", dataset, code=1)
    assert "model.unknown-currency" in result.stderr
    claim.write_text(good, "utf-8")
    assert _outputs(run_cli, dataset) == first


def test_a_seed_change_rebuilds_everything(dataset: Path, run_cli: RunCli) -> None:
    _outputs(run_cli, dataset)
    meta = dataset / "seeds" / "000_41d59578b16f00ef.yaml"
    meta.write_text(meta.read_text("utf-8").replace("language: fr", "language: fr-FR"), "utf-8")
    assert _outputs(run_cli, dataset) == _cold(run_cli, dataset)
    sources = run_cli("query", "--root", dataset, "--table", "sources", "--format", "csv").stdout
    assert "fr-FR" in sources


def test_unchanged_files_are_not_read(dataset: Path, private_cache: Path) -> None:
    claims = sorted((dataset / "claims").glob("*.yaml"))
    old = time.time() - 3600  # edited an hour ago: not racily recent
    for path in claims:
        os.utime(path, (old, old))
    store = ResultCache(private_cache)
    try:
        validate(Dataset.open(dataset), cache=store, records=False)
        (claims[0]).chmod(0)  # unreadable now; its metadata still says it is unchanged
        if os.geteuid() == 0:  # root reads anything: show it another way
            (claims[0]).chmod(0o644)
            before = claims[0].read_bytes()
            claims[0].write_bytes(b"x" * len(before))  # same size...
            os.utime(claims[0], (old, old))  # ...same mtime: only ctime tells
        report = validate(Dataset.open(dataset), cache=store, records=False)
    finally:
        store.close()
        claims[0].chmod(0o644)
    if os.geteuid() == 0:
        assert not report.ok  # ctime changed: the file was read again and found broken
    else:
        assert report.ok  # not read at all


def test_a_same_size_edit_in_the_same_second_is_seen(dataset: Path, private_cache: Path) -> None:
    path = dataset / "claims" / f"{VALUE}.yaml"
    store = ResultCache(private_cache)
    try:
        assert validate(Dataset.open(dataset), cache=store, records=False).ok
        text = path.read_text("utf-8")
        stat = path.stat()
        edited = text.replace("text: le Financial Times évoque", "text: le Financial Times évoqua")
        assert len(edited.encode()) == len(text.encode())
        path.write_text(edited, "utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even the same mtime
        report = validate(Dataset.open(dataset), cache=store, records=False)
    finally:
        store.close()
    assert [f.rule for f in report.findings] == ["evidence.not-found"]


EDITS = {  # an edit of the claim, and the tables whose rows it changes
    "statement": (
        ("statement: The contract is", "statement: The deal is"),
        {"claims"},
    ),
    "subject": (
        ("- name: Amazon\n", "- name: Amazon.com\n"),
        {"subjects", "claims"},  # the claims table lists each claim's subjects
    ),
    "translation": (
        ("text: The precise amount of this deal", "text: The exact amount of this deal"),
        {"evidence"},
    ),
    "attribution": (
        ("as_described: le Financial Times\n", "as_described: le FT\n"),
        {"attributions"},
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_patch_rewrites_only_the_tables_whose_rows_changed(
    dataset: Path, private_cache: Path, edit: str
) -> None:
    claimtrack.load_tables(dataset)  # builds and stores the tables
    folder = next((private_cache / "tables").iterdir())
    before = {p.stem: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}
    (old, new), touched = EDITS[edit]
    claim = dataset / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8")
    assert old in text
    claim.write_text(text.replace(old, new, 1), "utf-8")
    time.sleep(0.01)
    tables = claimtrack.load_tables(dataset)
    cold = claimtrack.load_tables(dataset, cache=False)
    assert all(tables[name].equals(cold[name]) for name in cold)
    after = {p.stem: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}
    rewritten = {name for name in before if name != "stats" and after[name] != before[name]}
    assert rewritten == touched
    again = claimtrack.load_tables(dataset)  # the state names the tables kept as they were
    assert all(again[name].equals(cold[name]) for name in cold)


def test_a_removed_file_that_is_not_a_claim_removes_no_claim(
    dataset: Path, private_cache: Path
) -> None:
    stray = dataset / "claims" / "aws-is-a-us-company"  # named like a claim, without .yaml
    stray.write_text("notes", "utf-8")
    claimtrack.load_tables(dataset)
    stray.unlink()
    tables = claimtrack.load_tables(dataset)
    cold = claimtrack.load_tables(dataset, cache=False)
    assert "aws-is-a-us-company" in tables["claims"]["claim_id"].to_list()
    assert all(tables[name].equals(cold[name]) for name in cold)


def test_tables_stored_by_other_code_are_built_again(
    dataset: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same version number, other models or table builders (an editable install): the store
    is not read, whatever its files say."""
    claimtrack.load_tables(dataset)
    folder = next((private_cache / "tables").iterdir())
    before = (folder / "claims.parquet").stat().st_mtime_ns
    monkeypatch.setattr(kept, "code_fingerprint", lambda: "other code")
    time.sleep(0.01)
    tables = claimtrack.load_tables(dataset)
    assert (folder / "claims.parquet").stat().st_mtime_ns != before  # built and stored again
    assert _store_state(private_cache)["versions"]["code"] == "other code"  # type: ignore[index]
    cold = claimtrack.load_tables(dataset, cache=False)
    assert all(tables[name].equals(cold[name]) for name in cold)


_SHOW_ALLOCATOR_SETTING = """
import os, sys
from claimtrack.cli import app
assert "polars" not in sys.modules  # the setting is read when Polars is first imported
sys.argv = ["claimtrack", "--version"]
try:
    app.main()
except SystemExit:
    pass
print(os.environ.get("_RJEM_MALLOC_CONF"))
"""


def _python(args: list[str], extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """This Python with ``args``, without the user's allocator setting, with ``extra`` set."""
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"} | extra
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the setting is Linux's")
@pytest.mark.parametrize("given", [None, "dirty_decay_ms:5000"])
def test_the_command_tunes_polars_allocator_unless_told(given: str | None) -> None:
    """The `claimtrack` command asks Polars' jemalloc to give freed pages back at once, before
    Polars is imported, and keeps a setting the user made."""
    from claimtrack import JEMALLOC_CONF  # noqa: PLC0415

    extra = {"_RJEM_MALLOC_CONF": given} if given is not None else {}
    done = _python(["-c", _SHOW_ALLOCATOR_SETTING], extra)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (given or JEMALLOC_CONF)


def test_the_allocator_setting_is_one_jemalloc_takes(dataset: Path, tmp_path: Path) -> None:
    """A command that reads tables runs with the setting and jemalloc says nothing about it (an
    option it did not know would be printed on stderr)."""
    extra = {"CLAIMTRACK_CACHE_DIR": str(tmp_path / "cache")}
    done = _python(["-m", "claimtrack", "stats", "--root", str(dataset)], extra)
    assert done.returncode == 0, done.stderr
    assert "<jemalloc>" not in done.stderr, done.stderr


def _on_disk(dataset: Path, cache: Path) -> dict[str, pl.DataFrame]:
    state = refresh_stored(Dataset(dataset), cache)
    assert state is not None
    tables = kept.TableStore(cache, dataset).read(state)
    assert tables is not None
    return tables


def test_tables_built_and_patched_on_disk_equal_those_built_in_memory(
    dataset: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `match` reads: the tables written a part at a time (here two claims a chunk, a
    part a chunk), then patched in a stream, never held whole."""
    monkeypatch.setattr(built_tables, "FLUSH", 1)
    monkeypatch.setattr(load, "TABLE_CHUNK", 2)
    built = _on_disk(dataset, private_cache)
    for name, frame in claimtrack.load_tables(dataset, cache=False).items():
        assert_frame_equal(built[name], frame)
    folder = next((private_cache / "tables").iterdir())
    before = {p.stem: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(
        claim.read_text("utf-8").replace("statement: The contract is", "statement: The deal is"),
        "utf-8",
    )
    time.sleep(0.01)
    _on_disk(dataset, private_cache)
    after = {p.stem: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}
    assert {name for name in before if name != "stats" and after[name] != before[name]} == {
        "claims"
    }
    copy = dataset / "claims" / "a-copied-claim.yaml"
    copy.write_text(claim.read_text("utf-8").replace(f"id: {VALUE}", "id: a-copied-claim"))
    (dataset / "claims" / "aws-is-a-us-company.yaml").unlink()
    patched = _on_disk(dataset, private_cache)
    cold = claimtrack.load_tables(dataset, cache=False)
    assert "a-copied-claim" in cold["claims"]["claim_id"].to_list()
    for name, frame in cold.items():
        assert_frame_equal(patched[name], frame)


def test_tables_built_by_worker_processes_equal_those_built_in_one(
    dataset: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validation kept from an earlier run (whose cache has every claim): two workers build
    the rows from the cache, a chunk of two claims each, in order."""
    monkeypatch.setattr(built_tables, "FLUSH", 2)
    monkeypatch.setattr(load, "TABLE_CHUNK", 2)
    from_cache: list[int] = []
    original = built_tables.built_chunks

    def counted(*args: Any) -> Iterator[built_tables.Built]:
        from_cache.append(args[-1])
        return original(*args)

    monkeypatch.setattr(load, "built_chunks", counted)
    results = ResultCache(private_cache)
    try:
        assert check(Dataset(dataset), cache=results).ok  # kept: the next run reads no file
    finally:
        results.close()
    state = refresh_stored(Dataset(dataset), private_cache, jobs=2)
    assert state is not None and from_cache == [2]
    built = kept.TableStore(private_cache, dataset).read(state)
    assert built is not None
    for name, frame in claimtrack.load_tables(dataset, cache=False).items():
        assert_frame_equal(built[name], frame)


def test_a_store_that_cannot_be_written_only_costs_time(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk, as Polars reports it while it writes a table: the command still answers."""
    expected = _cold(run_cli, dataset)

    def full_disk(path: Path, frame: pl.LazyFrame) -> str:
        raise pl.exceptions.ComputeError("underlying IO error: No space left on device")

    monkeypatch.setattr(built_tables, "sink_table", full_disk)
    monkeypatch.setattr(kept, "sink_table", full_disk)
    assert _outputs(run_cli, dataset) == expected
