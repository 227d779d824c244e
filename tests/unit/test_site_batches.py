"""The site's pages written a batch at a time (`claimtrack.site.workers`): results come back in
the order the batches were given, a record that is not a claim record stops the build with the
line it is on, in a worker process as in this one, and a file whose bytes are already in the
site being replaced is linked, not written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimtrack.release.claimreview import Publishing
from claimtrack.site.output import SiteWriter
from claimtrack.site.source import SiteError
from claimtrack.site.stream import index_claims, raw_parts
from claimtrack.site.workers import ClaimBatch, Run, Written, claim_pages, workers

REPO = Path(__file__).resolve().parents[2]
RECORDS = (REPO / "dataset" / "1.3.0" / "claims.jsonl").read_bytes()


def _batches(data: bytes, folder: Path, size: int) -> list[ClaimBatch]:
    index = index_claims(data, "t")
    common = {
        "stamped": False, "version": "t", "date": "", "root": "../", "section": "claim",
        "site_title": "T", "about": None, "policies": {},
    }  # fmt: skip
    publishing = Publishing.of(None)
    return [
        ClaimBatch(folder, None, "t", common, publishing, part, {}, {})
        for part in raw_parts(data, index.order, size)
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_batches_come_back_in_the_order_given(jobs: int, tmp_path: Path) -> None:
    done: list[Written] = []
    with workers(jobs) as pool, Run(claim_pages, done.append, pool) as run:
        for batch in _batches(RECORDS, tmp_path, 2):
            run.submit(batch)
    ids = [summary.row["id"] for written in done for summary in written.claims]
    assert ids == sorted(json.loads(line)["id"] for line in RECORDS.splitlines())
    assert sorted(p.stem for p in (tmp_path / "claims").iterdir()) == ids


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_record_the_model_refuses_stops_the_run_with_its_line(jobs: int, tmp_path: Path) -> None:
    lines = RECORDS.splitlines()
    bad = json.loads(lines[5])
    bad["status"] = "probably"  # the right shape, not a status
    data = b"\n".join([*lines[:5], json.dumps(bad).encode(), *lines[6:]]) + b"\n"
    with (
        pytest.raises(SiteError, match=r"claims.jsonl line 6: /status"),
        workers(jobs) as pool,
        Run(claim_pages, lambda done: None, pool) as run,
    ):
        for batch in _batches(data, tmp_path, 3):
            run.submit(batch)


def test_a_file_with_the_same_bytes_is_linked_and_another_is_written(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    first = SiteWriter(old)
    first.write("a.html", "same")
    first.write("b.html", "before")
    (old / "c.html").symlink_to(old / "a.html")  # never followed, never linked
    out = SiteWriter(new, previous=old)
    out.write("a.html", "same")
    out.write("b.html", "after!")
    out.write("c.html", "same")
    assert (new / "a.html").stat().st_ino == (old / "a.html").stat().st_ino
    assert (new / "b.html").stat().st_ino != (old / "b.html").stat().st_ino
    assert not (new / "c.html").is_symlink() and (new / "c.html").read_text() == "same"
    assert (new / "c.html").stat().st_ino != (old / "a.html").stat().st_ino
    assert (out.kept, out.files) == (1, 3)


def test_a_folder_of_the_old_site_that_links_elsewhere_is_never_linked_from(
    tmp_path: Path,
) -> None:
    elsewhere, old, new = tmp_path / "elsewhere", tmp_path / "old", tmp_path / "new"
    elsewhere.mkdir()
    (elsewhere / "a.html").write_text("same")
    old.mkdir()
    (old / "claims").symlink_to(elsewhere, target_is_directory=True)
    out = SiteWriter(new, previous=old)
    out.write("claims/a.html", "same")
    assert (new / "claims" / "a.html").stat().st_ino != (elsewhere / "a.html").stat().st_ino
    assert out.kept == 0


def test_a_name_written_twice_never_writes_into_the_old_site(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    SiteWriter(old).write("a.html", "same")
    out = SiteWriter(new, previous=old)
    out.write("a.html", "same")  # linked
    out.write("a.html", "other")  # a new file, not the old one rewritten
    assert (old / "a.html").read_text() == "same"
    assert (new / "a.html").read_text() == "other"


def _with_statement(raw: bytes) -> bytes:
    """The last record of the release, its id changed, its statement ``raw`` (JSON bytes)."""
    record = json.loads(RECORDS.splitlines()[-1])
    record["id"], record["statement"] = "zz-last", "STATEMENT"
    return json.dumps(record, ensure_ascii=False).encode().replace(b'"STATEMENT"', raw)


@pytest.mark.parametrize(
    "statement",
    [b'"a \\ud800 b"', b'"a \xed\xa0\x80 b"'],  # a lone surrogate, escaped, then raw
    ids=["escaped", "raw"],
)
def test_a_lone_surrogate_is_refused_in_the_first_pass(statement: bytes) -> None:
    line = _with_statement(statement)
    index_claims(RECORDS + _with_statement(b'"a b"') + b"\n", "t")  # the record is otherwise fine
    with pytest.raises(SiteError, match="line 14 is not a claim record"):
        index_claims(RECORDS + line + b"\n", "t")


def test_two_records_of_one_claim_are_refused(tmp_path: Path) -> None:
    first = RECORDS.splitlines()[0]
    with pytest.raises(SiteError, match=r"lines 1 and 14 are both claim"):
        index_claims(RECORDS + first + b"\n", "t")
