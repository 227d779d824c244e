"""One pass: `validate` with the cache also writes the stored tables, from the claims its
workers check, so the first `query`, `stats` or `load()` after it reads them without building
them again; the files are byte for byte those built from the cache."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import claimtrack
from claimtrack.store import stats as stats_module
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.layout import Dataset
from claimtrack.store.listing import Prefetch, list_entries
from claimtrack.store.stats import file_stats
from claimtrack.tables import built as built_tables
from claimtrack.tables import front, kept, load
from claimtrack.tables.kept import TableStore
from claimtrack.tables.load import refresh_stored
from claimtrack.validate import batches
from claimtrack.validate import check as check_module
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.check import check

from ..conftest import RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
SEED = "000_41d59578b16f00ef"


def _more_claims(root: Path, count: int) -> None:
    """Copies of a claim whose file order is not their id order (`a-0.yaml` sorts before
    `a.yaml`, id `a` before `a-0`), some in a folder of their own."""
    source = (root / "claims" / f"{VALUE}.yaml").read_text("utf-8")
    (root / "claims" / "nested").mkdir()
    for i in range(count):
        name = f"copy-{i // 3:03d}" + ("" if i % 3 == 0 else f"-{i % 3}")
        folder = root / "claims" / ("nested" if i % 5 == 0 else "")
        (folder / f"{name}.yaml").write_text(source.replace(f"id: {VALUE}", f"id: {name}"))


def _stored_hashes(dataset: Path, cache: Path) -> dict[str, str]:
    store = TableStore(cache, dataset)
    state = store.state()
    assert state is not None, "no stored tables"
    files = {p.stem: p for p in store.folder.glob("*.parquet") if p.stem != "stats"}
    hashes = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}
    assert hashes == state["parquet"]
    return hashes


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_: object, **__: object) -> None:
        raise AssertionError("the stored tables were validated and built again")

    monkeypatch.setattr(check_module, "check", refused)


def test_validate_writes_the_tables_the_first_query_reads(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = claimtrack.load_tables(dataset, cache=False)
    run_cli("validate", "--root", dataset)
    stored = TableStore(private_cache, dataset)
    state = stored.state()
    assert state is not None
    tables = stored.read(state)
    assert tables is not None
    for name, frame in cold.items():
        assert_frame_equal(tables[name], frame)
    assert not list(stored.folder.glob(".run-*"))  # the parts are gone
    _no_validation(monkeypatch)
    out = run_cli("query", "--root", dataset, "--format", "csv", "--columns", "claim_id")
    assert VALUE in out.stdout
    assert claimtrack.load_tables(dataset)["claims"].equals(cold["claims"])


def test_tables_of_the_validating_workers_equal_those_built_from_the_cache(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two validation workers, small batches, a part written per batch: byte for byte the
    files the tables' own build writes from the cache, and equal to a cold build."""
    _more_claims(dataset, 60)
    monkeypatch.setattr(batches, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(built_tables, "RUN_FLUSH", 1)
    made: list[str] = []
    monkeypatch.setattr(load, "built_chunks", _counting(built_tables.built_chunks, made))
    one_pass = tmp_path / "one-pass"
    state = refresh_stored(Dataset(dataset), one_pass, jobs=2)
    assert state is not None
    assert made == []  # made by the validating run, not from the cache
    from_cache = tmp_path / "from-cache"
    results = ResultCache(from_cache)
    try:  # a kept run, with no tables: they are built from the cache
        assert check(Dataset(dataset), cache=results, jobs=2).ok
    finally:
        results.close()
    assert refresh_stored(Dataset(dataset), from_cache, jobs=2) is not None
    assert made == ["built"]
    assert _stored_hashes(dataset, one_pass) == _stored_hashes(dataset, from_cache)
    tables = TableStore(one_pass, dataset).read(state)
    assert tables is not None
    for name, frame in claimtrack.load_tables(dataset, cache=False).items():
        assert_frame_equal(tables[name], frame)


def _counting(original: object, made: list[str]) -> object:
    def counted(*args: object) -> object:
        made.append("built")
        return original(*args)  # type: ignore[operator]

    return counted


def test_an_invalid_dataset_gets_no_tables(
    dataset: Path, private_cache: Path, run_cli: RunCli
) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    run_cli("validate", "--root", dataset, code=1)
    assert TableStore(private_cache, dataset).state() is None
    assert not list((private_cache / "tables").glob("*/.run-*"))


def test_a_run_that_reads_claims_from_the_cache_leaves_the_tables_to_the_reader(
    dataset: Path, private_cache: Path, run_cli: RunCli
) -> None:
    """A seed edited: every claim is served from the cache, so the run has no rows to give;
    the tables stored before are not trusted, and the next reader builds them again."""
    run_cli("validate", "--root", dataset)
    before = _stored_hashes(dataset, private_cache)
    seed = dataset / "seeds" / f"{SEED}.yaml"
    text = seed.read_text("utf-8")
    seed.write_text(text.replace("notes: 'French news article.", "notes: 'Archived for the tests."))
    run_cli("validate", "--root", dataset)
    assert _stored_hashes(dataset, private_cache) == before  # not written by that run
    tables = claimtrack.load_tables(dataset)
    assert tables["sources"]["notes"].str.starts_with("Archived for the tests.").any()
    cold = claimtrack.load_tables(dataset, cache=False)
    for name, frame in cold.items():
        assert_frame_equal(tables[name], frame)


def test_validate_without_the_cache_writes_no_tables(
    dataset: Path, private_cache: Path, run_cli: RunCli
) -> None:
    run_cli("validate", "--root", dataset, "--no-cache")
    assert not (private_cache / "tables").exists()


def test_tables_that_cannot_be_written_leave_validate_as_it_was(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while the tables are written: validate still passes, and the first query
    builds them."""

    def full_disk(path: Path, frame: object) -> str:
        raise OSError(28, "No space left on device")

    original = kept.sink_table
    monkeypatch.setattr(built_tables, "sink_table", full_disk)
    run_cli("validate", "--root", dataset)
    assert TableStore(private_cache, dataset).state() is None
    monkeypatch.setattr(built_tables, "sink_table", original)
    out = run_cli("query", "--root", dataset, "--format", "csv", "--columns", "claim_id")
    assert VALUE in out.stdout


def _listing(root: Path) -> bytes:
    buffer = io.BytesIO()
    file_stats(root).write_parquet(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("in_order", [True, False])
def test_rows_out_of_id_order_are_not_joined_into_tables(
    dataset: Path, tmp_path: Path, in_order: bool
) -> None:
    """The tables are the batches' rows one after another, never sorted whole: batches that
    do not follow one another in id order leave the tables to the reader."""
    claims = claimtrack.load_tables(dataset, cache=False)["claims"]
    ids = claims["claim_id"].to_list()[:2]
    empty = built_tables.frames_of([])
    with built_tables.TablesOfRun(tmp_path, dataset) as rows:
        for claim_id in ids if in_order else reversed(ids):
            rows.add({**empty, "claims": claims.filter(claims["claim_id"] == claim_id)})
        rows.finish([], _listing(dataset), 0)
        assert (rows.hashes is not None) is in_order
    assert (TableStore(tmp_path, dataset).state() is not None) is in_order


def test_rows_a_worker_could_not_make_leave_the_tables_to_the_reader(
    dataset: Path, tmp_path: Path
) -> None:
    with built_tables.TablesOfRun(tmp_path, dataset) as rows:
        rows.add(built_tables.frames_of([]))
        rows.add(None)
        rows.finish([], _listing(dataset), 0)
        assert rows.hashes is None


def test_parts_that_cannot_be_written_leave_validate_and_query_as_they_were(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while a run writes out its rows: the run still passes, and the first
    query builds the tables."""

    def full_disk(self: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(built_tables, "RUN_FLUSH", 1)
    original = built_tables.Parts.flush
    monkeypatch.setattr(built_tables.Parts, "flush", full_disk)
    run_cli("validate", "--root", dataset)
    assert TableStore(private_cache, dataset).state() is None
    assert not list((private_cache / "tables").glob("*/.run-*"))
    monkeypatch.setattr(built_tables.Parts, "flush", original)
    out = run_cli("query", "--root", dataset, "--format", "csv", "--columns", "claim_id")
    assert VALUE in out.stdout


def test_a_cache_folder_that_is_a_file_fails_no_command(
    dataset: Path, tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("not a folder")
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(not_a_folder))
    run_cli("validate", "--root", dataset)
    out = run_cli("query", "--root", dataset, "--format", "csv", "--columns", "claim_id")
    assert VALUE in out.stdout
    assert claimtrack.load_tables(dataset)["claims"].height == out.stdout.count("\n") - 1


def test_query_reads_the_listing_made_in_a_child_of_its_own_folder_only(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored tables are compared with the listing the child made; a listing of another
    folder is never used for this one."""
    cache = tmp_path / "cache"
    assert refresh_stored(Dataset(dataset), cache) is not None
    listed: list[Path] = []
    original = list_entries

    def counted(root: Path) -> object:
        listed.append(root)
        return original(root)

    monkeypatch.setattr(stats_module, "list_entries", counted)
    with Prefetch(dataset) as prefetch:
        assert refresh_stored(Dataset(dataset), cache, prefetch=prefetch) is not None
    assert listed == []  # the child's listing was used
    other = tmp_path / "other"
    (other / "claims").mkdir(parents=True)
    with Prefetch(other) as prefetch:
        state = refresh_stored(Dataset(dataset), cache, prefetch=prefetch)
    assert listed == [dataset]  # listed here: the child listed another folder
    tables = TableStore(cache, dataset).read(state or {})
    assert tables is not None and VALUE in tables["claims"]["claim_id"].to_list()


def test_rows_that_fail_to_build_never_fail_validate(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(claims: object) -> object:
        raise ValueError("a table builder's bug")

    monkeypatch.setattr(built_tables.TablesOfRun, "build", staticmethod(broken))
    run_cli("validate", "--root", dataset)
    assert TableStore(private_cache, dataset).state() is None


def test_load_tables_on_a_fresh_cache_writes_each_table_once(
    dataset: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-memory reader's first run: the validating run writes the tables, which are read
    back and named in the state, not written again."""
    written: list[str] = []
    original = atomic_write_bytes

    def recorded(path: Path, data: bytes) -> None:
        written.append(path.name)
        original(path, data)

    monkeypatch.setattr(kept, "atomic_write_bytes", recorded)
    tables = claimtrack.load_tables(dataset)
    assert sorted(written) == ["state.json", "stats.parquet"]
    _stored_hashes(dataset, private_cache)  # every file has the hash its state names
    for name, frame in claimtrack.load_tables(dataset, cache=False).items():
        assert_frame_equal(tables[name], frame)


def test_load_reads_only_the_stored_claims_table(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`load()` after `validate`: the claims table is read from the store (checked against its
    hash), and no other table is read, so none is held in memory."""
    cold = claimtrack.load(dataset, cache=False)
    run_cli("validate", "--root", dataset)
    checking = check_module.check
    _no_validation(monkeypatch)
    store = TableStore(private_cache, dataset)
    read: list[str] = []
    original = TableStore.read

    def recorded(
        self: TableStore, state: dict[str, Any], names: Sequence[str] | None = None
    ) -> dict[str, pl.DataFrame] | None:
        read.extend(names or ["every table"])
        return original(self, state, names)

    monkeypatch.setattr(TableStore, "read", recorded)
    assert_frame_equal(claimtrack.load(dataset), cold)
    assert read == ["claims"]
    (store.folder / "claims.parquet").write_bytes(b"damaged")
    monkeypatch.setattr(check_module, "check", checking)  # validated and built again
    assert_frame_equal(claimtrack.load(dataset), cold)


def test_load_lists_the_working_tree_in_a_child_while_it_imports(
    dataset: Path, private_cache: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`load()` and `load_tables()` of a working tree start its listing in a child process
    before importing Polars and the models, as `query` does, and compare the stored tables
    with that listing; without the cache nothing is listed ahead."""
    run_cli("validate", "--root", dataset)
    listed: list[Path] = []
    original = list_entries

    def counted(root: Path) -> object:
        listed.append(root)
        return original(root)

    started: list[Path] = []

    class Recorded(Prefetch):
        def __init__(self, root: Path) -> None:
            started.append(root)
            super().__init__(root)

    monkeypatch.setattr(stats_module, "list_entries", counted)
    monkeypatch.setattr(front, "Prefetch", Recorded)
    monkeypatch.setattr(front, "_imported", lambda: False)  # as in a fresh process
    assert VALUE in claimtrack.load(dataset)["claim_id"].to_list()
    assert "evidence" in claimtrack.load_tables(str(dataset), lazy=True)
    monkeypatch.chdir(dataset)
    assert VALUE in claimtrack.load()["claim_id"].to_list()
    assert started == [dataset, dataset, Path()]
    assert listed == []  # every listing came from the child
    claimtrack.load(dataset, cache=False)
    assert len(started) == 3
