"""The validation kept between runs gives the report a full run gives, byte for byte, after
edits, additions, removals and moves; and where only claim files changed it reads only those."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimtrack.store import stats
from claimtrack.store.layout import Dataset
from claimtrack.store.listing import FolderEntries, list_entries
from claimtrack.validate import runner, warm
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.result import ValidationReport

from ..conftest import EXAMPLES, RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
UK = "aws-is-a-us-company"
FORMATS = ("json", "github", "text")


def _age(root: Path, seconds: int = 60) -> None:
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stamp = path.stat().st_mtime - seconds
            os.utime(path, (stamp, stamp))


def _same_as_cold(run_cli: RunCli, root: Path) -> None:
    for fmt in FORMATS:
        warm_out = run_cli("validate", "--root", root, "--format", fmt, code=None)
        cold_out = run_cli("validate", "--root", root, "--format", fmt, "--no-cache", code=None)
        assert (warm_out.exit_code, warm_out.stdout) == (cold_out.exit_code, cold_out.stdout), fmt


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each warm run did: `full` (no usable kept run), `kept` (the kept run, patched where
    claim files changed) or `refused` (a kept run found damaged or not this dataset's)."""
    seen: list[str] = []
    full, patched = warm._full, warm._patched

    def counted_full(*args: object, **kwargs: object) -> object:
        seen.append("full")
        return full(*args, **kwargs)  # type: ignore[arg-type]

    def counted_patched(*args: object, **kwargs: object) -> object:
        out = patched(*args, **kwargs)  # type: ignore[arg-type]
        seen.append("kept" if out is not None else "refused")
        return out

    monkeypatch.setattr(warm, "_full", counted_full)
    monkeypatch.setattr(warm, "_patched", counted_patched)
    return seen


@pytest.fixture
def broken(dataset: Path) -> Path:
    """The repository's dataset with every invalid example claim added, in a sub-folder."""
    folder = dataset / "claims" / "examples"
    folder.mkdir()
    for path in sorted((EXAMPLES / "invalid").glob("*.yaml")):
        shutil.copyfile(path, folder / path.name)
    _age(dataset)
    return dataset


def test_edits_between_runs_give_the_full_runs_report(broken: Path, run_cli: RunCli) -> None:
    _same_as_cold(run_cli, broken)  # the first run is full, and kept
    _same_as_cold(run_cli, broken)  # nothing changed
    claim = broken / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8")
    claim.write_text(text.replace("kind: quantity", "kind: quantiti"), "utf-8")  # same size
    _same_as_cold(run_cli, broken)
    twin = broken / "claims" / "desk" / f"{UK.upper()}.yaml"  # an id clash, in a sub-folder
    twin.parent.mkdir()
    shutil.copyfile(broken / "claims" / f"{UK}.yaml", twin)
    _same_as_cold(run_cli, broken)
    (broken / "claims" / f"{UK}.yaml").unlink()  # the clash resolved by a removal
    _same_as_cold(run_cli, broken)
    claim.write_text(text, "utf-8")  # fixed again
    (broken / "claims" / "examples" / "evidence-offsets.yaml").rename(
        broken / "claims" / "evidence-offsets.yaml"
    )  # moved between folders
    _same_as_cold(run_cli, broken)
    seed = next((broken / "seeds").glob("*.yaml"))
    seed.write_text(seed.read_text("utf-8") + "\n", "utf-8")  # a seed: the full run again
    _same_as_cold(run_cli, broken)


def test_only_the_changed_claim_files_are_read(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"

    def run() -> ValidationReport:
        cache = ResultCache(folder)
        try:
            return warm.validate_dataset(Dataset.open(broken), cache=cache)
        finally:
            cache.close()

    first = run()
    full_runs: list[int] = []
    original = runner.validate

    def counted(*args: object, **kwargs: object) -> ValidationReport:
        full_runs.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(warm, "validate", counted)
    assert run().findings == first.findings
    claim = broken / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: quantiti"))
    changed = run()
    assert full_runs == []  # patched, not a full run
    assert any(f.path.endswith(f"{VALUE}.yaml") for f in changed.findings)
    assert changed.files_checked == first.files_checked


def test_a_warm_run_takes_its_listing_from_the_child_process(
    broken: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_as_cold(run_cli, broken)  # kept
    claim = broken / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: quantiti"))
    listed_here: list[Path] = []
    made_here = list_entries

    def listing(root: Path) -> Iterator[FolderEntries]:
        listed_here.append(root)
        return made_here(root)

    monkeypatch.setattr(stats, "list_entries", listing)
    _same_as_cold(run_cli, broken)
    assert listed_here == []


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("run.json", b'{"version": "0", "findings": [[1]]}'),
        ("stats.parquet", b"PAR1 not really"),
        ("keys.parquet", b""),
        ("seeds.jsonl", b'{"id": "x"}\n'),
    ],
)
def test_a_damaged_store_is_ignored(
    broken: Path, run_cli: RunCli, name: str, damage: bytes
) -> None:
    _same_as_cold(run_cli, broken)
    files = list(Path(os.environ["CLAIMTRACK_CACHE_DIR"]).glob(f"runs/*/{name}"))
    assert files
    for file in files:
        file.write_bytes(damage)
    _same_as_cold(run_cli, broken)
    claim = broken / "claims" / f"{VALUE}.yaml"  # and patched from the store made again
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: quantiti"))
    _same_as_cold(run_cli, broken)


def test_a_generated_dataset_gives_the_full_runs_report(
    dataset: Path, run_cli: RunCli, runs: list[str]
) -> None:
    root = dataset
    for claim in sorted((root / "claims").glob("*.yaml")):  # 13 claims become 299
        text = claim.read_text("utf-8")
        for i in range(22):
            copy = text.replace(f"id: {claim.stem}", f"id: {claim.stem}-{i:02d}")
            (root / "claims" / f"{claim.stem}-{i:02d}.yaml").write_text(copy, "utf-8")
    claims = sorted((root / "claims").glob("*.yaml"))
    for i, path in enumerate(claims[:90]):  # into sub-folders, as a large dataset is kept
        target = root / "claims" / f"part-{i % 3}" / path.name
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
    _age(root)
    _same_as_cold(run_cli, root)
    assert runs == ["full", "kept", "kept"]
    files = sorted((root / "claims").rglob("*.yaml"))
    for path in files[::50]:  # break some: a bad status, a quote that is not in its seed
        text = path.read_text("utf-8")
        text = text.replace("status: ", "status: x", 1).replace("text: ", "text: Not ", 1)
        path.write_text(text, "utf-8")
    files[7].unlink()
    runs.clear()
    _same_as_cold(run_cli, root)  # the changed and removed claim files patched into the kept run
    _same_as_cold(run_cli, root)
    assert runs == ["kept"] * 6


def test_a_root_named_two_ways_shares_its_kept_run(
    broken: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli, runs: list[str]
) -> None:
    monkeypatch.chdir(broken.parent)
    relative = Path(broken.name)
    _same_as_cold(run_cli, relative)
    assert runs == ["full", "kept", "kept"]  # one warm run per format: made, then used
    claim = broken / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: quantiti"))
    runs.clear()
    _same_as_cold(run_cli, broken)  # the absolute spelling: files are shown the same way from
    assert runs == ["kept", "kept", "kept"]  # here, so the one kept run serves it, patched
    runs.clear()
    _same_as_cold(run_cli, relative)
    assert runs == ["kept", "kept", "kept"]


def test_a_folder_whose_name_is_not_utf8_is_listed_and_watched(
    broken: Path, run_cli: RunCli, runs: list[str]
) -> None:
    folder = Path(os.fsdecode(os.fsencode(broken / "claims") + b"/caf\xe9"))
    folder.mkdir()
    shutil.copyfile(broken / "claims" / f"{UK}.yaml", folder / "copy.yaml")
    _age(broken)
    _same_as_cold(run_cli, broken)
    _same_as_cold(run_cli, broken)
    assert runs == ["full"] + ["kept"] * 5  # its files are in the kept run's listing
    copy = folder / "copy.yaml"
    copy.write_text(copy.read_text("utf-8").replace(f"id: {UK}", "id: copy"), "utf-8")
    runs.clear()
    _same_as_cold(run_cli, broken)  # the edit in that folder is seen: the reports are a cold
    assert len(runs) == 3 and "refused" not in runs  # run's (checked again in full, or patched)


def test_a_release_after_patched_validate_runs_equals_a_fresh_one(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """`validate` keeps a patched run without the seeds and keys it did not need; a release
    (which reads the claims through those keys) from that kept run is the same as from a
    dataset never validated before."""
    fresh = tmp_path / "fresh"
    run_cli("validate", "--root", dataset)
    claim = dataset / "claims" / f"{VALUE}.yaml"
    edits = [("kind: quantity", "kind: event"), ("kind: event", "kind: quantity")]
    for old, new in edits:  # patched twice, back to a change of wording below
        claim.write_text(claim.read_text("utf-8").replace(old, new))
        run_cli("validate", "--root", dataset)
    text = claim.read_text("utf-8").replace("statement: The contract", "statement: The deal")
    claim.write_text(text, "utf-8")
    run_cli("validate", "--root", dataset)
    shutil.copytree(dataset, fresh)
    for root in (dataset, fresh):
        run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog")
        run_cli("verify", "1.0.0", "--root", root)
    for name in ("claims.jsonl", "claims.csv", "evidence.csv"):
        released = (dataset / "dataset" / "1.0.0" / name).read_bytes()
        assert released == (fresh / "dataset" / "1.0.0" / name).read_bytes()
    assert b"The deal" in (dataset / "dataset" / "1.0.0" / "claims.jsonl").read_bytes()


def test_names_with_line_breaks_give_the_full_runs_report(broken: Path, run_cli: RunCli) -> None:
    seed = next((broken / "seeds").glob("*.yaml"))
    shutil.copyfile(seed, broken / "seeds" / "odd\nname.yaml")  # ids are compared in one go
    shutil.copyfile(seed, broken / "seeds" / "ODD\nNAME.yaml")
    claim = broken / "claims" / f"{VALUE}.yaml"
    shutil.copyfile(claim, broken / "claims" / "line\nbreak.yaml")
    _same_as_cold(run_cli, broken)
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: event"))
    _same_as_cold(run_cli, broken)  # patched


def test_kept_seeds_damaged_are_not_used(dataset: Path, run_cli: RunCli) -> None:
    run_cli("validate", "--root", dataset)
    files = list(Path(os.environ["CLAIMTRACK_CACHE_DIR"]).glob("runs/*/seeds.jsonl"))
    assert files
    for file in files:  # damaged, with its hash in run.json to match: only reading it tells
        damaged = b'{"id": "x"}\n'
        file.write_bytes(damaged)
        state = json.loads((file.parent / "run.json").read_bytes())
        state["seeds.jsonl"] = hashlib.sha256(damaged).hexdigest()
        (file.parent / "run.json").write_text(json.dumps(state), "utf-8")
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: quantity", "kind: event"))
    store = ResultCache(Path(os.environ["CLAIMTRACK_CACHE_DIR"]))  # the one the CLI used
    try:
        kept = warm.validate_dataset(Dataset.open(dataset), cache=store)
    finally:
        store.close()
    cold = runner.validate(Dataset.open(dataset), records=False)
    assert list(kept.seeds) == list(cold.seeds)
    assert [s.id for s in kept.seeds] == ["000_41d59578b16f00ef"]
