"""The valid claims' cache keys in id order, a chunk at a time (what a release streams)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from claimtrack.store.layout import Dataset
from claimtrack.validate.kept_claims import CHANGED, claim_records
from claimtrack.validate.keys import ClaimKeys, key_frame
from claimtrack.validate.result import ValidationReport

KEYS = {
    "claims/liar/3f/zz-last.yaml": "k-zz",
    "claims/aa-first.yaml": "k-aa",
    "seeds/aa-seed.yaml": "k-seed",  # a seed's key: not a claim
    "claims/b0/mm-middle.yaml": "k-mm",
    "claims/notes.txt": "k-txt",  # not a record file
    "claims-old/aa-stale.yaml": "k-old",  # a folder beside claims/ whose name starts the same
}


@pytest.mark.parametrize("as_frame", [False, True])
def test_claims_come_in_id_order_whatever_their_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_frame: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    report = ValidationReport(
        tmp_path, list(KEYS), [], file_keys=key_frame(KEYS) if as_frame else KEYS
    )
    keys = ClaimKeys.of(Dataset(tmp_path), report)
    assert len(keys) == 3
    assert keys.frame["id"].to_list() == ["aa-first", "mm-middle", "zz-last"]
    assert list(keys.chunks(size=2)) == [
        {"claims/aa-first.yaml": "k-aa", "claims/b0/mm-middle.yaml": "k-mm"},
        {"claims/liar/3f/zz-last.yaml": "k-zz"},
    ]


def test_chunks_are_cut_at_every_part_boundary(tmp_path: Path) -> None:
    ids = [f"c-{i:03d}" for i in range(25)]
    dataset = Dataset(tmp_path)
    keys = {dataset.display(dataset.claims_dir / f"{i}.yaml"): f"k{i}" for i in reversed(ids)}
    report = ValidationReport(tmp_path, list(keys), [], file_keys=keys)
    chunks = ClaimKeys.of(dataset, report).chunks(size=10, boundary=8)
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == [8, 2, 6, 4, 4, 1]  # cuts at 8, 10, 16, 20, 24
    assert len(chunks) == len(sizes)
    flat = [key for chunk in chunks for key in chunk.values()]
    assert flat == [f"k{i}" for i in ids]


def test_no_claims_no_chunks(tmp_path: Path) -> None:
    report = ValidationReport(tmp_path, [], [], file_keys={})
    chunks = ClaimKeys.of(Dataset(tmp_path), report).chunks()
    assert len(chunks) == 0
    assert list(chunks) == []


def test_a_changed_claim_is_read_by_its_listed_path_and_nothing_outside_claims(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim a warm run checked again has a `changed:` key (no cache entry): it is read from
    its path under `claims/`. A key naming a path elsewhere (a damaged or altered kept run) is
    not followed: the claim is looked up in the listing, where that name is not."""
    monkeypatch.chdir(dataset)
    data = Dataset(dataset)
    claim = sorted(data.claims_dir.glob("*.yaml"))[0]
    changed = {data.display(claim): f"{CHANGED}claims/{claim.name}"}
    assert [c.id for c in claim_records(data, changed, None)] == [claim.stem]
    (dataset / "claims-old").mkdir()
    for copy in (dataset / claim.name, dataset / "claims-old" / claim.name):
        copy.write_bytes(claim.read_bytes())  # the same claim, outside claims/
    for path in [claim.name, f"claims/../{claim.name}", f"claims-old/{claim.name}", str(copy)]:
        assert claim_records(data, {"elsewhere.yaml": CHANGED + path}, None) == []


def test_a_large_runs_keys_are_set_aside_as_frames_and_are_the_same(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `PART` files, a run sets the keys checked so far aside as a frame: the keys in the
    end are the ones a run that kept one dict has, and a release reads the same claims."""
    from claimtrack.validate import runner  # noqa: PLC0415 - its PART is changed below
    from claimtrack.validate.cache import ResultCache  # noqa: PLC0415

    data = Dataset.open(dataset)
    cache = ResultCache(tmp_path / "cache")
    try:
        whole = runner.validate(data, cache=cache, records=False)
        monkeypatch.setattr(runner, "PART", 2)
        parted = runner.validate(Dataset.open(dataset), cache=cache, records=False)
    finally:
        cache.close()
    assert isinstance(whole.file_keys, dict) and len(whole.file_keys) > 4
    assert isinstance(parted.file_keys, pl.DataFrame)
    assert dict(parted.file_keys.iter_rows()) == whole.file_keys
    assert ClaimKeys.of(data, parted).frame.equals(ClaimKeys.of(data, whole).frame)
