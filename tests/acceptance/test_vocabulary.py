"""The status vocabulary says what fact-checkers say: misleading and mostly false have homes,
every imported label maps to a status that neither flatters nor damns it, and files written
before the vocabulary grew stay valid."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

import claimtrack
from claimtrack.interop.importing import import_file
from claimtrack.model.labels import AVERITEC, CLAIMREVIEW, LIAR, SCALES
from claimtrack.model.records import SCHEMA_VERSION
from claimtrack.model.vocab import ConfirmationStatus
from claimtrack.release.diff import Snapshot, compare
from claimtrack.store.layout import Dataset
from claimtrack.validate.runner import validate

from ..conftest import REPO, TESTS, RunCli, publishable

DATA = TESTS / "data"
LIAR_ROW = (
    "11972.json\t{label}\tSays the bridge cost twice what it did.\tbudget\tjane-doe\t"
    "Mayor\tTexas\tdemocrat\t0\t1\t0\t0\t0\ta town hall\n"
)


@pytest.fixture
def fresh(tmp_path: Path, run_cli: RunCli) -> Path:
    run_cli("init", tmp_path / "ds")
    publishable(tmp_path / "ds")
    return tmp_path / "ds"


def test_every_mapping_names_a_real_status() -> None:
    statuses = {s.value for s in ConfirmationStatus}
    for scale in SCALES.values():
        assert set(scale.imports.values()) <= statuses, scale.name
        assert set(scale.exports) <= statuses, scale.name
        assert set(scale.why) <= set(scale.imports), scale.name
    for scale in (AVERITEC, CLAIMREVIEW):  # exported scales cover every status
        assert set(scale.exports) == statuses, scale.name


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("Misleading", "misleading"),
        ("Missing context", "misleading"),
        ("Mostly False", "mostly_false"),
        ("Barely True", "mostly_false"),
        ("Half True", "partly_confirmed"),
        ("Pants on Fire!", "refuted"),
        ("Satire", "not_checkable"),
        ("No evidence", "insufficient_evidence"),
    ],
)
def test_claimreview_labels_in_the_wild(label: str, status: str) -> None:
    assert CLAIMREVIEW.status_of(label) == status


def test_mapped_statuses_keep_their_order_of_truth() -> None:
    # no mapping may make a claim look truer or falser than its rater said
    order = ["confirmed", "partly_confirmed", "misleading", "mostly_false", "refuted"]
    liar = ["true", "mostly-true", "half-true", "barely-true", "false", "pants-fire"]
    ranks = [order.index(LIAR.imports[label]) for label in liar]
    assert ranks == sorted(ranks)
    assert LIAR.imports["barely-true"] != LIAR.imports["half-true"]


def test_averitec_cherrypicking_is_misleading_not_disputed(fresh: Path) -> None:
    import_file("averitec", DATA / "averitec_sample.json", Dataset.open(fresh))
    history = claimtrack.load_tables(fresh)["status_history"]
    row = history.filter(history["source_label"] == "Conflicting Evidence/Cherrypicking")
    assert row["status"].cast(str).to_list() == ["misleading"]


def test_reimporting_liar_remaps_the_review_and_says_so(fresh: Path, tmp_path: Path) -> None:
    source = tmp_path / "liar.tsv"
    source.write_text(LIAR_ROW.format(label="barely-true"), "utf-8")
    import_file("liar", source, Dataset.open(fresh))
    claim_file = fresh / "claims" / "liar-11972.yaml"
    # the file as an earlier claimtrack wrote it: format 1.0, barely-true filed as partly_confirmed
    data = yaml.safe_load(claim_file.read_text("utf-8"))
    data["schema_version"] = "1.0"
    data["status"] = data["history"][0]["status"] = "partly_confirmed"
    del data["reviews"]
    data["attribution"][0]["type"] = "person"  # what it wrote before `unknown` existed
    claim_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert validate(Dataset.open(fresh)).ok
    report = import_file("liar", source, Dataset.open(fresh))
    assert report.updated == ["liar-11972"]
    assert any("now `mostly_false`" in why for _, why in report.warnings)
    again = yaml.safe_load(claim_file.read_text("utf-8"))
    assert again["schema_version"] == SCHEMA_VERSION
    # the history is the editor's: the import records the review, and says what changed
    assert [h["status"] for h in again["history"]] == ["partly_confirmed"]
    assert again["status"] == "partly_confirmed"
    assert [(r["label"], r["status"]) for r in again["reviews"]] == [
        ("barely-true", "mostly_false")
    ]
    assert import_file("liar", source, Dataset.open(fresh)).unchanged == 1  # idempotent
    assert validate(Dataset.open(fresh)).ok


def test_a_1_0_claim_may_not_use_the_new_statuses(dataset: Path, run_cli: RunCli) -> None:
    path = dataset / "claims" / "aws-is-a-us-company.yaml"
    text = path.read_text("utf-8").replace("status: reported", "status: misleading")
    path.write_text(text, "utf-8")
    result = run_cli("validate", "--root", dataset, code=1)
    assert "[model.schema-version]" in result.stdout
    assert "set `schema_version: '1.1'`" in result.stdout
    path.write_text(text.replace("schema_version: '1.0'", "schema_version: '1.1'"), "utf-8")
    run_cli("validate", "--root", dataset)


def test_the_seed_dataset_statuses_are_unaffected() -> None:
    report = validate(Dataset.open(REPO))
    assert report.ok
    assert {c.status.value for c in report.claims} <= {"reported", "not_checkable"}
    # format 1.0 files stay as they are; those that record `commented` moved to 1.1, and those
    # with a corrections log to 1.3
    for claim in report.claims:
        uses_new = any(r.response.value == "commented" for r in claim.responses)
        wanted = "1.3" if claim.corrections else ("1.1" if uses_new else "1.0")
        assert claim.schema_version == wanted, claim.id


def test_export_names_the_new_statuses(fresh: Path, tmp_path: Path, run_cli: RunCli) -> None:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Crime doubled last year.",
        "url": "https://checks.example.org/crime",
        "reviewRating": {"@type": "Rating", "alternateName": "Missing context"},
        "author": {"@type": "Organization", "name": "Example Checkers"},
    }
    source = tmp_path / "review.json"
    source.write_text(json.dumps(review), "utf-8")
    import_file("claimreview", source, Dataset.open(fresh))
    claims = claimtrack.load(fresh)
    assert claims["status"].cast(str).to_list() == ["misleading"]
    export = ["export", "claimreview", "--root", fresh, "--publisher", "Our Desk"]
    export += ["--base-url", "https://desk.example.org"]
    (theirs,) = json.loads(run_cli(*export).stdout)["@graph"]
    # the rater's review stays theirs: their name and their label, verbatim
    assert theirs["author"]["name"] == "Example Checkers"
    assert theirs["reviewRating"]["alternateName"] == "Missing context"
    claim_id = claims["claim_id"][0]
    run_cli(
        "claim", "status", claim_id, "misleading", "--root", fresh, "--date",
        dt.date.today().isoformat(), "--reason", "Our desk checked the figures.",
    )  # fmt: skip
    graph = json.loads(run_cli(*export).stdout)["@graph"]
    ours = next(r for r in graph if r["author"]["name"] == "Our Desk")
    rating = ours["reviewRating"]
    assert rating["alternateName"] == "Misleading" and rating["ratingValue"] == 2
    assert ours["url"] == f"https://desk.example.org/claims/{claim_id}.html"


def test_a_minor_schema_version_is_a_minor_bump() -> None:
    claim = {"id": "a", "schema_version": "1.0", "status": "reported"}
    newer = {**claim, "schema_version": "1.1"}
    assert compare(Snapshot("1", {"a": claim}, {}), Snapshot("2", {"a": newer}, {})).bump == "minor"
    major = {**claim, "schema_version": "2.0"}
    assert compare(Snapshot("1", {"a": claim}, {}), Snapshot("2", {"a": major}, {})).bump == "major"


def test_a_release_of_1_0_claims_verifies_under_format_1_1(dataset: Path, run_cli: RunCli) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    run_cli("verify", "1.0.0", "--root", dataset)
    shutil.rmtree(dataset / "dataset")
