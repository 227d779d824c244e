"""Releases: versioned, immutable, atomic, reproducible and verifiable; readable by real readers."""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import claimtrack
from claimtrack.model.records import SCHEMA_VERSION, SourceDocument
from claimtrack.model.vocab import Redistribution
from claimtrack.release import in_memory, publish, rights
from claimtrack.release import writer as writer_module
from claimtrack.release.writer import ReleaseWriter
from claimtrack.store import releases as store_releases
from claimtrack.store.layout import Dataset
from claimtrack.tables.load import PackagedRelease
from claimtrack.validate.runner import validate

from ..conftest import REPO, RunCli, publishable

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
DATE = "2026-11-28"


@pytest.fixture
def released(dataset: Path, run_cli: RunCli) -> Path:
    """A copy of the dataset with release 1.0.0 cut from it."""
    (dataset / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- Work.\n")
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--date", DATE)
    return dataset


def edit(root: Path, old: str, new: str, claim: str = VALUE) -> None:
    path = root / "claims" / f"{claim}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def add_claim(root: Path, claim_id: str) -> None:
    text = (root / "claims" / f"{VALUE}.yaml").read_text("utf-8")
    (root / "claims" / f"{claim_id}.yaml").write_text(
        text.replace(f"id: {VALUE}", f"id: {claim_id}")
    )


def test_release_contents_and_manifest(released: Path, run_cli: RunCli) -> None:
    folder = released / "dataset" / "1.0.0"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == "1.0.0" and manifest["release_date"] == DATE
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["tables"]["claims"]["rows"] == 13
    names = {f["path"] for f in manifest["files"]}
    assert {
        "claims.parquet",
        "claims.jsonl",
        "claims.csv",
        "datapackage.json",
        "README.md",
        "seeds/000_41d59578b16f00ef.meta.json",
    } <= names
    assert "seeds/000_41d59578b16f00ef.txt" not in names  # its rights keep the text out
    card = (folder / "README.md").read_text()
    assert card.startswith("---\npretty_name:") and 'load("1.0.0/")' in card
    assert "claimtrack verify 1.0.0/" in card  # a form that works for a downloaded copy
    assert "## [1.0.0] - 2026-11-28" in (released / "CHANGELOG.md").read_text()
    assert "release 1.0.0 is intact" in run_cli("verify", "1.0.0", "--root", released).stdout


# what a release withholds of the article, whose seed is `redistribution: none`
WITHHELD = {
    "evidence": ["text", "translation_text"],
    "claims": ["original_text"],
    "responses": ["words"],
    "attributions": ["as_described"],
}


def test_load_a_release_equals_the_working_tree(released: Path) -> None:
    worktree = claimtrack.load_tables(released)
    release = claimtrack.load_tables(released, version="1.0.0")
    for name, frame in worktree.items():
        gone = WITHHELD.get(name, [])
        for column in gone:  # withheld where the worktree has a value
            had = frame[column].is_not_null()
            assert release[name].filter(had)[column].null_count() == had.sum(), (name, column)
        assert release[name].drop(gone).equals(frame.drop(gone)), name
    latest = claimtrack.load(released, version="latest")
    assert latest.drop(WITHHELD["claims"]).equals(worktree["claims"].drop(WITHHELD["claims"]))


def test_real_readers_accept_the_release(released: Path) -> None:
    folder = released / "dataset" / "1.0.0"
    table = pq.read_table(folder / "claims.parquet")
    assert table.num_rows == 13
    relation = duckdb.sql(f"SELECT count(*) FROM read_parquet('{folder / 'evidence.parquet'}')")
    quotes = claimtrack.load_tables(released)["evidence"].height
    assert relation is not None and relation.fetchall() == [(quotes,)]
    from frictionless import validate as frictionless_validate  # noqa: PLC0415 - slow import

    report = frictionless_validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_same_inputs_give_the_same_bytes(dataset: Path) -> None:
    ds = Dataset.open(dataset)
    report = validate(ds)
    one = in_memory.build_files(ds, report.claims, report.seeds, "1.0.0", DATE, "abc")
    again = validate(Dataset.open(dataset))
    two = in_memory.build_files(ds, list(reversed(again.claims)), again.seeds, "1.0.0", DATE, "abc")
    assert one == two


def test_existing_version_is_never_overwritten(released: Path, run_cli: RunCli) -> None:
    before = (released / "dataset" / "1.0.0" / "manifest.json").read_bytes()
    edit(released, "status: reported\nhistory", "status: reported\nhistory")
    result = run_cli("release", "--root", released, "--version", "1.0.0", code=2)
    assert "not after the latest release" in result.stderr
    assert (released / "dataset" / "1.0.0" / "manifest.json").read_bytes() == before


def test_nothing_changed_is_refused(released: Path, run_cli: RunCli) -> None:
    result = run_cli("release", "--root", released, "--bump", "patch", code=2)
    assert "nothing changed" in result.stderr


def test_semver_is_enforced_from_the_semantic_diff(released: Path, run_cli: RunCli) -> None:
    add_claim(released, "a-new-claim")
    refused = run_cli("release", "--root", released, "--version", "1.0.1", code=2)
    assert "need a minor bump" in refused.stderr and "claim added: a-new-claim" in refused.stderr
    assert "1.1.0" in refused.stderr
    run_cli("release", "--root", released, "--bump", "minor", "--date", DATE)
    assert (released / "dataset" / "1.1.0" / "manifest.json").is_file()
    (released / "claims" / "a-new-claim.yaml").unlink()
    refused = run_cli("release", "--root", released, "--bump", "minor", code=2)
    assert "claim removed: a-new-claim" in refused.stderr
    run_cli("release", "--root", released, "--date", DATE)  # default: the bump needed
    assert (released / "dataset" / "2.0.0").is_dir()


CORRECTION = (
    "- date: '2026-12-07'\n  wrong: The statement wrote ten in words.\n"
    "  change: It writes 10 in figures.\n  reason: House style.\nnotes: "
)


def test_wording_fix_is_a_patch(released: Path, run_cli: RunCli) -> None:
    edit(released, "over the next ten years.", "over the next 10 years.")
    out = run_cli("diff", "1.0.0", "--root", released).stdout
    assert "needs a patch version bump" in out and "statement" in out
    assert "without a `corrections` entry" in out
    refused = run_cli("release", "--root", released, "--bump", "patch", "--date", DATE, code=2)
    assert f"without a correction entry: {VALUE} (statement)" in refused.stderr
    assert not (released / "dataset" / "1.0.1").exists()
    edit(released, "\nnotes: ", "\n" + CORRECTION)
    out = run_cli("diff", "1.0.0", "--root", released).stdout
    assert "needs a patch version bump" in out  # a correction entry adds no bump of its own
    assert "correction: 2026-12-07: was: The statement wrote ten in words." in out
    run_cli("release", "--root", released, "--bump", "patch", "--date", DATE)
    log = (released / "CHANGELOG.md").read_text("utf-8")
    assert "### Dataset: Corrected" in log and "It writes 10 in figures." in log


def test_diff_reports_status_transitions(released: Path, run_cli: RunCli) -> None:
    edit(released, "status: reported\nhistory", "status: confirmed\nhistory")
    edit(
        released,
        "responses:\n",
        "- date: '2022-01-10'\n  status: confirmed\n  reason: "
        "Confirmed.\n  evidence:\n  - q1\nresponses:\n",
    )
    body = json.loads(
        run_cli("diff", "1.0.0", "worktree", "--root", released, "--format", "json").stdout
    )
    assert body["bump"] == "minor"
    (change,) = body["changed"]
    assert change["claim_id"] == VALUE and change["status"] == ["reported", "confirmed"]
    markdown = run_cli("diff", "1.0.0", "--root", released, "--format", "markdown").stdout
    assert f"`{VALUE}`: status reported → confirmed" in markdown


def test_invalid_working_tree_cannot_be_released(dataset: Path, run_cli: RunCli) -> None:
    edit(dataset, "currency: GBP", "currency: XYZ")
    result = run_cli("release", "--root", dataset, "--version", "1.0.0", code=1)
    assert "claimtrack validate" in result.stderr
    assert not (dataset / "dataset" / "1.0.0").exists()


def test_a_failing_release_leaves_nothing_behind(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Path, target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "rename", broken)
    with pytest.raises(claimtrack.ClaimtrackError, match="disk full"):
        publish.release(Dataset.open(dataset), version="1.0.0", date=DATE, changelog=False)
    leftovers = [p.name for p in (dataset / "dataset").iterdir()]
    assert leftovers == [".release.lock"]  # the lock stays, empty; no staging, no release


@pytest.mark.parametrize("damage", ["flip", "remove", "add"])
def test_verify_detects_damage(released: Path, run_cli: RunCli, damage: str) -> None:
    folder = released / "dataset" / "1.0.0"
    target = folder / "evidence.parquet"
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
    elif damage == "remove":
        target.unlink()
    else:
        (folder / "extra.txt").write_text("x")
    out = run_cli("verify", "--root", released, code=1).stdout
    expected = {
        "flip": "evidence.parquet: SHA-256 differs",
        "remove": "evidence.parquet: missing",
        "add": "extra.txt: not in the manifest",
    }[damage]
    assert expected in out


def test_unknown_version(released: Path, run_cli: RunCli) -> None:
    assert "no release 9.9.9" in run_cli("verify", "9.9.9", "--root", released, code=2).stderr
    with pytest.raises(claimtrack.ClaimtrackError, match=r"no release 9\.9\.9"):
        claimtrack.load(released, version="9.9.9")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split("."))


def test_wheel_ships_the_releases(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415 - build tooling

    if not (REPO / "dataset" / "1.0.0" / "manifest.json").exists():
        pytest.skip("no release committed yet")
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv*", ".git", "*cache*"))
    wheel = next(iter(WheelBuilder(str(source)).build(directory=str(tmp_path))))
    names = zipfile.ZipFile(wheel).namelist()
    latest = max((p.name for p in (REPO / "dataset").iterdir() if p.is_dir()), key=_version)
    assert "claimtrack/_releases/1.0.0/manifest.json" in names
    assert f"claimtrack/_releases/{latest}/claims.parquet" in names
    # withdrawn from publication (dataset/withdrawn.json): the repository keeps them
    assert "claimtrack/_releases/1.0.0/claims.parquet" not in names


def test_packaged_release_loads_outside_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, released: Path
) -> None:
    monkeypatch.setattr(store_releases, "PACKAGED", released / "dataset")
    monkeypatch.setattr(store_releases, "SOURCE_TREE", released / "no-such-folder")
    monkeypatch.chdir(tmp_path)  # not a dataset folder
    with pytest.warns(PackagedRelease):
        assert claimtrack.load().height == 13
    with pytest.warns(PackagedRelease):
        assert claimtrack.load(version="1.0.0").height == 13


def test_a_dataset_without_claims_is_released(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "empty"
    run_cli("init", root)
    publishable(root)
    run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog")
    manifest = json.loads((root / "dataset" / "1.0.0" / "manifest.json").read_text())
    assert manifest["tables"]["claims"]["rows"] == 0
    assert (root / "dataset" / "1.0.0" / "claims.csv").read_text().startswith("claim_id,")
    run_cli("verify", "1.0.0", "--root", root)


def test_a_full_disk_leaves_no_staging_folder(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    original = writer_module._HashedFile.write

    def failing(self: object, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(28, "No space left on device")
        original(self, data)  # type: ignore[arg-type]

    monkeypatch.setattr(writer_module._HashedFile, "write", failing)
    with pytest.raises(in_memory.ReleaseError, match="No space left"):
        publish.release(Dataset.open(dataset), version="1.0.0", date=DATE, changelog=False)
    assert not list((dataset / "dataset").glob(".staging-*"))
    assert not (dataset / "dataset" / "1.0.0").exists()


def test_a_write_back_error_at_the_sync_publishes_nothing(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The release's files reach the disk before it is moved into place: an I/O error then
    (syncfs or fsync reporting a failed write-back) leaves no release and no staging folder."""

    def failing(self: ReleaseWriter) -> None:
        assert (self.folder / "manifest.json").is_file()  # synced once every file is written
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(ReleaseWriter, "sync", failing)
    with pytest.raises(in_memory.ReleaseError, match="Input/output error"):
        publish.release(Dataset.open(dataset), version="1.0.0", date=DATE, changelog=False)
    assert not list((dataset / "dataset").glob(".staging-*"))
    assert not (dataset / "dataset" / "1.0.0").exists()


def test_a_release_given_up_stops_writing_its_seeds_files(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seeds' files are written in a thread while the claims are rendered; a release
    given up (an error, an interrupt) stops that thread before its folder is removed, so
    nothing is written there after."""
    ds = Dataset.open(dataset)
    seed = validate(ds).seeds[0]
    text = (dataset / "seeds" / seed.text_file).read_bytes()
    seeds = []
    for i in range(40):  # texts that ship: a file written after each seed's slow step
        (dataset / "seeds" / f"s{i:03d}.txt").write_bytes(text)
        changes = {"id": f"s{i:03d}", "text_file": f"s{i:03d}.txt"}
        changes["redistribution"] = Redistribution.FULL_TEXT
        seeds.append(seed.model_copy(update=changes))
    slow = rights.manifest_entry

    def slowly(seed: SourceDocument, raw: bytes) -> dict[str, object]:
        time.sleep(0.02)
        return slow(seed, raw)

    monkeypatch.setattr(rights, "manifest_entry", slowly)
    folder = tmp_path / ".staging-test"
    writer = ReleaseWriter(folder, ds, seeds, claims=0)
    deadline = time.monotonic() + 10
    while not (folder / "seeds").is_dir() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the first seed's file is written (0.8 s for all 40)
    writer.discard()
    assert len(list((folder / "seeds").iterdir())) < 40  # it stopped, and did not finish
    shutil.rmtree(folder)
    time.sleep(0.4)  # the rest would take 0.6 s or more
    assert not folder.exists()


def test_a_seeds_file_that_cannot_be_written_stops_the_release_at_the_next_chunk(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seeds' files are written alongside the claims: a full disk there is told when the
    next chunk of claims is added, not after every claim has been rendered."""
    ds = Dataset.open(dataset)
    report = validate(ds)

    def full(seed: SourceDocument, raw: bytes) -> dict[str, object]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rights, "manifest_entry", full)
    writer = ReleaseWriter(tmp_path / ".staging-test", ds, report.seeds, claims=len(report.claims))
    try:
        deadline = time.monotonic() + 10
        while not writer._seed_files._future.done() and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(OSError, match="No space left"):
            writer.add(report.claims[:2])
        assert not (tmp_path / ".staging-test" / "claims.jsonl").stat().st_size
    finally:
        writer.discard()


def test_the_manifest_written_piece_by_piece_is_indented_json_that_verifies(
    dataset: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest is encoded and written a few pieces at a time (a million claims' one lists
    200,000 files), and reads as the indented JSON it always was."""
    monkeypatch.setattr(writer_module, "JSON_PIECES", 3)
    publish.release(Dataset.open(dataset), version="1.0.0", date=DATE, changelog=False)
    raw = (dataset / "dataset" / "1.0.0" / "manifest.json").read_bytes()
    manifest = json.loads(raw)
    assert raw == (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert len(manifest["files"]) > 10
    run_cli("verify", "1.0.0", "--root", dataset)
