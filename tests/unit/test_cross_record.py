"""Cross-record rules on records built in memory: seed references, quotes, duplicate ids."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.validate import cross_record
from claimtrack.validate import seed_texts as texts_module
from claimtrack.validate.cross_record import claim_cross, duplicate_ids, seed_refs
from claimtrack.validate.seed_texts import SeedText, seed_texts

from ..conftest import REPO

SEED = "000_41d59578b16f00ef"
NAME = "contract-value-gbp-500m-to-1bn-over-ten-years"


def _claim() -> Claim:
    return Claim.model_validate(
        yaml.safe_load((REPO / "claims" / f"{NAME}.yaml").read_text("utf-8"))
    )


def _meta() -> SourceDocument:
    return SourceDocument.model_validate(
        yaml.safe_load((REPO / "seeds" / f"{SEED}.yaml").read_text("utf-8"))
    )


def _seed() -> SeedText:
    path = REPO / "seeds" / _meta().text_file
    return SeedText(SEED, path, hashlib.sha256(path.read_bytes()).hexdigest(), "seeds/x.txt")


def _file() -> DataFile:
    return DataFile(REPO / "claims" / f"{NAME}.yaml", "claim", f"claims/{NAME}.yaml")


def test_a_claim_quoting_its_seed_has_no_finding() -> None:
    assert claim_cross(_file(), _claim(), {SEED: _seed()}) == []
    assert seed_refs(_claim()) == {SEED}


def test_a_missing_seed_is_named_at_each_reference() -> None:
    rules = [(f.rule, f.pointer) for f in claim_cross(_file(), _claim(), {})]
    assert ("seed.missing", "/evidence/0/seed") in rules
    assert all(rule == "seed.missing" for rule, _ in rules)


def test_a_quote_not_in_the_seed_and_wrong_offsets() -> None:
    claim = _claim()
    quote = claim.evidence[0]
    moved = quote.model_copy(update={"start": quote.start + 1, "end": quote.end + 1})  # type: ignore[operator]
    changed = quote.model_copy(update={"text": quote.text.replace("Financial", "Daily")})
    for replacement, rule in ((moved, "evidence.offsets"), (changed, "evidence.not-found")):
        evidence = [replacement, *claim.evidence[1:]]
        findings = claim_cross(
            _file(), claim.model_copy(update={"evidence": evidence}), {SEED: _seed()}
        )
        assert [f.rule for f in findings] == [rule]
    fix = claim_cross(
        _file(),
        claim.model_copy(update={"evidence": [moved, *claim.evidence[1:]]}),
        {SEED: _seed()},
    )[0]
    assert f"set `start: {quote.start}` and `end: {quote.end}`" == fix.hint


def test_ids_that_differ_only_in_case_clash(tmp_path: Path) -> None:
    files = [
        DataFile(tmp_path / "claims" / "same-id.yaml", "claim", "claims/same-id.yaml"),
        DataFile(tmp_path / "claims" / "Same-Id.yaml", "claim", "claims/Same-Id.yaml"),
    ]
    found = duplicate_ids(files)
    assert [(f.path, f.rule) for f in found] == [("claims/Same-Id.yaml", "id.duplicate")]


def test_a_changed_seed_text_is_a_hash_mismatch(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "claims").mkdir()
    text = tmp_path / "seeds" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace(b"Amazon", b"Amazom", 1))
    dataset = Dataset.open(tmp_path)
    meta = _meta()
    texts, findings = seed_texts(dataset, [(dataset.seed_files()[0], meta)])
    assert [f.rule for f in findings] == ["seed.hash-mismatch"]
    assert texts[SEED].text is not None


def test_seed_texts_are_read_when_needed_and_kept_within_a_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for i in range(5):
        path = tmp_path / f"s{i}.txt"
        path.write_text(f"text number {i} " * 10, "utf-8")
        paths.append(path)
    reads: list[str] = []
    real = texts_module._read_text

    def counted(path: Path, sha256: str) -> str:
        reads.append(path.name)
        return real(path, sha256)

    monkeypatch.setattr(texts_module, "_read_text", counted)
    size = sys.getsizeof(paths[0].read_text("utf-8"))
    texts = texts_module._Texts(budget=2 * size + 10)  # room for two of these texts
    sha = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    for path in (paths[0], paths[0], paths[1], paths[0]):  # asked again: not read again
        assert texts.get(path, sha[path]).text == path.read_text("utf-8")
    assert reads == ["s0.txt", "s1.txt"]
    texts.get(paths[2], sha[paths[2]])  # a third: the least recently used (s1) is dropped
    assert texts.size <= texts.budget and len(texts.entries) == 2
    texts.get(paths[0], sha[paths[0]])  # still held
    texts.get(paths[1], sha[paths[1]])  # dropped: read again
    assert reads == ["s0.txt", "s1.txt", "s2.txt", "s1.txt"]
    texts.clear()
    assert (texts.size, len(texts.entries)) == (0, 0)


def test_a_seed_text_changed_after_the_seeds_were_checked_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "claims").mkdir()
    dataset = Dataset.open(tmp_path)
    texts, findings = seed_texts(dataset, [(dataset.seed_files()[0], _meta())])
    assert findings == []
    text = tmp_path / "seeds" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes().replace(b"Amazon", b"Amazom", 1))
    texts_module.forget_texts()  # as in a worker that has not read it yet
    with pytest.raises(texts_module.SeedChanged) as raised:
        claim_cross(_file(), _claim(), texts)
    assert raised.value.path == text
    assert "run the command again" in raised.value.hint


def test_each_later_file_of_an_id_names_the_first_and_kinds_do_not_clash(tmp_path: Path) -> None:
    names = [
        ("claims/b.yaml", "claim"),
        ("claims/x/A.yaml", "claim"),
        ("seeds/a.yaml", "seed"),
        ("claims/a.yaml", "claim"),
        ("claims/y/B.yaml", "claim"),
        ("claims/z/a.yaml", "claim"),
    ]
    files = [DataFile(tmp_path / name, kind, name) for name, kind in names]  # type: ignore[arg-type]
    found = [(f.path, f.message.split(" (")[0]) for f in duplicate_ids(files)]
    assert found == [
        ("claims/y/B.yaml", "id `B` is also used by claims/b.yaml"),
        ("claims/a.yaml", "id `a` is also used by claims/x/A.yaml"),
        ("claims/z/a.yaml", "id `a` is also used by claims/x/A.yaml"),
    ]


def test_ids_whose_hashes_collide_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clashing ids are found by their hashes first, then grouped by the ids themselves: two
    ids with the same hash are no duplicate, two equal ignoring case are."""
    names = ["alpha", "beta", "Alpha", "gamma"]
    files = [DataFile(tmp_path / f"{n}.yaml", "claim", f"claims/{n}.yaml") for n in names]
    for file in files:
        file.path.write_text("id: x\n", "utf-8")
    monkeypatch.setattr(cross_record, "hash", lambda _: 7, raising=False)  # every id collides
    findings = cross_record.duplicate_ids(files)
    assert [(f.path, f.rule) for f in findings] == [("claims/Alpha.yaml", "id.duplicate")]
    assert "claims/alpha.yaml" in findings[0].message
