"""The valid claims' cache keys in id order, a chunk at a time (what a release streams)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.store.layout import Dataset
from claimtrack.validate.keys import ClaimKeys, key_frame
from claimtrack.validate.result import ValidationReport

KEYS = {
    "claims/liar/3f/zz-last.yaml": "k-zz",
    "claims/aa-first.yaml": "k-aa",
    "seeds/aa-seed.yaml": "k-seed",  # a seed's key: not a claim
    "claims/b0/mm-middle.yaml": "k-mm",
    "claims/notes.txt": "k-txt",  # not a record file
}


@pytest.mark.parametrize("as_frame", [False, True])
def test_claims_come_in_id_order_whatever_their_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_frame: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    report = ValidationReport(tmp_path, list(KEYS), [], keys=key_frame(KEYS) if as_frame else KEYS)
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
    report = ValidationReport(tmp_path, list(keys), [], keys=keys)
    chunks = ClaimKeys.of(dataset, report).chunks(size=10, boundary=8)
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == [8, 2, 6, 4, 4, 1]  # cuts at 8, 10, 16, 20, 24
    assert len(chunks) == len(sizes)
    flat = [key for chunk in chunks for key in chunk.values()]
    assert flat == [f"k{i}" for i in ids]


def test_no_claims_no_chunks(tmp_path: Path) -> None:
    report = ValidationReport(tmp_path, [], [], keys={})
    chunks = ClaimKeys.of(Dataset(tmp_path), report).chunks()
    assert len(chunks) == 0
    assert list(chunks) == []
