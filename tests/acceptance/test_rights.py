"""Releases publish only what each source's rights allow, and stay verifiable without the text."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
import yaml

import claimtrack
from claimtrack.release.verify import verify

from ..conftest import REPO, RunCli, publishable, relist

SEED = "000_41d59578b16f00ef"
CLAIM = "agency-data-held-only-in-uk"
QUOTE = "conservées en Grande-Bretagne"


def _copy_seed(root: Path, new_id: str, policy: str) -> None:
    (root / "seeds" / f"{new_id}.txt").write_bytes((root / "seeds" / f"{SEED}.txt").read_bytes())
    meta = (root / "seeds" / f"{SEED}.yaml").read_text("utf-8")
    meta = re.sub(r"(?m)^id: .*$", f"id: {new_id}", meta)
    meta = re.sub(r"(?m)^text_file: .*$", f"text_file: {new_id}.txt", meta)
    meta = re.sub(r"(?m)^redistribution: .*$", f"redistribution: {policy}", meta)
    (root / "seeds" / f"{new_id}.yaml").write_text(meta, "utf-8")


def _copy_claim(root: Path, new_id: str, seed: str) -> None:
    """A copy of CLAIM quoting ``seed``, with only its two short quotes (q1, q2): what a quotes-
    only source's budget allows one claim of a short article."""
    data = yaml.safe_load((root / "claims" / f"{CLAIM}.yaml").read_text("utf-8"))
    data["id"] = new_id
    data["evidence"] = [q for q in data["evidence"] if q["id"] in ("q1", "q2")]
    data["history"][0]["evidence"] = ["q1", "q2"]
    data.pop("responses", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace(SEED, seed)
    (root / "claims" / f"{new_id}.yaml").write_text(text, "utf-8")


@pytest.fixture
def three_policies(dataset: Path, run_cli: RunCli) -> Path:
    """The seed dataset (its article `none`), plus a full_text and a quotes_only copy of the
    article, each quoted by one claim; released as 1.0.0."""
    _copy_seed(dataset, "open-copy", "full_text")
    _copy_seed(dataset, "quoted-copy", "quotes_only")
    _copy_claim(dataset, "open-claim", "open-copy")
    _copy_claim(dataset, "quoted-claim", "quoted-copy")
    run_cli("validate", "--root", dataset)
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    return dataset / "dataset" / "1.0.0"


def test_each_policy_decides_what_ships(three_policies: Path) -> None:
    files = {p.relative_to(three_policies).as_posix() for p in three_policies.rglob("*")}
    assert "seeds/open-copy.txt" in files
    assert f"seeds/{SEED}.txt" not in files and "seeds/quoted-copy.txt" not in files
    assert {f"seeds/{SEED}.meta.json", "seeds/quoted-copy.meta.json"} <= files
    manifest = json.loads((three_policies / "manifest.json").read_text("utf-8"))
    assert manifest["seeds"][SEED]["redistribution"] == "none"
    entry = manifest["seeds"]["quoted-copy"]
    assert entry["redistribution"] == "quotes_only" and entry["text_in_release"] is False
    text = (REPO / "seeds" / f"{SEED}.txt").read_bytes()
    assert entry["bytes"] == len(text) and entry["characters"] == len(text.decode())
    assert verify(three_policies) == []


def test_quotes_stay_for_quotes_only_and_go_for_none(three_policies: Path) -> None:
    evidence = pl.read_parquet(three_policies / "evidence.parquet")
    by_claim = {r["claim_id"]: r for r in evidence.filter(pl.col("quote_id") == "q1").to_dicts()}
    assert QUOTE in by_claim["quoted-claim"]["text"]
    assert QUOTE in by_claim["open-claim"]["text"]
    secret = by_claim[CLAIM]
    assert secret["text"] is None and secret["translation_text"] is None
    assert secret["start"] == by_claim["quoted-claim"]["start"]
    assert secret["text_sha256"] == by_claim["quoted-claim"]["text_sha256"]
    claims = pl.read_parquet(three_policies / "claims.parquet")
    row = claims.filter(pl.col("claim_id") == CLAIM).to_dicts()[0]
    assert row["original_text"] is None and row["statement"] is not None
    secret_words = json.loads(
        next(
            line
            for line in (three_policies / "claims.jsonl").read_text("utf-8").splitlines()
            if f'"{CLAIM}"' in line
        )
    )
    assert all(q["text"] is None for q in secret_words["evidence"])
    assert secret_words["original"]["text"] is None
    # the spokesperson's verbatim words come from a withheld quote: withheld with it
    assert [r["words"] for r in secret_words["responses"] if r["response"] == "commented"] == [
        None,
        None,
    ]
    responses = pl.read_parquet(three_policies / "responses.parquet")
    assert responses.filter(pl.col("claim_id") == CLAIM)["words"].null_count() == 4
    card = (three_policies / "README.md").read_text("utf-8")
    assert "`none`" in card and "`quotes_only`" in card and "`full_text`" in card
    assert "--seeds DIR" in card


def test_verify_with_the_texts_obtained_elsewhere(
    three_policies: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    root = three_policies.parents[1]
    texts = tmp_path / "texts"
    texts.mkdir()
    for name in (f"{SEED}.txt", "quoted-copy.txt", "open-copy.txt"):
        shutil.copy(root / "seeds" / name, texts / name)
    ok = run_cli("verify", "1.0.0", "--root", root, "--seeds", texts)
    assert "intact" in ok.stdout
    altered = bytearray((texts / f"{SEED}.txt").read_bytes())
    altered[100] = ord("#")
    (texts / f"{SEED}.txt").write_bytes(bytes(altered))
    bad = run_cli("verify", "1.0.0", "--root", root, "--seeds", texts, code=1)
    assert SEED in bad.stdout and "SHA-256" in bad.stdout
    (texts / f"{SEED}.txt").unlink()
    missing = run_cli("verify", "1.0.0", "--root", root, "--seeds", texts, code=1)
    assert f"seed `{SEED}`: no such text" in missing.stdout


def test_verify_seeds_checks_each_quote_against_its_offsets(
    three_policies: Path, tmp_path: Path
) -> None:
    from claimtrack.release.seed_check import check_texts  # noqa: PLC0415

    texts = tmp_path / "texts"
    shutil.copytree(three_policies.parents[1] / "seeds", texts)
    evidence = pl.read_parquet(three_policies / "evidence.parquet")
    moved = evidence.with_columns(pl.col("start") + 1, pl.col("end") + 1)
    moved.write_parquet(three_policies / "evidence.parquet")
    problems = check_texts(three_policies, texts)
    assert problems and all("is not at its offsets" in p.message for p in problems)


def test_a_release_without_texts_loads(three_policies: Path) -> None:
    tables = claimtrack.load_tables(three_policies.parents[1], version="1.0.0")
    assert tables["claims"].height == 15
    assert set(tables["sources"]["redistribution"].cast(str)) == {
        "full_text",
        "quotes_only",
        "none",
    }


def test_the_seed_dataset_publishes_no_full_text() -> None:
    meta = (REPO / "seeds" / f"{SEED}.yaml").read_text("utf-8")
    assert "redistribution: none" in meta  # from 1.3.0: rights unknown, quotes over budget
    withdrawn = json.loads((REPO / "dataset" / "withdrawn.json").read_text("utf-8"))
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        files = withdrawn[version]["files"]
        assert {"claims.jsonl", "evidence.parquet", "responses.csv"} <= set(files)
        assert (f"seeds/{SEED}.txt" in files) == (version != "1.2.0")
        assert verify(REPO / "dataset" / version) == []  # the files are still there, intact


def test_withdrawn_files_may_be_absent(dataset: Path, tmp_path: Path) -> None:
    releases = tmp_path / "dataset"
    shutil.copytree(REPO / "dataset" / "1.0.0", releases / "1.0.0")
    (releases / "1.0.0" / "seeds" / f"{SEED}.txt").unlink()
    assert [p.path for p in verify(releases / "1.0.0")] == [f"seeds/{SEED}.txt"]
    shutil.copy(REPO / "dataset" / "withdrawn.json", releases / "withdrawn.json")
    assert verify(releases / "1.0.0") == []


def test_the_wheel_ships_no_withdrawn_text(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415 - slow import

    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv*", ".git", "*cache*"))
    wheel = next(iter(WheelBuilder(str(source)).build(directory=str(tmp_path))))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "claimtrack/_releases/withdrawn.json" in names
    assert "claimtrack/_releases/1.0.0/manifest.json" in names
    assert "claimtrack/_releases/1.0.0/claims.parquet" not in names  # withdrawn
    assert not [n for n in names if n.endswith(f"{SEED}.txt")]


def test_withheld_words_are_no_change_to_the_next_release(
    three_policies: Path, run_cli: RunCli
) -> None:
    root = three_policies.parent.parent
    out = run_cli("diff", "1.0.0", "--root", root, "--format", "json", code=None).stdout
    assert CLAIM not in out  # its withheld quote is not a change to the release
    refused = run_cli("release", "--root", root, "--bump", "patch", "--no-changelog", code=2)
    assert "nothing changed since release 1.0.0" in refused.stderr


def test_a_statement_repeating_a_withheld_quote_is_withheld(dataset: Path, run_cli: RunCli) -> None:
    claim = dataset / "claims" / f"{CLAIM}.yaml"
    data = yaml.safe_load(claim.read_text("utf-8"))
    quote = next(q["text"] for q in data["evidence"] if q["id"] == "q1")
    text = claim.read_text("utf-8")
    start = text.index("statement:")
    end = text.index("\n", start)
    repeated = quote[0].upper() + quote[1:] + "."  # a capital letter and a full stop
    claim.write_text(text[:start] + f"statement: {json.dumps(repeated)}" + text[end:], "utf-8")
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    folder = dataset / "dataset" / "1.0.0"
    row = pl.read_parquet(folder / "claims.parquet").filter(pl.col("claim_id") == CLAIM)
    assert row["statement"].to_list() == [None]
    assert quote not in (folder / "claims.jsonl").read_text("utf-8")
    assert quote.lower() not in (folder / "claims.csv").read_text("utf-8").lower()


def test_an_imported_review_of_a_withheld_source_leaks_no_words(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    words = "The harbour wall " + " ".join(f"section {i} was rebuilt in stone" for i in range(14))
    assert len(words) > 300
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": words,
        "url": "https://checks.example.org/wall",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "author": {"@type": "Organization", "name": "Example Checkers"},
    }
    source = tmp_path / "review.json"
    source.write_text(json.dumps(review), "utf-8")
    run_cli("import", "claimreview", source, "--into", root, "--redistribution", "none")
    run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog")
    folder = root / "dataset" / "1.0.0"
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes().decode("utf-8", "ignore")
            assert words[:60] not in data, path.name  # the statement is cut from the quote
    claims = pl.read_parquet(folder / "claims.parquet")
    assert claims["statement"].to_list() == [None]


@pytest.mark.parametrize("name", [f"{SEED}.txt", "copy.txt", "notes.meta.json.bak"])
def test_a_withheld_text_added_to_a_release_is_not_intact(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    latest = sorted(
        (p for p in (REPO / "dataset").iterdir() if (p / "manifest.json").is_file()),
        key=lambda p: tuple(int(x) for x in p.name.split(".")),
    )[-1]
    releases = tmp_path / "dataset"
    shutil.copytree(latest, releases / latest.name)
    folder = releases / latest.name
    assert verify(folder) == []
    shutil.copy(REPO / "seeds" / f"{SEED}.txt", folder / "seeds" / name)
    relist(folder, f"seeds/{name}")
    problems = verify(folder)
    assert [p.path for p in problems] == [f"seeds/{name}"], problems


@pytest.mark.parametrize(
    "line",
    [
        b'{"schema_version": "1.3"}',  # no id
        b"[1, 2, 3]",
        b'{"id": "x", "value": "500000000"}',
        b'{"id": "\\ud800"}',  # a lone surrogate
        b"[" * 100_000 + b"]" * 100_000,
        b"not json",
    ],
)
def test_a_site_refuses_a_claim_record_claimtrack_did_not_write(
    line: bytes, dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    from claimtrack.site.source import SiteError  # noqa: PLC0415
    from claimtrack.site.stream import checked, index_claims, raw_parts  # noqa: PLC0415

    def read_as_the_site_does(data: bytes, version: str) -> int:
        index = index_claims(data, version)  # the first pass, then each record where its
        for part in raw_parts(data, index.order, 5):  # page is written
            for place, raw in part:
                checked(raw, place.number, version)
        return index.total

    good = (REPO / "dataset" / "1.3.0" / "claims.jsonl").read_bytes()
    assert read_as_the_site_does(good, "1.3.0") == 13
    with pytest.raises(SiteError) as caught:
        read_as_the_site_does(good + line + b"\n", "x")
    assert "claims.jsonl line 14" in str(caught.value)
